// AssessmentApi: the transport-free logic of divcheck.v1.AssessmentService.
//
// Each method validates a request, calls the assessment engine
// (assessment/) and the repository, and returns the response or an
// absl::Status with google.rpc details attached (api/errors.h): a
// BadRequest listing every violation for INVALID_ARGUMENT, an ErrorInfo
// reason otherwise. The gRPC adapter (assessment_service.h) only converts.
//
// Every method but GetQuestionnaire takes the Caller (api/caller.h) the
// transport learned from the API key, and enforces the tenant boundary:
// PERMISSION_DENIED with reason ORGANIZATION_NOT_ALLOWED for an
// organisation, or a stored assessment of one, that the caller may not use.
// Organisation names are normalised (api/organization.h) before they are
// stored, listed or compared.
//
// CreateAssessment with a `request_id` is idempotent per key, organisation
// and request id for kRequestIdRetention: a repeat returns the assessment
// stored first; a repeat with other content is ALREADY_EXISTS
// (REQUEST_ID_REUSED).
//
// Without a repository (divcheckd without --data_dir) GetQuestionnaire and
// CreateAssessment with validate_only work; every call that stores or reads
// assessments is FAILED_PRECONDITION with reason STORAGE_DISABLED.
//
// Safe for concurrent use: the questionnaires are immutable, replaced
// whole (ReplaceQuestionnaires) and held by each call for its duration; the
// repository is thread-safe and must outlive the API.
#ifndef DIVCHECK_API_ASSESSMENT_API_H_
#define DIVCHECK_API_ASSESSMENT_API_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "api/caller.h"
#include "assessment/questionnaire.h"
#include "assessment/repository.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::api {

// How long CreateAssessment remembers a request id.
inline constexpr absl::Duration kRequestIdRetention = absl::Hours(24);

class AssessmentApi {
 public:
  // `repository` may be null: storage is then disabled.
  AssessmentApi(
      std::shared_ptr<const assessment::QuestionnaireSet> questionnaires,
      assessment::AssessmentRepository* repository);

  absl::StatusOr<v1::Questionnaire> GetQuestionnaire(
      const v1::GetQuestionnaireRequest& request) const;
  absl::StatusOr<v1::Assessment> CreateAssessment(
      const v1::CreateAssessmentRequest& request, const Caller& caller) const;
  absl::StatusOr<v1::Assessment> GetAssessment(
      const v1::GetAssessmentRequest& request, const Caller& caller) const;
  absl::StatusOr<v1::ListAssessmentsResponse> ListAssessments(
      const v1::ListAssessmentsRequest& request, const Caller& caller) const;
  absl::StatusOr<v1::AssessmentComparison> CompareAssessments(
      const v1::CompareAssessmentsRequest& request, const Caller& caller) const;

  // The questionnaires in use.
  std::shared_ptr<const assessment::QuestionnaireSet> questionnaires() const;
  // Puts `next` in use (a reload), atomically: a call sees the old set or
  // the new one. Errors: FAILED_PRECONDITION, and the old set stays, when
  // `next` lacks a questionnaire version (in a language) that is loaded
  // now — stored assessments refer to it; the message names each.
  absl::Status ReplaceQuestionnaires(
      std::shared_ptr<const assessment::QuestionnaireSet> next);

 private:
  absl::Status RequireStorage() const;
  // Loads a stored assessment; NOT_FOUND with ASSESSMENT_NOT_FOUND, or
  // PERMISSION_DENIED when `caller` may not use its organisation.
  absl::StatusOr<v1::Assessment> Load(const std::string& id,
                                      const Caller& caller) const;
  // Stores `scored` (organisation and create time set) under a new id, once
  // per request id when `request` has one.
  absl::StatusOr<v1::Assessment> Store(
      v1::Assessment scored, const v1::CreateAssessmentRequest& request,
      const Caller& caller) const;

  // Read with std::atomic_load, replaced with std::atomic_store.
  std::shared_ptr<const assessment::QuestionnaireSet> questionnaires_;
  absl::Mutex replace_mu_;  // one ReplaceQuestionnaires at a time
  assessment::AssessmentRepository* const repository_;
};

}  // namespace divcheck::api

#endif  // DIVCHECK_API_ASSESSMENT_API_H_
