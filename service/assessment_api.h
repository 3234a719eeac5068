// AssessmentApi: the transport-free logic of divcheck.v1.AssessmentService.
//
// Each method validates a request, calls the assessment engine
// (assessment/) and the repository, and returns the response or an
// absl::Status with google.rpc details attached (rpc_errors.h): a
// BadRequest listing every violation for INVALID_ARGUMENT, an ErrorInfo
// reason otherwise. The gRPC adapter (assessment_service.h) only converts.
//
// Without a repository (divcheckd without --data_dir) GetQuestionnaire and
// CreateAssessment with validate_only work; every call that stores or reads
// assessments is FAILED_PRECONDITION with reason STORAGE_DISABLED.
//
// Safe for concurrent use: the questionnaires are immutable and the
// repository is thread-safe. Both must outlive the API.
#ifndef DIVCHECK_SERVICE_ASSESSMENT_API_H_
#define DIVCHECK_SERVICE_ASSESSMENT_API_H_

#include <memory>

#include "absl/status/statusor.h"
#include "assessment/questionnaire.h"
#include "assessment/repository.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::service {

class AssessmentApi {
 public:
  // `repository` may be null: storage is then disabled.
  AssessmentApi(
      std::shared_ptr<const assessment::QuestionnaireSet> questionnaires,
      assessment::AssessmentRepository* repository);

  absl::StatusOr<v1::Questionnaire> GetQuestionnaire(
      const v1::GetQuestionnaireRequest& request) const;
  absl::StatusOr<v1::Assessment> CreateAssessment(
      const v1::CreateAssessmentRequest& request) const;
  absl::StatusOr<v1::Assessment> GetAssessment(
      const v1::GetAssessmentRequest& request) const;
  absl::StatusOr<v1::ListAssessmentsResponse> ListAssessments(
      const v1::ListAssessmentsRequest& request) const;
  absl::StatusOr<v1::AssessmentComparison> CompareAssessments(
      const v1::CompareAssessmentsRequest& request) const;

 private:
  absl::Status RequireStorage() const;
  // Loads a stored assessment; NOT_FOUND with ASSESSMENT_NOT_FOUND.
  absl::StatusOr<v1::Assessment> Load(const std::string& id) const;

  const std::shared_ptr<const assessment::QuestionnaireSet> questionnaires_;
  assessment::AssessmentRepository* const repository_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_ASSESSMENT_API_H_
