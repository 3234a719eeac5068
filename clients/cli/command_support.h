// What the `divcheck` commands share: exit statuses, usage errors, reading
// an input file (or standard input), the lexicon directory in use, the API
// key for a server, and the report flags of `scan` and `form`.
//
// Thread-compatible: the functions keep no state of their own.
#ifndef DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_
#define DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"
#include "clients/cli/command_line.h"
#include "clients/cli/report_format.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck::cli {

// Exit statuses of `divcheck`: nothing reached --fail-on; something did (or
// the lexicons have problems); usage or input errors.
constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

// Prints "divcheck: ERROR", a blank line and `help` to standard error and
// returns kExitUsage.
int Usage(const std::string& error, const char* help);

// The lexicon directory: $DIVCHECK_LEXICONS, the installed lexicons, or the
// source tree's.
std::string DefaultLexiconDir();

// $DIVCHECK_API_KEY, or "" when it is not set.
std::string ApiKey();

// How reports and messages name an input: "<stdin>" for "-", else the path.
std::string InputName(const std::string& path);

// The bytes of the file at `path`, or of standard input for "-", read
// through base/file.h: reading stops once the input is over `max_bytes`.
// Errors name the input, e.g. "cannot read ad.txt: No such file or
// directory" or "ad.txt: input too large; the limit is 1048576 bytes"
// (OUT_OF_RANGE).
absl::StatusOr<std::string> ReadInput(const std::string& path,
                                      size_t max_bytes);

// Prints each problem on its own line to standard error; returns
// kExitFindings.
int PrintProblems(const std::vector<LexiconProblem>& problems);

// The in-process engine, or nullptr after printing why to standard error
// ("divcheck: cannot load lexicons: …" and every problem).
std::unique_ptr<Engine> LoadEngine(const EngineOptions& options);

// The flags `scan` and `form` share: how to print reports and which
// findings make the exit status 1.
struct ReportFlags {
  std::string format;  // "text" or "json"
  v1::Severity fail_on = v1::SEVERITY_CRITICAL;
  TextStyle style;
};

// --format, --fail-on and --color as given.
struct ReportFlagValues {
  std::string format = "text";
  std::string fail_on = "critical";
  std::string color = "auto";
};

// Registers --format, --fail-on and --color.
void AddReportFlags(CommandLine* line, ReportFlagValues* values);

// Checks the values; an error names the bad one.
absl::StatusOr<ReportFlags> ParseReportFlags(const ReportFlagValues& values);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_
