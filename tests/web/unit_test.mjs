// The web app's pure modules under node (no browser): code-point offsets to
// UTF-16, the suggestion classifier on the shipped lexicons' suggestions,
// the UI language choice, and that every page string exists in German and
// English.
// Usage: node unit_test.mjs LEXICONS_DIR
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { codePointToUtf16, spanRange } from '../../clients/web/js/offsets.js';
import { fitReplacement, hasSplit, isReplacement, replacementsOf } from '../../clients/web/js/suggest.js';
import { addStrings, pickLanguage, setLanguage, t } from '../../clients/web/js/i18n.js';
import { FORM_STRINGS } from '../../clients/web/js/strings_form.js';
import { ASSESSMENT_STRINGS } from '../../clients/web/js/strings_assessment.js';
import { applySafeSuggestions, safeReplacement } from '../../clients/web/js/rewrite.js';
import { decodeText, isPlainText } from '../../clients/web/js/upload.js';
import { fold, matchRule, termsOf } from '../../clients/web/js/page_rules.js';
import '../../clients/web/js/page_workshop.js';
import '../../clients/web/js/display.js';

const lexicons = process.argv[2];

test('code points map to UTF-16 units: emoji, combining marks, umlauts', () => {
  const text = '🙂 Cafe\u0301 Müller 👩‍💻 junges Team';
  const toUtf16 = codePointToUtf16(text);
  const cps = Array.from(text);
  // Every code-point offset lands where the same prefix ends in UTF-16.
  for (let i = 0; i <= cps.length; i++) {
    assert.equal(toUtf16(i), cps.slice(0, i).join('').length, `code point ${i}`);
  }
  const start = cps.indexOf('j');
  const r = spanRange({ startChar: start, endChar: start + 'junges Team'.length }, toUtf16);
  assert.equal(text.slice(r.start, r.end), 'junges Team');
  // proto3 JSON leaves out zeros; past the end is the end.
  assert.deepEqual(spanRange({ endChar: 1 }, toUtf16), { start: 0, end: 2 });
  assert.equal(toUtf16(10000), text.length);
});

test('wording is a replacement, advice is not', () => {
  for (const s of ['ein engagiertes Team', 'Verkäufer (m/w/d)', 'Verkäuferin/Verkäufer',
                   'Verkäufer*in', 'a friendly, supportive team', 'engagiert und offen für Neues',
                   'Bitte senden Sie uns Lebenslauf und Zeugnisse; Angaben zu Alter oder Geburtsdatum sind nicht nötig.']) {
    assert.ok(isReplacement(s), s);
  }
  for (const s of ['mit Erfahrung in …', 'Beschreiben Sie die fachlichen Anforderungen statt eines Alters',
                   'Lassen Sie die Altersangabe weg und nennen Sie die fachlichen Anforderungen',
                   'Streichen Sie die Angabe.', 'Feld streichen.', 'delete the requirement',
                   'Describe the behaviour instead of a trait, e.g. "you make decisions"',
                   'camera operator, police officer, firefighter, delivery driver',
                   'chair / chairperson (instead of chairman)',
                   'church employers: explain why this post needs church membership',
                   'Sie sind mindestens 18 Jahre alt (nur wenn gesetzlich vorgeschrieben)']) {
    assert.ok(!isReplacement(s), s);
  }
  assert.deepEqual(replacementsOf('salesperson / sales representative (instead of salesman)', 'salesman'),
                   ['salesperson', 'sales representative']);
  assert.deepEqual(replacementsOf('chair / chairperson (instead of chairman)', 'salesman'), []);
});

