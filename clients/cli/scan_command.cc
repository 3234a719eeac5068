#include "clients/cli/scan_command.h"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "api/scan_api.h"
#include "api/scan_options.h"
#include "clients/cli/backend.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/fleet.h"
#include "clients/cli/report_format.h"
#include "formats/document.h"

namespace divcheck::cli {

const char kScanHelp[] = R"(Usage: divcheck scan [options] FILE... | -

Scans each FILE (`-` reads standard input) and prints, for
every finding, `file:line:col: severity: message [rule-id]` with the words
found, what to write instead and the legal basis, then the score (0–100,
100 = nothing to improve) and grade. A FILE may be text (UTF-8, UTF-16 with
a byte order mark, Windows-1252/Latin-1), HTML, Word (.docx), OpenDocument
(.odt) or PDF, found from its content; lines, columns and offsets are those
of the text read from it (`divcheck extract FILE` prints that text).

Options:
  --format=text|json     text (default) is for people; json prints each
                         report as one line of proto3 JSON (one line per file)
  --include-text         with --format=json: print per file
                         {"report":…,"extractedText":…,"detectedFormat":…,
                         "detectedEncoding":…} (ScanDocument's answer), so
                         the offsets can be looked up in the text read.
                         For HTML files each finding and highlight has
                         "elementPath", a CSS selector of the element it
                         starts in (also shown in text output)
  --encoding=NAME        read text and HTML files in this encoding instead
                         of detecting it: utf-8, utf-16, windows-1252,
                         latin-1 or another ICU converter name
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
  --disable=RULE,...     leave out the findings and highlights of these
                         rules (ids as in the findings, or as ListRules or
                         GET /v1/rules list them, e.g.
                         de.age.junges_team); an unknown id is an error
  --only=RULE,...        report only these rules
  --min-severity=hint|warning|critical
                         leave out findings below this severity (default
                         hint: all)
  --employer=private|public|religious|tendency
                         who publishes the ad: religious = church employer
                         (§ 9 AGG), so a religion requirement is lowered to
                         a hint with a note; private or public = not a
                         church employer even if the text names one;
                         default: detected from the text
  --trace                after each report, list every candidate finding:
                         the rule and words that matched, the severity the
                         rule gave, and each context rule, negation,
                         disclaimer or overlap that lowered, raised or
                         dropped it ("why (not)?"; in-process, text only)
  --gender-form=pair|star|colon|neutral|marker
                         the gender-fair form a one-sex job title's
                         replacement comes first in: Verkäuferin/Verkäufer,
                         Verkäufer*in, Verkäufer:in, Verkaufskraft (pair
                         where a title has no neutral noun) or Verkäufer
                         (m/w/d); default: neutral nouns, then pair, star
                         and marker
  --report-lang=de|en    language of the messages; there are no
                         translations, so only the ad's own language is
                         accepted (anything else is an error)
  --server=ADDRESSES     scan through divcheckd instead of in-process; the
                         output is the same. One HOST:PORT, a
                         comma-separated list of replicas
                         (10.0.0.5:8443,10.0.0.6:8443; IP addresses), or
                         one name resolving to every replica
                         (dns:///NAME:PORT): documents are read here and
                         their text is sent; the files are spread over all
                         replicas (gRPC round_robin), several at a time,
                         and printed in the order given; a file whose
                         replica went away is sent again (up to 5 tries).
                         On a terminal, progress goes to standard error.
  --concurrency=N        files in flight with --server (default 32)
                         The API key for --server, if the server wants
                         one, is read from $DIVCHECK_API_KEY or the file
                         $DIVCHECK_API_KEY_FILE (sent only over TLS or to
                         loopback addresses, unless
                         DIVCHECK_INSECURE_SEND_KEY=1; docs/API.md)
)" DIVCHECK_CLI_TLS_HELP R"(
The filters (--disable, --only, --min-severity) apply before scoring:
score, grade and counts are those of the findings shown (docs/SCORING.md).

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
  ConnectionFlags remote;
  int concurrency = kDefaultConcurrency;
  std::vector<std::string> inputs;
  // The per-request options of every ScanTextRequest (fields 110–114).
  v1::ScanTextRequest options;
  bool trace = false;
  std::string encoding;  // "" (detect) or an ICU converter name
  bool include_text = false;
};

std::string SeverityWord(v1::Severity s) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(v1::Severity_Name(s), "SEVERITY_"));
}

// The --trace section after a report: one block per candidate finding.
std::string FormatTrace(const std::vector<TraceEntry>& trace) {
  std::string out =
      absl::StrCat("  trace: ", trace.size(), " candidate finding(s)\n");
  for (const TraceEntry& t : trace) {
    absl::StrAppend(
        &out, "    [", EscapeForTerminal(t.rule_id), "] \"",
        EscapeForTerminal(t.matched_text), "\" (bytes ", t.byte_begin, "-",
        t.byte_end, "): rule gives ", SeverityWord(t.initial_severity), "; ",
        t.reported
            ? absl::StrCat("reported as ", SeverityWord(t.final_severity))
            : std::string("not reported"),
        "\n");
    for (const std::string& step : t.steps) {
      absl::StrAppend(&out, "      - ", EscapeForTerminal(step), "\n");
    }
  }
  return out;
}

