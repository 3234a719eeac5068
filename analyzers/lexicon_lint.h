// Warnings about lexicon entries that load but will not work as their
// author expects — what `divcheck lexicon validate` prints after the errors:
//
// - over-broad: a word or stem that is a frequent function word ("der",
//   "and") fires in nearly every ad;
// - the same words in two rules: a word, stem or phrase that two finding
//   rules of one language both list (after case folding); the same words
//   then give two findings, or one rule hides the other;
// - with a reference corpus: a rule that fires in more than a set share of
//   its texts is too broad to be a warning sign;
// - examples: a rule without an example that must fire or without a
//   counter-example that must not, an example that does not make the
//   rule's finding or highlight, a counter-example that does.
//
// Rules of application-form fields are not checked: they match labels and
// option texts, where "von"/"bis" are meant.
//
//   std::vector<LexiconWarning> w = LintLexicons(*engine->lexicons());
//
// Pure functions of immutable inputs; thread-safe.
#ifndef DIVCHECK_ANALYZERS_LEXICON_LINT_H_
#define DIVCHECK_ANALYZERS_LEXICON_LINT_H_

#include <string>
#include <vector>

#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"

namespace divcheck {

struct LexiconWarning {
  std::string lexicon_id;  // the file's id
  std::string rule_id;
  std::string message;  // one sentence for the lexicon's author
};

// The warnings of the first two kinds, sorted by lexicon and rule id.
std::vector<LexiconWarning> LintLexicons(const LexiconSet& set);

// Scans each of `texts` and warns for every rule that makes a finding in
// more than `max_share` (0–1) of them; with fewer than 10 texts the share
// says nothing and there is no warning. Texts that cannot be scanned are
// skipped.
std::vector<LexiconWarning> LintAgainstCorpus(
    const Engine& engine, const std::vector<std::string>& texts,
    double max_share);

// What scanning one example of a rule gave.
struct ExampleResult {
  std::string rule_id;
  std::string lexicon_id;
  std::string text;
  // True for Entry.examples (must fire), false for counter_examples.
  bool must_fire = true;
  // Whether the rule's finding or highlight is in the report, and its
  // severity (UNSPECIFIED for a highlight or when it did not fire).
  bool fired = false;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  // Set when the text could not be scanned (then `fired` is false).
  std::string error;

  bool ok() const { return error.empty() && fired == must_fire; }
};

// Scans every example and counter-example of `rule` in the rule's language
// (German for a rule of every language) and says whether the rule fired.
std::vector<ExampleResult> RunRuleExamples(const Engine& engine,
                                           const RuleInfo& rule);

// Shadowed terms: a word, stem, compound tail or phrase of a finding rule
// that can never make that rule's finding.
//  * A word or stem that is one of the rule's own exceptions (exact, or
//    under a "prefix*" exception).
//  * With the real engine: each term, written as a short text of its own
//    ("stem*" as the stem, "#" as "3"), is scanned in the rule's language;
//    when the rule makes no finding there but another rule's finding covers
//    the whole text, the term is "shadowed by" that rule — a longer or
//    stronger match always claims the same words, so the entry adds
//    nothing (or its finding is always dropped in favour of the other).
// Terms that make no finding at all (they need context the short text
// lacks) give no warning. Sorted like LintLexicons.
std::vector<LexiconWarning> LintShadowed(const Engine& engine);

// Warnings for the rules of ad text (findings and highlights, not
// application-form field rules) that have no example or counter-example,
// and for every example that fails (RunRuleExamples), sorted.
std::vector<LexiconWarning> LintExamples(const Engine& engine);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LEXICON_LINT_H_
