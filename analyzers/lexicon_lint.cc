#include "analyzers/lexicon_lint.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzers/catalog.h"
#include "analyzers/language.h"
#include "analyzers/replacement_text.h"
#include "unicode/unistr.h"

namespace divcheck {
namespace {

std::string Folded(const std::string& term) {
  std::string out;
  icu::UnicodeString::fromUTF8(term).foldCase().toUTF8String(out);
  return out;
}

// Words and stems that are function words.
void LintOverBroad(const RuleInfo& rule, std::vector<LexiconWarning>* out) {
  for (const std::string& w : rule.words) {
    if (IsFunctionWord(Folded(w))) {
      out->push_back(
          {rule.lexicon_id, rule.id,
           absl::StrCat("the word \"", w,
                        "\" is a function word found in nearly "
                        "every ad: the rule would fire everywhere")});
    }
  }
  for (const std::string& s : rule.stems) {
    // (Stems under three letters do not load at all.)
    if (IsFunctionWord(Folded(s))) {
      out->push_back({rule.lexicon_id, rule.id,
                      absl::StrCat("the stem \"", s,
                                   "\" is a function word: it starts a great "
                                   "many words")});
    }
  }
}

// Terms of the finding rules of one language (and kind of input), by kind
// and folded text, with the rules that list them.
using TermOwners =
    std::map<std::pair<std::string, std::string>, std::vector<const RuleInfo*>>;

void CollectTerms(const RuleInfo& rule, TermOwners* owners) {
  auto add = [&](const char* kind, const std::vector<std::string>& terms) {
    for (const std::string& t : terms) {
      std::vector<const RuleInfo*>& list = (*owners)[{kind, Folded(t)}];
      if (list.empty() || list.back() != &rule) list.push_back(&rule);
    }
  };
  add("word", rule.words);
  add("stem", rule.stems);
  add("phrase", rule.phrases);
}

void LintSharedTerms(const TermOwners& owners,
                     std::vector<LexiconWarning>* out) {
  for (const auto& [term, rules] : owners) {
    for (size_t i = 1; i < rules.size(); ++i) {
      out->push_back(
          {rules[i]->lexicon_id, rules[i]->id,
           absl::StrCat("the ", term.first, " \"", term.second,
                        "\" is also in rule ", rules[0]->id, " (lexicon ",
                        rules[0]->lexicon_id,
                        "): the same words are reported twice or one rule "
                        "hides the other")});
    }
  }
}

// Suggestions (replacements) that are instructions or templates.
void LintReplacements(const RuleInfo& rule, std::vector<LexiconWarning>* out) {
  for (const auto* list : {&rule.suggestions, &rule.suggestions_du}) {
    for (const std::string& s : *list) {
      const std::string problem = ReplacementProblem(s);
      if (problem.empty()) continue;
      out->push_back({rule.lexicon_id, rule.id,
                      absl::StrCat("suggestion \"", s, "\" ", problem)});
    }
  }
}

void Sort(std::vector<LexiconWarning>* warnings) {
  std::sort(warnings->begin(), warnings->end(),
            [](const LexiconWarning& a, const LexiconWarning& b) {
              return std::tie(a.lexicon_id, a.rule_id, a.message) <
                     std::tie(b.lexicon_id, b.rule_id, b.message);
            });
}

}  // namespace

std::vector<LexiconWarning> LintLexicons(const LexiconSet& set) {
  std::vector<LexiconWarning> out;
  const std::vector<RuleInfo> rules = ListRules(set);
  std::map<std::string, TermOwners> owners;  // by language
  for (const RuleInfo& rule : rules) {
    LintReplacements(rule, &out);
    // Form-field rules match labels and option texts, not ads.
    if (rule.kind != RuleInfo::Kind::kFinding || rule.built_in_analyzer ||
        rule.form_field_rule) {
      continue;
    }
    LintOverBroad(rule, &out);
    CollectTerms(rule, &owners[rule.language]);
  }
  for (const auto& [key, terms] : owners) LintSharedTerms(terms, &out);
  Sort(&out);
  return out;
}

std::vector<LexiconWarning> LintAgainstCorpus(
    const Engine& engine, const std::vector<std::string>& texts,
    double max_share) {
  std::map<std::string, size_t> texts_with;  // rule id → texts
  size_t scanned = 0;
  for (const std::string& text : texts) {
    absl::StatusOr<v1::Report> report = engine.ScanText(text, ScanOptions());
    if (!report.ok()) continue;
    ++scanned;
    std::vector<std::string> ids;
    for (const v1::Finding& f : report->findings()) ids.push_back(f.rule_id());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const std::string& id : ids) ++texts_with[id];
  }
  std::vector<LexiconWarning> out;
  if (scanned < 10) return out;
  std::map<std::string, std::string> lexicon_of;
  for (const RuleInfo& rule : ListRules(*engine.lexicons())) {
    lexicon_of[rule.id] = rule.lexicon_id;
  }
  for (const auto& [id, n] : texts_with) {
    const double share = static_cast<double>(n) / static_cast<double>(scanned);
    if (share <= max_share) continue;
    out.push_back(
        {lexicon_of[id], id,
         absl::StrCat("fires in ", n, " of ", scanned, " reference texts (",
                      static_cast<int>(share * 100 + 0.5),
                      " %): too broad to mark a problem")});
  }
  Sort(&out);
  return out;
}

