// kill9.test.js - kill -9 under load at full rate, ten times in a row, on
// the same database and journal: after each kill every client resumes its
// session, every reply it has ever received is in its resumed history
// with the same text, the question it had in flight when the daemon died
// is resent (answered from storage if its turn was journaled, else now),
// and no id is ever answered twice: each appears once in the history,
// and the last reply before the kill, resent, comes back as a repeat.
// SLATE_TEST_SCALE scales the clients and the replies per round.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Client, startSlated, tmpdir, integrity, waitFor, SLOW } = require('./helpers');

const SCALE = Number(process.env.SLATE_TEST_SCALE || 1);
const ROUNDS = 10;
const QS = ['what does a producer do?', 'what about a co-producer?', 'how do I become a line producer?',
  'what does an executive producer earn?', 'who does a upm report to?', 'and in theater?',
  'where do I start?', 'then what?', 'how is a producer credit earned?', 'music'];

// Every client asks as fast as it is answered until the daemon is gone;
// c.inflight is the question sent and not yet answered.
async function talk(c, i, round) {
  for (let k = 0; ; k++) {
    const q = { id: `c${i}-r${round}-${k}`, text: QS[(i + k + round) % QS.length] };
    c.inflight = q;
    let m;
    try {
      m = await c.ask(q.text, q.id);
    } catch {
      return;             // killed: q may or may not be journaled
    }
    c.inflight = null;
    assert.equal(m.type, 'reply', JSON.stringify(m));
    assert.notEqual(m.stored, false, `reply ${q.id} stored`);
    c.got.set(m.re, m.text);
    c.last = m;
  }
}

// The history's bot entries by id; each id exactly once.
function byId(history, who) {
  const map = new Map();
  for (const h of history) {
    if (h.from !== 'bot') continue;
    assert.ok(!map.has(h.re), `${who}: id ${h.re} answered twice`);
    map.set(h.re, h.text);
  }
  return map;
}

test('kill -9 under full-rate load ten times in a row: every reply received is in the resumed history, no id answered twice', async () => {
  const dir = tmpdir();
  const args = ['--rate', '0', '--max-conns-per-ip', '200', '--history', '1000'];
  const n = Math.max(4, Math.round(16 * SCALE));
  const want = Math.max(40, Math.round(240 * SCALE));
  const sessions = Array.from({ length: n }, () => ({ token: null, got: new Map() }));
  let port;
  let total = 0;
  let resent = 0;
  let journaled = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const s = await startSlated({ dir, port, args });
    port = s.port;
    const clients = [];
    try {
      for (let i = 0; i < n; i++) {
        const ses = sessions[i];
        const c = await Client.connect(s.url);
        const w = await c.hello(ses.token);
        assert.equal(w.type, 'welcome');
        if (ses.token) {
          assert.equal(w.resumed, true, `round ${round}: session ${i} resumes`);
          assert.equal(w.session, ses.token);
          const hist = byId(w.history, `round ${round}, session ${i}`);
          for (const [re, text] of ses.got) assert.equal(hist.get(re), text, `round ${round}, session ${i}: reply ${re} is in the history`);
          // the question in flight at the kill, resent: answered once
          if (ses.inflight) {
            const m = await c.ask(ses.inflight.text, ses.inflight.id);
            assert.equal(m.type, 'reply');
            if (hist.has(m.re)) {
              assert.equal(m.repeat, true, `in-flight ${m.re} was journaled: a repeat`);
              assert.equal(m.text, hist.get(m.re));
              journaled++;
            }
            ses.got.set(m.re, m.text);
            resent++;
          }
          // the last reply received, resent: the stored one, marked
          if (ses.last) {
            const m = await c.ask('a different question', ses.last.re);
            assert.equal(m.repeat, true, `round ${round}: ${ses.last.re} resent is a repeat`);
            assert.equal(m.text, ses.last.text);
          }
        }
        ses.token = w.session;
        c.got = ses.got;
        c.last = null;
        clients.push(c);
      }
      if (round === ROUNDS) break;       // the last round only checks
      const before = clients.reduce((a, c) => a + c.got.size, 0);
      const talking = clients.map((c, i) => talk(c, i, round));
      await waitFor(() => clients.reduce((a, c) => a + c.got.size, 0) - before >= want, 30000 * SLOW, `replies in round ${round}`);
      s.proc.kill('SIGKILL');
      await s.exit;
      await Promise.all(talking);
      for (const c of clients) await c.closed;
      total += clients.reduce((a, c) => a + c.got.size, 0) - before;
      clients.forEach((c, i) => {
        sessions[i].inflight = c.inflight;
        if (c.last) sessions[i].last = c.last;
      });
      const ic = integrity(s.db);
      if (ic !== null) assert.equal(ic, 'ok', `round ${round}: integrity_check`);
    } finally {
      for (const c of clients) c.ws.terminate();
      if (!s.exited) assert.equal((await s.stop()).code, 0, s.log);
    }
  }
  console.log(`# kill -9 x${ROUNDS}: ${n} sessions, ${total} replies received, ${resent} in-flight questions resent (${journaled} of them journaled before the kill: repeats), all in their histories once`);
});
