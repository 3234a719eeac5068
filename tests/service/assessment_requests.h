// Test helper shared by the assessment server tests: a CreateAssessment
// request for a questionnaire, built the same way everywhere.
#ifndef DIVCHECK_TESTS_SERVICE_ASSESSMENT_REQUESTS_H_
#define DIVCHECK_TESTS_SERVICE_ASSESSMENT_REQUESTS_H_

#include <string>

#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::testing {

// A request answering every required question of `q` with the option at
// `index` (optional ones skipped), for organisation `org`.
inline v1::CreateAssessmentRequest AnswersFor(const v1::Questionnaire& q,
                                              const std::string& org,
                                              int index) {
  v1::CreateAssessmentRequest request;
  request.set_organization(org);
  request.set_questionnaire_id(q.id());
  request.set_questionnaire_version(q.version());
  for (const auto& s : q.sections()) {
    for (const auto& question : s.questions()) {
      if (!question.required()) continue;
      v1::Answer* a = request.add_answers();
      a->set_question_id(question.id());
      a->set_option_id(question.options(index).id());
    }
  }
  return request;
}

}  // namespace divcheck::testing

#endif  // DIVCHECK_TESTS_SERVICE_ASSESSMENT_REQUESTS_H_
