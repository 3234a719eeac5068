// The web app in a real browser: Debian's chromium, headless, driven by
// playwright-core against the real divcheckd (started by web_app_test.sh
// with the shipped lexicons and --max_text_bytes=32768).
//
// Usage: node web_app_test.mjs HTTP_PORT OUT_DIR
// Writes web-de.png and web-en.png (and -full.png, the whole page) to OUT_DIR, and prints the start page's
// first paint and transferred bytes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const [port, outDir] = process.argv.slice(2);
const BASE = `http://127.0.0.1:${port}`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// An ad with an emoji (two UTF-16 units, one code point), umlauts and a
// combining acute accent (e + U+0301) before the findings.
const AD_DE = '🙂 Für unser Cafe\u0301 in München suchen wir einen Verkäufer in Vollzeit.\n' +
  'Wir sind ein junges Team und freuen uns auf Sie.\n' +
  'Sie sind belastbar und sprechen Deutsch als Muttersprache.\n' +
  'Schwerbehinderte Menschen werden bei gleicher Eignung bevorzugt berücksichtigt.';
const AD_EN = '🙂 We are looking for a salesman to join our young team in Zürich.';

let browser;
const problems = [];  // console errors, CSP violations, page errors

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
});

after(async () => {
  if (browser) await browser.close();
});

async function openPage(locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    // Chromium logs every 4xx answer; the too-large text's 413 is expected.
    if (m.type() === 'error' && !/status of 413/.test(m.text())) problems.push(`${locale}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${locale}: ${e.message}`));
  const response = await page.goto(`${BASE}/`);
  assert.equal(response.status(), 200);
  await waitShown(page, 0);  // the first check (of the empty text)
  return { context, page };
}

function shown(page) {
  return page.evaluate(() => Number(document.body.dataset.shown || 0));
}

async function waitShown(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.shown || 0) > n, before,
                             { timeout: 30000 });
}

// Pastes `text` into the ad box (as a paste does: one input event) and
// waits for its check.
async function paste(page, text) {
  const n = await shown(page);
  await page.locator('#ad').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await waitShown(page, n);
  assert.equal(await page.locator('#ad').inputValue(), text);
}

// The marks behind the text: their text, UTF-16 start and severity.
function marks(page) {
  return page.$$eval('#backdrop mark', (ms) => ms.map((m) => ({
    text: m.textContent, start: Number(m.dataset.start), kind: m.className,
  })));
}

test('the page and its files come with a strict CSP, caching headers and types', async () => {
  const res = await fetch(`${BASE}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${BASE}/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const js = await fetch(`${BASE}/js/main.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const css = await fetch(`${BASE}/app.css`);
  assert.match(css.headers.get('content-type'), /^text\/css/);
});

test('German ad after an emoji, umlauts and a combining mark: the right words are marked', async () => {
  const { context, page } = await openPage('de-DE');
  assert.equal(await page.locator('h1').textContent(), 'divcheck – Stellenanzeige prüfen');
  await paste(page, AD_DE);
  const found = await marks(page);
  const byText = (t) => found.find((m) => m.text === t);
  for (const words of ['Verkäufer', 'junges Team']) {
    const m = byText(words);
    assert.ok(m, `no mark on "${words}" in ${JSON.stringify(found)}`);
    assert.equal(m.start, AD_DE.indexOf(words), `mark on "${words}" starts at the wrong place`);
    assert.match(m.kind, /mark-critical/);
  }
  // The good element is marked and listed too.
  const good = found.find((m) => /mark-good/.test(m.kind));
  assert.ok(good && good.text.startsWith('Schwerbehinderte Menschen'), JSON.stringify(found));
  assert.match(await page.locator('#good').textContent(), /Schwerbehinderte Menschen/);
  // Every mark covers exactly the text at its place.
  for (const m of found) assert.equal(AD_DE.slice(m.start, m.start + m.text.length), m.text);
  // The list: severity as a word, the reason, the legal basis.
  const item = page.locator('li.finding', { has: page.locator('q.matched', { hasText: 'junges Team' }) });
  await assert.doesNotReject(item.waitFor());
  assert.match(await item.locator('.badge').textContent(), /Kritisch/);
  assert.match(await item.locator('.facts').textContent(), /AGG/);
  assert.match(await page.locator('[data-testid=grade]').textContent(), /[A-E]/);
  assert.equal(await page.locator('#dimensions li').count(), 7);
  await page.screenshot({ path: path.join(outDir, 'web-de-full.png'), fullPage: true });
  await page.screenshot({ path: path.join(outDir, 'web-de.png') });
  await context.close();
});

test('a long ad wraps into the same lines in the text box and behind it', async () => {
  const { context, page } = await openPage('de-DE');
  const long = Array(8).fill(AD_DE).join('\n\n');
  await paste(page, long);
  const [behind, box, line] = await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('backdrop'));
    const ad = document.getElementById('ad');
    const cs = getComputedStyle(ad);
    return [range.getBoundingClientRect().height,
            ad.scrollHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom),
            parseFloat(cs.lineHeight)];
  });
  assert.ok(box > 20 * line, `the text is ${box / line} lines`);
  assert.ok(Math.abs(behind - box) < line / 2, `text ${box}px, marks ${behind}px`);
  const last = (await marks(page)).filter((m) => m.text === 'junges Team').pop();
  assert.equal(last.start, long.lastIndexOf('junges Team'));
  await context.close();
});

