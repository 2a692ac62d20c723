// Shared helpers for the widget's browser tests: a real slated on a free
// port with a temporary database, and Debian's chromium driven by
// playwright-core with a fresh profile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'tests/browser/screenshots');
export const SLATED = process.env.SLATED || path.join(ROOT, 'build/slated');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SKIP = fs.existsSync(SLATED) ? false
  : `${process.env.SLATED ? SLATED : 'build/slated'} not found: build it first (cmake -S . -B build && cmake --build build)`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(fn, { timeout = 8000, every = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(every);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/* One slated: start() and stop() may be called repeatedly (same port, same db);
 * args are added to its command line. */
export class Slated {
  constructor(args = []) {
    this.args = args;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slate-browser-'));
    this.db = path.join(this.dir, 'slate.db');
    this.log = '';
    this.proc = null;
  }
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    this.port = this.port || await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--web', path.join(ROOT, 'web'),
      '--db', this.db, '--knowledge', path.join(ROOT, 'knowledge'), '--patterns', path.join(ROOT, 'patterns'), ...this.args];
    const p = spawn(SLATED, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    p.exited = new Promise((r) => p.on('exit', (code, sig) => r({ code, sig })));
    const add = (b) => { this.log = (this.log + b).slice(-20000); };
    p.stdout.on('data', add);
    p.stderr.on('data', add);
    await until(async () => {
      if (p.exitCode != null) throw new Error(`slated exited ${p.exitCode}:\n${this.log}`);
      const r = await fetch(`${this.url}/healthz`).catch(() => null);
      return r && r.ok;
    }, { timeout: 10000, what: `slated on port ${this.port}` }).catch((e) => {
      throw new Error(`${e.message}\n--- slated log ---\n${this.log}`);
    });
  }
  async stop() {
    const p = this.proc;
    if (!p || p.exitCode != null || p.signalCode) return p && { code: p.exitCode, sig: p.signalCode };
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    const r = await p.exited;
    clearTimeout(t);
    this.proc = null;
    return r;
  }
  async cleanup() {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
];

/* A persistent context on a fresh user data dir, as the project's CI does it. */
export async function launch(vp, extra = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slate-chromium-'));
  const { name, ...opts } = vp;
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    acceptDownloads: true,
    ...opts,
    ...extra,
  });
  // Every CSP violation the page sees, reported by the page itself.
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  ctx.cleanup = async () => { await ctx.close(); fs.rmSync(dir, { recursive: true, force: true }); };
  return ctx;
}

/* A page that records console CSP complaints, page errors and WebSockets. */
export async function openPage(ctx, url) {
  const page = await ctx.newPage();
  page.problems = [];
  page.sockets = [];
  page.on('console', (m) => {
    if (/content security policy|refused to/i.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('websocket', (ws) => page.sockets.push(ws.url()));
  if (url) await page.goto(url);
  return page;
}

export async function problems(page) {
  const csp = await page.evaluate(() => window.__csp || []).catch(() => []);
  return [...page.problems, ...csp.map((v) => `securitypolicyviolation: ${v}`)];
}

export const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
