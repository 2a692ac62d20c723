// operations.test.js - the operator's side: --help documents every flag,
// bad flags are refused, a checkout's data is found without flags, idle
// sessions expire (purged at start and hourly), a database that cannot be
// written is answered without storage while the loop keeps serving, fallbacks are
// recorded and
// `slate unanswered` lists them grouped by similarity, newest first, and
// untrusted text is escaped in the log.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, SLATED, SLATE, Client, startSlated, tmpdir, newId, httpGet, waitFor, SLOW } = require('./helpers');

test('--help documents every flag, and docs/operations.md does too', () => {
  const out = execFileSync(SLATED, ['--help'], { encoding: 'utf8' });
  const flags = [...out.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
  for (const f of ['--bind', '--port', '--knowledge', '--patterns', '--web', '--db', '--conversations',
    '--allow-origin', '--session-days', '--no-transcripts', '--max-text', '--max-frame', '--rate',
    '--max-conns', '--max-conns-per-ip', '--ping', '--idle', '--help']) {
    assert.ok(flags.includes(f), `${f} in --help`);
  }
  const ops = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
  for (const f of flags) assert.ok(ops.includes('`' + f), `${f} in docs/operations.md`);
});

test('a bad flag or value is refused with exit 2 and a reason', () => {
  let r = spawnSync(SLATED, ['--port', '70000'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--port: want a whole number from 1 to 65535/);
  r = spawnSync(SLATED, ['--frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown flag --frobnicate/);
  r = spawnSync(SLATED, ['--log-level', 'loud'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--log-level: want error, warn, info or debug, got "loud"/);
});

test('--log-level debug adds a line per reply; warn leaves out the info lines', async () => {
  for (const level of ['debug', 'warn']) {
    const s = await startSlated({ args: ['--log-level', level], quiet: level === 'warn' });
    try {
      const c = await Client.connect(s.url);
      await c.hello(null);
      await c.ask('what does a line producer do', newId());
      await c.close();
      await s.stop();
      const perReply = /conn \d+: reply re=\S+ kind=answer intent=\S+ [\d.]+ ms/;
      if (level === 'debug') {
        assert.match(s.log, perReply);
        assert.match(s.log, / info  conn \d+ open/);
      } else {
        assert.doesNotMatch(s.log, perReply);
        assert.doesNotMatch(s.log, / info  /);
      }
    } finally {
      await s.stop();
    }
  }
});

test('run from a checkout with no data flags, it uses the checkout and a database in the working directory', async () => {
  const dir = tmpdir();
  const s = await startSlated({ dir, cwd: ROOT, args: ['--db', path.join(dir, 'slate.db')] });
  try {
    assert.match(s.log, /engine kb-[0-9a-f]+-p[0-9a-f]+ from \.\/knowledge and \.\/patterns/);
    assert.match(s.log, /web \.\/web/);
  } finally {
    await s.stop();
  }
  // from elsewhere, the checkout the executable was built from is found,
  // and the database is created in the working directory
  const other = tmpdir();
  const s2 = await startSlated({ dir: other, cwd: other, db: false });
  try {
    assert.ok(s2.log.includes(`from ${ROOT}/knowledge and ${ROOT}/patterns`), s2.log);
    assert.match(s2.log, /sessions in slate\.db/);
    const c = await Client.connect(s2.url);
    await c.ask('what does a producer do?', newId());
    await c.close();
    assert.ok(fs.existsSync(path.join(other, 'slate.db')));
  } finally {
    await s2.stop();
  }
});

function sql(db, statement) {
  const r = spawnSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', db, statement], { encoding: 'utf8' });
  return r.status === 0;
}

test('sessions idle longer than --session-days are purged', async (t) => {
  const dir = tmpdir();
  let s = await startSlated({ dir, args: ['--session-days', '2'] });
  const c = await Client.connect(s.url);
  const old = (await c.ask('what does a producer do?', newId())).session;
  await c.close();
  const c2 = await Client.connect(s.url);
  const fresh = (await c2.ask('what does a producer do?', newId())).session;
  await c2.close();
  await s.stop();
  const threeDays = 3 * 86400 * 1000;
  if (!sql(s.db, `UPDATE sessions SET seen = seen - ${threeDays} WHERE token = '${old}'`)) {
    t.skip('python3 with sqlite3 is needed to age a session');
    return;
  }
  s = await startSlated({ dir, port: s.port, args: ['--session-days', '2'] });
  try {
    await s.waitLog(/1 idle sessions purged/);
    const c3 = await Client.connect(s.url);
    assert.equal((await c3.hello(old)).resumed, false);
    assert.equal((await c3.hello(fresh)).resumed, true);
    await c3.close();
  } finally {
    await s.stop();
  }
});

test('fallbacks are recorded and `slate unanswered` groups them, newest first', async (t) => {
  if (!fs.existsSync(SLATE)) {
    t.skip(`no slate binary at ${SLATE}`);
    return;
  }
  const s = await startSlated();
  try {
    const c = await Client.connect(s.url);
    await c.hello(null);
    const qs = ['how do I bake sourdough bread?', 'what is the best sourdough bread recipe', 'sourdough bread baking tips',
      'who won the football match last night?', 'what does a line producer do?'];
    for (const q of qs) await c.ask(q, newId());
    await c.ask('Sourdough bread, how do I bake it?', newId());
    await c.close();
    // untrusted text in the log is escaped: one line per event
    c.ws = null;
    const c2 = await Client.connect(s.url);
    await c2.ask('evil\nline\u001b[31m "quoted" ', newId());
    await c2.close();
    await s.waitLog(/fallback recorded "evil\\nline\\x1b\[31m \\"quoted\\" "/);
    // changed with the journal: `slate unanswered` reads SQLite, which the
    // compactor fills behind the loop (within 20 ms of a quiet moment)
    for (let i = 0; i < 100; i++) {
      if (JSON.parse((await httpGet(`${s.base}/healthz`)).body).storage.backlog === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const out = execFileSync(SLATE, ['unanswered', '--db', s.db], { encoding: 'utf8' });
    const rows = out.split('\n').filter((l) => /^\s*\d+\s+\d{4}-/.test(l));
    assert.ok(rows.length >= 3, out);
    assert.match(rows[0], /evil/, 'the newest group first');
    const bread = rows.find((l) => /sourdough/i.test(l));
    assert.match(bread, /^\s*4\s/, `four sourdough questions in one group:\n${out}`);
    assert.match(out, /football/);
    assert.doesNotMatch(out, /line producer/, 'answered questions are not listed');
    assert.doesNotMatch(out, /\u001b/, 'no terminal escapes in the listing');
  } finally {
    await s.stop();
  }
});

// Changed with the journal: a locked database no longer holds up answers
// (they are journaled and sent at once, never "stored": false); SQLite
// catches up once the lock is gone, and /healthz says meanwhile.
test('a database locked by someone else: answered and stored at once (journal), the loop never stalls, SQLite catches up', async (t) => {
  const s = await startSlated();
  try {
    const c = await Client.connect(s.url);
    const first = await c.ask('what does a producer do?', newId());
    const holder = spawn('python3', ['-c', 'import sqlite3,sys,time\nc=sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute("BEGIN IMMEDIATE")\nprint("locked", flush=True)\ntime.sleep(7)\nc.execute("ROLLBACK")', s.db]);
    let out = '';
    holder.stdout.on('data', (d) => { out += d; });
    const held = await Promise.race([
      waitFor(() => out.includes('locked'), 5000, 'lock').then(() => true),
      new Promise((r) => holder.on('error', () => r(false))),
    ]).catch(() => false);
    if (!held) {
      holder.kill();
      t.skip('python3 with sqlite3 is needed to hold a lock');
      return;
    }
    const id = newId();
    const t0 = Date.now();
    const r0 = await c.ask('what does a line producer do?', id);
    assert.equal(r0.type, 'reply', JSON.stringify(r0));
    assert.equal(r0.stored, undefined);
    assert.equal(r0.slots.role, 'line-producer');
    assert.ok(Date.now() - t0 < 1000 * SLOW, 'answered at once');
    const other = await Client.connect(s.url);
    other.send({ type: 'reset' });
    assert.equal((await other.next()).type, 'reset', 'another client is served meanwhile');
    const h0 = Date.now();
    const during = JSON.parse((await httpGet(`${s.base}/healthz`)).body);
    assert.ok(Date.now() - h0 < 500 * SLOW, 'healthz answered while SQLite is locked');
    assert.equal(during.storage.saving, true);
    assert.ok(during.storage.backlog >= 1, JSON.stringify(during));
    await new Promise((r) => holder.on('exit', r));
    // the same id again: stored (in the journal), so it is a repeat
    const r = await c.ask('what does a line producer do?', id);
    assert.equal(r.repeat, true);
    assert.equal(r.text, r0.text);
    assert.equal(r.session, first.session);
    await waitFor(() => false, 0, '').catch(() => {});
    let h2;
    const end = Date.now() + 10000 * SLOW;
    do {
      await new Promise((res) => setTimeout(res, 200));
      h2 = JSON.parse((await httpGet(`${s.base}/healthz`)).body);
    } while ((h2.storage.backlog > 0 || h2.storage.compactor !== 'ok') && Date.now() < end);
    assert.equal(h2.status, 'ok');
    assert.equal(h2.storage.compactor, 'ok');
    assert.equal(h2.storage.backlog, 0);
    await c.close();
    await other.close();
  } finally {
    await s.stop();
  }
});

test('SIGINT stops like SIGTERM: 1001 to clients, exit 0', async () => {
  const s = await startSlated();
  const c = await Client.connect(s.url);
  await c.hello(null);
  const r = await s.stop('SIGINT');
  assert.equal(r.code, 0);
  assert.ok(r.ms < 2000 * SLOW);
  const cl = await c.closed;
  assert.equal(cl.code, 1001);
  assert.equal(cl.reason, 'server shutting down');
});

// libev is the default; poll() stays selectable.  Under libev slated runs
// its own loop and must notice a stop from inside it (lws_service never
// returns there), so both loops are checked end to end: answer, reload,
// stop with a 1001 to a connected client.
for (const loop of ['ev', 'poll']) {
  test(`--event-loop ${loop}: answers, reloads on SIGHUP and stops on SIGTERM`, async () => {
    const s = await startSlated({ args: ['--event-loop', loop] });
    try {
      assert.match(s.log, new RegExp(`WebSocket /chat, ${loop === 'ev' ? 'libev' : 'poll'}\\)`));
      const c = await Client.connect(s.url);
      await c.hello(null);
      const r = await c.ask('wat does an associate producer do', newId());
      assert.equal(r.type, 'reply');
      assert.match(r.text, /associate producer/i);
      s.proc.kill('SIGHUP');
      await s.waitLog(/reload: .* loaded/);
      const r2 = await c.ask('and a line producer?', newId());
      assert.match(r2.text, /line producer/i);
      const st = await s.stop();
      assert.equal(st.code, 0);
      const cl = await c.closed;
      assert.equal(cl.code, 1001);
    } finally {
      await s.stop();
    }
  });
}

test('--event-loop with an unknown value is refused', () => {
  const r = spawnSync(SLATED, ['--event-loop', 'select'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--event-loop: want ev or poll, got "select"/);
});
