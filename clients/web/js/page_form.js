// The form check page (#form): an HTML application form, opened as a file
// or pasted, is read into its fields in the browser (form_html.js) and
// audited by POST /v1/forms:scan. Each field with a problem is listed with
// why and what to ask instead, then the anonymisation readiness score with
// the changes it needs. Page contract: see main.js.

import { request } from './api.js';
import { apiErrorText } from './errors.js';
import { decodeHtmlBytes, formFromHtml } from './form_html.js';
import { addStrings, formatNumber, t } from './i18n.js';
import { SEVERITY, badge, el, renderScore } from './report.js';
import { FORM_STRINGS } from './strings_form.js';

addStrings(FORM_STRINGS);

// Files larger than this are not read (a form page is a few hundred KB).
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const $ = (id) => document.getElementById(id);
let ui = null;
const state = { seq: 0, request: null, answer: null, error: null, localError: null };

const TYPE_KEYS = {
  FIELD_TYPE_TEXT: 'typeText', FIELD_TYPE_TEXTAREA: 'typeTextarea', FIELD_TYPE_DATE: 'typeDate',
  FIELD_TYPE_NUMBER: 'typeNumber', FIELD_TYPE_SELECT: 'typeSelect', FIELD_TYPE_RADIO: 'typeRadio',
  FIELD_TYPE_CHECKBOX: 'typeCheckbox', FIELD_TYPE_FILE: 'typeFile', FIELD_TYPE_EMAIL: 'typeEmail',
  FIELD_TYPE_TEL: 'typeTel', FIELD_TYPE_URL: 'typeUrl', FIELD_TYPE_MONTH: 'typeMonth',
};

function fieldName(f) {
  return (f.label || f.name || f.fieldId).replace(/\s*\*$/, '');
}

async function check() {
  const html = ui.html.value;
  const seq = ++state.seq;
  state.answer = null;
  state.error = null;
  state.localError = null;
  if (!html.trim()) {
    state.localError = ['formEmpty'];
    render();
    return;
  }
  const form = formFromHtml(html);
  if (form.fields.length === 0) {
    state.localError = ['formNoFields'];
    render();
    return;
  }
  state.request = form;
  ui.status.textContent = t('formChecking', { count: form.fields.length });
  ui.results.setAttribute('aria-busy', 'true');
  try {
    const answer = await request('POST', '/v1/forms:scan', {
      fields: form.fields, instructions: form.instructions,
      languageCode: ui.language.value, employerType: ui.employer.value,
    });
    if (seq !== state.seq) return;
    state.answer = answer;
  } catch (e) {
    if (seq !== state.seq) return;
    state.error = e;
  } finally {
    ui.results.removeAttribute('aria-busy');
  }
  render();
}

async function openFile() {
  const file = ui.file.files && ui.file.files[0];
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    state.answer = null;
    state.error = null;
    state.localError = ['formFileTooLarge', { limit: formatNumber(MAX_FILE_BYTES / 1024 / 1024) }];
    render();
    return;
  }
  ui.html.value = decodeHtmlBytes(await file.arrayBuffer());
  await check();
}

// ---------------------------------------------------------------- output

function findingBlock(f) {
  const kind = SEVERITY[f.severity] || 'hint';
  const facts = el('dl', { class: 'facts' });
  if (f.legalBasis) facts.append(el('dt', { text: t('legalBasis') }), el('dd', { text: f.legalBasis }));
  if (f.contextNote) facts.append(el('dt', { text: t('contextNote') }), el('dd', { text: f.contextNote }));
  const asks = f.suggestions || [];
  return el('div', { class: `field-finding finding-${kind}` },
    el('p', { class: 'finding-head' }, badge(kind), ' ', el('span', { class: 'message', text: f.message || '' })),
    facts.children.length ? facts : null,
    asks.length ? el('div', { class: 'suggestions' },
                     el('h4', { text: t('askInstead') }),
                     el('ul', { class: 'ask-instead' }, asks.map((s) => el('li', { text: s })))) : null);
}

