#include "clients/cli/bench_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "analyzers/engine.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/remote.h"

namespace divcheck::cli {

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

The API key, if the server wants one, is read from $DIVCHECK_API_KEY or the
file named by $DIVCHECK_API_KEY_FILE, and sent only to a loopback address
unless DIVCHECK_INSECURE_SEND_KEY=1 (the CLI has no TLS; docs/API.md).
Exit status: 0 when every call succeeded, 1 when some failed, 2 for usage
errors.
)";

namespace {

// "N" within [min, 100000] into *out.
bool ParseCount(const std::string& v, long min, int* out) {
  char* end = nullptr;
  const long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < min || n > 100000) return false;
  *out = static_cast<int>(n);
  return true;
}

// Parses and checks the command line into *options (all but the text) and
// *path. Returns an exit status when the command is done (help printed, or
// a usage error), else nullopt.
std::optional<int> ParseBenchFlags(int argc, char** argv, BenchOptions* options,
                                   std::string* path) {
  CommandLine line;
  std::string concurrency = "16", duration = "10", warmup = "1", channels = "1";
  options->language = "auto";
  line.Add("server", &options->address);
  line.Add("concurrency", &concurrency);
  line.Add("duration", &duration);
  line.Add("warmup", &warmup);
  line.Add("channels", &channels);
  line.Add("lang", &options->language);
  if (std::optional<int> done =
          ParseCommandLine(&line, argc, argv, kBenchHelp)) {
    return done;
  }
  if (options->address.empty()) {
    return Usage("--server is required", kBenchHelp);
  }
  if (line.positional().size() != 1) {
    return Usage("name exactly one FILE", kBenchHelp);
  }
  *path = line.positional()[0];
  int seconds = 0, warmup_seconds = 0;
  if (!ParseCount(concurrency, 1, &options->concurrency) ||
      !ParseCount(duration, 1, &seconds) ||
      !ParseCount(warmup, 0, &warmup_seconds) ||
      !ParseCount(channels, 1, &options->channels)) {
    return Usage(
        "--concurrency, --duration and --channels must be positive numbers, "
        "--warmup at least 0",
        kBenchHelp);
  }
  options->duration = std::chrono::seconds(seconds);
  options->warmup = std::chrono::seconds(warmup_seconds);
  if (options->language == "auto") options->language.clear();
  return std::nullopt;
}

}  // namespace

int BenchCommand(int argc, char** argv) {
  BenchOptions options;
  std::string path;
  if (std::optional<int> done = ParseBenchFlags(argc, argv, &options, &path)) {
    return *done;
  }
  const int duration = static_cast<int>(options.duration.count());
  const int warmup = static_cast<int>(options.warmup.count());
  absl::StatusOr<std::string> text = ReadInput(path, kDefaultMaxInputBytes);
  if (!text.ok()) {
    std::cerr << "divcheck: " << text.status().message() << "\n";
    return kExitUsage;
  }
  options.text = *std::move(text);
  const std::optional<std::string> key = ApiKeyOrPrint(options.address);
  if (!key.has_value()) return kExitUsage;
  options.api_key = *key;

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

}  // namespace divcheck::cli
