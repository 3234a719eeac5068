#include "clients/cli/lexicon_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"
#include "analyzers/lexicon_lint.h"
#include "base/file.h"
#include "base/json.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "divcheck/cli/lexicon_stats.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace divcheck::cli {

const char kLexiconHelp[] = R"(Usage:
  divcheck lexicon validate [DIR] [--corpus=TEXTS] [--strict]
      Loads every *.textproto below DIR (default: the lexicons in use) and
      prints every problem as file:line:col: message. Exit status 0 when
      there is none, 1 when there are problems, 2 when DIR is missing.
      Then warns about entries that load but will not work as meant: a word
      or stem that is a frequent function word (fires in nearly every ad),
      and a word, stem or phrase that two rules of one
      language both list (the same words reported twice, or one rule hiding
      the other); a rule without an example (a text that must make its
      finding) or a counter-example (a text that must not), and every
      example or counter-example that fails when scanned (`divcheck explain
      RULE_ID` shows them); and a shadowed term, which can never make its
      rule's finding (one of the rule's own exceptions, or scanned alone it
      makes only another rule's finding: "shadowed by RULE"). With --corpus, also scans every *.txt below TEXTS (at
      least 10; e.g. your own published ads) and warns about each rule that
      fires in more than a quarter of them. Warnings do not change the exit
      status unless --strict is given (then 1).
  divcheck lexicon stats [DIR] [--format=text|json]
      Prints the number of entries and matchable terms per language, kind,
      dimension and severity.
)";

namespace {

// `lexicon validate`: the summary line.
int PrintValidated(const LexiconStats& s, const std::string& dir) {
  std::cout << "lexicons OK: " << s.files << " files, " << s.entries
            << " entries, " << s.terms << " terms, " << s.job_titles
            << " job titles, " << s.form_rules << " form-field rules (version "
            << s.content_hash << ") in " << dir << "\n";
  return kExitOk;
}

cli::LanguageStats ToProto(const LexiconLanguageStats& c) {
  cli::LanguageStats stats;
  stats.set_entries(static_cast<uint32_t>(c.entries));
  stats.set_terms(static_cast<uint32_t>(c.terms));
  stats.set_job_titles(static_cast<uint32_t>(c.job_titles));
  stats.set_matchable_concepts(static_cast<uint32_t>(c.matchable_concepts));
  auto copy = [](const std::map<std::string, size_t>& from,
                 google::protobuf::Map<std::string, uint32_t>* to) {
    for (const auto& [k, v] : from) (*to)[k] = static_cast<uint32_t>(v);
  };
  copy(c.entries_by_kind, stats.mutable_entries_by_kind());
  copy(c.terms_by_kind, stats.mutable_terms_by_kind());
  copy(c.finding_terms_by_dimension,
       stats.mutable_finding_terms_by_dimension());
  copy(c.finding_terms_by_severity, stats.mutable_finding_terms_by_severity());
  return stats;
}

// proto3 JSON of `m` from protobuf's printer, with every field and map keys
// in sorted order (deterministic serialisation; the plain printer keeps the
// hash order of the maps).
std::string SortedProtoJson(const google::protobuf::Message& m) {
  std::string binary;
  {
    google::protobuf::io::StringOutputStream raw(&binary);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  static constexpr char kTypeUrlPrefix[] = "type.googleapis.com";
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, m.GetDescriptor()->file()->pool()));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::BinaryToJsonString(
      resolver.get(),
      absl::StrCat(kTypeUrlPrefix, "/", m.GetDescriptor()->full_name()), binary,
      &out, options);
  return out;
}

// One JSON object: each language code (escaped) with its LanguageStats.
std::string StatsJson(
    const std::map<std::string, LexiconLanguageStats>& by_lang) {
  std::string out = "{";
  for (const auto& [lang, c] : by_lang) {
    if (out.size() > 1) out += ",";
    AppendJsonString(lang, &out);
    absl::StrAppend(&out, ":", SortedProtoJson(ToProto(c)));
  }
  out += "}\n";
  return out;
}

