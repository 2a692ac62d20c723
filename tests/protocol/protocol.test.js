// protocol.test.js - every client message type and every error code against
// a real slated: hello/welcome, ask/reply (fields, follow-up by option and by
// typing, hierarchy ladder), ask before hello, a repeated id, reset, forget,
// bad_json, bad_type, bad_field, too_long, rate_limited, binary frames,
// invalid UTF-8 (1007), too many errors (1008), and the connection staying
// usable after each error.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, SLATED, Client, startSlated, newId, httpGet } = require('./helpers');

let s;
before(async () => {
  s = await startSlated({ args: ['--rate', '600', '--burst', '40', '--max-text', '200'] });
});
after(async () => {
  const r = await s.stop();
  assert.equal(r.code, 0, s.log);
});

const TOKEN = /^[A-Za-z0-9_-]{32}$/;

function checkReply(r, id) {
  assert.equal(r.type, 'reply', JSON.stringify(r));
  assert.equal(r.re, id);
  assert.match(r.session, TOKEN);
  assert.ok(['answer', 'clarify', 'fallback', 'smalltalk'].includes(r.kind), r.kind);
  assert.ok(r.intent === null || typeof r.intent === 'string');
  assert.equal(typeof r.text, 'string');
  assert.ok(r.text.length > 0);
  for (const k of ['role', 'other_role', 'industry', 'capacity']) assert.ok(k in r.slots, k);
  assert.ok(Array.isArray(r.options));
  for (const o of r.options) {
    assert.equal(typeof o.label, 'string');
    assert.equal(typeof o.value, 'string');
  }
  assert.ok(Array.isArray(r.suggestions));
}

test('hello with null starts a session: welcome with token, text, suggestions, empty history', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  assert.equal(w.type, 'welcome');
  assert.match(w.session, TOKEN);
  assert.equal(w.resumed, false);
  assert.ok(w.text.length > 0);
  assert.ok(Array.isArray(w.suggestions) && w.suggestions.length > 0);
  assert.deepEqual(w.history, []);
  const c2 = await Client.connect(s.url);
  const w2 = await c2.hello(null);
  assert.notEqual(w2.session, w.session, 'every session gets its own token');
  await c.close();
  await c2.close();
});

test('ask gets exactly one reply with every protocol field', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const id = newId();
  const r = await c.ask('what does a line producer do?', id);
  checkReply(r, id);
  assert.equal(r.session, w.session);
  assert.equal(r.kind, 'answer');
  assert.equal(r.intent, 'duties');
  assert.equal(r.slots.role, 'line-producer');
  await assert.rejects(c.next(300), /no message/, 'only one reply per ask');
  await c.close();
});

test('a follow-up answered by clicking an option', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  const r1 = await c.ask('what does a co-producer do?', newId());
  checkReply(r1, r1.re);
  assert.equal(r1.slots.role, 'co-producer');
  const music = r1.options.find((o) => o.value === 'music');
  assert.ok(music, `music offered: ${JSON.stringify(r1.options)}`);
  // a click sends the option's value as the question
  const id = newId();
  const r2 = await c.ask(music.value, id);
  checkReply(r2, id);
  assert.equal(r2.slots.role, 'co-producer');
  assert.equal(r2.slots.industry, 'music');
  assert.match(r2.text, /studio/i);
  await c.close();
});

test('a follow-up answered by typing', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  const r1 = await c.ask('hi, what does a co-producer actually do', newId());
  assert.ok(r1.options.some((o) => o.value === 'music'));
  const r2 = await c.ask("it's for an album", newId());
  assert.equal(r2.slots.industry, 'music');
  assert.equal(r2.intent, 'duties');
  const r3 = await c.ask('the money side', newId());
  assert.equal(r3.slots.capacity, 'funding');
  await c.close();
});

test('a hierarchy reply carries the ladder', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  const r = await c.ask('who does a line producer answer to?', newId());
  assert.equal(r.intent, 'hierarchy', JSON.stringify(r));
  assert.ok(Array.isArray(r.ladder.steps) && r.ladder.steps.length >= 2);
  for (const st of r.ladder.steps) {
    assert.equal(typeof st.id, 'string');
    assert.equal(typeof st.title, 'string');
  }
  assert.equal(r.ladder.steps[r.ladder.focus].id, 'line-producer');
  await c.close();
});

test('an ask before any hello starts a new session', async () => {
  const c = await Client.connect(s.url);
  const id = newId();
  const r = await c.ask('what is an executive producer?', id);
  checkReply(r, id);
  await c.close();
  const c2 = await Client.connect(s.url);
  const w = await c2.hello(r.session);
  assert.equal(w.resumed, true);
  assert.equal(w.session, r.session);
  assert.equal(w.history.length, 2);
  await c2.close();
});

test('a repeated id is answered from the stored reply, not processed again', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const id = newId();
  const r1 = await c.ask('what does an associate producer do?', id);
  checkReply(r1, id);
  // same id, different text: the stored reply comes back unchanged
  const r2 = await c.ask('how do I become a line producer?', id);
  assert.equal(r2.re, id);
  assert.equal(r2.text, r1.text);
  assert.deepEqual(r2.slots, r1.slots);
  assert.equal(r2.repeat, true);
  // also after a reconnect, as a widget resending its queue would
  await c.close();
  const c2 = await Client.connect(s.url);
  await c2.hello(w.session);
  const r3 = await c2.ask('what does an associate producer do?', id);
  assert.equal(r3.text, r1.text);
  const w2 = await (async () => { await c2.close(); const c3 = await Client.connect(s.url); const x = await c3.hello(w.session); await c3.close(); return x; })();
  assert.equal(w2.history.filter((h) => h.from === 'user').length, 1, 'the turn is stored once');
});

