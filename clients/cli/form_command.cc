#include "clients/cli/form_command.h"

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "clients/cli/backend.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/report_format.h"
#include "formats/form_input.h"

namespace divcheck::cli {

const char kFormHelp[] = R"(Usage: divcheck form [options] FILE | -

Audits an application form field by field: photo, date of birth or age,
place of birth, nationality, marital status, children, pregnancy, religion,
mother tongue, health, disability, sexual orientation, union or party
membership, a salutation without a neutral option, graduation and job years.
Prints, per finding, `FILE#field-id: severity: message [rule-id]` with what
to ask instead and the legal basis; findings in the form's free text as
`FILE:instructions:line:col`. Then the score and the readiness for an
anonymised application procedure (0–100) with the changes needed.

FILE is an HTML page with a form (read like a browser reads it: <label for>,
labels around controls, <select>/<option>, radio and check-box groups,
<fieldset>/<legend>, `required`), or a ScanFormRequest as proto3 JSON (see
proto/divcheck/v1/form.proto; chosen for a .json name or content starting
with "{"). `-` reads standard input.

Options:
  --format=text|json     text (default) is for people; json prints the
                         ScanFormResponse as one line of proto3 JSON
  --lang=auto|de|en      language of the form (default: from the JSON, else
                         detected)
  --employer=private|public|religious|tendency
                         who the employer is (overrides the JSON's
                         employerType): religious = church employer (§ 9
                         AGG), tendency = Tendenzbetrieb (§ 118 BetrVG)
  --fail-on=hint|warning|critical
                         exit with status 1 when a finding at or above this
                         severity is found (default critical)
  --lexicons=DIR         lexicon directory (as for scan)
  --color=auto|always|never
  --server=HOST:PORT     audit through a divcheckd server (ScanForm); same
                         output. API key from $DIVCHECK_API_KEY

Exit status: 0 nothing reached --fail-on, 1 something did, 2 usage or input
errors (missing file, bad JSON, no form fields, over 1,000 fields or 10,000
options in a field, input too large).
)";

namespace {

// The command line of `divcheck form`, checked.
struct FormFlags {
  ReportFlags report;
  std::string lang;  // "", "auto", "de" or "en"
  std::optional<v1::EmployerType> employer;
  std::optional<std::string> lexicons;
  std::string server;
  std::string path;
};

// Parses and checks the command line. Returns an exit status when the
// command is done (help printed, or a usage error), else nullopt.
std::optional<int> ParseFormFlags(int argc, char** argv, FormFlags* flags) {
  CommandLine line;
  ReportFlagValues report;
  std::string employer;
  AddReportFlags(&line, &report);
  line.Add("lang", &flags->lang);
  line.Add("employer", &employer);
  line.Add("lexicons", &flags->lexicons);
  line.Add("server", &flags->server);
  if (std::optional<int> done =
          ParseCommandLine(&line, argc, argv, kFormHelp)) {
    return done;
  }
  if (std::optional<int> done =
          CheckReportFlags(report, kFormHelp, &flags->report)) {
    return done;
  }
  if (!flags->lang.empty()) {  // not given: from the JSON, else detected
    if (std::optional<int> done = CheckLangFlag(flags->lang, kFormHelp)) {
      return done;
    }
  }
  static const std::map<std::string, v1::EmployerType> kEmployers = {
      {"private", v1::EMPLOYER_TYPE_PRIVATE},
      {"public", v1::EMPLOYER_TYPE_PUBLIC},
      {"religious", v1::EMPLOYER_TYPE_RELIGIOUS},
      {"tendency", v1::EMPLOYER_TYPE_TENDENCY}};
  if (!employer.empty()) {
    auto it = kEmployers.find(employer);
    if (it == kEmployers.end()) {
      return Usage("--employer must be private, public, religious or tendency",
                   kFormHelp);
    }
    flags->employer = it->second;
  }
  if (line.positional().size() != 1) {
    return Usage("name exactly one FILE (or -)", kFormHelp);
  }
  flags->path = line.positional()[0];
  if (!flags->server.empty() && flags->lexicons.has_value()) {
    return Usage(
        "--lexicons cannot be used with --server (the server has its own)",
        kFormHelp);
  }
  return std::nullopt;
}

// The form in `content` (HTML or JSON), with --lang and --employer applied.
absl::StatusOr<v1::ScanFormRequest> FormRequest(const FormFlags& flags,
                                                const std::string& content) {
  absl::StatusOr<v1::ScanFormRequest> request =
      formats::FormFromFile(flags.path, content);
  if (!request.ok()) return request.status();
  if (!flags.lang.empty() && flags.lang != "auto") {
    request->set_language_code(flags.lang);
  }
  if (flags.lang == "auto") request->clear_language_code();
  if (flags.employer.has_value()) request->set_employer_type(*flags.employer);
  return request;
}

}  // namespace

int FormCommand(int argc, char** argv) {
  FormFlags flags;
  if (std::optional<int> done = ParseFormFlags(argc, argv, &flags)) {
    return *done;
  }
  const std::string name = InputName(flags.path);
  auto fail = [&](absl::string_view message) {
    std::cerr << "divcheck: " << name << ": " << message << "\n";
    return kExitUsage;
  };
  absl::StatusOr<std::string> content =
      ReadInput(flags.path, kDefaultMaxInputBytes * 4);
  if (!content.ok()) {
    std::cerr << "divcheck: " << content.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<v1::ScanFormRequest> request = FormRequest(flags, *content);
  if (!request.ok()) return fail(request.status().message());

  std::unique_ptr<ScanBackend> backend =
      MakeScanBackend(flags.server, flags.lexicons, kDefaultMaxInputBytes);
  if (backend == nullptr) return kExitUsage;
  absl::StatusOr<v1::ScanFormResponse> response = backend->ScanForm(*request);
  if (!response.ok()) return fail(response.status().message());
  int exit_code = kExitOk;
  for (const v1::Finding& f : response->report().findings()) {
    if (f.severity() >= flags.report.fail_on) exit_code = kExitFindings;
  }
  std::cout << (flags.report.format == "json"
                    ? FormatFormJson(*response) + "\n"
                    : FormatFormText(name, *response, flags.report.style))
            << std::flush;
  return exit_code;
}

}  // namespace divcheck::cli
