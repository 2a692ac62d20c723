// limits.test.js - the safety limits and the HTTP side: Origin allowlist
// (refused before the upgrade, same-origin and --allow-origin accepted),
// wrong path, oversized message (1009), fragmented messages, connections in
// total and per address (503/429), idle timeout, ping timeout, loopback-only
// bind, static files with security headers and no path escapes, /healthz,
// /metrics content, HEAD and other methods.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { Client, startSlated, webRoot, newId, httpGet, rawGet, metric, sleep, SLOW } = require('./helpers');

let s, web, top;
before(async () => {
  ({ top, web } = webRoot({ 'widget.js': 'console.log("widget");\n' }));
  s = await startSlated({
    dir: top,
    args: ['--web', web, '--allow-origin', 'https://school.example', '--max-frame', '2048',
      '--max-conns', '5', '--max-conns-per-ip', '3', '--idle', '2', '--ping', '1'],
  });
});
after(async () => { assert.equal((await s.stop()).code, 0, s.log); });

test('a foreign Origin is refused with 403 before the upgrade', async () => {
  await assert.rejects(Client.connect(s.url, { origin: 'https://evil.example' }), (e) => e.status === 403);
  await assert.rejects(Client.connect(s.url, { origin: 'null' }), (e) => e.status === 403);
  await s.waitLog(/origin "https:\/\/evil.example" not allowed/);
});

test('same-origin, allow-listed and Origin-less clients are accepted', async () => {
  for (const origin of [`http://127.0.0.1:${s.port}`, 'https://school.example', undefined]) {
    const c = await Client.connect(s.url, origin ? { origin } : {});
    assert.equal((await c.hello(null)).type, 'welcome');
    await c.close();
  }
});

test('WebSocket only at /chat', async () => {
  await assert.rejects(Client.connect(`ws://127.0.0.1:${s.port}/other`), (e) => e.status === 404);
});

test('an oversized message closes with 1009; a fragmented one within the limit is fine', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  const msg = JSON.stringify({ type: 'ask', id: 'frag', text: 'what does a line producer do?' });
  c.ws.send(msg.slice(0, 10), { fin: false });
  c.ws.send(msg.slice(10), { fin: true });
  const r = await c.next();
  assert.equal(r.re, 'frag');
  assert.equal(r.type, 'reply');
  c.send(JSON.stringify({ type: 'ask', id: 'big', text: 'x'.repeat(3000) }));
  assert.equal((await c.closed).code, 1009);
  // the same size in fragments is caught too
  const c2 = await Client.connect(s.url);
  for (let i = 0; i < 4; i++) c2.ws.send('x'.repeat(700), { fin: i === 3 });
  assert.equal((await c2.closed).code, 1009);
});

test('connections are limited per address (429) and in total (503)', async () => {
  const open = [];
  for (let i = 0; i < 3; i++) open.push(await Client.connect(s.url));
  await assert.rejects(Client.connect(s.url), (e) => e.status === 429);
  // other loopback addresses are other clients
  open.push(await Client.connect(s.url, { localAddress: '127.0.0.2' }));
  open.push(await Client.connect(s.url, { localAddress: '127.0.0.2' }));
  await assert.rejects(Client.connect(s.url, { localAddress: '127.0.0.3' }), (e) => e.status === 503);
  for (const c of open) await c.close();
  await sleep(50);
  const c = await Client.connect(s.url);
  await c.close();
});

test('an idle connection is closed with 1000 after --idle seconds; talking keeps it open', async () => {
  const quiet = await Client.connect(s.url);
  const talker = await Client.connect(s.url);
  const t0 = Date.now();
  const timer = setInterval(() => talker.send({ type: 'ask', id: newId(), text: 'thanks' }), 700);
  const cl = await quiet.closed;
  clearInterval(timer);
  assert.equal(cl.code, 1000);
  assert.equal(cl.reason, 'idle timeout');
  const took = Date.now() - t0;
  assert.ok(took >= 1800 && took < 4000 * SLOW, `closed after ${took} ms`);
  assert.equal(talker.closeInfo, undefined, 'the talking client is still connected');
  await talker.close();
});

