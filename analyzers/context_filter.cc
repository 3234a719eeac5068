#include "analyzers/context_filter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

using config::v1::ContextModifier;

constexpr uint32_t kNegationWindow = 3;

// Quotation marks that open or close a quoted mention.
bool IsOpeningQuote(int32_t c) {
  return c == '"' || c == 0x201E /* „ */ || c == 0x201C /* “ */ ||
         c == 0x00AB /* « */ || c == 0x00BB /* » (German style) */ ||
         c == 0x201A /* ‚ */ || c == 0x2039 || c == 0x203A;
}
bool IsClosingQuote(int32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D /* ” */ || c == 0x00BB ||
         c == 0x00AB || c == 0x2018 /* ‘ */ || c == 0x2019 || c == 0x2039 ||
         c == 0x203A;
}

// True when [begin, end) of the original text stands between an opening
// and a closing quotation mark on the same line, with no other quotation
// mark between them: a mention ("Begriffe wie „junges Team“ vermeiden wir"),
// not a requirement.
bool InsideQuotes(absl::string_view text, uint32_t begin, uint32_t end) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  bool opened = false;
  int32_t i = static_cast<int32_t>(begin);
  for (int steps = 0; i > 0 && steps < 120; ++steps) {
    UChar32 c;
    U8_PREV(s, 0, i, c);
    if (c == '\n') break;
    if (IsOpeningQuote(c)) {
      opened = true;
      break;
    }
    if (IsClosingQuote(c)) break;
  }
  if (!opened) return false;
  int32_t j = static_cast<int32_t>(end);
  for (int steps = 0; j < length && steps < 120; ++steps) {
    UChar32 c;
    U8_NEXT(s, j, length, c);
    if (c == '\n') return false;
    if (IsClosingQuote(c)) return true;
    if (IsOpeningQuote(c)) return false;
  }
  return false;
}

bool CueAt(const Analysis& a, const std::vector<TokenPattern>& cue,
           uint32_t start, uint32_t limit) {
  if (start + cue.size() > limit) return false;
  const auto& tokens = a.doc.tokens();
  for (size_t j = 0; j < cue.size(); ++j) {
    const Token& t = tokens[start + j];
    if (!a.lex.TokenMatches(cue[j], a.doc.TokenText(t), t.is_number)) {
      return false;
    }
  }
  return true;
}

// A cue lying entirely within [from, to), skipping [skip_begin, skip_end).
bool AnyCueIn(const Analysis& a, const CompiledModifier& mod, uint32_t from,
              uint32_t to, uint32_t skip_begin, uint32_t skip_end) {
  for (uint32_t t = from; t < to; ++t) {
    if (t >= skip_begin && t < skip_end) continue;
    const uint32_t limit = t < skip_begin ? std::min(to, skip_begin) : to;
    if (!mod.cue_ids.empty()) {
      // The cues that start with one of the token's ids, then the rest.
      uint32_t n;
      const uint32_t* token_ids = a.ContinuationIdsOf(t, &n);
      for (uint32_t i = 0; i < n; ++i) {
        auto it = std::lower_bound(mod.cues_by_first_id.begin(),
                                   mod.cues_by_first_id.end(),
                                   std::make_pair(token_ids[i], uint32_t{0}));
        for (; it != mod.cues_by_first_id.end() && it->first == token_ids[i]; ++it) {
          const auto& ids = mod.cue_ids[it->second];
          if (t + ids.size() > limit) continue;
          size_t j = 1;
          while (j < ids.size() && a.HasContinuation(t + static_cast<uint32_t>(j), ids[j])) ++j;
          if (j == ids.size()) return true;
        }
      }
      continue;
    }
    for (const auto& cue : mod.cues) {
      if (CueAt(a, cue, t, limit)) return true;
    }
  }
  return false;
}

v1::Severity Lower(v1::Severity s) {
  return s <= v1::SEVERITY_HINT ? v1::SEVERITY_UNSPECIFIED
                                : static_cast<v1::Severity>(s - 1);
}
v1::Severity Higher(v1::Severity s) {
  return s >= v1::SEVERITY_CRITICAL ? v1::SEVERITY_CRITICAL
                                    : static_cast<v1::Severity>(s + 1);
}

