#include "service/server_options.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "api/scan_options.h"
#include "assessment/postgres_repository.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

// Flags whose value can also come from the config file are optional: unset
// means "as the config file says, or the default".
ABSL_FLAG(std::optional<std::string>, listen, std::nullopt,
          "gRPC address HOST:PORT (default 127.0.0.1:50051; port 0 picks a "
          "free port, named in the \"listening on\" log line)");
ABSL_FLAG(std::optional<std::string>, lexicons, std::nullopt,
          "lexicon directory (default: $DIVCHECK_LEXICONS, the installed "
          "lexicons, or the source tree's)");
ABSL_FLAG(std::optional<std::string>, config, std::nullopt,
          "text-format divcheck.config.v1.ServerConfig file");
ABSL_FLAG(std::optional<std::string>, metrics_listen, std::nullopt,
          "serve Prometheus metrics at http://HOST:PORT/metrics");
ABSL_FLAG(bool, reflection, true, "gRPC server reflection");
ABSL_FLAG(std::optional<std::string>, data_dir, std::nullopt,
          "directory for server data (created if missing); self-assessments "
          "are stored in DIR/assessments.db (SQLite) unless --database is "
          "given. Without either, AssessmentService stores nothing "
          "(FAILED_PRECONDITION, STORAGE_DISABLED)");
ABSL_FLAG(std::optional<std::string>, questionnaires, std::nullopt,
          "self-assessment questionnaires (default: $DIVCHECK_QUESTIONNAIRES, "
          "the installed ones, or the source tree's)");
ABSL_FLAG(std::optional<uint64_t>, max_text_bytes, std::nullopt,
          "largest accepted text in bytes (default 1048576, at most 1 GiB)");
ABSL_FLAG(std::optional<uint64_t>, shutdown_grace_seconds, std::nullopt,
          "time in-flight calls get after SIGTERM (default 10, at most 3600)");
ABSL_FLAG(std::optional<uint32_t>, watch_lexicons_seconds, std::nullopt,
          "reload the lexicons when their files change, looking every N "
          "seconds (default 0: only on SIGHUP; at most 3600)");
ABSL_FLAG(bool, allow_lexicon_shrink, false,
          "accept a lexicon reload (SIGHUP, --watch_lexicons_seconds) that "
          "lacks a language or a file of the set in use (default: refuse it "
          "and keep serving the old set)");
ABSL_FLAG(bool, log_requests, true, "one JSON log line per call");
ABSL_FLAG(std::optional<uint32_t>, max_concurrent_streams, std::nullopt,
          "concurrent calls (HTTP/2 streams) per connection (default 100, "
          "1..100000)");
ABSL_FLAG(std::optional<uint64_t>, memory_quota_bytes, std::nullopt,
          "memory gRPC may use for connections and calls; under pressure it "
          "refuses new calls (default 1073741824, at least 16777216)");
ABSL_FLAG(std::optional<uint32_t>, max_connection_idle_seconds, std::nullopt,
          "close a connection without calls after N seconds (default 300; "
          "0: never; at most 86400)");
ABSL_FLAG(std::optional<uint32_t>, max_connection_age_seconds, std::nullopt,
          "ask a connection to close after N seconds, so clients reconnect "
          "(default 3600; 0: never; at most 2592000)");
ABSL_FLAG(std::optional<uint32_t>, max_connection_age_grace_seconds,
          std::nullopt,
          "calls on a connection past its age get N more seconds (default "
          "60, at most 86400)");
ABSL_FLAG(std::optional<uint32_t>, handshake_timeout_seconds, std::nullopt,
          "close a connection whose TLS/HTTP2 handshake takes longer than N "
          "seconds (default 20, 1..3600)");
ABSL_FLAG(std::optional<uint32_t>, max_auth_failures_per_peer, std::nullopt,
          "after N failed authentications from one address within "
          "--auth_failure_window_seconds its calls get RESOURCE_EXHAUSTED "
          "(default 20; 0: no limit)");
ABSL_FLAG(std::optional<uint32_t>, auth_failure_window_seconds, std::nullopt,
          "window of --max_auth_failures_per_peer (default 60, 1..86400)");
ABSL_FLAG(std::optional<uint32_t>, drain_seconds, std::nullopt,
          "after SIGTERM health turns NOT_SERVING and calls are still served "
          "for N seconds before shutdown begins (default 0, at most 300)");
