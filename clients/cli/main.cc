// divcheck: the command-line client. Scans job ads in-process (or, later,
// through a divcheckd server) and checks lexicons.
//
//   divcheck scan [--format=text|json] [--lang=auto|de|en]
//                 [--fail-on=hint|warning|critical] FILE... | -
//   divcheck lexicon validate [DIR]
//   divcheck lexicon stats [DIR] [--format=text|json]
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
#include "absl/strings/str_join.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"
#include "clients/cli/report_format.h"

namespace divcheck::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

const char kMainHelp[] = R"(divcheck — checks job ads for discriminatory and exclusionary wording
(German AGG; German and English ads).

Usage:
  divcheck scan [options] FILE... | -     scan job ads and print a report
  divcheck lexicon validate [DIR]         list every problem in the lexicons
  divcheck lexicon stats [DIR]            count lexicon entries and terms
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

Exit status: 0 nothing reached --fail-on, 1 something did, 2 usage or input
errors (missing file, invalid UTF-8, input too large); the other files are
still scanned.
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

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool help = false;
};

// Parses `--name=value`, `--name value` (for names in `with_value`), `-h`,
// `--help`, `--` and positionals. Unknown flags are reported as usage errors.
bool ParseArgs(int argc, char** argv, int start,
               const std::vector<std::string>& known, Args* out,
               std::string* error) {
  bool flags_done = false;
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    if (flags_done || a == "-" || !absl::StartsWith(a, "-")) {
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      out->help = true;
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (!absl::StartsWith(a, "--") ||
        std::find(known.begin(), known.end(), name) == known.end()) {
      *error = absl::StrCat("unknown option \"", a, "\"");
      return false;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        *error = absl::StrCat("option --", name, " needs a value");
        return false;
      }
      value = argv[++i];
    }
    out->flags[name] = value;
  }
  return true;
}

std::string FlagOr(const Args& args, const std::string& name,
                   const std::string& fallback) {
  auto it = args.flags.find(name);
  return it == args.flags.end() ? fallback : it->second;
}

std::string DefaultLexiconDir(const char* argv0) {
  if (const char* env = std::getenv("DIVCHECK_LEXICONS"); env && *env) return env;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::path(argv0);
  const fs::path installed = exe.parent_path().parent_path() / "share/divcheck/lexicons";
  if (fs::is_directory(installed, ec)) return installed.string();
  return DIVCHECK_SOURCE_LEXICONS;
}

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck: " << error << "\n\n" << help;
  return kExitUsage;
}

// Reads a whole file or standard input. Errors name the file.
absl::StatusOr<std::string> ReadInput(const std::string& path, size_t max_bytes) {
  std::string data;
  if (path == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    data = buf.str();
  } else {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
      return absl::NotFoundError(absl::StrCat(path, ": cannot read: ", ec.message()));
    }
    if (size > max_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": input is ", size, " bytes; the limit is ", max_bytes, " bytes"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    data.resize(size);
    in.read(data.data(), static_cast<std::streamsize>(size));
    data.resize(static_cast<size_t>(in.gcount()));
  }
  return data;
}

std::string WithoutPrefix(const std::string& s, absl::string_view prefix) {
  return absl::StartsWith(s, prefix) ? s.substr(prefix.size()) : s;
}

int PrintProblems(const std::vector<LexiconProblem>& problems) {
  for (const LexiconProblem& p : problems) std::cerr << p.ToString() << "\n";
  return kExitFindings;
}

