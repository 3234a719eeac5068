// What the `divcheck assess` subcommands share: exit statuses, their flags
// and how they are parsed, error printing ("divcheck assess: …"), reading
// an answers file and turning it into a request, printing an assessment.
//
// Thread-compatible: the functions keep no state of their own.
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_COMMON_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_COMMON_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/connection.h"
#include "divcheck/cli/files/assess_files.pb.h"
#include "divcheck/v1/assessment.pb.h"
#include "divcheck/v1/assessment_service.pb.h"

namespace divcheck::cli::assess {

// 0 done; 1 the interactive questionnaire was left unfinished (progress
// saved); 2 usage, input or server errors.
constexpr int kExitOk = 0;
constexpr int kExitUnfinished = 1;
constexpr int kExitError = 2;

// The flags of the assess subcommands; each takes some of them.
struct AssessFlags {
  std::string format = "text";
  std::optional<std::string> lang;
  std::optional<std::string> organization;
  ConnectionFlags remote;  // --server and the TLS flags
  // Set by ParseAssessFlags when --server (or a TLS flag) is given: the
  // checked connection, TLS files read and API key checked.
  std::optional<Connection> connection;
  std::optional<std::string> questionnaires;
  std::string answers;  // submit
  std::string resume;   // the interactive mode
  std::vector<std::string> positional;
};

// Parses argv[start..argc) with the flags in `names` (e.g. "format",
// "lang"; "server" stands for --server and the TLS flags) into *flags, and
// connects (Connect, connection.h) when a server is named. Returns an exit
// status when the command is done (`help` printed, or a usage error — a
// bad TLS file or a key that must not be sent included), else nullopt.
std::optional<int> ParseAssessFlags(int argc, char** argv, int start,
                                    const std::vector<std::string>& names,
                                    const char* help, AssessFlags* flags);

bool ValidFormat(const std::string& format);  // text or json
bool ValidLang(const std::string& lang);      // empty, de or en

// Prints "divcheck assess: ERROR", a blank line and `help` to standard
// error; returns kExitError.
int Usage(const std::string& error, const char* help);

// Prints "divcheck assess: MESSAGE"; returns kExitError.
int Fail(const std::string& message);

// Prints "divcheck assess: CONTEXT: CODE" and every line of the status's
// message indented on its own line; returns kExitError.
int PrintError(const absl::Status& status, const std::string& context);

// Prints the assessment as text (under the questionnaire's `title`) or, for
// format "json", as one line of proto3 JSON.
void PrintAssessment(const v1::Assessment& a, const std::string& format,
                     const std::string& title);

// The answers file at `path` ("-": standard input). Unknown JSON fields are
// an error; messages name the file.
absl::StatusOr<files::AnswersFile> ReadAnswersFile(const std::string& path);

// The request to score `file`; --lang and --organization override the
// file's.
v1::CreateAssessmentRequest RequestFrom(const files::AnswersFile& file,
                                        const AssessFlags& flags);

}  // namespace divcheck::cli::assess

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_COMMON_H_
