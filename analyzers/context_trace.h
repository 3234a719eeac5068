// Helpers of the context filter for `divcheck scan --trace` (ScanOptions::
// trace): the words of a trace step, and dropping candidates that a longer
// one covers with a step for each. Internal to the engine; pure functions
// of one scan's Analysis (not shared between threads).
#ifndef DIVCHECK_ANALYZERS_CONTEXT_TRACE_H_
#define DIVCHECK_ANALYZERS_CONTEXT_TRACE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "analyzers/analysis.h"
#include "analyzers/internal/lexicon_data.h"

namespace divcheck {

// What context modifier `i` of `entry` did to `c` (severity `before` until
// then): the effect, where its cue was looked for, and the first cues.
std::string DescribeModifier(const CompiledEntry& entry, size_t i,
                             v1::Severity before, const Candidate& c);

// Drops every candidate i with beaten[i] (one finding per words), tracing
// why when the analysis is traced.
void MarkBeaten(const std::vector<bool>& beaten, Analysis* a);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_CONTEXT_TRACE_H_
