// The rules browser (#rules): every rule the server has loaded (GET
// /v1/rules, all pages, filtered there by language and dimension), searched
// here by a word in its terms, explanation, suggestions, legal basis and
// sources. Each rule shows its explanation, the lexicon's example texts
// (Rule.examples: flagged; Rule.counter_examples: close to its words but not
// flagged; the lexicon's tests run both), the wording it matches (the
// lexicon's terms; the only examples for rules without example texts), the
// suggestions, the legal basis and the sources with links where they are
// public. Built with DOM calls only.

import { ApiError, listAllRules } from './api.js';
import { addStrings, formatNumber, t } from './i18n.js';
import { badge, el, SEVERITY, sourceItem } from './report.js';

addStrings({
  de: {
    pageTagline: { rules: 'Regeln nachschlagen' },
    rulesIntro: 'Alle Regeln, nach denen dieser Server prüft: warum eine Formulierung markiert wird, welche Wörter gemeint sind, was besser ist und welche Urteile und Leitfäden dahinterstehen.',
    rulesWord: 'Wort oder Regel',
    rulesWordHint: 'z. B. „junges Team“, „Muttersprache“, „8 AZR 406/14“',
    rulesDimension: 'Merkmal',
    rulesAllDimensions: 'alle Merkmale',
    rulesLanguage: 'Sprache',
    rulesAllLanguages: 'alle Sprachen',
    rulesSearch: 'Suchen',
    rulesLoading: 'Regeln werden geladen …',
    rulesCount: '{shown} von {total} Regeln',
    rulesNone: 'Keine Regel passt zu dieser Suche.',
    rulesMore: 'Weitere {n} Regeln zeigen',
    rulesMatches: 'Erkennt Wörter wie (Grundformen, auch gebeugt)',
    rulesFlags: 'Markiert zum Beispiel',
    rulesNotFlags: 'Markiert dagegen nicht',
    rulesContexts: 'Wann der Zusammenhang zählt',
    EFFECT_SUPPRESS: 'nicht markiert',
    EFFECT_SOFTEN: 'milder eingestuft',
    EFFECT_ESCALATE: 'strenger eingestuft',
    rulesNear: 'in der Nähe von',
    rulesDocument: 'wenn die Anzeige dieses Merkmal hat:',
    rulesExceptions: 'Nie markiert',
    rulesBuiltIn: 'Von einer eingebauten Analyse erkannt (Berufsbezeichnungen, Gesamtbild, Erklärungen), nicht über einzelne Wörter.',
    rulesHighlight: 'Gutes Element',
    rulesBetter: 'Besser',
    rulesLanguageOf: 'Sprache der Regel',
    rulesAnyLanguage: 'jede Sprache',
    rulesError: 'Die Regeln konnten nicht geladen werden: {message}',
  },
  en: {
    pageTagline: { rules: 'Look up the rules' },
    rulesIntro: 'Every rule this server checks: why a wording is marked, which words are meant, what is better, and the court rulings and guidance behind it.',
    rulesWord: 'Word or rule',
    rulesWordHint: 'e.g. "young team", "native speaker", "8 AZR 406/14"',
    rulesDimension: 'Dimension',
    rulesAllDimensions: 'all dimensions',
    rulesLanguage: 'Language',
    rulesAllLanguages: 'all languages',
    rulesSearch: 'Search',
    rulesLoading: 'Loading the rules …',
    rulesCount: '{shown} of {total} rules',
    rulesNone: 'No rule matches this search.',
    rulesMore: 'Show {n} more rules',
    rulesMatches: 'Matches words like (base forms, inflected too)',
    rulesFlags: 'Flags, for example',
    rulesNotFlags: 'Does not flag',
    rulesContexts: 'When the context matters',
    EFFECT_SUPPRESS: 'not marked',
    EFFECT_SOFTEN: 'rated milder',
    EFFECT_ESCALATE: 'rated stricter',
    rulesNear: 'near',
    rulesDocument: 'when the ad has this property:',
    rulesExceptions: 'Never marked',
    rulesBuiltIn: 'Found by a built-in analysis (job titles, overall balance, statements), not by single words.',
    rulesHighlight: 'Good element',
    rulesBetter: 'Better',
    rulesLanguageOf: 'Language of the rule',
    rulesAnyLanguage: 'any language',
    rulesError: 'The rules could not be loaded: {message}',
  },
});

const DIMENSIONS = ['DIMENSION_AGE', 'DIMENSION_GENDER', 'DIMENSION_ETHNIC_ORIGIN',
  'DIMENSION_RELIGION', 'DIMENSION_DISABILITY', 'DIMENSION_SEXUAL_IDENTITY',
  'DIMENSION_SOCIAL_ORIGIN'];
