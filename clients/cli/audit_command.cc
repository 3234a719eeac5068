#include "clients/cli/audit_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "analyzers/engine.h"
#include "api/scan_api.h"
#include "clients/cli/audit_input.h"
#include "clients/cli/audit_output.h"
#include "clients/cli/audit_remote.h"
#include "clients/cli/audit_report.h"
#include "clients/cli/audit_summary.h"
#include "clients/cli/backend.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/connection.h"
#include "clients/cli/fleet.h"
#include "formats/document.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {

const char kAuditHelp[] = R"(Usage: divcheck audit [options] INPUT...
Checks a whole catalogue of job ads and prints a summary: how many ads have
critical findings, warnings only, or none; per dimension and per rule; the
score distribution; the ten lowest scores; and, when the input has dates or
categories, the figures per month and per category.

INPUT is one of:
  a directory   every document below it (.txt, .html, .htm, .docx, .odt,
                .pdf; text in UTF-8, UTF-16 or Windows-1252), one ad each;
                the id is the path below the directory
  FILE.jsonl    a JSON-lines file (also *.ndjson; "-" reads one from
                standard input), one ad a line: {"id": "A-17", "text": "…",
                "lang": "de", "date": "2026-03-15", "category": "Berlin"}
                (only "text" is needed)
  FILE.csv      a CSV file with a header row, one ad per record; the
                columns id and text are needed, lang, date and category are
                read when there (names: see --csv-*); fields may be quoted
                ("…") and hold commas, line breaks and doubled quotes
  any other     one ad (a document as above); the id is its path
Dates are read as 2026-03-15, 2026-03, 2026/03/15 or 15.03.2026.

Options:
  --output=FILE        the result of each ad (id, score, grade, coverage,
                       language, counts per severity and dimension, rule
                       ids, date, category, error), written as the audit
                       goes, in input order
  --output-format=jsonl|csv  the form of --output (default: csv for a
                       FILE ending in .csv, JSON lines otherwise)
  --resume             continue an audit that was stopped: ads whose id is
                       in --output already are skipped, the new results are
                       appended, and the summary covers them all
  --report=FILE[,FILE] also write a report: FILE.html (a page to open and
                       print, with charts; no scripts, works offline) or
                       FILE.json (the summary for dashboards)
  --summary=text|json  the summary's form on standard output (default text)
  --csv-id=NAME, --csv-text=NAME, --csv-lang=NAME, --csv-date=NAME,
  --csv-category=NAME  the CSV columns (default: id, text, lang, date,
                       category; header names are compared ignoring case)
  --csv-delimiter=,|;|tab  default: guessed from the header line
  --files-from=LIST    also audit the files named in LIST, one path a line
                       ("-": standard input)
  --lang=auto|de|en    language of ads without their own (default auto)
  --jobs=N             worker threads (default: one per core)
  --max-bytes=N        largest ad in bytes (default 1048576)
  --lexicons=DIR       lexicon directory (default: the installed lexicons)
  --server=ADDRESSES   audit through divcheckd instead of in-process: one
                       HOST:PORT, a comma-separated list of them
                       (10.0.0.5:8443,10.0.0.6:8443; IP addresses), or one
                       name resolving to every replica (dns:///NAME:PORT);
                       the ads are spread over all replicas (gRPC
                       round_robin) and an ad whose replica went away is
                       sent again (up to 5 tries); the API key and TLS
                       flags are those of `divcheck scan --help`
  --concurrency=N      ads in flight with --server (default 32); enough to
                       keep every replica's cores busy
)" DIVCHECK_CLI_TLS_HELP R"(
On a terminal, progress (ads done, ads/s, time left) goes to standard
error. Ctrl-C stops the audit and prints the summary of the ads done
(and writes their results and reports); --resume continues it.
Exit status: 0 done; 2 usage errors, or an input or ad that could not be
read or scanned (counted as errors and listed on standard error; the
others are still audited); 130 stopped by Ctrl-C.
)";