test('a suggestion click replaces the marked words, and text and score update', async () => {
  const { context, page } = await openPage('de-DE');
  await paste(page, AD_DE);
  const before = Number(await page.locator('[data-testid=score]').textContent());
  const item = page.locator('li.finding', { has: page.locator('q.matched', { hasText: /^Verkäufer$/ }) });
  const use = item.locator('button.use', { hasText: 'Verkäufer (m/w/d)' });
  const n = await shown(page);
  await use.click();
  await waitShown(page, n);
  const text = await page.locator('#ad').inputValue();
  assert.equal(text, AD_DE.replace('Verkäufer', 'Verkäufer (m/w/d)'));
  const after = Number(await page.locator('[data-testid=score]').textContent());
  assert.ok(after > before, `score ${before} → ${after}`);
  assert.equal(await page.locator('q.matched', { hasText: /^Verkäufer$/ }).count(), 0);
  await context.close();
});

test('an empty text or an unsupported language shows "not checked", never a score', async () => {
  const { context, page } = await openPage('en-GB');
  await paste(page, AD_EN);
  assert.equal(await page.locator('[data-testid=grade]').count(), 1);
  await paste(page, '');
  const box = page.locator('[data-testid=not-checked]');
  assert.match(await box.textContent(), /Not checked/);
  assert.match(await box.textContent(), /empty/);
  assert.equal(await page.locator('[data-testid=grade]').count(), 0);
  assert.equal(await page.locator('[data-testid=score]').count(), 0);
  assert.equal(await page.locator('#findings').isVisible(), false);
  // A French ad: not checked, and why; checked as English on request, with
  // a warning instead of a score to trust.
  await paste(page, 'Nous cherchons un vendeur pour notre équipe. Le travail est ' +
                    'intéressant et la rémunération est bonne, avec des collègues sympathiques.');
  assert.match(await box.textContent(), /Not checked.*French/s);
  assert.equal(await page.locator('[data-testid=score]').count(), 0);
  const n = await shown(page);
  await page.locator('#ad-language').selectOption('en');
  await waitShown(page, n);
  assert.equal(await page.locator('[data-testid=score]').count(), 1);
  assert.match(await page.locator('#score .notice').textContent(), /French.*English/);
  await context.close();
});

test('a text over the server limit gives a readable message', async () => {
  const { context, page } = await openPage('de-DE');
  await paste(page, 'Wir suchen Verstärkung. '.repeat(2000));  // 48,000 bytes
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), true);
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.match(await error.textContent(), /zu lang.*32 KB/);
  const where = await error.boundingBox();
  assert.ok(where.y + where.height < 900, 'the message is on screen, above the long text');
  assert.equal(await page.locator('#results').isVisible(), false);
  await paste(page, 'Wir suchen Verstärkung.');  // and it recovers
  assert.equal(await error.isVisible(), false);
  await context.close();
});

