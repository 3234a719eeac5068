// Scoring of employer self-assessments: answers → per-section percentages,
// traffic light, maturity, per-dimension view, overall score and the top
// recommendations; and the comparison of two scored assessments.
//
//   std::vector<AnswerProblem> problems;
//   absl::StatusOr<v1::Assessment> scored =
//       ScoreAssessment(questionnaire, answers, &problems);
//
// The rules are documented in docs/SCORING.md ("Employer self-assessment").
// Everything here is a pure function of its arguments: deterministic, no
// shared state, safe to call from any thread. No gRPC.
#ifndef DIVCHECK_ASSESSMENT_SCORING_H_
#define DIVCHECK_ASSESSMENT_SCORING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "divcheck/v1/assessment.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace divcheck::assessment {

// Thresholds (percent) of the traffic light and the maturity stages.
inline constexpr double kLowNeedFrom = 75.0;
inline constexpr double kMediumNeedFrom = 50.0;
inline constexpr double kMaturityStep = 20.0;
// A question's recommendations are given below this fulfilment.
inline constexpr double kRecommendBelow = 0.75;
// A legal duty counts as unmet below this fulfilment.
inline constexpr double kLegalDutyMetFrom = 0.5;
// How many recommendations an Assessment lists.
inline constexpr int kTopRecommendations = 10;
// A change of at least this many percentage points is a trend.
inline constexpr double kTrendThreshold = 1.0;

using Answers = google::protobuf::RepeatedPtrField<v1::Answer>;

// One problem with submitted answers, in request terms.
struct AnswerProblem {
  // The request field, e.g. "answers[3].option_id", or "answers" for a
  // missing required answer.
  std::string field;
  // What is wrong, naming the offending id.
  std::string description;
  // UNKNOWN_QUESTION, UNKNOWN_OPTION, DUPLICATE_ANSWER or
  // MISSING_REQUIRED_ANSWER.
  std::string reason;
};

// Every problem of `answers` against `questionnaire`, in this order: per
// answer (unknown question id, unknown option id, duplicate), then each
// required question without an answer (questionnaire order). Empty when the
// answers are valid.
std::vector<AnswerProblem> ValidateAnswers(
    const v1::Questionnaire& questionnaire, const Answers& answers);

// Scores valid answers. The result has the questionnaire's id, version and
// language, the answers, and every score field; id, organization and
// create_time are left empty. Errors: INVALID_ARGUMENT when ValidateAnswers
// finds problems; they are appended to *problems (may be null).
absl::StatusOr<v1::Assessment> ScoreAssessment(
    const v1::Questionnaire& questionnaire, const Answers& answers,
    std::vector<AnswerProblem>* problems);

// before → after, per section, dimension and question. Sections are those
// of `after`; question texts come from `after_questionnaire` (may be null:
// texts are then left empty). Both should belong to the same questionnaire
// id; questions present in only one are left out.
v1::AssessmentComparison CompareAssessments(
    const v1::Assessment& before, const v1::Assessment& after,
    const v1::Questionnaire* after_questionnaire);

// The traffic light and maturity stage for a percentage (0–100).
v1::NeedForAction NeedFor(double percentage);
v1::MaturityLevel MaturityFor(double percentage);

}  // namespace divcheck::assessment

#endif  // DIVCHECK_ASSESSMENT_SCORING_H_