namespace {

// 128 + SIGINT, as shells report a command stopped by Ctrl-C.
constexpr int kExitInterrupted = 130;

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

struct AuditFlags {
  std::string lang;
  size_t max_bytes = kDefaultMaxInputBytes;
  int jobs = 1;  // worker threads; --jobs, or one per core
  std::string summary = "text";
  std::optional<std::string> output;
  ResultFormat output_format = ResultFormat::kJsonLines;
  bool resume = false;
  std::vector<std::string> reports;
  std::optional<std::string> lexicons;
  AuditInputOptions input;
  ConnectionFlags remote;  // --server and TLS: audit_remote.h
  int concurrency = kDefaultConcurrency;
};

// The options that are not about the CSV columns.
struct RawFlags {
  std::string lang = "auto";
  std::optional<std::string> jobs, max_bytes, output_format, report, delimiter,
      files_from;
};

std::optional<int> CheckOutputFlags(const RawFlags& raw, AuditFlags* flags) {
  if (raw.output_format.has_value()) {
    if (*raw.output_format == "csv") {
      flags->output_format = ResultFormat::kCsv;
    } else if (*raw.output_format != "jsonl") {
      return Usage("--output-format must be jsonl or csv", kAuditHelp);
    }
  } else if (flags->output.has_value() &&
             absl::EndsWithIgnoreCase(*flags->output, ".csv")) {
    flags->output_format = ResultFormat::kCsv;
  }
  if (flags->resume && !flags->output.has_value()) {
    return Usage("--resume needs the --output file of the audit to continue",
                 kAuditHelp);
  }
  if (raw.report.has_value()) {
    for (absl::string_view r : absl::StrSplit(*raw.report, ',')) {
      if (!absl::EndsWithIgnoreCase(r, ".html") &&
          !absl::EndsWithIgnoreCase(r, ".htm") &&
          !absl::EndsWithIgnoreCase(r, ".json")) {
        return Usage(
            absl::StrCat("--report: \"", r, "\" must end in .html or .json"),
            kAuditHelp);
      }
      flags->reports.emplace_back(r);
    }
  }
  CsvColumns& csv = flags->input.csv;
  if (raw.delimiter.has_value()) {
    if (*raw.delimiter == "," || *raw.delimiter == ";") {
      csv.delimiter = (*raw.delimiter)[0];
    } else if (*raw.delimiter == "tab" || *raw.delimiter == "\t") {
      csv.delimiter = '\t';
    } else {
      return Usage("--csv-delimiter must be ',', ';' or tab", kAuditHelp);
    }
  }
  for (const std::string* column :
       {&csv.id, &csv.text, &csv.lang, &csv.date, &csv.category}) {
    if (absl::StripAsciiWhitespace(*column).empty()) {
      return Usage("a --csv-… column name must not be empty", kAuditHelp);
    }
  }
  if (raw.files_from.has_value()) flags->input.lists.push_back(*raw.files_from);
  return std::nullopt;
}

std::optional<int> ParseAuditFlags(int argc, char** argv, AuditFlags* flags) {
  CommandLine line;
  RawFlags raw;
  std::optional<std::string> csv_lang, csv_date, csv_category;
  line.Add("lang", &raw.lang);
  line.Add("jobs", &raw.jobs);
  line.Add("max-bytes", &raw.max_bytes);
  line.Add("summary", &flags->summary);
  line.Add("output", &flags->output);
  line.Add("output-format", &raw.output_format);
  line.AddFlag("resume", &flags->resume);
  line.Add("report", &raw.report);
  line.Add("lexicons", &flags->lexicons);
  line.Add("csv-id", &flags->input.csv.id);
  line.Add("csv-text", &flags->input.csv.text);
  line.Add("csv-lang", &csv_lang);
  line.Add("csv-date", &csv_date);
  line.Add("csv-category", &csv_category);
  line.Add("csv-delimiter", &raw.delimiter);
  line.Add("files-from", &raw.files_from);
  std::optional<std::string> concurrency;
  AddConnectionFlags(&line, &flags->remote);
  line.Add("concurrency", &concurrency);
  if (std::optional<int> done = ParseCommandLine(&line, argc, argv, kAuditHelp))
    return done;
  if (std::optional<int> done =
          ParseConcurrency(concurrency, &flags->concurrency, kAuditHelp))
    return done;
  if (std::optional<int> done = CheckServerFlag(flags->remote, kAuditHelp))
    return done;
  if (!flags->remote.server.empty() && flags->lexicons.has_value()) {
    return Usage("--lexicons cannot be used with --server", kAuditHelp);
  }
  if (std::optional<int> done = CheckLangFlag(raw.lang, kAuditHelp))
    return done;
  flags->lang = raw.lang == "auto" ? "" : raw.lang;
  CsvColumns& csv = flags->input.csv;
  // A column named on the command line must be there.
  csv.required_lang = csv_lang.has_value();
  csv.required_date = csv_date.has_value();
  csv.required_category = csv_category.has_value();
  csv.lang = csv_lang.value_or(csv.lang);
  csv.date = csv_date.value_or(csv.date);
  csv.category = csv_category.value_or(csv.category);
  if (flags->summary != "text" && flags->summary != "json") {
    return Usage("--summary must be text or json", kAuditHelp);
  }
  int n = 0;
  if (raw.jobs.has_value() &&
      (!absl::SimpleAtoi(*raw.jobs, &n) || n < 1 || n > 256)) {
    return Usage("--jobs must be a number from 1 to 256", kAuditHelp);
  }
  // Default: one worker per core (also parsing JSON lines).
  flags->jobs =
      n > 0
          ? n
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  uint64_t bytes = 0;
  if (raw.max_bytes.has_value()) {
    if (!absl::SimpleAtoi(*raw.max_bytes, &bytes) || bytes == 0) {
      return Usage("--max-bytes must be a positive number", kAuditHelp);
    }
    flags->max_bytes = bytes;
  }
  flags->input.max_bytes = flags->max_bytes;
  flags->input.jobs = flags->jobs;
  flags->input.inputs = line.positional();
  if (std::optional<int> done = CheckOutputFlags(raw, flags)) return done;
  if (flags->input.inputs.empty() && flags->input.lists.empty()) {
    return Usage("no input: name a directory, JSON-lines or CSV file, or files",
                 kAuditHelp);
  }
  return std::nullopt;
}

// Scans ads[i] for every i taken from `next`, on `jobs` threads; stops
// taking new ads once Ctrl-C was pressed. Sets finished[i] (release) once
// results[i] is written; *done counts finished ads.
void ScanAll(const Engine& engine, const AuditFlags& flags,
             const std::vector<Ad>& ads, std::vector<AuditResult>* results,
             std::atomic<bool>* finished, std::atomic<size_t>* done) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    v1::Report report;
    ScanOptions options;
    for (;;) {
      if (g_interrupted.load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= ads.size()) return;
      const Ad& ad = ads[i];
      AuditResult& r = (*results)[i];
      if (!ad.error.empty()) {
        r = ErrorResult(ad.id, ad.error);
      } else {
        options.language = ad.lang.empty() ? flags.lang : ad.lang;
        absl::Status s = engine.ScanTextInto(ad.text, options, &report);
        r = s.ok() ? ResultOf(ad.id, report)
                   : ErrorResult(ad.id, std::string(s.message()));
      }
      r.set_date(ad.date);
      r.set_category(ad.category);
      finished[i].store(true, std::memory_order_release);
      done->fetch_add(1);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < flags.jobs; ++t) threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
}

