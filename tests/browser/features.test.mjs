// Browser tests of what issue 17 added to the widget: conversations that last
// (localStorage, retention, Forget, one conversation across tabs), sources under
// answers, the career plan as a picture, and the page developer's side (pre-load
// queue, events, refused connections, inline mode, lang). Real slated, real chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import {
  AXE, ROOT, SHOTS, SKIP, Slated, VIEWPORTS, launch, openPage, problems, sleep, until,
} from './lib.mjs';

const TITLE = 'Producing help';
const ACCENT = 'rgb(138, 28, 43)';
const inShadow = (page, fn, arg) => page.locator('slate-widget').evaluate(fn, arg);
const texts = (page, who) => inShadow(page, ({ shadowRoot: r }, w) => [...r.querySelectorAll(`.msg.${w} .text`)].map((n) => n.textContent), who);
const status = (page) => inShadow(page, ({ shadowRoot: r }) => r.querySelector('[role=status]').textContent);
const stored = (page, store = 'localStorage') => page.evaluate((s) => {
  const k = Object.keys(window[s]).find((x) => x.startsWith('slate:'));
  return k ? JSON.parse(window[s].getItem(k)).t : null;
}, store);

async function tap(loc, touch) { if (touch) await loc.tap(); else await loc.click(); }