ABSL_FLAG(std::optional<std::string>, http_listen, std::nullopt,
          "also serve the HTTP/JSON API (REST /v1/..., LanguageTool-compatible "
          "/v2/check, /healthz, /readyz) on HOST:PORT, e.g. 127.0.0.1:8080 "
          "(default: off)");
ABSL_FLAG(std::optional<uint32_t>, http_threads, std::nullopt,
          "threads serving the HTTP port, one per open keep-alive connection "
          "(default 64, at most 1024)");
ABSL_FLAG(std::optional<std::string>, gender_form, std::nullopt,
          "the gender-fair form of job-title replacements for requests that "
          "do not choose one: pair, star, colon, neutral or marker (default: "
          "neutral nouns first, then pair, star and marker)");
ABSL_FLAG(std::optional<std::string>, database, std::nullopt,
          "store self-assessments in PostgreSQL, shared by several divcheckd "
          "replicas: postgresql://USER@HOST:PORT/DATABASE (libpq URL, e.g. "
          "?sslmode=verify-full). Never put the password in it (it would show "
          "in ps): use --database_password_file or the environment variable "
          "DIVCHECK_DATABASE_PASSWORD (or PGPASSWORD). Schema migrations run "
          "at start-up. Default: SQLite in --data_dir");
ABSL_FLAG(std::optional<std::string>, database_password_file, std::nullopt,
          "file whose first line is the --database password");
ABSL_FLAG(std::optional<uint32_t>, database_pool_size, std::nullopt,
          "most PostgreSQL connections this process opens (default 8, "
          "1..100)");
ABSL_FLAG(std::optional<uint32_t>, database_connect_timeout_seconds,
          std::nullopt,
          "longest wait for a PostgreSQL connection (default 5, 1..300)");
ABSL_FLAG(std::optional<uint32_t>, database_statement_timeout_seconds,
          std::nullopt,
          "longest a PostgreSQL statement may run (default 10, 1..300)");
ABSL_FLAG(bool, migrate_only, false,
          "apply the assessment storage's schema migrations (--database, or "
          "SQLite in --data_dir) and exit: 0 when the schema is current, 1 "
          "when the database cannot be reached or migrated");

namespace divcheck::service {

const char kServerHelp[] =
    R"(the divcheck gRPC service (divcheck.v1.ScanService and
divcheck.v1.AssessmentService).

Usage: divcheckd [flags]

A flag given on the command line overrides the --config file (text-format
divcheck.config.v1.ServerConfig, proto/divcheck/config/v1/server_config.proto);
flag names may be written with '-' or '_'.

Signals: SIGHUP reloads the lexicons and the questionnaires (a bad set is
rejected, every problem logged, and the old set keeps serving; a questionnaire
set must keep every version loaded now, and a lexicon set every language and
file loaded now unless --allow_lexicon_shrink; --watch_lexicons_seconds reloads
the lexicons when their files change), and the API keys of the --config file (for
both ports; a bad file is logged and the keys in use stay); SIGTERM or SIGINT
stops: health turns NOT_SERVING, calls are still served for --drain_seconds,
then new calls are refused (UNAVAILABLE), in-flight calls get the grace
period, exit status 0.

Self-assessments are stored in SQLite in --data_dir, or in PostgreSQL with
--database=postgresql://USER@HOST:PORT/DATABASE, shared by several replicas
(password from --database_password_file, $DIVCHECK_DATABASE_PASSWORD or
$PGPASSWORD, never in the URL). Schema migrations run at start-up under an
advisory lock; --migrate_only applies them and exits. While PostgreSQL is
unreachable (also at start-up) scanning keeps working, assessment calls fail
with UNAVAILABLE and the health of divcheck.v1.AssessmentService is
NOT_SERVING until the database is back; see docs/DEPLOY.md.

Exit status: 0 after a clean stop; 1 when start-up fails or a flag is unknown
or malformed; 2 when a flag's value is out of range or the config file is bad.
With --migrate_only: 0 when the schema is current, 1 when the database cannot
be reached or migrated.

Logs are JSON lines on standard output. Submitted text is never logged.)";

