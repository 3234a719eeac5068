// divcheck: the command-line client. Scans job ads in-process or through a
// divcheckd server, checks lexicons, and load-tests a server.
//
//   divcheck scan [--format=text|json] [--lang=auto|de|en]
//                 [--fail-on=hint|warning|critical] [--server=HOST:PORT]
//                 FILE... | -
//   divcheck form [--format=text|json] [--lang=auto|de|en]
//                 [--employer=private|public|religious|tendency]
//                 [--fail-on=hint|warning|critical] [--server=HOST:PORT] FILE
//   divcheck lexicon validate [DIR]
//   divcheck lexicon stats [DIR] [--format=text|json]
//   divcheck bench --server=HOST:PORT [--concurrency=N] [--duration=S] FILE
//   divcheck assess [SUBCOMMAND] …   (clients/cli/assess_command.h)
//
// Exit status: 0 nothing reached --fail-on; 1 something did (or, for
// `lexicon validate`, the lexicons have problems); 2 usage or input errors.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "base/data_dir.h"
#include "analyzers/document.h"
#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"
#include "clients/cli/args.h"
#include "clients/cli/assess_command.h"
#include "clients/cli/form_input.h"
#include "clients/cli/remote.h"
#include "clients/cli/report_format.h"

namespace divcheck::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

const char kMainHelp[] =
    R"(divcheck — checks job ads for discriminatory and exclusionary wording
(German AGG; German and English ads).

Usage:
  divcheck scan [options] FILE... | -     scan job ads and print a report
  divcheck form [options] FILE            audit an application form (HTML or JSON)
  divcheck lexicon validate [DIR]         list every problem in the lexicons
  divcheck lexicon stats [DIR]            count lexicon entries and terms
  divcheck bench --server=HOST:PORT FILE  load-test a divcheckd server
  divcheck assess [SUBCOMMAND]            employer self-assessment (Diversity-Check)
  divcheck help [COMMAND]                 show help for a command
  divcheck --version

Run `divcheck scan --help` for the scan options.
)";

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
                         $DIVCHECK_API_KEY

Exit status: 0 nothing reached --fail-on, 1 something did, 2 usage or input
errors (missing file, invalid UTF-8, input too large); the other files are
still scanned.
)";

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

const char kLexiconHelp[] = R"(Usage:
  divcheck lexicon validate [DIR]
      Loads every *.textproto below DIR (default: the lexicons in use) and
      prints every problem as file:line:col: message. Exit status 0 when
      there is none, 1 when there are problems, 2 when DIR is missing.
  divcheck lexicon stats [DIR] [--format=text|json]
      Prints the number of entries and matchable terms per language, kind,
      dimension and severity.
)";

const char kBenchHelp[] =
    R"(Usage: divcheck bench --server=HOST:PORT [options] FILE

A closed-loop load generator: keeps N ScanText calls in flight against a
divcheckd server for the given time, sending FILE each time, and prints
requests per second and the latency percentiles of the calls that finished
after the warm-up. The answer to a first call must be a report, and every
later answer must be byte for byte the same (the same text is sent each
time); a failed call or a different answer counts as an error. On a
terminal, standard error shows the calls measured so far each second.

Options:
  --server=HOST:PORT     the server (required)
  --concurrency=N        calls in flight (default 16)
  --duration=S           seconds to measure (default 10)
  --warmup=S             seconds before measuring (default 1)
  --channels=N           connections to spread the calls over (default 1)
  --lang=auto|de|en      language sent with each call (default auto)

The API key, if the server wants one, is read from $DIVCHECK_API_KEY.
Exit status: 0 when every call succeeded, 1 when some failed, 2 for usage
errors.
)";

std::string DefaultLexiconDir() {
  return FindDataDir("DIVCHECK_LEXICONS", "lexicons", DIVCHECK_SOURCE_LEXICONS);
}

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck: " << error << "\n\n" << help;
  return kExitUsage;
}

// Reads a whole file or standard input. Errors name the file.
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

int PrintProblems(const std::vector<LexiconProblem>& problems) {
  for (const LexiconProblem& p : problems) std::cerr << p.ToString() << "\n";
  return kExitFindings;
}

// The flags `scan` and `form` share: how to print reports and which
// findings make the exit status 1.
struct ReportFlags {
  std::string format;  // "text" or "json"
  v1::Severity fail_on = v1::SEVERITY_CRITICAL;
  TextStyle style;
};

