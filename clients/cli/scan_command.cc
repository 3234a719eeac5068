#include "clients/cli/scan_command.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "clients/cli/backend.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/report_format.h"

namespace divcheck::cli {

const char kScanHelp[] = R"(Usage: divcheck scan [options] FILE... | -

Scans each FILE (UTF-8 text; `-` reads standard input) and prints, for
every finding, `file:line:col: severity: message [rule-id]` with the words
found, what to write instead and the legal basis, then the score (0–100,
100 = nothing to improve) and grade.

Options:
  --format=text|json     text (default) is for people; json prints each
                         report as one line of proto3 JSON (one line per file)
  --lang=auto|de|en      language of the ads (default auto: detected)
  --fail-on=hint|warning|critical
                         exit with status 1 when a finding at or above this
                         severity is found (default critical)
  --lexicons=DIR         lexicon directory (default: $DIVCHECK_LEXICONS, the
                         installed lexicons, or the source tree's)
  --color=auto|always|never
                         colour the text output (default auto: on a terminal,
                         unless NO_COLOR is set)
  --max-bytes=N          reject inputs over N bytes (default 1048576)
  --server=HOST:PORT     scan through a divcheckd server instead of
                         in-process; the output is the same. The API key,
                         if the server wants one, is read from
                         $DIVCHECK_API_KEY or the file $DIVCHECK_API_KEY_FILE
                         (sent only to a loopback address unless
                         DIVCHECK_INSECURE_SEND_KEY=1; docs/API.md)

A text that cannot be checked gets no score: an empty text, one without
words (only punctuation, emoji or numbers), or, with --lang=auto, one in a
language divcheck has no rules for (e.g. French, Turkish) is reported as
"not checked". With --lang=de or --lang=en such a text is scanned as asked,
but the output warns that it does not look like that language.

Exit status: 0 nothing reached --fail-on, 1 something did, 2 usage or input
errors (missing file, invalid UTF-8, input too large), 3 a text was not
checked or does not look like the --lang given (when no status 1 or 2
applies); the other files are still scanned.
)";

namespace {

// The command line of `divcheck scan`, checked.
struct ScanFlags {
  ReportFlags report;
  std::string lang;  // "" (detect), "de" or "en"
  size_t max_bytes = kDefaultMaxInputBytes;
  std::optional<std::string> lexicons;
  std::string server;
  std::vector<std::string> inputs;
};

// Parses and checks the command line. Returns an exit status when the
// command is done (help printed, or a usage error), else nullopt.
std::optional<int> ParseScanFlags(int argc, char** argv, ScanFlags* flags) {
  CommandLine line;
  ReportFlagValues report;
  std::string lang = "auto";
  std::optional<std::string> max_bytes;
  AddReportFlags(&line, &report);
  line.Add("lang", &lang);
  line.Add("lexicons", &flags->lexicons);
  line.Add("max-bytes", &max_bytes);
  line.Add("server", &flags->server);
  if (std::optional<int> done =
          ParseCommandLine(&line, argc, argv, kScanHelp)) {
    return done;
  }
  if (std::optional<int> done =
          CheckReportFlags(report, kScanHelp, &flags->report)) {
    return done;
  }
  if (std::optional<int> done = CheckLangFlag(lang, kScanHelp)) return done;
  flags->lang = lang == "auto" ? "" : lang;
  if (max_bytes.has_value()) {
    char* end = nullptr;
    const std::string& v = *max_bytes;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n == 0) {
      return Usage("--max-bytes must be a positive number", kScanHelp);
    }
    flags->max_bytes = static_cast<size_t>(n);
  }
  flags->inputs = line.positional();
  if (flags->inputs.empty()) {
    return Usage("no input: name one or more files, or - for standard input",
                 kScanHelp);
  }
  if (!flags->server.empty() && flags->lexicons.has_value()) {
    return Usage(
        "--lexicons cannot be used with --server (the server has its own)",
        kScanHelp);
  }
  return std::nullopt;
}

}  // namespace

int ScanCommand(int argc, char** argv) {
  ScanFlags flags;
  if (std::optional<int> done = ParseScanFlags(argc, argv, &flags)) {
    return *done;
  }
  std::unique_ptr<ScanBackend> backend =
      MakeScanBackend(flags.server, flags.lexicons, flags.max_bytes);
  if (backend == nullptr) return kExitUsage;
  v1::ScanTextRequest request;
  request.set_language_code(flags.lang);

  int exit_code = kExitOk;
  bool input_error = false;
  bool not_checked = false;
  std::string out;
  v1::Report report;
  for (const std::string& path : flags.inputs) {
    // Read with room above the limit, so that the api (in-process or the
    // server's) is what refuses a text too large, with the same words.
    absl::StatusOr<std::string> text = ReadInput(path, 4 * flags.max_bytes);
    if (text.ok()) request.set_text(*std::move(text));
    const absl::Status scanned =
        text.ok() ? backend->ScanInto(request, &report) : text.status();
    if (!scanned.ok()) {
      std::cout << out << std::flush;
      out.clear();
      // Read errors name the input; scan errors get the path in front.
      std::cerr << "divcheck: " << (text.ok() ? path + ": " : "")
                << scanned.message() << "\n";
      input_error = true;
      continue;
    }
    for (const v1::Finding& f : report.findings()) {
      if (f.severity() >= flags.report.fail_on) exit_code = kExitFindings;
    }
    // UNSPECIFIED: a server older than the field; its reports were checked.
    if (report.coverage() != v1::COVERAGE_CHECKED &&
        report.coverage() != v1::COVERAGE_UNSPECIFIED) {
      not_checked = true;
    }
    const std::string name = InputName(path);
    if (flags.report.format == "json") {
      absl::StrAppend(&out, FormatJson(report), "\n");
    } else {
      absl::StrAppend(&out, FormatText(name, report, flags.report.style));
    }
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  if (input_error) return kExitUsage;
  if (exit_code == kExitOk && not_checked) return kExitNotChecked;
  return exit_code;
}

}  // namespace divcheck::cli