namespace {

namespace fs = std::filesystem;

// Collects protobuf text-format errors as file:line:col.
class ConfigErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit ConfigErrors(std::string file) : file_(std::move(file)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    problems.push_back(
        absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }
  std::vector<std::string> problems;

 private:
  std::string file_;
};

// One numeric limit: the config file's value if present, then the flag's;
// INVALID_ARGUMENT naming the flag unless min <= value <= max.
template <typename T>
absl::Status Limit(const char* name, bool in_config, uint64_t config_value,
                   const std::optional<T>& flag, uint64_t min, uint64_t max,
                   uint64_t* value) {
  if (in_config) *value = config_value;
  if (flag.has_value()) *value = *flag;
  if (*value < min || *value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be between ", min, " and ", max));
  }
  return absl::OkStatus();
}

std::string Resolve(const fs::path& base, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

// The --database flags over the config file's, checked.
absl::Status ApplyDatabaseFlags(ServerOptions* o) {
  if (auto v = absl::GetFlag(FLAGS_database)) o->database = *v;
  if (auto v = absl::GetFlag(FLAGS_database_password_file)) {
    o->database_password_file = *v;
  }
  if (auto v = absl::GetFlag(FLAGS_database_pool_size)) {
    o->database_pool_size = *v;
  }
  if (auto v = absl::GetFlag(FLAGS_database_connect_timeout_seconds)) {
    o->database_connect_timeout = std::chrono::seconds(*v);
  }
  if (auto v = absl::GetFlag(FLAGS_database_statement_timeout_seconds)) {
    o->database_statement_timeout = std::chrono::seconds(*v);
  }
  o->migrate_only = absl::GetFlag(FLAGS_migrate_only);
  if (!o->database.empty()) {
    RETURN_IF_ERROR(assessment::CheckPostgresUrl(o->database));
  }
  if (o->database_pool_size == 0 || o->database_pool_size > 100) {
    return absl::InvalidArgumentError(
        "--database_pool_size must be between 1 and 100");
  }
  for (const auto& [name, value] :
       {std::pair{"database_connect_timeout_seconds",
                  o->database_connect_timeout},
        std::pair{"database_statement_timeout_seconds",
                  o->database_statement_timeout}}) {
    if (value.count() < 1 || value.count() > 300) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " must be between 1 and 300"));
    }
  }
  if (o->migrate_only && o->database.empty() && o->data_dir.empty()) {
    return absl::InvalidArgumentError(
        "--migrate_only needs --database (PostgreSQL) or --data_dir (SQLite)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SplitHostPort(absl::string_view address, std::string* host,
                           int* port) {
  const size_t colon = address.rfind(':');
  int p = -1;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &p) || p < 0 || p > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", address, "\" is not HOST:PORT (e.g. 127.0.0.1:50051)"));
  }
  *host = std::string(address.substr(0, colon));
  *port = p;
  return absl::OkStatus();
}

absl::StatusOr<config::v1::ServerConfig> LoadServerConfig(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("config file: ", text.status().message()));
  }
  config::v1::ServerConfig config;
  ConfigErrors errors(path);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*text, &config) || !errors.problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors.problems, "\n"));
  }
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  config.set_lexicon_dir(Resolve(base, config.lexicon_dir()));
  config.set_data_dir(Resolve(base, config.data_dir()));
  config.set_database_password_file(
      Resolve(base, config.database_password_file()));
  if (config.has_tls()) {
    config::v1::Tls* tls = config.mutable_tls();
    tls->set_cert_file(Resolve(base, tls->cert_file()));
    tls->set_key_file(Resolve(base, tls->key_file()));
    tls->set_client_ca_file(Resolve(base, tls->client_ca_file()));
  }
  return config;
}

std::vector<std::string> NormalizeFlagNames(int argc, const char* const* argv) {
  std::vector<std::string> out(argv, argv + argc);
  for (size_t i = 1; i < out.size(); ++i) {
    std::string& arg = out[i];
    if (arg == "--") break;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const size_t end = std::min(arg.find('='), arg.size());
    std::replace(arg.begin() + 2, arg.begin() + end, '-', '_');
  }
  return out;
}

