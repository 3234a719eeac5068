// The self-assessment page (#assessment): the questionnaire
// (GET /v1/questionnaires/{lang}) one field of action per step, with
// progress, back and next; the answers are kept in this browser
// (localStorage, the answers only) until they are sent
// (POST /v1/assessments). Then the report: a bar chart per field of
// action, traffic lights with words, the next steps. With an organisation
// and a server with --data_dir the result is saved, and two saved results
// can be compared (GET /v1/assessments, GET /v1/assessments:compare).
// Page contract: see main.js.

import { request } from './api.js';
import { barChart } from './chart.js';
import { apiErrorText } from './errors.js';
import { addStrings, formatNumber, language, t } from './i18n.js';
import { el } from './report.js';
import { ASSESSMENT_STRINGS } from './strings_assessment.js';

addStrings(ASSESSMENT_STRINGS);

const STORE_KEY = 'divcheck.assessmentAnswers';
const NEED = { NEED_FOR_ACTION_LOW: 'low', NEED_FOR_ACTION_MEDIUM: 'medium', NEED_FOR_ACTION_HIGH: 'high' };
const TREND = { TREND_IMPROVED: 'improved', TREND_UNCHANGED: 'unchanged', TREND_WORSE: 'worse',
                TREND_NOT_COMPARABLE: 'notComparable' };
const ICON = { low: '●', medium: '▲', high: '■', none: '○' };

const $ = (id) => document.getElementById(id);
let ui = null;
const state = {
  questionnaire: null, step: -1, answers: {}, result: null, saved: null, requestId: '',
  message: null, loading: null, assessments: [],
};

// ---------------------------------------------------------------- storage

function loadAnswers() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
    if (stored && typeof stored.answers === 'object') return stored;
  } catch { /* unreadable or blocked: start empty */ }
  return null;
}

function storeAnswers() {
  const q = state.questionnaire;
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify({
      questionnaireId: q.id, version: q.version, answers: state.answers,
    }));
  } catch { /* private mode: the answers last for this page only */ }
}

function forgetAnswers() {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch { /* nothing stored */ }
}

// ---------------------------------------------------------------- helpers

function needKind(need) {
  return NEED[need] || 'none';
}

// A traffic light: a shape and a word, so colour is never the only signal.
function light(need) {
  const kind = needKind(need);
  return el('span', { class: `light light-${kind}` },
            el('span', { class: 'icon', 'aria-hidden': 'true', text: ICON[kind] }), ` ${t(`need.${kind}`)}`);
}

function percent(p) {
  return `${formatNumber(Math.round(p || 0))} %`;
}

function showError(node, e, byReason) {
  node.textContent = e ? (typeof e === 'string' ? e : apiErrorText(e, byReason)) : '';
  node.hidden = !e;
}

function allQuestions() {
  return (state.questionnaire?.sections || []).flatMap((s) => s.questions || []);
}

// ---------------------------------------------------------------- questionnaire

async function loadQuestionnaire() {
  const lang = language();
  if (state.questionnaire && state.questionnaire.language === lang) return;
  if (state.loading === lang) return;
  state.loading = lang;
  ui.status.textContent = t('asLoading');
  try {
    const q = await request('GET', `/v1/questionnaires/${lang}`);
    if (language() !== lang) return;
    state.questionnaire = q;
    const stored = loadAnswers();
    if (stored && stored.questionnaireId === q.id && stored.version === q.version) {
      state.answers = stored.answers;
    }
    showError(ui.error, null);
    ui.status.textContent = '';
  } catch (e) {
    showError(ui.error, e);
    ui.status.textContent = '';
  } finally {
    state.loading = null;
  }
  render();
}

function render() {
  const q = state.questionnaire;
  document.body.dataset.assessmentStep = String(state.step);
  ui.intro.hidden = !q || state.step !== -1 || !!state.result;
  ui.form.hidden = !q || state.step < 0 || !!state.result;
  ui.report.hidden = !state.result;
  if (!q) return;
  if (state.result) return renderReport();
  if (state.step < 0) return renderIntro();
  return renderStep();
}