// "a,b,,c" as {"a", "b", "c"}.
void AddCommaList(const std::string& list,
                  google::protobuf::RepeatedPtrField<std::string>* out) {
  for (absl::string_view id : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    out->Add(std::string(id));
  }
}

// --disable, --only, --min-severity, --employer, --report-lang and
// --gender-form into
// *options. Returns an exit status for a usage error, else nullopt; the
// rule ids and the report language are checked by the api (in-process or
// the server), so both give the same error.
std::optional<int> CheckOptionFlags(
    const std::optional<std::string>& disable,
    const std::optional<std::string>& only,
    const std::optional<std::string>& min_severity,
    const std::optional<std::string>& employer,
    const std::optional<std::string>& report_lang,
    const std::optional<std::string>& gender_form,
    v1::ScanTextRequest* options) {
  if (disable.has_value()) {
    AddCommaList(*disable, options->mutable_disabled_rules());
  }
  if (only.has_value()) AddCommaList(*only, options->mutable_only_rules());
  if (min_severity.has_value()) {
    const std::optional<v1::Severity> s = SeverityByName(*min_severity);
    if (!s.has_value()) {
      return Usage("--min-severity must be hint, warning or critical",
                   kScanHelp);
    }
    options->set_min_severity(*s);
  }
  if (employer.has_value()) {
    const std::optional<v1::EmployerType> e = EmployerTypeByName(*employer);
    if (!e.has_value()) {
      return Usage("--employer must be private, public, religious or tendency",
                   kScanHelp);
    }
    options->set_employer_type(*e);
  }
  if (report_lang.has_value()) options->set_report_language(*report_lang);
  if (gender_form.has_value()) {
    const std::optional<v1::GenderForm> g = api::GenderFormByName(*gender_form);
    if (!g.has_value()) {
      return Usage("--gender-form must be pair, star, colon, neutral or marker",
                   kScanHelp);
    }
    options->set_gender_form(*g);
  }
  return std::nullopt;
}

// Parses and checks the command line. Returns an exit status when the
// command is done (help printed, or a usage error), else nullopt.
std::optional<int> ParseScanFlags(int argc, char** argv, ScanFlags* flags) {
  CommandLine line;
  ReportFlagValues report;
  std::string lang = "auto";
  std::optional<std::string> max_bytes, concurrency;
  AddReportFlags(&line, &report);
  line.Add("concurrency", &concurrency);
  line.Add("lang", &lang);
  line.Add("lexicons", &flags->lexicons);
  line.Add("max-bytes", &max_bytes);
  AddConnectionFlags(&line, &flags->remote);
  std::optional<std::string> disable, only, min_severity, employer, report_lang,
      gender_form;
  line.Add("disable", &disable);
  line.Add("only", &only);
  line.Add("min-severity", &min_severity);
  line.Add("employer", &employer);
  line.Add("report-lang", &report_lang);
  line.Add("gender-form", &gender_form);
  line.AddFlag("trace", &flags->trace);
  line.Add("encoding", &flags->encoding);
  line.AddFlag("include-text", &flags->include_text);
  if (std::optional<int> done =
          ParseCommandLine(&line, argc, argv, kScanHelp)) {
    return done;
  }
  if (!flags->encoding.empty()) {
    if (absl::Status s = formats::CheckEncoding(flags->encoding); !s.ok()) {
      return Usage(absl::StrCat("--encoding: ", s.message()), kScanHelp);
    }
  }
  if (std::optional<int> done =
          CheckOptionFlags(disable, only, min_severity, employer, report_lang,
                           gender_form, &flags->options)) {
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
  if (std::optional<int> done =
          ParseConcurrency(concurrency, &flags->concurrency, kScanHelp)) {
    return done;
  }
  if (std::optional<int> done = CheckServerFlag(flags->remote, kScanHelp)) {
    return done;
  }
  flags->inputs = line.positional();
  if (flags->inputs.empty()) {
    return Usage("no input: name one or more files, or - for standard input",
                 kScanHelp);
  }
  if (flags->trace && flags->report.format != "text") {
    return Usage("--trace prints text: use it with --format=text", kScanHelp);
  }
  if (flags->trace && !flags->remote.server.empty()) {
    return Usage(
        "--trace works in-process only (a server does not send its trace)",
        kScanHelp);
  }
  if (!flags->remote.server.empty() && flags->lexicons.has_value()) {
    return Usage(
        "--lexicons cannot be used with --server (the server has its own)",
        kScanHelp);
  }
  return std::nullopt;
}

// Appends the report on one input to *out as --format asks: with the
// element paths of an HTML input (as ScanDocument gives them, then
// forgotten), with what was read (`read`, for --include-text) and the trace.
void AppendReport(const ScanFlags& flags, const std::string& name,
                  const v1::Report& report, formats::ExtractedText* read,
                  formats::ElementPaths* element_paths,
                  const std::vector<TraceEntry>& trace, std::string* out) {
  v1::Report with_paths;
  const v1::Report* shown = &report;
  if (!element_paths->empty()) {
    with_paths = report;
    api::AddElementPaths(*element_paths, &with_paths);
    *element_paths = formats::ElementPaths();
    shown = &with_paths;
  }
  if (flags.report.format == "json" && read != nullptr) {
    v1::ScanDocumentResponse response;
    *response.mutable_report() = *shown;
    response.set_extracted_text(std::move(read->text));
    response.set_detected_format(formats::FormatName(read->format));
    response.set_detected_encoding(read->encoding);
    absl::StrAppend(out, FormatJsonMessage(response), "\n");
  } else if (flags.report.format == "json") {
    absl::StrAppend(out, FormatJson(*shown), "\n");
  } else {
    absl::StrAppend(out, FormatText(name, *shown, flags.report.style));
    if (flags.trace) absl::StrAppend(out, FormatTrace(trace), "\n");
  }
}

}  // namespace

