#include "analyzers/coded_wording.h"

#include "absl/container/flat_hash_set.h"
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

void WeighCodedWording(Analysis* a, v1::CodedWordingBalance* balance) {
  uint32_t agentic = 0, communal = 0;
  absl::flat_hash_set<absl::string_view> seen_agentic, seen_communal;
  std::vector<const Match*> agentic_matches;
  for (const Match& m : a->matches) {
    const auto kind = a->entry(m.entry).kind;
    const bool is_agentic = kind == config::v1::ENTRY_KIND_AGENTIC;
    if (!is_agentic && kind != config::v1::ENTRY_KIND_COMMUNAL) continue;
    if (a->protected_sentence[m.sentence]) continue;
    const absl::string_view folded =
        a->doc.folded().substr(m.fbegin, m.fend - m.fbegin);
    const std::string original(a->doc.OriginalText(
        a->doc.OriginalBegin(m.fbegin), a->doc.OriginalEnd(m.fend)));
    if (is_agentic) {
      ++agentic;
      agentic_matches.push_back(&m);
      if (seen_agentic.insert(folded).second)
        balance->add_agentic_words(original);
    } else {
      ++communal;
      if (seen_communal.insert(folded).second)
        balance->add_communal_words(original);
    }
  }
  const Verdict verdict = CodedWordingVerdict(agentic, communal);
  balance->set_agentic_count(agentic);
  balance->set_communal_count(communal);
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

}  // namespace divcheck