test('every suggestion of the shipped lexicons is classified', () => {
  // Not a fixed count: the lexicons change. Since issue 14 the lexicons
  // keep replacements (`suggestions`) and advice (`advice`) apart; the
  // classifier, still used for older servers' reports, must read most
  // replacements as replacements and each line without throwing.
  let replacements = 0;
  let advice = 0;
  let asReplacement = 0;
  for (const lang of ['de', 'en']) {
    for (const file of readdirSync(path.join(lexicons, lang))) {
      const text = readFileSync(path.join(lexicons, lang, file), 'utf8');
      for (const m of text.matchAll(/^\s*(suggestions|advice): "((?:[^"\\]|\\.)*)"/gm)) {
        const s = JSON.parse(`"${m[2]}"`);
        if (m[1] === 'advice') { advice++; continue; }
        replacements++;
        if (isReplacement(s)) asReplacement++;
      }
    }
  }
  console.log(`# lexicon: ${replacements} replacements (${asReplacement} read as such), ${advice} advice`);
  assert.ok(replacements > 50 && advice > 50);
  assert.ok(asReplacement > replacements / 2);
});

test('reports that split replacements and advice are taken as they are', () => {
  assert.ok(hasSplit({ replacements: ['x'] }) && hasSplit({ advice: ['y'] }));
  assert.ok(!hasSplit({ suggestions: ['x'] }));
  // Not guessed from the look: the server says it is wording.
  assert.equal(safeReplacement({ matchedText: 'junges Team', replacements: ['engagiertes Team'],
                                 advice: ['Streichen Sie die Angabe.'] }), 'engagiertes Team');
  assert.equal(safeReplacement({ matchedText: 'jung', advice: ['Streichen Sie die Angabe.'],
                                 suggestions: ['Streichen Sie die Angabe.'] }), '');
});

test('a replacement fits its place', () => {
  const text = 'Für unser junges Team. Junges Team gesucht.';
  assert.equal(fitReplacement(text, text.indexOf('junges'), 'ein engagiertes Team'), 'engagiertes Team');
  assert.equal(fitReplacement(text, text.indexOf('Junges'), 'ein engagiertes Team'), 'Ein engagiertes Team');
  assert.equal(fitReplacement('our young team', 4, 'a friendly team'), 'friendly team');
  const genitive = 'Zur Verstärkung unseres jungen Teams';
  assert.equal(fitReplacement(genitive, genitive.indexOf('jungen'), 'ein engagiertes Team'), 'engagiertes Team');
  assert.equal(fitReplacement('Wir sind jung', 9, 'motiviert'), 'motiviert');
});

