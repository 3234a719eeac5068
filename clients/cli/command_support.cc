#include "clients/cli/command_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "base/data_dir.h"
#include "base/file.h"

namespace divcheck::cli {

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

std::string ApiKey() {
  const char* key = std::getenv("DIVCHECK_API_KEY");
  return key != nullptr ? key : "";
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

}  // namespace divcheck::cli
