#include "clients/cli/lexicon_command.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/catalog.h"
#include "analyzers/lexicon.h"
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
  divcheck lexicon validate [DIR]
      Loads every *.textproto below DIR (default: the lexicons in use) and
      prints every problem as file:line:col: message. Exit status 0 when
      there is none, 1 when there are problems, 2 when DIR is missing.
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
  line.Add("format", &format);
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
  if (sub == "validate") return PrintValidated(stats, dir);
  if (format == "json") {
    std::cout << StatsJson(stats.by_language);
  } else {
    PrintStatsText(stats, dir);
  }
  return kExitOk;
}

}  // namespace divcheck::cli
