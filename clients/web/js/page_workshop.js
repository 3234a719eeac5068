// Workshop mode (#workshop), for trainers: a gallery of the example ads
// shipped with divcheck (served from /examples/), each problematic ad
// beside its improved version with both scores, and a "before/after" that
// applies every safe suggestion (rewrite.js) and checks the result again.
// Page contract: see main.js; ctx.loadAd and ctx.errorText come from the
// ad check (page_ad.js). The "large type, high contrast" switch in the
// header is display.js.

import { ApiError, scan } from './api.js';
import { renderMarks } from './highlight.js';
import { addStrings, formatNumber, t } from './i18n.js';
import { codePointToUtf16, spanRange } from './offsets.js';
import { SEVERITY, badge, el, isChecked } from './report.js';
import { applySafeSuggestions } from './rewrite.js';

addStrings({
  de: {
    pageTagline: { workshop: 'Beispiele vorher und nachher' },
    wsIntro: 'Beispielanzeigen für Schulungen: die problematische Fassung neben der verbesserten, oder eine Anzeige, in der divcheck alle fertigen Formulierungsvorschläge einsetzt. Mit „Große Schrift, hoher Kontrast“ oben ist alles im Raum lesbar.',
    wsGallery: 'Beispielanzeigen',
    wsCompare: 'Problematisch und verbessert nebeneinander',
    wsBeforeAfter: 'Vorher/nachher: Vorschläge einsetzen',
    wsOpen: 'In der Anzeigenprüfung öffnen',
    wsBad: 'Problematische Fassung',
    wsGood: 'Verbesserte Fassung',
    wsBefore: 'Vorher',
    wsAfter: 'Nachher: alle fertigen Vorschläge eingesetzt',
    wsChanges: 'Ersetzt',
    wsNoChanges: 'Keine Fundstelle hat einen fertigen Formulierungsvorschlag; hier helfen nur die Hinweise.',
    wsCheckNote: 'Automatisch eingesetzt: Artikel und Endungen können danach noch angepasst werden müssen. Hinweise, die keine fertige Formulierung sind, bleiben offen.',
    wsLoading: 'Wird geprüft …',
    wsLanguage: 'Sprache der Anzeige: {language}',
    wsScore: '{score} von 100 Punkten',
    wsScoreChange: 'Punkte vorher {before}, nachher {after}',
    changed: 'Geändert',
    ex_vertrieb: 'Außendienst im Vertrieb',
    ex_handwerk: 'Elektroniker im Handwerk',
    ex_developer: 'Full-Stack Developer (englisch)',
    ex_pflege: 'Pflegefachkraft (schon gut)',
    ex_research: 'Doktorandenstelle (englisch, schon gut)',
  },
  en: {
    pageTagline: { workshop: 'Examples before and after' },
    wsIntro: 'Example ads for training: the problematic version beside the improved one, or an ad in which divcheck puts in every ready-made suggestion. With "Large type, high contrast" at the top, the whole room can read it.',
    wsGallery: 'Example ads',
    wsCompare: 'Problematic and improved side by side',
    wsBeforeAfter: 'Before/after: apply the suggestions',
    wsOpen: 'Open in the ad check',
    wsBad: 'Problematic version',
    wsGood: 'Improved version',
    wsBefore: 'Before',
    wsAfter: 'After: every ready-made suggestion applied',
    wsChanges: 'Replaced',
    wsNoChanges: 'No finding has a ready-made wording; only the advice helps here.',
    wsCheckNote: 'Applied automatically: articles and endings may still need adjusting. Advice that is not ready-made wording is left open.',
    wsLoading: 'Checking …',
    wsLanguage: 'Language of the ad: {language}',
    wsScore: '{score} of 100 points',
    wsScoreChange: 'Score before {before}, after {after}',
    changed: 'Changed',
    ex_vertrieb: 'Field sales (German)',
    ex_handwerk: 'Electrician in a trade business (German)',
    ex_developer: 'Full-stack developer',
    ex_pflege: 'Nurse (German, already good)',
    ex_research: 'Doctoral position (already good)',
  },
});

// The example ads in examples/ (README.md there describes each).
export const EXAMPLES = [
  { id: 'vertrieb', lang: 'de', bad: '02-vertrieb-problematisch.txt', good: '02-vertrieb-verbessert.txt' },
  { id: 'handwerk', lang: 'de', bad: '03-handwerk-gemischt.txt', good: '03-handwerk-verbessert.txt' },
  { id: 'developer', lang: 'en', bad: '04-developer-problematic.txt', good: '04-developer-improved.txt' },
  { id: 'pflege', lang: 'de', good: '01-pflegefachkraft-gut.txt' },
  { id: 'research', lang: 'en', good: '05-research-inclusive.txt' },
];

const $ = (id) => document.getElementById(id);
let ui = null;
let context = null;
let current = null;  // { example, mode } shown in the view
let seq = 0;
const texts = new Map();

async function exampleText(file) {
  if (!texts.has(file)) {
    const response = await fetch(`/examples/${file}`);
    if (!response.ok) throw new ApiError(response.status, '', response.statusText);
    texts.set(file, await response.text());
  }
  return texts.get(file);
}

// ------------------------------------------------------------ view

function scoreCard(report, testid) {
  if (!isChecked(report)) return el('p', { class: 'ws-score', 'data-testid': testid, text: t('notChecked') });
  const counts = ['critical', 'warning', 'hint'].map((k) =>
    el('li', {}, badge(k), ` ${formatNumber(report[`${k}Count`] || 0)}`));
  return el('div', { class: `ws-score grade-${report.grade || ''}` },
    el('p', { class: 'ws-grade' }, el('span', { class: 'visually-hidden', text: `${t('grade')} ` }),
       report.grade || ''),
    el('p', { class: 'ws-points', 'data-testid': testid, 'data-score': String(report.score || 0),
              text: t('wsScore', { score: formatNumber(report.score || 0) }) }),
    el('ul', { class: 'counts' }, counts));
}