function renderIntro() {
  const q = state.questionnaire;
  ui.title.textContent = q.title || '';
  ui.description.textContent = q.description || '';
  const count = Object.keys(state.answers).length;
  ui.resume.hidden = count === 0;
  ui.resume.textContent = t('asResume', { count, total: allQuestions().length });
  ui.start.textContent = count ? t('asContinue') : t('asStart');
  ui.discard.hidden = count === 0;
}

function questionBlock(question) {
  const name = `q-${question.id}`;
  const legend = el('legend', {}, question.text || '',
    question.required ? el('span', { class: 'required-mark', text: ` (${t('required')})` }) : null,
    question.legalDuty ? el('span', { class: 'duty-mark', text: ` – ${t('asLegalDuty')}` }) : null);
  const helpId = `${name}-help`;
  const options = (question.options || []).map((o) => {
    const id = `${name}-${o.id}`;
    const input = el('input', { type: 'radio', id, name, value: o.id,
                                'aria-describedby': question.help ? helpId : null });
    input.checked = state.answers[question.id] === o.id;
    input.addEventListener('change', () => {
      state.answers[question.id] = o.id;
      storeAnswers();
      updateProgress();
    });
    return el('div', { class: 'option' }, input, el('label', { for: id, text: o.label || o.id }));
  });
  return el('fieldset', { class: 'question', 'data-question': question.id },
    legend,
    question.help ? el('p', { class: 'hint-text', id: helpId, text: question.help }) : null,
    el('div', { class: 'options' }, options));
}

function updateProgress() {
  const sections = state.questionnaire.sections || [];
  const answered = allQuestions().filter((qq) => state.answers[qq.id]).length;
  ui.progress.max = sections.length;
  ui.progress.value = state.step + 1;
  ui.progressText.textContent = t('asProgress', {
    step: state.step + 1, steps: sections.length, title: sections[state.step]?.title || '',
    answered, total: allQuestions().length,
  });
}

function renderStep() {
  const section = state.questionnaire.sections[state.step];
  ui.sectionTitle.textContent = section.title || '';
  ui.sectionDescription.textContent = section.description || '';
  ui.questions.replaceChildren(...(section.questions || []).map(questionBlock));
  const last = state.step === state.questionnaire.sections.length - 1;
  ui.next.textContent = last ? t('asFinish') : t('asNext');
  ui.back.textContent = t('asBack');
  showError(ui.stepError, null);
  updateProgress();
}

function goTo(step) {
  state.step = step;
  render();
  if (step >= 0) ui.sectionTitle.focus();
  else ui.start.focus();
}

function next(event) {
  event.preventDefault();
  const section = state.questionnaire.sections[state.step];
  const missing = (section.questions || []).filter((q) => q.required && !state.answers[q.id]);
  if (missing.length) {
    showError(ui.stepError, t('asMissing', { count: missing.length }));
    const first = ui.questions.querySelector(`fieldset[data-question="${CSS.escape(missing[0].id)}"] input`);
    if (first) first.focus();
    return;
  }
  if (state.step < state.questionnaire.sections.length - 1) goTo(state.step + 1);
  else submit();
}

// ---------------------------------------------------------------- result

function answersList() {
  const known = new Set(allQuestions().map((q) => q.id));
  return Object.entries(state.answers).filter(([id]) => known.has(id))
    .map(([questionId, optionId]) => ({ questionId, optionId }));
}

function createBody(organization, validateOnly) {
  const q = state.questionnaire;
  return {
    organization, questionnaireId: q.id, questionnaireVersion: q.version, languageCode: q.language,
    answers: answersList(), validateOnly, requestId: validateOnly ? '' : state.requestId,
  };
}

