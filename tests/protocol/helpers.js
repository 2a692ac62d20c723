// helpers.js - start a real slated on a free port with a temporary database,
// and a small promise-based WebSocket client for the protocol tests.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const WebSocket = require('ws');

const ROOT = process.env.SLATE_ROOT || path.resolve(__dirname, '..', '..');
const SLATED = process.env.SLATED || path.join(ROOT, 'build', 'slated');
const SLATE = process.env.SLATE || path.join(path.dirname(SLATED), 'slate');
// SLATED_VALGRIND=<dir>: every slated started here runs under valgrind
// memcheck, logging to <dir>/slated.<pid>.log, and stop() fails on any
// error or leak it reports (tests/valgrind.sh).  Everything is slower then:
// SLOW scales the time limits of the tests.
const VALGRIND = process.env.SLATED_VALGRIND || '';
const SLOW = VALGRIND ? 20 : 1;
const VALGRIND_ARGS = ['valgrind', '--tool=memcheck', '--leak-check=full', '--show-leak-kinds=definite,indirect',
  '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', '--num-callers=30',
  `--suppressions=${path.join(__dirname, '..', 'valgrind.supp')}`, `--log-file=${VALGRIND}/slated.%p.log`];

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'slated-test-'));
}

// A --web directory inside a fresh top directory that also holds
// secret.txt, a file no request may reach: { top, web }.  files: more
// files for web/, by name.
function webRoot(files = {}) {
  const top = tmpdir();
  const web = path.join(top, 'web');
  fs.mkdirSync(web);
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>demo</title>\n');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(web, name), text);
  fs.writeFileSync(path.join(top, 'secret.txt'), 'TOP-SECRET\n');
  return { top, web };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond, ms, what) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${typeof what === 'function' ? what() : what}`);
    await sleep(10);
  }
}

// Start slated; resolves once it logs that it is listening.  opts.dir keeps
// the database between restarts, opts.port reuses a port.
async function startSlated(opts = {}) {
  const dir = opts.dir || tmpdir();
  const port = opts.port || (await freePort());
  // opts.db === false: no --db, so the default (slate.db in the cwd) is used
  const db = opts.db === false ? path.join(opts.cwd || ROOT, 'slate.db') : path.join(dir, 'slate.db');
  const args = ['--port', String(port), ...(opts.db === false ? [] : ['--db', db]), ...(opts.args || [])];
  const env = opts.env ? { ...process.env, ...opts.env } : process.env;
  // opts.wrap: a command that execs slated, e.g. ['prlimit', '--fsize=N', '--']
  const cmd = [...(opts.wrap || []), ...(VALGRIND ? VALGRIND_ARGS : []), SLATED, ...args];
  const proc = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd || ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
  const s = {
    port, dir, db, proc, log: '', exited: null,
    url: `ws://127.0.0.1:${port}/chat`,
    base: `http://127.0.0.1:${port}`,
  };
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { s.log += d; if (process.env.SLATED_LOG) process.stderr.write(d); });
  s.exit = new Promise((resolve) => proc.on('exit', (code, signal) => { s.exited = { code, signal }; resolve(s.exited); }));
  // opts.quiet: a log level that leaves out "listening on"; wait for the port
  if (opts.quiet) {
    let open = false;
    const probe = () => {
      const sock = net.connect(port, '127.0.0.1', () => { open = true; sock.destroy(); });
      sock.on('error', () => { if (!open && !s.exited) setTimeout(probe, 20); });
    };
    probe();
    await waitFor(() => open || s.exited, 10000 * SLOW, () => `slated start\n${s.log}`);
  } else {
    await waitFor(() => s.log.includes('listening on') || s.exited, 10000 * SLOW, () => `slated start\n${s.log}`);
  }
  if (s.exited) throw new Error(`slated exited ${JSON.stringify(s.exited)}\n${s.log}`);
  s.waitLog = (re, ms = 10000) => waitFor(() => re.test(s.log), ms * SLOW, () => `log ${re}\n${s.log}`);
  // SIGTERM; resolves with {code, signal, ms}
  s.stop = async (sig = 'SIGTERM') => {
    if (s.exited) return s.exited;
    const t0 = Date.now();
    proc.kill(sig);
    const r = await s.exit;
    const ms = Date.now() - t0;
    // a sanitizer build (cmake -DSLATE_SANITIZE=ON) reports on stderr
    if (/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:/.test(s.log)) {
      throw new Error(`sanitizer report from slated:\n${s.log}`);
    }
    valgrindCheck(s);
    return { ...r, ms };
  };
  return s;
}

