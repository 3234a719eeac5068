// TermMatcher: finds every lexicon term in a Document.
//
// One pass over the tokens walks the forward trie (words with inflection
// endings, stems, phrase starts) and the backward trie (compound tails, job
// title forms); phrases are then completed token by token. Regex rules run
// as one RE2::Set pass per sentence; only the rules the set reports are run
// again, on that sentence alone, to recover offsets.
#ifndef DIVCHECK_ANALYZERS_TERM_MATCHER_H_
#define DIVCHECK_ANALYZERS_TERM_MATCHER_H_

#include "analyzers/analysis.h"

namespace divcheck {

// Fills analysis->matches (sorted by fbegin, then entry) and
// analysis->titles (one per token at most: the longest title form).
void MatchTerms(Analysis* analysis);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_TERM_MATCHER_H_