// Sends the answers: saved under the organisation when one is given and
// the server can store; otherwise scored only, with the reason shown.
async function submit() {
  const organization = ui.org.value.trim();
  if (!state.requestId) state.requestId = crypto.randomUUID();
  ui.next.disabled = true;
  ui.status.textContent = t('asSending');
  let result = null;
  let saved = null;
  let message = null;
  try {
    if (organization) {
      try {
        result = await request('POST', '/v1/assessments', createBody(organization, false));
        saved = { organization: result.organization, id: result.id, time: result.createTime };
      } catch (e) {
        if (e.reason === 'STORAGE_DISABLED') message = ['asNotSavedNoData'];
        else if (e.reason === 'ORGANIZATION_NOT_ALLOWED' || e.status === 403) message = ['asNotSavedDenied'];
        else if (e.reason === 'INVALID_ORGANIZATION') message = ['asNotSavedBadOrg', { message: e.message }];
        else throw e;
      }
    } else {
      message = ['asNotSavedNoOrg'];
    }
    if (!result) result = await request('POST', '/v1/assessments', createBody('', true));
  } catch (e) {
    ui.next.disabled = false;
    ui.status.textContent = '';
    showError(ui.stepError, e);
    return;
  }
  ui.next.disabled = false;
  state.result = result;
  state.saved = saved;
  state.message = message;
  state.requestId = '';
  if (saved) {
    forgetAnswers();
    ui.compareOrg.value = saved.organization;
  }
  ui.status.textContent = t('asDone');
  render();
  ui.reportHeading.focus();
  if (saved) listAssessments();
}

function sectionRows(sections) {
  return sections.map((s) => ({
    label: s.title || s.sectionId, value: s.percentage || 0, kind: needKind(s.needForAction),
    note: s.assessed ? `${percent(s.percentage)} · ${t(`need.${needKind(s.needForAction)}`)}`
                     : t('asNotAssessed'),
  }));
}

function renderReport() {
  const r = state.result;
  ui.overall.replaceChildren(
    el('p', { class: 'overall' },
       el('span', { class: 'score-number', 'data-testid': 'assessment-score', text: formatNumber(r.overallScore || 0) }),
       ` ${t('outOf')}`),
    el('p', {}, `${t('asOverallNeed')}: `, light(r.overallNeedForAction)),
    r.overallMaturity ? el('p', {}, `${t('asMaturity')}: `,
                           el('strong', { text: t(`maturity.${r.overallMaturity}`) })) : null);
  ui.saved.replaceChildren();
  if (state.saved) {
    const when = state.saved.time ? new Date(state.saved.time).toLocaleString(language()) : '';
    ui.saved.append(t('asSaved', { organization: state.saved.organization, time: when }));
    ui.saved.className = 'notice-box saved';
  } else {
    ui.saved.append(state.message ? t(...state.message) : '');
    ui.saved.className = 'notice-box not-saved';
  }
  ui.saved.dataset.testid = state.saved ? 'saved' : 'not-saved';
  const sections = r.sections || [];
  ui.chart.replaceChildren(barChart(t('asChartTitle'), sectionRows(sections)));
  ui.sectionsTable.replaceChildren(
    el('caption', { class: 'visually-hidden', text: t('asChartTitle') }),
    el('thead', {}, el('tr', {}, ['asField', 'asFulfilled', 'asNeed', 'asAnswered', 'asDuties']
      .map((k) => el('th', { scope: 'col', text: t(k) })))),
    el('tbody', {}, sections.map((s) => el('tr', {},
      el('th', { scope: 'row', text: s.title || s.sectionId }),
      el('td', { text: s.assessed ? percent(s.percentage) : t('asNotAssessed') }),
      el('td', {}, light(s.needForAction)),
      el('td', { text: `${formatNumber(s.answeredCount || 0)} / ${formatNumber(s.questionCount || 0)}` }),
      el('td', { text: (s.unmetLegalDuties || []).length ? formatNumber(s.unmetLegalDuties.length) : '–' })))));
  const dims = (r.dimensions || []).filter((d) => d.assessed);
  ui.dimChart.replaceChildren(barChart(t('asDimHeading'), dims.map((d) => ({
    label: t(`dimension.${d.dimension}`), value: d.percentage || 0, kind: needKind(d.needForAction),
    note: `${percent(d.percentage)} · ${t(`need.${needKind(d.needForAction)}`)}`,
  }))));
  const steps = r.recommendations || [];
  ui.steps.replaceChildren(...(steps.length ? steps.map((rec) => el('li', { class: 'step' },
    el('p', { class: 'step-question' }, el('strong', { text: rec.questionText || '' }),
       rec.legalDuty ? el('span', { class: 'duty-badge', text: ` ${t('asLegalDuty')}` }) : null),
    el('ul', {}, (rec.steps || []).map((s) => el('li', { text: s })))))
    : [el('li', { class: 'empty', text: t('asNoSteps') })]));
}