test('reset forgets the slots but keeps the session', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const r1 = await c.ask('what does a co-producer do?', newId());
  assert.equal(r1.slots.role, 'co-producer');
  c.send({ type: 'reset' });
  const m = await c.next();
  assert.equal(m.type, 'reset');
  assert.equal(m.session, w.session);
  for (const k of ['role', 'other_role', 'industry', 'capacity']) assert.equal(m.slots[k], null);
  const r2 = await c.ask('what about in music?', newId());
  assert.equal(r2.slots.role, null, 'no role carried over after reset');
  assert.equal(r2.session, w.session);
  await c.close();
  // the reset slots are what a resume gets
  const c2 = await Client.connect(s.url);
  const w2 = await c2.hello(w.session);
  assert.equal(w2.resumed, true);
  assert.equal(w2.slots.role, null);
  await c2.close();
});

test('forget deletes the session and its transcript', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  await c.ask('what does a producer do?', newId());
  c.send({ type: 'forget' });
  const m = await c.next();
  assert.equal(m.type, 'forgotten');
  assert.equal(m.session, null);
  // a later question starts a new session
  const r = await c.ask('what does a producer do?', newId());
  assert.notEqual(r.session, w.session);
  await c.close();
  const c2 = await Client.connect(s.url);
  const w2 = await c2.hello(w.session);
  assert.equal(w2.resumed, false);
  assert.notEqual(w2.session, w.session);
  assert.deepEqual(w2.history, []);
  await c2.close();
});

test('every error code, and the connection and session stay usable', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const expectError = async (send, code, re = null) => {
    c.send(send);
    const e = await c.next();
    assert.equal(e.type, 'error', JSON.stringify(e));
    assert.equal(e.code, code, JSON.stringify(e));
    assert.equal(e.re, re);
    assert.ok(typeof e.text === 'string' && /^[A-Z].*\.$/.test(e.text), `a sentence: ${e.text}`);
  };
  await expectError('{"type": "ask", ', 'bad_json');
  await expectError('[1, 2, 3]', 'bad_json');
  await expectError('{"type":"ask","type":"hello"}', 'bad_json');
  await expectError({ id: 'x1', text: 'hi' }, 'bad_type', 'x1');
  await expectError({ type: 42 }, 'bad_type');
  await expectError({ type: 'dance', id: 'x2' }, 'bad_type', 'x2');
  await expectError({ type: 'ask', text: 'no id' }, 'bad_field');
  await expectError({ type: 'ask', id: 'x3' }, 'bad_field', 'x3');
  await expectError({ type: 'ask', id: 'x4', text: 12 }, 'bad_field', 'x4');
  await expectError({ type: 'ask', id: 'x5', text: '   ' }, 'bad_field', 'x5');
  await expectError({ type: 'ask', id: 'x'.repeat(65), text: 'hi' }, 'bad_field');
  await expectError({ type: 'hello', session: 42 }, 'bad_field');
  await expectError({ type: 'hello', session: 'not-a-token' }, 'bad_field');
  await expectError({ type: 'ask', id: 'x6', text: 'é'.repeat(201) }, 'too_long', 'x6');
  // 200 characters is fine even though it is 400 bytes
  const ok = await c.ask('é'.repeat(200), 'x7');
  assert.equal(ok.type, 'reply');
  // still the same session, still answering
  const r = await c.ask('what does a line producer do?', 'x8');
  checkReply(r, 'x8');
  assert.equal(r.session, w.session);
  await c.close();
});

test('binary frames get bad_json; invalid UTF-8 closes with 1007', async () => {
  const c = await Client.connect(s.url);
  c.ws.send(Buffer.from('{"type":"hello"}'), { binary: true });
  const e = await c.next();
  assert.equal(e.code, 'bad_json');
  const w = await c.hello(null);
  assert.equal(w.type, 'welcome');
  c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  const cl = await c.closed;
  assert.equal(cl.code, 1007);
});

test('messages sent in a burst are answered in order, one answer each', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  const ids = [];
  for (let i = 0; i < 20; i++) {
    const id = newId();
    ids.push(id);
    c.send({ type: 'ask', id, text: i % 2 ? 'what does a producer do?' : 'thanks!' });
  }
  for (const id of ids) {
    const r = await c.next();
    assert.equal(r.re, id);
  }
  await assert.rejects(c.next(200), /no message/);
  await c.close();
});

test('one version: /healthz says the version slated --version and the widget say', async () => {
  const h = JSON.parse((await httpGet(`${s.base}/healthz`)).body);
  const cli = execFileSync(SLATED, ['--version'], { encoding: 'utf8' }).trim();
  assert.equal(cli, `slated ${h.slate}`);
  const js = fs.readFileSync(path.join(ROOT, 'web', 'widget.js'), 'utf8');
  assert.match(js, new RegExp(`version: '${h.slate.replace(/\./g, '\\.')}'`));
  assert.match(h.version, /^kb-/);
});
