// What the `divcheck` commands other than assess share: exit statuses,
// parsing a command line with its usage errors and help, the --lang and
// report flags (--format, --fail-on, --color) of `scan` and `form`, reading
// an input file or standard input, the lexicon directory and the engine,
// the API key and the naming of an unreachable server.
//
// Thread-compatible: the functions keep no state of their own.
#ifndef DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_
#define DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_

#include <cstddef>
#include <memory>
#include <optional>
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
// the lexicons have problems); usage or input errors; a text could not be
// checked (empty, no words, a language without rules; `divcheck scan`).
constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNotChecked = 3;

// Prints "divcheck: ERROR", a blank line and `help` to standard error and
// returns kExitUsage.
int Usage(const std::string& error, const char* help);

// Parses argv[2..argc) into `line`'s options. On a usage error prints it
// with `help` (exit status 2), for -h/--help prints `help` (exit status 0),
// and returns that status; nullopt to go on.
std::optional<int> ParseCommandLine(CommandLine* line, int argc, char** argv,
                                    const char* help);

// For a --lang that is not auto, de or en: prints the usage error with
// `help` and returns exit status 2; else nullopt.
std::optional<int> CheckLangFlag(const std::string& lang, const char* help);

// The lexicon directory: $DIVCHECK_LEXICONS, the installed lexicons, or the
// source tree's.
std::string DefaultLexiconDir();

// The API key for `server` (clients/cli/api_key.h: $DIVCHECK_API_KEY or
// $DIVCHECK_API_KEY_FILE, trimmed and checked), "" for none; nullopt after
// printing why it cannot be used ("divcheck: …") — exit with kExitUsage.
std::optional<std::string> ApiKeyOrPrint(const std::string& server);

// A failed call to `server`: UNAVAILABLE and UNAUTHENTICATED (the server is
// not reached, or not let in) with "server HOST:PORT: " before the message;
// other errors (the server's answer on the input) as they are.
absl::Status WithServerName(const std::string& server, absl::Status status);

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

// Checks the values into *flags. For a bad one prints the usage error
// (naming it) with `help` and returns exit status 2; else nullopt.
std::optional<int> CheckReportFlags(const ReportFlagValues& values,
                                    const char* help, ReportFlags* flags);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_COMMAND_SUPPORT_H_
