// The report beside the text: score and grade (or why the text was not
// checked), the score per dimension, the balance of gender-coded words,
// the findings with their reasons, legal basis, sources and suggestions,
// and what the ad already does well. Built with DOM calls only (no HTML
// strings), so text from the server can never become markup.

import { t, languageName, formatNumber } from './i18n.js';
import { hasSplit, replacementsOf } from './suggest.js';

export const SEVERITY = {
  SEVERITY_CRITICAL: 'critical',
  SEVERITY_WARNING: 'warning',
  SEVERITY_HINT: 'hint',
};
const ICON = { critical: '‼', warning: '⚠', hint: 'ℹ', good: '✓' };
const NOT_CHECKED = ['COVERAGE_EMPTY', 'COVERAGE_NO_WORDS', 'COVERAGE_UNSUPPORTED_LANGUAGE'];

// el('p', {class: 'x'}, 'text', child…): an element with attributes and
// children (strings become text nodes).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

// A severity badge: icon and word, so colour is never the only signal.
export function badge(kind) {
  return el('span', { class: `badge badge-${kind}` },
            el('span', { class: 'icon', 'aria-hidden': 'true', text: ICON[kind] }),
            ` ${t(kind)}`);
}

export function isChecked(report) {
  return !NOT_CHECKED.includes(report.coverage);
}

function coverageText(report, chosenLanguage) {
  const apparent = report.apparentLanguage || '';
  switch (report.coverage) {
    case 'COVERAGE_EMPTY': return t('coverageEmpty');
    case 'COVERAGE_NO_WORDS': return t('coverageNoWords');
    case 'COVERAGE_UNSUPPORTED_LANGUAGE':
      return apparent ? t('coverageUnsupported', { language: languageName(apparent) })
                      : t('coverageUnsupportedUnknown');
    case 'COVERAGE_LANGUAGE_MISMATCH':
      return t('coverageMismatch', {
        language: languageName(apparent), chosen: languageName(chosenLanguage || report.language),
      });
    default: return '';
  }
}

// The score card: grade, score, counts; or "not checked" and why.
export function renderScore(container, report, chosenLanguage) {
  if (!isChecked(report)) {
    container.replaceChildren(
      el('div', { class: 'scorecard not-checked', 'data-testid': 'not-checked' },
         el('p', { class: 'grade-line' },
            el('span', { class: 'icon', 'aria-hidden': 'true', text: '∅' }), ` ${t('notChecked')}`),
         el('p', { class: 'coverage-reason', text: coverageText(report, chosenLanguage) })));
    return;
  }
  const grade = report.grade || '';
  const score = report.score || 0;
  const counts = el('ul', { class: 'counts' },
    ['critical', 'warning', 'hint'].map((k) =>
      el('li', {}, badge(k), el('span', { class: 'count', 'data-testid': `count-${k}` },
                                 formatNumber(report[`${k}Count`] || 0)))));
  const language = report.language ? languageName(report.language) : '';
  const card = el('div', { class: `scorecard grade-${grade}` },
    el('p', { class: 'grade', 'data-testid': 'grade' },
       el('span', { class: 'visually-hidden', text: `${t('grade')} ` }), grade),
    el('p', { class: 'score' },
       el('span', { class: 'score-number', 'data-testid': 'score', text: formatNumber(score) }),
       ` ${t('outOf')}`),
    counts,
    language ? el('p', { class: 'analysed-as' },
                  t('analysedAs', { language }) +
                  (report.languageDetected ? ` ${t('detected')}` : '')) : null);
  const notes = [];
  if (report.coverage === 'COVERAGE_LANGUAGE_MISMATCH') {
    notes.push(el('p', { class: 'notice', role: 'note', text: coverageText(report, chosenLanguage) }));
  }
  if (report.findingsCapped) {
    notes.push(el('p', { class: 'notice', text: t('capped', {
      omitted: formatNumber(report.omittedFindingCount || 0) }) }));
  }
  container.replaceChildren(card, ...notes);
}

