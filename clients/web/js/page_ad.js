// The ad check page (#ad, the start page): the text is checked as the user
// types (400 ms after the last key), the findings are marked in place and
// listed beside it, and a suggestion that is wording replaces the marked
// words and checks the text again. Page contract: see main.js.

import { ApiError, scan } from './api.js';
import { renderMarks, setActiveMark } from './highlight.js';
import { formatNumber, t } from './i18n.js';
import { codePointToUtf16, spanRange } from './offsets.js';
import { SEVERITY, isChecked, renderBalance, renderDimensions, renderFindings,
         renderGood, renderScore } from './report.js';
import { fitReplacement } from './suggest.js';
import { ACCEPT, formatOf, textOfFile } from './upload.js';

const DEBOUNCE_MS = 400;

const $ = (id) => document.getElementById(id);
const ui = {
  ad: $('ad'), backdrop: $('backdrop'), adLanguage: $('ad-language'),
  status: $('status'), error: $('error'),
  results: $('results'), score: $('score'), dimensions: $('dimensions'),
  balance: $('balance'), findings: $('findings'), good: $('good'), file: $('ad-file'),
};

const state = {
  timer: 0,
  controller: null,
  seq: 0,
  // The text and language of the last answer, and the answer.
  checkedText: null,
  checkedLanguage: '',
  report: null,
  error: null,
  // Marks: [{id, start, end, kind}] in UTF-16 offsets of the text shown.
  items: [],
  shownText: '',
};

// ---------------------------------------------------------------- text box

// The textarea grows with its text, so the backdrop never has to scroll.
function fitHeight() {
  ui.ad.style.height = 'auto';
  ui.ad.style.height = `${ui.ad.scrollHeight + 2}px`;
}

function drawMarks() {
  renderMarks(ui.backdrop, state.shownText, state.items);
}