function restart() {
  state.result = null;
  state.saved = null;
  state.message = null;
  state.answers = {};
  forgetAnswers();
  goTo(-1);
}

// ---------------------------------------------------------------- compare

function assessmentLabel(a) {
  const when = a.createTime ? new Date(a.createTime).toLocaleString(language()) : a.id;
  return t('asListItem', { time: when, score: a.overallScore || 0 });
}

async function listAssessments() {
  const organization = ui.compareOrg.value.trim();
  showError(ui.compareError, null);
  ui.comparison.replaceChildren();
  if (!organization) {
    showError(ui.compareError, t('asNeedOrg'));
    return;
  }
  ui.compareStatus.textContent = t('asLoading');
  try {
    const params = new URLSearchParams({ organization, pageSize: '100' });
    const answer = await request('GET', `/v1/assessments?${params}`);
    state.assessments = answer.assessments || [];
  } catch (e) {
    ui.compareStatus.textContent = '';
    ui.comparePick.hidden = true;
    showError(ui.compareError, e, { STORAGE_DISABLED: 'asNoDataDir', ORGANIZATION_NOT_ALLOWED: 'asDenied' });
    return;
  }
  const list = state.assessments;
  for (const [select, pick] of [[ui.before, 1], [ui.after, 0]]) {
    select.replaceChildren(...list.map((a) => el('option', { value: a.id, text: assessmentLabel(a) })));
    if (list[pick]) select.value = list[pick].id;
  }
  ui.comparePick.hidden = list.length < 2;
  ui.compareStatus.textContent = list.length < 2
    ? t('asTooFew', { count: list.length }) : t('asListed', { count: list.length });
}

async function compare() {
  showError(ui.compareError, null);
  if (ui.before.value === ui.after.value) {
    showError(ui.compareError, t('asSameTwice'));
    return;
  }
  try {
    const params = new URLSearchParams({ beforeId: ui.before.value, afterId: ui.after.value });
    state.comparison = await request('GET', `/v1/assessments:compare?${params}`);
  } catch (e) {
    showError(ui.compareError, e, { DIFFERENT_QUESTIONNAIRES: 'asDifferentQuestionnaires' });
    return;
  }
  renderComparison();
}

