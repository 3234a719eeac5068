#include "service/server_options.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "base/file.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace divcheck::service {

const char kServerHelp[] =
    R"(divcheckd — the divcheck gRPC service (divcheck.v1.ScanService and
divcheck.v1.AssessmentService).

Usage: divcheckd [flags]

Flags (a flag given here overrides the --config file):
  --listen=HOST:PORT        gRPC address (default 127.0.0.1:50051; port 0
                            picks a free port, named in the "listening on" log)
  --lexicons=DIR            lexicon directory (default: $DIVCHECK_LEXICONS, the
                            installed lexicons, or the source tree's)
  --config=FILE             text-format divcheck.config.v1.ServerConfig
                            (proto/divcheck/config/v1/server_config.proto)
  --metrics_listen=HOST:PORT  serve Prometheus metrics at http://HOST:PORT/metrics
  --[no]reflection          gRPC server reflection (default on)
  --data_dir=DIR            directory for server data (created if missing);
                            self-assessments are stored in DIR/assessments.db
                            (SQLite). Without it AssessmentService stores
                            nothing (FAILED_PRECONDITION, STORAGE_DISABLED)
  --questionnaires=DIR      self-assessment questionnaires (default:
                            $DIVCHECK_QUESTIONNAIRES, the installed ones, or
                            the source tree's)
  --max_text_bytes=N        largest accepted text (default 1048576)
  --shutdown_grace_seconds=N  time in-flight calls get after SIGTERM (default 10)
  --watch_lexicons_seconds=N  reload the lexicons when their files change,
                            looking every N seconds (default 0: only on SIGHUP)
  --[no]log_requests        one JSON log line per call (default on)
  --help, --version

Signals: SIGHUP reloads the lexicons and the questionnaires (a bad set is
rejected, every problem logged, and the old set keeps serving; a questionnaire
set must keep every version loaded now; --watch_lexicons_seconds reloads the
lexicons when their files change); SIGTERM or SIGINT stops: health turns
NOT_SERVING, new calls are refused, in-flight calls get the grace period,
exit status 0.

Logs are JSON lines on standard output. Submitted text is never logged.
)";

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

std::string Resolve(const fs::path& base, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

absl::StatusOr<bool> ParseBool(absl::string_view name,
                               absl::string_view value) {
  if (value == "true" || value == "1" || value == "yes") return true;
  if (value == "false" || value == "0" || value == "no") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, " must be true or false, not \"", value, "\""));
}

absl::StatusOr<uint64_t> ParsePositive(absl::string_view name,
                                       absl::string_view value) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(value, &n) || n == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be a positive number, not \"", value, "\""));
  }
  return n;
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
  if (config.has_tls()) {
    config::v1::Tls* tls = config.mutable_tls();
    tls->set_cert_file(Resolve(base, tls->cert_file()));
    tls->set_key_file(Resolve(base, tls->key_file()));
    tls->set_client_ca_file(Resolve(base, tls->client_ca_file()));
  }
  return config;
}

absl::StatusOr<CommandLine> ParseCommandLine(
    int argc, const char* const* argv, absl::string_view default_lexicon_dir) {
  static const std::map<std::string, bool> kFlags = {
      // name → is boolean
      {"listen", false},
      {"lexicons", false},
      {"config", false},
      {"metrics_listen", false},
      {"reflection", true},
      {"data_dir", false},
      {"max_text_bytes", false},
      {"shutdown_grace_seconds", false},
      {"log_requests", true},
      {"help", true},
      {"version", true},
      {"questionnaires", false},
      {"watch_lexicons_seconds", false},
  };
  std::map<std::string, std::string> given;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "-h") arg = "--help";
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\" (see --help)"));
    }
    std::string name, value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    } else {
      name = std::string(arg);
    }
    absl::StrReplaceAll({{"-", "_"}}, &name);
    auto flag = kFlags.find(name);
    if (flag == kFlags.end() && absl::StartsWith(name, "no") && !has_value) {
      auto positive = kFlags.find(name.substr(2));
      if (positive != kFlags.end() && positive->second) {
        given[positive->first] = "false";
        continue;
      }
    }
    if (flag == kFlags.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", argv[i], "\" (see --help)"));
    }
    if (!has_value) {
      if (flag->second) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
    }
    given[name] = value;
  }

  CommandLine out;
  if (given.count("help")) {
    absl::StatusOr<bool> help = ParseBool("help", given["help"]);
    if (!help.ok()) return help.status();
    out.help = *help;
  }
  if (given.count("version")) {
    absl::StatusOr<bool> version = ParseBool("version", given["version"]);
    if (!version.ok()) return version.status();
    out.version = *version;
  }
  ServerOptions& o = out.options;
  o.lexicon_dir = std::string(default_lexicon_dir);

  // The config file first, then the flags over it.
  if (auto it = given.find("config"); it != given.end()) {
    absl::StatusOr<config::v1::ServerConfig> config =
        LoadServerConfig(it->second);
    if (!config.ok()) return config.status();
    const config::v1::ServerConfig& c = *config;
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
    o.config = c;
  }
  for (const auto& [name, value] : given) {
    if (name == "listen") {
      o.listen = value;
    } else if (name == "lexicons") {
      o.lexicon_dir = value;
    } else if (name == "metrics_listen") {
      o.metrics_listen = value;
    } else if (name == "data_dir") {
      o.data_dir = value;
    } else if (name == "questionnaires") {
      o.questionnaire_dir = value;
    } else if (name == "reflection" || name == "log_requests") {
      absl::StatusOr<bool> b = ParseBool(name, value);
      if (!b.ok()) return b.status();
      (name == "reflection" ? o.reflection : o.log_requests) = *b;
    } else if (name == "max_text_bytes") {
      absl::StatusOr<uint64_t> n = ParsePositive(name, value);
      if (!n.ok()) return n.status();
      o.max_text_bytes = static_cast<size_t>(*n);
    } else if (name == "shutdown_grace_seconds") {
      absl::StatusOr<uint64_t> n = ParsePositive(name, value);
      if (!n.ok()) return n.status();
      o.shutdown_grace = std::chrono::seconds(*n);
    } else if (name == "watch_lexicons_seconds") {
      uint32_t n = 0;
      if (!absl::SimpleAtoi(value, &n)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--watch_lexicons_seconds must be a number of seconds (0: off), "
            "not \"",
            value, "\""));
      }
      o.watch_lexicons = std::chrono::seconds(n);
    }
  }

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
  return out;
}

}  // namespace divcheck::service