test('the UI language follows the browser, English otherwise', () => {
  assert.equal(pickLanguage(['de-AT', 'en']), 'de');
  assert.equal(pickLanguage(['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLanguage(['tr']), 'en');
  setLanguage('de');
  assert.equal(t('findingsCount', { count: 3 }), '3 Fundstellen');
  assert.equal(t('dimension.DIMENSION_AGE'), 'Alter');
  setLanguage('en');
  assert.equal(t('dimension.DIMENSION_AGE'), 'Age');
});

// The keys of a string table, nested ones as "a.b".
function keysOf(table, prefix = '') {
  return Object.entries(table).flatMap(([k, v]) =>
    (typeof v === 'object' ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();
}

test('the pages\' strings exist in German and English, every [data-i18n] of the page too', () => {
  for (const table of [FORM_STRINGS, ASSESSMENT_STRINGS]) {
    assert.deepEqual(keysOf(table.de), keysOf(table.en));
  }
  addStrings(FORM_STRINGS);
  addStrings(ASSESSMENT_STRINGS);
  const html = readFileSync(new URL('../../clients/web/index.html', import.meta.url), 'utf8');
  const keys = [...html.matchAll(/data-i18n(?:-placeholder|-label)?="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.length > 40, `${keys.length} keys`);
  for (const page of ['ad', 'form', 'assessment', 'workshop', 'rules']) keys.push(`pageTitle.${page}`);
  for (const lang of ['de', 'en']) {
    setLanguage(lang);
    for (const key of keys) assert.notEqual(t(key), key, `${lang}: ${key}`);
  }
});

// A finding as the report gives it (code-point spans).
function finding(text, words, suggestions) {
  const start = Array.from(text.slice(0, text.indexOf(words))).length;
  return { matchedText: words, suggestions,
           span: { startChar: start, endChar: start + Array.from(words).length } };
}

test('before/after: safe suggestions replace their words, advice and overlaps do not', () => {
  const text = '🙂 Wir suchen einen Verkäufer für unser junges Team. Deutsch als Muttersprache.';
  const report = { findings: [
    finding(text, 'Verkäufer', ['Beschreiben Sie die Aufgaben …', 'Verkäufer (m/w/d)']),
    finding(text, 'junges Team', ['ein engagiertes Team']),
    finding(text, 'junges', ['motiviertes']),  // overlaps the one before: left alone
    finding(text, 'Muttersprache', ['Streichen Sie die Angabe.']),  // advice only
  ] };
  const { text: out, changes } = applySafeSuggestions(text, report);
  assert.equal(out, '🙂 Wir suchen einen Verkäufer (m/w/d) für unser engagiertes Team. Deutsch als Muttersprache.');
  assert.deepEqual(changes.map((c) => [c.before, c.after]),
                   [['Verkäufer', 'Verkäufer (m/w/d)'], ['junges Team', 'engagiertes Team']]);
  for (const c of changes) assert.equal(out.slice(c.start, c.end), c.after);
  assert.equal(safeReplacement({ suggestions: ['Streichen Sie die Angabe.'] }), '');
  // A sentence replaces a sentence, not one marked word.
  const sentence = 'Sie behalten auch bei mehreren Aufgaben gleichzeitig den Überblick.';
  assert.equal(safeReplacement({ matchedText: 'belastbar', suggestions: [sentence] }), '');
  assert.equal(safeReplacement({ matchedText: 'Sie müssen belastbar sein.', suggestions: [sentence] }), sentence);
  // A report that no longer fits the text changes nothing.
  assert.equal(applySafeSuggestions('anderer Text', report).text, 'anderer Text');
});

test('plain-text files: UTF-8, UTF-16 with a byte-order mark, else Windows-1252', () => {
  assert.equal(decodeText(Buffer.from('Verkäufer 🙂', 'utf8')), 'Verkäufer 🙂');
  assert.equal(decodeText(Buffer.from('\ufeffMünchen', 'utf8')), 'München');
  assert.equal(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Köln', 'utf16le')])), 'Köln');
  assert.equal(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x4b, 0x00, 0xf6])), 'Kö');
  // Not UTF-8: Windows-1252. (Node decodes its 0x80–0x9F as Latin-1, so
  // the dashes and quotes there are checked in the browser test.)
  assert.equal(decodeText(Buffer.from([0x4b, 0xe4, 0x73, 0x65])), 'Käse');
  assert.ok(isPlainText({ name: 'a.TXT', type: '' }));
  assert.ok(!isPlainText({ name: 'a.docx', type: 'application/octet-stream' }));
});

test('rules search: words, inflected forms, accents and court file numbers', () => {
  const rule = { ruleId: 'de.age.junges_team', explanation: 'Ein „junges Team“ …',
                 phrases: ['jung *team', 'jung kollegium'], words: ['jungspund'],
                 legalBasis: 'AGG; BAG 8 AZR 406/14', sources: ['BAG 11.08.2016, 8 AZR 406/14'],
                 contexts: [{ effect: 'EFFECT_SOFTEN', cues: ['für'], note: 'Kundschaft' }] };
  assert.deepEqual(termsOf(rule), ['jung team', 'jung kollegium', 'jungspund']);
  assert.equal(matchRule(rule, ''), 1);
  assert.equal(matchRule(rule, 'junges Team'), 2);   // "jung" begins "junges"
  assert.equal(matchRule(rule, 'Kollegium'), 2);
  assert.equal(matchRule(rule, '8 AZR 406/14'), 1);  // in the sources
  assert.equal(matchRule(rule, 'kundschaft'), 1);    // in a context note
  assert.equal(matchRule(rule, 'Muttersprache'), 0);
  assert.equal(fold('Zürich ÄRZTIN'), 'zurich arztin');
});