int ScanCommand(int argc, char** argv) {
  ScanFlags flags;
  if (std::optional<int> done = ParseScanFlags(argc, argv, &flags)) {
    return *done;
  }
  std::unique_ptr<ScanBackend> backend = MakeScanBackend(
      flags.remote, flags.lexicons, flags.max_bytes, flags.concurrency);
  if (backend == nullptr) return kExitUsage;
  std::vector<TraceEntry> trace;
  if (flags.trace) backend->SetTrace(&trace);
  v1::ScanTextRequest request = flags.options;
  request.set_language_code(flags.lang);
  // Said, not left to the default: a server refuses a request that sets no
  // field (an empty file with --lang=auto would be one).
  request.set_document_kind(v1::DOCUMENT_KIND_JOB_AD);

  int exit_code = kExitOk;
  bool input_error = false;
  bool not_checked = false;
  std::string out;
  const size_t n = flags.inputs.size();
  std::vector<char> read_failed(n, 0);
  // With --include-text: what was read from each input.
  std::vector<formats::ExtractedText> read(flags.include_text ? n : 0);
  // HTML inputs: which element each part of the text came from, until the
  // input's report is out.
  std::vector<formats::ElementPaths> element_paths(n);
  std::atomic<size_t> done{0};
  // Progress of a bulk run through servers, on a terminal.
  std::optional<Progress> progress;
  if (!flags.remote.server.empty() && n > 1) progress.emplace(n, &done);
  auto make = [&](size_t i, v1::ScanTextRequest* r) {
    // Read with room above the limit, so that the api (in-process or the
    // server's) is what refuses a text too large, with the same words.
    absl::StatusOr<formats::ExtractedText> doc = ReadDocumentInput(
        flags.inputs[i], 4 * flags.max_bytes, flags.encoding, "");
    if (!doc.ok()) {
      read_failed[i] = 1;
      return doc.status();
    }
    *r = request;
    element_paths[i] = std::move(doc->element_paths);
    if (flags.include_text) {
      r->set_text(doc->text);
      read[i] = *std::move(doc);
    } else {
      r->set_text(std::move(doc->text));
    }
    return absl::OkStatus();
  };
  // Called for each input in order.
  auto report_one = [&](size_t i, const absl::Status& scanned,
                        const v1::Report& report) {
    done.fetch_add(1);
    const std::string& path = flags.inputs[i];
    if (!scanned.ok()) {
      std::cout << out << std::flush;
      out.clear();
      // Read errors name the input; scan errors get the path in front.
      const std::string line =
          absl::StrCat("divcheck: ", read_failed[i] ? "" : path + ": ",
                       scanned.message(), "\n");
      if (progress.has_value()) {
        progress->Print(line);
      } else {
        std::cerr << line;
      }
      input_error = true;
      return;
    }
    for (const v1::Finding& f : report.findings()) {
      if (f.severity() >= flags.report.fail_on) exit_code = kExitFindings;
    }
    // UNSPECIFIED: a server older than the field; its reports were checked.
    if (report.coverage() != v1::COVERAGE_CHECKED &&
        report.coverage() != v1::COVERAGE_UNSPECIFIED) {
      not_checked = true;
    }
    AppendReport(flags, InputName(path), report,
                 flags.include_text ? &read[i] : nullptr, &element_paths[i],
                 trace, &out);
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  };
  backend->ScanEach(n, make, report_one, nullptr);
  progress.reset();
  std::cout << out << std::flush;
  if (input_error) return kExitUsage;
  if (exit_code == kExitOk && not_checked) return kExitNotChecked;
  return exit_code;
}

}  // namespace divcheck::cli
