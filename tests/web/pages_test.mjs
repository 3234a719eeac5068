// The web app's pages beyond the ad check, in a real browser (Debian's
// chromium through playwright-core) against the real divcheckd: the page
// navigation, the form check and the self-assessment. web_app_test.sh
// starts two servers: one without a data directory, one with a fresh
// --data_dir (results saved and compared).
//
// Usage: node pages_test.mjs PORT_NO_DATA PORT_WITH_DATA OUT_DIR FORMS_DIR
// Writes form-de.png, form-en.png, assessment-de.png, assessment-en.png
// (and -full.png, the whole page), assessment-step-de.png and
// compare-de.png to OUT_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const [portNoData, portData, outDir, formsDir] = process.argv.slice(2);
const NO_DATA = `http://127.0.0.1:${portNoData}`;
const DATA = `http://127.0.0.1:${portData}`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAGES = ['ad', 'form', 'assessment', 'workshop', 'rules'];

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

// `expected4xx`: HTTP errors the test provokes (Chromium logs each).
async function openPage(base, hash, locale, { expected4xx = false, height = 900 } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (expected4xx && /status of 4\d\d/.test(m.text())) return;
    problems.push(`${locale} #${hash}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${locale} #${hash}: ${e.message}`));
  const response = await page.goto(`${base}/#${hash}`);
  assert.equal(response.status(), 200);
  await page.waitForFunction((h) => document.body.dataset.page === h, hash);
  return { context, page };
}