test('a client that does not answer pings is dropped', async () => {
  const c = await Client.connect(s.url, { autoPong: false });
  const t0 = Date.now();
  const cl = await c.closed;
  assert.ok(Date.now() - t0 < 4000 * SLOW);
  assert.ok(cl.code === 1006 || cl.code === 1000 || cl.code === 1001, `code ${cl.code}`);
});

test('listens on the loopback address given, not on every address', async () => {
  const refused = await new Promise((resolve) => {
    const sock = net.connect({ port: s.port, host: '127.0.0.2' });
    sock.on('connect', () => { sock.destroy(); resolve(false); });
    sock.on('error', () => resolve(true));
  });
  assert.ok(refused, 'nothing listens on 127.0.0.2');
});

test('static files come with the security headers', async () => {
  const r = await httpGet(`${s.base}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /text\/html/);
  assert.match(r.body, /<title>demo<\/title>/);
  assert.match(r.headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(r.headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  const js = await httpGet(`${s.base}/widget.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  assert.equal(js.headers['x-content-type-options'], 'nosniff');
  const missing = await httpGet(`${s.base}/nope.js`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['x-content-type-options'], 'nosniff');
});

test('no path escapes web/', async () => {
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt',
    '/./../secret.txt', '//../secret.txt', '/web/../../secret.txt', '/..\\secret.txt']) {
    const res = await rawGet(s.port, p);
    assert.match(res, /^HTTP\/1\.1 [45]\d\d /, `GET ${p} is refused`);
    assert.doesNotMatch(res, /TOP-SECRET/, `GET ${p}`);
  }
});

test('/healthz reports status, uptime, knowledge version and storage', async () => {
  const r = await httpGet(`${s.base}/healthz`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /application\/json/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  const h = JSON.parse(r.body);
  assert.equal(h.status, 'ok');
  assert.equal(typeof h.uptime, 'number');
  assert.match(h.version, /^kb-/);
  assert.equal(h.storage.state, 'ok');
  assert.equal(typeof h.storage.sessions, 'number');
  assert.equal(typeof h.connections, 'number');
  const head = await httpGet(`${s.base}/healthz`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const post = await httpGet(`${s.base}/metrics`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain', 'content-length': '3' } });
  assert.equal(post.status, 405);
  assert.match(post.headers.allow, /GET/);
});

test('/metrics counts connections, messages by kind and intent, fallbacks, errors, latency, sessions', async () => {
  const c = await Client.connect(s.url);
  await c.hello(null);
  await c.ask('what does a line producer do?', newId());
  await c.ask('how do I bake sourdough bread at home?', newId());
  c.send('{oops');
  await c.next();
  const r = await httpGet(`${s.base}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /text\/plain; version=0.0.4/);
  const m = r.body;
  assert.ok(metric(m, 'slated_connections_open') >= 1);
  assert.ok(metric(m, 'slated_messages_total{type="ask"}') >= 2);
  assert.ok(metric(m, 'slated_replies_total{kind="answer",intent="duties"}') >= 1);
  assert.ok(metric(m, 'slated_fallbacks_total') >= 1);
  assert.ok(metric(m, 'slated_errors_total{code="bad_json"}') >= 1);
  assert.ok(metric(m, 'slated_connections_refused_total{reason="origin"}') >= 1);
  assert.ok(metric(m, 'slated_reply_seconds_count') >= 2);
  assert.ok(metric(m, 'slated_reply_seconds_bucket{le="+Inf"}') >= 2);
  assert.ok(metric(m, 'slated_sessions_stored') >= 1);
  assert.match(m, /# TYPE slated_reply_seconds histogram/);
  assert.match(m, /slated_knowledge_info\{version="kb-[0-9a-f]+-p[0-9a-f]+"\} 1/);
  await c.close();
});