// Reads --format, --fail-on and --color; an error names the bad value.
absl::StatusOr<ReportFlags> ParseReportFlags(const Args& args) {
  ReportFlags flags;
  flags.format = FlagOr(args, "format", "text");
  if (flags.format != "text" && flags.format != "json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format must be text or json, not \"", flags.format, "\""));
  }
  const std::string fail_on = FlagOr(args, "fail-on", "critical");
  if (fail_on == "hint") {
    flags.fail_on = v1::SEVERITY_HINT;
  } else if (fail_on == "warning") {
    flags.fail_on = v1::SEVERITY_WARNING;
  } else if (fail_on != "critical") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--fail-on must be hint, warning or critical, not \"", fail_on, "\""));
  }
  const std::string color = FlagOr(args, "color", "auto");
  if (color != "auto" && color != "always" && color != "never") {
    return absl::InvalidArgumentError("--color must be auto, always or never");
  }
  flags.style.color =
      color == "always" ||
      (color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  return flags;
}

int Scan(int argc, char** argv) {
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, 2,
                 {"format", "lang", "fail-on", "lexicons", "color", "max-bytes",
                  "server"},
                 &args, &error)) {
    return Usage(error, kScanHelp);
  }
  if (args.help) {
    std::cout << kScanHelp;
    return kExitOk;
  }
  absl::StatusOr<ReportFlags> flags = ParseReportFlags(args);
  if (!flags.ok()) {
    return Usage(std::string(flags.status().message()), kScanHelp);
  }
  std::string lang = FlagOr(args, "lang", "auto");
  if (lang != "auto" && lang != "de" && lang != "en") {
    return Usage(
        absl::StrCat("--lang must be auto, de or en, not \"", lang, "\""),
        kScanHelp);
  }
  if (lang == "auto") lang.clear();
  size_t max_bytes = kDefaultMaxInputBytes;
  if (args.flags.count("max-bytes")) {
    char* end = nullptr;
    const std::string& v = args.flags["max-bytes"];
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n == 0) {
      return Usage("--max-bytes must be a positive number", kScanHelp);
    }
    max_bytes = static_cast<size_t>(n);
  }
  if (args.positional.empty()) {
    return Usage("no input: name one or more files, or - for standard input",
                 kScanHelp);
  }

  // The same reports, made in-process or by a server.
  std::unique_ptr<Engine> engine;
  std::unique_ptr<RemoteScanner> remote;
  const std::string server = FlagOr(args, "server", "");
  if (!server.empty()) {
    if (args.flags.count("lexicons")) {
      return Usage(
          "--lexicons cannot be used with --server (the server has its own)",
          kScanHelp);
    }
    const char* key = std::getenv("DIVCHECK_API_KEY");
    remote = std::make_unique<RemoteScanner>(server, key != nullptr ? key : "");
  } else {
    EngineOptions options;
    options.lexicon_dir = FlagOr(args, "lexicons", DefaultLexiconDir());
    options.max_input_bytes = max_bytes;
    std::vector<LexiconProblem> problems;
    absl::StatusOr<std::unique_ptr<Engine>> created =
        Engine::Create(options, &problems);
    if (!created.ok()) {
      std::cerr << "divcheck: cannot load lexicons: "
                << created.status().message() << "\n";
      PrintProblems(problems);
      return kExitUsage;
    }
    engine = *std::move(created);
  }
  ScanOptions scan_options;
  scan_options.language = lang;
  auto scan_remote =
      [&](const std::string& text) -> absl::StatusOr<v1::Report> {
    // Checked here as the engine does in-process, so errors read the same.
    if (text.size() > max_bytes) {
      return absl::InvalidArgumentError(absl::StrCat("input is ", text.size(),
                                                     " bytes; the limit is ",
                                                     max_bytes, " bytes"));
    }
    // Checked here too so that the message is word for word the
    // in-process one.
    if (absl::Status utf8 = Document::Create(text).status();
        absl::IsInvalidArgument(utf8)) {
      return utf8;
    }
    absl::StatusOr<v1::Report> report = remote->Scan(text, lang);
    if (!report.ok() && (absl::IsUnavailable(report.status()) ||
                         absl::IsUnauthenticated(report.status()))) {
      return absl::Status(
          report.status().code(),
          absl::StrCat("server ", server, ": ", report.status().message()));
    }
    return report;
  };
  // One Report reused for every file: protobuf keeps the previous report's
  // strings and messages, so a batch allocates little.
  v1::Report reused;
  auto scan_into = [&](const std::string& text) -> absl::Status {
    if (engine != nullptr)
      return engine->ScanTextInto(text, scan_options, &reused);
    absl::StatusOr<v1::Report> report = scan_remote(text);
    if (!report.ok()) return report.status();
    reused = *std::move(report);
    return absl::OkStatus();
  };

  int exit_code = kExitOk;
  bool input_error = false;
  std::string out;
  for (const std::string& path : args.positional) {
    absl::StatusOr<std::string> text = ReadInput(path, max_bytes);
    const absl::Status scanned = text.ok() ? scan_into(*text) : text.status();
    if (!scanned.ok()) {
      std::cout << out << std::flush;
      out.clear();
      const std::string msg(scanned.message());
      std::cerr << "divcheck: "
                << (absl::StartsWith(msg, path) ? "" : path + ": ") << msg
                << "\n";
      input_error = true;
      continue;
    }
    for (const v1::Finding& f : reused.findings()) {
      if (f.severity() >= flags->fail_on) exit_code = kExitFindings;
    }
    const std::string name = path == "-" ? "<stdin>" : path;
    if (flags->format == "json") {
      absl::StrAppend(&out, FormatJson(reused), "\n");
    } else {
      absl::StrAppend(&out, FormatText(name, reused, flags->style));
    }
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return input_error ? kExitUsage : exit_code;
}

