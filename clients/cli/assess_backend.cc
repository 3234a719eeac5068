#include "clients/cli/assess_backend.h"

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "assessment/scoring.h"
#include "base/data_dir.h"
#include "clients/cli/api_key.h"

namespace divcheck::cli::assess {

absl::StatusOr<std::unique_ptr<Backend>> Backend::Create(
    const std::string& server,
    const std::optional<std::string>& questionnaire_dir) {
  auto backend = std::unique_ptr<Backend>(new Backend());
  if (!server.empty()) {
    // ParseAssessFlags has refused a key that cannot be used.
    absl::StatusOr<std::string> key = ApiKeyFor(server);
    backend->remote_ =
        std::make_unique<RemoteAssessments>(server, key.value_or(""));
    return backend;
  }
  const std::string dir = questionnaire_dir.value_or(
      FindDataDir("DIVCHECK_QUESTIONNAIRES", "questionnaires",
                  DIVCHECK_SOURCE_QUESTIONNAIRES));
  std::vector<assessment::DataProblem> problems;
  absl::StatusOr<std::shared_ptr<const assessment::QuestionnaireSet>> set =
      assessment::QuestionnaireSet::Load(dir, &problems);
  if (!set.ok()) {
    std::vector<std::string> lines = {std::string(set.status().message())};
    for (const auto& p : problems) lines.push_back(p.ToString());
    return absl::Status(set.status().code(), absl::StrJoin(lines, "\n"));
  }
  backend->local_ = *std::move(set);
  return backend;
}

absl::StatusOr<v1::Questionnaire> Backend::Questionnaire(
    const std::string& id, int version, const std::string& lang) {
  if (remote_ != nullptr) {
    v1::GetQuestionnaireRequest request;
    request.set_questionnaire_id(id);
    request.set_version(version);
    request.set_language_code(lang);
    return remote_->GetQuestionnaire(request);
  }
  absl::StatusOr<const v1::Questionnaire*> q = local_->Find(id, version, lang);
  if (!q.ok()) return q.status();
  return **q;
}

absl::StatusOr<v1::Assessment> Backend::Score(
    const v1::CreateAssessmentRequest& in) {
  v1::CreateAssessmentRequest request = in;
  if (remote_ != nullptr) {
    if (request.organization().empty()) request.set_validate_only(true);
    return remote_->CreateAssessment(request);
  }
  std::vector<std::string> lines;
  assessment::QuestionnaireSet::FindError error;
  absl::StatusOr<const v1::Questionnaire*> q =
      local_->Find(request.questionnaire_id(), request.questionnaire_version(),
                   request.language_code(), &error);
  if (!q.ok()) {
    const char* field =
        error == assessment::QuestionnaireSet::FindError::kUnknownId
            ? "questionnaire_id"
        : error == assessment::QuestionnaireSet::FindError::kUnknownVersion
            ? "questionnaire_version"
            : "language_code";
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", q.status().message()));
  }
  std::vector<assessment::AnswerProblem> problems;
  absl::StatusOr<v1::Assessment> scored =
      assessment::ScoreAssessment(**q, request.answers(), &problems);
  if (!scored.ok()) {
    for (const auto& p : problems) {
      lines.push_back(absl::StrCat(p.field, ": ", p.description));
    }
    return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
  }
  scored->set_organization(request.organization());
  return scored;
}

std::string Backend::TitleOf(const v1::Assessment& a) {
  absl::StatusOr<v1::Questionnaire> q = Questionnaire(
      a.questionnaire_id(), a.questionnaire_version(), a.language());
  return q.ok() ? q->title() : "";
}

}  // namespace divcheck::cli::assess
