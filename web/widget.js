/* Slate chat widget: plain JavaScript, no framework, no build step.
 * Embed:  <script src="https://help.example/widget.js" data-server="wss://help.example/chat" defer></script>
 * or      Slate.init({server, title, position, open, storage, lang, css, strings})
 * API:    Slate.open() close() toggle() reset() on(type, fn) off(type, fn) destroy()
 * Events: ready, message, open, close (also window CustomEvents "slate:<type>").
 * Everything is built with createElement and textContent; no inline style or script,
 * so it runs under script-src 'self'; style-src 'self'. See web/README.md. */
(function () {
  'use strict';
  if (window.Slate && window.Slate.version) return;
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
    sources: 'Sources: ', saved: 'Saved '
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

  function Widget(cfg) {
    var S = Object.assign({}, EN, cfg.strings || {});
    var t = function (k, v) { return fill(S[k], Object.assign({ title: cfg.title }, v)); };
    var store = null, key = 'slate:' + cfg.server, mem = {};
    try { store = cfg.storage === 'none' ? null : cfg.storage === 'local' ? localStorage : sessionStorage; } catch (e) { /* blocked */ }
    function load() { try { return JSON.parse(store.getItem(key)) || {}; } catch (e) { return mem; } }
    function save() {
      mem = { t: token, o: isOpen };
      try { store.setItem(key, JSON.stringify(mem)); } catch (e) { /* memory only */ }
    }
    var saved = load(), token = typeof saved.t === 'string' ? saved.t : null;
    var isOpen = false, unread = 0, lastPointer = '', offs = [];
    var ws = null, welcomed = false, attempt = 0, timer = 0, watch = 0, dead = false;
    var pending = [], transcript = [];
    var host = el('slate-widget'), root = host.attachShadow({ mode: 'open' });
    var link = el('link'), dyn = null;
    host.setAttribute('lang', cfg.lang);
    link.rel = 'stylesheet';
    link.href = cfg.css;
    root.appendChild(link);
    try { dyn = new CSSStyleSheet(); root.adoptedStyleSheets = [dyn]; } catch (e) { dyn = null; }
    var box = el('div', 'slate ' + (cfg.position === 'left' ? 'left' : 'right'));
    box.hidden = true;
    link.onload = link.onerror = function () { box.hidden = false; };
    var launcher = attrs(el('button', 'launcher'), { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'slate-panel' });
    var lname = el('span', 'sr'), badge = attrs(el('span', 'badge'), { 'aria-hidden': 'true' });
    launcher.append(icon('chat'), icon('close'), lname, badge);
    box.appendChild(launcher);
    root.appendChild(box);
    D.body.appendChild(host);
    var panel, status, log, chips, input, announcer, typing, mq;

    function on(target, type, fn, opt) { target.addEventListener(type, fn, opt); offs.push(function () { target.removeEventListener(type, fn, opt); }); }
    function label() {
      lname.textContent = t('chat') + (unread ? ', ' + t(unread === 1 ? 'unread1' : 'unreadN', { n: unread }) : '');
      badge.textContent = unread ? String(unread) : '';
    }
    label();
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
      status = attrs(el('div', 'status'), { role: 'status' });
      log = attrs(el('div', 'log'), { role: 'log', 'aria-live': 'off', 'aria-label': S.log, tabindex: '0' });
      chips = attrs(el('div', 'chips'), { role: 'group', 'aria-label': S.suggestions });
      var row = el('div', 'compose'), lab = attrs(el('label', 'sr', S.input), { for: 'slate-input' });
      input = attrs(el('input'), { id: 'slate-input', type: 'text', autocomplete: 'off', enterkeyhint: 'send', maxlength: '2000', placeholder: S.placeholder });
      var bSend = button('send', S.send, 'send');
      row.append(lab, input, bSend);
      announcer = attrs(el('div', 'sr'), { 'aria-live': 'polite' });
      log.appendChild(chips); /* suggestions scroll with the conversation, always last */
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
        if (e.key === 'Escape') { e.preventDefault(); api.close(true); }
        else if (e.key === 'Tab' && box.classList.contains('full')) trap(e);
      };
      mq = matchMedia(FULL);
      var layout = function () {
        var full = mq.matches;
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
      on(window, 'offline', function () { if (!welcomed) setStatus(S.offline); });
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
      if (!status) return;
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
      if (from === 'bot') linkify(body, text); else body.textContent = text;
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
      var lad = m.ladder;
      if (lad && arr(lad.steps).length) {
        var fig = el('figure', 'ladder'), ol = el('ol');
        fig.append(el('figcaption', null, S.ladder), ol);
        lad.steps.forEach(function (s, i) {
          var li = el('li'), name = str(s && (s.title || s.id));
          li.appendChild(el('span', 'rung', name));
          if (i === lad.focus) { li.className = 'focus'; li.setAttribute('aria-current', 'true'); li.appendChild(el('span', 'tag', S.asked)); }
          ol.appendChild(li);
          said.push((i + 1) + '. ' + name + (i === lad.focus ? ' (' + S.asked + ')' : ''));
        });
        n.appendChild(fig);
      }
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
      var src = arr(m.sources).filter(function (s) { return s && s.title; });
      if (src.length) {
        var p = el('p', 'src', S.sources);
        src.forEach(function (s, i) {
          if (i) p.appendChild(D.createTextNode('; '));
          linkify(p, str(s.title) + (s.url ? ' ' + str(s.url) : ''));
        });
        n.appendChild(p);
      }
      transcript[transcript.length - 1].text = said.join('\n');
      return n;
    }

    /* ---------- connection ---------- */
    function put(o) { try { ws.send(JSON.stringify(o)); return true; } catch (e) { return false; } }
    function connect() {
      clearTimeout(timer);
      timer = 0;
      if (ws || dead) return;
      var s;
      try { s = new WebSocket(cfg.server); } catch (e) { retry(); return; }
      ws = s;
      var limit = setTimeout(function () { s.close(); }, 10000);
      s.onopen = function () { clearTimeout(limit); put({ type: 'hello', session: token }); };
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
        if (e.code === 1000 && !pending.length) setStatus('');
        else retry();
      };
    }
    function retry() {
      if (dead) return;
      setStatus(navigator.onLine === false ? S.offline : S.reconnecting);
      var d = Math.min(30000, 1000 * Math.pow(2, attempt++));
      timer = setTimeout(connect, d / 2 + Math.random() * d / 2);
    }
    /* The user is waiting: try soon, without resetting the backoff. */
    function nudge() {
      if (ws || dead || !timer) return;
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
        var fresh = !transcript.length && !pending.length;
        if (typeof m.session === 'string') token = m.session;
        if (m.limits && m.limits.max_text > 0) input.maxLength = m.limits.max_text;
        save();
        if (fresh) {
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
          setChips(m.suggestions);
          log.scrollTop = log.scrollHeight;
        }
        setStatus(attempt ? S.back : '', 3000);
        attempt = 0;
        welcomed = true;
        pending.forEach(function (p) { p.node.classList.remove('queued'); put({ type: 'ask', id: p.id, text: p.text }); });
        showTyping();
      } else if (m.type === 'reply') {
        var i = pending.findIndex(function (p) { return p.id === m.re; });
        if (i < 0) return; /* answered already */
        pending.splice(i, 1);
        var n = reply(m);
        setChips(m.suggestions);
        showTyping();
        reveal(n);
        if (!isOpen) { unread++; label(); }
        announce(cfg.title + ': ' + transcript[transcript.length - 1].text);
        emit('message', { from: 'bot', text: str(m.text), kind: m.kind, intent: m.intent, reply: m });
      } else if (m.type === 'error') {
        var j = pending.findIndex(function (p) { return p.id === m.re; });
        if (j < 0) { setStatus(str(m.text), 8000); return; }
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
          unread = 0;
          label();
          save();
          if (!ws && !timer) { setStatus(S.connecting); connect(); }
          log.scrollTop = log.scrollHeight;
          emit('open', {});
        }
        if (focus) quietFocus();
      },
      close: function (focus) {
        if (!isOpen) return;
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
        transcript = [];
        token = null;
        save();
        if (!panel) return;
        while (log.firstChild !== chips) log.removeChild(log.firstChild);
        setChips([]);
        showTyping();
        if (welcomed) { put({ type: 'forget' }); welcomed = false; put({ type: 'hello', session: null }); }
        else if (ws) { var s = ws; ws = null; s.close(); connect(); }
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
      host: host
    };
    if (flag(cfg.open) || saved.o) api.open(false);
    return api;
  }

  function config(o) {
    var c = Object.assign({ title: 'Slate', position: 'right', storage: 'session', lang: D.documentElement.lang || 'en' }, o);
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
    get isOpen() { return !!(inst && inst.isOpen); }
  };

  /* The script tag configures itself unless it says data-init="manual". */
  if (me && me.dataset.init !== 'manual') {
    var c = {};
    ['server', 'title', 'position', 'open', 'storage', 'lang'].forEach(function (k) { if (me.dataset[k] != null) c[k] = me.dataset[k]; });
    var go = function () { window.Slate.init(c); };
    if (D.body) go(); else D.addEventListener('DOMContentLoaded', go);
  }
})();
