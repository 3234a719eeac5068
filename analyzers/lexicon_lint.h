// Warnings about lexicon entries that load but will not work as their
// author expects — what `divcheck lexicon validate` prints after the errors:
//
// - over-broad: a word or stem that is a frequent function word ("der",
//   "and") fires in nearly every ad;
// - the same words in two rules: a word, stem or phrase that two finding
//   rules of one language both list (after case folding); the same words
//   then give two findings, or one rule hides the other;
// - with a reference corpus: a rule that fires in more than a set share of
//   its texts is too broad to be a warning sign.
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

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LEXICON_LINT_H_