// The texts of every *.txt below `dir` (at most 10,000, each ≤ 1 MiB).
absl::StatusOr<std::vector<std::string>> ReadCorpus(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("--corpus: ", dir, " is not a directory"));
  }
  std::vector<std::string> paths;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".txt") {
      paths.push_back(it->path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.size() > 10000) paths.resize(10000);
  std::vector<std::string> texts;
  for (const std::string& path : paths) {
    absl::StatusOr<std::string> text = ReadFile(path, 1 << 20);
    if (!text.ok()) return text.status();
    texts.push_back(*std::move(text));
  }
  return texts;
}

// Prints the lint warnings (lexicon_lint.h), including every rule example
// that fails; returns how many.
absl::StatusOr<size_t> PrintWarnings(
    const std::shared_ptr<const LexiconSet>& set, const std::string& dir,
    const std::optional<std::string>& corpus) {
  std::vector<LexiconWarning> warnings = LintLexicons(*set);
  EngineOptions options;
  options.lexicon_dir = dir;
  const Engine engine(options, set);
  std::vector<LexiconWarning> examples = LintExamples(engine);
  warnings.insert(warnings.end(), examples.begin(), examples.end());
  std::vector<LexiconWarning> shadowed = LintShadowed(engine);
  warnings.insert(warnings.end(), shadowed.begin(), shadowed.end());
  if (corpus.has_value()) {
    absl::StatusOr<std::vector<std::string>> texts = ReadCorpus(*corpus);
    if (!texts.ok()) return texts.status();
    std::vector<LexiconWarning> broad = LintAgainstCorpus(engine, *texts, 0.25);
    warnings.insert(warnings.end(), broad.begin(), broad.end());
    if (texts->size() < 10) {
      std::cout << "note: --corpus has " << texts->size()
                << " texts; at least 10 are needed to judge how often a rule "
                   "fires\n";
    }
  }
  for (const LexiconWarning& w : warnings) {
    std::cout << "warning: " << w.lexicon_id << ": " << w.rule_id << ": "
              << w.message << "\n";
  }
  return warnings.size();
}

void PrintStatsText(const LexiconStats& s, const std::string& dir) {
  std::cout << "lexicon version " << s.content_hash << " (" << dir << ")\n";
  for (const auto& [lang, c] : s.by_language) {
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
}

}  // namespace

int LexiconCommand(int argc, char** argv) {
  CommandLine line;
  std::string format = "text";
  std::optional<std::string> corpus;
  bool strict = false;
  line.Add("format", &format);
  line.Add("corpus", &corpus);
  line.AddFlag("strict", &strict);
  std::string error;
  if (!line.Parse(argc, argv, 2, &error)) return Usage(error, kLexiconHelp);
  const std::vector<std::string>& args = line.positional();
  if (line.help() || args.empty()) {
    std::cout << kLexiconHelp;
    return line.help() ? kExitOk : kExitUsage;
  }
  const std::string sub = args[0];
  if (sub != "validate" && sub != "stats") {
    return Usage(absl::StrCat("unknown lexicon command \"", sub, "\""),
                 kLexiconHelp);
  }
  if (args.size() > 2) return Usage("too many arguments", kLexiconHelp);
  const std::string dir = args.size() == 2 ? args[1] : DefaultLexiconDir();
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
    absl::StatusOr<size_t> warnings = PrintWarnings(*set, dir, corpus);
    if (!warnings.ok()) {
      std::cerr << "divcheck: " << warnings.status().message() << "\n";
      return kExitUsage;
    }
    PrintValidated(stats, dir);
    if (*warnings > 0) std::cout << *warnings << " warning(s)\n";
    return strict && *warnings > 0 ? kExitFindings : kExitOk;
  }
  if (format == "json") {
    std::cout << StatsJson(stats.by_language);
  } else {
    PrintStatsText(stats, dir);
  }
  return kExitOk;
}

}  // namespace divcheck::cli