int Form(int argc, char** argv) {
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, 2,
                 {"format", "lang", "employer", "fail-on", "lexicons", "color",
                  "server"},
                 &args, &error)) {
    return Usage(error, kFormHelp);
  }
  if (args.help) {
    std::cout << kFormHelp;
    return kExitOk;
  }
  absl::StatusOr<ReportFlags> flags = ParseReportFlags(args);
  if (!flags.ok()) {
    return Usage(std::string(flags.status().message()), kFormHelp);
  }
  const std::string lang = FlagOr(args, "lang", "");
  if (!lang.empty() && lang != "auto" && lang != "de" && lang != "en") {
    return Usage(
        absl::StrCat("--lang must be auto, de or en, not \"", lang, "\""),
        kFormHelp);
  }
  const std::string employer = FlagOr(args, "employer", "");
  static const std::map<std::string, v1::EmployerType> kEmployers = {
      {"private", v1::EMPLOYER_TYPE_PRIVATE},
      {"public", v1::EMPLOYER_TYPE_PUBLIC},
      {"religious", v1::EMPLOYER_TYPE_RELIGIOUS},
      {"tendency", v1::EMPLOYER_TYPE_TENDENCY}};
  if (!employer.empty() && !kEmployers.count(employer)) {
    return Usage("--employer must be private, public, religious or tendency",
                 kFormHelp);
  }
  if (args.positional.size() != 1)
    return Usage("name exactly one FILE (or -)", kFormHelp);
  const std::string server = FlagOr(args, "server", "");
  if (!server.empty() && args.flags.count("lexicons")) {
    return Usage(
        "--lexicons cannot be used with --server (the server has its own)",
        kFormHelp);
  }

  const std::string& path = args.positional[0];
  const std::string name = path == "-" ? "<stdin>" : path;
  auto fail = [&](absl::string_view message) {
    std::cerr << "divcheck: " << name << ": " << message << "\n";
    return kExitUsage;
  };
  absl::StatusOr<std::string> content =
      ReadInput(path, kDefaultMaxInputBytes * 4);
  if (!content.ok()) {
    std::cerr << "divcheck: " << content.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<v1::ScanFormRequest> request = FormFromFile(path, *content);
  if (!request.ok()) return fail(request.status().message());
  if (!lang.empty() && lang != "auto") request->set_language_code(lang);
  if (lang == "auto") request->clear_language_code();
  if (!employer.empty()) request->set_employer_type(kEmployers.at(employer));

  absl::StatusOr<v1::ScanFormResponse> response;
  if (!server.empty()) {
    const char* key = std::getenv("DIVCHECK_API_KEY");
    RemoteScanner remote(server, key != nullptr ? key : "");
    response = remote.ScanForm(*request);
    if (!response.ok() && (absl::IsUnavailable(response.status()) ||
                           absl::IsUnauthenticated(response.status()))) {
      return fail(
          absl::StrCat("server ", server, ": ", response.status().message()));
    }
  } else {
    EngineOptions options;
    options.lexicon_dir = FlagOr(args, "lexicons", DefaultLexiconDir());
    std::vector<LexiconProblem> problems;
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        Engine::Create(options, &problems);
    if (!engine.ok()) {
      std::cerr << "divcheck: cannot load lexicons: "
                << engine.status().message() << "\n";
      PrintProblems(problems);
      return kExitUsage;
    }
    response = (*engine)->ScanForm(*request, ScanOptions());
  }
  if (!response.ok()) return fail(response.status().message());
  int exit_code = kExitOk;
  for (const v1::Finding& f : response->report().findings()) {
    if (f.severity() >= flags->fail_on) exit_code = kExitFindings;
  }
  std::cout << (flags->format == "json"
                    ? FormatFormJson(*response) + "\n"
                    : FormatFormText(name, *response, flags->style))
            << std::flush;
  return exit_code;
}