test('keyboard only: Tab reaches the text, the findings and the suggestions', async () => {
  const { context, page } = await openPage('en-GB');
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}#${e.id}.${e.className}` : '';
  });
  // From the top of the page to the text box (past the skip link, the
  // display and language controls, the page links and the file input).
  let reached = '';
  for (let i = 0; i < 16 && !reached.startsWith('textarea#ad'); i++) {
    await page.keyboard.press('Tab');
    reached = await focused();
  }
  assert.match(reached, /^textarea#ad/);
  const visible = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(visible, 'none', 'the focus is visible');
  const n = await shown(page);
  await page.keyboard.insertText(AD_EN);
  await waitShown(page, n);
  // On to a finding's "show in text" and a suggestion.
  const seen = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    seen.push(await focused());
    if (seen.some((s) => s.includes('.show')) && seen.some((s) => s.includes('.use'))) break;
  }
  assert.ok(seen.some((s) => s.includes('.show')), seen.join('\n'));
  const useAt = seen.findIndex((s) => s.includes('.use'));
  assert.ok(useAt >= 0, seen.join('\n'));
  // Enter on the suggestion replaces the words.
  const label = await page.evaluate(() => document.activeElement.dataset.text);
  const m = await shown(page);
  await page.keyboard.press('Enter');
  await waitShown(page, m);
  // The page drops a replacement's own article after a determiner ("our a
  // friendly team" would be wrong): the rest of the label is in the text.
  const pasted = label.replace(/^(a|an|the|ein|eine|einen)\s+/i, '');
  assert.ok((await page.locator('#ad').inputValue()).includes(pasted), label);
  // "Show in text" with the keyboard selects the words in the text box.
  await page.locator('button.show').first().focus();
  await page.keyboard.press('Enter');
  const selection = await page.evaluate(() => {
    const a = document.activeElement;
    return a.id === 'ad' ? a.value.slice(a.selectionStart, a.selectionEnd) : null;
  });
  const first = await page.locator('q.matched').first().textContent();
  assert.equal(selection, first);
  await context.close();
});

test('the interface language follows the browser and can be switched', async () => {
  const { context, page } = await openPage('en-US');
  await paste(page, AD_EN);
  assert.equal(await page.locator('h1').textContent(), 'divcheck – Check a job ad');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.screenshot({ path: path.join(outDir, 'web-en-full.png'), fullPage: true });
  await page.screenshot({ path: path.join(outDir, 'web-en.png') });
  await page.locator('#ui-language').selectOption('de');
  assert.equal(await page.locator('h1').textContent(), 'divcheck – Stellenanzeige prüfen');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.match(await page.locator('li.finding .badge').first().textContent(), /Kritisch|Warnung|Hinweis/);
  await context.close();
});

test('axe finds no serious or critical accessibility problem', async () => {
  for (const [locale, ad] of [['de-DE', AD_DE], ['en-GB', AD_EN], ['en-GB', '']]) {
    const { context, page } = await openPage(locale);
    if (ad) await paste(page, ad);  // else: the empty text's "not checked"
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, ` +
                                      `${v.nodes[0].target.join(' ')})`), []);
    await context.close();
  }
});

// Figures, not a timed test: the first paint is printed (this machine is
// shared, so a time limit here would fail at random); the bytes are checked.
test('start page: first paint and bytes transferred', async () => {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const { context, page } = await openPage('de-DE');
    runs.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const files = resources.filter((r) => !r.name.includes('/v1/'));
      return {
        fcp: paint ? paint.startTime : NaN,
        html: nav.responseEnd,
        loaded: nav.loadEventEnd,
        bytes: nav.transferSize + files.reduce((s, r) => s + r.transferSize, 0),
        files: files.length + 1,
        scanBytes: resources.filter((r) => r.name.includes('/v1/'))
          .reduce((s, r) => s + r.transferSize, 0),
      };
    }));
    await context.close();
  }
  const ms = (k) => runs.map((r) => r[k].toFixed(0)).join(' / ');
  console.log(`# start page, 3 fresh loads: first contentful paint ${ms('fcp')} ms; ` +
              `HTML received ${ms('html')} ms; load event ${ms('loaded')} ms; ` +
              `${runs[0].bytes} bytes in ${runs[0].files} files (+ ${runs[0].scanBytes} bytes of /v1/scan)`);
  for (const r of runs) {
    assert.ok(r.fcp > 0, 'the page painted');
    assert.ok(r.bytes > 0 && r.bytes <= 300 * 1024, `${r.bytes} bytes`);
  }
});

test('no console error, CSP violation or script error on any page', () => {
  assert.deepEqual(problems, []);
});
