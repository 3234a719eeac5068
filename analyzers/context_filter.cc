#include "analyzers/context_filter.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "analyzers/context_trace.h"
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

// Calls `f(length)` for every cue of `mod` that starts at token `t` and
// ends at or before token `limit`, until `f` returns true; returns whether
// it did.
template <typename F>
bool ForEachCueAt(const Analysis& a, const CompiledModifier& mod, uint32_t t,
                  uint32_t limit, F f) {
  if (!mod.cue_ids.empty()) {
    // The cues that start with one of the token's ids, then the rest.
    uint32_t n;
    const uint32_t* token_ids = a.ContinuationIdsOf(t, &n);
    for (uint32_t i = 0; i < n; ++i) {
      auto it = std::lower_bound(mod.cues_by_first_id.begin(),
                                 mod.cues_by_first_id.end(),
                                 std::make_pair(token_ids[i], uint32_t{0}));
      for (; it != mod.cues_by_first_id.end() && it->first == token_ids[i];
           ++it) {
        const auto& ids = mod.cue_ids[it->second];
        if (t + ids.size() > limit) continue;
        size_t j = 1;
        while (j < ids.size() &&
               a.HasContinuation(t + static_cast<uint32_t>(j), ids[j]))
          ++j;
        if (j == ids.size() && f(static_cast<uint32_t>(ids.size())))
          return true;
      }
    }
    return false;
  }
  for (const auto& cue : mod.cues) {
    if (CueAt(a, cue, t, limit) && f(static_cast<uint32_t>(cue.size())))
      return true;
  }
  return false;
}

// A cue lying entirely within [from, to), skipping [skip_begin, skip_end).
// Costs (to - from) token visits: used only for a candidate that does not
// lie within its sentence (see CueIndex).
bool AnyCueIn(const Analysis& a, const CompiledModifier& mod, uint32_t from,
              uint32_t to, uint32_t skip_begin, uint32_t skip_end) {
  for (uint32_t t = from; t < to; ++t) {
    if (t >= skip_begin && t < skip_end) continue;
    const uint32_t limit = t < skip_begin ? std::min(to, skip_begin) : to;
    if (ForEachCueAt(a, mod, t, limit, [](uint32_t) { return true; }))
      return true;
  }
  return false;
}

// The cues of one modifier in one sentence, found in one pass over the
// sentence: every (first token, end token) by first token, with the
// smallest end token from each position on. Answers "a cue lies within
// [from, to)" in O(log n), so a sentence of n tokens with n candidates
// costs n log n, not n² (issue 17).
struct CueOccurrences {
  std::vector<uint32_t> starts;
  std::vector<uint32_t> min_end_from;  // min end over occurrences [i, n)

  // True when a cue starts at or after `from` and ends at or before `to`.
  bool Any(uint32_t from, uint32_t to) const {
    const auto it = std::lower_bound(starts.begin(), starts.end(), from);
    return it != starts.end() && min_end_from[it - starts.begin()] <= to;
  }
};

// Asks `is_cancelled` once every kStride steps of work.
class CancelCheck {
 public:
  static constexpr uint32_t kStride = 1024;
  explicit CancelCheck(const std::function<bool()>& is_cancelled)
      : is_cancelled_(is_cancelled) {}
  // Counts `steps`; true once the callback said the scan is cancelled.
  bool Step(uint32_t steps = 1) {
    if (!is_cancelled_ || cancelled_) return cancelled_;
    pending_ += steps;
    if (pending_ < kStride) return false;
    pending_ = 0;
    cancelled_ = is_cancelled_();
    return cancelled_;
  }

 private:
  const std::function<bool()>& is_cancelled_;
  uint64_t pending_ = 0;
  bool cancelled_ = false;
};

// The CueOccurrences of (modifier, sentence) pairs, each computed on first
// use.
class CueIndex {
 public:
  CueIndex(const Analysis& a, CancelCheck* cancel) : a_(a), cancel_(cancel) {}

  const CueOccurrences& Get(const CompiledModifier& mod, uint32_t sentence) {
    auto [it, added] = cache_.try_emplace(std::make_pair(&mod, sentence));
    if (!added) return it->second;
    CueOccurrences& o = it->second;
    const Sentence& s = a_.doc.sentences()[sentence];
    std::vector<uint32_t> ends;
    for (uint32_t t = s.first_token; t < s.end_token; ++t) {
      ForEachCueAt(a_, mod, t, s.end_token, [&](uint32_t length) {
        o.starts.push_back(t);
        ends.push_back(t + length);
        return false;
      });
      if (cancel_->Step()) break;  // the scan ends with CANCELLED
    }
    o.min_end_from.resize(ends.size());
    uint32_t min_end = UINT32_MAX;
    for (size_t i = ends.size(); i-- > 0;) {
      min_end = std::min(min_end, ends[i]);
      o.min_end_from[i] = min_end;
    }
    return o;
  }

