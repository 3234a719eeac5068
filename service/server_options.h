// divcheckd's settings: defaults, then the --config file (text-format
// divcheck.config.v1.ServerConfig), then command-line flags, each overriding
// the one before.
//
//   absl::StatusOr<CommandLine> cl = ParseCommandLine(argc, argv,
//   "/usr/share/…"); if (!cl.ok()) { std::cerr << cl.status().message(); return
//   2; }
#ifndef DIVCHECK_SERVICE_SERVER_OPTIONS_H_
#define DIVCHECK_SERVICE_SERVER_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/config/v1/server_config.pb.h"

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
  bool log_requests = true;
  // API keys and TLS exactly as configured (paths made absolute).
  config::v1::ServerConfig config;
};

struct CommandLine {
  bool help = false;
  bool version = false;
  ServerOptions options;
};

// The --help text.
extern const char kServerHelp[];

// Parses `--name=value`, `--name value`, and for booleans `--name`,
// `--noname`, `--name=true|false`. Names may use '_' or '-'. Errors:
// INVALID_ARGUMENT for an unknown flag, a bad value, or a bad config file
// (with file:line:col); NOT_FOUND when the config file cannot be read.
absl::StatusOr<CommandLine> ParseCommandLine(
    int argc, const char* const* argv, absl::string_view default_lexicon_dir);

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
