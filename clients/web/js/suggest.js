// Suggestions. Servers since issue 14 say which suggestions are wording to
// put in place of the marked words (`replacements`: "ein engagiertes
// Team") and which are advice (`advice`: "Beschreiben Sie die Aufgaben
// …"); see hasSplit. For reports of older servers, which have only
// `suggestions`, the page tells them apart by their look: advice has a placeholder (…), quotes an example, gives
// alternatives (a / b), explains itself in brackets ("instead of …") or
// starts with an instruction. Only wording gets a "use" button.

// True when finding `f` comes from a server that splits its suggestions
// (proto3 JSON leaves out empty lists, so either key is enough).
export const hasSplit = (f) => 'replacements' in f || 'advice' in f;

const PLACEHOLDER = /…|\.\.\./;
const QUOTES = /["„“”«»]/;
const ALTERNATIVES = / \/ /;
const BRACKET_NOTE =
  /\([^)]*\b(instead of|statt|nur wenn|only if|only where|wenn|where|bei kirchlichen|for church)\b[^)]*\)/i;
const GERMAN_ADVICE =
  /\b(Beschreiben|Lassen|Nennen|Streichen|Ergänzen|Sprechen|Prüfen|Ersetzen|Vermeiden|Entfernen|Formulieren|Verwenden|Fragen) Sie\b|\b(streichen|erfragen|anbieten|gestalten|weglassen)\b/;
const ENGLISH_ADVICE =
  /^([\w ]+: )?(add|address|ask|avoid|check|consider|delete|describe|drop|explain|keep|leave|list|make|mention|name|offer|remove|replace|say|state|use|write)\b/i;

// A list of examples ("camera operator, police officer, firefighter, …").
const LIST = /,[^,]+,[^,]+,/;
// "salesperson / sales representative (instead of salesman)".
const INSTEAD_OF = /^(.+?) \((?:instead of|statt) ([^)]+)\)$/i;

// Whether `suggestion` reads as wording that can replace the marked words.
export function isReplacement(suggestion) {
  const s = String(suggestion || '').trim();
  if (!s) return false;
  return !(PLACEHOLDER.test(s) || QUOTES.test(s) || ALTERNATIVES.test(s) || LIST.test(s) ||
           BRACKET_NOTE.test(s) || GERMAN_ADVICE.test(s) || ENGLISH_ADVICE.test(s));
}

// The replacements a suggestion offers for `matched`: itself when it is
// wording; each alternative of "a / b (instead of X)" when X is the marked
// word; none when it is advice.
export function replacementsOf(suggestion, matched) {
  const s = String(suggestion || '').trim();
  const m = INSTEAD_OF.exec(s);
  if (m) {
    const instead = m[2].split(/,| or | oder /).map((w) => w.trim().toLowerCase());
    if (!instead.includes(String(matched || '').trim().toLowerCase())) return [];
    return m[1].split(' / ').map((w) => w.trim()).filter(isReplacement);
  }
  return isReplacement(s) ? [s] : [];
}

// `replacement` fitted to where it goes: starts with a capital letter when
// the replaced words did and stood at the start of a sentence.
// An article at its start is dropped when the text already has one there
// ("unser junges Team" → "unser engagiertes Team", not "unser ein …").
const ARTICLE = /^(ein|eine|einen|a|an) /i;
const DETERMINER_BEFORE =
  /(^|[^\p{L}])(ein|eine|einen|einem|einer|eines|der|die|das|den|dem|des|unser|unsere|unseren|unserem|unserer|unseres|ihr|ihre|ihres|euer|mein|dein|a|an|the|our|your|their|my)\s+$/iu;

export function fitReplacement(text, start, replacement) {
  if (ARTICLE.test(replacement) && DETERMINER_BEFORE.test(text.slice(Math.max(0, start - 20), start))) {
    replacement = replacement.replace(ARTICLE, '');
  }
  const original = text.slice(start, start + 1);
  const before = text.slice(0, start).trimEnd();
  const sentenceStart = before === '' || /[.!?:\n]$/.test(before) ||
                        /\n\s*$/.test(text.slice(0, start));
  if (sentenceStart && original && original !== original.toLowerCase()) {
    return replacement.charAt(0).toUpperCase() + replacement.slice(1);
  }
  return replacement;
}
