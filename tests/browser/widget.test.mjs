// Browser tests of the chat widget (web/widget.js, web/widget.css) on the demo
// page, against a real slated started here on a free port with a temp db.
// Run: npm run test:browser   (needs build/slated and /usr/bin/chromium)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  AXE, SHOTS, SKIP, Slated, VIEWPORTS, launch, openPage, problems, sleep, until,
} from './lib.mjs';

const TITLE = 'Producing help'; // data-title on the demo page
const ACCENT = 'rgb(138, 28, 43)'; // --slate-accent set by the demo page's site.css
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

/* ---------- small helpers, all through the widget's open shadow root ---------- */
// fn receives the widget's host element: ({ shadowRoot: r }, arg) => ...
const inShadow = (page, fn, arg) => page.locator('slate-widget').evaluate(fn, arg);
const focused = (page) => page.evaluate(() => {
  const h = document.querySelector('slate-widget');
  if (document.activeElement !== h) return document.activeElement && document.activeElement.tagName;
  const a = h.shadowRoot.activeElement;
  return a ? a.id || a.className || a.tagName : null;
});
const status = (page) => inShadow(page, ({ shadowRoot: r }) => r.querySelector('[role=status]').textContent);
const texts = (page, who) => inShadow(page, ({ shadowRoot: r }, w) => [...r.querySelectorAll(`.msg.${w} .text`)].map((n) => n.textContent), who);
const launcherName = (page) => inShadow(page, ({ shadowRoot: r }) => r.querySelector('.launcher .sr').textContent);
const token = (page, store = 'localStorage') => page.evaluate((s) => {
  const k = Object.keys(window[s]).find((x) => x.startsWith('slate:'));
  return k ? JSON.parse(window[s].getItem(k)).t : null;
}, store);

async function tap(page, loc, touch) { if (touch) await loc.tap(); else await loc.click(); }

async function ask(page, text, touch) {
  const n = await page.locator('.msg.bot').count();
  const input = page.locator('#slate-input');
  await tap(page, input, touch); // a person taps or clicks the field first
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.msg.bot').nth(n).waitFor({ timeout: 10000 });
  return page.locator('.msg.bot').nth(n);
}