 private:
  const Analysis& a_;
  CancelCheck* cancel_;
  absl::flat_hash_map<std::pair<const CompiledModifier*, uint32_t>,
                      CueOccurrences>
      cache_;
};

v1::Severity Lower(v1::Severity s) {
  return s <= v1::SEVERITY_HINT ? v1::SEVERITY_UNSPECIFIED
                                : static_cast<v1::Severity>(s - 1);
}
v1::Severity Higher(v1::Severity s) {
  return s >= v1::SEVERITY_CRITICAL ? v1::SEVERITY_CRITICAL
                                    : static_cast<v1::Severity>(s + 1);
}

// A finding inside a longer one of at least the same severity that
// covers all its dimensions adds nothing ("jung" inside "junges,
// dynamisches Team"); a photo request inside "mit Bewerbungsfoto,
// Geburtsdatum" (age only) stays. Of two findings with the same range, the
// more severe one stays, or of equally severe ones the first.
//
// y "beats" x when y contains x, is at least as severe, covers x's
// dimensions and, for the same range, is more severe or comes first. That
// relation is transitive, so x is dropped exactly when any kept candidate
// beats it. Found with one sweep in order of (begin, longest first): the
// largest end so far of each (dimension set, severity) class tells whether
// a strictly longer finding of a covering class contains x; candidates of
// the same range are compared among themselves. Returns true when the
// scan was cancelled.
bool DropContained(Analysis* a, CancelCheck* cancel) {
  std::vector<uint32_t> kept;
  for (uint32_t i = 0; i < a->candidates.size(); ++i) {
    if (!a->candidates[i].dropped) kept.push_back(i);
  }
  if (kept.size() < 2) return false;

  // Classes: the distinct dimension sets, then the (set, severity) pairs.
  std::vector<std::vector<v1::Dimension>> dim_sets;
  absl::flat_hash_map<uint32_t, uint32_t> dim_set_of_entry;
  std::vector<std::pair<uint32_t, int>> classes;  // (dim set, severity)
  std::vector<uint32_t> class_of(a->candidates.size(), 0);
  for (uint32_t i : kept) {
    const Candidate& c = a->candidates[i];
    auto [it, added] = dim_set_of_entry.try_emplace(c.entry, 0);
    if (added) {
      std::vector<v1::Dimension> dims = a->entry(c.entry).dimensions;
      std::sort(dims.begin(), dims.end());
      dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
      const auto found = std::find(dim_sets.begin(), dim_sets.end(), dims);
      it->second = static_cast<uint32_t>(found - dim_sets.begin());
      if (found == dim_sets.end()) dim_sets.push_back(std::move(dims));
    }
    const std::pair<uint32_t, int> key(it->second,
                                       static_cast<int>(c.severity));
    const auto found = std::find(classes.begin(), classes.end(), key);
    class_of[i] = static_cast<uint32_t>(found - classes.begin());
    if (found == classes.end()) classes.push_back(key);
  }
  const auto covers = [&](uint32_t y_set, uint32_t x_set) {
    return std::includes(dim_sets[y_set].begin(), dim_sets[y_set].end(),
                         dim_sets[x_set].begin(), dim_sets[x_set].end());
  };
  // For each class, the classes whose members may beat its members.
  std::vector<std::vector<uint32_t>> beaters(classes.size());
  for (uint32_t x = 0; x < classes.size(); ++x) {
    for (uint32_t y = 0; y < classes.size(); ++y) {
      if (classes[y].second >= classes[x].second &&
          covers(classes[y].first, classes[x].first)) {
        beaters[x].push_back(y);
      }
    }
  }

  std::sort(kept.begin(), kept.end(), [&](uint32_t x, uint32_t y) {
    const Candidate& cx = a->candidates[x];
    const Candidate& cy = a->candidates[y];
    if (cx.fbegin != cy.fbegin) return cx.fbegin < cy.fbegin;
    if (cx.fend != cy.fend) return cx.fend > cy.fend;
    // Same range: more severe first, then the first candidate.
    if (cx.severity != cy.severity) return cx.severity > cy.severity;
    return x < y;
  });
  std::vector<int64_t> max_end(classes.size(), -1);  // -1: none yet
  std::vector<uint8_t> seen_set(dim_sets.size(), 0);
  std::vector<bool> beaten(a->candidates.size(), false);
  for (size_t g = 0; g < kept.size();) {
    const Candidate& first = a->candidates[kept[g]];
    size_t h = g;
    while (h < kept.size() && a->candidates[kept[h]].fbegin == first.fbegin &&
           a->candidates[kept[h]].fend == first.fend) {
      ++h;
    }
    // [g, h): one range, most severe first. A strictly longer candidate
    // seen before contains it when its end reaches as far.
    for (size_t k = g; k < h; ++k) {
      const uint32_t x = kept[k];
      const uint32_t fend = a->candidates[x].fend;
      for (uint32_t y : beaters[class_of[x]]) {
        if (max_end[y] >= fend) {
          beaten[x] = true;
          break;
        }
      }
      // An earlier one of the same range with covering dimensions.
      const uint32_t set = classes[class_of[x]].first;
      for (uint32_t s = 0; s < dim_sets.size() && !beaten[x]; ++s) {
        if (seen_set[s] && covers(s, set)) beaten[x] = true;
      }
      seen_set[set] = 1;
      if (cancel->Step()) return true;
    }
    for (size_t k = g; k < h; ++k) {
      const uint32_t x = kept[k];
      seen_set[classes[class_of[x]].first] = 0;
      max_end[class_of[x]] =
          std::max<int64_t>(max_end[class_of[x]], a->candidates[x].fend);
    }
    g = h;
  }
  MarkBeaten(beaten, a);
  return false;
}

