// divcheckd's settings: defaults, then the --config file (text-format
// divcheck.config.v1.ServerConfig), then command-line flags (Abseil flags,
// declared below), each overriding the one before.
//
//   std::vector<std::string> args = NormalizeFlagNames(argc, argv);
//   … absl::ParseCommandLine(…);
//   absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags(dir);
//
// The flags are process-wide (Abseil's registry); ServerOptionsFromFlags
// only reads them and is safe to call from any thread after parsing.
#ifndef DIVCHECK_SERVICE_SERVER_OPTIONS_H_
#define DIVCHECK_SERVICE_SERVER_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/config/v1/server_config.pb.h"
#include "divcheck/v1/report.pb.h"

ABSL_DECLARE_FLAG(std::optional<std::string>, listen);
ABSL_DECLARE_FLAG(std::optional<std::string>, lexicons);
ABSL_DECLARE_FLAG(std::optional<std::string>, config);
ABSL_DECLARE_FLAG(std::optional<std::string>, metrics_listen);
ABSL_DECLARE_FLAG(bool, reflection);
ABSL_DECLARE_FLAG(std::optional<std::string>, data_dir);
ABSL_DECLARE_FLAG(std::optional<std::string>, questionnaires);
ABSL_DECLARE_FLAG(std::optional<uint64_t>, max_text_bytes);
ABSL_DECLARE_FLAG(std::optional<uint64_t>, shutdown_grace_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, watch_lexicons_seconds);
ABSL_DECLARE_FLAG(bool, allow_lexicon_shrink);
ABSL_DECLARE_FLAG(bool, log_requests);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, max_concurrent_streams);
ABSL_DECLARE_FLAG(std::optional<uint64_t>, memory_quota_bytes);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, max_connection_idle_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, max_connection_age_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, max_connection_age_grace_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, handshake_timeout_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, max_auth_failures_per_peer);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, auth_failure_window_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, drain_seconds);
ABSL_DECLARE_FLAG(std::optional<std::string>, http_listen);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, http_threads);
ABSL_DECLARE_FLAG(std::optional<std::string>, gender_form);
ABSL_DECLARE_FLAG(std::optional<std::string>, database);
ABSL_DECLARE_FLAG(std::optional<std::string>, database_password_file);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, database_pool_size);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, database_connect_timeout_seconds);
ABSL_DECLARE_FLAG(std::optional<uint32_t>, database_statement_timeout_seconds);
ABSL_DECLARE_FLAG(bool, migrate_only);

namespace divcheck::service {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string lexicon_dir;
  std::string metrics_listen;
  bool reflection = true;
  std::string data_dir;
  // Self-assessment questionnaires; empty: divcheckd's default.
  std::string questionnaire_dir;
  size_t max_text_bytes = size_t{1} << 20;
  std::chrono::seconds shutdown_grace{10};
  // How often to look for changed lexicon files; 0: never (SIGHUP only).
  std::chrono::seconds watch_lexicons{0};
  // Accept a lexicon reload that lacks a language or a file of the set in
  // use (by default such a reload is refused and logged).
  bool allow_lexicon_shrink = false;
  bool log_requests = true;

  // Limits against resource exhaustion (docs/SECURITY.md), each within the
  // range ServerOptionsFromFlags checks.
  // Concurrent calls per connection: 1–100000.
  uint32_t max_concurrent_streams = 100;
  // gRPC's ResourceQuota: 16 MiB–1 TiB.
  uint64_t memory_quota_bytes = uint64_t{1} << 30;
  // Close a connection without calls after this long; 0: never. ≤ 1 day.
  std::chrono::seconds max_connection_idle{300};
  // Ask a connection to close after this long; 0: never. ≤ 30 days.
  std::chrono::seconds max_connection_age{3600};
  // Then close it after this long even with calls running. ≤ 1 day.
  std::chrono::seconds max_connection_age_grace{60};
  // Close a connection whose handshake takes longer: 1 s–1 h.
  std::chrono::seconds handshake_timeout{20};
  // Failed authentications per peer address and window before its calls get
  // RESOURCE_EXHAUSTED; 0: no limit. Window: 1 s–1 day.
  uint32_t max_auth_failures_per_peer = 20;
  std::chrono::seconds auth_failure_window{60};
  // After SIGTERM: NOT_SERVING but still serving for this long; ≤ 300 s.
  std::chrono::seconds drain{0};

  // HTTP/JSON API address; empty: no HTTP port.
  std::string http_listen;
  uint32_t http_threads = 64;
  // ScanTextRequest.gender_form when a request leaves it unspecified, and
  // its name as configured ("pair", …; empty: none).
  v1::GenderForm default_gender_form = v1::GENDER_FORM_UNSPECIFIED;
  std::string gender_form_name;
  std::vector<std::string> http_cors_origins;
  std::chrono::milliseconds http_deadline{30000};
  // PostgreSQL for the self-assessments (a URL without password; checked);
  // empty: SQLite in data_dir.
  std::string database;
  std::string database_password_file;
  uint32_t database_pool_size = 8;                      // 1–100
  std::chrono::seconds database_connect_timeout{5};     // 1–300 s
  std::chrono::seconds database_statement_timeout{10};  // 1–300 s
  // Apply the storage's schema migrations and exit.
  bool migrate_only = false;

  // API keys and TLS exactly as configured (paths made absolute).
  config::v1::ServerConfig config;
};

// The usage message of --help: what divcheckd is, signals, exit status, logs
// (Abseil's --help lists the flags after it).
extern const char kServerHelp[];

// A copy of argv with '-' in flag names turned into '_' ("--max-text-bytes"
// → "--max_text_bytes"), as divcheckd has always accepted both; values are
// left alone. Parse the result with absl::ParseCommandLine.
std::vector<std::string> NormalizeFlagNames(int argc, const char* const* argv);

// The settings from the parsed flags: the defaults, then the --config file,
// then the flags given. Errors: INVALID_ARGUMENT for a value out of range
// (the message names the flag and its range), for require_client_cert
// without client_ca_file, or for a bad config file (every problem as
// file:line:col); NOT_FOUND when the config file cannot be read.
absl::StatusOr<ServerOptions> ServerOptionsFromFlags(
    absl::string_view default_lexicon_dir);

// Loads a text-format ServerConfig. Relative paths in it are taken relative
// to the file's directory. Errors: NOT_FOUND (unreadable), INVALID_ARGUMENT
// listing every problem as `file:line:col: message`.
absl::StatusOr<config::v1::ServerConfig> LoadServerConfig(
    const std::string& path);

// Splits "HOST:PORT" ("[::1]:50051" for IPv6). Errors: INVALID_ARGUMENT.
absl::Status SplitHostPort(absl::string_view address, std::string* host,
                           int* port);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_SERVER_OPTIONS_H_
