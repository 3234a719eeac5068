// Rendering of self-assessments for people (text) and programs (proto3
// JSON), used by `divcheck assess` in-process and with --server alike.
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_FORMAT_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_FORMAT_H_

#include <string>

#include "divcheck/v1/assessment.pb.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::cli {

// Every section, question (with its help text) and option.
std::string QuestionnaireText(const v1::Questionnaire& q);
// {"id", "version", "sections": [{"id", "title", "questions": [{"id",
// "text", "options": [{"id", "label", "value"}]}]}]} on one line.
std::string QuestionnaireJson(const v1::Questionnaire& q);

// The scored report: overall score, sections (traffic light, maturity),
// dimensions, top recommendations. `questionnaire_title` may be empty.
std::string AssessmentText(const v1::Assessment& a,
                           const std::string& questionnaire_title);
// One line per assessment: id, date, score, need for action.
std::string AssessmentListText(const v1::ListAssessmentsResponse& list);
std::string ComparisonText(const v1::AssessmentComparison& c);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_FORMAT_H_
