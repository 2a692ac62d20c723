// crash.test.js - crashes and bad disks: kill -9 in the middle of many
// sessions talking, then a restart (PRAGMA integrity_check passes, every
// reply any client received is in its resumed history, no session is
// lost); a read-only database and a full disk at start (a clear message,
// exit 1); a disk that fills up at run time (Slate keeps answering, marks
// the answers "stored": false, says so once in the log and in /healthz,
// and recovers by itself when there is room again).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, SLATED, Client, startSlated, tmpdir, newId, httpGet, integrity, waitFor, SLOW } = require('./helpers');

const SCALE = Number(process.env.SLATE_TEST_SCALE || 1);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

test('kill -9 with many sessions talking: integrity_check passes, every reply received is in its resumed history, no session lost', async () => {
  const dir = tmpdir();
  const args = ['--rate', '100000', '--burst', '10000', '--max-conns-per-ip', '200'];
  let s = await startSlated({ dir, args });
  const qs = ['what does a producer do?', 'what about a co-producer?', 'music', 'thanks', 'reset',
    'how do I become a line producer?', 'what does an executive producer earn?', 'who does a upm report to?',
    'and in theater?', 'how is a producer credit earned?'];
  const n = Math.max(8, Math.round(50 * SCALE));
  const clients = [];
  for (let i = 0; i < n; i++) {
    // several source addresses, as many users would be
    const c = await Client.connect(s.url, { localAddress: `127.0.0.${10 + (i % 5)}` });
    c.token = (await c.hello(null)).session;
    clients.push(c);
  }
  // some only said hello: their sessions must survive too
  const quiet = [];
  for (let i = 0; i < 5; i++) {
    const c = await Client.connect(s.url, { localAddress: '127.0.0.20' });
    quiet.push((await c.hello(null)).session);
  }
  // every client talks as fast as it is answered; the daemon is killed
  // once enough replies are out, with questions in flight everywhere
  let stop = false;
  const talk = async (c, i) => {
    for (let k = 0; !stop; k++) {
      try {
        const text = qs[(i + k) % qs.length];
        if (text === 'reset') {
          c.send({ type: 'reset', id: `r${i}-${k}` });
          await c.next();
        } else {
          await c.ask(text, `c${i}-${k}`);
        }
      } catch {
        return;           // the daemon is gone
      }
    }
  };
  const talking = clients.map(talk);
  const want = Math.round(600 * SCALE);
  await waitFor(() => clients.reduce((a, c) => a + c.received.length, 0) >= want, 60000 * SLOW, 'replies before the kill');
  s.proc.kill('SIGKILL');
  await s.exit;
  stop = true;
  await Promise.all(talking);
  for (const c of clients) await c.closed;
  const received = clients.map((c) => c.received.filter((m) => m.type === 'reply'));
  const total = received.reduce((a, r) => a + r.length, 0);
  assert.ok(total >= want / 2, `${total} replies before the kill`);

  const ic = integrity(s.db);
  if (ic !== null) assert.equal(ic, 'ok');
  s = await startSlated({ dir, port: s.port, args });
  try {
    for (let i = 0; i < n; i++) {
      const c = await Client.connect(s.url, { localAddress: `127.0.0.${10 + (i % 5)}` });
      const w = await c.hello(clients[i].token);
      assert.equal(w.resumed, true, `session ${i} resumes`);
      assert.equal(w.session, clients[i].token);
      const stored = new Map(w.history.filter((h) => h.from === 'bot').map((h) => [h.re, h.text]));
      for (const m of received[i]) assert.equal(stored.get(m.re), m.text, `client ${i}: reply ${m.re} is in the history`);
      // the last question resent: answered from the store, or (if it was
      // never stored) answered now, once
      const last = received[i][received[i].length - 1];
      if (last) {
        const again = await c.ask('a different question', last.re);
        assert.equal(again.text, last.text);
        assert.equal(again.repeat, true);
      }
      await c.close();
    }
    for (const token of quiet) {
      const c = await Client.connect(s.url);
      const w = await c.hello(token);
      assert.equal(w.resumed, true, 'a session that only said hello resumes');
      assert.equal(w.session, token);
      await c.close();
    }
  } finally {
    assert.equal((await s.stop()).code, 0, s.log);
  }
  const ic2 = integrity(s.db);
  if (ic2 !== null) assert.equal(ic2, 'ok');
  console.log(`# kill -9: ${n} sessions, ${total} replies received, all in their histories`);
});

// Run slated to its exit (it should not get as far as listening).
function run(args, wrap = [], env, prog = SLATED) {
  const r = spawnSync(wrap.length ? wrap[0] : prog, [...wrap.slice(1), ...(wrap.length ? [prog] : []), '--port', '1', ...args],
    { encoding: 'utf8', timeout: 20000, env: env ? { ...process.env, ...env } : process.env });
  return { status: r.status, stderr: r.stderr };
}

