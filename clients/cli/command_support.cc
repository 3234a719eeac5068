#include "clients/cli/command_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "base/data_dir.h"
#include "base/file.h"
#include "clients/cli/api_key.h"

namespace divcheck::cli {

std::optional<int> ParseCommandLine(CommandLine* line, int argc, char** argv,
                                    const char* help) {
  std::string error;
  if (!line->Parse(argc, argv, 2, &error)) return Usage(error, help);
  if (line->help()) {
    std::cout << help;
    return kExitOk;
  }
  return std::nullopt;
}

std::optional<int> CheckLangFlag(const std::string& lang, const char* help) {
  if (lang == "auto" || lang == "de" || lang == "en") return std::nullopt;
  return Usage(
      absl::StrCat("--lang must be auto, de or en, not \"", lang, "\""), help);
}

std::string DefaultLexiconDir() {
  return FindDataDir("DIVCHECK_LEXICONS", "lexicons", DIVCHECK_SOURCE_LEXICONS);
}

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck: " << error << "\n\n" << help;
  return kExitUsage;
}

std::string InputName(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

absl::StatusOr<std::string> ReadInput(const std::string& path,
                                      size_t max_bytes) {
  const std::string name = InputName(path);
  absl::StatusOr<std::string> data = path == "-"
                                         ? ReadStream(stdin, name, max_bytes)
                                         : ReadFile(path, max_bytes);
  if (absl::IsOutOfRange(data.status())) {
    return absl::OutOfRangeError(absl::StrCat(
        name, ": input too large; the limit is ", max_bytes, " bytes"));
  }
  return data;
}

std::optional<std::string> ApiKeyOrPrint(const std::string& server) {
  absl::StatusOr<std::string> key = ApiKeyFor(server);
  if (!key.ok()) {
    std::cerr << "divcheck: " << key.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(key);
}

absl::Status WithServerName(const std::string& server, absl::Status status) {
  if (!absl::IsUnavailable(status) && !absl::IsUnauthenticated(status)) {
    return status;
  }
  return absl::Status(status.code(),
                      absl::StrCat("server ", server, ": ", status.message()));
}

int PrintProblems(const std::vector<LexiconProblem>& problems) {
  for (const LexiconProblem& p : problems) std::cerr << p.ToString() << "\n";
  return kExitFindings;
}

std::unique_ptr<Engine> LoadEngine(const EngineOptions& options) {
  std::vector<LexiconProblem> problems;
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(options, &problems);
  if (!engine.ok()) {
    std::cerr << "divcheck: cannot load lexicons: " << engine.status().message()
              << "\n";
    PrintProblems(problems);
    return nullptr;
  }
  return *std::move(engine);
}

void AddReportFlags(CommandLine* line, ReportFlagValues* values) {
  line->Add("format", &values->format);
  line->Add("fail-on", &values->fail_on);
  line->Add("color", &values->color);
}

namespace {

absl::StatusOr<ReportFlags> ParseReportFlags(const ReportFlagValues& values) {
  ReportFlags flags;
  flags.format = values.format;
  if (flags.format != "text" && flags.format != "json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format must be text or json, not \"", flags.format, "\""));
  }
  const std::string& fail_on = values.fail_on;
  if (fail_on == "hint") {
    flags.fail_on = v1::SEVERITY_HINT;
  } else if (fail_on == "warning") {
    flags.fail_on = v1::SEVERITY_WARNING;
  } else if (fail_on != "critical") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--fail-on must be hint, warning or critical, not \"", fail_on, "\""));
  }
  const std::string& color = values.color;
  if (color != "auto" && color != "always" && color != "never") {
    return absl::InvalidArgumentError("--color must be auto, always or never");
  }
  flags.style.color =
      color == "always" ||
      (color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  return flags;
}

}  // namespace

std::optional<int> CheckReportFlags(const ReportFlagValues& values,
                                    const char* help, ReportFlags* flags) {
  absl::StatusOr<ReportFlags> checked = ParseReportFlags(values);
  if (!checked.ok())
    return Usage(std::string(checked.status().message()), help);
  *flags = *checked;
  return std::nullopt;
}

}  // namespace divcheck::cli