// Prints "done/total ads, N ads/s, M s left" on standard error every half
// second until *done reaches total or *stop is set.
void ShowProgress(size_t total, const std::atomic<size_t>& done,
                  const std::atomic<bool>& stop) {
  const auto start = std::chrono::steady_clock::now();
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const size_t n = done.load();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    const double rate = s > 0 ? n / s : 0;
    const double left = rate > 0 ? (total - n) / rate : 0;
    std::cerr << absl::StrFormat("\r%zu/%zu ads, %.0f ads/s, %.0f s left   ", n,
                                 total, rate, left)
              << std::flush;
  }
  std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
}

// Writes the results as they finish, in input order, so that an audit
// killed hard can still be resumed: every 200 ms, the finished results
// from the first unwritten one on. Stops when *stop is set.
void WriteAsDone(const std::vector<AuditResult>& results,
                 const std::atomic<bool>* finished, ResultFormat format,
                 std::ofstream* out, size_t* written,
                 const std::atomic<bool>& stop) {
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const size_t before = *written;
    while (*written < results.size() &&
           finished[*written].load(std::memory_order_acquire)) {
      *out << ResultLine(results[*written], format);
      ++*written;
    }
    if (*written != before) out->flush();
  }
}

// The --output file opened for the audit; with --resume, *previous gets
// the results in it (a cut-off last line is cut off the file). Prints why
// and returns false when it cannot be opened or is not an audit's output.
bool OpenOutput(const AuditFlags& flags, std::ofstream* output,
                std::vector<AuditResult>* previous) {
  const std::string& path = *flags.output;
  bool header = false;
  std::error_code ec;
  if (flags.resume && std::filesystem::exists(path, ec)) {
    absl::StatusOr<std::string> content = ReadInputBytes(path, size_t{4} << 30);
    absl::StatusOr<PreviousResults> read =
        content.ok() ? ParseResults(*content, flags.output_format)
                     : absl::StatusOr<PreviousResults>(content.status());
    if (!read.ok()) {
      std::cerr << "divcheck: cannot resume from " << path << ": "
                << read.status().message() << "\n";
      return false;
    }
    if (read->whole_bytes != content->size()) {
      std::filesystem::resize_file(path, read->whole_bytes, ec);
    }
    header = read->has_header;
    *previous = std::move(read->results);
    output->open(path, std::ios::binary | std::ios::app);
  } else {
    output->open(path, std::ios::binary | std::ios::trunc);
  }
  if (!*output || ec) {
    std::cerr << "divcheck: cannot write " << path << "\n";
    return false;
  }
  if (flags.output_format == ResultFormat::kCsv && !header) {
    *output << CsvHeaderLine() << std::flush;
  }
  return true;
}