async function axe(page) {
  await page.evaluate(AXE); // evaluated by the driver, so the page's CSP does not apply
  return page.evaluate(async () => {
    const r = await window.axe.run({ include: [['slate-widget']] }, { resultTypes: ['violations'], preload: false });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

async function clean(page) {
  assert.deepEqual(await problems(page), [], 'no CSP violation or page error');
}

describe('widget against a real slated', { skip: SKIP }, () => {
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
      let ctx, page, chosen;
      const others = [];
      // a browser of its own (localStorage is shared by a context's tabs: one conversation)
      const own = async () => { const c = await launch(vp); others.push(c); return c; };
      before(async () => { ctx = await launch(vp); });
      after(async () => { await ctx?.cleanup(); for (const c of others) await c.cleanup(); });

      test('only a launcher until first open; open by keyboard, ask, get an answer', async () => {
        page = await openPage(ctx, `${slated.url}/`);
        const launcher = page.getByRole('button', { name: `${TITLE} chat` });
        await launcher.waitFor();
        assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
        assert.equal(await launcher.getAttribute('aria-controls'), 'slate-panel');
        assert.equal(await page.locator('.panel').count(), 0, 'no panel before first open');
        assert.equal(page.sockets.length, 0, 'no socket before first open');

        for (let i = 0; i < 60 && await focused(page) !== 'launcher'; i++) await page.keyboard.press('Tab');
        assert.equal(await focused(page), 'launcher', 'launcher reachable with Tab');
        await page.keyboard.press('Enter');
        // (on a phone the full-screen panel hides the launcher, so no getByRole here)
        assert.equal(await page.locator('.launcher').getAttribute('aria-expanded'), 'true');
        assert.equal(await focused(page), 'slate-input', 'focus moves to the input on open');
        await page.locator('.msg.bot').first().waitFor(); // welcome
        assert.equal(page.sockets.length, 1, 'one socket, opened on first open');
        const log = page.getByRole('log');
        assert.equal(await log.getAttribute('aria-label'), 'Conversation');

        await page.keyboard.type('what is an executive producer');
        await page.keyboard.press('Enter');
        const reply = page.locator('.msg.bot').nth(1);
        await reply.waitFor();
        const said = await reply.locator('.text').textContent();
        assert.ok(said.length > 20, `an answer: ${said}`);
        assert.deepEqual(await texts(page, 'user'), ['what is an executive producer']);
        assert.equal(await focused(page), 'slate-input', 'focus stays in the input when the reply arrives');
        const announced = await until(() => inShadow(page, ({ shadowRoot: r }) => r.querySelector('[aria-live=polite]').textContent),
          { what: 'polite announcement' });
        assert.ok(announced.includes(said.slice(0, 40)), 'the bot reply is announced politely');
        await clean(page);
      });

      test('a follow-up option is echoed, old options stay readable but inactive, focus returns to the input', async () => {
        const reply = await ask(page, 'what does a co-producer do?', touch);
        const opts = reply.locator('.opt');
        await opts.first().waitFor();
        const labels = await opts.allTextContents();
        assert.ok(labels.length >= 2, `options offered: ${labels}`);
        chosen = labels.at(-1);
        const n = await page.locator('.msg.bot').count();
        await tap(page, reply.getByRole('button', { name: chosen, exact: true }), touch);
        await page.locator('.msg.bot').nth(n).waitFor();
        assert.equal((await texts(page, 'user')).at(-1), chosen, 'the choice is echoed as the user message');
        const answer = (await texts(page, 'bot')).at(-1);
        assert.ok(answer.length > 20 && answer !== (await texts(page, 'bot')).at(-2), `an answer to the choice: ${answer}`);
        for (const o of await opts.all()) {
          assert.equal(await o.getAttribute('aria-disabled'), 'true');
          assert.equal(await o.getAttribute('tabindex'), '-1');
          assert.ok(await o.isVisible(), 'old option still readable');
        }
        assert.match(await reply.getByRole('button', { name: chosen, exact: true }).getAttribute('class'), /chosen/);
        assert.equal(await focused(page), 'slate-input', 'focus back in the input');
        const ro = await page.locator('#slate-input').evaluate((i) => i.readOnly);
        assert.equal(ro, touch, touch ? 'after a tap the keyboard is not raised (read-only until tapped)' : 'input editable');
        if (touch) {
          await page.locator('#slate-input').tap();
          assert.equal(await page.locator('#slate-input').evaluate((i) => i.readOnly), false, 'a tap on the field makes it editable');
        }
        const users = (await texts(page, 'user')).length;
        await reply.getByRole('button', { name: labels[0], exact: true }).click({ force: true });
        await sleep(300);
        assert.equal((await texts(page, 'user')).length, users, 'an inactive option does nothing');
        await clean(page);
      });

      test('a hierarchy reply is drawn as a ladder with the asked-about role highlighted', async () => {
        const reply = await ask(page, 'who does a co-producer answer to', touch);
        const fig = reply.locator('figure.ladder');
        await fig.waitFor();
        assert.equal(await fig.locator('figcaption').textContent(), 'Chain of command');
        const steps = await fig.locator('ol > li .rung').allTextContents();
        assert.ok(steps.length >= 2, `steps: ${steps}`);
        const cur = fig.locator('li[aria-current="true"]');
        assert.equal(await cur.count(), 1);
        assert.equal(await cur.locator('.rung').textContent(), 'Co-producer');
        assert.ok(steps.indexOf('Co-producer') > 0, 'top of the chain first, the co-producer below it');
        const bg = await cur.locator('.rung').evaluate((n) => getComputedStyle(n).backgroundColor);
        const other = await fig.locator('li:not([aria-current]) .rung').first().evaluate((n) => getComputedStyle(n).backgroundColor);
        assert.notEqual(bg, other, 'the focus role is highlighted');
        assert.equal(bg, ACCENT);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(250); // let the open animation settle
        await page.screenshot({ path: path.join(SHOTS, `${vp.name}-open.png`) });
        await clean(page);
      });

      test('axe-core: no violations in the open widget', async () => {
        assert.deepEqual(await axe(page), []);
      });

      test('suggestions are chips; a chip asks its question', async () => {
        const chip = page.locator('.chips .chip').first();
        await chip.waitFor();
        assert.equal(await page.locator('.chips').getAttribute('role'), 'group');
        const q = await chip.textContent();
        const n = await page.locator('.msg.bot').count();
        await tap(page, chip, touch);
        await page.locator('.msg.bot').nth(n).waitFor();
        assert.equal((await texts(page, 'user')).at(-1), q);
        assert.equal(await focused(page), 'slate-input');
        await clean(page);
      });

      test('a reload restores the conversation through hello', async () => {
        const users = await texts(page, 'user');
        const bots = (await texts(page, 'bot')).slice(1); // the greeting is not part of history
        const tok = await token(page);
        assert.ok(tok, 'session token kept in localStorage by default');
        await page.reload();
        await until(async () => (await texts(page, 'user').catch(() => [])).length === users.length,
          { what: 'history after reload' });
        assert.equal(await page.locator('.launcher').getAttribute('aria-expanded'), 'true',
          'an open panel stays open across the reload');
        assert.deepEqual(await texts(page, 'user'), users);
        const now = await texts(page, 'bot');
        for (const b of bots) assert.ok(now.includes(b), `restored: ${b.slice(0, 50)}`);
        assert.ok(await page.locator('figure.ladder').count() >= 1, 'the ladder is redrawn from history');
        assert.equal(await token(page), tok, 'same session');
        await clean(page);
      });

      test('slated stops: "Reconnecting…", questions typed offline are answered exactly once after restart', async () => {
        const qs = ['who does a line producer report to', 'what is a unit production manager'];
        assert.deepEqual(await slated.stop(), { code: 0, sig: null }, `slated exits 0 on SIGTERM\n${slated.log}`);
        await until(async () => (await status(page)).includes('Reconnecting…'), { what: 'Reconnecting… status' });
        assert.ok(await page.getByRole('status').isVisible(), 'status visible');
        const n = await page.locator('.msg.bot').count();
        for (const q of qs) {
          await tap(page, page.locator('#slate-input'), touch);
          await page.locator('#slate-input').fill(q);
          await page.locator('#slate-input').press('Enter');
        }
        const mine = page.locator('.msg.user');
        for (const m of (await mine.all()).slice(-2)) {
          assert.match(await m.getAttribute('class'), /queued/);
          assert.ok(await m.getByText('Waiting to send…').isVisible());
        }
        await sleep(500);
        await slated.start();
        await page.locator('.msg.bot').nth(n + 1).waitFor({ timeout: 20000 });
        await sleep(1500); // would a second copy arrive?
        assert.equal(await page.locator('.msg.bot').count(), n + 2, 'exactly one answer each');
        for (const q of qs) assert.equal((await texts(page, 'user')).filter((t) => t === q).length, 1);
        assert.match((await texts(page, 'bot')).at(-2), /line producer/i, 'answered in order');
        assert.equal(await page.locator('.msg.user.queued').count(), 0);
        assert.ok(!(await status(page)).includes('Reconnecting'), 'status cleared');
        // the server, too, holds each question once
        await page.reload();
        await until(async () => (await texts(page, 'user').catch(() => [])).includes(qs[1]), { what: 'history' });
        for (const q of qs) assert.equal((await texts(page, 'user')).filter((t) => t === q).length, 1, 'once in the stored history');
        await clean(page);
      });

      test('Download transcript (plain text) and New conversation', async () => {
        const [dl] = await Promise.all([
          page.waitForEvent('download'),
          tap(page, page.getByRole('button', { name: 'Download transcript' }), touch),
        ]);
        assert.match(dl.suggestedFilename(), /^transcript-\d{4}-\d\d-\d\d\.txt$/);
        const txt = fs.readFileSync(await dl.path(), 'utf8');
        assert.match(txt, /^Producing help\n/);
        assert.match(txt, /\] You: what does a co-producer do\?\n/);
        assert.ok(txt.includes(`] You: ${chosen}\n`), 'the chosen option, as echoed');
        assert.match(txt, /2\. Producer\n/);
        const before = await token(page);
        await tap(page, page.getByRole('button', { name: 'New conversation' }), touch);
        await until(async () => { const t = await token(page); return t && t !== before; }, { what: 'a new session' });
        await until(async () => (await texts(page, 'bot')).length === 1, { what: 'a fresh greeting' });
        assert.deepEqual(await texts(page, 'user'), []);
        await page.reload();
        await page.locator('.msg.bot').first().waitFor();
        await sleep(300);
        assert.deepEqual(await texts(page, 'user'), [], 'the old conversation is gone after a reload');
        await clean(page);
      });

      test('typing indicator; hostile text from the server is rendered as text', async () => {
        const p = await openPage(await own());
        await p.routeWebSocket(/\/chat$/, (ws) => {
          const server = ws.connectToServer();
          server.onMessage((msg) => {
            const m = JSON.parse(msg);
            if (m.type === 'reply') {
              Object.assign(m, {
                text: `${HOSTILE} see javascript:alert(1) or https://example.org/ok or mailto:x@example.org`,
                options: [{ label: HOSTILE, value: 'film' }],
                suggestions: [HOSTILE],
                corrections: [{ from: HOSTILE, to: '<i>x</i>' }],
                citations: [{ id: 'S0', title: HOSTILE, url: 'javascript:window.__pwned=3' },
                  { id: 'S1', title: '<b>ok</b>', url: 'https://example.org/src' }],
                ladder: { steps: [{ id: 'x', title: HOSTILE }, { id: 'y', title: '<svg onload=window.__pwned=4>' }], focus: 1 },
              });
            }
            setTimeout(() => ws.send(JSON.stringify(m)), m.type === 'reply' ? 700 : 0);
          });
        });
        await p.goto(`${slated.url}/`);
        await p.evaluate(() => window.Slate.open());
        await p.locator('.msg.bot').first().waitFor();
        await tap(p, p.locator('#slate-input'), touch);
        await p.locator('#slate-input').fill('<img src=x onerror="window.__pwned=5">');
        await p.locator('#slate-input').press('Enter');
        const typing = p.locator('.typing');
        await typing.waitFor(); // while the (delayed) reply is on its way
        assert.equal(await typing.locator('.sr').textContent(), `${TITLE} is typing`);
        await p.locator('.msg.bot').nth(1).waitFor();
        assert.equal(await typing.count(), 0, 'typing indicator gone with the reply');
        await sleep(300);
        assert.equal(await p.evaluate(() => window.__pwned), undefined, 'nothing ran');
        const found = await inShadow(p, ({ shadowRoot: r }) => ({
          els: r.querySelectorAll('img, script, b, i, svg:not(.i)').length,
          text: [...r.querySelectorAll('.msg.bot .text')].at(-1).textContent,
          echo: [...r.querySelectorAll('.msg.user .text')].at(-1).textContent,
          links: [...r.querySelectorAll('.log a')].map((a) => [a.protocol, a.rel]),
          cites: [...r.querySelectorAll('.cites li')].map((li) => [li.textContent, li.querySelector('a')?.target || null]),
          chip: r.querySelector('.chip').textContent,
          rung: r.querySelector('.ladder .rung').textContent,
        }));
        assert.equal(found.els, 0, 'no element made from text');
        assert.ok(found.text.startsWith(HOSTILE), 'the markup shown as text');
        assert.equal(found.echo, '<img src=x onerror="window.__pwned=5">');
        assert.equal(found.chip, HOSTILE);
        assert.equal(found.rung, HOSTILE);
        assert.deepEqual(found.links, [['https:', 'noopener noreferrer'], ['mailto:', 'noopener noreferrer'], ['https:', 'noopener noreferrer']],
          'only http(s)/mailto links, with rel=noopener noreferrer');
        assert.deepEqual(found.cites, [[HOSTILE, null], ['<b>ok</b> (opens in a new tab)', '_blank']],
          'a javascript: source is not a link; an https one opens in a new tab');
        await clean(p);
        await p.close();
      });

      test('after the server\'s idle close (1000) the widget stays quiet and reconnects when there is something to send', async () => {
        const p = await openPage(await own());
        const sides = [];
        await p.routeWebSocket(/\/chat$/, (ws) => { ws.connectToServer(); sides.push(ws); });
        await p.goto(`${slated.url}/`);
        await p.evaluate(() => window.Slate.open());
        await p.locator('.msg.bot').first().waitFor();
        await sides[0].close({ code: 1000, reason: 'idle timeout' });
        await sleep(2500);
        assert.equal(sides.length, 1, 'no reconnect while idle');
        assert.equal(await status(p), '', 'and no "Reconnecting…"');
        await ask(p, 'what is a producer', touch);
        assert.equal(sides.length, 2, 'reconnected to send');
        await clean(p);
        await p.close();
      });

      test('Esc closes and returns focus to the launcher; docked panel is non-modal, phone panel is a dialog', async () => {
        await page.evaluate(() => window.Slate.open());
        const panel = page.locator('.panel');
        await page.locator('#slate-input').focus();
        await page.keyboard.press('Escape');
        assert.ok(await panel.isHidden(), 'closed by Esc');
        assert.equal(await focused(page), 'launcher');
        await page.keyboard.press('Enter');
        assert.ok(await panel.isVisible());
        const first = page.getByRole('button', { name: 'New conversation' });
        if (touch) {
          assert.equal(await panel.getAttribute('role'), 'dialog');
          assert.equal(await panel.getAttribute('aria-modal'), 'true');
          await first.focus();
          await page.keyboard.press('Shift+Tab');
          assert.equal(await focused(page), 'send', 'focus wraps inside the full-screen dialog');
          await page.keyboard.press('Tab');
          assert.equal(await focused(page), 'icon', 'and back to the first button');
        } else {
          assert.equal(await panel.getAttribute('role'), 'region');
          assert.equal(await panel.getAttribute('aria-modal'), null);
          await first.focus();
          await page.keyboard.press('Shift+Tab');
          assert.equal(await focused(page), 'launcher', 'no focus trap: Shift+Tab leaves the docked panel');
          assert.ok(await panel.isVisible(), 'and the panel stays open');
        }
        await clean(page);
      });

      test('targets at least 24×24, 16 px input, unread count in the launcher name', async () => {
        await page.evaluate(() => window.Slate.open());
        await ask(page, 'what does a co-producer do?', touch);
        const small = await inShadow(page, ({ shadowRoot: r }) => [...r.querySelectorAll('button, input')]
          .filter((b) => b.getClientRects().length)
          .map((b) => [b.className, b.getBoundingClientRect()])
          .filter(([, x]) => x.width < 24 || x.height < 24).map(([c, x]) => `${c} ${x.width}x${x.height}`));
        assert.deepEqual(small, []);
        assert.ok(parseFloat(await page.locator('#slate-input').evaluate((i) => getComputedStyle(i).fontSize)) >= 16);
        // a reply that arrives while the panel is closed is counted
        await page.evaluate(() => {
          const i = document.querySelector('slate-widget').shadowRoot.querySelector('#slate-input');
          i.value = 'what is a line producer';
          i.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          window.Slate.close();
        });
        await until(async () => (await launcherName(page)) === `${TITLE} chat, 1 unread message`, { what: 'unread count' });
        assert.equal(await focused(page), 'launcher', 'focus did not move when the reply arrived');
        assert.equal(await inShadow(page, ({ shadowRoot: r }) => r.querySelector('.badge').textContent), '1');
        await page.evaluate(() => window.Slate.open());
        assert.equal(await launcherName(page), `${TITLE} chat`);
        // an error for a question: said in a sentence, and the text handed back for editing
        const long = 'why'.repeat(700);
        assert.equal(await page.locator('#slate-input').getAttribute('maxlength'), '2000', 'limits.max_text from welcome');
        await page.locator('#slate-input').evaluate((i, v) => { i.value = v; }, long); // as a script could
        await page.locator('#slate-input').press('Enter');
        const err = page.locator('.msg.user').last().locator('.note.err');
        await err.waitFor();
        assert.match(await err.textContent(), /^Not sent: \w.{10,}/);
        assert.equal(await page.locator('#slate-input').inputValue(), long);
        await page.locator('#slate-input').fill('');
        await clean(page);
      });

      test('isolation, theme, dark mode and reduced motion', async () => {
        await ask(page, 'who does a line producer answer to', touch); // a ladder for the dark screenshot
        const css = await inShadow(page, ({ shadowRoot: r }) => {
          const cs = (sel) => getComputedStyle(r.querySelector(sel));
          return {
            tt: cs('.chip, .opt').textTransform, bg: cs('.launcher').backgroundColor,
            font: cs('.text').fontFamily, anim: cs('.panel').animationName, styleAttrs: r.querySelectorAll('[style]').length,
            panel: ((p) => [p.scrollTop, p.scrollHeight <= p.clientHeight + 1])(r.querySelector('.panel')),
          };
        });
        assert.equal(css.tt, 'none', 'the page\'s button rule does not reach in');
        assert.equal(css.bg, ACCENT, 'themed through --slate-accent');
        assert.doesNotMatch(css.font, /Georgia/, 'the page font does not reach in');
        assert.equal(css.anim, 'slate-in');
        assert.equal(css.styleAttrs, 0, 'no style attributes');
        assert.deepEqual(css.panel, [0, true], 'the panel itself never scrolls: header and input stay in place');
        const pageSide = await page.evaluate(() => ({
          sheets: [...document.styleSheets].map((s) => s.href || 'inline'),
          styleAttrs: document.querySelectorAll('[style]').length,
        }));
        assert.deepEqual(pageSide.sheets.map((h) => h.replace(/^.*\//, '')), ['site.css'], 'widget.css stays in the shadow root');
        assert.equal(pageSide.styleAttrs, 0);

        await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
        const dark = await inShadow(page, ({ shadowRoot: r }) => ({
          bg: getComputedStyle(r.querySelector('.panel')).backgroundColor,
          anim: getComputedStyle(r.querySelector('.panel')).animationName,
          tr: getComputedStyle(r.querySelector('.launcher')).transitionDuration,
        }));
        const [R, G, B] = dark.bg.match(/\d+/g).map(Number);
        assert.ok(R + G + B < 150, `dark panel background: ${dark.bg}`);
        assert.equal(dark.anim, 'none', 'no animation with reduced motion');
        assert.equal(dark.tr, '0s');
        assert.deepEqual(await axe(page), [], 'axe in dark mode');
        await page.screenshot({ path: path.join(SHOTS, `${vp.name}-open-dark.png`) });
        await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
        await clean(page);
      });

      if (touch) {
        test('the phone keyboard never covers the input (visualViewport), and 320 px works', async () => {
          await page.evaluate(() => window.Slate.open());
          const cdp = await ctx.newCDPSession(page);
          // Shrink the visual viewport as a soft keyboard does: the layout viewport stays 844 high.
          await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
          const fit = await until(() => page.evaluate(() => {
            const r = document.querySelector('slate-widget').shadowRoot;
            const box = r.querySelector('#slate-input').getBoundingClientRect();
            const vv = window.visualViewport;
            return vv.height < 500 && box.bottom <= vv.offsetTop + vv.height + 1 && box.top >= vv.offsetTop
              && { vv: vv.height, bottom: box.bottom, panel: r.querySelector('.panel').getBoundingClientRect().height };
          }), { what: 'input inside the visual viewport' });
          assert.ok(Math.abs(fit.panel - fit.vv) <= 1, `panel follows the visual viewport: ${JSON.stringify(fit)}`);
          await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
          await cdp.detach();
          await page.setViewportSize({ width: 320, height: 640 });
          await sleep(200);
          const over = await inShadow(page, ({ shadowRoot: r }) => {
            const p = r.querySelector('.panel'), l = r.querySelector('.log');
            return { w: p.getBoundingClientRect().width, scroll: l.scrollWidth - l.clientWidth };
          });
          assert.equal(over.w, 320);
          assert.ok(over.scroll <= 0, 'no horizontal scrolling at 320 px');
          await page.setViewportSize(vp.viewport);
          await clean(page);
        });
      } else {
        test('data- attributes, Slate.init, the API and its events', async () => {
          // The demo page as served, with the widget's script tag given other data- attributes
          // (set by the driver while the parser inserts the tag, before the deferred script runs).
          const withTag = async (attrs) => {
            const p = await openPage(await own());
            await p.addInitScript((a) => {
              new MutationObserver((_, mo) => {
                const s = document.querySelector('script[src="/widget.js"]');
                if (!s) return;
                mo.disconnect();
                for (const x of [...s.attributes]) if (x.name.startsWith('data-')) s.removeAttribute(x.name);
                for (const [k, v] of Object.entries(a)) s.setAttribute(`data-${k}`, v);
              }).observe(document, { childList: true, subtree: true });
            }, attrs);
            await p.goto(`${slated.url}/`);
            return p;
          };
          const server = `ws://127.0.0.1:${slated.port}/chat`;
          let p = await withTag({ server, title: 'Aide', position: 'left', open: 'true', storage: 'local', lang: 'fr' });
          await p.locator('.msg.bot').first().waitFor();
          assert.equal(await p.getByRole('button', { name: 'Aide chat' }).getAttribute('aria-expanded'), 'true', 'data-open');
          assert.equal(await p.evaluate(() => document.activeElement.tagName), 'BODY', 'opening on load does not steal focus');
          assert.equal(await p.locator('slate-widget').getAttribute('lang'), 'en', 'English strings are lang="en", whatever data-lang says');
          assert.equal(await p.getByRole('heading', { name: 'Aide' }).count(), 1);
          assert.ok((await p.locator('.launcher').boundingBox()).x < 100, 'data-position="left"');
          assert.ok(await token(p, 'localStorage'), 'data-storage="local"');
          assert.equal(await token(p, 'sessionStorage'), null);
          await clean(p);
          await p.evaluate(() => localStorage.clear());
          await p.close();

          p = await withTag({ storage: 'session' });
          await p.evaluate(() => window.Slate.open());
          await p.locator('.msg.bot').first().waitFor();
          await until(() => token(p, 'sessionStorage'), { what: 'token in sessionStorage' });
          assert.equal(await token(p, 'localStorage'), null, 'data-storage="session" keeps working');
          assert.match(await p.locator('.keep p').textContent(), /^This tab keeps this conversation until you close it; Slate deletes it after 30 days\.$/);
          await clean(p);
          await p.close();

          p = await withTag({ storage: 'none' });
          await p.evaluate(() => window.Slate.open());
          await p.locator('.msg.bot').first().waitFor();
          await ask(p, 'what is a producer');
          assert.equal(await token(p, 'localStorage'), null);
          assert.equal(await token(p, 'sessionStorage'), null);
          await p.reload();
          await p.locator('.slate').waitFor({ state: 'attached' });
          assert.equal(await p.locator('.panel').count(), 0, 'nothing remembered with data-storage="none"');
          await p.evaluate(() => window.Slate.open());
          await p.locator('.msg.bot').first().waitFor();
          await sleep(300);
          assert.deepEqual(await texts(p, 'user'), [], 'a new conversation');
          await clean(p);
          await p.close();

          p = await withTag({ init: 'manual' });
          await sleep(300);
          assert.equal(await p.locator('slate-widget').count(), 0, 'data-init="manual" waits for Slate.init');
          const seen = await p.evaluate(async () => {
            const log = [];
            window.addEventListener('slate:message', (e) => log.push(`dom:${e.detail.from}`));
            window.Slate.on('message', (d) => log.push(`${d.from}:${d.text.slice(0, 20)}`));
            window.Slate.on('open', () => log.push('open')).on('close', () => log.push('close'));
            window.Slate.init({ title: 'From code', position: 'left' });
            await new Promise((r) => window.Slate.on('ready', r)); // already fired: called at once
            log.push('ready');
            window.Slate.toggle();
            log.push(`isOpen:${window.Slate.isOpen}`);
            await new Promise((r) => setTimeout(r, 800));
            const i = document.querySelector('slate-widget').shadowRoot.querySelector('#slate-input');
            i.value = 'what is a line producer';
            i.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
            await new Promise((r) => window.Slate.on('message', (d) => d.from === 'bot' && r()));
            window.Slate.close();
            log.push(`isOpen:${window.Slate.isOpen}`);
            window.Slate.reset();
            return log;
          });
          assert.deepEqual(seen.slice(0, 3), ['ready', 'open', 'isOpen:true']);
          assert.ok(seen.includes(`user:${'what is a line producer'.slice(0, 20)}`) && seen.includes('dom:user') && seen.includes('dom:bot'));
          assert.ok(seen.some((s) => s.startsWith('bot:')));
          assert.deepEqual(seen.slice(-2), ['close', 'isOpen:false']);
          assert.equal(await p.getByRole('button', { name: 'From code chat' }).count(), 1);
          await p.evaluate(() => window.Slate.open());
          await until(async () => (await texts(p, 'user')).length === 0 && (await texts(p, 'bot')).length === 1,
            { what: 'reset() starts over' });
          await clean(p);
          await p.close();
        });
      }
    });
  }
});
