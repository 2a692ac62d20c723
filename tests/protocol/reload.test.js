// reload.test.js - SIGHUP reloads knowledge and patterns only when the new
// set loads and its conversation tests pass: a broken pattern file and a
// failing conversation are refused (old set kept, still answering, reason
// logged with file:line), a good change is swapped in (new answers), and
// the open connection is never dropped.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, Client, startSlated, tmpdir, newId, httpGet, metric, waitFor } = require('./helpers');

let s, dir, c, roles, rolesText, conv;
const health = async () => JSON.parse((await httpGet(`${s.base}/healthz`)).body);

const goodCase = { name: 'co-producer duties', turns: [{ say: 'what does a co-producer do?', intent: 'duties', slots: { role: 'co-producer' } }] };
const showrunnerCase = { name: 'showrunner is a line producer here', turns: [{ say: 'what does a showrunner do?', intent: 'duties', slots: { role: 'line-producer' } }] };
const writeConv = (cases) => fs.writeFileSync(path.join(conv, 'reload.jsonl'), cases.map((x) => JSON.stringify(x)).join('\n') + '\n');

async function reload(re) {
  const before = s.log.length;
  s.proc.kill('SIGHUP');
  // the whole line: the reason follows the matched words
  const whole = () => {
    const t = s.log.slice(before);
    const m = re.exec(t);
    return m && t.indexOf('\n', m.index) >= 0;
  };
  await waitFor(whole, 20000, () => `${re} in\n${s.log.slice(before)}`);
  return s.log.slice(before);
}

before(async () => {
  dir = tmpdir();
  fs.cpSync(path.join(ROOT, 'knowledge'), path.join(dir, 'knowledge'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'patterns'), path.join(dir, 'patterns'), { recursive: true });
  conv = path.join(dir, 'conversations');
  fs.mkdirSync(conv);
  writeConv([goodCase]);
  roles = path.join(dir, 'patterns', 'roles.txt');
  rolesText = fs.readFileSync(roles, 'utf8');
  s = await startSlated({
    dir,
    args: ['--knowledge', path.join(dir, 'knowledge'), '--patterns', path.join(dir, 'patterns'), '--conversations', conv],
  });
  c = await Client.connect(s.url);
  await c.hello(null);
});
after(async () => {
  assert.equal(c.closeInfo, undefined, 'the connection stayed open through every reload');
  await c.close();
  assert.equal((await s.stop()).code, 0, s.log);
});

test('before any reload, a showrunner is not a role we know', async () => {
  const r = await c.ask('what does a showrunner do?', newId());
  assert.notEqual(r.slots.role, 'line-producer');
});

test('a broken pattern file is refused with file:line; the old set keeps answering', async () => {
  const v0 = (await health()).version;
  fs.writeFileSync(roles, rolesText + '\n(unclosed group\n');
  const lines = rolesText.split('\n').length + 1;
  const log = await reload(/reload refused/);
  assert.match(log, new RegExp(`roles\\.txt:${lines}`), log);
  const h = await health();
  assert.equal(h.version, v0);
  assert.match(h.reload, /^refused: load failed: .*roles\.txt/);
  const r = await c.ask('what does a co-producer do?', newId());
  assert.equal(r.type, 'reply');
  assert.equal(r.slots.role, 'co-producer');
  assert.equal(metric((await httpGet(`${s.base}/metrics`)).body, 'slated_reloads_total{result="failed"}'), 1);
});

test('a set whose conversation tests fail is refused', async () => {
  fs.writeFileSync(roles, rolesText);
  writeConv([goodCase, showrunnerCase]);   // expects an alias nobody added
  const log = await reload(/reload refused/);
  assert.match(log, /conversations: 1 of 2 cases failed/, log);
  const r = await c.ask('what does a showrunner do?', newId());
  assert.notEqual(r.slots.role, 'line-producer');
});

test('a good change is swapped in: new answers on the same connection', async () => {
  fs.writeFileSync(roles, rolesText.replace('[line-producer]\n', '[line-producer]\n\\bshowrunners?\\b\n'));
  const log = await reload(/reload: "kb-[0-9a-f]+-p[0-9a-f]+ loaded/);
  assert.match(log, /2 conversations passed/, log);
  assert.match((await health()).reload, /^ok: /);
  const r = await c.ask('what does a showrunner do?', newId());
  assert.equal(r.slots.role, 'line-producer');
  assert.equal(r.intent, 'duties');
  assert.equal(metric((await httpGet(`${s.base}/metrics`)).body, 'slated_reloads_total{result="ok"}'), 1);
});
