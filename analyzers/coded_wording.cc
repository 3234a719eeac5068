#include "analyzers/coded_wording.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace divcheck {
namespace {

using Verdict = v1::CodedWordingBalance::Verdict;

std::string Explain(absl::string_view language, Verdict v) {
  const bool de = language == "de";
  switch (v) {
    case v1::CodedWordingBalance::VERDICT_NEUTRAL:
      return de ? "Die Anzeige enthält keine geschlechtlich konnotierten "
                  "Eigenschaftswörter."
                : "The ad uses no gender-coded words.";
    case v1::CodedWordingBalance::VERDICT_BALANCED:
      return de ? "Agentische und gemeinschaftsorientierte Formulierungen "
                  "halten sich die Waage."
                : "Agentic and communal wording are balanced.";
    case v1::CodedWordingBalance::VERDICT_MASCULINE_CODED:
    case v1::CodedWordingBalance::VERDICT_STRONGLY_MASCULINE_CODED:
      return de ? "Die Anzeige klingt überwiegend männlich konnotiert "
                  "(agentisch). Studien zeigen, dass sich Frauen dann "
                  "seltener angesprochen fühlen und seltener bewerben. "
                  "Ergänzen Sie Aufgaben und Eigenschaften aus Teamarbeit, "
                  "Kommunikation und Zusammenarbeit."
                : "The ad leans masculine-coded (agentic). Research shows "
                  "women then expect to belong less and apply less often. "
                  "Add tasks and traits about teamwork, communication and "
                  "collaboration.";
    case v1::CodedWordingBalance::VERDICT_FEMININE_CODED:
    case v1::CodedWordingBalance::VERDICT_STRONGLY_FEMININE_CODED:
      return de ? "Die Anzeige klingt überwiegend gemeinschaftsorientiert "
                  "(weiblich konnotiert). Das schreckt nach den Studien "
                  "niemanden ab; prüfen Sie nur, ob alle Anforderungen "
                  "genannt sind."
                : "The ad leans feminine-coded (communal). Research found "
                  "this deters no one; just check that all requirements "
                  "are stated.";
    default:
      return "";
  }
}

}  // namespace

Verdict CodedWordingVerdict(uint32_t agentic, uint32_t communal) {
  if (agentic + communal == 0) return v1::CodedWordingBalance::VERDICT_NEUTRAL;
  const int diff = static_cast<int>(agentic) - static_cast<int>(communal);
  if (diff >= 2) {
    return diff >= 4 && agentic >= 3 * communal
               ? v1::CodedWordingBalance::VERDICT_STRONGLY_MASCULINE_CODED
               : v1::CodedWordingBalance::VERDICT_MASCULINE_CODED;
  }
  if (diff <= -2) {
    return -diff >= 4 && communal >= 3 * agentic
               ? v1::CodedWordingBalance::VERDICT_STRONGLY_FEMININE_CODED
               : v1::CodedWordingBalance::VERDICT_FEMININE_CODED;
  }
  return v1::CodedWordingBalance::VERDICT_BALANCED;
}

namespace {

using config::v1::EntryKind;

// Tokens before an IN_CONTEXT word that a TRAIT_CUE_BEFORE may end at, at
// most (other tokens between the cue and the word): "Sie sind sehr
// analytisch".
constexpr uint32_t kBeforeGap = 2;
// Tokens after the word's last token that a TRAIT_CUE_AFTER may start at:
// "analytische und konzeptionelle Fähigkeiten".
constexpr uint32_t kAfterReach = 2;

// Which tokens end a TRAIT_CUE_BEFORE and which start a TRAIT_CUE_AFTER.
struct TraitCues {
  std::vector<bool> before_end;
  std::vector<bool> after_begin;
};

TraitCues FindTraitCues(const Analysis& a) {
  const size_t n = a.doc.tokens().size();
  TraitCues cues{std::vector<bool>(n), std::vector<bool>(n)};
  for (const Match& m : a.matches) {
    const EntryKind kind = a.entry(m.entry).kind;
    if (kind == config::v1::ENTRY_KIND_TRAIT_CUE_BEFORE && m.tok_end > 0) {
      cues.before_end[m.tok_end - 1] = true;
    } else if (kind == config::v1::ENTRY_KIND_TRAIT_CUE_AFTER) {
      cues.after_begin[m.tok_begin] = true;
    }
  }
  return cues;
}

bool DescribesPersonOrCulture(const Analysis& a, const TraitCues& cues,
                              const Match& m) {
  const std::vector<Token>& tokens = a.doc.tokens();
  const uint32_t s = tokens[m.tok_begin].sentence;
  const uint32_t after_end = std::min<uint32_t>(
      m.tok_end + kAfterReach, static_cast<uint32_t>(tokens.size()));
  for (uint32_t k = m.tok_begin; k < after_end; ++k) {
    if (tokens[k].sentence != s) break;
    if (cues.after_begin[k]) return true;
  }
  const uint32_t before_begin =
      m.tok_begin > kBeforeGap + 1 ? m.tok_begin - kBeforeGap - 1 : 0;
  for (uint32_t k = m.tok_begin; k-- > before_begin;) {
    if (tokens[k].sentence != s) break;
    if (cues.before_end[k]) return true;
  }
  return false;
}

}  // namespace

