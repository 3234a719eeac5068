#include "clients/cli/lexicon_command.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

std::string WithoutPrefix(const std::string& s, absl::string_view prefix) {
  return absl::StartsWith(s, prefix) ? s.substr(prefix.size()) : s;
}

// The counts of one language ("all" for entries without one).
struct Counts {
  std::map<std::string, size_t> entries_by_kind, terms_by_kind;
  std::map<std::string, size_t> findings_by_dimension, findings_by_severity;
  size_t entries = 0, terms = 0, titles = 0;
  size_t concept_terms = 0;  // findings, highlights, coded words
};

// `lexicon validate`: the summary line.
int PrintValidated(const LexiconSet& s, const std::string& dir) {
  size_t terms = 0, titles = 0, form_rules = 0;
  for (const LexiconFileInfo& f : s.files()) {
    terms += f.term_count;
    titles += f.job_title_count;
    form_rules += f.form_rule_count;
  }
  std::cout << "lexicons OK: " << s.files().size() << " files, "
            << s.entry_count() << " entries, " << terms << " terms, " << titles
            << " job titles, " << form_rules << " form-field rules (version "
            << s.content_hash() << ") in " << dir << "\n";
  return kExitOk;
}

std::map<std::string, Counts> CountByLanguage(const LexiconSet& s) {
  std::map<std::string, Counts> by_lang;
  for (size_t i = 0; i < s.entry_count(); ++i) {
    const CompiledEntry& e = s.entry(static_cast<uint32_t>(i));
    Counts& c = by_lang[e.language.empty() ? "all" : e.language];
    const size_t t = TermCount(*e.def);
    const std::string kind =
        WithoutPrefix(config::v1::EntryKind_Name(e.kind), "ENTRY_KIND_");
    c.entries += 1;
    c.terms += t;
    c.entries_by_kind[kind] += 1;
    c.terms_by_kind[kind] += t;
    if (IsConceptKind(e.kind)) c.concept_terms += t;
    if (e.kind == config::v1::ENTRY_KIND_FINDING) {
      for (v1::Dimension d : e.dimensions) {
        c.findings_by_dimension[WithoutPrefix(v1::Dimension_Name(d),
                                              "DIMENSION_")] += t;
      }
      c.findings_by_severity[WithoutPrefix(v1::Severity_Name(e.severity),
                                           "SEVERITY_")] += t;
    }
  }
  for (const LexiconFileInfo& f : s.files()) {
    by_lang[f.language.empty() ? "all" : f.language].titles +=
        f.job_title_count;
  }
  return by_lang;
}

cli::LanguageStats ToProto(const Counts& c) {
  cli::LanguageStats stats;
  stats.set_entries(static_cast<uint32_t>(c.entries));
  stats.set_terms(static_cast<uint32_t>(c.terms));
  stats.set_job_titles(static_cast<uint32_t>(c.titles));
  stats.set_matchable_concepts(
      static_cast<uint32_t>(c.concept_terms + c.titles));
  auto copy = [](const std::map<std::string, size_t>& from,
                 google::protobuf::Map<std::string, uint32_t>* to) {
    for (const auto& [k, v] : from) (*to)[k] = static_cast<uint32_t>(v);
  };
  copy(c.entries_by_kind, stats.mutable_entries_by_kind());
  copy(c.terms_by_kind, stats.mutable_terms_by_kind());
  copy(c.findings_by_dimension, stats.mutable_finding_terms_by_dimension());
  copy(c.findings_by_severity, stats.mutable_finding_terms_by_severity());
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
std::string StatsJson(const std::map<std::string, Counts>& by_lang) {
  std::string out = "{";
  for (const auto& [lang, c] : by_lang) {
    if (out.size() > 1) out += ",";
    AppendJsonString(lang, &out);
    absl::StrAppend(&out, ":", SortedProtoJson(ToProto(c)));
  }
  out += "}\n";
  return out;
}

void PrintStatsText(const LexiconSet& s, const std::string& dir,
                    const std::map<std::string, Counts>& by_lang) {
  std::cout << "lexicon version " << s.content_hash() << " (" << dir << ")\n";
  for (const auto& [lang, c] : by_lang) {
    std::cout << "\n[" << lang << "] " << c.entries << " entries, " << c.terms
              << " terms, " << c.titles << " job titles; "
              << c.concept_terms + c.titles
              << " matchable concepts (finding, highlight and gender-coded "
                 "terms + job "
                 "titles; context cues not counted)\n";
    std::cout << "  terms by kind:";
    for (const auto& [k, v] : c.terms_by_kind)
      std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by dimension:";
    for (const auto& [k, v] : c.findings_by_dimension)
      std::cout << " " << k << "=" << v;
    std::cout << "\n  finding terms by severity:";
    for (const auto& [k, v] : c.findings_by_severity)
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
  if (sub == "validate") return PrintValidated(**set, dir);
  const std::map<std::string, Counts> by_lang = CountByLanguage(**set);
  if (format == "json") {
    std::cout << StatsJson(by_lang);
  } else {
    PrintStatsText(**set, dir, by_lang);
  }
  return kExitOk;
}

}  // namespace divcheck::cli