int LexiconCommand(int argc, char** argv) {
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, 2, {"format"}, &args, &error)) {
    return Usage(error, kLexiconHelp);
  }
  if (args.help || args.positional.empty()) {
    std::cout << kLexiconHelp;
    return args.help ? kExitOk : kExitUsage;
  }
  const std::string sub = args.positional[0];
  if (sub != "validate" && sub != "stats") {
    return Usage(absl::StrCat("unknown lexicon command \"", sub, "\""),
                 kLexiconHelp);
  }
  if (args.positional.size() > 2)
    return Usage("too many arguments", kLexiconHelp);
  const std::string dir =
      args.positional.size() == 2 ? args.positional[1] : DefaultLexiconDir();
  std::vector<LexiconProblem> problems;
  absl::StatusOr<std::shared_ptr<const LexiconSet>> set =
      LexiconSet::Load(dir, &problems);
  if (!set.ok()) {
    if (absl::IsNotFound(set.status())) {
      std::cerr << "divcheck: " << set.status().message() << "\n";
      return kExitUsage;
    }
    PrintProblems(problems);
    std::cerr << "divcheck: " << set.status().message() << "\n";
    return kExitFindings;
  }
  const LexiconStats stats = CountLexiconTerms(**set);
  if (sub == "validate") {
    std::cout << "lexicons OK: " << stats.files << " files, " << stats.entries
              << " entries, " << stats.terms << " terms, " << stats.job_titles
              << " job titles, " << stats.form_rules
              << " form-field rules (version " << stats.content_hash << ") in "
              << dir << "\n";
    return kExitOk;
  }

  // stats
  const std::string format = FlagOr(args, "format", "text");
  if (format == "json") {
    std::string out = "{";
    bool first_lang = true;
    auto obj = [](const std::map<std::string, size_t>& m) {
      std::vector<std::string> parts;
      for (const auto& [k, v] : m)
        parts.push_back(absl::StrCat("\"", k, "\":", v));
      return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
    };
    for (const auto& [lang, c] : stats.by_language) {
      absl::StrAppend(
          &out, first_lang ? "" : ",", "\"", lang,
          "\":{\"entries\":", c.entries, ",\"terms\":", c.terms,
          ",\"jobTitles\":", c.job_titles,
          ",\"matchableConcepts\":", c.matchable_concepts,
          ",\"entriesByKind\":", obj(c.entries_by_kind),
          ",\"termsByKind\":", obj(c.terms_by_kind),
          ",\"findingTermsByDimension\":", obj(c.finding_terms_by_dimension),
          ",\"findingTermsBySeverity\":", obj(c.finding_terms_by_severity), "}");
      first_lang = false;
    }
    out += "}\n";
    std::cout << out;
    return kExitOk;
  }
  std::cout << "lexicon version " << stats.content_hash << " (" << dir
            << ")\n";
  for (const auto& [lang, c] : stats.by_language) {
    std::cout << "\n[" << lang << "] " << c.entries << " entries, " << c.terms
              << " terms, " << c.job_titles << " job titles; "
              << c.matchable_concepts
              << " matchable concepts (finding, highlight and gender-coded "
                 "terms + job "
                 "titles; context cues not counted)\n";
    std::cout << "  terms by kind:";
    for (const auto& [k, v] : c.terms_by_kind)
      std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by dimension:";
    for (const auto& [k, v] : c.finding_terms_by_dimension)
      std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by severity:";
    for (const auto& [k, v] : c.finding_terms_by_severity)
      std::cout << " " << k << "=" << v;
    std::cout << "\n";
  }
  return kExitOk;
}