// After an edit, keeps the marks before the edited stretch, moves those
// after it, and drops those it touched, until the new check answers.
function shiftMarks(oldText, newText) {
  let prefix = 0;
  const max = Math.min(oldText.length, newText.length);
  while (prefix < max && oldText[prefix] === newText[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix &&
         oldText[oldText.length - 1 - suffix] === newText[newText.length - 1 - suffix]) suffix++;
  const oldEditEnd = oldText.length - suffix;
  const delta = newText.length - oldText.length;
  state.items = state.items.flatMap((it) => {
    if (it.end <= prefix) return [it];
    if (it.start >= oldEditEnd) return [{ ...it, start: it.start + delta, end: it.end + delta }];
    return [];
  });
}

function onInput() {
  const text = ui.ad.value;
  shiftMarks(state.shownText, text);
  state.shownText = text;
  drawMarks();
  fitHeight();
  schedule(DEBOUNCE_MS);
}

// ---------------------------------------------------------------- checking

function schedule(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(check, delay);
}

async function check() {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  const seq = ++state.seq;
  const text = ui.ad.value;
  const lang = ui.adLanguage.value;
  ui.status.textContent = t('checking');
  ui.results.setAttribute('aria-busy', 'true');
  try {
    const report = await scan(text, lang, controller.signal);
    if (seq !== state.seq) return;
    state.report = report;
    state.error = null;
    state.checkedText = text;
    state.checkedLanguage = lang;
  } catch (e) {
    if (e.name === 'AbortError' || seq !== state.seq) return;
    state.report = null;
    state.error = e;
    state.checkedText = text;
  } finally {
    if (seq === state.seq) ui.results.removeAttribute('aria-busy');
  }
  if (ui.ad.value !== text) return;  // typed meanwhile: a new check is due
  showResult();
}

function itemsOf(report, text) {
  const toUtf16 = codePointToUtf16(text);
  const items = (report.findings || []).map((f, i) => ({
    id: `f${i}`, kind: SEVERITY[f.severity] || 'hint', ...spanRange(f.span, toUtf16),
  }));
  (report.highlights || []).forEach((h, i) => {
    items.push({ id: `h${i}`, kind: 'good', ...spanRange(h.span, toUtf16) });
  });
  return items;
}

// An API error (or any other) in words; other pages use it too (ctx.errorText).
export function errorText(e) {
  if (!(e instanceof ApiError)) return t('errOther', { status: '?', message: String(e) });
  if (e.status === 0) return t('errNetwork');
  if (e.reason === 'TEXT_TOO_LARGE' || e.reason === 'REQUEST_TOO_LARGE' || e.status === 413) {
    const limit = Number(e.metadata.max_text_bytes || 0);
    if (!limit) return t('errTooLargeNoLimit');
    const size = limit >= 10240 ? t('kilobytes', { n: formatNumber(Math.floor(limit / 1024)) })
                                : t('bytes', { n: formatNumber(limit) });
    return t('errTooLarge', { limit: size });
  }
  if (e.status === 401 || e.status === 403) return t('errAuth');
  if (e.status === 429 || e.status === 503) return t('errBusy');
  return t('errOther', { status: e.status, message: e.message });
}

// Shows the last answer (report or error) in the UI language in use.
// body[data-shown] counts the answers shown (tests wait on it).
function showResult() {
  document.body.dataset.shown = String(Number(document.body.dataset.shown || 0) + 1);
  const handlers = { onShow: showInText, onUse: useSuggestion, onHover: hover };
  if (state.error) {
    ui.error.textContent = errorText(state.error);
    ui.error.hidden = false;
    ui.status.textContent = t('errorStatus');
    ui.results.hidden = true;
    state.items = [];
    drawMarks();
    return;
  }
  ui.error.hidden = true;
  ui.results.hidden = false;
  const report = state.report;
  if (!report) return;
  state.items = isChecked(report) ? itemsOf(report, state.checkedText) : [];
  state.shownText = state.checkedText;
  drawMarks();
  renderScore(ui.score, report, state.checkedLanguage);
  renderDimensions(ui.dimensions, report);
  renderBalance(ui.balance, report);
  renderFindings(ui.findings, report, handlers);
  renderGood(ui.good, report);
  ui.status.textContent = isChecked(report)
    ? t('checkedStatus', { grade: report.grade || '', score: report.score || 0,
                           count: (report.findings || []).length })
    : `${t('notCheckedStatus')}`;
}

// ---------------------------------------------------------------- actions

function rangeOf(id) {
  return state.items.find((it) => it.id === id) || null;
}

function hover(id) {
  setActiveMark(ui.backdrop, id);
}

// Selects the finding's words in the text box.
function showInText(id) {
  const r = rangeOf(id);
  if (!r) return;
  ui.ad.focus();
  ui.ad.setSelectionRange(r.start, r.end);
  setActiveMark(ui.backdrop, id);
  const mark = ui.backdrop.querySelector('mark.active');
  if (mark) mark.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

// Puts `replacement` in place of finding `id`'s words and checks again.
function useSuggestion(id, replacement) {
  const r = rangeOf(id);
  const index = Number(id.slice(1));
  const finding = state.report && (state.report.findings || [])[index];
  const text = ui.ad.value;
  if (!r || !finding || text !== state.checkedText ||
      text.slice(r.start, r.end) !== (finding.matchedText || '')) {
    ui.status.textContent = t('stale');
    return;
  }
  const words = fitReplacement(text, r.start, replacement);
  ui.ad.focus();
  ui.ad.setSelectionRange(r.start, r.end);
  // insertText keeps the browser's undo (Ctrl+Z) working.
  if (!document.execCommand('insertText', false, words)) {
    ui.ad.setRangeText(words, r.start, r.end, 'end');
    onInput();
  }
  ui.status.textContent = t('replaced');
  check();
}

// In the text box, the finding under the caret is shown in the list.
function followCaret() {
  const pos = ui.ad.selectionStart;
  const hit = state.items.find((it) => it.kind !== 'good' && it.start <= pos && pos < it.end);
  for (const li of ui.findings.querySelectorAll('li.current')) li.classList.remove('current');
  if (!hit) return;
  const li = document.getElementById(`item-${hit.id}`);
  if (li) li.classList.add('current');
}

// ---------------------------------------------------------------- files

// Puts `text` in the text box (undoable) and checks it.
function loadText(text) {
  ui.ad.focus();
  ui.ad.select();
  if (document.activeElement !== ui.ad || !document.execCommand('insertText', false, text)) {
    ui.ad.value = text;
    onInput();
  }
  check();
}

// Shows `text` in the ad check (the page must be shown) and checks it in
// `languageCode` ('' = detect); for other pages (ctx.loadAd).
export function loadAd(text, languageCode) {
  ui.adLanguage.value = languageCode || '';
  loadText(text);
}

async function openFile() {
  const file = ui.file.files && ui.file.files[0];
  if (!file) return;
  ui.error.hidden = true;
  ui.status.textContent = t('fileReading', { name: file.name });
  try {
    const { text } = await textOfFile(file, ui.adLanguage.value);
    if (!text.trim()) {
      ui.status.textContent = t('fileEmpty', { name: file.name });
      return;
    }
    loadText(text);
    ui.status.textContent = t('fileLoaded', { name: file.name });
  } catch (e) {
    let message;
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      message = t('fileNotSupported', { format: formatOf(file) });
    } else if (e instanceof ApiError) {
      message = errorText(e);
    } else {
      message = t('fileUnreadable', { name: file.name, message: e.message || String(e) });
    }
    ui.error.textContent = message;
    ui.error.hidden = false;
    ui.status.textContent = t('errorStatus');
  } finally {
    ui.file.value = '';
  }
}

// ---------------------------------------------------------------- page

// The UI language changed: the last answer is shown again in it.
export function languageChanged() {
  if (state.report || state.error) showResult();
}

export function show() {
  fitHeight();
}

export function init() {
  ui.ad.addEventListener('input', onInput);
  ui.ad.addEventListener('scroll', () => { ui.backdrop.scrollTop = ui.ad.scrollTop; });
  ui.ad.addEventListener('click', followCaret);
  ui.ad.addEventListener('keyup', followCaret);
  ui.adLanguage.addEventListener('change', check);
  ui.file.accept = ACCEPT;
  ui.file.addEventListener('change', openFile);
  window.addEventListener('resize', fitHeight);
  state.shownText = ui.ad.value;
  drawMarks();
  fitHeight();
  check();
}