test('a read-only database at start: a clear message and exit 1', (t) => {
  const dir = tmpdir();
  const db = path.join(dir, 'slate.db');
  let wrap = [];
  let extra = [];
  let prog = SLATED;
  // root writes anywhere: run as nobody instead
  if (process.getuid() === 0) {
    if (!has('setpriv')) return t.skip('setpriv is needed to drop root');
    wrap = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
    fs.chmodSync(dir, 0o755);
    // nobody may not reach the checkout (a clone in a mode-0700 temporary
    // directory, say): give it its own copies of the program and the data
    const bin = path.join(dir, 'slated');
    fs.copyFileSync(SLATED, bin);
    fs.chmodSync(bin, 0o755);
    for (const d of ['knowledge', 'patterns']) {
      fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
      extra.push(`--${d}`, path.join(dir, d));
    }
    prog = bin;
  }
  // a database file slated may read but not write
  fs.writeFileSync(db, '');
  fs.chmodSync(db, 0o444);
  if (process.getuid() !== 0) fs.chmodSync(dir, 0o555);
  const r = run(['--db', db, ...extra], wrap, undefined, prog);
  if (process.getuid() !== 0) fs.chmodSync(dir, 0o755);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /error cannot open the session store: .*slate\.db: .*read-only/);
  assert.doesNotMatch(r.stderr, /listening on/);
  // a directory that does not exist
  const r2 = run(['--db', path.join(dir, 'no', 'such', 'slate.db')]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /cannot open the session store: .*No such file or directory.*check that the directory exists/);
});

test('a full disk at start: a clear message and exit 1', (t) => {
  if (!has('prlimit')) return t.skip('prlimit (util-linux) is needed to limit the file size');
  const dir = tmpdir();
  // a file size limit of 1000 bytes fails the first write as a full disk does
  const r = run(['--db', path.join(dir, 'slate.db')], ['prlimit', '--fsize=1000:unlimited', '--']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot open the session store: .*slate\.db: .*the disk is full/);
});

test('the disk fills up at run time: answers go on, marked "stored": false, /healthz and the log say so, then recovery', async (t) => {
  if (!has('prlimit')) return t.skip('prlimit (util-linux) is needed to limit the file size');
  const dir = tmpdir();
  // --history at its largest: a resume sends back only the latest turns,
  // and the journal fits a few hundred turns in the 256 KB before the
  // disk is full, every one of which must come back
  const args = ['--rate', '100000', '--burst', '10000', '--history', '1000'];
  // 256 KB of files: enough to start, soon too little for the journal
  let s = await startSlated({ dir, args, wrap: ['prlimit', '--fsize=262144:unlimited', '--'] });
  let lifted = false;
  try {
    const c = await Client.connect(s.url);
    const token = (await c.hello(null)).session;
    const replies = [];
    let r;
    for (let i = 0; i < 2000; i++) {
      r = await c.ask(['what does a producer do?', 'what does a line producer do?', 'how do I become a co-producer?'][i % 3], `d${i}`);
      assert.equal(r.type, 'reply', JSON.stringify(r));
      replies.push(r);
      if (r.stored === false) break;
    }
    assert.equal(r.stored, false, 'the disk filled up');
    // answering goes on, and says so
    for (let i = 0; i < 3; i++) {
      const more = await c.ask('what does an executive producer do?', newId());
      assert.equal(more.type, 'reply');
      assert.equal(more.kind, 'answer');
      assert.equal(more.stored, false);
    }
    const h = JSON.parse((await httpGet(`${s.base}/healthz`)).body);
    assert.equal(h.status, 'degraded');
    assert.equal(h.storage.saving, false);
    assert.match(h.storage.state, /^error: .*(full|I\/O|disk)/);
    await s.waitLog(/warn  storage failing, answering without storage until it recovers/);
    assert.equal(s.log.match(/storage failing/g).length, 1, 'said once, not once per answer');
    // a new conversation starts too (its small first write may still
    // fit: stored or not, it is answered)
    const c2 = await Client.connect(s.url);
    const w2 = await c2.hello(null);
    assert.equal(w2.type, 'welcome');
    assert.equal((await c2.ask('what does a line producer do?', newId())).type, 'reply');
    await c2.close();
    // room again: the next answer is stored, and everything is back to ok
    const p = spawnSync('prlimit', ['--pid', String(s.proc.pid), '--fsize=unlimited']);
    assert.equal(p.status, 0, String(p.stderr));
    lifted = true;
    const ok = await c.ask('what does a unit production manager do?', newId());
    assert.equal(ok.stored, undefined);
    replies.push(ok);
    const h2 = JSON.parse((await httpGet(`${s.base}/healthz`)).body);
    assert.equal(h2.status, 'ok');
    assert.equal(h2.storage.saving, true);
    await s.waitLog(/info  storage recovered/);
    await c.close();
    assert.equal((await s.stop()).code, 0, s.log);
    // what was stored is whole; what was not stored said so
    const ic = integrity(s.db);
    if (ic !== null) assert.equal(ic, 'ok');
    s = await startSlated({ dir, args });
    const c3 = await Client.connect(s.url);
    const w = await c3.hello(token);
    assert.equal(w.resumed, true);
    const stored = new Map(w.history.filter((x) => x.from === 'bot').map((x) => [x.re, x.text]));
    const kept = replies.filter((m) => m.stored !== false).length;
    assert.ok(kept <= 1000, `${kept} stored replies: more than one resume sends back`);
    for (const m of replies) {
      if (m.stored !== false) assert.equal(stored.get(m.re), m.text, `reply ${m.re} is in the history`);
    }
    await c3.close();
  } finally {
    if (!lifted) spawnSync('prlimit', ['--pid', String(s.proc.pid), '--fsize=unlimited']);
    await s.stop();
  }
});