// The negation cues by (sentence, end token) and the post-negation cues
// by (sentence, first token): a candidate looks up its own sentence.
class NegationIndex {
 public:
  explicit NegationIndex(const Analysis& a) {
    for (const Match& m : a.matches) {
      const auto kind = a.entry(m.entry).kind;
      if (kind == config::v1::ENTRY_KIND_NEGATION_CUE) {
        negation_ends_.emplace_back(m.sentence, m.tok_end);
      } else if (kind == config::v1::ENTRY_KIND_POST_NEGATION_CUE) {
        post_negation_begins_.emplace_back(m.sentence, m.tok_begin);
      }
    }
    std::sort(negation_ends_.begin(), negation_ends_.end());
    std::sort(post_negation_begins_.begin(), post_negation_begins_.end());
  }

  // A negation cue ending at most kNegationWindow - 1 tokens before the
  // candidate, or a post-negation cue after it, in the same sentence.
  bool Negated(const Candidate& c) const {
    const uint32_t lo = c.tok_begin >= kNegationWindow - 1
                            ? c.tok_begin - (kNegationWindow - 1)
                            : 0;
    auto it = std::lower_bound(negation_ends_.begin(), negation_ends_.end(),
                               std::make_pair(c.sentence, lo));
    if (it != negation_ends_.end() && it->first == c.sentence &&
        it->second <= c.tok_begin) {
      return true;
    }
    // The last post-negation cue of the sentence.
    it = std::upper_bound(post_negation_begins_.begin(),
                          post_negation_begins_.end(),
                          std::make_pair(c.sentence, UINT32_MAX));
    if (it == post_negation_begins_.begin()) return false;
    --it;
    return it->first == c.sentence && it->second >= c.tok_end;
  }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> negation_ends_;
  std::vector<std::pair<uint32_t, uint32_t>> post_negation_begins_;
};

// Drops `c` when it stands in a protected sentence, is negated (unless its
// entry ignores negation) or is quoted; returns whether it did.
bool DropByPlace(const Analysis& a, const NegationIndex& negation,
                 Candidate* c) {
  if (c->sentence < a.doc.sentences().size() &&
      a.protected_sentence[c->sentence]) {
    c->dropped = true;
    if (a.tracing) {
      a.Trace(*c,
              a.disclaimer_sentence[c->sentence]
                  ? "dropped: the sentence is a disclaimer naming protected "
                    "grounds (\"unabhängig von …\")"
                  : "dropped: the sentence is a positive-action statement "
                    "(it names a group on purpose)");
    }
    return true;
  }
  if (!a.entry(c->entry).def->ignore_negation() && negation.Negated(*c)) {
    c->dropped = true;
    if (a.tracing) {
      a.Trace(*c,
              "dropped: negated (a negation such as \"kein\", \"nicht "
              "erforderlich\" or \"no\" stands next to it in the sentence)");
    }
    return true;
  }
  if (InsideQuotes(a.doc.original(), a.doc.OriginalBegin(c->fbegin),
                   a.doc.OriginalEnd(c->fend))) {
    c->dropped = true;
    if (a.tracing) a.Trace(*c, "dropped: inside quotation marks (cited)");
    return true;
  }
  return false;
}