// Under valgrind: the report of a slated that exited must say 0 errors
// (leaks count as errors).  A slated killed with SIGKILL leaves no report.
function valgrindCheck(s) {
  if (!VALGRIND || s.exited.signal === 'SIGKILL') return;
  const file = path.join(VALGRIND, `slated.${s.proc.pid}.log`);
  const report = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (!/ERROR SUMMARY: 0 errors/.test(report)) {
    throw new Error(`valgrind report from slated (${file}):\n${report}\n${s.log}`);
  }
  s.valgrind = report;
}

// A WebSocket client whose messages are read with await next().
class Client {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.received = [];
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        for (const w of this.waiters.splice(0)) w.reject(new Error(`closed ${code} ${reason}`));
      });
    });
    ws.on('message', (data, isBinary) => {
      const m = isBinary ? { binary: data } : JSON.parse(data.toString());
      this.received.push(m);
      const w = this.waiters.shift();
      if (w) w.resolve(m); else this.queue.push(m);
    });
    ws.on('error', () => {});
  }

  static connect(url, opts = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      const c = new Client(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (req, res) => {
        const e = new Error(`HTTP ${res.statusCode}`);
        e.status = res.statusCode;
        reject(e);
      });
      ws.once('error', reject);
    });
  }

  send(obj) { this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)); }

  next(ms = 5000 * SLOW) {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.closeInfo) return Promise.reject(new Error(`closed ${this.closeInfo.code}`));
    return new Promise((resolve, reject) => {
      const w = { resolve, reject };
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('no message within ' + ms + ' ms'));
      }, ms);
      w.resolve = (m) => { clearTimeout(t); resolve(m); };
      w.reject = (e) => { clearTimeout(t); reject(e); };
      this.waiters.push(w);
    });
  }

  async hello(session = null) {
    this.send({ type: 'hello', session });
    return this.next();
  }

  async ask(text, id) {
    this.send({ type: 'ask', id, text });
    return this.next();
  }

  close() { this.ws.close(); return this.closed; }
}

let idn = 0;
const newId = () => `q${process.pid}-${++idn}`;

function httpGet(url, opts = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method || 'GET', headers: opts.headers, agent: false, localAddress: opts.localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

// One raw HTTP/1.1 request, path sent exactly as given (no normalising).
function rawGet(port, reqPath, localAddress) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress }, () => {
      sock.write(`GET ${reqPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', reject);
    sock.setTimeout(5000, () => { sock.destroy(); resolve(data); });
  });
}

// PRAGMA integrity_check of a database (slated may be running: WAL lets
// readers in), with the sqlite3 shell or else python3; null if neither.
function integrity(db) {
  let r = spawnSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
  if (r.status === 0) return r.stdout.trim();
  r = spawnSync('python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])', db], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// One SQL query's rows as arrays of strings (sqlite3 shell or python3).
function query(db, sql) {
  let r = spawnSync('sqlite3', ['-separator', '\t', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) {
    r = spawnSync('python3', ['-c', 'import sqlite3,sys\nfor row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("\\t".join(map(str,row)))', db, sql], { encoding: 'utf8' });
  }
  if (r.status !== 0) return null;
  return r.stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// A process's open descriptors and resident memory (kB), from /proc.
function procStats(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    rss: Number(status.match(/VmRSS:\s+(\d+)/)[1]),
  };
}

// Prometheus text: value of one series, e.g. metric(text, 'slated_errors_total{code="bad_json"}').
function metric(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

module.exports = { ROOT, SLATED, SLATE, VALGRIND, SLOW, Client, startSlated, tmpdir, webRoot, freePort, sleep, waitFor, newId, httpGet, rawGet, metric, integrity, query, procStats };
