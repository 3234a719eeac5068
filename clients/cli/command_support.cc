#include "clients/cli/command_support.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/data_dir.h"

namespace divcheck::cli {

std::string DefaultLexiconDir() {
  return FindDataDir("DIVCHECK_LEXICONS", "lexicons", DIVCHECK_SOURCE_LEXICONS);
}

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck: " << error << "\n\n" << help;
  return kExitUsage;
}

absl::StatusOr<std::string> ReadInput(const std::string& path,
                                      size_t max_bytes) {
  std::string data;
  if (path == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    data = buf.str();
  } else {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
      return absl::NotFoundError(
          absl::StrCat(path, ": cannot read: ", ec.message()));
    }
    if (size > max_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": input is ", size,
                                                     " bytes; the limit is ",
                                                     max_bytes, " bytes"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    data.resize(size);
    in.read(data.data(), static_cast<std::streamsize>(size));
    data.resize(static_cast<size_t>(in.gcount()));
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