int Bench(int argc, char** argv) {
  Args args;
  std::string error;
  if (!ParseArgs(
          argc, argv, 2,
          {"server", "concurrency", "duration", "warmup", "channels", "lang"},
          &args, &error)) {
    return Usage(error, kBenchHelp);
  }
  if (args.help) {
    std::cout << kBenchHelp;
    return kExitOk;
  }
  BenchOptions options;
  options.address = FlagOr(args, "server", "");
  if (options.address.empty()) return Usage("--server is required", kBenchHelp);
  if (args.positional.size() != 1)
    return Usage("name exactly one FILE", kBenchHelp);
  auto positive = [&args](const std::string& name, int fallback, int* out) {
    const std::string v = FlagOr(args, name, std::to_string(fallback));
    char* end = nullptr;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < (name == "warmup" ? 0 : 1) ||
        n > 100000) {
      return false;
    }
    *out = static_cast<int>(n);
    return true;
  };
  int duration = 0, warmup = 0;
  if (!positive("concurrency", 16, &options.concurrency) ||
      !positive("duration", 10, &duration) || !positive("warmup", 1, &warmup) ||
      !positive("channels", 1, &options.channels)) {
    return Usage(
        "--concurrency, --duration and --channels must be positive numbers, "
        "--warmup at least 0",
        kBenchHelp);
  }
  options.duration = std::chrono::seconds(duration);
  options.warmup = std::chrono::seconds(warmup);
  options.language = FlagOr(args, "lang", "auto");
  if (options.language == "auto") options.language.clear();
  const std::string& path = args.positional[0];
  absl::StatusOr<std::string> text = ReadInput(path, kDefaultMaxInputBytes);
  if (!text.ok()) {
    std::cerr << "divcheck: " << text.status().message() << "\n";
    return kExitUsage;
  }
  options.text = *std::move(text);
  const char* key = std::getenv("DIVCHECK_API_KEY");
  options.api_key = key != nullptr ? key : "";

  std::cout << "divcheck bench: " << options.address << ", "
            << options.concurrency << " in flight over " << options.channels
            << " connection(s), " << warmup << " s warm-up + " << duration
            << " s, " << path << " (" << options.text.size() << " bytes, lang "
            << (options.language.empty() ? "auto" : options.language) << ")\n"
            << std::flush;
  // Progress on a terminal, overwritten in place each second.
  const bool show_progress = isatty(STDERR_FILENO);
  if (show_progress) {
    options.progress = [warmup](double seconds, uint64_t measured,
                                uint64_t errors) {
      std::cerr << absl::StrFormat(
                       "\r%4.0f s  %s%d calls measured, %d errors ", seconds,
                       seconds < warmup ? "(warm-up) " : "", measured, errors)
                << std::flush;
    };
  }
  const BenchResult r = RunBench(options);
  if (show_progress) std::cerr << "\r\033[K" << std::flush;
  std::cout << absl::StrFormat(
      "requests: %d ok, %d errors in %.1f s\n"
      "throughput: %.0f requests/s\n"
      "latency: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
      r.ok, r.errors, r.seconds, r.requests_per_second, r.p50_ms, r.p90_ms,
      r.p99_ms, r.max_ms);
  if (r.errors > 0) {
    std::cerr << "divcheck: first error: " << r.first_error << "\n";
    return kExitFindings;
  }
  return r.ok > 0 ? kExitOk : kExitFindings;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kMainHelp;
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") {
    std::cout << kMainHelp;
    return kExitOk;
  }
  if (cmd == "help") {
    const std::string topic = argc > 2 ? argv[2] : "";
    std::cout << (topic == "scan"      ? kScanHelp
                  : topic == "form"    ? kFormHelp
                  : topic == "lexicon" ? kLexiconHelp
                  : topic == "bench"   ? kBenchHelp
                  : topic == "assess"  ? kAssessHelp
                                       : kMainHelp);
    return kExitOk;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "divcheck " << DIVCHECK_VERSION << "\n";
    return kExitOk;
  }
  if (cmd == "scan") return Scan(argc, argv);
  if (cmd == "form") return Form(argc, argv);
  if (cmd == "lexicon") return LexiconCommand(argc, argv);
  if (cmd == "bench") return Bench(argc, argv);
  if (cmd == "assess") return AssessCommand(argc, argv);
  return Usage(absl::StrCat("unknown command \"", cmd, "\""), kMainHelp);
}

}  // namespace
}  // namespace divcheck::cli

int main(int argc, char** argv) {
  // Debian's Abseil is built with Mutex deadlock detection on; gRPC locks an
  // absl::Mutex on every call, and the cycle bookkeeping is pure overhead for
  // the remote commands (a few per cent of `divcheck bench`'s CPU).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return divcheck::cli::Main(argc, argv);
}