// True when every dimension of `x` is also one of `y`'s.
bool CoversDimensions(const CompiledEntry& x, const CompiledEntry& y) {
  for (v1::Dimension d : x.dimensions) {
    if (std::find(y.dimensions.begin(), y.dimensions.end(), d) ==
        y.dimensions.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

void PrepareContext(Analysis* a) {
  const size_t n = a->doc.sentences().size();
  a->protected_sentence.assign(n, false);
  a->disclaimer_sentence.assign(n, false);
  std::vector<uint8_t> cues(n, 0);
  std::vector<uint32_t> grounds(n, 0);
  std::vector<uint32_t> last_ground_begin(n, UINT32_MAX);
  for (const Match& m : a->matches) {
    const CompiledEntry& e = a->entry(m.entry);
    switch (e.kind) {
      case config::v1::ENTRY_KIND_DISCLAIMER_CUE:
        cues[m.sentence] = 1;
        break;
      case config::v1::ENTRY_KIND_GROUND_TERM:
        // "sexuelle Identität" may match two ground entries; count places.
        if (last_ground_begin[m.sentence] != m.fbegin) ++grounds[m.sentence];
        last_ground_begin[m.sentence] = m.fbegin;
        break;
      case config::v1::ENTRY_KIND_HIGHLIGHT:
        if (e.def->protects_sentence()) a->protected_sentence[m.sentence] = true;
        break;
      case config::v1::ENTRY_KIND_DOCUMENT_FLAG:
        a->flags.insert(e.def->flag());
        break;
      default:
        break;
    }
  }
  for (size_t s = 0; s < n; ++s) {
    if (cues[s] && grounds[s] >= 2) {
      a->protected_sentence[s] = true;
      a->disclaimer_sentence[s] = true;
    }
  }
  for (const Match& m : a->matches) {
    const CompiledEntry& e = a->entry(m.entry);
    if (e.kind != config::v1::ENTRY_KIND_FINDING) continue;
    Candidate c;
    c.entry = m.entry;
    c.fbegin = m.fbegin;
    c.fend = m.fend;
    c.tok_begin = m.tok_begin;
    c.tok_end = m.tok_end;
    c.sentence = m.sentence;
    c.severity = e.severity;
    a->candidates.push_back(std::move(c));
  }
}

void ApplyContext(Analysis* a) {
  const auto& sentences = a->doc.sentences();
  for (Candidate& c : a->candidates) {
    if (c.dropped) continue;
    if (c.sentence < sentences.size() && a->protected_sentence[c.sentence]) {
      c.dropped = true;
      continue;
    }
    const CompiledEntry& e = a->entry(c.entry);
    if (!e.def->ignore_negation()) {
      for (const Match& m : a->matches) {
        if (m.sentence != c.sentence) continue;
        const auto kind = a->entry(m.entry).kind;
        if (kind == config::v1::ENTRY_KIND_NEGATION_CUE &&
            m.tok_end <= c.tok_begin && c.tok_begin - m.tok_end < kNegationWindow) {
          c.dropped = true;
          break;
        }
        if (kind == config::v1::ENTRY_KIND_POST_NEGATION_CUE &&
            m.tok_begin >= c.tok_end) {
          c.dropped = true;
          break;
        }
      }
      if (c.dropped) continue;
    }
    if (InsideQuotes(a->doc.original(), a->doc.OriginalBegin(c.fbegin),
                     a->doc.OriginalEnd(c.fend))) {
      c.dropped = true;
      continue;
    }
    if (c.sentence >= sentences.size()) continue;
    const Sentence& s = sentences[c.sentence];
    for (const CompiledModifier& mod : e.modifiers) {
      bool hit = false;
      switch (mod.scope) {
        case ContextModifier::SCOPE_DOCUMENT:
          hit = a->flags.contains(mod.flag);
          break;
        case ContextModifier::SCOPE_SENTENCE:
          hit = AnyCueIn(*a, mod, s.first_token, s.end_token, c.tok_begin,
                         c.tok_end);
          break;
        case ContextModifier::SCOPE_BEFORE: {
          const uint32_t from =
              c.tok_begin > s.first_token + mod.window ? c.tok_begin - mod.window
                                                       : s.first_token;
          hit = AnyCueIn(*a, mod, from, c.tok_begin, c.tok_begin, c.tok_begin);
          break;
        }
        case ContextModifier::SCOPE_AFTER: {
          const uint32_t to = std::min(s.end_token, c.tok_end + mod.window);
          hit = AnyCueIn(*a, mod, c.tok_end, to, c.tok_end, c.tok_end);
          break;
        }
        default:
          break;
      }
      if (!hit) continue;
      switch (mod.effect) {
        case ContextModifier::EFFECT_SUPPRESS:
          c.dropped = true;
          break;
        case ContextModifier::EFFECT_SOFTEN:
          c.severity = Lower(c.severity);
          if (c.severity == v1::SEVERITY_UNSPECIFIED) c.dropped = true;
          break;
        case ContextModifier::EFFECT_ESCALATE:
          c.severity = Higher(c.severity);
          break;
        default:
          break;
      }
      if (!mod.note.empty()) {
        c.context_note = c.context_note.empty()
                             ? mod.note
                             : absl::StrCat(c.context_note, "; ", mod.note);
      }
      if (c.dropped) break;
    }
  }

  // A finding inside a longer one of at least the same severity that
  // covers all its dimensions adds nothing ("jung" inside "junges,
  // dynamisches Team"); a photo request inside "mit Bewerbungsfoto,
  // Geburtsdatum" (age only) stays.
  std::vector<Candidate*> kept;
  for (Candidate& c : a->candidates) {
    if (!c.dropped) kept.push_back(&c);
  }
  for (Candidate* x : kept) {
    for (Candidate* y : kept) {
      if (x == y || y->dropped) continue;
      if (y->fbegin <= x->fbegin && x->fend <= y->fend &&
          y->severity >= x->severity &&
          CoversDimensions(a->entry(x->entry), a->entry(y->entry))) {
        const bool same_range = y->fbegin == x->fbegin && y->fend == x->fend;
        // Of two identical ranges keep the first (lower address) only.
        if (!same_range || y->severity > x->severity || y < x) {
          x->dropped = true;
          break;
        }
      }
    }
  }
}

}  // namespace divcheck
