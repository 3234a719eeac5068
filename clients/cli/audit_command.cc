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
#include "analyzers/engine.h"
#include "clients/cli/audit_remote.h"
#include "clients/cli/audit_summary.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/connection.h"
#include "clients/cli/fleet.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {

const char kAuditHelp[] = R"(Usage: divcheck audit [options] INPUT...
Checks a whole catalogue of job ads and prints a summary: how many ads have
critical findings, warnings only, or none; per dimension and per rule; the
score distribution; the ten lowest scores.

INPUT is a directory (every *.txt below it, one ad each; the id is the
path below the directory), a JSON-lines file (*.jsonl or *.ndjson; one ad
per line: {"id": "A-17", "text": "…", "lang": "de"}; "-" reads JSON lines
from standard input), or any other file (one ad; the id is its path).

Options:
  --output=FILE      write one JSON line per ad (id, score, grade, coverage,
                     counts per severity and dimension, rule ids) in input
                     order
  --summary=text|json  the summary's form (default text)
  --lang=auto|de|en  language of ads without their own "lang" (default auto)
  --jobs=N           worker threads (default: one per core)
  --max-bytes=N      largest ad in bytes (default 1048576)
  --lexicons=DIR     lexicon directory (default: the installed lexicons)
  --server=ADDRESSES audit through divcheckd instead of in-process: one
                     HOST:PORT, a comma-separated list of them
                     (10.0.0.5:8443,10.0.0.6:8443; IP addresses), or one
                     name resolving to every replica (dns:///NAME:PORT);
                     the ads are spread over all replicas (gRPC
                     round_robin) and an ad whose replica went away is
                     sent again (up to 5 tries); the API key and TLS
                     flags are those of `divcheck scan --help`
  --concurrency=N    ads in flight with --server (default 32); enough to
                     keep every replica's cores busy
)" DIVCHECK_CLI_TLS_HELP R"(

On a terminal, progress (ads done, ads/s, time left) goes to standard
error. Ctrl-C stops the audit and prints the summary of the ads done
(and writes their results).
Exit status: 0 done; 2 usage errors, or an input or ad that could not be
read or scanned (counted as errors and listed on standard error; the
others are still audited); 130 stopped by Ctrl-C.
)";

namespace {

// 128 + SIGINT, as shells report a command stopped by Ctrl-C.
constexpr int kExitInterrupted = 130;

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

struct Ad {
  std::string id;
  std::string text;
  std::string lang;
  std::string error;  // reading failed; the ad is not scanned
};

struct AuditFlags {
  std::string lang;
  size_t max_bytes = kDefaultMaxInputBytes;
  int jobs = 0;
  std::string summary = "text";
  std::optional<std::string> output;
  std::optional<std::string> lexicons;
  ConnectionFlags remote;  // --server and TLS: audit_remote.h
  int concurrency = kDefaultConcurrency;
  std::vector<std::string> inputs;
};

std::optional<int> ParseAuditFlags(int argc, char** argv, AuditFlags* flags) {
  CommandLine line;
  std::string lang = "auto";
  std::optional<std::string> jobs, max_bytes;
  line.Add("lang", &lang);
  line.Add("jobs", &jobs);
  line.Add("max-bytes", &max_bytes);
  line.Add("summary", &flags->summary);
  line.Add("output", &flags->output);
  line.Add("lexicons", &flags->lexicons);
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
  if (std::optional<int> done = CheckLangFlag(lang, kAuditHelp)) return done;
  flags->lang = lang == "auto" ? "" : lang;
  if (flags->summary != "text" && flags->summary != "json") {
    return Usage("--summary must be text or json", kAuditHelp);
  }
  int n = 0;
  if (jobs.has_value() && (!absl::SimpleAtoi(*jobs, &n) || n < 1 || n > 256)) {
    return Usage("--jobs must be a number from 1 to 256", kAuditHelp);
  }
  flags->jobs = n;
  uint64_t bytes = 0;
  if (max_bytes.has_value()) {
    if (!absl::SimpleAtoi(*max_bytes, &bytes) || bytes == 0) {
      return Usage("--max-bytes must be a positive number", kAuditHelp);
    }
    flags->max_bytes = bytes;
  }
  flags->inputs = line.positional();
  if (flags->inputs.empty()) {
    return Usage("no input: name a directory, JSON-lines file or files",
                 kAuditHelp);
  }
  return std::nullopt;
}

bool IsJsonLines(const std::string& path) {
  return path == "-" || absl::EndsWith(path, ".jsonl") ||
         absl::EndsWith(path, ".ndjson");
}

// One ad per non-empty line of `content`; a line that is not an AuditInput
// becomes an ad with its error.
void ReadJsonLines(const std::string& name, const std::string& content,
                   std::vector<Ad>* ads) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  size_t number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    if (g_interrupted.load()) return;
    ++number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    AuditInput input;
    Ad ad;
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        std::string(line), &input, options);
    ad.id = input.id().empty() ? absl::StrCat(name, ":", number) : input.id();
    if (!parsed.ok()) {
      // protobuf's message continues with the line and a caret.
      const std::string why = parsed.message().as_string();
      ad.error = absl::StrCat("line ", number, " is not an ad as JSON (",
                              why.substr(0, why.find('\n')), ")");
    }
    ad.text = input.text();
    ad.lang = input.lang();
    ads->push_back(std::move(ad));
  }
}