// True when a cue of `mod` lies in the modifier's scope around `c`, which
// stands in sentence `s`. `within`: `c` lies within `s`, so `cues` answers;
// otherwise the scope is checked token by token, as before the index.
bool ModifierCueFound(const Analysis& a, const CompiledModifier& mod,
                      const Candidate& c, const Sentence& s, bool within,
                      CueIndex* cues) {
  switch (mod.scope) {
    case ContextModifier::SCOPE_DOCUMENT:
      return a.flags.contains(mod.flag);
    case ContextModifier::SCOPE_SENTENCE:
      if (within) {
        const CueOccurrences& o = cues->Get(mod, c.sentence);
        return o.Any(s.first_token, c.tok_begin) ||
               o.Any(c.tok_end, s.end_token);
      }
      return AnyCueIn(a, mod, s.first_token, s.end_token, c.tok_begin,
                      c.tok_end);
    case ContextModifier::SCOPE_BEFORE: {
      const uint32_t from = c.tok_begin > s.first_token + mod.window
                                ? c.tok_begin - mod.window
                                : s.first_token;
      return within ? cues->Get(mod, c.sentence).Any(from, c.tok_begin)
                    : AnyCueIn(a, mod, from, c.tok_begin, c.tok_begin,
                               c.tok_begin);
    }
    case ContextModifier::SCOPE_AFTER: {
      const uint32_t to = std::min(s.end_token, c.tok_end + mod.window);
      return within ? cues->Get(mod, c.sentence).Any(c.tok_end, to)
                    : AnyCueIn(a, mod, c.tok_end, to, c.tok_end, c.tok_end);
    }
    default:
      return false;
  }
}

// Applies the effect and the note of a modifier whose cue was found.
void ApplyModifierEffect(const CompiledModifier& mod, Candidate* c) {
  switch (mod.effect) {
    case ContextModifier::EFFECT_SUPPRESS:
      c->dropped = true;
      break;
    case ContextModifier::EFFECT_SOFTEN:
      c->severity = Lower(c->severity);
      if (c->severity == v1::SEVERITY_UNSPECIFIED) c->dropped = true;
      break;
    case ContextModifier::EFFECT_ESCALATE:
      c->severity = Higher(c->severity);
      break;
    default:
      break;
  }
  if (!mod.note.empty()) {
    c->context_note = c->context_note.empty()
                          ? mod.note
                          : absl::StrCat(c->context_note, "; ", mod.note);
  }
}

// Applies the context modifiers of `c`'s entry in order, until one drops
// it. `c` stands in a sentence of the document. Returns true when the scan
// was cancelled.
bool ApplyModifiers(const Analysis& a, CueIndex* cues, CancelCheck* cancel,
                    Candidate* c) {
  const Sentence& s = a.doc.sentences()[c->sentence];
  // Every candidate the analyzers make lies within its sentence; one that
  // did not would be checked token by token, as before the index.
  const bool within = s.first_token <= c->tok_begin &&
                      c->tok_begin <= c->tok_end && c->tok_end <= s.end_token;
  const CompiledEntry& entry = a.entry(c->entry);
  for (size_t i = 0; i < entry.modifiers.size(); ++i) {
    const CompiledModifier& mod = entry.modifiers[i];
    const bool hit = ModifierCueFound(a, mod, *c, s, within, cues);
    if (cancel->Step()) return true;
    if (!hit) continue;
    const v1::Severity before = c->severity;
    ApplyModifierEffect(mod, c);
    if (a.tracing) a.Trace(*c, DescribeModifier(entry, i, before, *c));
    if (c->dropped) break;
  }
  return false;
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
        if (e.def->protects_sentence())
          a->protected_sentence[m.sentence] = true;
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

absl::Status ApplyContext(Analysis* a,
                          const std::function<bool()>& is_cancelled) {
  CancelCheck cancel(is_cancelled);
  const auto cancelled = [] { return absl::CancelledError("scan cancelled"); };
  const auto& sentences = a->doc.sentences();
  const NegationIndex negation(*a);
  CueIndex cues(*a, &cancel);
  for (Candidate& c : a->candidates) {
    if (cancel.Step()) return cancelled();
    if (c.dropped) continue;
    if (DropByPlace(*a, negation, &c)) continue;
    if (c.sentence >= sentences.size()) continue;
    if (ApplyModifiers(*a, &cues, &cancel, &c)) return cancelled();
  }
  return DropContained(a, &cancel) ? cancelled() : absl::OkStatus();
}

}  // namespace divcheck
