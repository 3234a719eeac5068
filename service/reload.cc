#include "service/reload.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "assessment/questionnaire.h"
#include "base/data_problem.h"
#include "service/server_options.h"

namespace divcheck::service {

void LogProblems(JsonLog& log, const std::vector<LexiconProblem>& problems) {
  for (const LexiconProblem& p : problems) {
    log.Error("lexicon problem", {{"file", p.file},
                                  {"line", p.line},
                                  {"column", p.column},
                                  {"problem", p.message},
                                  {"where", p.ToString()}});
  }
}

namespace {

// Reloads from SIGHUP and from the file watcher run one at a time.
ABSL_CONST_INIT absl::Mutex reload_mu(absl::kConstInit);

}  // namespace

void ReloadLexicons(Engine& engine, bool allow_shrink, JsonLog& log,
                    ServerMetrics* metrics) {
  absl::MutexLock lock(&reload_mu);
  const std::shared_ptr<const LexiconSet> before = engine.lexicons();
  std::vector<LexiconProblem> problems;
  LexiconLoss lost;
  absl::Status status = engine.ReloadLexicons(&problems, allow_shrink, &lost);
  if (metrics != nullptr) metrics->CountReload(status.ok());
  if (!status.ok()) {
    LogProblems(log, problems);
    log.Error(absl::IsFailedPrecondition(status)
                  ? "lexicon reload refused; the loaded lexicons stay in use"
                  : "lexicon reload failed; the loaded lexicons stay in use",
              {{"error", std::string(status.message())},
               {"problems", static_cast<uint64_t>(problems.size())},
               {"lost_languages", absl::StrJoin(lost.languages, ",")},
               {"lost_files", absl::StrJoin(lost.files, ",")},
               {"lexicon_version", before->content_hash()}});
    return;
  }
  const std::shared_ptr<const LexiconSet> after = engine.lexicons();
  if (metrics != nullptr) metrics->SetLexicons(*after);
  log.Info("lexicons reloaded",
           {{"previous_version", before->content_hash()},
            {"lexicon_version", after->content_hash()},
            {"files", static_cast<uint64_t>(after->files().size())},
            {"entries", static_cast<uint64_t>(after->entry_count())},
            {"lost_languages", absl::StrJoin(lost.languages, ",")},
            {"lost_files", absl::StrJoin(lost.files, ",")}});
}

void ReloadQuestionnaires(const std::string& dir, api::AssessmentApi& api,
                          JsonLog& log) {
  const std::string before = api.questionnaires()->content_hash();
  std::vector<DataProblem> problems;
  absl::StatusOr<std::shared_ptr<const assessment::QuestionnaireSet>> next =
      assessment::QuestionnaireSet::Load(dir, &problems);
  absl::Status status = next.status();
  if (status.ok()) status = api.ReplaceQuestionnaires(*std::move(next));
  if (!status.ok()) {
    for (const DataProblem& p : problems) {
      log.Error("questionnaire problem", {{"where", p.ToString()}});
    }
    log.Error(
        "questionnaire reload failed; the loaded questionnaires stay in use",
        {{"error", std::string(status.message())},
         {"problems", static_cast<uint64_t>(problems.size())},
         {"questionnaire_version", before}});
    return;
  }
  log.Info("questionnaires reloaded",
           {{"previous_version", before},
            {"questionnaire_version", api.questionnaires()->content_hash()}});
}

void ReloadApiKeys(const std::optional<std::string>& path, ApiKeys& keys,
                   JsonLog& log) {
  if (!path.has_value()) return;
  absl::StatusOr<config::v1::ServerConfig> config = LoadServerConfig(*path);
  absl::Status status = config.status();
  if (status.ok()) {
    absl::StatusOr<ApiKeys> next = ApiKeys::FromConfig(config->api_keys());
    status = next.status();
    if (status.ok()) {
      keys.Replace(*next);
      log.Info("api keys reloaded",
               {{"api_keys", static_cast<uint64_t>(keys.size())}});
      return;
    }
  }
  log.Error("config reload failed; the API keys in use stay",
            {{"error", std::string(status.message())}});
}

}  // namespace divcheck::service
