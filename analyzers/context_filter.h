// ContextFilter: decides which matches become findings, and how serious.
//
// Courts read a job ad as a whole (BAG 8 AZR 73/16), and a good ad names the
// protected grounds on purpose ("unabhängig von Alter, Geschlecht …"). The
// filter therefore:
//  1. marks protected sentences: disclaimers (a DISCLAIMER_CUE and at least
//     two GROUND_TERMs) and sentences holding a highlight with
//     `protects_sentence` (positive action under § 5 AGG, § 164 SGB IX);
//  2. collects document flags (e.g. "church_employer");
//  3. drops candidates in protected sentences, after a negation cue ("kein
//     Muttersprachler erforderlich"), or inside quotation marks on one line;
//  4. applies each entry's own modifiers (suppress, soften, escalate).
#ifndef DIVCHECK_ANALYZERS_CONTEXT_FILTER_H_
#define DIVCHECK_ANALYZERS_CONTEXT_FILTER_H_

#include <functional>

#include "absl/status/status.h"
#include "analyzers/analysis.h"

namespace divcheck {

// Steps 1 and 2; also turns FINDING matches into candidates. Run after
// MatchTerms and before the analyzers that add candidates of their own.
void PrepareContext(Analysis* analysis);

// Steps 3 and 4 on every candidate, then drops candidates contained in a
// finding of at least the same severity that covers its dimensions. Takes
// O(n log n) time in the number of tokens and candidates, whatever the
// input. Asks `is_cancelled` (when set) every few thousand steps and
// returns CANCELLED as soon as it says true; OK otherwise.
absl::Status ApplyContext(Analysis* analysis,
                          const std::function<bool()>& is_cancelled = nullptr);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_CONTEXT_FILTER_H_
