#include "analyzers/lexicon.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzers/internal/lexicon_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/temp_dir.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using unit_testing::TempDir;

constexpr char kGoodEntry[] = R"(
entries {
  id: "x.good"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_WARNING
  words: "jung"
  explanation: "e"
  suggestions: "s"
  legal_basis: "AGG"
  sources: "src"
}
)";

std::string ProblemStrings(const std::vector<LexiconProblem>& ps) {
  std::string out;
  for (const auto& p : ps) out += p.ToString() + "\n";
  return out;
}

TEST(LexiconSet, LoadsAValidDirectory) {
  TempDir dir;
  dir.Write("de/a.textproto",
            std::string("id: \"a\" language: \"de\"\n") + kGoodEntry);
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(dir.path(), &problems);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE(problems.empty());
  ASSERT_NE((*set)->ForLanguage("de"), nullptr);
  EXPECT_EQ((*set)->ForLanguage("en"), nullptr);
  EXPECT_EQ((*set)->entry_count(), 1u);
  EXPECT_EQ((*set)->content_hash().size(), 16u);
}

TEST(LexiconSet, EntriesNameTheFileThatDefinesThem) {
  TempDir dir;
  dir.Write("de/a.textproto",
            std::string("id: \"a\" language: \"de\"\n") + kGoodEntry);
  std::string other = kGoodEntry;
  other.replace(other.find("x.good"), 6, "y.good");
  // Language-independent files are compiled after the language files.
  dir.Write("all/b.textproto", "id: \"b\"\n" + other);
  auto set = LexiconSet::Load(dir.path(), nullptr);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ((*set)->entry_count(), 2u);
  for (size_t i = 0; i < (*set)->entry_count(); ++i) {
    const CompiledEntry& e = (*set)->entry(static_cast<uint32_t>(i));
    ASSERT_LT(e.file_index, (*set)->files().size());
    EXPECT_EQ((*set)->files()[e.file_index].id,
              e.def->id() == "x.good" ? "a" : "b");
  }
}

TEST(LexiconSet, MissingDirectoryIsNotFound) {
  auto set = LexiconSet::Load("/nonexistent/divcheck", nullptr);
  EXPECT_EQ(set.status().code(), absl::StatusCode::kNotFound);
}

TEST(LexiconSet, ReportsEveryProblemWithFileLineAndColumn) {
  TempDir dir;
  // Syntax error (unknown enum value) in one file ...
  dir.Write("de/syntax.textproto",
            "id: \"s\"\nlanguage: \"de\"\nentries {\n  id: \"s.x\"\n"
            "  severity: SEVERITY_TERRIBLE\n}\n");
  // ... and several semantic problems in another, all reported.
  dir.Write("de/semantic.textproto", std::string(R"(id: "m"
language: "de"
entries {
  id: "x.empty"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_WARNING
  words: ""
  explanation: "e"
  suggestions: "s"
  legal_basis: "l"
  sources: "src"
}
entries {
  id: "x.regex"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_WARNING
  patterns: "(unclosed"
  explanation: "e"
  suggestions: "s"
  legal_basis: "l"
  sources: "src"
}
entries {
  id: "x.texts"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_CRITICAL
  phrases: "junges team"
}
)") + kGoodEntry + kGoodEntry);
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(dir.path(), &problems);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string all = ProblemStrings(problems);
  EXPECT_THAT(all,
              HasSubstr("de/syntax.textproto:6:1: Unknown enumeration value"));
  EXPECT_THAT(all, HasSubstr("SEVERITY_TERRIBLE"));
  EXPECT_THAT(all, HasSubstr("de/semantic.textproto:7:3: empty words term"));
  EXPECT_THAT(
      all,
      HasSubstr(
          "de/semantic.textproto:17:3: pattern does not compile under RE2"));
  EXPECT_THAT(all, HasSubstr("explanation is empty"));
  EXPECT_THAT(all, HasSubstr("needs at least one suggestion"));
  EXPECT_THAT(all, HasSubstr("needs a legal_basis"));
  EXPECT_THAT(all, HasSubstr("duplicate entry id \"x.good\""));
  EXPECT_GE(problems.size(), 7u) << all;
}

TEST(LexiconSet, RejectsMultiWordTermsAndShortStems) {
  TempDir dir;
  dir.Write("en/a.textproto", R"(id: "a" language: "en"
entries { id: "a.b" kind: ENTRY_KIND_AGENTIC words: "two words" stems: "ab" explanation: "e" sources: "s" }
entries { id: "a.c" kind: ENTRY_KIND_DOCUMENT_FLAG words: "church" }
entries { id: "BAD ID" kind: ENTRY_KIND_NEGATION_CUE words: "not" }
)");
  std::vector<LexiconProblem> problems;
  ASSERT_FALSE(LexiconSet::Load(dir.path(), &problems).ok());
  const std::string all = ProblemStrings(problems);
  EXPECT_THAT(all, HasSubstr("en/a.textproto:2:46: words term \"two words\" "
                             "must be a single token"));
  EXPECT_THAT(all, HasSubstr("shorter than 3"));
  EXPECT_THAT(all, HasSubstr("needs a flag"));
  EXPECT_THAT(all, HasSubstr("may contain only"));
}

TEST(LexiconSet, DuSuggestionsMustMatchTheSuggestions) {
  TempDir dir;
  dir.Write("de/a.textproto", R"(id: "a" language: "de"
entries {
  id: "a.du"
  dimensions: DIMENSION_AGE
  severity: SEVERITY_HINT
  words: "jung"
  explanation: "e"
  suggestions: "Ihre Erfahrung"
  suggestions: "Erfahrung"
  suggestions_du: "deine Erfahrung"
  sources: "src"
}
)");
  std::vector<LexiconProblem> problems;
  ASSERT_FALSE(LexiconSet::Load(dir.path(), &problems).ok());
  EXPECT_THAT(ProblemStrings(problems),
              HasSubstr("suggestions_du must have as many entries as "
                        "suggestions (2), in the same order; it has 1"));
}

TEST(LexiconSet, TermReplacementsNameTermsOfTheEntry) {
  TempDir dir;
  dir.Write("en/a.textproto", R"(id: "a" language: "en"
entries {
  id: "a.noun"
  dimensions: DIMENSION_GENDER
  severity: SEVERITY_HINT
  words: "salesman"
  explanation: "e"
  advice: "a"
  term_replacements { terms: "salesman" replacements: "salesperson" }
  term_replacements { terms: "chairman" replacements: "chair" }
  term_replacements { terms: "salesman" }
  sources: "src"
}
)");
  std::vector<LexiconProblem> problems;
  ASSERT_FALSE(LexiconSet::Load(dir.path(), &problems).ok());
  const std::string all = ProblemStrings(problems);
  EXPECT_THAT(all, HasSubstr("\"chairman\" is not one of this entry's words "
                             "or phrases"));
  EXPECT_THAT(all, HasSubstr("needs terms and replacements"));
}

TEST(LexiconSet, ShippedLexiconsLoadWithoutProblems) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, &problems);
  ASSERT_TRUE(set.ok()) << ProblemStrings(problems);
  EXPECT_NE((*set)->ForLanguage("de"), nullptr);
  EXPECT_NE((*set)->ForLanguage("en"), nullptr);
}

}  // namespace
}  // namespace divcheck