// Reads every input; false when one could not be read at all (its error is
// printed; the ads of the others are still returned).
bool ReadAds(const AuditFlags& flags, std::vector<Ad>* ads) {
  namespace fs = std::filesystem;
  bool ok = true;
  auto one_file = [&](const std::string& path, const std::string& id) {
    absl::StatusOr<std::string> text = ReadInput(path, flags.max_bytes);
    Ad ad;
    ad.id = id;
    if (text.ok()) {
      ad.text = *std::move(text);
    } else {
      ad.error = std::string(text.status().message());
    }
    ads->push_back(std::move(ad));
  };
  for (const std::string& input : flags.inputs) {
    std::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(input, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".txt") {
          files.push_back(it->path());
        }
      }
      if (ec) {
        std::cerr << "divcheck: cannot list " << input << ": " << ec.message()
                  << "\n";
        ok = false;
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        one_file(f.string(), fs::relative(f, input).string());
      }
    } else if (IsJsonLines(input)) {
      // A catalogue may be large: up to 4 GiB of JSON lines per input.
      absl::StatusOr<std::string> content = ReadInput(input, size_t{4} << 30);
      if (!content.ok()) {
        std::cerr << "divcheck: " << content.status().message() << "\n";
        ok = false;
        continue;
      }
      ReadJsonLines(InputName(input), *content, ads);
    } else {
      one_file(input, input);
    }
  }
  return ok;
}

// Scans ads[i] for every i taken from `next`, on `jobs` threads; stops
// taking new ads once Ctrl-C was pressed. *done counts finished ads.
void ScanAll(const Engine& engine, const AuditFlags& flags,
             const std::vector<Ad>& ads, std::vector<AuditResult>* results,
             std::vector<char>* finished, std::atomic<size_t>* done) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    v1::Report report;
    ScanOptions options;
    for (;;) {
      if (g_interrupted.load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= ads.size()) return;
      const Ad& ad = ads[i];
      if (!ad.error.empty()) {
        (*results)[i] = ErrorResult(ad.id, ad.error);
      } else {
        options.language = ad.lang.empty() ? flags.lang : ad.lang;
        absl::Status s = engine.ScanTextInto(ad.text, options, &report);
        (*results)[i] = s.ok() ? ResultOf(ad.id, report)
                               : ErrorResult(ad.id, std::string(s.message()));
      }
      (*finished)[i] = true;  // each index is written by one thread only
      done->fetch_add(1);
    }
  };
  const int jobs =
      flags.jobs > 0
          ? flags.jobs
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(work);
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