// The marks of a report: its findings by severity and its good elements.
function findingItems(report, text) {
  const toUtf16 = codePointToUtf16(text);
  return [
    ...(report.findings || []).map((f, i) => ({
      id: `w${i}`, kind: SEVERITY[f.severity] || 'hint', ...spanRange(f.span, toUtf16) })),
    ...(report.highlights || []).map((h, i) => ({
      id: `g${i}`, kind: 'good', ...spanRange(h.span, toUtf16) })),
  ];
}

function textBlock(text, items) {
  const box = el('div', { class: 'ws-text' });
  renderMarks(box, text, items);
  return box;
}

function column(heading, report, testid, text, items, extra) {
  return el('section', { class: 'ws-column', 'aria-label': heading },
    el('h4', { text: heading }), scoreCard(report, testid), extra || null, textBlock(text, items));
}

async function showCompare(example, mine) {
  const [bad, good] = await Promise.all([exampleText(example.bad), exampleText(example.good)]);
  const [rBad, rGood] = await Promise.all([scan(bad, example.lang), scan(good, example.lang)]);
  if (mine !== seq) return;
  ui.viewBody.replaceChildren(el('div', { class: 'ws-columns' },
    column(t('wsBad'), rBad, 'ws-score-bad', bad, findingItems(rBad, bad)),
    column(t('wsGood'), rGood, 'ws-score-good', good, findingItems(rGood, good))));
}

async function showBeforeAfter(example, mine) {
  const before = await exampleText(example.bad);
  const rBefore = await scan(before, example.lang);
  const { text: after, changes } = applySafeSuggestions(before, rBefore);
  const rAfter = await scan(after, example.lang);
  if (mine !== seq) return;
  const changed = changes.map((c, i) => ({ id: `c${i}`, kind: 'changed', start: c.start, end: c.end }));
  const list = changes.length
    ? el('ol', { class: 'ws-changes', 'data-testid': 'ws-changes' },
         changes.map((c) => el('li', {}, el('del', { text: c.before }), ' → ', el('ins', { text: c.after }))))
    : el('p', { class: 'empty', text: t('wsNoChanges') });
  ui.viewBody.replaceChildren(
    el('p', { class: 'ws-summary', role: 'status', text: t('wsScoreChange', {
      before: formatNumber(rBefore.score || 0), after: formatNumber(rAfter.score || 0) }) }),
    el('div', { class: 'ws-columns' },
      column(t('wsBefore'), rBefore, 'ws-score-before', before, findingItems(rBefore, before)),
      column(t('wsAfter'), rAfter, 'ws-score-after', after, changed,
             el('div', { class: 'ws-change-list' }, el('h5', { text: t('wsChanges') }), list))),
    el('p', { class: 'notice', text: t('wsCheckNote') }));
}

async function open(example, mode) {
  current = { example, mode };
  const mine = ++seq;
  ui.view.hidden = false;
  ui.viewHeading.textContent = `${t(`ex_${example.id}`)}: ${t(mode === 'compare' ? 'wsCompare' : 'wsBeforeAfter')}`;
  ui.viewBody.replaceChildren(el('p', { class: 'status', role: 'status', text: t('wsLoading') }));
  ui.view.setAttribute('aria-busy', 'true');
  try {
    if (mode === 'compare') await showCompare(example, mine);
    else await showBeforeAfter(example, mine);
  } catch (e) {
    if (mine !== seq) return;
    ui.viewBody.replaceChildren(el('div', { class: 'error', role: 'alert',
      text: context.errorText(e) }));
  } finally {
    if (mine === seq) {
      ui.view.removeAttribute('aria-busy');
      document.body.dataset.wsShown = String(Number(document.body.dataset.wsShown || 0) + 1);
    }
  }
  if (mine === seq) ui.viewHeading.focus();
}

// ------------------------------------------------------------ gallery

function galleryItem(example) {
  const buttons = [];
  const button = (label, fn, cls) => {
    const b = el('button', { type: 'button', class: cls, text: t(label) });
    b.addEventListener('click', fn);
    buttons.push(b);
  };
  if (example.bad && example.good) button('wsCompare', () => open(example, 'compare'), 'ws-compare');
  if (example.bad) button('wsBeforeAfter', () => open(example, 'beforeafter'), 'ws-beforeafter');
  button('wsOpen', async () => {
    try {
      context.loadAd(await exampleText(example.bad || example.good), example.lang);
    } catch (e) {
      ui.viewBody.replaceChildren(el('div', { class: 'error', role: 'alert', text: context.errorText(e) }));
      ui.view.hidden = false;
    }
  }, 'ws-open');
  return el('li', { class: 'ws-card', 'data-example': example.id },
    el('h4', { text: t(`ex_${example.id}`) }),
    el('p', { class: 'ws-lang', text: t('wsLanguage', { language: t(example.lang === 'de' ? 'langDe' : 'langEn') }) }),
    el('div', { class: 'ws-buttons' }, buttons));
}

function renderGallery() {
  ui.gallery.replaceChildren(...EXAMPLES.map(galleryItem));
}

export function init(ctx) {
  context = ctx;
  ui = { gallery: $('ws-gallery'), view: $('ws-view'), viewHeading: $('ws-view-heading'),
         viewBody: $('ws-view-body') };
  renderGallery();
}

export function languageChanged() {
  renderGallery();
  if (current && !ui.view.hidden) open(current.example, current.mode);
}

export function show() {}