function renderComparison() {
  const c = state.comparison;
  if (!c) return;
  const label = (id) => {
    const a = state.assessments.find((x) => x.id === id);
    return a ? assessmentLabel(a) : id;
  };
  const trend = (tr) => {
    const k = TREND[tr] || 'notComparable';
    return el('span', { class: `trend trend-${k}` }, el('span', { 'aria-hidden': 'true',
      text: { improved: '↑ ', unchanged: '→ ', worse: '↓ ', notComparable: '· ' }[k] }), t(`trend.${k}`));
  };
  const sections = c.sections || [];
  const delta = (d) => `${d > 0 ? '+' : ''}${formatNumber(Math.round(d || 0))}`;
  const rows = sections.map((s) => ({
    label: s.title || s.sectionId, before: s.percentageBefore || 0, value: s.percentageAfter || 0,
    kind: needKind(s.needAfter), beforeNote: percent(s.percentageBefore), note:
      `${percent(s.percentageAfter)} (${delta(s.delta)}) ${t(`trend.${TREND[s.trend] || 'notComparable'}`)}`,
  }));
  ui.comparison.replaceChildren(
    el('p', { class: 'overall', 'data-testid': 'comparison-overall' },
       t('asOverallChange', { before: c.overallScoreBefore || 0, after: c.overallScoreAfter || 0,
                              delta: delta(c.overallDelta) }), ' ', trend(c.overallTrend)),
    el('p', { text: t('asSectionCounts', { improved: c.improvedSections || 0,
                                           unchanged: c.unchangedSections || 0, worse: c.worseSections || 0 }) }),
    el('div', { class: 'chart' }, barChart(t('asCompareChart'), rows,
                                           { compare: true, legend: [t('asBefore'), t('asAfter')] })),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data-table', 'data-testid': 'comparison-table' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: t('asField') }),
        el('th', { scope: 'col', text: `${t('asBefore')}: ${label(c.beforeId)}` }),
        el('th', { scope: 'col', text: `${t('asAfter')}: ${label(c.afterId)}` }),
        el('th', { scope: 'col', text: t('asChange') }))),
      el('tbody', {}, sections.map((s) => el('tr', {},
        el('th', { scope: 'row', text: s.title || s.sectionId }),
        el('td', {}, percent(s.percentageBefore), ' ', light(s.needBefore)),
        el('td', {}, percent(s.percentageAfter), ' ', light(s.needAfter)),
        el('td', {}, `${delta(s.delta)} `, trend(s.trend))))))));
  document.body.dataset.compared = String(Number(document.body.dataset.compared || 0) + 1);
}

// ---------------------------------------------------------------- page

export function init() {
  ui = {
    error: $('as-error'), status: $('as-status'), intro: $('as-intro'), title: $('as-title'),
    description: $('as-description'), org: $('as-org'), resume: $('as-resume'),
    start: $('as-start'), discard: $('as-discard'), form: $('as-form'),
    progress: $('as-progress'), progressText: $('as-progress-text'),
    sectionTitle: $('as-section-title'), sectionDescription: $('as-section-description'),
    questions: $('as-questions'), stepError: $('as-step-error'), back: $('as-back'),
    next: $('as-next'), report: $('as-report'), reportHeading: $('as-report-heading'),
    overall: $('as-overall'), saved: $('as-saved'), chart: $('as-chart'),
    sectionsTable: $('as-sections'), dimChart: $('as-dim-chart'), steps: $('as-steps'),
    restart: $('as-restart'), compareOrg: $('as-compare-org'), list: $('as-list'),
    comparePick: $('as-compare-pick'), before: $('as-before'), after: $('as-after'),
    compare: $('as-compare'), compareError: $('as-compare-error'),
    compareStatus: $('as-compare-status'), comparison: $('as-comparison'),
  };
  ui.start.addEventListener('click', () => goTo(0));
  ui.discard.addEventListener('click', () => {
    state.answers = {};
    forgetAnswers();
    render();
    ui.start.focus();
  });
  ui.back.addEventListener('click', () => goTo(state.step - 1));
  ui.form.addEventListener('submit', next);
  ui.restart.addEventListener('click', restart);
  ui.list.addEventListener('click', listAssessments);
  ui.compare.addEventListener('click', compare);
}

export function show() {
  loadQuestionnaire();
}

// The questionnaire and a shown result are fetched again in the new
// language (the result scored again, not stored again).
export async function languageChanged() {
  const had = state.result;
  await loadQuestionnaire();
  if (had && state.questionnaire) {
    try {
      state.result = await request('POST', '/v1/assessments', {
        ...createBody('', true), answers: had.answers || answersList(),
      });
    } catch { /* keep the result in the old language */ }
  }
  render();
  if (state.comparison && state.comparison.afterId) {
    renderComparison();
  }
}