function fieldItem(field, findings) {
  const worst = findings.map((f) => SEVERITY[f.severity] || 'hint')
    .sort((a, b) => ['critical', 'warning', 'hint'].indexOf(a) - ['critical', 'warning', 'hint'].indexOf(b))[0];
  const facts = [t(TYPE_KEYS[field.type] || 'typeText'), field.required ? t('required') : t('optional')];
  return el('li', { class: `finding form-field finding-${worst}`, 'data-field-id': field.fieldId },
    el('h3', { class: 'field-name' }, el('span', { text: fieldName(field) })),
    el('p', { class: 'field-facts' }, `${facts.join(' · ')} · `,
       el('code', { text: field.name || field.fieldId })),
    findings.map(findingBlock));
}

function renderReadiness(readiness, fieldsById) {
  const score = readiness.score || 0;
  const fill = el('span', { class: 'bar-fill' });
  fill.style.width = `${score}%`;
  const changes = (readiness.changes || []).map((c) => el('li', { class: 'change' },
    el('span', { class: 'points', text: t('points', { n: formatNumber(c.points || 0) }) }), ' ',
    el('span', { text: c.change || '' }),
    el('span', { class: 'change-fields', text: ` (${(c.fieldIds || [])
      .map((id) => (fieldsById.get(id) ? fieldName(fieldsById.get(id)) : id)).join(', ')})` })));
  ui.readiness.replaceChildren(
    el('p', { class: 'readiness-score' },
       el('span', { class: 'score-number', 'data-testid': 'readiness', text: formatNumber(score) }),
       ` ${t('outOf')}`),
    el('span', { class: 'bar readiness-bar', 'aria-hidden': 'true' }, fill),
    el('p', { text: score >= 100 ? t('readinessDone') : t('readinessIntro') }),
    changes.length ? el('ol', { class: 'changes' }, changes) : null);
}

function render() {
  // body[data-form-shown] counts the answers shown (tests wait on it).
  document.body.dataset.formShown = String(Number(document.body.dataset.formShown || 0) + 1);
  ui.error.hidden = !(state.error || state.localError);
  ui.error.textContent = state.localError ? t(...state.localError) :
    (state.error ? apiErrorText(state.error, { INVALID_FORM: 'errInvalidForm' }) : '');
  if (!state.answer) {
    ui.results.hidden = true;
    ui.status.textContent = state.error || state.localError ? t('errorStatus') : '';
    return;
  }
  const report = state.answer.report || {};
  const fields = state.request.fields;
  const fieldsById = new Map(fields.map((f) => [f.fieldId, f]));
  const byField = new Map();
  for (const f of report.findings || []) {
    if (!byField.has(f.fieldId || '')) byField.set(f.fieldId || '', []);
    byField.get(f.fieldId || '').push(f);
  }
  renderScore(ui.score, report, ui.language.value);
  renderReadiness(state.answer.readiness || {}, fieldsById);
  const problems = fields.filter((f) => byField.has(f.fieldId));
  ui.fields.replaceChildren(...(problems.length
    ? problems.map((f) => fieldItem(f, byField.get(f.fieldId)))
    : [el('li', { class: 'empty', text: t('formNoProblems') })]));
  const textFindings = byField.get('') || [];
  ui.textFindings.replaceChildren(...textFindings.map((f) => el('li', { class: 'finding' },
    el('q', { class: 'matched', text: f.matchedText || '' }), findingBlock(f))));
  ui.textFindings.closest('section').hidden = textFindings.length === 0;
  const ok = fields.filter((f) => !byField.has(f.fieldId)).map(fieldName);
  ui.ok.textContent = ok.length ? ok.join(' · ') : t('formNoOkFields');
  ui.results.hidden = false;
  ui.status.textContent = t('formCheckedStatus', {
    fields: fields.length, problems: problems.length, readiness: state.answer.readiness?.score || 0,
  });
}

// ---------------------------------------------------------------- page

export function init() {
  ui = {
    file: $('form-file'), html: $('form-html'), employer: $('form-employer'),
    language: $('form-language'), button: $('form-check'), error: $('form-error'),
    status: $('form-status'), results: $('form-results'), score: $('form-score'),
    readiness: $('form-readiness'), fields: $('form-fields'), textFindings: $('form-text-findings'),
    ok: $('form-ok'),
  };
  ui.file.addEventListener('change', openFile);
  ui.button.addEventListener('click', check);
  ui.employer.addEventListener('change', () => { if (state.answer) check(); });
  ui.language.addEventListener('change', () => { if (state.answer) check(); });
}

export function show() {}

export function languageChanged() {
  if (state.answer || state.error || state.localError) render();
}
