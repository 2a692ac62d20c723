// sessions.test.js - sessions that survive: resume after a reconnect (slots
// and history), after a clean restart (SIGTERM: 1001 to clients, exit 0
// within 2 s) and after kill -9 (every reply the client received is in the
// resumed history), and --no-transcripts (slots only, repeats still caught).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Client, startSlated, tmpdir, newId, SLOW } = require('./helpers');

test('resume after a reconnect restores slots and history', async () => {
  const s = await startSlated();
  try {
    const c = await Client.connect(s.url);
    const w = await c.hello(null);
    const r1 = await c.ask('what does a co-producer do?', newId());
    assert.ok(r1.options.some((o) => o.value === 'music'));
    await c.close();
    const c2 = await Client.connect(s.url);
    const w2 = await c2.hello(w.session);
    assert.equal(w2.type, 'welcome');
    assert.equal(w2.resumed, true);
    assert.equal(w2.session, w.session);
    assert.equal(w2.slots.role, 'co-producer');
    assert.deepEqual(w2.history.map((h) => h.from), ['user', 'bot']);
    assert.equal(w2.history[0].text, 'what does a co-producer do?');
    assert.equal(w2.history[1].text, r1.text);
    assert.equal(w2.history[1].re, r1.re);
    assert.equal(typeof w2.history[0].ts, 'number');
    assert.ok(Math.abs(w2.history[0].ts - Date.now()) < 60000, 'ts is milliseconds since the epoch');
    // the follow-up still works: the pending question survived
    const r2 = await c2.ask('music', newId());
    assert.equal(r2.slots.industry, 'music');
    assert.equal(r2.slots.role, 'co-producer');
    await c2.close();
  } finally {
    await s.stop();
  }
});

test('an unknown token starts a new session instead', async () => {
  const s = await startSlated();
  try {
    const c = await Client.connect(s.url);
    const w = await c.hello('A'.repeat(32));
    assert.equal(w.resumed, false);
    assert.notEqual(w.session, 'A'.repeat(32));
    await c.close();
  } finally {
    await s.stop();
  }
});

test('SIGTERM closes clients with 1001 and exits 0 within 2 s; the session resumes after a restart', async () => {
  const dir = tmpdir();
  let s = await startSlated({ dir });
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const replies = [];
  for (const q of ['what does a producer do?', 'and a line producer?', 'how is that different from a producer?']) {
    replies.push(await c.ask(q, newId()));
  }
  const idle = await Client.connect(s.url);
  const r = await s.stop('SIGTERM');
  assert.equal(r.code, 0, s.log);
  assert.ok(r.ms < 2000 * SLOW, `exit took ${r.ms} ms`);
  assert.equal((await c.closed).code, 1001);
  assert.equal((await idle.closed).code, 1001);
  s = await startSlated({ dir, port: s.port });
  try {
    const c2 = await Client.connect(s.url);
    const w2 = await c2.hello(w.session);
    assert.equal(w2.resumed, true);
    const bot = w2.history.filter((h) => h.from === 'bot');
    assert.deepEqual(bot.map((h) => h.text), replies.map((x) => x.text));
    assert.equal(w2.slots.role, replies[2].slots.role);
    await c2.close();
  } finally {
    await s.stop();
  }
});

test('kill -9: every reply the client received is in the resumed history', async () => {
  const dir = tmpdir();
  let s = await startSlated({ dir, args: ['--rate', '6000', '--burst', '200'] });
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const qs = ['what does a producer do?', 'what about a co-producer?', 'music', 'thanks',
    'how do I become a line producer?', 'what does an executive producer earn?'];
  // keep questions in flight and kill the daemon in the middle of them
  for (let i = 0; i < 60; i++) c.send({ type: 'ask', id: `k${i}`, text: qs[i % qs.length] });
  while (c.received.filter((m) => m.type === 'reply').length < 20) await c.next();
  s.proc.kill('SIGKILL');
  await s.exit;
  await c.closed;
  const got = c.received.filter((m) => m.type === 'reply');
  assert.ok(got.length >= 20, `replies before the kill: ${got.length}`);
  s = await startSlated({ dir, port: s.port });
  try {
    const c2 = await Client.connect(s.url);
    const w2 = await c2.hello(w.session);
    assert.equal(w2.resumed, true);
    const stored = new Map(w2.history.filter((h) => h.from === 'bot').map((h) => [h.re, h.text]));
    for (const m of got) assert.equal(stored.get(m.re), m.text, `reply ${m.re} is in the history`);
    // and a resend of those ids is answered from the store, not again
    const again = await c2.ask('a different question', got[got.length - 1].re);
    assert.equal(again.text, got[got.length - 1].text);
    await c2.close();
  } finally {
    await s.stop();
  }
});

test('--no-transcripts keeps slots only, and still answers a repeated id once', async () => {
  const s = await startSlated({ args: ['--no-transcripts'] });
  try {
    const c = await Client.connect(s.url);
    const w = await c.hello(null);
    const id = newId();
    const r1 = await c.ask('what does a co-producer do?', id);
    await c.close();
    const c2 = await Client.connect(s.url);
    const w2 = await c2.hello(w.session);
    assert.equal(w2.resumed, true);
    assert.deepEqual(w2.history, []);
    assert.equal(w2.slots.role, 'co-producer');
    const r2 = await c2.ask('what does a producer do?', id);
    assert.equal(r2.text, r1.text);
    await c2.close();
  } finally {
    await s.stop();
  }
});

test('a long history arrives whole (a welcome larger than one write), and --history bounds it', async () => {
  const dir = tmpdir();
  let s = await startSlated({ dir, args: ['--rate', '6000', '--burst', '100'] });
  let token;
  try {
    const c = await Client.connect(s.url);
    const qs = ['what does a producer do?', 'what does a line producer do?', 'how do I become an executive producer?'];
    for (let i = 0; i < 75; i++) token = (await c.ask(qs[i % 3], `h${i}`)).session;
    await c.close();
    const c2 = await Client.connect(s.url);
    const w = await c2.hello(token);
    assert.ok(JSON.stringify(w).length > 40000, `welcome is ${JSON.stringify(w).length} bytes`);
    assert.equal(w.history.length, 150);
    assert.equal(w.history[149].re, "h74");
    await c2.close();
  } finally {
    await s.stop();
  }
  s = await startSlated({ dir, args: ['--history', '10'] });
  try {
    const c = await Client.connect(s.url);
    const w = await c.hello(token);
    assert.equal(w.history.length, 20);
    assert.equal(w.history[0].id, "h65");
    await c.close();
  } finally {
    await s.stop();
  }
});
