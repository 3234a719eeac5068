// What divcheckd does on SIGHUP and when the lexicon watcher sees a change:
// load the data again and put it in use only if it loads cleanly; on any
// problem log it and keep what is loaded. Never logs submitted text.
//
// Thread-safe: lexicon reloads run one at a time (a mutex); the engine, the
// assessment API and the key set swap their data atomically.
#ifndef DIVCHECK_SERVICE_RELOAD_H_
#define DIVCHECK_SERVICE_RELOAD_H_

#include <optional>
#include <string>
#include <vector>

#include "analyzers/engine.h"
#include "api/assessment_api.h"
#include "service/api_keys.h"
#include "service/json_log.h"
#include "service/metrics.h"

namespace divcheck::service {

// Logs each lexicon problem as its own error line (file, line, column).
void LogProblems(JsonLog& log, const std::vector<LexiconProblem>& problems);

// Reloads the engine's lexicons. A set that would lose a language or a file
// is refused unless `allow_shrink`. `metrics` may be null.
void ReloadLexicons(Engine& engine, bool allow_shrink, JsonLog& log,
                    ServerMetrics* metrics);

// Loads the questionnaires in `dir` again; they replace the loaded ones only
// if every version loaded now is kept.
void ReloadQuestionnaires(const std::string& dir, api::AssessmentApi& api,
                          JsonLog& log);

// Reads the config file at `path` again (nothing without one) and puts its
// API keys in use (both ports share them).
void ReloadApiKeys(const std::optional<std::string>& path, ApiKeys& keys,
                   JsonLog& log);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_RELOAD_H_
