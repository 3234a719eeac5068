#include "clients/cli/explain_command.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon_lint.h"
#include "api/scan_api.h"
#include "base/json.h"
#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "clients/cli/report_format.h"

namespace divcheck::cli {

const char kExplainHelp[] = R"(Usage: divcheck explain [options] RULE_ID
Explains one rule: its severity and dimensions, why the wording is a
problem, what to write instead, the legal basis and the sources, the words
it matches, and its examples (texts it must flag) and counter-examples
(texts close to its words that it must not flag). Each example is scanned
now, so the output shows whether the rule behaves as described with the
lexicons in use. RULE_ID is what findings carry, e.g. de.age.junges_team
(`divcheck scan` prints it in brackets).

Options:
  --format=text|json  output form (default text)
  --lexicons=DIR      lexicon directory (default: the installed lexicons)

Exit status: 0 every example behaves; 1 an example or counter-example
does not (the rule needs fixing); 2 unknown rule or usage error.
)";

namespace {

std::string Name(absl::string_view enum_name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(enum_name, prefix));
}

std::string Dimensions(const RuleInfo& rule) {
  std::vector<std::string> names;
  for (v1::Dimension d : rule.dimensions) {
    names.push_back(Name(v1::Dimension_Name(d), "DIMENSION_"));
  }
  return absl::StrJoin(names, ", ");
}

// Up to three rule ids that contain `wanted` or share its lexicon prefix.
std::vector<std::string> SimilarIds(const std::vector<RuleInfo>& rules,
                                    const std::string& wanted) {
  std::vector<std::string> out;
  const std::string prefix = wanted.substr(0, wanted.rfind('.') + 1);
  for (const RuleInfo& r : rules) {
    if (out.size() == 3) break;
    if (r.id.find(wanted) != std::string::npos ||
        (!wanted.empty() && wanted.find(r.id) != std::string::npos) ||
        (prefix.size() > 3 && absl::StartsWith(r.id, prefix))) {
      out.push_back(r.id);
    }
  }
  return out;
}

void PrintList(const char* heading, const std::vector<std::string>& items) {
  if (items.empty()) return;
  std::cout << heading << "\n";
  for (const std::string& s : items) {
    std::cout << "  - " << EscapeForTerminal(s) << "\n";
  }
}

void PrintText(const RuleInfo& rule,
               const std::vector<ExampleResult>& results) {
  std::cout << EscapeForTerminal(rule.id) << "\n";
  if (rule.kind == RuleInfo::Kind::kHighlight) {
    std::cout << "Kind: good element ("
              << Name(v1::HighlightKind_Name(rule.highlight_kind),
                      "HIGHLIGHT_KIND_")
              << ")\n";
  } else {
    std::cout << "Kind: finding, "
              << Name(v1::Severity_Name(rule.default_severity), "SEVERITY_")
              << " before context; dimension: " << Dimensions(rule) << "\n";
  }
  std::cout << "Language: " << (rule.language.empty() ? "all" : rule.language)
            << "; lexicon: " << EscapeForTerminal(rule.lexicon_id) << "\n";
  if (rule.built_in_analyzer) {
    std::cout << "Found by a built-in analyzer (no word list of its own).\n";
  }
  std::cout << "\nWhy: " << EscapeForTerminal(rule.explanation) << "\n";
  if (!rule.suggestions.empty() || !rule.advice.empty()) std::cout << "\n";
  PrintList("Instead:", rule.suggestions);
  PrintList("Advice:", rule.advice);
  if (!rule.legal_basis.empty()) {
    std::cout << "\nLegal basis: " << EscapeForTerminal(rule.legal_basis)
              << "\n";
  }
  if (!rule.sources.empty()) std::cout << "\n";
  PrintList("Sources:", rule.sources);
  std::vector<std::string> terms = rule.words;
  for (const auto* list :
       {&rule.stems, &rule.compound_tails, &rule.phrases, &rule.patterns}) {
    terms.insert(terms.end(), list->begin(), list->end());
  }
  if (!terms.empty()) {
    std::cout << "\nMatches (" << terms.size() << " terms): "
              << EscapeForTerminal(absl::StrJoin(
                     terms.begin(),
                     terms.begin() + std::min<size_t>(terms.size(), 12), "; "))
              << (terms.size() > 12 ? "; …" : "") << "\n";
  }
  std::cout << "\nExamples (scanned now):\n";
  if (results.empty()) std::cout << "  (none in the lexicon)\n";
  for (const ExampleResult& r : results) {
    const char* mark = r.ok() ? "ok  " : "FAIL";
    std::string what;
    if (!r.error.empty()) {
      what = absl::StrCat("cannot be scanned: ", r.error);
    } else if (r.must_fire) {
      what = r.fired ? (r.severity == v1::SEVERITY_UNSPECIFIED
                            ? "flagged"
                            : absl::StrCat("flagged, ",
                                           Name(v1::Severity_Name(r.severity),
                                                "SEVERITY_")))
                     : "NOT flagged, but should be";
    } else {
      what = r.fired ? "flagged, but must not be" : "not flagged, as meant";
    }
    std::cout << "  " << mark << " " << (r.must_fire ? "flags " : "spares")
              << " \"" << EscapeForTerminal(r.text) << "\": " << what << "\n";
  }
}