const PAGE = 40;      // rules shown at first, and per "show more"
const EXAMPLES = 10;  // terms shown per rule

const $ = (id) => document.getElementById(id);
let ui = null;
const cache = new Map();  // "lang|dimension" → Promise of { rules }
let shownLimit = PAGE;
let seq = 0;

// Lower case without accents, so "muttersprache" finds "Muttersprache"
// and "zurich" finds "Zürich".
export function fold(s) {
  return String(s || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// The lexicon terms of a rule as readable wording ("jung *team" → "jung team").
export function termsOf(rule) {
  return [...(rule.phrases || []), ...(rule.words || []), ...(rule.stems || []).map((s) => `${s}…`),
          ...(rule.compoundTails || []).map((s) => `…${s}`)]
    .map((s) => s.replace(/\*/g, '').replace(/\s+/g, ' ').trim()).filter(Boolean);
}

// How well `rule` matches the query words: 0 no match, 1 in its texts,
// 2 in its terms. A query word also matches a term it begins with
// ("junges" matches the term "jung"), as the lexicon inflects terms.
export function matchRule(rule, query) {
  const words = fold(query).split(/[^\p{L}\p{N}/.§-]+/u).filter(Boolean);
  if (!words.length) return 1;
  const terms = termsOf(rule).map((s) => fold(s.replace(/…/g, '')));
  const termTokens = terms.flatMap((s) => s.split(/\s+/)).filter((s) => s.length >= 3);
  const contexts = (rule.contexts || []).flatMap((c) => [c.note, ...(c.cues || [])]);
  const text = fold([rule.ruleId, rule.explanation, rule.legalBasis, ...(rule.suggestions || []),
                     ...(rule.sources || []), ...contexts].join('\n'));
  let inTerms = true;
  for (const w of words) {
    const term = terms.some((s) => s.includes(w)) || termTokens.some((s) => w.startsWith(s));
    if (!term) inTerms = false;
    if (!term && !text.includes(w)) return 0;
  }
  return inTerms ? 2 : 1;
}

function ruleKind(rule) {
  if (rule.kind === 'KIND_HIGHLIGHT') return 'good';
  return SEVERITY[rule.defaultSeverity] || 'hint';
}

// The rule's context conditions: "not marked near „für“, „mit“: note".
function contextList(rule) {
  const items = (rule.contexts || []).filter((c) => c.effect && c.effect !== 'EFFECT_UNSPECIFIED').map((c) => {
    const cues = (c.cues || []).map((q) => q.replace(/\*/g, ''));
    return el('li', {},
      el('strong', { text: t(c.effect) }), ' ',
      cues.length ? [`${t('rulesNear')} `, el('span', { class: 'cues' },
        cues.slice(0, 8).map((q, i) => [i ? ', ' : '', el('q', { text: q })])),
      cues.length > 8 ? ` (+ ${formatNumber(cues.length - 8)})` : '']
        : c.documentFlag ? [`${t('rulesDocument')} `, el('code', { text: c.documentFlag })] : null,
      c.note ? el('span', { class: 'note', text: ` – ${c.note}` }) : null);
  });
  return items.length
    ? el('div', { class: 'rule-contexts' }, el('h4', { text: t('rulesContexts') }), el('ul', {}, items))
    : null;
}

// The rule's example texts: what it flags and what it does not.
function exampleList(rule) {
  const block = (cls, key, texts) => (texts.length
    ? el('div', { class: `rule-examples ${cls}` }, el('h4', { text: t(key) }),
         el('ul', {}, texts.map((s) => el('li', {}, el('q', { text: s })))))
    : null);
  const flags = block('flags', 'rulesFlags', rule.examples || []);
  const notFlags = block('not-flags', 'rulesNotFlags', rule.counterExamples || []);
  return flags || notFlags ? [flags, notFlags] : null;
}

// The terms the rule matches: a list, or folded away under the example
// texts when the rule has those.
function termList(terms, folded) {
  if (!terms.length) return null;
  const list = [
    el('ul', {}, terms.slice(0, EXAMPLES).map((s) => el('li', {}, el('q', { text: s })))),
    terms.length > EXAMPLES ? el('p', { class: 'empty', text: `+ ${formatNumber(terms.length - EXAMPLES)}` }) : null,
  ];
  return folded
    ? el('details', { class: 'rule-terms' }, el('summary', { text: t('rulesMatches') }), list)
    : el('div', { class: 'rule-terms' }, el('h4', { text: t('rulesMatches') }), list);
}

function ruleCard(rule) {
  const kind = ruleKind(rule);
  const terms = termsOf(rule);
  const facts = el('dl', { class: 'facts' },
    el('dt', { text: t('rulesLanguageOf') }),
    el('dd', { text: rule.languageCode ? t(`lang${rule.languageCode === 'de' ? 'De' : 'En'}`)
                                       : t('rulesAnyLanguage') }));
  if ((rule.dimensions || []).length) {
    facts.append(el('dt', { text: t('rulesDimension') }),
                 el('dd', { text: rule.dimensions.map((d) => t(`dimension.${d}`)).join(', ') }));
  }
  if (rule.legalBasis) facts.append(el('dt', { text: t('legalBasis') }), el('dd', { text: rule.legalBasis }));
  const sources = rule.sources || [];
  const suggestions = rule.suggestions || [];
  const examples = exampleList(rule);
  return el('li', { class: `rule finding finding-${kind === 'good' ? 'hint' : kind}`,
                    lang: rule.languageCode || null, 'data-rule-id': rule.ruleId },
    el('div', { class: 'finding-head' }, badge(kind), el('code', { class: 'rule-id', text: rule.ruleId })),
    el('p', { class: 'message', text: String(rule.explanation || '').replace(/\{matched\}/g, '…') }),
    facts,
    rule.builtInAnalyzer ? el('p', { class: 'rule-builtin', text: t('rulesBuiltIn') }) : null,
    examples,
    termList(terms, Boolean(examples)),
    (rule.exceptions || []).length ? el('p', { class: 'rule-exceptions' },
      el('strong', { text: `${t('rulesExceptions')}: ` }),
      rule.exceptions.slice(0, EXAMPLES).map((q, i) => [i ? ', ' : '', el('q', { text: q })])) : null,
    contextList(rule),
    suggestions.length ? el('div', { class: 'suggestions' },
      el('h4', { text: t('rulesBetter') }),
      el('ul', {}, suggestions.map((s) => el('li', { class: 'advice-plain', text: s })))) : null,
    sources.length ? el('div', { class: 'rule-sources sources' },
      el('h4', { text: `${t('sources')} (${sources.length})` }),
      el('ul', {}, sources.map(sourceItem))) : null);
}

function load(lang, dimension) {
  const key = `${lang}|${dimension}`;
  if (!cache.has(key)) {
    const p = listAllRules(lang, dimension);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key);
}

async function search(resetLimit = true) {
  if (resetLimit) shownLimit = PAGE;
  const mine = ++seq;
  ui.count.textContent = t('rulesLoading');
  ui.error.hidden = true;
  let rules;
  try {
    ({ rules } = await load(ui.language.value, ui.dimension.value));
  } catch (e) {
    if (mine !== seq) return;
    ui.error.textContent = t('rulesError', { message: e instanceof ApiError && e.status === 0
      ? t('errNetwork') : e.message });
    ui.error.hidden = false;
    ui.count.textContent = '';
    ui.list.replaceChildren();
    return;
  }
  if (mine !== seq) return;
  const query = ui.query.value;
  const hits = rules.map((r) => ({ r, m: matchRule(r, query) })).filter((h) => h.m > 0)
    .sort((a, b) => b.m - a.m || a.r.ruleId.localeCompare(b.r.ruleId));
  const shown = hits.slice(0, shownLimit);
  ui.list.replaceChildren(...shown.map((h) => ruleCard(h.r)));
  ui.count.textContent = hits.length
    ? t('rulesCount', { shown: formatNumber(shown.length), total: formatNumber(hits.length) })
    : t('rulesNone');
  ui.more.hidden = hits.length <= shown.length;
  ui.more.textContent = t('rulesMore', { n: formatNumber(Math.min(PAGE, hits.length - shown.length)) });
  document.body.dataset.rulesShown = String(Number(document.body.dataset.rulesShown || 0) + 1);
}

function fillDimensions() {
  const value = ui.dimension.value;
  ui.dimension.replaceChildren(el('option', { value: '', text: t('rulesAllDimensions') }),
    ...DIMENSIONS.map((d) => el('option', { value: d, text: t(`dimension.${d}`) })));
  ui.dimension.value = value;
}

export function init() {
  ui = { form: $('rules-form'), query: $('rules-query'), dimension: $('rules-dimension'),
         language: $('rules-language'), count: $('rules-count'), list: $('rules-list'),
         more: $('rules-more'), error: $('rules-error') };
  fillDimensions();
  let timer = 0;
  ui.form.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  ui.query.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 300); });
  ui.dimension.addEventListener('change', () => search());
  ui.language.addEventListener('change', () => search());
  ui.more.addEventListener('click', () => { shownLimit += PAGE; search(false); });
}

export function languageChanged() {
  fillDimensions();
  if (ui.list.children.length || ui.count.textContent) search(false);
}

let started = false;
export function show() {
  if (!started) {
    started = true;
    search();
  }
}