std::unique_ptr<Engine> LoadAuditEngine(const AuditFlags& flags) {
  EngineOptions options;
  options.lexicon_dir = flags.lexicons.value_or(DefaultLexiconDir());
  options.max_input_bytes = flags.max_bytes;
  return LoadEngine(options);
}

// The ads as audit_remote.h reads them.
std::function<AdRef(size_t)> AdRefs(const std::vector<Ad>& ads) {
  return [&ads](size_t i) {
    const Ad& a = ads[i];
    return AdRef{&a.id, &a.text, &a.lang, &a.error};
  };
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
  std::vector<Ad> ads;
  const bool inputs_ok = ReadAds(flags, &ads);
  std::ofstream output;
  if (flags.output.has_value()) {
    output.open(*flags.output, std::ios::binary | std::ios::trunc);
    if (!output) {
      std::cerr << "divcheck: cannot write " << *flags.output << "\n";
      return kExitUsage;
    }
  }
  const bool remote = !flags.remote.server.empty() || flags.remote.UsesTls();
  std::unique_ptr<Engine> engine;
  if (!remote && (engine = LoadAuditEngine(flags)) == nullptr)
    return kExitUsage;

  std::vector<AuditResult> results(ads.size());
  // char, not bool: the workers set elements at once, and vector<bool> packs
  // them into shared words (a lost ad, seen with --jobs=2).
  std::vector<char> finished(ads.size(), 0);
  std::atomic<size_t> done{0};
  std::atomic<bool> stop_progress{false};
  std::thread progress;
  if (isatty(STDERR_FILENO)) {
    progress = std::thread(ShowProgress, ads.size(), std::cref(done),
                           std::cref(stop_progress));
  }
  const auto start = std::chrono::steady_clock::now();
  bool connected = true;
  if (remote) {
    connected = AuditScanRemote(flags.remote, flags.concurrency, flags.lang,
                                flags.max_bytes, ads.size(), AdRefs(ads),
                                &results, &finished, &done, &g_interrupted);
  } else {
    ScanAll(*engine, flags, ads, &results, &finished, &done);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  stop_progress.store(true);
  if (progress.joinable()) progress.join();
  signal(SIGINT, SIG_DFL);
  if (!connected) return kExitUsage;

  // Only the ads done (all, unless interrupted), in input order.
  std::vector<AuditResult> kept;
  kept.reserve(ads.size());
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  std::string line;
  size_t errors = 0;
  for (size_t i = 0; i < ads.size(); ++i) {
    if (!finished[i]) continue;
    if (!results[i].error().empty()) ++errors;
    if (output.is_open()) {
      line.clear();
      (void)google::protobuf::util::MessageToJsonString(results[i], &line,
                                                        print);
      output << line << "\n";
    }
    kept.push_back(std::move(results[i]));
  }
  AuditSummary summary = Summarize(kept);
  summary.set_interrupted(g_interrupted.load());
  summary.set_seconds(seconds);
  summary.set_ads_per_second(seconds > 0 ? kept.size() / seconds : 0);
  if (flags.summary == "json") {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(summary, &json, print);
    std::cout << json << "\n";
  } else {
    std::cout << FormatSummaryText(summary);
  }
  if (output.is_open()) {
    output.close();
    if (!output) {
      std::cerr << "divcheck: cannot write " << *flags.output << "\n";
      return kExitUsage;
    }
  }
  for (const AuditResult& r : kept) {
    if (!r.error().empty())
      std::cerr << "divcheck: " << r.id() << ": " << r.error() << "\n";
  }
  if (g_interrupted.load()) return kExitInterrupted;
  return inputs_ok && errors == 0 ? kExitOk : kExitUsage;
}

}  // namespace divcheck::cli