async function axe(page, where) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.length}×, ` +
                                  `${v.nodes[0].target.join(' ')})`), []);
}

const counter = (page, name) => page.evaluate((n) => Number(document.body.dataset[n] || 0), name);
const waitCounter = (page, name, n) => page.waitForFunction(
  ([k, v]) => Number(document.body.dataset[k] || 0) > v, [name, n], { timeout: 30000 });

// The "field" lines of a tests/forms .expected file.
function expectedFields(stem) {
  return fs.readFileSync(path.join(formsDir, `${stem}.expected`), 'utf8').split('\n')
    .filter((l) => l.startsWith('field '));
}

function expectedFindingFields(stem) {
  const ids = fs.readFileSync(path.join(formsDir, `${stem}.expected`), 'utf8').split('\n')
    .filter((l) => l.startsWith('finding ')).map((l) => l.split(' ')[1]).filter((id) => id !== '-');
  return [...new Set(ids)];
}

test('the page reads every HTML form of tests/forms into the same fields as the CLI', async () => {
  const { context, page } = await openPage(NO_DATA, 'form', 'en-GB');
  const stems = fs.readdirSync(formsDir).filter((f) => f.endsWith('.html')).map((f) => f.slice(0, -5));
  assert.ok(stems.length >= 10, `${stems.length} forms`);
  for (const stem of stems) {
    const html = fs.readFileSync(path.join(formsDir, `${stem}.html`), 'utf8');
    const lines = await page.evaluate(async (text) => {
      const { formFromHtml } = await import('/js/form_html.js');
      return formFromHtml(text).fields.map((f) => `field ${f.fieldId} ${f.type.replace('FIELD_TYPE_', '')} ` +
        `${f.required ? 'required' : 'optional'} options=${f.options.length} "${f.label}"`);
    }, html);
    assert.deepEqual(lines, expectedFields(stem), stem);
  }
  await context.close();
});

test('form check: an uploaded form gives the problem fields, what to ask instead and the readiness', async () => {
  for (const [locale, stem] of [['de-DE', 'de-01-pflegedienst-klassisch'], ['en-GB', 'en-10-agency-bad']]) {
    const { context, page } = await openPage(NO_DATA, 'form', locale, { height: 1000 });
    const n = await counter(page, 'formShown');
    await page.locator('#form-file').setInputFiles(path.join(formsDir, `${stem}.html`));
    await waitCounter(page, 'formShown', n);
    assert.equal(await page.locator('#form-error').isVisible(), false);
    const ids = await page.$$eval('#form-fields li.form-field', (li) => li.map((x) => x.dataset.fieldId));
    assert.deepEqual(ids, expectedFindingFields(stem));
    const readiness = fs.readFileSync(path.join(formsDir, `${stem}.expected`), 'utf8')
      .match(/^readiness (\d+)$/m)[1];
    assert.equal(await page.locator('[data-testid=readiness]').textContent(), readiness);
    assert.ok(await page.locator('#form-readiness li.change').count() > 0);
    // Each problem field: severity as a word, and what to ask instead.
    const first = page.locator('#form-fields li.form-field').first();
    assert.match(await first.locator('.badge').first().textContent(),
                 locale === 'de-DE' ? /Kritisch|Warnung|Hinweis/ : /Critical|Warning|Hint/);
    assert.ok(await page.locator('#form-fields .ask-instead li').count() >= ids.length);
    assert.match(await page.locator('#form-status').textContent(), locale === 'de-DE' ? /Geprüft/ : /Checked/);
    await axe(page, `form ${locale}`);
    const lang = locale.slice(0, 2);
    await page.screenshot({ path: path.join(outDir, `form-${lang}.png`) });
    await context.close();
  }
});

test('form check: pasted HTML, and readable messages for no HTML and no fields', async () => {
  const { context, page } = await openPage(NO_DATA, 'form', 'en-GB');
  let n = await counter(page, 'formShown');
  await page.locator('#form-check').click();
  await waitCounter(page, 'formShown', n);
  assert.match(await page.locator('#form-error').textContent(), /choose an HTML file or paste/);
  n = await counter(page, 'formShown');
  await page.locator('#form-html').fill('<p>Just text, <button>Send</button></p>');
  await page.locator('#form-check').click();
  await waitCounter(page, 'formShown', n);
  assert.match(await page.locator('#form-error').textContent(), /No form fields/);
  n = await counter(page, 'formShown');
  await page.locator('#form-html').fill('<label for=d>Date of birth *</label><input id=d type=date required>' +
                                        '<label for=e>E-mail</label><input id=e type=email>');
  await page.locator('#form-check').click();
  await waitCounter(page, 'formShown', n);
  assert.equal(await page.locator('#form-error').isVisible(), false);
  assert.deepEqual(await page.$$eval('#form-fields li.form-field', (li) => li.map((x) => x.dataset.fieldId)), ['d']);
  assert.match(await page.locator('#form-ok').textContent(), /E-mail/);
  await context.close();
});

// Answers every question of the step shown: option index `pick(i)` of the
// i-th question (clamped to its options).
async function answerStep(page, pick) {
  const questions = page.locator('#as-questions fieldset');
  const count = await questions.count();
  for (let i = 0; i < count; i++) {
    const options = questions.nth(i).locator('input[type=radio]');
    const k = Math.min(pick(i), (await options.count()) - 1);
    await options.nth(k).check();
  }
  return count;
}

async function runAssessment(page, organization, pick, { screenshotStep } = {}) {
  await page.locator('#as-start').waitFor();
  await page.locator('#as-org').fill(organization);
  await page.locator('#as-start').click();
  const steps = Number(await page.locator('#as-progress').getAttribute('max'));
  assert.equal(steps, 7);
  for (let s = 0; s < steps; s++) {
    await page.waitForFunction((n) => document.body.dataset.assessmentStep === String(n), s);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'as-section-title');
    await answerStep(page, pick);
    if (screenshotStep && s === 1) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotStep });
    }
    await page.locator('#as-next').click();
  }
  await page.locator('#as-report').waitFor();
}

test('self-assessment: step by step, answers kept in the browser, report with chart and next steps, saved and compared', async () => {
  const { context, page } = await openPage(DATA, 'assessment', 'de-DE', { height: 1000 });
  await page.locator('#as-start').waitFor();
  await page.locator('#as-start').click();
  // A required question left open: the step refuses to go on, with a message.
  await page.locator('#as-next').click();
  assert.match(await page.locator('#as-step-error').textContent(), /Pflichtfrage/);
  assert.match(await page.locator('#as-progress-text').textContent(), /Handlungsfeld 1 von 7/);
  const answered = await answerStep(page, () => 1);
  await page.locator('#as-next').click();
  await page.waitForFunction(() => document.body.dataset.assessmentStep === '1');
  assert.match(await page.locator('#as-progress-text').textContent(),
               new RegExp(`Handlungsfeld 2 von 7.* ${answered} von 42`));
  // Back shows the answers given.
  await page.locator('#as-back').click();
  await page.waitForFunction(() => document.body.dataset.assessmentStep === '0');
  assert.equal(await page.locator('#as-questions input:checked').count(), answered);
  // Only the answers are in localStorage, and they survive a reload.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('divcheck.assessmentAnswers')));
  assert.deepEqual(Object.keys(stored).sort(), ['answers', 'questionnaireId', 'version']);
  assert.equal(Object.keys(stored.answers).length, answered);
  await page.reload();
  await page.locator('#as-resume').waitFor();
  assert.match(await page.locator('#as-resume').textContent(), new RegExp(`${answered} von 42`));
  await axe(page, 'assessment intro');
  // The whole questionnaire, saved for an organisation.
  await runAssessment(page, 'Testfirma GmbH', (i) => i % 2,
                      { screenshotStep: path.join(outDir, 'assessment-step-de.png') });
  assert.equal(await page.locator('#as-saved').getAttribute('data-testid'), 'saved');
  assert.match(await page.locator('#as-saved').textContent(), /Gespeichert für „Testfirma GmbH“/);
  assert.equal(await page.locator('#as-chart svg[role=img] .chart-row').count(), 7);
  assert.equal(await page.locator('#as-sections tbody tr').count(), 7);
  assert.match(await page.locator('#as-sections tbody').textContent(), /Handlungsbedarf/);
  assert.ok(await page.locator('#as-steps > li').count() > 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('divcheck.assessmentAnswers')), null);
  const firstScore = Number(await page.locator('[data-testid=assessment-score]').textContent());
  await axe(page, 'assessment report');
  await page.screenshot({ path: path.join(outDir, 'assessment-de-full.png'), fullPage: true });
  await page.locator('#as-report-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(outDir, 'assessment-de.png') });
  // A second, better self-assessment, then the two side by side.
  await page.locator('#as-restart').click();
  await runAssessment(page, 'Testfirma GmbH', () => 4);
  const secondScore = Number(await page.locator('[data-testid=assessment-score]').textContent());
  assert.ok(secondScore > firstScore, `${firstScore} → ${secondScore}`);
  await page.waitForFunction(() => document.querySelectorAll('#as-before option').length >= 2);
  assert.equal(await page.locator('#as-compare-pick').isVisible(), true);
  const n = await counter(page, 'compared');
  await page.locator('#as-compare').click();
  await waitCounter(page, 'compared', n);
  assert.equal(await page.locator('[data-testid=comparison-table] tbody tr').count(), 7);
  assert.match(await page.locator('[data-testid=comparison-overall]').textContent(),
               new RegExp(`${firstScore} → ${secondScore}.*besser`));
  assert.equal(await page.locator('#as-comparison svg .chart-row').count(), 7);
  await axe(page, 'assessment comparison');
  await page.locator('#as-compare-box').screenshot({ path: path.join(outDir, 'compare-de.png') });
  await context.close();
});

test('self-assessment in English, on a server without a data directory: report, and why nothing was saved', async () => {
  const { context, page } = await openPage(NO_DATA, 'assessment', 'en-GB', { expected4xx: true, height: 1000 });
  await page.locator('#as-start').waitFor();
  assert.match(await page.locator('#tagline').textContent(), /How far has your organisation come/);
  await runAssessment(page, 'Example Ltd', (i) => (i + 2) % 5);
  assert.equal(await page.locator('#as-saved').getAttribute('data-testid'), 'not-saved');
  assert.match(await page.locator('#as-saved').textContent(), /Not saved: this divcheck server has no data directory/);
  assert.equal(await page.locator('#as-chart svg .chart-row').count(), 7);
  assert.match(await page.locator('#as-sections').textContent(), /need for action/);
  await page.screenshot({ path: path.join(outDir, 'assessment-en-full.png'), fullPage: true });
  await page.screenshot({ path: path.join(outDir, 'assessment-en.png') });
  await page.locator('#as-compare-org').fill('Example Ltd');
  await page.locator('#as-list').click();
  await page.locator('#as-compare-error').waitFor();
  assert.match(await page.locator('#as-compare-error').textContent(), /no data directory/);
  await context.close();
});

test('the interface language switches on every page, the questionnaire with it', async () => {
  const { context, page } = await openPage(NO_DATA, 'form', 'en-US');
  assert.equal(await page.locator('h1').textContent(), 'divcheck – Check an application form');
  await page.locator('#ui-language').selectOption('de');
  assert.equal(await page.locator('h1').textContent(), 'divcheck – Bewerbungsformular prüfen');
  assert.equal(await page.locator('label[for=form-file]').textContent(), 'HTML-Datei des Formulars');
  assert.equal(await page.locator('nav.pages a[href="#assessment"]').textContent(), 'Selbstcheck');
  await page.locator('nav.pages a[href="#assessment"]').click();
  await page.locator('#as-start').waitFor();
  assert.match(await page.locator('#as-title').textContent(), /Diversity-Check/);
  await page.locator('#as-start').click();
  assert.match(await page.locator('#as-progress-text').textContent(), /Handlungsfeld 1 von 7/);
  const german = await page.locator('#as-section-title').textContent();
  await page.locator('#ui-language').selectOption('en');
  await page.waitForFunction((g) => document.getElementById('as-section-title').textContent !== g, german);
  assert.match(await page.locator('#as-progress-text').textContent(), /Field of action 1 of 7/);
  assert.equal(await page.locator('#as-section-title').textContent(), 'Strategy and commitment');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await context.close();
});

test('keyboard only: the pages are reached through the navigation, the focus lands on the heading', async () => {
  const { context, page } = await openPage(NO_DATA, 'ad', 'en-GB');
  const active = () => page.evaluate(() => {
    const e = document.activeElement;
    return `${e.tagName.toLowerCase()}#${e.id}${e.getAttribute('href') || ''}`;
  });
  for (const name of ['form', 'assessment', 'workshop', 'rules', 'ad']) {
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    // From the heading: the display controls (large type, print), the
    // interface language, then the five page links.
    let seen = '';
    for (let i = 0; i < 16 && seen !== `a#${'#'}${name}`; i++) {
      await page.keyboard.press('Tab');
      seen = await active();
    }
    assert.equal(seen, `a##${name}`);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focus is visible');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => document.body.dataset.page === h, name);
    assert.equal(await active(), 'h1#page-title');
    assert.equal(await page.locator(`#page-${name}`).isVisible(), true);
    for (const other of PAGES.filter((p) => p !== name)) {
      assert.equal(await page.locator(`#page-${other}`).isVisible(), false, `#page-${other} hidden`);
    }
    assert.equal(await page.locator('nav.pages a[aria-current=page]').getAttribute('href'), `#${name}`);
  }
  // The browser's back button goes back a page.
  await page.goBack();
  await page.waitForFunction(() => document.body.dataset.page === 'rules');
  // A self-assessment step with the keyboard: Space picks, Enter goes on.
  await page.goto(`${NO_DATA}/#assessment`);
  await page.locator('#as-start').waitFor();
  await page.locator('#as-start').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.assessmentStep === '0');
  const questions = await page.locator('#as-questions fieldset').count();
  for (let q = 0; q < questions; q++) {
    let id = '';
    for (let i = 0; i < 5 && !id.startsWith('input'); i++) {
      await page.keyboard.press('Tab');
      id = await active();
    }
    assert.match(id, /^input#q-/);
    await page.keyboard.press('ArrowDown');  // a radio group: the arrow keys choose
  }
  assert.equal(await page.locator('#as-questions input:checked').count(), questions);
  await page.locator('#as-next').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.assessmentStep === '1');
  assert.equal(await active(), 'h2#as-section-title');
  await context.close();
});

test('axe finds no serious or critical problem on any page', async () => {
  // The ad check is checked in web_app_test.mjs; the reports of the form
  // check and the self-assessment in the tests above.
  for (const [locale, names] of [['de-DE', PAGES.slice(1)], ['en-GB', ['form', 'assessment']]]) {
    for (const name of names) {
      const { context, page } = await openPage(NO_DATA, name, locale);
      if (name === 'assessment') await page.locator('#as-start').waitFor();
      await axe(page, `#${name} ${locale}`);
      await context.close();
    }
  }
});

test('no console error, CSP violation or script error on any page', () => {
  assert.deepEqual(problems, []);
});
