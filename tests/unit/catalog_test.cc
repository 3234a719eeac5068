#include "analyzers/catalog.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/temp_dir.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

using unit_testing::TempDir;

// A German file with a finding, a highlight and a gender-coded word, a
// language-independent file with one finding.
std::shared_ptr<const LexiconSet> LoadSmallSet(const TempDir& dir) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(dir.path(), &problems);
  EXPECT_TRUE(set.ok()) << set.status();
  for (const LexiconProblem& p : problems) ADD_FAILURE() << p.ToString();
  return set.ok() ? *set : nullptr;
}

void WriteSmallSet(TempDir* dir) {
  dir->Write("de/a.textproto", R"(id: "de.a" language: "de" version: "v1"
entries {
  id: "de.a.z_finding"
  dimensions: DIMENSION_AGE
  dimensions: DIMENSION_GENDER
  severity: SEVERITY_WARNING
  words: "jung"
  phrases: "junges team"
  exceptions: "jungfrau"
  modifiers {
    effect: EFFECT_SOFTEN
    scope: SCOPE_BEFORE
    cues: "für"
    cues: "mit"
    note: "Kundschaft?"
  }
  modifiers {
    effect: EFFECT_SUPPRESS
    scope: SCOPE_DOCUMENT
    flag: "church_employer"
  }
  explanation: "e"
  suggestions: "s"
  legal_basis: "AGG"
  sources: "src"
}
entries {
  id: "de.a.highlight"
  kind: ENTRY_KIND_HIGHLIGHT
  highlight_kind: HIGHLIGHT_KIND_DIVERSITY_STATEMENT
  words: "vielfalt"
  explanation: "h"
  sources: "src"
}
entries {
  id: "de.a.agentic"
  kind: ENTRY_KIND_AGENTIC
  words: "durchsetzungsstark"
}
job_titles { masculine: "Koch" feminine: "Köchin" }
)");
  dir->Write("common/b.textproto", R"(id: "common.b" language: ""
entries {
  id: "b.any"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_HINT
  stems: "abc"
  explanation: "e"
  suggestions: "s"
  sources: "src"
}
)");
}

TEST(Catalog, ListRulesNamesFindingsAndHighlightsSortedById) {
  TempDir dir;
  WriteSmallSet(&dir);
  auto set = LoadSmallSet(dir);
  ASSERT_NE(set, nullptr);
  const std::vector<RuleInfo> rules = ListRules(*set);
  std::vector<std::string> ids;
  for (const RuleInfo& r : rules) ids.push_back(r.id);
  // The gender-coded word is not a rule of its own.
  EXPECT_THAT(ids, ElementsAre("b.any", "de.a.highlight", "de.a.z_finding"));

  const RuleInfo& any = rules[0];
  EXPECT_EQ(any.kind, RuleInfo::Kind::kFinding);
  EXPECT_EQ(any.language, "");
  EXPECT_EQ(any.lexicon_id, "common.b");
  EXPECT_THAT(any.stems, ElementsAre("abc"));
  EXPECT_EQ(any.default_severity, v1::SEVERITY_HINT);

  const RuleInfo& highlight = rules[1];
  EXPECT_EQ(highlight.kind, RuleInfo::Kind::kHighlight);
  EXPECT_EQ(highlight.highlight_kind, v1::HIGHLIGHT_KIND_DIVERSITY_STATEMENT);
  EXPECT_TRUE(highlight.dimensions.empty());
  EXPECT_EQ(highlight.default_severity, v1::SEVERITY_UNSPECIFIED);

  const RuleInfo& finding = rules[2];
  EXPECT_EQ(finding.language, "de");
  EXPECT_EQ(finding.lexicon_id, "de.a");
  EXPECT_THAT(finding.dimensions,
              ElementsAre(v1::DIMENSION_AGE, v1::DIMENSION_GENDER));
  EXPECT_EQ(finding.default_severity, v1::SEVERITY_WARNING);
  EXPECT_THAT(finding.words, ElementsAre("jung"));
  EXPECT_THAT(finding.phrases, ElementsAre("junges team"));
  EXPECT_THAT(finding.suggestions, ElementsAre("s"));
  EXPECT_EQ(finding.legal_basis, "AGG");
  EXPECT_FALSE(finding.built_in_analyzer);
}

