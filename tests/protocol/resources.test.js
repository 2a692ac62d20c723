// resources.test.js - what slated holds on to: descriptors and memory come
// back to their baseline after 10,000 connect/disconnect cycles; a reader
// that never reads cannot make it buffer without bound (TCP pushes back);
// 1,000 messages sent at once under a generous rate limit are each
// answered once, in order; a pattern that backtracks without end is cut
// short by the PCRE2 limits, answered as a normal fallback, and counted in
// /metrics (also across a reload); /metrics shows the process' descriptors
// and memory.  SLATE_TEST_SCALE (default 1) scales the counts down for slow
// runs such as valgrind (tests/valgrind.sh).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, Client, startSlated, tmpdir, newId, httpGet, metric, procStats, sleep, SLOW, VALGRIND } = require('./helpers');

const SCALE = Number(process.env.SLATE_TEST_SCALE || 1);
let s;

before(async () => {
  // ASan keeps freed memory in quarantine, which would hide the baseline
  const asan = `${process.env.ASAN_OPTIONS || ''}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0`;
  s = await startSlated({ args: ['--rate', '100000', '--burst', '10000', '--max-conns-per-ip', '100'],
    env: { ASAN_OPTIONS: asan } });
});
after(async () => { assert.equal((await s.stop()).code, 0, s.log); });

async function metrics() {
  return (await httpGet(`${s.base}/metrics`)).body;
}

test('10,000 connect/disconnect cycles: descriptors and memory come back to their baseline', async () => {
  const n = Math.round(10000 * SCALE);
  const pid = s.proc.pid;
  let done = 0;
  const run = async (count) => {
    for (const end = done + count; done < end; done += 20) {
      await Promise.all(Array.from({ length: 20 }, async () => {
        const c = await Client.connect(s.url);
        await c.close();
      }));
    }
  };
  // warm up: allocator pools and lws tables reach their working size
  await run(Math.max(200, Math.round(n / 10)));
  await sleep(300);
  const base = procStats(pid);
  await run(n);
  await sleep(300);
  const end = procStats(pid);
  assert.equal(end.fds, base.fds, `descriptors ${base.fds} -> ${end.fds}`);
  // (under valgrind its own bookkeeping is resident too: valgrind checks
  // the heap itself there)
  if (!VALGRIND) assert.ok(end.rss - base.rss < 1024, `resident memory ${base.rss} kB -> ${end.rss} kB`);
  const m = await metrics();
  assert.equal(metric(m, 'slated_connections_open'), 0);
  assert.ok(metric(m, 'slated_connections_total') >= n);
  assert.ok(Math.abs(metric(m, 'process_open_fds') - end.fds) <= 2, `process_open_fds ${metric(m, 'process_open_fds')}, /proc ${end.fds}`);
  assert.ok(metric(m, 'process_resident_memory_bytes') > 1e6);
  console.log(`# ${n} cycles: fds ${base.fds} -> ${end.fds}, rss ${base.rss} -> ${end.rss} kB`);
});

test('a client that sends without reading cannot make slated buffer without bound', async () => {
  const pid = s.proc.pid;
  const c = await Client.connect(s.url);
  await c.hello(null);
  const m0 = await metrics();
  const base = procStats(pid).rss;
  c.ws._socket.pause();           // stop reading: answers pile up in TCP
  const n = Math.round(20000 * SCALE);
  const q = JSON.stringify({ type: 'ask', id: 'x', text: 'what does an executive producer do and how is that different from a producer?' });
  for (let i = 0; i < n; i++) c.ws.send(q.replace('"x"', `"s${i}"`));
  await sleep(2000 * Math.min(SLOW, 5));
  const m1 = await metrics();
  const asked = metric(m1, 'slated_messages_total{type="ask"}') - metric(m0, 'slated_messages_total{type="ask"}');
  const grew = procStats(pid).rss - base;
  // slated stopped reading once the socket's buffers were full: most of
  // the questions are still in TCP, not in slated's memory (scaled down
  // for valgrind, they all fit in the buffers: the memory check is
  // valgrind's own there)
  if (!VALGRIND) assert.ok(asked < n, `${asked} of ${n} questions read`);
  if (!VALGRIND) assert.ok(grew < 4096, `resident memory grew by ${grew} kB`);
  // everyone else is served meanwhile
  const other = await Client.connect(s.url);
  assert.equal((await other.ask('what does a producer do?', newId())).type, 'reply');
  await other.close();
  assert.equal(JSON.parse((await httpGet(`${s.base}/healthz`)).body).status, 'ok');
  // reading again, the answers come, in order
  c.ws._socket.resume();
  for (let i = 0; i < Math.min(n, 200); i++) assert.equal((await c.next(10000 * SLOW)).re, `s${i}`);
  c.ws.terminate();
  console.log(`# slow reader: ${asked} of ${n} questions read while it did not read, rss +${grew} kB`);
});

test('1,000 messages at once, under a generous rate limit: each answered once, in order', async () => {
  const c = await Client.connect(s.url);
  const w = await c.hello(null);
  const n = Math.round(1000 * SCALE);
  for (let i = 0; i < n; i++) c.send({ type: 'ask', id: `p${i}`, text: i % 2 ? 'thanks' : 'what does a line producer do?' });
  for (let i = 0; i < n; i++) {
    const r = await c.next(10000 * SLOW);
    assert.equal(r.type, 'reply');
    assert.equal(r.re, `p${i}`);
    assert.equal(r.session, w.session);
  }
  await sleep(100);
  assert.equal(c.queue.length, 0, 'nothing more');
  await c.close();
});

test('a pattern that backtracks without end hits the PCRE2 limit: a normal fallback, counted in /metrics, also across a reload', async () => {
  const top = tmpdir();
  const pat = path.join(top, 'patterns');
  fs.cpSync(path.join(ROOT, 'patterns'), pat, { recursive: true });
  const off = path.join(pat, 'offtopic.txt');
  // only a long run of one letter sets it off, and nothing ever matches:
  // the conversation tests a reload runs still pass
  fs.writeFileSync(off, fs.readFileSync(off, 'utf8').replace('[general]\n', '[general]\n(?:a|a){20,}\\x01\n'));
  const r = await startSlated({ dir: top, args: ['--patterns', pat] });
  try {
    const c = await Client.connect(r.url);
    const t0 = Date.now();
    const a = await c.ask('a'.repeat(400) + 'c', newId());
    assert.ok(Date.now() - t0 < 1000 * SLOW, `answered in ${Date.now() - t0} ms`);
    assert.equal(a.type, 'reply');
    assert.equal(a.kind, 'fallback');
    const hits = metric((await httpGet(`${r.base}/metrics`)).body, 'slated_regex_limit_hits_total');
    assert.ok(hits >= 1, `${hits} hits`);
    // a reload swaps the engine; the counter does not go back
    r.proc.kill('SIGHUP');
    await r.waitLog(/reload: "kb-|reload refused/, 60000);
    assert.match(r.log, /reload: "kb-/);
    const after = metric((await httpGet(`${r.base}/metrics`)).body, 'slated_regex_limit_hits_total');
    assert.ok(after >= hits, `${hits} -> ${after}`);
    assert.equal((await c.ask('what does a producer do?', newId())).kind, 'answer');
    await c.close();
  } finally {
    assert.equal((await r.stop()).code, 0, r.log);
  }
});