// Score per dimension: a bar and the number, with the finding count.
export function renderDimensions(container, report) {
  const rows = (report.dimensionScores || []).map((d) => {
    const score = d.score || 0;
    const fill = el('span', { class: 'bar-fill' });
    fill.style.width = `${score}%`;  // CSSOM, allowed under style-src 'self'
    const n = d.findingCount || 0;
    return el('li', { class: n > 0 ? 'dim has-findings' : 'dim' },
      el('span', { class: 'dim-name', text: t(`dimension.${d.dimension}`) }),
      el('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
      el('span', { class: 'dim-score', text: formatNumber(score) }),
      el('span', { class: 'dim-count',
                   text: n ? t(n === 1 ? 'findingsCountOne' : 'findingsCount', { count: n }) : '' }));
  });
  container.replaceChildren(...rows);
  container.closest('section').hidden = rows.length === 0;
}

// The balance of agentic and communal words.
export function renderBalance(container, report) {
  const c = report.codedWording || {};
  const agentic = c.agenticCount || 0;
  const communal = c.communalCount || 0;
  // Each counted word with how often it was counted ("analytisch ×2");
  // older servers send only the word lists.
  const listed = (agenticSide, fallback) => {
    const words = (c.words || []).filter((w) => Boolean(w.agentic) === agenticSide);
    if (!words.length) return fallback || [];
    return words.map((w) => ((w.count || 0) > 1 ? `${w.text} \u00d7${formatNumber(w.count)}` : w.text));
  };
  const side = (cls, label, count, words) =>
    el('div', { class: `balance-side ${cls}` },
       el('p', {}, el('strong', { text: formatNumber(count) }), ` ${label}`),
       words && words.length ? el('p', { class: 'words', text: words.join(', ') }) : null);
  const meter = el('div', { class: 'balance-bar', 'aria-hidden': 'true' },
                   el('span', { class: 'agentic' }), el('span', { class: 'communal' }));
  const total = agentic + communal;
  meter.classList.toggle('none', total === 0);
  meter.children[0].style.flexGrow = String(total ? agentic : 1);
  meter.children[1].style.flexGrow = String(total ? communal : 1);
  container.replaceChildren(
    el('p', { class: 'verdict', 'data-testid': 'verdict',
              text: t(`verdict.${c.verdict || 'VERDICT_NEUTRAL'}`) }),
    meter,
    el('div', { class: 'balance-sides' },
       side('agentic', t('agentic'), agentic, listed(true, c.agenticWords)),
       side('communal', t('communal'), communal, listed(false, c.communalWords))),
    c.explanation ? el('p', { class: 'explanation', text: c.explanation }) : null,
    c.uncountedCount ? el('p', { class: 'uncounted', 'data-testid': 'uncounted',
                                 text: t('uncounted', { count: formatNumber(c.uncountedCount) }) })
                     : null);
  container.closest('section').hidden = !isChecked(report);
}

// A source as text, its URLs as links.
export function sourceItem(source) {
  const li = el('li');
  const url = /https?:\/\/[^\s<>"“”„]+[^\s<>"“”„.,;:)]/g;
  let last = 0;
  for (const m of source.matchAll(url)) {
    li.append(source.slice(last, m.index),
              el('a', { href: m[0], rel: 'noopener noreferrer', target: '_blank', text: m[0] }));
    last = m.index + m[0].length;
  }
  li.append(source.slice(last));
  return li;
}

// One finding of the list. `onShow(id)` selects its words in the text;
// `onUse(id, replacement)` puts a suggestion in their place.
function findingItem(f, id, handlers) {
  const kind = SEVERITY[f.severity] || 'hint';
  const details = el('dl', { class: 'facts' });
  if (f.legalBasis) details.append(el('dt', { text: t('legalBasis') }), el('dd', { text: f.legalBasis }));
  if (f.contextNote) details.append(el('dt', { text: t('contextNote') }), el('dd', { text: f.contextNote }));
  const sources = f.sources || [];
  const adviceItem = (s) => el('li', { class: 'advice' },
    el('span', { class: 'visually-hidden', text: `${t('adviceNote')}: ` }), s);
  const useItem = (w) => el('li', { class: 'replacement' },
    el('button', { type: 'button', class: 'use', 'data-id': id, 'data-text': w,
                   'aria-label': t('replaceLabel', { text: w }), text: t('replaceWith', { text: w }) }));
  // Servers since issue 14 say which is which; older ones are guessed from.
  const suggestions = hasSplit(f)
    ? [...(f.replacements || []).map(useItem), ...(f.advice || []).map(adviceItem)]
    : (f.suggestions || []).flatMap((s) => {
      const words = replacementsOf(s, f.matchedText);
      return words.length === 0 ? [adviceItem(s)] : words.map(useItem);
    });
  const li = el('li', { class: `finding finding-${kind}`, id: `item-${id}`, 'data-id': id },
    el('div', { class: 'finding-head' },
       badge(kind),
       el('q', { class: 'matched', 'data-testid': 'matched', text: f.matchedText || '' }),
       el('button', { type: 'button', class: 'show', 'data-id': id, text: t('showInText') })),
    el('p', { class: 'message', text: f.message || '' }),
    details.children.length ? details : null,
    sources.length ? el('details', { class: 'sources' },
                        el('summary', { text: `${t('sources')} (${sources.length})` }),
                        el('ul', {}, sources.map(sourceItem))) : null,
    suggestions.length ? el('div', { class: 'suggestions' },
                            el('h4', { text: t('suggestions') }), el('ul', {}, suggestions)) : null);
  li.querySelector('.show').addEventListener('click', () => handlers.onShow(id));
  for (const b of li.querySelectorAll('button.use')) {
    b.addEventListener('click', () => handlers.onUse(id, b.dataset.text));
  }
  li.addEventListener('mouseenter', () => handlers.onHover(id));
  li.addEventListener('mouseleave', () => handlers.onHover(null));
  li.addEventListener('focusin', () => handlers.onHover(id));
  return li;
}

export function renderFindings(container, report, handlers) {
  const findings = report.findings || [];
  container.replaceChildren(...(findings.length
    ? findings.map((f, i) => findingItem(f, `f${i}`, handlers))
    : [el('li', { class: 'empty', text: t('noFindings') })]));
  container.closest('section').hidden = !isChecked(report);
}

export function renderGood(container, report) {
  const highlights = report.highlights || [];
  container.replaceChildren(...(highlights.length
    ? highlights.map((h, i) => el('li', { class: 'good-item', id: `item-h${i}` },
        badge('good'), ' ', el('q', { class: 'matched', text: h.matchedText || '' }),
        el('p', { class: 'message', text: h.message || '' })))
    : [el('li', { class: 'empty', text: t('noGood') })]));
  container.closest('section').hidden = !isChecked(report);
}
