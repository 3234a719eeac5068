// CodedWording: the balance of agentic ("masculine-coded") and communal
// ("feminine-coded") words in an ad.
//
// Gaucher, Friesen & Kay (2011) showed that masculine-coded wording makes
// women find a job less appealing, through anticipated belonging; Hentschel
// et al. (TU München) found the same for German ads. The balance is advice,
// never a legal finding: when the verdict leans masculine, every agentic
// word becomes a HINT (rule "<lang>.gender_coded.agentic") so the reader
// sees which words to balance. See docs/SCORING.md for the thresholds.
#ifndef DIVCHECK_ANALYZERS_CODED_WORDING_H_
#define DIVCHECK_ANALYZERS_CODED_WORDING_H_

#include "analyzers/analysis.h"

namespace divcheck {

// The verdict for `agentic` and `communal` occurrences.
v1::CodedWordingBalance::Verdict CodedWordingVerdict(uint32_t agentic,
                                                     uint32_t communal);

// Counts the AGENTIC and COMMUNAL matches outside protected sentences, once
// per token and side. A match of an entry with `coded_use:
// CODED_USE_IN_CONTEXT` (a word that also names tasks, fields or products:
// "Analyse", "support") counts only when a TRAIT_CUE_BEFORE entry ends at
// most two tokens before it ("Sie sind sehr analytisch") or a
// TRAIT_CUE_AFTER entry starts in its token or within two tokens after it
// ("Analysefähigkeit", "analytical skills"), in the same sentence; other
// matches count as `uncounted_count`. Fills `balance` (its words' spans hold
// only byte offsets until AttachCodedWordSpans) and appends HINT candidates
// as described above.
void WeighCodedWording(Analysis* analysis, v1::CodedWordingBalance* balance);

// Completes the spans of `balance`'s words (code points, line, column) from
// the original `text` the analysis scanned.
void AttachCodedWordSpans(absl::string_view text,
                          v1::CodedWordingBalance* balance);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_CODED_WORDING_H_
