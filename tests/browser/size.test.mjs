// The widget's size budget: JS + CSS at most 15 KB gzipped (no build step,
// so the files in web/ are what a school's visitors download).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './lib.mjs';

const BUDGET = 15 * 1024;

test('widget.js + widget.css gzipped fit in 15 KB', () => {
  let total = 0;
  const rows = ['widget.js', 'widget.css'].map((f) => {
    const raw = fs.readFileSync(path.join(ROOT, 'web', f));
    const gz = zlib.gzipSync(raw, { level: 9 }).length;
    total += gz;
    return `${f}: ${raw.length} bytes, ${gz} gzipped`;
  });
  console.log(`widget size: ${rows.join('; ')}; total ${total} bytes gzipped (budget ${BUDGET})`);
  assert.ok(total <= BUDGET, `${total} > ${BUDGET}`);
});

test('no inline script or style, no eval, no innerHTML in web/', () => {
  const js = fs.readFileSync(path.join(ROOT, 'web/widget.js'), 'utf8');
  assert.doesNotMatch(js, /\beval\(|new Function|innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\(['"]style|\.style\./);
  for (const f of fs.readdirSync(path.join(ROOT, 'web')).filter((x) => x.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(ROOT, 'web', f), 'utf8');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\ssrc=)/i, f);
  }
});
