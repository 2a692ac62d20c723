/* Slate chat widget: plain JavaScript, no framework, no build step.
 * Embed:  <script src="https://help.example/widget.js" data-server="wss://help.example/chat" defer></script>
 * or      Slate.init({server, title, position, open, storage, inline, days, lang, css, strings})
 * Before it loads: window.Slate = window.Slate || []; Slate.push(['on', 'ready', fn]);
 * API:    Slate.open() close() toggle() reset() forget() on(type, fn) off(type, fn) destroy()
 * Events: ready, message, open, close, connection, error, unread (also "slate:<type>" on window).
 * Everything is built with createElement and textContent; no inline style or script,
 * so it runs under script-src 'self'; style-src 'self'. See web/README.md. */
(function () {
  'use strict';
  if (window.Slate && window.Slate.version) return;
  var Q = Array.isArray(window.Slate) ? window.Slate : [];
  var D = document, me = D.currentScript, base = (me && me.src) || location.href;
  var EN = {
    chat: '{title} chat', unread1: '{n} unread message', unreadN: '{n} unread messages',
    close: 'Close chat', newChat: 'New conversation', download: 'Download transcript',
    input: 'Your question', placeholder: 'Ask about a producer role', send: 'Send',
    you: 'You', log: 'Conversation', connecting: 'Connecting…', reconnecting: 'Reconnecting…',
    offline: 'You are offline. Messages will be sent when the connection is back. Reconnecting…',
    back: 'Connected again.', queued: 'Waiting to send…', failed: 'Not sent: ', retry: 'Retry',
    typing: '{title} is typing', options: 'Choose one', suggestions: 'Suggestions',
    ladder: 'Chain of command', asked: 'you asked about this role',
    sources: 'Sources:', saved: 'Saved ', cites: 'Sources ({n})', newTab: ' (opens in a new tab)',
    keep: '{title} keeps this conversation for {days} days on this browser.',
    keepTab: 'This tab keeps this conversation until you close it; {title} deletes it after {days} days.',
    keepNone: 'This page forgets this conversation when you leave; {title} deletes it after {days} days.',
    forget: 'Forget this conversation', forgotten: 'This conversation has been deleted.',
    origin: 'This site is not allowed to use {title}. Its web team can fix that.',
    limit: 'Too many chats are open from your network right now. Close other {title} tabs, then try again.',
    closed: '{title} closed the connection. Reload the page to start again.', again: 'Try again',
    plan: 'Your career path', start: 'where you start', now: 'the step we are on', goal: 'your goal'
  };
  var handlers = {}, inst = null, ready = null;
  var FULL = '(max-width: 480px), (max-height: 500px)';
  var ICONS = {
    chat: 'M4 4h16v12H8l-4 4z',
    close: 'M6 6l12 12M18 6L6 18',
    fresh: 'M12 5v14M5 12h14',
    download: 'M12 4v11m-5-5l5 5 5-5M5 20h14',
    send: 'M4 12l16-8-6 16-3-7z'
  };

  function emit(type, detail) {
    (handlers[type] || []).slice().forEach(function (fn) {
      try { fn(detail); } catch (e) { setTimeout(function () { throw e; }); }
    });
    window.dispatchEvent(new CustomEvent('slate:' + type, { detail: detail }));
  }
  function el(tag, cls, text) {
    var n = D.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }
  function attrs(n, a) { for (var k in a) n.setAttribute(k, a[k]); return n; }
  function icon(name) {
    var ns = 'http://www.w3.org/2000/svg', s = D.createElementNS(ns, 'svg'), p = D.createElementNS(ns, 'path');
    attrs(s, { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false', class: 'i i-' + name });
    p.setAttribute('d', ICONS[name]);
    s.appendChild(p);
    return s;
  }
  function button(cls, label, ico) {
    var b = el('button', cls);
    b.type = 'button';
    if (ico) { b.appendChild(icon(ico)); attrs(b, { 'aria-label': label, title: label }); } else b.textContent = label;
    return b;
  }
  function fill(s, v) { return s.replace(/\{(\w+)\}/g, function (_, k) { return v[k] == null ? '' : v[k]; }); }
  function str(v) { return typeof v === 'string' ? v : v == null ? '' : String(v); }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function uid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  function wsUrl(u) {
    var x = new URL(u || '/chat', base);
    if (x.protocol === 'http:') x.protocol = 'ws:';
    if (x.protocol === 'https:') x.protocol = 'wss:';
    return x.href;
  }
  function flag(v) { return v === true || v === '' || v === 'true' || v === '1' || v === 'open'; }

  /* Bot text as text nodes; only http, https and mailto URLs become links. */
  function linkify(node, text) {
    var re = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi, last = 0, m;
    while ((m = re.exec(text))) {
      var raw = m[0].replace(/[.,;:!?)\]]+$/, ''), u = null;
      try { u = new URL(raw); } catch (e) { /* not a URL */ }
      if (!u || !/^(https?|mailto):$/.test(u.protocol)) continue;
      node.appendChild(D.createTextNode(text.slice(last, m.index)));
      var a = el('a', null, raw);
      a.href = u.href; a.rel = 'noopener noreferrer'; a.target = '_blank';
      node.appendChild(a);
      last = m.index + raw.length;
      re.lastIndex = last;
    }
    node.appendChild(D.createTextNode(text.slice(last)));
    return node;
  }

  function safe(x) {
    try { var u = new URL(str(x)); return /^https?:$/.test(u.protocol) ? u.href : ''; } catch (e) { return ''; }
  }

  function Widget(cfg) {
    var S = Object.assign({}, EN, cfg.strings || {});
    var t = function (k, v) { return fill(S[k], Object.assign({ title: cfg.title, days: cfg.days }, v)); };
    var store = null, key = 'slate:' + cfg.server, mem = {};
    try { store = cfg.storage === 'none' ? null : cfg.storage === 'session' ? sessionStorage : localStorage; } catch (e) { /* blocked */ }
    function load() { try { return JSON.parse(store.getItem(key)) || {}; } catch (e) { return mem; } }
    function save() {
      mem = { t: token, o: spot ? !!saved.o : isOpen };
      try { store.setItem(key, JSON.stringify(mem)); } catch (e) { /* memory only */ }
    }
    var saved = load(), token = typeof saved.t === 'string' ? saved.t : null;
    var isOpen = false, unread = 0, lastPointer = '', offs = [];
    var ws = null, welcomed = false, attempt = 0, timer = 0, watch = 0, dead = false;
    var pending = [], transcript = [], state = '', halt = '', refusals = 0, known = !!token;
    var redraw = false, forgetting = false, renew = false;
    var spot = cfg.inline && (typeof cfg.inline === 'string' ? D.querySelector(cfg.inline) : cfg.inline);
    if (!(spot instanceof Element)) spot = null;
    var host = el('slate-widget'), root = host.attachShadow({ mode: 'open' });
    var link = el('link'), dyn = null, lang = cfg.strings ? cfg.lang : 'en';
    host.setAttribute('lang', lang);
    if (spot) host.setAttribute('data-inline', '');
    link.rel = 'stylesheet';
    link.href = cfg.css;
    root.appendChild(link);
    try { dyn = new CSSStyleSheet(); root.adoptedStyleSheets = [dyn]; } catch (e) { dyn = null; }
    var box = el('div', 'slate ' + (spot ? 'inline' : cfg.position === 'left' ? 'left' : 'right'));
    box.hidden = true;
    link.onload = link.onerror = function () { box.hidden = false; };
    var launcher = attrs(el('button', 'launcher'), { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'slate-panel' });
    var lname = el('span', 'sr'), badge = attrs(el('span', 'badge'), { 'aria-hidden': 'true' });
    launcher.append(icon('chat'), icon('close'), lname, badge);
    if (!spot) box.appendChild(launcher);
    root.appendChild(box);
    (spot || D.body).appendChild(host);
    var panel, status, log, chips, input, bSend, announcer, typing, mq, keep;

    function on(target, type, fn, opt) { target.addEventListener(type, fn, opt); offs.push(function () { target.removeEventListener(type, fn, opt); }); }
    function label(n) {
      if (n != null && n !== unread) { unread = n; emit('unread', { count: n }); }
      lname.textContent = t('chat') + (unread ? ', ' + t(unread === 1 ? 'unread1' : 'unreadN', { n: unread }) : '');
      badge.textContent = unread ? String(unread) : '';
    }
    label();
    function setState(s) { if (s !== state) { state = s; emit('connection', { state: s }); } }
    on(window, 'storage', function (e) {
      if (e.key !== key || !store || e.storageArea !== store) return;
      var v = null;
      try { v = JSON.parse(e.newValue).t; } catch (x) { /* removed */ }
      if (typeof v !== 'string') v = null;
      if (v !== token) adopt(v);
    });
    on(launcher, 'click', function () { api.toggle(true); });
    on(root, 'pointerdown', function (e) { lastPointer = e.pointerType; }, true);
    on(root, 'keydown', function () { lastPointer = 'key'; }, true);

    /* ---------- the panel, built on first open ---------- */
    function build() {
      panel = attrs(el('section', 'panel'), { id: 'slate-panel', 'aria-labelledby': 'slate-title' });
      panel.hidden = true;
      var head = el('div', 'head'), h = attrs(el('h2', null, cfg.title), { id: 'slate-title' });
      var bNew = button('icon', S.newChat, 'fresh'), bDl = button('icon', S.download, 'download'), bClose = button('icon', S.close, 'close');
      head.append(h, bNew, bDl, bClose);
      bClose.hidden = !!spot;
      status = attrs(el('div', 'status'), { role: 'status' });
      log = attrs(el('div', 'log'), { role: 'log', 'aria-live': 'off', 'aria-label': S.log, tabindex: '0' });
      chips = attrs(el('div', 'chips'), { role: 'group', 'aria-label': S.suggestions });
      var row = el('div', 'compose'), lab = attrs(el('label', 'sr', S.input), { for: 'slate-input' });
      input = attrs(el('input'), { id: 'slate-input', type: 'text', autocomplete: 'off', enterkeyhint: 'send', maxlength: '2000', placeholder: S.placeholder });
      bSend = button('send', S.send, 'send');
      row.append(lab, input, bSend);
      announcer = attrs(el('div', 'sr'), { 'aria-live': 'polite' });
      /* what is kept, and for how long, heads the conversation; Forget is always at hand */
      keep = el('div', 'keep');
      var bForget = button('link', S.forget);
      keep.append(el('p', null, t(cfg.storage === 'none' ? 'keepNone' : cfg.storage === 'session' ? 'keepTab' : 'keep')), bForget);
      bForget.onclick = function () { api.forget(); quietFocus(); };
      log.append(keep, chips); /* suggestions scroll with the conversation, always last */
      panel.append(head, status, log, row, announcer);
      box.appendChild(panel);
      bClose.onclick = function () { api.close(true); };
      bNew.onclick = function () { api.reset(); quietFocus(); };
      bDl.onclick = download;
      bSend.onclick = function () { send(); };
      input.onkeydown = function (e) {
        input.readOnly = false;
        if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); send(); }
      };
      input.onpointerdown = input.onblur = function () { input.readOnly = false; };
      panel.onkeydown = function (e) {
        if (e.key === 'Escape' && !spot) { e.preventDefault(); api.close(true); }
        else if (e.key === 'Tab' && box.classList.contains('full')) trap(e);
      };
      mq = matchMedia(FULL);
      var layout = function () {
        var full = !spot && mq.matches;
        box.classList.toggle('full', full);
        panel.setAttribute('role', full ? 'dialog' : 'region');
        if (full) panel.setAttribute('aria-modal', 'true'); else panel.removeAttribute('aria-modal');
      };
      layout();
      on(mq, 'change', layout);
      var vv = window.visualViewport, raf = 0;
      if (vv && dyn) {
        var fit = function () {
          raf = raf || requestAnimationFrame(function () {
            raf = 0;
            dyn.replaceSync(':host{--slate-vh:' + Math.round(vv.height) + 'px;--slate-vt:' + Math.round(vv.offsetTop) + 'px}');
          });
        };
        fit();
        on(vv, 'resize', fit);
        on(vv, 'scroll', fit);
      }
      on(window, 'online', function () { if (timer) connect(); else if (welcomed) setStatus(''); });
      on(window, 'offline', function () { if (!welcomed && !halt) { setStatus(S.offline); setState('offline'); } });
    }
    function trap(e) {
      var f = Array.prototype.filter.call(panel.querySelectorAll('button,input,[tabindex="0"]'), function (n) {
        return n.tabIndex >= 0 && n.getClientRects().length;
      });
      var a = root.activeElement, first = f[0], lastF = f[f.length - 1];
      if (e.shiftKey ? a === first : a === lastF) { e.preventDefault(); (e.shiftKey ? lastF : first).focus(); }
    }
    /* Focus the input; after a touch, keep it read-only until the user taps it,
     * so the phone keyboard does not pop up over the answer. */
    function quietFocus() {
      if (!input) return;
      if (lastPointer === 'touch' || lastPointer === 'pen') input.readOnly = true;
      input.focus({ preventScroll: true });
    }
    var stTimer = 0;
    function setStatus(s, clearAfter) {
      if (!status || halt && s !== t(halt)) return;
      clearTimeout(stTimer);
      status.textContent = s || '';
      if (clearAfter) stTimer = setTimeout(function () { status.textContent = ''; }, clearAfter);
    }
    function announce(s) {
      announcer.textContent = '';
      setTimeout(function () { announcer.textContent = s; }, 60);
    }
    /* Scroll the log so n (and whatever follows it) shows, but never past n's top. */
    function reveal(n) {
      var lr = log.getBoundingClientRect(), top = n.getBoundingClientRect().top, end = log.scrollHeight - log.scrollTop + lr.top;
      log.scrollTop += Math.min(top - lr.top - 8, end - lr.bottom);
    }

    /* ---------- transcript ---------- */
    function msg(from, text, ts) {
      var n = el('div', 'msg ' + from), body = el('p', 'text');
      n.appendChild(el('span', 'sr', (from === 'user' ? S.you : cfg.title) + ': '));
      if (from === 'bot') { linkify(body, text); if (!/^en\b/i.test(lang)) body.lang = 'en'; } else body.textContent = text;
      n.appendChild(body);
      log.insertBefore(n, typing && typing.parentNode ? typing : chips);
      transcript.push({ from: from, text: text, ts: ts || Date.now() });
      return n;
    }
    function showTyping() {
      var wait = welcomed && pending.length > 0;
      if (!typing) {
        typing = el('div', 'typing');
        typing.append(el('span', 'dot'), el('span', 'dot'), el('span', 'dot'), el('span', 'sr', t('typing')));
      }
      if (wait && !typing.parentNode) { log.insertBefore(typing, chips); reveal(typing); }
      if (!wait && typing.parentNode) typing.remove();
    }
    function setChips(list) {
      chips.textContent = '';
      arr(list).slice(0, 6).forEach(function (s) {
        s = str(s);
        if (!s) return;
        var b = button('chip', s);
        b.onclick = function () { quietFocus(); ask(s); };
        chips.appendChild(b);
      });
    }
    function retire() {
      Array.prototype.forEach.call(log.querySelectorAll('.opt:not([aria-disabled])'), function (b) {
        attrs(b, { 'aria-disabled': 'true', tabindex: '-1' });
      });
    }
    function reply(m, ts) {
      var n = msg('bot', str(m.text), ts);
      n.setAttribute('data-kind', str(m.kind));
      var said = [str(m.text)];
      chart(n, said, 'ladder', S.ladder, m.ladder, 'true', function (i, f) { return i === f ? [S.asked] : []; });
      chart(n, said, 'plan', S.plan, m.plan, 'step', function (i, f, last) {
        return [i === 0 && S.start, i === f && S.now, i === last && S.goal].filter(Boolean);
      });
      var opts = arr(m.options).filter(function (o) { return o && o.value != null; });
      if (opts.length) {
        var g = attrs(el('div', 'opts'), { role: 'group', 'aria-label': S.options });
        opts.forEach(function (o) {
          var lab = str(o.label || o.value), b = button('opt', lab);
          b.setAttribute('data-v', str(o.value));
          b.onclick = function () {
            if (b.getAttribute('aria-disabled')) return;
            b.classList.add('chosen');
            ask(str(o.value), lab);
            quietFocus();
          };
          g.appendChild(b);
        });
        n.appendChild(g);
        said.push(S.options + ': ' + opts.map(function (o) { return str(o.label || o.value); }).join(', '));
      }
      n.said = said.join('\n');
      var cites = arr(m.citations).filter(function (c) { return c && c.title; });
      if (cites.length) {
        var det = el('details', 'cites'), ol = el('ol');
        det.append(el('summary', null, t('cites', { n: cites.length })), ol);
        said.push(S.sources);
        cites.forEach(function (c) {
          var li = el('li'), u = safe(c.url), name = str(c.title);
          if (u) {
            var a = el('a', null, name);
            a.href = u; a.rel = 'noopener noreferrer'; a.target = '_blank';
            a.appendChild(el('span', 'sr', S.newTab));
            li.appendChild(a);
          } else li.textContent = name;
          ol.appendChild(li);
          said.push('- ' + name + (u ? ' <' + u + '>' : ''));
        });
        n.appendChild(det);
      }
      transcript[transcript.length - 1].text = said.join('\n');
      return n;
    }
    /* A chain of command or a career path: an ordered list drawn as steps,
     * each mark said in words too (not colour alone). */
    function chart(n, said, cls, cap, d, cur, tags) {
      var steps = arr(d && d.steps);
      if (!steps.length) return;
      var fig = el('figure', 'chart ' + cls), ol = el('ol');
      fig.append(el('figcaption', null, cap), ol);
      steps.forEach(function (s, i) {
        var li = el('li', i < d.focus ? 'done' : null), name = str(s && (s.title || s.id)), tg = tags(i, d.focus, steps.length - 1);
        li.appendChild(el('span', 'rung', name));
        if (i === d.focus) { li.className = 'focus'; li.setAttribute('aria-current', cur); }
        if (tg.length) li.appendChild(el('span', 'tag', tg.join(', ')));
        ol.appendChild(li);
        said.push((i + 1) + '. ' + name + (tg.length ? ' (' + tg.join(', ') + ')' : ''));
      });
      n.appendChild(fig);
    }
    /* Empty the log (the retention note and the chips stay). */
    function clear() {
      transcript = [];
      if (!log) return;
      while (keep.nextSibling !== chips) log.removeChild(keep.nextSibling);
      setChips([]);
    }
    /* Another tab of this site switched the conversation (new, resumed or forgotten): follow it. */
    function adopt(v) {
      token = v;
      redraw = true;
      clear();
      if (!v) {
        redraw = false;
        if (log) msg('bot', S.forgotten);
        if (ws) { var s = ws; ws = null; welcomed = false; s.close(); }
        pending.forEach(function (p) { log.insertBefore(p.node, chips); });
        if (pending.length) connect();
      } else if (welcomed) { welcomed = false; put({ type: 'hello', session: v }); }
      else if (isOpen && !ws) connect();
    }

    /* ---------- connection ---------- */
    function put(o) { try { ws.send(JSON.stringify(o)); return true; } catch (e) { return false; } }
    function connect() {
      clearTimeout(timer);
      timer = 0;
      if (ws || dead || halt === 'origin' || halt === 'closed') return;
      if (halt) { halt = ''; setStatus(S.connecting); }
      var s, opened = false;
      try { s = new WebSocket(cfg.server); } catch (e) { retry(); return; }
      ws = s;
      setState('connecting');
      var limit = setTimeout(function () { s.close(); }, 10000);
      s.onopen = function () { opened = known = true; refusals = 0; clearTimeout(limit); put({ type: 'hello', session: token }); };
      s.onmessage = function (e) { if (ws === s) frame(e.data); };
      s.onclose = function (e) {
        clearTimeout(limit);
        if (ws !== s) return;
        ws = null;
        welcomed = false;
        clearTimeout(watch);
        showTyping();
        pending.forEach(function (p) { p.node.classList.add('queued'); });
        /* 1000 is the server's idle timeout: stay quiet until there is something to send */
        if (e.code === 1000 && !pending.length) { setStatus(''); setState('idle'); }
        else if (e.code === 1007 || e.code === 1008 || e.code === 1009) stop('closed', e.code);
        else if (opened || navigator.onLine === false) retry();
        else probe();
      };
    }
    /* The upgrade failed, and the browser does not say why. If the server answers
     * plain HTTP, it is up and refused us (403 origin, 429 or 503 too many
     * connections): after two such refusals, stop and say so. */
    function probe() {
      var u = new URL(cfg.server), same = u.host === location.host;
      u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
      u.pathname = '/healthz';
      u.search = '';
      fetch(u.href, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' }).then(function (r) {
        if (r.type === 'opaque' || r.status < 500 ? ++refusals < 2 : (refusals = 0, true)) retry();
        else stop(same || known ? 'limit' : 'origin');
      }, retry);
    }
    /* A final state: no more reconnecting by itself. 'limit' is tried again by the user. */
    function stop(why, code) {
      if (dead) return;
      clearTimeout(timer);
      timer = 0;
      halt = why;
      setState('refused');
      if (status) {
        clearTimeout(stTimer);
        status.textContent = t(why);
        if (why === 'limit') {
          var b = button('retry', S.again);
          b.onclick = function () { connect(); quietFocus(); };
          status.appendChild(b);
        }
        if (why === 'origin') input.disabled = bSend.disabled = true;
      }
      showTyping();
      emit('error', { reason: why, code: code, text: t(why) });
    }
    function retry() {
      if (dead || halt) return;
      setState(navigator.onLine === false ? 'offline' : 'reconnecting');
      setStatus(navigator.onLine === false ? S.offline : S.reconnecting);
      var d = Math.min(30000, 1000 * Math.pow(2, attempt++));
      timer = setTimeout(connect, d / 2 + Math.random() * d / 2);
    }
    /* The user is waiting: try soon, without resetting the backoff. */
    function nudge() {
      if (ws || dead || halt || !timer) return;
      clearTimeout(timer);
      timer = setTimeout(connect, 200 + Math.random() * 300);
    }
    function guard() {
      clearTimeout(watch);
      if (pending.length && ws) watch = setTimeout(function () { if (ws) ws.close(); }, 20000);
    }
    function frame(data) {
      var m;
      try { m = JSON.parse(data); } catch (e) { return; }
      if (m && typeof m === 'object') handle(m);
      guard();
    }
    function handle(m) {
      if (m.type === 'welcome') {
        var fresh = redraw || !transcript.length && !pending.length;
        if (typeof m.session === 'string') token = m.session;
        if (m.limits && m.limits.max_text > 0) input.maxLength = m.limits.max_text;
        save();
        if (fresh) {
          if (redraw) clear();
          redraw = false;
          var h = arr(m.history);
          h.forEach(function (x) {
            var ts = x && typeof x.ts === 'number' ? (x.ts < 1e12 ? x.ts * 1000 : x.ts) : 0;
            if (x && x.from === 'user') {
              var said = str(x.text), hit = log.querySelector('.opt:not([aria-disabled])[data-v="' + CSS.escape(said) + '"]');
              if (hit) hit.classList.add('chosen');
              retire();
              msg('user', hit ? hit.textContent : said, ts);
            } else if (x) reply(x, ts);
          });
          if (!h.length && m.text) msg('bot', str(m.text));
          pending.forEach(function (p) { log.insertBefore(p.node, chips); });
          setChips(m.suggestions);
          log.scrollTop = log.scrollHeight;
        }
        setStatus(attempt ? S.back : '', 3000);
        attempt = 0;
        welcomed = true;
        setState('connected');
        if (forgetting) put({ type: 'forget' });
        pending.forEach(function (p) { p.node.classList.remove('queued'); put({ type: 'ask', id: p.id, text: p.text }); });
        showTyping();
      } else if (m.type === 'reply') {
        var i = pending.findIndex(function (p) { return p.id === m.re; });
        if (i < 0) return; /* answered already */
        pending.splice(i, 1);
        if (typeof m.session === 'string' && m.session !== token) { token = m.session; save(); }
        var n = reply(m);
        setChips(m.suggestions);
        showTyping();
        reveal(n);
        if (!isOpen) label(unread + 1);
        announce(cfg.title + ': ' + n.said);
        emit('message', { from: 'bot', text: str(m.text), kind: m.kind, intent: m.intent, reply: m });
      } else if (m.type === 'forgotten') {
        forgetting = false;
        token = null;
        save();
        if (renew) { renew = false; return; }
        pending = [];
        clear();
        showTyping();
        msg('bot', str(m.text) || S.forgotten);
        announce(str(m.text) || S.forgotten);
      } else if (m.type === 'error') {
        var j = pending.findIndex(function (p) { return p.id === m.re; });
        emit('error', { reason: str(m.code), text: str(m.text), re: m.re });
        if (j < 0) { forgetting = renew = false; setStatus(str(m.text), 8000); return; }
        var p = pending.splice(j, 1)[0], note = el('p', 'note err', S.failed + str(m.text));
        p.node.appendChild(note);
        if (m.code === 'too_long' || m.code === 'bad_field') {
          /* sending it again would fail again: hand the text back to be edited */
          if (input && !input.value) input.value = p.text;
        } else {
          var b = button('retry', S.retry);
          note.appendChild(b);
          b.onclick = function () { note.remove(); quietFocus(); queue(p.text, p.node); };
        }
        showTyping();
        announce(S.failed + str(m.text));
      }
    }
    function queue(text, node) {
      var p = { id: uid(), text: text, node: node };
      pending.push(p);
      if (welcomed && put({ type: 'ask', id: p.id, text: text })) guard();
      else { node.classList.add('queued'); if (!ws && !timer) connect(); else nudge(); }
      showTyping();
    }
    function ask(text, shown) {
      text = str(text).trim();
      if (!text) return;
      retire();
      setChips([]);
      var n = msg('user', shown || text), q = el('p', 'q', S.queued);
      n.appendChild(q);
      queue(text, n);
      log.scrollTop = log.scrollHeight;
      emit('message', { from: 'user', text: shown || text, value: text });
    }
    function send() {
      var v = input.value;
      if (!v.trim()) return;
      input.value = '';
      ask(v);
    }
    function download() {
      var pad = function (x) { return (x < 10 ? '0' : '') + x; };
      var stamp = function (ms, long) {
        var d = new Date(ms);
        return (long ? d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' : '') + pad(d.getHours()) + ':' + pad(d.getMinutes());
      };
      var lines = [cfg.title, S.saved + stamp(Date.now(), true), ''];
      transcript.forEach(function (x) {
        lines.push((x.ts ? '[' + stamp(x.ts) + '] ' : '') + (x.from === 'user' ? S.you : cfg.title) + ': ' + x.text.replace(/\n/g, '\n    ').replace(/ +\n/g, '\n'));
      });
      var a = el('a'), url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/plain;charset=utf-8' }));
      a.href = url;
      a.download = 'transcript-' + stamp(Date.now(), true).slice(0, 10) + '.txt';
      root.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }

    var api = {
      open: function (focus) {
        if (!panel) build();
        if (!isOpen) {
          isOpen = true;
          panel.hidden = false;
          box.classList.add('open');
          launcher.setAttribute('aria-expanded', 'true');
          label(0);
          save();
          if (!ws && !timer && !halt) { setStatus(S.connecting); connect(); }
          log.scrollTop = log.scrollHeight;
          emit('open', {});
        }
        if (focus) quietFocus();
      },
      close: function (focus) {
        if (!isOpen || spot) return;
        var inside = root.activeElement && panel.contains(root.activeElement);
        isOpen = false;
        panel.hidden = true;
        box.classList.remove('open');
        launcher.setAttribute('aria-expanded', 'false');
        save();
        if (focus || inside) launcher.focus();
        emit('close', {});
      },
      toggle: function (focus) { if (isOpen) api.close(focus); else api.open(focus); },
      /* New conversation: the server forgets this session, a fresh one starts. */
      reset: function () {
        pending = [];
        token = null;
        save();
        clear();
        if (!panel) return;
        showTyping();
        if (welcomed) { renew = true; put({ type: 'forget' }); welcomed = false; put({ type: 'hello', session: null }); }
        else if (ws) { var s = ws; ws = null; s.close(); connect(); }
      },
      /* Forget this conversation: the server deletes it, this browser drops the token. */
      forget: function () {
        if (!panel) build();
        if (welcomed) put({ type: 'forget' });
        else if (token) { forgetting = true; connect(); }
        else { pending = []; clear(); msg('bot', S.forgotten); showTyping(); }
      },
      destroy: function () {
        dead = true;
        clearTimeout(timer);
        clearTimeout(watch);
        if (ws) { var s = ws; ws = null; s.close(); }
        offs.forEach(function (f) { f(); });
        host.remove();
      },
      get isOpen() { return isOpen; },
      get state() { return state; },
      host: host
    };
    if (spot || flag(cfg.open) || saved.o) api.open(false);
    return api;
  }

  function config(o) {
    var c = Object.assign({ title: 'Slate', position: 'right', storage: 'local', days: 30, lang: D.documentElement.lang || 'en' }, o);
    c.server = wsUrl(c.server);
    c.css = c.css || new URL('widget.css', base).href;
    return c;
  }
  function call(name, focus) { return function () { if (inst) inst[name](focus); }; }
  window.Slate = {
    version: '0.1.0',
    init: function (opts) {
      if (inst) inst.destroy();
      inst = Widget(config(opts || {}));
      ready = { version: this.version };
      emit('ready', ready);
      return window.Slate;
    },
    open: call('open', true),
    close: call('close', false),
    toggle: call('toggle', true),
    reset: function () { if (inst) inst.reset(); },
    forget: function () { if (inst) inst.forget(); },
    /* commands queued before this script ran, and later ones: ['name', args…] */
    push: function () {
      Array.prototype.forEach.call(arguments, function (c) {
        var f = Array.isArray(c) && c[0] !== 'push' && window.Slate[c[0]];
        if (typeof f === 'function') f.apply(window.Slate, c.slice(1));
      });
      return window.Slate;
    },
    destroy: function () { if (inst) inst.destroy(); inst = null; ready = null; },
    on: function (type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
      if (type === 'ready' && ready) fn(ready);
      return window.Slate;
    },
    off: function (type, fn) {
      handlers[type] = (handlers[type] || []).filter(function (f) { return f !== fn; });
      return window.Slate;
    },
    get isOpen() { return !!(inst && inst.isOpen); },
    get state() { return inst ? inst.state : ''; }
  };

  /* Queued handlers first, then the script tag configures itself (unless it says
   * data-init="manual" or an init was queued), then the other queued calls. */
  var isOn = function (c) { return Array.isArray(c) && (c[0] === 'on' || c[0] === 'off'); };
  window.Slate.push.apply(null, Q.filter(isOn));
  Q = Q.filter(function (c) { return !isOn(c); });
  var c = {}, go = function () {
    if (me && me.dataset.init !== 'manual' && !Q.some(function (x) { return x && x[0] === 'init'; })) window.Slate.init(c);
    window.Slate.push.apply(null, Q);
  };
  if (me) ['server', 'title', 'position', 'open', 'storage', 'inline', 'days', 'lang'].forEach(function (k) { if (me.dataset[k] != null) c[k] = me.dataset[k]; });
  if (D.body) go(); else D.addEventListener('DOMContentLoaded', go);
})();