// Moves the ads whose ids are in `previous` (as often as they are there)
// from *ads to *skipped.
void SkipDone(const std::vector<AuditResult>& previous, std::vector<Ad>* ads,
              std::vector<Ad>* skipped) {
  std::map<std::string, size_t> done;
  for (const AuditResult& r : previous) ++done[r.id()];
  std::vector<Ad> pending;
  for (Ad& ad : *ads) {
    auto it = done.find(ad.id);
    if (it != done.end() && it->second > 0) {
      --it->second;
      skipped->push_back(std::move(ad));
    } else {
      pending.push_back(std::move(ad));
    }
  }
  *ads = std::move(pending);
}

// Scans the summary's worst ads again for their findings.
// Scans one ad again for the worst ads' findings.
using RescanAd = std::function<absl::Status(const Ad& ad, v1::Report* report)>;

// The element paths of an ad read from an HTML file (read again: ten files
// at most, instead of keeping every ad's paths).
void AddElementPathsOf(const Ad& ad, size_t max_bytes, v1::Report* report) {
  if (ad.file.empty() || ad.file == "-") return;
  absl::StatusOr<formats::ExtractedText> doc =
      ReadDocumentInput(ad.file, max_bytes, "", "");
  if (doc.ok() && doc->text == ad.text) {
    api::AddElementPaths(doc->element_paths, report);
  }
}

void AddWorstFindings(const RescanAd& rescan, size_t max_bytes,
                      const std::vector<Ad>& ads,
                      const std::vector<Ad>& skipped, AuditSummary* summary) {
  std::map<std::string, const Ad*> by_id;
  for (const std::vector<Ad>* list : {&skipped, &ads}) {
    for (const Ad& ad : *list) by_id.emplace(ad.id, &ad);
  }
  v1::Report report;
  for (AuditResult& r : *summary->mutable_worst()) {
    auto it = by_id.find(r.id());
    if (it == by_id.end() || !it->second->error.empty()) continue;
    if (!rescan(*it->second, &report).ok()) continue;
    AddElementPathsOf(*it->second, max_bytes, &report);
    AddFindings(report, &r);
  }
}

// The worst ads' findings, scanned again in-process or through the servers
// (then the replicas see one more call for each of the ten).
void AddWorstFindings(const Engine* engine, const AuditFlags& flags,
                      const std::vector<Ad>& ads,
                      const std::vector<Ad>& skipped, AuditSummary* summary) {
  if (engine != nullptr) {
    ScanOptions options;
    AddWorstFindings(
        [&](const Ad& ad, v1::Report* report) {
          options.language = ad.lang.empty() ? flags.lang : ad.lang;
          return engine->ScanTextInto(ad.text, options, report);
        },
        flags.max_bytes, ads, skipped, summary);
    return;
  }
  std::unique_ptr<ScanBackend> backend =
      MakeScanBackend(flags.remote, std::nullopt, flags.max_bytes, 1);
  if (backend == nullptr) return;
  v1::ScanTextRequest request;
  request.set_document_kind(v1::DOCUMENT_KIND_JOB_AD);
  AddWorstFindings(
      [&](const Ad& ad, v1::Report* report) {
        request.set_text(ad.text);
        request.set_language_code(ad.lang.empty() ? flags.lang : ad.lang);
        return backend->ScanInto(request, report);
      },
      flags.max_bytes, ads, skipped, summary);
}

// Writes each --report file; false (with the error printed) when one
// cannot be written.
bool WriteReports(const AuditFlags& flags, const AuditSummary& summary) {
  ReportInfo info;
  info.inputs = flags.input.inputs;
  info.inputs.insert(info.inputs.end(), flags.input.lists.begin(),
                     flags.input.lists.end());
  info.created =
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone());
  bool ok = true;
  for (const std::string& path : flags.reports) {
    const bool json = absl::EndsWithIgnoreCase(path, ".json");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << (json ? JsonReport(summary) : HtmlReport(summary, info));
    out.close();
    if (!out) {
      std::cerr << "divcheck: cannot write " << path << "\n";
      ok = false;
    }
  }
  return ok;
}

