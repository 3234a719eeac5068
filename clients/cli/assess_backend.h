// Where `divcheck assess` gets questionnaires and scores answers: in-process
// (the questionnaire directory, assessment/) or a divcheckd server's
// AssessmentService (--server). Both give the same results and list every
// invalid answer, one per line, in an INVALID_ARGUMENT status.
//
// Not thread-safe; one per command.
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_BACKEND_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_BACKEND_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "assessment/questionnaire.h"
#include "clients/cli/assess_remote.h"
#include "divcheck/v1/assessment.pb.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::cli::assess {

class Backend {
 public:
  // A server's when `connection` is set (ParseAssessFlags), else the
  // questionnaires in `questionnaire_dir`
  // (default: $DIVCHECK_QUESTIONNAIRES, the installed ones, or the source
  // tree's). The error lists every problem of the directory.
  static absl::StatusOr<std::unique_ptr<Backend>> Create(
      const std::optional<Connection>& connection,
      const std::optional<std::string>& questionnaire_dir);

  bool remote() const { return remote_ != nullptr; }
  // The server's client; only when remote().
  RemoteAssessments& client() { return *remote_; }

  // The questionnaire (id "" and version 0: the default, newest one).
  absl::StatusOr<v1::Questionnaire> Questionnaire(const std::string& id,
                                                  int version,
                                                  const std::string& lang);

  // Scores (and, with an organisation and a server, stores). Errors list
  // every problem, one per line.
  absl::StatusOr<v1::Assessment> Score(const v1::CreateAssessmentRequest& in);

  // The title of the questionnaire `a` answers, or "" when it is unknown.
  std::string TitleOf(const v1::Assessment& a);

 private:
  Backend() = default;
  std::unique_ptr<RemoteAssessments> remote_;
  std::shared_ptr<const assessment::QuestionnaireSet> local_;
};

}  // namespace divcheck::cli::assess

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_BACKEND_H_