namespace {

// The limits from the config file (o->config) and the flags, checked.
absl::Status ApplyLimits(ServerOptions* o) {
  const config::v1::ServerConfig& c = o->config;
  constexpr uint64_t kDay = 86400;
  uint64_t v = o->max_concurrent_streams;
  RETURN_IF_ERROR(
      Limit("max_concurrent_streams", c.has_max_concurrent_streams(),
            c.max_concurrent_streams(),
            absl::GetFlag(FLAGS_max_concurrent_streams), 1, 100000, &v));
  o->max_concurrent_streams = static_cast<uint32_t>(v);
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  RETURN_IF_ERROR(Limit("memory_quota_bytes", c.has_memory_quota_bytes(),
                        c.memory_quota_bytes(),
                        absl::GetFlag(FLAGS_memory_quota_bytes), 16 * kMiB,
                        kMiB << 20, &o->memory_quota_bytes));
  // The durations, all in seconds.
  struct Duration {
    const char* name;
    bool in_config;
    uint64_t config_value;
    std::optional<uint32_t> flag;
    uint64_t min, max;
    std::chrono::seconds* out;
  };
  for (const Duration& d : {
           Duration{"max_connection_idle_seconds",
                    c.has_max_connection_idle_seconds(),
                    c.max_connection_idle_seconds(),
                    absl::GetFlag(FLAGS_max_connection_idle_seconds), 0, kDay,
                    &o->max_connection_idle},
           Duration{"max_connection_age_seconds",
                    c.has_max_connection_age_seconds(),
                    c.max_connection_age_seconds(),
                    absl::GetFlag(FLAGS_max_connection_age_seconds), 0,
                    30 * kDay, &o->max_connection_age},
           Duration{"max_connection_age_grace_seconds",
                    c.has_max_connection_age_grace_seconds(),
                    c.max_connection_age_grace_seconds(),
                    absl::GetFlag(FLAGS_max_connection_age_grace_seconds), 0,
                    kDay, &o->max_connection_age_grace},
           Duration{"handshake_timeout_seconds",
                    c.has_handshake_timeout_seconds(),
                    c.handshake_timeout_seconds(),
                    absl::GetFlag(FLAGS_handshake_timeout_seconds), 1, 3600,
                    &o->handshake_timeout},
           Duration{"auth_failure_window_seconds",
                    c.has_auth_failure_window_seconds(),
                    c.auth_failure_window_seconds(),
                    absl::GetFlag(FLAGS_auth_failure_window_seconds), 1, kDay,
                    &o->auth_failure_window},
           Duration{"drain_seconds", c.has_drain_seconds(), c.drain_seconds(),
                    absl::GetFlag(FLAGS_drain_seconds), 0, 300, &o->drain},
       }) {
    uint64_t seconds = static_cast<uint64_t>(d.out->count());
    RETURN_IF_ERROR(Limit(d.name, d.in_config, d.config_value, d.flag, d.min,
                          d.max, &seconds));
    *d.out = std::chrono::seconds(seconds);
  }
  v = o->max_auth_failures_per_peer;
  RETURN_IF_ERROR(
      Limit("max_auth_failures_per_peer", c.has_max_auth_failures_per_peer(),
            c.max_auth_failures_per_peer(),
            absl::GetFlag(FLAGS_max_auth_failures_per_peer), 0, 1000000, &v));
  o->max_auth_failures_per_peer = static_cast<uint32_t>(v);
  return absl::OkStatus();
}

}  // namespace

// The settings of config file `c` over the defaults in *o.
static void ApplyConfig(const config::v1::ServerConfig& c, ServerOptions* out) {
  ServerOptions& o = *out;
  if (!c.listen().empty()) o.listen = c.listen();
  if (!c.lexicon_dir().empty()) o.lexicon_dir = c.lexicon_dir();
  o.metrics_listen = c.metrics_listen();
  if (c.has_reflection()) o.reflection = c.reflection();
  o.data_dir = c.data_dir();
  if (c.max_text_bytes() != 0) o.max_text_bytes = c.max_text_bytes();
  if (c.shutdown_grace_seconds() != 0) {
    o.shutdown_grace = std::chrono::seconds(c.shutdown_grace_seconds());
  }
  if (c.has_log_requests()) o.log_requests = c.log_requests();
  o.watch_lexicons = std::chrono::seconds(c.watch_lexicons_seconds());
  o.allow_lexicon_shrink = c.allow_lexicon_shrink();
  o.http_listen = c.http_listen();
  if (c.http_threads() != 0) o.http_threads = c.http_threads();
  o.gender_form_name = c.default_gender_form();
  o.http_cors_origins.assign(c.http_cors_origins().begin(),
                             c.http_cors_origins().end());
  if (c.http_deadline_ms() != 0) {
    o.http_deadline = std::chrono::milliseconds(c.http_deadline_ms());
  }
  o.database = c.database();
  o.database_password_file = c.database_password_file();
  if (c.database_pool_size() != 0)
    o.database_pool_size = c.database_pool_size();
  if (c.database_connect_timeout_seconds() != 0) {
    o.database_connect_timeout =
        std::chrono::seconds(c.database_connect_timeout_seconds());
  }
  if (c.database_statement_timeout_seconds() != 0) {
    o.database_statement_timeout =
        std::chrono::seconds(c.database_statement_timeout_seconds());
  }
  o.config = c;
}