void PrintSummary(const AuditFlags& flags, const AuditSummary& summary) {
  if (flags.summary == "json") {
    google::protobuf::util::JsonPrintOptions print;
    print.always_print_primitive_fields = true;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(summary, &json, print);
    std::cout << json << "\n";
  } else {
    std::cout << FormatSummaryText(summary);
  }
}

std::unique_ptr<Engine> LoadAuditEngine(const AuditFlags& flags) {
  EngineOptions options;
  options.lexicon_dir = flags.lexicons.value_or(DefaultLexiconDir());
  options.max_input_bytes = flags.max_bytes;
  return LoadEngine(options);
}

}  // namespace

int AuditCommand(int argc, char** argv) {
  AuditFlags flags;
  if (std::optional<int> done = ParseAuditFlags(argc, argv, &flags)) {
    return *done;
  }
  // Ctrl-C from here on stops the audit, also while the inputs are read.
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigaction(SIGINT, &action, nullptr);
  std::vector<Ad> ads, skipped;
  const bool inputs_ok = ReadAds(flags.input, g_interrupted, &ads);
  std::ofstream output;
  std::vector<AuditResult> previous;
  if (flags.output.has_value()) {
    if (!OpenOutput(flags, &output, &previous)) return kExitUsage;
    SkipDone(previous, &ads, &skipped);
  }
  const bool remote = !flags.remote.server.empty() || flags.remote.UsesTls();
  std::unique_ptr<Engine> engine;
  if (!remote && (engine = LoadAuditEngine(flags)) == nullptr)
    return kExitUsage;

  std::vector<AuditResult> results(ads.size());
  auto finished = std::make_unique<std::atomic<bool>[]>(ads.size());
  std::atomic<size_t> done{0};
  std::atomic<bool> stop_threads{false};
  std::thread progress, writer;
  size_t written = 0;
  if (isatty(STDERR_FILENO)) {
    progress = std::thread(ShowProgress, ads.size(), std::cref(done),
                           std::cref(stop_threads));
  }
  if (output.is_open()) {
    writer = std::thread(WriteAsDone, std::cref(results), finished.get(),
                         flags.output_format, &output, &written,
                         std::cref(stop_threads));
  }
  const auto start = std::chrono::steady_clock::now();
  bool connected = true;
  if (remote) {
    connected = AuditScanRemote(flags.remote, flags.concurrency, flags.lang,
                                flags.max_bytes, ads, &results, finished.get(),
                                &done, &g_interrupted);
  } else {
    ScanAll(*engine, flags, ads, &results, finished.get(), &done);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  stop_threads.store(true);
  if (progress.joinable()) progress.join();
  if (writer.joinable()) writer.join();
  signal(SIGINT, SIG_DFL);
  if (!connected) return kExitUsage;

  // The ads done (all, unless interrupted), in input order, after those of
  // an earlier run.
  std::vector<AuditResult> all = std::move(previous);
  const size_t resumed = all.size();
  all.reserve(resumed + ads.size());
  for (size_t i = 0; i < ads.size(); ++i) {
    if (!finished[i].load()) continue;
    if (output.is_open() && i >= written) {
      output << ResultLine(results[i], flags.output_format);
    }
    all.push_back(std::move(results[i]));
  }
  AuditSummary summary = Summarize(all);
  summary.set_interrupted(g_interrupted.load());
  summary.set_resumed(resumed);
  summary.set_seconds(seconds);
  summary.set_ads_per_second(seconds > 0 ? (all.size() - resumed) / seconds
                                         : 0);
  AddWorstFindings(engine.get(), flags, ads, skipped, &summary);
  PrintSummary(flags, summary);
  bool written_ok = WriteReports(flags, summary);
  if (output.is_open()) {
    output.close();
    if (!output) {
      std::cerr << "divcheck: cannot write " << *flags.output << "\n";
      written_ok = false;
    }
  }
  size_t errors = 0;
  for (size_t i = resumed; i < all.size(); ++i) {
    if (all[i].error().empty()) continue;
    ++errors;
    std::cerr << "divcheck: " << all[i].id() << ": " << all[i].error() << "\n";
  }
  if (g_interrupted.load()) return kExitInterrupted;
  return inputs_ok && written_ok && errors == 0 ? kExitOk : kExitUsage;
}

}  // namespace divcheck::cli
