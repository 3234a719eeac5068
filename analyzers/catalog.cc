#include "analyzers/catalog.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "analyzers/form_fields.h"
#include "analyzers/internal/lexicon_data.h"

namespace divcheck {
namespace {

std::vector<std::string> Strings(
    const google::protobuf::RepeatedPtrField<std::string>& field) {
  return std::vector<std::string>(field.begin(), field.end());
}

std::vector<v1::Dimension> Dimensions(
    const google::protobuf::RepeatedField<int>& field) {
  std::vector<v1::Dimension> out;
  for (int d : field) out.push_back(static_cast<v1::Dimension>(d));
  return out;
}

RuleInfo EntryRule(const CompiledEntry& e, const LexiconSet& set) {
  const config::v1::Entry& def = *e.def;
  RuleInfo rule;
  rule.id = def.id();
  const bool built_in = e.kind == config::v1::ENTRY_KIND_ANALYZER_RULE;
  const bool highlight =
      e.kind == config::v1::ENTRY_KIND_HIGHLIGHT ||
      (built_in && def.highlight_kind() != v1::HIGHLIGHT_KIND_UNSPECIFIED);
  rule.kind = highlight ? RuleInfo::Kind::kHighlight : RuleInfo::Kind::kFinding;
  rule.language = e.language;
  if (e.file_index < set.files().size()) {
    rule.lexicon_id = set.files()[e.file_index].id;
  }
  if (!highlight) {
    rule.dimensions = e.dimensions;
    rule.default_severity = e.severity;
  } else {
    rule.highlight_kind = def.highlight_kind();
  }
  rule.explanation = def.explanation();
  rule.suggestions = Strings(def.suggestions());
  rule.suggestions_du = Strings(def.suggestions_du());
  rule.advice = Strings(def.advice());
  rule.legal_basis = def.legal_basis();
  rule.sources = Strings(def.sources());
  rule.built_in_analyzer = built_in;
  rule.words = Strings(def.words());
  rule.stems = Strings(def.stems());
  rule.compound_tails = Strings(def.compound_tails());
  rule.phrases = Strings(def.phrases());
  rule.patterns = Strings(def.patterns());
  rule.examples = Strings(def.examples());
  rule.counter_examples = Strings(def.counter_examples());
  for (const config::v1::ContextModifier& m : def.modifiers()) {
    RuleInfo::Context& c = rule.contexts.emplace_back();
    c.effect = m.effect();
    c.cues = Strings(m.cues());
    if (m.scope() == config::v1::ContextModifier::SCOPE_DOCUMENT) {
      c.document_flag = m.flag();
    }
    c.note = m.note();
  }
  rule.exceptions = Strings(def.exceptions());
  return rule;
}

RuleInfo FormRule(const CompiledFormRule& r) {
  const config::v1::FormFieldRule& def = *r.def;
  RuleInfo rule;
  rule.id = def.id();
  rule.kind = RuleInfo::Kind::kFinding;
  rule.language = r.language;
  rule.lexicon_id = r.lexicon_id;
  rule.dimensions = Dimensions(def.dimensions());
  rule.default_severity = def.severity_required();
  rule.explanation = def.explanation();
  rule.suggestions = Strings(def.suggestions());
  rule.advice = Strings(def.advice());
  rule.legal_basis = def.legal_basis();
  rule.sources = Strings(def.sources());
  rule.form_field_rule = true;
  rule.words = Strings(def.terms());
  for (const std::string& t : def.option_terms()) rule.words.push_back(t);
  return rule;
}

std::string WithoutPrefix(const std::string& s, absl::string_view prefix) {
  return absl::StartsWith(s, prefix) ? s.substr(prefix.size()) : s;
}

std::string LanguageKey(const std::string& language) {
  return language.empty() ? "all" : language;
}

}  // namespace

std::vector<RuleInfo> ListRules(const LexiconSet& set) {
  std::vector<RuleInfo> rules;
  for (size_t i = 0; i < set.entry_count(); ++i) {
    const CompiledEntry& e = set.entry(static_cast<uint32_t>(i));
    switch (e.kind) {
      case config::v1::ENTRY_KIND_FINDING:
      case config::v1::ENTRY_KIND_HIGHLIGHT:
      case config::v1::ENTRY_KIND_ANALYZER_RULE:
        rules.push_back(EntryRule(e, set));
        break;
      default:
        break;  // coded words and context cues are not rules of their own
    }
  }
  // Application-form field rules that make findings (readiness-only rules
  // never appear in a report).
  for (const std::string& language : set.Languages()) {
    const LanguageLexicon* lex = set.ForLanguage(language);
    if (lex == nullptr || lex->form_rules == nullptr) continue;
    for (const CompiledFormRule& r : lex->form_rules->rules) {
      if (r.makes_findings) rules.push_back(FormRule(r));
    }
  }
  std::sort(rules.begin(), rules.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return rules;
}

LexiconInfo DescribeLexicons(const LexiconSet& set) {
  LexiconInfo info;
  info.content_hash = set.content_hash();
  info.files = set.files();
  std::stable_sort(info.files.begin(), info.files.end(),
                   [](const LexiconFileInfo& a, const LexiconFileInfo& b) {
                     return a.path < b.path;
                   });
  info.entry_count = set.entry_count();
  info.languages = set.Languages();
  return info;
}

LexiconStats CountLexiconTerms(const LexiconSet& set) {
  LexiconStats stats;
  stats.content_hash = set.content_hash();
  stats.files = set.files().size();
  stats.entries = set.entry_count();
  for (const LexiconFileInfo& f : set.files()) {
    stats.terms += f.term_count;
    stats.job_titles += f.job_title_count;
    stats.form_rules += f.form_rule_count;
  }
  for (size_t i = 0; i < set.entry_count(); ++i) {
    const CompiledEntry& e = set.entry(static_cast<uint32_t>(i));
    LexiconLanguageStats& c = stats.by_language[LanguageKey(e.language)];
    const size_t t = TermCount(*e.def);
    const std::string kind =
        WithoutPrefix(config::v1::EntryKind_Name(e.kind), "ENTRY_KIND_");
    c.entries += 1;
    c.terms += t;
    c.entries_by_kind[kind] += 1;
    c.terms_by_kind[kind] += t;
    if (IsConceptKind(e.kind)) c.matchable_concepts += t;
    if (e.kind == config::v1::ENTRY_KIND_FINDING) {
      for (v1::Dimension d : e.dimensions) {
        c.finding_terms_by_dimension[WithoutPrefix(v1::Dimension_Name(d),
                                                   "DIMENSION_")] += t;
      }
      c.finding_terms_by_severity[WithoutPrefix(v1::Severity_Name(e.severity),
                                                "SEVERITY_")] += t;
    }
  }
  for (const LexiconFileInfo& f : set.files()) {
    LexiconLanguageStats& c = stats.by_language[LanguageKey(f.language)];
    c.job_titles += f.job_title_count;
    c.matchable_concepts += f.job_title_count;
  }
  return stats;
}

}  // namespace divcheck
