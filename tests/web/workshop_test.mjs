// The workshop, the rules browser, the printed report and opening a file
// (pages_test.mjs has the navigation, form check and self-assessment),
// in Debian's chromium against the real divcheckd (started by
// web_app_test.sh with the shipped lexicons and --max_text_bytes=32768).
//
// Usage: node workshop_test.mjs HTTP_PORT OUT_DIR
// Writes web-workshop-{de,en}.png, web-rules-{de,en}.png and
// web-print-de.pdf to OUT_DIR.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const [port, outDir] = process.argv.slice(2);
const BASE = `http://127.0.0.1:${port}`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AD_DE = 'Für unser Café in München suchen wir einen Verkäufer.\n' +
  'Wir sind ein junges Team und freuen uns auf Sie.\n' +
  'Sie sprechen Deutsch als Muttersprache.';

let browser;
const problems = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// Chromium logs every 4xx answer as a console error; the expected ones
// (413 too large, 404 of a server without documents:scan) are left out.
async function openPage(locale, hash = '') {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (413|404)/.test(m.text())) problems.push(`${locale}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${locale}: ${e.message}`));
  const response = await page.goto(`${BASE}/${hash}`);
  assert.equal(response.status(), 200);
  const name = hash.replace(/^#/, '') || 'ad';
  await page.waitForFunction((h) => document.body.dataset.page === h, name);
  // The ad check checks its text once on load.
  if (name === 'ad') await waitCount(page, 'shown', 0);
  return { context, page };
}

function count(page, key) {
  return page.evaluate((k) => Number(document.body.dataset[k] || 0), key);
}