absl::StatusOr<ServerOptions> ServerOptionsFromFlags(
    absl::string_view default_lexicon_dir) {
  ServerOptions o;
  o.lexicon_dir = std::string(default_lexicon_dir);

  // The config file first, then the flags over it.
  if (std::optional<std::string> path = absl::GetFlag(FLAGS_config)) {
    ASSIGN_OR_RETURN(const config::v1::ServerConfig c, LoadServerConfig(*path));
    ApplyConfig(c, &o);
  }
  if (auto v = absl::GetFlag(FLAGS_listen)) o.listen = *v;
  if (auto v = absl::GetFlag(FLAGS_lexicons)) o.lexicon_dir = *v;
  if (auto v = absl::GetFlag(FLAGS_metrics_listen)) o.metrics_listen = *v;
  if (auto v = absl::GetFlag(FLAGS_data_dir)) o.data_dir = *v;
  if (auto v = absl::GetFlag(FLAGS_questionnaires)) o.questionnaire_dir = *v;
  // Both are on by default: --noreflection / --nolog_requests turn off what
  // the config file may have left on.
  if (!absl::GetFlag(FLAGS_reflection)) o.reflection = false;
  if (!absl::GetFlag(FLAGS_log_requests)) o.log_requests = false;
  if (absl::GetFlag(FLAGS_allow_lexicon_shrink)) o.allow_lexicon_shrink = true;
  if (auto v = absl::GetFlag(FLAGS_max_text_bytes)) {
    if (*v == 0) {
      return absl::InvalidArgumentError(
          "--max_text_bytes must be a positive number");
    }
    o.max_text_bytes = static_cast<size_t>(std::min<uint64_t>(*v, SIZE_MAX));
  }
  if (auto v = absl::GetFlag(FLAGS_shutdown_grace_seconds)) {
    if (*v == 0 || *v > 3600) {
      return absl::InvalidArgumentError(
          "--shutdown_grace_seconds must be between 1 and 3600");
    }
    o.shutdown_grace = std::chrono::seconds(*v);
  }
  if (auto v = absl::GetFlag(FLAGS_watch_lexicons_seconds)) {
    o.watch_lexicons = std::chrono::seconds(*v);
  }
  if (auto v = absl::GetFlag(FLAGS_http_listen)) o.http_listen = *v;
  if (auto v = absl::GetFlag(FLAGS_http_threads)) o.http_threads = *v;
  if (auto v = absl::GetFlag(FLAGS_gender_form)) o.gender_form_name = *v;
  if (!o.gender_form_name.empty()) {
    const std::optional<v1::GenderForm> form =
        api::GenderFormByName(o.gender_form_name);
    if (!form.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gender form \"", o.gender_form_name,
          "\" (--gender_form or default_gender_form) must be pair, star, "
          "colon, neutral or marker"));
    }
    o.default_gender_form = *form;
  }
  RETURN_IF_ERROR(ApplyDatabaseFlags(&o));
  RETURN_IF_ERROR(ApplyLimits(&o));

  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(o.listen, &host, &port); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--listen: ", s.message()));
  }
  if (!o.metrics_listen.empty()) {
    if (absl::Status s = SplitHostPort(o.metrics_listen, &host, &port);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--metrics_listen: ", s.message()));
    }
  }
  if (!o.http_listen.empty()) {
    if (absl::Status s = SplitHostPort(o.http_listen, &host, &port); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--http_listen: ", s.message()));
    }
  }
  if (o.http_threads == 0 || o.http_threads > 1024) {
    return absl::InvalidArgumentError(
        "--http_threads must be between 1 and 1024");
  }
  if (o.max_text_bytes > (size_t{1} << 30)) {
    return absl::InvalidArgumentError("--max_text_bytes must be at most 1 GiB");
  }
  if (o.watch_lexicons > std::chrono::hours(1)) {
    return absl::InvalidArgumentError(
        "--watch_lexicons_seconds must be at most 3600");
  }
  if (o.config.has_tls() && (o.config.tls().cert_file().empty() ||
                             o.config.tls().key_file().empty())) {
    return absl::InvalidArgumentError("tls needs both cert_file and key_file");
  }
  if (o.config.has_tls() && o.config.tls().require_client_cert() &&
      o.config.tls().client_ca_file().empty()) {
    return absl::InvalidArgumentError(
        "tls: require_client_cert needs client_ca_file (the CAs that sign "
        "client certificates); without it no client certificate could be "
        "verified and every client would be let in");
  }
  return o;
}

}  // namespace divcheck::service
