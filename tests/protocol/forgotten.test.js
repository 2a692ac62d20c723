// forgotten.test.js - forget and the retention purge really delete: the
// files themselves (the journal's segments, the database and its -wal) are
// read, byte by byte, and the text of a forgotten or purged session is in
// none of them, while a session that was kept is still there (so the
// files read are the right ones).  Also: with no traffic after the forget,
// the segment that held the text still goes.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client, startSlated, tmpdir, newId, waitFor, httpGet, SLOW } = require('./helpers');

// A word no answer contains, in a question the engine answers (a fallback
// would be kept for `slate unanswered`, not tied to the session).
const marker = (what) => `zq${what}${crypto.randomBytes(6).toString('hex')}`;
const QS = ['what does a producer do?', 'what does a line producer do?', 'how do I become a co-producer?'];

// The storage files beside the database: name -> bytes.
function files(db) {
  const dir = path.dirname(db);
  const base = path.basename(db);
  const out = {};
  for (const f of fs.readdirSync(dir)) {
    if (f === base || f.startsWith(`${base}-`) || f.startsWith(`${base}.jnl.`)) out[f] = fs.readFileSync(path.join(dir, f));
  }
  return out;
}

// The files that hold s, by name.
function holding(db, s) {
  return Object.entries(files(db)).filter(([, b]) => b.includes(Buffer.from(s))).map(([f]) => f);
}

// Talk: each question with the marker in it, all answered and stored.
async function talk(c, mark, n = 6) {
  for (let i = 0; i < n; i++) {
    const r = await c.ask(`${QS[i % QS.length]} ${mark}`, newId());
    assert.equal(r.type, 'reply');
    assert.notEqual(r.kind, 'fallback', r.text);
    assert.notEqual(r.stored, false);
  }
}

async function backlog(s) {
  return JSON.parse((await httpGet(`${s.base}/healthz`)).body).storage.backlog;
}

test('forget: the text leaves the journal, the database and its WAL, with no traffic after it', async () => {
  const dir = tmpdir();
  const s = await startSlated({ dir });
  try {
    const gone = marker('gone');
    const kept = marker('kept');
    const a = await Client.connect(s.url);
    const b = await Client.connect(s.url);
    await a.hello(null);
    await b.hello(null);
    await talk(a, gone);
    await talk(b, kept);
    // both in SQLite (and the WAL) and in the journal first: compacted
    await waitFor(async () => (await backlog(s)) === 0, 10000 * SLOW, 'compaction');
    assert.ok(holding(s.db, gone).length > 0, 'the text is on disk before the forget');
    // more of it only in the journal, then the forget
    await talk(a, gone, 2);
    a.send({ type: 'forget', id: 'f1' });
    assert.equal((await a.next()).type, 'forgotten');
    await waitFor(() => holding(s.db, gone).length === 0, 10000 * SLOW,
      () => `forgotten text still in ${holding(s.db, gone).join(', ')}`);
    assert.ok(holding(s.db, kept).length > 0, 'the kept session is still on disk');
    const b2 = await b.hello(null);
    assert.equal(b2.type, 'welcome');
    await a.close();
    await b.close();
  } finally {
    assert.equal((await s.stop()).code, 0, s.log);
  }
});

function sql(db, statement) {
  const r = spawnSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', db, statement], { encoding: 'utf8' });
  return r.status === 0;
}

test('retention purge: an idle session\'s text leaves the database and its WAL', async (t) => {
  const dir = tmpdir();
  const args = ['--session-days', '2'];
  let s = await startSlated({ dir, args });
  const old = marker('old');
  const fresh = marker('fresh');
  let token;
  try {
    const a = await Client.connect(s.url);
    token = (await a.hello(null)).session;
    await talk(a, old);
    await a.close();
    const b = await Client.connect(s.url);
    await b.hello(null);
    await talk(b, fresh);
    await b.close();
  } finally {
    assert.equal((await s.stop()).code, 0, s.log);
  }
  assert.ok(holding(s.db, old).length > 0, 'the text is on disk before the purge');
  if (!sql(s.db, `UPDATE sessions SET seen = seen - ${3 * 86400 * 1000} WHERE token = '${token}'`)) {
    t.skip('python3 with sqlite3 is needed to age a session');
    return;
  }
  s = await startSlated({ dir, port: s.port, args });
  try {
    await s.waitLog(/1 idle sessions purged/);
    await waitFor(() => holding(s.db, old).length === 0, 10000 * SLOW,
      () => `purged text still in ${holding(s.db, old).join(', ')}`);
    assert.ok(holding(s.db, fresh).length > 0, 'the kept session is still on disk');
    const c = await Client.connect(s.url);
    assert.equal((await c.hello(token)).resumed, false);
    await c.close();
  } finally {
    assert.equal((await s.stop()).code, 0, s.log);
  }
  assert.deepEqual(holding(s.db, old), [], 'nor after a clean stop');
});
