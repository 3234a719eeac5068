// BinaryPair: one-sex wording that names both sexes.
//
// "Mann oder Frau", "Frau/Mann für …", "men and women", "die neue Kollegin /
// der neue Kollege" address women and men: not a one-sex requirement, but a
// binary pair that leaves out non-binary people. Such wording is at most a
// HINT (issue 14, class 4). The pairs come from the lexicons' `sex_pairs`
// (words such as "Mann"/"Frau"); job titles in both forms are accepted by
// TitleGenderMarker already ("Kaufmann/Kauffrau").
//
// Pure functions of the analysis; one Analysis per thread.
#ifndef DIVCHECK_ANALYZERS_BINARY_PAIR_H_
#define DIVCHECK_ANALYZERS_BINARY_PAIR_H_

#include <cstdint>

#include "analyzers/analysis.h"

namespace divcheck {

// Tokens between two members of a pair, at most: "Mann oder eine Frau",
// "die neue Kollegin / der neue Kollege".
inline constexpr uint32_t kBinaryPairWindow = 4;

// True when token `k` is a sex-specific person word (a `sex_pairs` form)
// and its counterpart of the other sex stands within kBinaryPairWindow
// tokens in the same sentence, joined to it by "/", "&", "oder", "bzw",
// "und", "sowie", "or" or "and" ("Frau/Mann", "Männer und Frauen", "a man or
// a woman").
bool InBinaryPair(const Analysis& analysis, uint32_t k);

// Lowers every candidate above HINT whose only dimension is gender and one
// of whose tokens is InBinaryPair to a HINT, with a context note that the
// wording names both sexes but leaves out non-binary people. Run after
// ApplyContext.
void LowerBinaryPairs(Analysis* analysis);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_BINARY_PAIR_H_