TEST(Catalog, ListRulesCarriesContextModifiersAndExceptions) {
  TempDir dir;
  WriteSmallSet(&dir);
  auto set = LoadSmallSet(dir);
  ASSERT_NE(set, nullptr);
  const std::vector<RuleInfo> rules = ListRules(*set);
  auto it = std::find_if(rules.begin(), rules.end(), [](const RuleInfo& r) {
    return r.id == "de.a.z_finding";
  });
  ASSERT_NE(it, rules.end());
  EXPECT_THAT(it->exceptions, ElementsAre("jungfrau"));
  ASSERT_EQ(it->contexts.size(), 2u);
  EXPECT_EQ(it->contexts[0].effect, config::v1::ContextModifier::EFFECT_SOFTEN);
  EXPECT_THAT(it->contexts[0].cues, ElementsAre("für", "mit"));
  EXPECT_EQ(it->contexts[0].note, "Kundschaft?");
  EXPECT_EQ(it->contexts[0].document_flag, "");
  EXPECT_EQ(it->contexts[1].effect,
            config::v1::ContextModifier::EFFECT_SUPPRESS);
  EXPECT_EQ(it->contexts[1].document_flag, "church_employer");
  EXPECT_TRUE(it->contexts[1].cues.empty());
}

TEST(Catalog, DescribeLexiconsListsFilesByPath) {
  TempDir dir;
  WriteSmallSet(&dir);
  auto set = LoadSmallSet(dir);
  ASSERT_NE(set, nullptr);
  const LexiconInfo info = DescribeLexicons(*set);
  EXPECT_EQ(info.content_hash, set->content_hash());
  ASSERT_EQ(info.files.size(), 2u);
  EXPECT_EQ(info.files[0].path, "common/b.textproto");
  EXPECT_EQ(info.files[1].path, "de/a.textproto");
  EXPECT_EQ(info.files[1].version, "v1");
  EXPECT_EQ(info.files[1].entry_count, 3u);
  EXPECT_EQ(info.files[1].job_title_count, 1u);
  EXPECT_EQ(info.entry_count, 4u);
  EXPECT_THAT(info.languages, ElementsAre("de"));
}

TEST(Catalog, CountLexiconTermsByLanguageKindDimensionAndSeverity) {
  TempDir dir;
  WriteSmallSet(&dir);
  auto set = LoadSmallSet(dir);
  ASSERT_NE(set, nullptr);
  const LexiconStats stats = CountLexiconTerms(*set);
  EXPECT_EQ(stats.files, 2u);
  EXPECT_EQ(stats.entries, 4u);
  EXPECT_EQ(stats.terms, 5u);
  EXPECT_EQ(stats.job_titles, 1u);
  ASSERT_EQ(stats.by_language.size(), 2u);

  const LexiconLanguageStats& all = stats.by_language.at("all");
  EXPECT_EQ(all.entries, 1u);
  EXPECT_EQ(all.terms, 1u);
  EXPECT_EQ(all.finding_terms_by_severity.at("HINT"), 1u);

  const LexiconLanguageStats& de = stats.by_language.at("de");
  EXPECT_EQ(de.entries, 3u);
  EXPECT_EQ(de.terms, 4u);
  EXPECT_EQ(de.job_titles, 1u);
  // Finding, highlight and gender-coded terms plus the job title.
  EXPECT_EQ(de.matchable_concepts, 5u);
  EXPECT_EQ(de.entries_by_kind.at("FINDING"), 1u);
  EXPECT_EQ(de.entries_by_kind.at("AGENTIC"), 1u);
  EXPECT_EQ(de.terms_by_kind.at("FINDING"), 2u);
  // A term counts once for each dimension of its entry.
  EXPECT_EQ(de.finding_terms_by_dimension.at("AGE"), 2u);
  EXPECT_EQ(de.finding_terms_by_dimension.at("GENDER"), 2u);
  EXPECT_EQ(de.finding_terms_by_severity.at("WARNING"), 2u);
}

TEST(Catalog, ShippedLexiconsHaveUniqueRuleIdsWithTheirFiles) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, &problems);
  ASSERT_TRUE(set.ok()) << set.status();
  const std::vector<RuleInfo> rules = ListRules(**set);
  ASSERT_FALSE(rules.empty());
  std::set<std::string> file_ids;
  for (const LexiconFileInfo& f : (*set)->files()) file_ids.insert(f.id);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(rules[i - 1].id, rules[i].id);
    }
    EXPECT_TRUE(file_ids.count(rules[i].lexicon_id)) << rules[i].id;
    if (rules[i].kind == RuleInfo::Kind::kFinding) {
      EXPECT_FALSE(rules[i].dimensions.empty()) << rules[i].id;
    }
  }
  const LexiconStats stats = CountLexiconTerms(**set);
  size_t entries = 0;
  for (const auto& [lang, c] : stats.by_language) entries += c.entries;
  EXPECT_EQ(entries, stats.entries);
}

}  // namespace
}  // namespace divcheck