void WeighCodedWording(Analysis* a, v1::CodedWordingBalance* balance) {
  const TraitCues cues = FindTraitCues(*a);
  // One count per token and side, however many entries match it; a token
  // some entry counts is counted even when another needs context.
  struct Hit {
    const Match* match;
    bool agentic;
    bool counted;
  };
  std::vector<Hit> hits;
  for (const Match& m : a->matches) {
    const CompiledEntry& e = a->entry(m.entry);
    const bool is_agentic = e.kind == config::v1::ENTRY_KIND_AGENTIC;
    if (!is_agentic && e.kind != config::v1::ENTRY_KIND_COMMUNAL) continue;
    if (a->protected_sentence[m.sentence]) continue;
    const bool counted =
        e.def->coded_use() != config::v1::CODED_USE_IN_CONTEXT ||
        DescribesPersonOrCulture(*a, cues, m);
    hits.push_back({&m, is_agentic, counted});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y) {
    if (x.match->tok_begin != y.match->tok_begin)
      return x.match->tok_begin < y.match->tok_begin;
    if (x.agentic != y.agentic) return x.agentic;
    return x.counted > y.counted;  // counted first
  });
  uint32_t agentic = 0, communal = 0, uncounted = 0;
  absl::flat_hash_map<std::string, int> word_index;  // side + folded form
  std::vector<const Match*> agentic_matches;
  for (size_t i = 0; i < hits.size(); ++i) {
    const Hit& h = hits[i];
    if (i > 0 && hits[i - 1].match->tok_begin == h.match->tok_begin &&
        hits[i - 1].agentic == h.agentic) {
      continue;  // the same token on the same side: decided by the first
    }
    const Match& m = *h.match;
    if (!h.counted) {
      ++uncounted;
      continue;
    }
    const absl::string_view folded =
        a->doc.folded().substr(m.fbegin, m.fend - m.fbegin);
    const uint32_t ob = a->doc.OriginalBegin(m.fbegin);
    const uint32_t oe = a->doc.OriginalEnd(m.fend);
    auto [it, inserted] = word_index.emplace(
        absl::StrCat(h.agentic ? "a:" : "c:", folded), balance->words_size());
    v1::CodedWord* w =
        inserted ? balance->add_words() : balance->mutable_words(it->second);
    if (inserted) {
      const std::string original(a->doc.OriginalText(ob, oe));
      w->set_text(original);
      w->set_agentic(h.agentic);
      if (h.agentic) {
        balance->add_agentic_words(original);
      } else {
        balance->add_communal_words(original);
      }
    }
    w->set_count(w->count() + 1);
    // The byte range for now; AttachCodedWordSpans completes the span.
    v1::Span* span = w->add_spans();
    span->set_start_byte(ob);
    span->set_end_byte(oe);
    if (h.agentic) {
      ++agentic;
      agentic_matches.push_back(&m);
    } else {
      ++communal;
    }
  }
  const Verdict verdict = CodedWordingVerdict(agentic, communal);
  balance->set_agentic_count(agentic);
  balance->set_communal_count(communal);
  balance->set_uncounted_count(uncounted);
  balance->set_verdict(verdict);
  balance->set_explanation(Explain(a->lex.language, verdict));

  if (verdict != v1::CodedWordingBalance::VERDICT_MASCULINE_CODED &&
      verdict != v1::CodedWordingBalance::VERDICT_STRONGLY_MASCULINE_CODED) {
    return;
  }
  const auto rule = a->lex.analyzer_rules.find(
      absl::StrCat(a->lex.language, ".gender_coded.agentic"));
  if (rule == a->lex.analyzer_rules.end()) return;
  for (const Match* m : agentic_matches) {
    Candidate c;
    c.entry = rule->second;
    c.fbegin = m->fbegin;
    c.fend = m->fend;
    c.tok_begin = m->tok_begin;
    c.tok_end = m->tok_end;
    c.sentence = m->sentence;
    c.severity = v1::SEVERITY_HINT;
    a->candidates.push_back(std::move(c));
  }
}

void AttachCodedWordSpans(absl::string_view text,
                          v1::CodedWordingBalance* balance) {
  std::vector<v1::Span*> spans;
  for (v1::CodedWord& w : *balance->mutable_words()) {
    for (v1::Span& s : *w.mutable_spans()) spans.push_back(&s);
  }
  if (spans.empty()) return;
  std::stable_sort(spans.begin(), spans.end(),
                   [](const v1::Span* x, const v1::Span* y) {
                     return x->start_byte() < y->start_byte();
                   });
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  ranges.reserve(spans.size());
  for (const v1::Span* s : spans)
    ranges.push_back({s->start_byte(), s->end_byte()});
  std::vector<v1::Span> made;
  MakeSpans(text, ranges, &made);
  for (size_t i = 0; i < spans.size(); ++i) *spans[i] = made[i];
}

}  // namespace divcheck