int Scan(int argc, char** argv) {
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, 2,
                 {"format", "lang", "fail-on", "lexicons", "color", "max-bytes"},
                 &args, &error)) {
    return Usage(error, kScanHelp);
  }
  if (args.help) {
    std::cout << kScanHelp;
    return kExitOk;
  }
  const std::string format = FlagOr(args, "format", "text");
  if (format != "text" && format != "json") {
    return Usage(absl::StrCat("--format must be text or json, not \"", format, "\""),
                 kScanHelp);
  }
  std::string lang = FlagOr(args, "lang", "auto");
  if (lang != "auto" && lang != "de" && lang != "en") {
    return Usage(absl::StrCat("--lang must be auto, de or en, not \"", lang, "\""),
                 kScanHelp);
  }
  if (lang == "auto") lang.clear();
  const std::string fail_on = FlagOr(args, "fail-on", "critical");
  v1::Severity threshold;
  if (fail_on == "hint") threshold = v1::SEVERITY_HINT;
  else if (fail_on == "warning") threshold = v1::SEVERITY_WARNING;
  else if (fail_on == "critical") threshold = v1::SEVERITY_CRITICAL;
  else {
    return Usage(absl::StrCat("--fail-on must be hint, warning or critical, not \"",
                              fail_on, "\""),
                 kScanHelp);
  }
  const std::string color = FlagOr(args, "color", "auto");
  if (color != "auto" && color != "always" && color != "never") {
    return Usage("--color must be auto, always or never", kScanHelp);
  }
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
  TextStyle style;
  style.color = color == "always" ||
                (color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));

  EngineOptions options;
  options.lexicon_dir = FlagOr(args, "lexicons", DefaultLexiconDir(argv[0]));
  options.max_input_bytes = max_bytes;
  std::vector<LexiconProblem> problems;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options, &problems);
  if (!engine.ok()) {
    std::cerr << "divcheck: cannot load lexicons: " << engine.status().message() << "\n";
    PrintProblems(problems);
    return kExitUsage;
  }
  ScanOptions scan_options;
  scan_options.language = lang;

  int exit_code = kExitOk;
  bool input_error = false;
  std::string out;
  for (const std::string& path : args.positional) {
    absl::StatusOr<std::string> text = ReadInput(path, max_bytes);
    absl::StatusOr<v1::Report> report =
        text.ok() ? (*engine)->ScanText(*text, scan_options) : text.status();
    if (!report.ok()) {
      std::cout << out << std::flush;
      out.clear();
      const std::string msg(report.status().message());
      std::cerr << "divcheck: " << (absl::StartsWith(msg, path) ? "" : path + ": ")
                << msg << "\n";
      input_error = true;
      continue;
    }
    for (const v1::Finding& f : report->findings()) {
      if (f.severity() >= threshold) exit_code = kExitFindings;
    }
    const std::string name = path == "-" ? "<stdin>" : path;
    if (format == "json") {
      absl::StatusOr<std::string> json = FormatJson(*report);
      if (!json.ok()) {
        std::cerr << "divcheck: " << name << ": " << json.status().message() << "\n";
        input_error = true;
        continue;
      }
      absl::StrAppend(&out, *json, "\n");
    } else {
      absl::StrAppend(&out, FormatText(name, *report, style));
    }
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return input_error ? kExitUsage : exit_code;
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
    return Usage(absl::StrCat("unknown lexicon command \"", sub, "\""), kLexiconHelp);
  }
  if (args.positional.size() > 2) return Usage("too many arguments", kLexiconHelp);
  const std::string dir =
      args.positional.size() == 2 ? args.positional[1] : DefaultLexiconDir(argv[0]);
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
  const LexiconSet& s = **set;
  size_t terms = 0, titles = 0;
  for (const LexiconFileInfo& f : s.files()) {
    terms += f.term_count;
    titles += f.job_title_count;
  }
  if (sub == "validate") {
    std::cout << "lexicons OK: " << s.files().size() << " files, "
              << s.entry_count() << " entries, " << terms << " terms, " << titles
              << " job titles (version " << s.content_hash() << ") in " << dir
              << "\n";
    return kExitOk;
  }

  // stats
  const std::string format = FlagOr(args, "format", "text");
  struct Counts {
    std::map<std::string, size_t> entries_by_kind, terms_by_kind;
    std::map<std::string, size_t> findings_by_dimension, findings_by_severity;
    size_t entries = 0, terms = 0, titles = 0;
    size_t concept_terms = 0;  // findings, highlights, coded words
  };
  std::map<std::string, Counts> by_lang;
  for (size_t i = 0; i < s.entry_count(); ++i) {
    const CompiledEntry& e = s.entry(static_cast<uint32_t>(i));
    Counts& c = by_lang[e.language.empty() ? "all" : e.language];
    const size_t t = TermCount(*e.def);
    const std::string kind = WithoutPrefix(config::v1::EntryKind_Name(e.kind), "ENTRY_KIND_");
    c.entries += 1;
    c.terms += t;
    c.entries_by_kind[kind] += 1;
    c.terms_by_kind[kind] += t;
    if (IsConceptKind(e.kind)) c.concept_terms += t;
    if (e.kind == config::v1::ENTRY_KIND_FINDING) {
      for (v1::Dimension d : e.dimensions) {
        c.findings_by_dimension[WithoutPrefix(v1::Dimension_Name(d), "DIMENSION_")] += t;
      }
      c.findings_by_severity[WithoutPrefix(v1::Severity_Name(e.severity), "SEVERITY_")] += t;
    }
  }
  for (const LexiconFileInfo& f : s.files()) {
    by_lang[f.language.empty() ? "all" : f.language].titles += f.job_title_count;
  }
  if (format == "json") {
    std::string out = "{";
    bool first_lang = true;
    auto obj = [](const std::map<std::string, size_t>& m) {
      std::vector<std::string> parts;
      for (const auto& [k, v] : m) parts.push_back(absl::StrCat("\"", k, "\":", v));
      return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
    };
    for (const auto& [lang, c] : by_lang) {
      absl::StrAppend(&out, first_lang ? "" : ",", "\"", lang, "\":{\"entries\":",
                      c.entries, ",\"terms\":", c.terms, ",\"jobTitles\":", c.titles,
                      ",\"matchableConcepts\":", c.concept_terms + c.titles,
                      ",\"entriesByKind\":", obj(c.entries_by_kind),
                      ",\"termsByKind\":", obj(c.terms_by_kind),
                      ",\"findingTermsByDimension\":", obj(c.findings_by_dimension),
                      ",\"findingTermsBySeverity\":", obj(c.findings_by_severity), "}");
      first_lang = false;
    }
    out += "}\n";
    std::cout << out;
    return kExitOk;
  }
  std::cout << "lexicon version " << s.content_hash() << " (" << dir << ")\n";
  for (const auto& [lang, c] : by_lang) {
    std::cout << "\n[" << lang << "] " << c.entries << " entries, " << c.terms
              << " terms, " << c.titles << " job titles; "
              << c.concept_terms + c.titles
              << " matchable concepts (finding, highlight and gender-coded terms + job "
                 "titles; context cues not counted)\n";
    std::cout << "  terms by kind:";
    for (const auto& [k, v] : c.terms_by_kind) std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by dimension:";
    for (const auto& [k, v] : c.findings_by_dimension) std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by severity:";
    for (const auto& [k, v] : c.findings_by_severity) std::cout << " " << k << "=" << v;
    std::cout << "\n";
  }
  return kExitOk;
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
                  : topic == "lexicon" ? kLexiconHelp
                                       : kMainHelp);
    return kExitOk;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "divcheck " << DIVCHECK_VERSION << "\n";
    return kExitOk;
  }
  if (cmd == "scan") return Scan(argc, argv);
  if (cmd == "lexicon") return LexiconCommand(argc, argv);
  return Usage(absl::StrCat("unknown command \"", cmd, "\""), kMainHelp);
}

}  // namespace
}  // namespace divcheck::cli

int main(int argc, char** argv) { return divcheck::cli::Main(argc, argv); }
