// The CLI's client of divcheck.v1.AssessmentService (`divcheck assess …
// --server=HOST:PORT`).
//
// Errors come back as absl::Status with the server's code. For
// INVALID_ARGUMENT the message lists every field violation of the server's
// BadRequest, one per line, so the CLI can name every bad id.
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_REMOTE_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_REMOTE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/connection.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::cli {

// Not thread-safe (the CLI makes one call at a time).
class RemoteAssessments {
 public:
  // The connection's API key is sent as "authorization: Bearer <key>" when
  // not empty. Errors that mean the server was not reached carry
  // WithTlsHint's hint.
  explicit RemoteAssessments(const Connection& connection);
  ~RemoteAssessments();

  absl::StatusOr<v1::Questionnaire> GetQuestionnaire(
      const v1::GetQuestionnaireRequest& request);
  absl::StatusOr<v1::Assessment> CreateAssessment(
      const v1::CreateAssessmentRequest& request);
  absl::StatusOr<v1::Assessment> GetAssessment(const std::string& id);
  absl::StatusOr<v1::ListAssessmentsResponse> ListAssessments(
      const v1::ListAssessmentsRequest& request);
  absl::StatusOr<v1::AssessmentComparison> CompareAssessments(
      const std::string& before_id, const std::string& after_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_REMOTE_H_
