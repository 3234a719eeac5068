// The workshop's "before/after": an ad with every safe suggestion applied.
// A suggestion is safe when suggest.js reads it as wording (not advice);
// of each finding the first such wording is used. Findings that overlap a
// finding already rewritten are left alone, so no words are replaced
// twice. Pure functions (no DOM), tested under node.

import { codePointToUtf16, spanRange } from './offsets.js';
import { fitReplacement, hasSplit, replacementsOf } from './suggest.js';

// A whole sentence ("Sie behalten auch … den Überblick.") fits in place of
// a sentence, not of one or two marked words ("belastbar").
const words = (s) => String(s || '').trim().split(/\s+/).filter(Boolean).length;
const isSentence = (s) => /[.!?]$/.test(String(s).trim()) && words(s) >= 4;

// The first safe replacement for finding `f`, or '' when it has none.
export function safeReplacement(f) {
  if (hasSplit(f)) {
    const found = (f.replacements || [])
      .filter((w) => !isSentence(w) || words(f.matchedText) >= 3);
    return found.length ? found[0] : '';
  }
  for (const s of f.suggestions || []) {
    const found = replacementsOf(s, f.matchedText)
      .filter((w) => !isSentence(w) || words(f.matchedText) >= 3);
    if (found.length) return found[0];
  }
  return '';
}

// `text` (the text `report` was made of) with the safe suggestions in place.
// Returns { text, changes: [{ start, end, before, after }] } with start/end
// the UTF-16 range of `after` in the new text, in text order.
export function applySafeSuggestions(text, report) {
  const toUtf16 = codePointToUtf16(text);
  const picked = [];
  const candidates = (report.findings || [])
    .map((f) => ({ f, ...spanRange(f.span, toUtf16), words: safeReplacement(f) }))
    .filter((c) => c.words && c.end > c.start && text.slice(c.start, c.end) === (c.f.matchedText || ''))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  for (const c of candidates) {
    if (picked.some((p) => c.start < p.end && p.start < c.end)) continue;
    picked.push(c);
  }
  picked.sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  const changes = [];
  for (const c of picked) {
    out += text.slice(last, c.start);
    const after = fitReplacement(text, c.start, c.words);
    changes.push({ start: out.length, end: out.length + after.length,
                   before: text.slice(c.start, c.end), after });
    out += after;
    last = c.end;
  }
  out += text.slice(last);
  return { text: out, changes };
}