std::vector<ExampleResult> RunRuleExamples(const Engine& engine,
                                           const RuleInfo& rule) {
  std::vector<ExampleResult> out;
  ScanOptions options;
  options.language = rule.language.empty() ? "de" : rule.language;
  auto run = [&](const std::string& text, bool must_fire) {
    ExampleResult r;
    r.rule_id = rule.id;
    r.lexicon_id = rule.lexicon_id;
    r.text = text;
    r.must_fire = must_fire;
    absl::StatusOr<v1::Report> report = engine.ScanText(text, options);
    if (!report.ok()) {
      r.error = std::string(report.status().message());
    } else {
      for (const v1::Finding& f : report->findings()) {
        if (f.rule_id() != rule.id) continue;
        r.fired = true;
        r.severity = std::max(r.severity, f.severity());
      }
      for (const v1::Highlight& h : report->highlights()) {
        if (h.rule_id() == rule.id) r.fired = true;
      }
    }
    out.push_back(std::move(r));
  };
  for (const std::string& t : rule.examples) run(t, true);
  for (const std::string& t : rule.counter_examples) run(t, false);
  return out;
}

namespace {

// A phrase as a text that its own tokens match: "stem*" → "stem", "*tail"
// → "tail", "#" → "3".
std::string PhraseText(absl::string_view phrase) {
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(phrase, ' ', absl::SkipEmpty())) {
    if (w == "#") {
      words.push_back("3");
    } else {
      words.push_back(
          std::string(absl::StripSuffix(absl::StripPrefix(w, "*"), "*")));
    }
  }
  return absl::StrJoin(words, " ");
}

// True when folded `term` is one of the exceptions (exact or "prefix*").
bool IsOwnException(const std::string& term,
                    const std::vector<std::string>& exceptions) {
  for (const std::string& e : exceptions) {
    const std::string f = Folded(e);
    if (absl::EndsWith(f, "*")) {
      if (absl::StartsWith(term, f.substr(0, f.size() - 1))) return true;
    } else if (term == f) {
      return true;
    }
  }
  return false;
}

// Scans `text` alone and, when `rule` makes no finding but another rule's
// finding covers all of it, returns that rule's id; "" otherwise.
std::string ShadowingRule(const Engine& engine, const RuleInfo& rule,
                          const std::string& text) {
  ScanOptions options;
  options.language = rule.language.empty() ? "de" : rule.language;
  absl::StatusOr<v1::Report> report = engine.ScanText(text, options);
  if (!report.ok()) return "";
  std::string other;
  for (const v1::Finding& f : report->findings()) {
    if (f.rule_id() == rule.id) return "";
    if (other.empty() && f.span().start_byte() == 0 &&
        f.span().end_byte() >= text.size()) {
      other = f.rule_id();
    }
  }
  return other;
}

}  // namespace

std::vector<LexiconWarning> LintShadowed(const Engine& engine) {
  std::vector<LexiconWarning> out;
  for (const RuleInfo& rule : ListRules(*engine.lexicons())) {
    if (rule.kind != RuleInfo::Kind::kFinding || rule.built_in_analyzer ||
        rule.form_field_rule) {
      continue;
    }
    auto check = [&](const char* kind, const std::string& term,
                     const std::string& text) {
      const std::string folded = Folded(term);
      if ((std::string(kind) == "word" || std::string(kind) == "stem") &&
          IsOwnException(folded, rule.exceptions)) {
        out.push_back({rule.lexicon_id, rule.id,
                       absl::StrCat("the ", kind, " \"", term,
                                    "\" is one of the rule's own exceptions: "
                                    "it can never fire")});
        return;
      }
      const std::string by = ShadowingRule(engine, rule, text);
      if (by.empty()) return;
      out.push_back(
          {rule.lexicon_id, rule.id,
           absl::StrCat("the ", kind, " \"", term, "\" is shadowed by ", by,
                        ": scanned alone it makes only that rule's finding, "
                        "so this entry never fires on it")});
    };
    for (const std::string& t : rule.words) check("word", t, t);
    for (const std::string& t : rule.stems) check("stem", t, t);
    for (const std::string& t : rule.compound_tails)
      check("compound tail", t, t);
    for (const std::string& t : rule.phrases) check("phrase", t, PhraseText(t));
  }
  Sort(&out);
  return out;
}

std::vector<LexiconWarning> LintExamples(const Engine& engine) {
  std::vector<LexiconWarning> out;
  for (const RuleInfo& rule : ListRules(*engine.lexicons())) {
    if (rule.form_field_rule) continue;
    if (rule.examples.empty()) {
      out.push_back({rule.lexicon_id, rule.id,
                     "has no example (a text that must make its finding)"});
    }
    if (rule.counter_examples.empty()) {
      out.push_back({rule.lexicon_id, rule.id,
                     "has no counter-example (a text close to its words "
                     "that must not make its finding)"});
    }
    for (const ExampleResult& r : RunRuleExamples(engine, rule)) {
      if (r.ok()) continue;
      std::string what =
          !r.error.empty() ? absl::StrCat("cannot be scanned: ", r.error)
                           : (r.must_fire ? "does not make its finding"
                                          : "makes its finding, but must not");
      out.push_back({rule.lexicon_id, rule.id,
                     absl::StrCat(r.must_fire ? "example" : "counter-example",
                                  " \"", r.text, "\" ", what)});
    }
  }
  Sort(&out);
  return out;
}

}  // namespace divcheck