void PrintJson(const RuleInfo& rule,
               const std::vector<ExampleResult>& results) {
  std::string out = absl::StrCat(
      "{\"rule\":", ProtoJson(api::ToRuleMessage(rule)), ",\"examples\":[");
  for (size_t i = 0; i < results.size(); ++i) {
    const ExampleResult& r = results[i];
    absl::StrAppend(&out, i ? "," : "", "{\"text\":", JsonQuote(r.text),
                    ",\"mustFire\":", r.must_fire ? "true" : "false",
                    ",\"fired\":", r.fired ? "true" : "false",
                    ",\"severity\":", JsonQuote(v1::Severity_Name(r.severity)),
                    ",\"ok\":", r.ok() ? "true" : "false",
                    ",\"error\":", JsonQuote(r.error), "}");
  }
  out += "]}\n";
  std::cout << out;
}

}  // namespace

int ExplainCommand(int argc, char** argv) {
  CommandLine line;
  std::string format = "text";
  std::string lexicons = DefaultLexiconDir();
  line.Add("format", &format);
  line.Add("lexicons", &lexicons);
  std::string error;
  if (!line.Parse(argc, argv, 2, &error)) return Usage(error, kExplainHelp);
  if (line.help()) {
    std::cout << kExplainHelp;
    return kExitOk;
  }
  if (line.positional().size() != 1) {
    return Usage(line.positional().empty() ? "name one rule id"
                                           : "name only one rule id",
                 kExplainHelp);
  }
  if (format != "text" && format != "json") {
    return Usage(
        absl::StrCat("--format must be text or json, not \"", format, "\""),
        kExplainHelp);
  }
  EngineOptions options;
  options.lexicon_dir = lexicons;
  std::unique_ptr<Engine> engine = LoadEngine(options);
  if (engine == nullptr) return kExitUsage;
  const std::string wanted = line.positional()[0];
  const std::vector<RuleInfo> rules = ListRules(*engine->lexicons());
  auto it = std::find_if(rules.begin(), rules.end(),
                         [&](const RuleInfo& r) { return r.id == wanted; });
  if (it == rules.end()) {
    std::cerr << "divcheck: no rule \"" << EscapeForTerminal(wanted)
              << "\" in the lexicons in use (" << EscapeForTerminal(lexicons)
              << ")";
    const std::vector<std::string> similar = SimilarIds(rules, wanted);
    if (!similar.empty()) {
      std::cerr << "; did you mean " << absl::StrJoin(similar, ", ") << "?";
    }
    std::cerr << "\n";
    return kExitUsage;
  }
  const std::vector<ExampleResult> results = RunRuleExamples(*engine, *it);
  if (format == "json") {
    PrintJson(*it, results);
  } else {
    PrintText(*it, results);
  }
  const bool all_ok =
      std::all_of(results.begin(), results.end(),
                  [](const ExampleResult& r) { return r.ok(); });
  return all_ok ? kExitOk : kExitFindings;
}

}  // namespace divcheck::cli