async function waitCount(page, key, n) {
  await page.waitForFunction(([k, m]) => Number(document.body.dataset[k] || 0) > m, [key, n],
                             { timeout: 30000 });
}

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, ${v.nodes[0].target.join(' ')})`);
}

test('the example ads are served with the app', async () => {
  const res = await fetch(`${BASE}/examples/02-vertrieb-problematisch.txt`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; charset=utf-8/);
  assert.match(await res.text(), /Außendienstmitarbeiter/);
});

test('workshop: before/after applies the safe suggestions and the score rises', async () => {
  const { context, page } = await openPage('de-DE', '#workshop');
  assert.equal(await page.locator('#page-workshop').isVisible(), true);
  assert.equal(await page.locator('#page-ad').isVisible(), false);
  assert.equal(await page.locator('nav.pages a[aria-current=page]').getAttribute('href'), '#workshop');
  const card = page.locator('li.ws-card[data-example=vertrieb]');
  let n = await count(page, 'wsShown');
  await card.locator('button.ws-beforeafter').click();
  await waitCount(page, 'wsShown', n);
  const before = Number(await page.locator('[data-testid=ws-score-before]').getAttribute('data-score'));
  const afterScore = Number(await page.locator('[data-testid=ws-score-after]').getAttribute('data-score'));
  assert.ok(afterScore > before, `score ${before} → ${afterScore}`);
  const changes = await page.locator('[data-testid=ws-changes] li').allTextContents();
  assert.ok(changes.some((c) => /Außendienstmitarbeiter → /.test(c)), changes.join('\n'));
  // Advice ("Beschreiben Sie …") is never put into the text.
  assert.ok(changes.every((c) => !/Sie\b.*…/.test(c.split('→')[1])), changes.join('\n'));
  const rewritten = await page.locator('.ws-column').nth(1).locator('.ws-text').textContent();
  assert.doesNotMatch(rewritten, /einen Außendienstmitarbeiter für/);
  assert.ok(await page.locator('.ws-column').nth(1).locator('mark.mark-changed').count() >= 1);
  assert.deepEqual(await axe(page), []);
  await page.evaluate(() => document.getElementById('ws-view').scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(outDir, 'web-workshop-de.png') });
  // Problematic and improved side by side: the improved one scores higher.
  n = await count(page, 'wsShown');
  await card.locator('button.ws-compare').click();
  await waitCount(page, 'wsShown', n);
  const bad = Number(await page.locator('[data-testid=ws-score-bad]').getAttribute('data-score'));
  const good = Number(await page.locator('[data-testid=ws-score-good]').getAttribute('data-score'));
  assert.ok(good > bad, `bad ${bad}, improved ${good}`);
  // Printed: both versions, without the gallery and the buttons.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.ws-gallery').isVisible(), false);
  assert.equal(await page.locator('nav.pages').isVisible(), false);
  assert.equal(await page.locator('.ws-column').nth(1).isVisible(), true);
  await context.close();
});

test('workshop in English, large type and high contrast, also on the ad page', async () => {
  const { context, page } = await openPage('en-GB', '#workshop');
  const toggle = page.locator('#contrast-toggle');
  const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const big = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(big >= normal * 1.3, `${normal}px → ${big}px`);
  const n = await count(page, 'wsShown');
  await page.locator('li.ws-card[data-example=developer] button.ws-compare').click();
  await waitCount(page, 'wsShown', n);
  assert.match(await page.locator('#ws-view-heading').textContent(), /Full-stack developer/);
  assert.deepEqual(await axe(page), []);
  await page.evaluate(() => document.getElementById('ws-view').scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(outDir, 'web-workshop-en.png') });
  // "Open in the ad check" loads the ad there, still in large type.
  const m = await count(page, 'shown');
  await page.locator('li.ws-card[data-example=developer] button.ws-open').click();
  await waitCount(page, 'shown', m);
  assert.equal(await page.locator('#page-ad').isVisible(), true);
  assert.match(await page.locator('#ad').inputValue(), /young and dynamic team/);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('big-contrast')), true);
  assert.deepEqual(await axe(page), []);
  // The choice is kept in this browser.
  await page.reload();
  assert.equal(await page.locator('#contrast-toggle').getAttribute('aria-pressed'), 'true');
  await context.close();
});

async function searchRules(page, word, dimension = '') {
  const n = await count(page, 'rulesShown');
  await page.locator('#rules-dimension').selectOption(dimension);
  if (await count(page, 'rulesShown') === n && dimension !== '') await waitCount(page, 'rulesShown', n);
  const m = await count(page, 'rulesShown');
  await page.locator('#rules-query').fill(word);
  await page.locator('#rules-query').press('Enter');
  await waitCount(page, 'rulesShown', m);
  return page.$$eval('#rules-list li.rule', (ls) => ls.map((l) => l.dataset.ruleId));
}

test('rules browser: search by a word, filter by dimension and language', async () => {
  const { context, page } = await openPage('de-DE', '#rules');
  await waitCount(page, 'rulesShown', 0);
  const all = await page.locator('#rules-list li.rule').count();
  assert.ok(all > 10, `${all} rules shown at first`);
  let ids = await searchRules(page, 'Muttersprache');
  assert.ok(ids.includes('de.origin.muttersprache') || ids.some((i) => /^de\.origin\./.test(i)), ids.join(' '));
  const card = page.locator('li.rule', { has: page.locator('q', { hasText: /muttersprache/i }) }).first();
  assert.match(await card.locator('.message').textContent(), /\S/);
  assert.match(await card.locator('.facts').textContent(), /AGG/);
  assert.ok(await card.locator('.rule-sources li').count() >= 1);
  // An inflected word finds the rule of its stem ("junges Team" → "jung *team").
  ids = await searchRules(page, 'junges Team');
  assert.ok(ids.includes('de.age.junges_team'), ids.join(' '));
  // What the lexicon says about context ("für junge …" may mean customers).
  ids = await searchRules(page, 'jung');
  const jung = page.locator('li.rule[data-rule-id="de.age.jung"]');
  const contexts = await jung.locator('.rule-contexts').textContent();
  assert.match(contexts, /nicht markiert in der Nähe von mensch, menschen/);
  assert.match(contexts, /Kundschaft/);
  // The lexicon's example texts (Rule.examples, Rule.counter_examples):
  // what the rule flags and what it does not; the terms folded under them.
  assert.match(await jung.locator('.rule-examples.flags').textContent(),
               /Markiert zum Beispiel.*Bewerber sollten jung sein\./);
  assert.match(await jung.locator('.rule-examples.not-flags').textContent(),
               /Markiert dagegen nicht.*Unsere Kundschaft sind junge Familien\./);
  assert.equal(await jung.locator('details.rule-terms').count(), 1);
  // The dimension filter: the age rules for "jung", and no origin rule.
  ids = await searchRules(page, 'Muttersprache', 'DIMENSION_AGE');
  assert.ok(!ids.some((i) => /^de\.origin\./.test(i)), ids.join(' '));
  ids = await searchRules(page, 'jung', 'DIMENSION_AGE');
  assert.ok(ids.length > 0 && ids.every((i) => /\.age\.|^(de|en)\./.test(i)), ids.join(' '));
  for (const dims of await page.$$eval('#rules-list li.rule .facts', (fs) => fs.map((f) => f.textContent))) {
    assert.match(dims, /Alter/);
  }
  // The language filter.
  const n = await count(page, 'rulesShown');
  await page.locator('#rules-language').selectOption('en');
  await waitCount(page, 'rulesShown', n);
  ids = await searchRules(page, 'young', 'DIMENSION_AGE');
  assert.ok(ids.length > 0 && ids.every((i) => !i.startsWith('de.')), ids.join(' '));
  assert.deepEqual(await axe(page), []);
  await context.close();
});

test('rules browser screenshots, German and English', async () => {
  for (const [locale, word, file] of [['de-DE', 'Muttersprache', 'web-rules-de.png'],
                                      ['en-GB', 'native speaker', 'web-rules-en.png']]) {
    const { context, page } = await openPage(locale, '#rules');
    await waitCount(page, 'rulesShown', 0);
    const ids = await searchRules(page, word);
    assert.ok(ids.length > 0, `${locale}: nothing for ${word}`);
    // Public sources are links (court rulings on the web).
    assert.ok(await page.locator('#rules-list .rule-sources a[href^="https://"]').count() >= 1);
    await page.screenshot({ path: path.join(outDir, file) });
    await context.close();
  }
});

test('the printed ad check: no navigation or buttons, findings with reasons and suggestions', async () => {
  const { context, page } = await openPage('de-DE');
  const n = await count(page, 'shown');
  await page.locator('#ad').focus();
  await page.keyboard.insertText(AD_DE);
  await waitCount(page, 'shown', n);
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['nav.pages', '#contrast-toggle', '#ui-language', '#ad-file', 'button.show', '#ad']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is printed`);
  }
  for (const shown of ['#score', '#findings', '#backdrop', 'li.finding .facts', '.suggestions .use']) {
    assert.equal(await page.locator(shown).first().isVisible(), true, `${shown} is not printed`);
  }
  assert.match(await page.locator('#backdrop').textContent(), /junges Team/);
  // Sources are printed open.
  const source = page.locator('li.finding details.sources li').first();
  assert.equal(await source.isVisible(), true);
  await page.pdf({ path: path.join(outDir, 'web-print-de.pdf'), format: 'A4' });
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('nav.pages').isVisible(), true);
  await context.close();
});

