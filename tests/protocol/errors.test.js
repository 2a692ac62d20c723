// errors.test.js - limits that need their own settings: the rate limit
// (rate_limited, connection still usable after waiting) and the close with
// 1008 after too many errors in a row.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { Client, startSlated, newId, sleep } = require('./helpers');

let s;
before(async () => {
  s = await startSlated({ args: ['--rate', '120', '--burst', '3', '--max-errors', '6'] });
});
after(async () => { assert.equal((await s.stop()).code, 0, s.log); });

test('the rate limit answers rate_limited and recovers', async () => {
  const c = await Client.connect(s.url);
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const id = newId();
    ids.push(id);
    c.send({ type: 'ask', id, text: 'what does a producer do?' });
  }
  const got = [];
  for (let i = 0; i < 5; i++) got.push(await c.next());
  assert.deepEqual(got.map((m) => m.re), ids);
  assert.deepEqual(got.map((m) => m.type), ['reply', 'reply', 'reply', 'error', 'error']);
  assert.equal(got[3].code, 'rate_limited');
  assert.match(got[3].text, /too fast/);
  // 120 a minute: one more token every half second
  await sleep(600);
  const r = await c.ask('what does a producer do?', newId());
  assert.equal(r.type, 'reply');
  assert.equal(r.session, got[0].session, 'the session survived the errors');
  await c.close();
});

test('too many errors in a row close the connection with 1008', async () => {
  const c = await Client.connect(s.url);
  for (let i = 0; i < 6; i++) c.send('not json');
  for (let i = 0; i < 6; i++) assert.equal((await c.next()).code, 'bad_json');
  const cl = await c.closed;
  assert.equal(cl.code, 1008);
});
