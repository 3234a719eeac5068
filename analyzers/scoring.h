// Scoring: turns a report's findings into the score, the grade and the
// per-dimension sub-scores. Deterministic; documented in docs/SCORING.md.
#ifndef DIVCHECK_ANALYZERS_SCORING_H_
#define DIVCHECK_ANALYZERS_SCORING_H_

#include "divcheck/v1/report.pb.h"

namespace divcheck {

// Penalty points per severity for the first finding of a rule.
constexpr double kCriticalPenalty = 30;
constexpr double kWarningPenalty = 12;
constexpr double kHintPenalty = 3;
// Each further finding of the same rule adds this share of its penalty, up to
// kMaxRepeatFactor times the penalty in all.
constexpr double kRepeatShare = 0.25;
constexpr double kMaxRepeatFactor = 2.0;
// Hints together never cost more than this.
constexpr double kHintCap = 15;

// Sets score, grade, dimension_scores and the severity counts of `report`
// from report->findings().
void ScoreReport(v1::Report* report);

// "A" … "E" for a score and the most severe finding.
const char* Grade(uint32_t score, v1::Severity worst);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_SCORING_H_