async function ask(page, text, touch) {
  const n = await page.locator('.msg.bot').count();
  const input = page.locator('#slate-input');
  await tap(input, touch);
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.msg.bot').nth(n).waitFor({ timeout: 10000 });
  return page.locator('.msg.bot').nth(n);
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run({ include: [['slate-widget']] }, { resultTypes: ['violations'], preload: false });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

async function clean(page) {
  assert.deepEqual(await problems(page), [], 'no CSP violation or page error');
}

/* Record the widget's events from before its script runs, through the pre-load queue
 * (what a page's own snippet does; here the driver stands in for the snippet). */
async function recordEvents(page, calls = []) {
  await page.addInitScript((extra) => {
    window.__ev = [];
    const log = (type) => (d) => window.__ev.push([type, d && (d.state ?? d.reason ?? d.count ?? d.version ?? '')]);
    window.Slate = window.Slate || [];
    for (const t of ['ready', 'connection', 'error', 'unread']) window.Slate.push(['on', t, log(t)]);
    for (const c of extra) window.Slate.push(c);
  }, calls);
}
const events = (page, type) => page.evaluate((t) => window.__ev.filter((e) => !t || e[0] === t).map((e) => e[1]), type);

describe('issue 17 features against a real slated', { skip: SKIP }, () => {
  let slated;
  before(async () => {
    slated = new Slated();
    await slated.start();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => { await slated?.cleanup(); });

  for (const vp of VIEWPORTS) {
    describe(vp.name, () => {
      const touch = !!vp.hasTouch;
      const ctxs = [];
      const browser = async () => { const c = await launch(vp); ctxs.push(c); return c; };
      after(async () => { for (const c of ctxs) await c.cleanup(); });

      test('sessions last: localStorage by default, retention stated, one conversation across tabs, Forget', async () => {
        const ctx = await browser();
        const a = await openPage(ctx, `${slated.url}/`);
        await a.evaluate(() => window.Slate.open());
        await a.locator('.msg.bot').first().waitFor();
        const keep = a.locator('.keep p');
        assert.equal(await keep.textContent(), `${TITLE} keeps this conversation for 30 days on this browser.`);
        assert.ok(await keep.isVisible(), 'the retention is stated in the panel');
        const forget = a.getByRole('button', { name: 'Forget this conversation', exact: true });
        assert.ok(await forget.isVisible(), 'Forget is visible, with its name as text');
        await ask(a, 'what does a co-producer do?', touch);
        const first = await stored(a);
        assert.ok(first, 'the token is in localStorage');
        assert.equal(await stored(a, 'sessionStorage'), null);

        // a second tab of the same site: the same conversation
        const b = await openPage(ctx, `${slated.url}/`);
        await b.evaluate(() => window.Slate.open());
        await until(async () => (await texts(b, 'user')).includes('what does a co-producer do?'), { what: 'history in tab b' });

        // a new conversation in one tab is the conversation of the other tab too (storage event)
        await tap(a.getByRole('button', { name: 'New conversation' }), touch);
        await until(async () => { const t = await stored(a); return t && t !== first; }, { what: 'a new session in tab a' });
        await until(async () => (await texts(b, 'user')).length === 0 && (await texts(b, 'bot')).length === 1,
          { what: 'tab b follows to the new conversation' });
        await ask(b, 'who does a line producer report to', touch);
        await a.reload();
        await until(async () => (await texts(a, 'user').catch(() => [])).includes('who does a line producer report to'),
          { what: 'what tab b asked is in tab a\'s conversation' });
        assert.deepEqual(await texts(a, 'user'), ['who does a line producer report to']);

        // Forget: the server deletes it, the token goes, the other tab follows
        const gone = await stored(a);
        const nb = await b.locator('.msg.bot').count();
        await tap(a.getByRole('button', { name: 'Forget this conversation', exact: true }), touch);
        await until(async () => (await texts(a, 'bot')).at(-1) === 'This conversation and its transcript have been deleted.',
          { what: 'the server\'s confirmation' });
        assert.deepEqual(await texts(a, 'user'), [], 'the conversation is gone from the panel');
        assert.equal(await stored(a), null, 'the token is cleared');
        await until(async () => (await texts(b, 'user')).length === 0 && (await texts(b, 'bot')).at(-1) === 'This conversation has been deleted.',
          { what: 'tab b clears too' });
        assert.ok(nb > 1);
        const resumed = await new Promise((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${slated.port}/chat`);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', session: gone })));
          ws.on('message', (d) => { ws.close(); resolve(JSON.parse(d).resumed); });
          ws.on('error', reject);
        });
        assert.equal(resumed, false, 'the server no longer has the forgotten session');
        // the next question starts a new conversation, kept again
        await ask(a, 'what is a producer', touch);
        await until(() => stored(a), { what: 'a new token after the next question' });
        await a.reload();
        await until(async () => (await texts(a, 'user').catch(() => [])).includes('what is a producer'), { what: 'kept after reload' });
        assert.deepEqual(await axe(a), []);
        await clean(a);
        await clean(b);
      });

      let page;
      test('sources under the answer: a closed disclosure, http(s) links only, in the transcript', async () => {
        page = await openPage(await browser(), `${slated.url}/`);
        await page.evaluate(() => window.Slate.open());
        await page.locator('.msg.bot').first().waitFor();
        await ask(page, 'how do I become a co-producer', touch);
        const reply = await ask(page, 'where do I start?', touch);
        const cites = reply.locator('details.cites');
        assert.equal(await cites.count(), 1, 'one disclosure under the answer');
        const summary = cites.locator('summary');
        assert.match(await summary.textContent(), /^Sources \(\d+\)$/);
        const n = Number((await summary.textContent()).match(/\d+/)[0]);
        assert.equal(await cites.locator('li').count(), n);
        assert.equal(await cites.evaluate((d) => d.open), false, 'closed by default: not a wall of text');
        assert.ok(!(await cites.locator('ol').isVisible()));
        const box = await summary.boundingBox();
        assert.ok(box.height >= 24, `summary target ${box.height}px high`);
        if (touch) await summary.tap();
        else { await summary.focus(); await page.keyboard.press('Enter'); }
        assert.equal(await cites.evaluate((d) => d.open), true, 'opened by keyboard or tap');
        assert.ok(await cites.locator('ol').isVisible());
        const link = cites.getByRole('link', { name: /Bureau of Labor Statistics/ });
        assert.equal(await link.getAttribute('href'), 'https://www.bls.gov/ooh/entertainment-and-sports/producers-and-directors.htm');
        assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
        assert.equal(await link.getAttribute('target'), '_blank');
        assert.match(await link.textContent(), /\(opens in a new tab\)$/, 'a new tab is said in words');
        const plain = await cites.locator('li:not(:has(a))').count();
        assert.ok(plain >= 1, 'a source without a url is text, not a link');
        // the announcement is the answer, not its list of sources
        const said = await until(() => inShadow(page, ({ shadowRoot: r }) => r.querySelector('[aria-live=polite]').textContent), { what: 'announcement' });
        assert.doesNotMatch(said, /Bureau of Labor/);
        assert.deepEqual(await axe(page), [], 'axe with the sources open');
        await clean(page);
      });

      test('the career plan is drawn as a path of steps, an ordered list, the step under discussion marked', async () => {
        const last = page.locator('.msg.bot').last();
        const fig = page.getByRole('figure', { name: 'Your career path' }).last();
        assert.equal(await fig.count(), 1);
        assert.equal(await last.locator('figure.plan').count(), 1, 'under the answer it belongs to');
        const ol = fig.locator('ol');
        assert.equal(await ol.evaluate((n) => n.tagName), 'OL', 'an ordered list for screen readers');
        const steps = await fig.getByRole('listitem').allTextContents();
        assert.equal(steps.length, 4);
        assert.match(steps[0], /^A first job near production/);
        assert.match(steps[0], /where you start/);
        assert.match(steps[0], /the step we are on/);
        assert.match(steps[3], /^Co-producer.*your goal$/);
        let cur = fig.locator('li[aria-current="step"]');
        assert.equal(await cur.count(), 1);
        assert.match(await cur.textContent(), /^A first job near production/);
        // next step: the mark moves, the step before is done
        await ask(page, 'then what?', touch);
        const fig2 = page.locator('.msg.bot').last().locator('figure.plan');
        cur = fig2.locator('li[aria-current="step"]');
        assert.equal(await cur.locator('.rung').textContent(), 'Production coordinator');
        assert.equal(await fig2.locator('li.done').count(), 1);
        const bg = await cur.locator('.rung').evaluate((n) => getComputedStyle(n).backgroundColor);
        assert.equal(bg, ACCENT, 'the step under discussion is highlighted');
        const over = await inShadow(page, ({ shadowRoot: r }) => { const l = r.querySelector('.log'); return l.scrollWidth - l.clientWidth; });
        assert.ok(over <= 0, 'no horizontal scrolling');
        assert.deepEqual(await axe(page), []);
        await fig2.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `${vp.name}-plan.png`) });
        // in the downloaded transcript, with the sources
        const [dl] = await Promise.all([page.waitForEvent('download'),
          tap(page.getByRole('button', { name: 'Download transcript' }), touch)]);
        const txt = fs.readFileSync(await dl.path(), 'utf8');
        assert.match(txt, /\n {4}1\. A first job near production \(where you start, the step we are on\)\n/);
        assert.match(txt, /\n {4}2\. Production coordinator \(the step we are on\)\n/);
        assert.match(txt, /\n {4}4\. Co-producer \(your goal\)\n/);
        assert.match(txt, /\n {4}Sources:\n {4}- [^\n]+\n/);
        assert.ok(txt.includes('- U.S. Bureau of Labor Statistics') && txt.includes(' <https://www.bls.gov/ooh/entertainment-and-sports/producers-and-directors.htm>'),
          'each source with its link');
        await clean(page);
      });

      test('pre-load queue, connection and unread events; English strings are lang="en" unless a bundle is given', async () => {
        const ctx = await browser();
        let p = await openPage(ctx);
        await recordEvents(p, [['open']]);
        await p.goto(`${slated.url}/`);
        await p.locator('.msg.bot').first().waitFor(); // opened by the queued call
        assert.equal(await p.locator('slate-widget').count(), 1);
        assert.deepEqual(await events(p, 'ready'), ['0.1.0'], 'a handler queued before the script ran');
        await until(async () => (await events(p, 'connection')).includes('connected'), { what: 'connected' });
        assert.deepEqual(await events(p, 'connection'), ['connecting', 'connected']);
        assert.equal(await p.evaluate(() => window.Slate.state), 'connected');
        assert.equal(await p.locator('slate-widget').getAttribute('lang'), 'en');
        // Slate.push keeps working once loaded; unread counts while closed
        await p.evaluate(() => {
          window.Slate.push(['close']);
          const i = document.querySelector('slate-widget').shadowRoot.querySelector('#slate-input');
          i.value = 'what is a line producer';
          i.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
        });
        await until(async () => (await events(p, 'unread')).includes(1), { what: 'unread 1' });
        await p.evaluate(() => window.Slate.push(['open']));
        assert.deepEqual(await events(p, 'unread'), [1, 0]);
        await clean(p);
        await p.close();

        // a queued init with a strings bundle: that bundle's lang; the server's English replies stay en
        p = await openPage(ctx);
        await recordEvents(p, [['init', { title: 'Aide', lang: 'fr', open: true,
          strings: { chat: 'Discussion {title}', placeholder: 'Votre question', log: 'Conversation' } }]]);
        await p.goto(`${slated.url}/`);
        await p.locator('.msg.bot').first().waitFor();
        assert.equal(await p.locator('slate-widget').count(), 1, 'the queued init replaces the tag\'s own');
        assert.equal(await p.locator('slate-widget').getAttribute('lang'), 'fr');
        assert.equal(await p.locator('.launcher .sr').textContent(), 'Discussion Aide');
        assert.equal(await p.locator('#slate-input').getAttribute('placeholder'), 'Votre question');
        assert.equal(await p.locator('.msg.bot .text').first().getAttribute('lang'), 'en', 'bot text marked as English');
        await clean(p);
        await p.close();
      });

      test('origin refused (403): a clear, final state and an error the page can act on', async () => {
        const ctx = await browser();
        const p = await openPage(ctx);
        // the school's page on another origin (another port), not allowed by slated (no --allow-origin)
        const html = fs.readFileSync(path.join(ROOT, 'web/index.html'), 'utf8')
          .replace('<script src="/widget.js"', `<script src="${slated.url}/widget.js"`)
          .replace('href="/site.css"', `href="${slated.url}/site.css"`);
        const school = http.createServer((q, r) => { r.setHeader('content-type', 'text/html'); r.end(html); });
        await new Promise((r) => school.listen(0, '127.0.0.1', r));
        await recordEvents(p);
        await p.goto(`http://127.0.0.1:${school.address().port}/`);
        await p.evaluate(() => window.Slate.open());
        const text = `This site is not allowed to use ${TITLE}. Its web team can fix that.`;
        await until(async () => (await status(p)) === text, { what: 'the origin message', timeout: 10000 });
        assert.deepEqual(await events(p, 'error'), ['origin']);
        assert.equal((await events(p, 'connection')).at(-1), 'refused');
        assert.ok(await p.locator('#slate-input').isDisabled(), 'nothing to type into');
        const n = p.sockets.length;
        await sleep(3000);
        assert.equal(p.sockets.length, n, 'no more reconnecting');
        assert.equal(await status(p), text);
        assert.deepEqual(await axe(p), []);
        assert.deepEqual(await problems(p), []);
        await p.close();
        school.closeAllConnections();
        school.close();
      });

      test('too many connections (429): a clear state with Try again, which works once there is room', async () => {
        const busy = new Slated(['--max-conns-per-ip', '8']);
        await busy.start();
        const held = [];
        try {
          for (let i = 0; i < 8; i++) { // every WebSocket this address may hold (TCP: twice that, room for the page's own)
            const ws = new WebSocket(`ws://127.0.0.1:${busy.port}/chat`);
            await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
            held.push(ws);
          }
          const p = await openPage(await browser());
          await recordEvents(p);
          await p.goto(`${busy.url}/`);
          await p.evaluate(() => window.Slate.open());
          const text = `Too many chats are open from your network right now. Close other ${TITLE} tabs, then try again.`;
          await until(async () => (await status(p)).startsWith(text), { what: 'the limit message', timeout: 10000 });
          assert.deepEqual(await events(p, 'error'), ['limit']);
          assert.equal(await p.evaluate(() => window.Slate.state), 'refused');
          const n = p.sockets.length;
          await sleep(2500);
          assert.equal(p.sockets.length, n, 'no reconnecting by itself');
          held.pop().close();
          await sleep(300);
          await tap(p.locator('.status').getByRole('button', { name: 'Try again' }), touch);
          await until(async () => (await p.evaluate(() => window.Slate.state)) === 'connected', { what: 'connected after Try again' });
          await p.locator('.msg.bot').first().waitFor();
          await until(async () => !(await status(p)).startsWith('Too many'), { what: 'status cleared' });
          await ask(p, 'what is a producer', touch);
          await clean(p);
        } finally {
          for (const ws of held) ws.close();
          await busy.cleanup();
        }
      });

      test('inline mode: rendered into the page\'s element, no bubble, always open', async () => {
        const p = await openPage(await browser(), `${slated.url}/help.html`);
        await p.locator('.msg.bot').first().waitFor();
        assert.equal(await p.evaluate(() => document.querySelector('slate-widget').parentElement.id), 'help');
        assert.equal(await p.locator('.launcher').count(), 0, 'no launcher');
        const panel = p.locator('.panel');
        assert.equal(await panel.getAttribute('role'), 'region', 'a region of the page, also on a phone');
        assert.equal(await panel.getAttribute('aria-modal'), null);
        const [pb, hb] = [await panel.boundingBox(), await p.locator('#help').boundingBox()];
        assert.ok(Math.abs(pb.width - hb.width) <= 1 && Math.abs(pb.x - hb.x) <= 1, 'fills its element');
        assert.equal(await p.getByRole('button', { name: 'Close chat' }).count(), 0);
        await ask(p, 'who does a line producer report to', touch);
        await p.locator('#slate-input').press('Escape');
        assert.ok(await panel.isVisible(), 'Esc does not close an inline panel');
        assert.deepEqual(await axe(p), []);
        await p.screenshot({ path: path.join(SHOTS, `${vp.name}-inline.png`), fullPage: true });
        // the bubble elsewhere on the site does not pop open because the help page was open
        await p.goto(`${slated.url}/`);
        await p.locator('.launcher').waitFor();
        assert.equal(await p.locator('.launcher').getAttribute('aria-expanded'), 'false');
        // init({inline: element}) from code
        await p.evaluate(() => {
          const d = document.createElement('div');
          d.id = 'box';
          document.querySelector('main').prepend(d);
          window.Slate.init({ inline: d, title: 'Inline' });
        });
        assert.equal(await p.evaluate(() => document.querySelector('slate-widget').parentElement.id), 'box');
        await p.locator('.msg.bot').first().waitFor();
        await clean(p);
      });
    });
  }
});