test('opening a .txt file puts its text in the editor and checks it', async () => {
  const { context, page } = await openPage('de-DE');
  let n = await count(page, 'shown');
  await page.locator('#ad-file').setInputFiles({
    name: 'anzeige.txt', mimeType: 'text/plain', buffer: Buffer.from(AD_DE, 'utf8') });
  await waitCount(page, 'shown', n);
  assert.equal(await page.locator('#ad').inputValue(), AD_DE);
  assert.ok(await page.locator('#backdrop mark').count() >= 2);
  assert.match(await page.locator('#status').textContent(), /Note|geprüft|Geprüft/);
  // Windows-1252 (no valid UTF-8), as older editors save it.
  n = await count(page, 'shown');
  const cp1252 = Buffer.concat([Buffer.from('Wir suchen einen Verkäufer für München ', 'latin1'),
                                Buffer.from([0x96, 0x20, 0x84, 0x54, 0x65, 0x61, 0x6d, 0x93])]);
  await page.locator('#ad-file').setInputFiles({ name: 'alt.txt', mimeType: 'text/plain', buffer: cp1252 });
  await waitCount(page, 'shown', n);
  assert.equal(await page.locator('#ad').inputValue(), 'Wir suchen einen Verkäufer für München – „Team“');
  // UTF-16 with a byte-order mark.
  n = await count(page, 'shown');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Junges Team gesucht.', 'utf16le')]);
  await page.locator('#ad-file').setInputFiles({ name: 'u16.txt', mimeType: 'text/plain', buffer: utf16 });
  await waitCount(page, 'shown', n);
  assert.equal(await page.locator('#ad').inputValue(), 'Junges Team gesucht.');
  // A file over the server's limit: a readable message, not a blank page.
  n = await count(page, 'shown');
  await page.locator('#ad-file').setInputFiles({
    name: 'lang.txt', mimeType: 'text/plain', buffer: Buffer.from('Wir suchen Verstärkung. '.repeat(2000)) });
  await waitCount(page, 'shown', n);
  assert.match(await page.locator('#error').textContent(), /zu lang.*32 KB/);
  await context.close();
});

// The server reads other formats at POST /v1/documents:scan. A server
// without that call answers 404: the page says so in words.
test('opening an HTML file: its text from the server, or a readable message', async () => {
  const probe = await fetch(`${BASE}/v1/documents:scan`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content: Buffer.from('<p>Junges Team</p>').toString('base64'), fileName: 'a.html' }),
  });
  const { context, page } = await openPage('de-DE');
  const html = '<!DOCTYPE html><html><body><h1>Verkäufer</h1><p>Für unser junges Team.</p></body></html>';
  if (probe.status === 404) {
    console.log('# POST /v1/documents:scan is not on this server (404): only the message is tested');
    await page.locator('#ad-file').setInputFiles({
      name: 'anzeige.html', mimeType: 'text/html', buffer: Buffer.from(html) });
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /HTML-Dateien noch nicht lesen/);
    assert.equal(await error.getAttribute('role'), 'alert');
  } else {
    const n = await count(page, 'shown');
    await page.locator('#ad-file').setInputFiles({
      name: 'anzeige.html', mimeType: 'text/html', buffer: Buffer.from(html) });
    await waitCount(page, 'shown', n);
    assert.match(await page.locator('#ad').inputValue(), /junges Team/);
    assert.doesNotMatch(await page.locator('#ad').inputValue(), /<p>/);
  }
  await context.close();
});

test('keyboard: the workshop and the rules browser through the navigation', async () => {
  const { context, page } = await openPage('en-GB');
  await page.locator('nav.pages a[href="#rules"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.page === 'rules');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'page-title');
  await page.locator('nav.pages a[href="#workshop"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.page === 'workshop');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'page-title');
  assert.ok(await page.locator('li.ws-card button').first().isVisible());
  await page.locator('nav.pages a[href="#ad"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.page === 'ad');
  assert.equal(await page.locator('#page-ad').isVisible(), true);
  await context.close();
});

test('no console error, CSP violation or script error on these pages', () => {
  assert.deepEqual(problems, []);
});
