#include "analyzers/lexicon_lint.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/replacement_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/temp_dir.h"

namespace divcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using unit_testing::TempDir;

// One finding entry of the German test lexicon.
std::string Entry(const std::string& id, const std::string& terms) {
  return absl::StrCat("entries {\n  id: \"", id,
                      "\"\n  dimensions: DIMENSION_AGE\n  severity: "
                      "SEVERITY_WARNING\n",
                      terms,
                      "  explanation: \"e\"\n  suggestions: \"s\"\n"
                      "  legal_basis: \"AGG\"\n  sources: \"src\"\n}\n");
}

std::shared_ptr<const LexiconSet> Load(const TempDir& dir) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(dir.path(), &problems);
  EXPECT_TRUE(set.ok()) << set.status();
  for (const LexiconProblem& p : problems) ADD_FAILURE() << p.ToString();
  return set.ok() ? *set : nullptr;
}

TEST(LexiconLint, CleanEntriesGiveNoWarning) {
  TempDir dir;
  dir.Write("de/a.textproto",
            "id: \"de.a\" language: \"de\"\n" +
                Entry("de.a.jung", "  words: \"jung\"\n") +
                Entry("de.a.team", "  phrases: \"junges team\"\n") +
                Entry("de.a.stem", "  stems: \"dynamisch\"\n"));
  auto set = Load(dir);
  ASSERT_NE(set, nullptr);
  EXPECT_THAT(LintLexicons(*set), ::testing::IsEmpty());
}

TEST(LexiconLint, FunctionWordsShortStemsAndSharedTermsAreWarned) {
  TempDir dir;
  dir.Write("de/a.textproto",
            "id: \"de.a\" language: \"de\"\n" +
                Entry("de.a.und", "  words: \"Und\"\n") +
                Entry("de.a.short", "  stems: \"der\"\n") +
                Entry("de.a.first", "  phrases: \"junges Team\"\n") +
                Entry("de.a.second", "  phrases: \"JUNGES TEAM\"\n"));
  // The same phrase in another language is no conflict.
  dir.Write("en/a.textproto",
            "id: \"en.a\" language: \"en\"\n" + Entry("en.a.team",
                                                      "  phrases: \"junges "
                                                      "team\"\n"));
  auto set = Load(dir);
  ASSERT_NE(set, nullptr);
  const std::vector<LexiconWarning> warnings = LintLexicons(*set);
  EXPECT_THAT(warnings,
              ElementsAre(Field(&LexiconWarning::rule_id, "de.a.second"),
                          Field(&LexiconWarning::rule_id, "de.a.short"),
                          Field(&LexiconWarning::rule_id, "de.a.und")));
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0].lexicon_id, "de.a");
  EXPECT_THAT(warnings[0].message, HasSubstr("also in rule de.a.first"));
  EXPECT_THAT(warnings[1].message,
              HasSubstr("the stem \"der\" is a function word"));
  EXPECT_THAT(warnings[2].message, HasSubstr("function word"));
}

TEST(ReplacementText, InstructionsAndGapsAreNotReplacements) {
  EXPECT_FALSE(LooksLikeInstruction("Verkaufskraft (m/w/d)"));
  EXPECT_FALSE(LooksLikeInstruction("Sie arbeiten gern im Team."));
  EXPECT_FALSE(LooksLikeInstruction("you enjoy working in a team"));
  EXPECT_FALSE(LooksLikeInstruction("please send your CV and certificates"));
  EXPECT_FALSE(LooksLikeInstruction("Feld"));
  EXPECT_FALSE(LooksLikeInstruction(
      "Benötigen Sie eine Arbeitserlaubnis? Wir unterstützen Sie gern."));
  EXPECT_TRUE(LooksLikeInstruction("Beschreiben Sie die Aufgaben."));
  EXPECT_TRUE(LooksLikeInstruction("Streichen Sie die Vorgabe."));
  EXPECT_TRUE(LooksLikeInstruction(
      "Kirchliche Arbeitgeber: Beschreiben Sie, warum die Tätigkeit …"));
  EXPECT_TRUE(LooksLikeInstruction("Feld streichen."));
  EXPECT_TRUE(LooksLikeInstruction(
      "Feld streichen und im Formular schreiben: „Bitte …“"));
  EXPECT_TRUE(LooksLikeInstruction("Stattdessen fragen: „Dauer (Monate)“"));
  EXPECT_TRUE(LooksLikeInstruction("describe the tasks instead"));
  EXPECT_TRUE(LooksLikeInstruction("Name a CEFR level, e.g. B2"));
  EXPECT_TRUE(LooksLikeInstruction("Drop the field."));
  EXPECT_EQ(ReplacementProblem("Verkaufskraft (m/w/d)"), "");
  EXPECT_THAT(ReplacementProblem("mit Erfahrung in \u2026"), HasSubstr("gap"));
  EXPECT_THAT(ReplacementProblem("Streichen Sie die Angabe."),
              HasSubstr("instruction"));
}

TEST(LexiconLint, InstructionsInSuggestionsAreWarnedAdviceIsNot) {
  TempDir dir;
  dir.Write("de/a.textproto",
            "id: \"de.a\" language: \"de\"\n"
            "entries {\n  id: \"de.a.jung\"\n  dimensions: DIMENSION_AGE\n"
            "  severity: SEVERITY_WARNING\n  words: \"jung\"\n"
            "  explanation: \"e\"\n"
            "  suggestions: \"Streichen Sie die Angabe.\"\n"
            "  legal_basis: \"AGG\"\n  sources: \"src\"\n}\n"
            "entries {\n  id: \"de.a.alt\"\n  dimensions: DIMENSION_AGE\n"
            "  severity: SEVERITY_WARNING\n  words: \"alt\"\n"
            "  explanation: \"e\"\n"
            "  advice: \"Streichen Sie die Angabe.\"\n"
            "  legal_basis: \"AGG\"\n  sources: \"src\"\n}\n");
  auto set = Load(dir);
  ASSERT_NE(set, nullptr);
  const std::vector<LexiconWarning> warnings = LintLexicons(*set);
  ASSERT_THAT(warnings,
              ElementsAre(Field(&LexiconWarning::rule_id, "de.a.jung")));
  EXPECT_THAT(warnings[0].message, HasSubstr("move it to `advice`"));
}

TEST(LexiconLint, TheShippedLexiconsHaveNoWarning) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, &problems);
  ASSERT_TRUE(set.ok()) << set.status();
  for (const LexiconWarning& w : LintLexicons(**set)) {
    ADD_FAILURE() << w.lexicon_id << ": " << w.rule_id << ": " << w.message;
  }
}

TEST(LexiconLint, ARuleFiringInMostReferenceTextsIsTooBroad) {
  TempDir dir;
  dir.Write("de/a.textproto", "id: \"de.a\" language: \"de\"\n" +
                                  Entry("de.a.team", "  words: \"team\"\n") +
                                  Entry("de.a.jung", "  words: \"jung\"\n"));
  EngineOptions options;
  options.lexicon_dir = dir.path();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::vector<std::string> texts(9, "Unser Team sucht dich.");
  texts.push_back("Wir sind jung.");
  // 9 texts are too few to judge.
  EXPECT_THAT(
      LintAgainstCorpus(
          **engine, std::vector<std::string>(texts.begin(), texts.end() - 1),
          0.25),
      ::testing::IsEmpty());
  const std::vector<LexiconWarning> broad =
      LintAgainstCorpus(**engine, texts, 0.25);
  ASSERT_EQ(broad.size(), 1u);
  EXPECT_EQ(broad[0].rule_id, "de.a.team");
  EXPECT_EQ(broad[0].lexicon_id, "de.a");
  EXPECT_THAT(broad[0].message, HasSubstr("9 of 10"));
}

}  // namespace
}  // namespace divcheck

namespace divcheck {
namespace {

using ::testing::HasSubstr;
using unit_testing::TempDir;

std::unique_ptr<Engine> EngineOver(const TempDir& dir) {
  EngineOptions options;
  options.lexicon_dir = dir.path();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

std::string ExampleEntry(const std::string& examples) {
  return absl::StrCat(
      "id: \"de.a\" language: \"de\"\nentries {\n  id: \"de.a.jung\"\n"
      "  dimensions: DIMENSION_AGE\n  severity: SEVERITY_WARNING\n"
      "  words: \"jung\"\n",
      examples,
      "  explanation: \"e\"\n  suggestions: \"s\"\n"
      "  legal_basis: \"AGG\"\n  sources: \"src\"\n}\n");
}

TEST(LexiconExamples, ExamplesThatBehaveGiveNoWarning) {
  TempDir dir;
  dir.Write("de/a.textproto",
            ExampleEntry("  examples: \"Wir sind jung.\"\n"
                         "  counter_examples: \"Wir sind alt.\"\n"));
  std::unique_ptr<Engine> engine = EngineOver(dir);
  ASSERT_NE(engine, nullptr);
  EXPECT_TRUE(LintExamples(*engine).empty());
  const std::vector<RuleInfo> rules = ListRules(*engine->lexicons());
  ASSERT_EQ(rules.size(), 1u);
  std::vector<ExampleResult> results = RunRuleExamples(*engine, rules[0]);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].must_fire);
  EXPECT_TRUE(results[0].fired);
  EXPECT_EQ(results[0].severity, v1::SEVERITY_WARNING);
  EXPECT_FALSE(results[1].must_fire);
  EXPECT_FALSE(results[1].fired);
}

TEST(LexiconExamples, FailingAndMissingExamplesAreWarnings) {
  TempDir dir;
  dir.Write("de/a.textproto",
            ExampleEntry("  examples: \"Wir sind alt.\"\n"
                         "  counter_examples: \"Wir sind jung.\"\n"));
  std::unique_ptr<Engine> engine = EngineOver(dir);
  ASSERT_NE(engine, nullptr);
  std::vector<LexiconWarning> w = LintExamples(*engine);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_THAT(w[0].message, HasSubstr("counter-example \"Wir sind jung.\" "
                                      "makes its finding, but must not"));
  EXPECT_THAT(w[1].message,
              HasSubstr("example \"Wir sind alt.\" does not make its finding"));

  TempDir bare;
  bare.Write("de/a.textproto", ExampleEntry(""));
  engine = EngineOver(bare);
  ASSERT_NE(engine, nullptr);
  w = LintExamples(*engine);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_THAT(w[0].message, HasSubstr("no counter-example"));
  EXPECT_THAT(w[1].message, HasSubstr("no example"));
}

// Every rule of the shipped lexicons carries an example that must fire and a
// counter-example that must not, and each behaves (issue 14: "each entry
// carries examples that the tests run").
TEST(LexiconExamples, ShippedLexiconsExamplesAllBehave) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  size_t rules = 0;
  size_t examples = 0;
  for (const RuleInfo& rule : ListRules(*(*engine)->lexicons())) {
    if (rule.form_field_rule) continue;
    ++rules;
    examples += rule.examples.size() + rule.counter_examples.size();
  }
  const std::vector<LexiconWarning> warnings = LintExamples(**engine);
  for (const LexiconWarning& w : warnings) {
    ADD_FAILURE() << w.rule_id << ": " << w.message;
  }
  std::cout << rules << " rules, " << examples << " examples scanned, "
            << warnings.size() << " failing\n";
  EXPECT_GT(rules, 200u);
}

}  // namespace
}  // namespace divcheck

namespace divcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using unit_testing::TempDir;

// A finding entry with a severity of its own.
std::string SevEntry(const std::string& id, const std::string& severity,
                     const std::string& terms) {
  return absl::StrCat("entries {\n  id: \"", id,
                      "\"\n  dimensions: DIMENSION_AGE\n  severity: ", severity,
                      "\n", terms,
                      "  explanation: \"e\"\n  suggestions: \"s\"\n"
                      "  legal_basis: \"AGG\"\n  sources: \"src\"\n}\n");
}

TEST(LexiconShadowed, ATermAnotherRuleAlwaysClaimsIsWarned) {
  TempDir dir;
  // "junges" of de.a.weak is always matched by the stem "jung" of the more
  // severe de.a.strong over the same words: the weak finding is dropped.
  // "teamgeist" of de.a.self is one of its own exceptions.
  dir.Write(
      "de/a.textproto",
      "id: \"de.a\" language: \"de\"\n" +
          SevEntry("de.a.strong", "SEVERITY_CRITICAL", "  stems: \"jung\"\n") +
          SevEntry("de.a.weak", "SEVERITY_WARNING",
                   "  words: \"junges\"\n  words: \"frisch\"\n") +
          SevEntry("de.a.self", "SEVERITY_WARNING",
                   "  words: \"teamgeist\"\n  words: \"dynamik\"\n"
                   "  exceptions: \"teamgeist\"\n"));
  std::unique_ptr<Engine> engine = EngineOver(dir);
  ASSERT_NE(engine, nullptr);
  const std::vector<LexiconWarning> w = LintShadowed(*engine);
  ASSERT_THAT(w, ElementsAre(Field(&LexiconWarning::rule_id, "de.a.self"),
                             Field(&LexiconWarning::rule_id, "de.a.weak")));
  EXPECT_THAT(w[0].message,
              HasSubstr("\"teamgeist\" is one of the rule's own exceptions"));
  EXPECT_THAT(w[1].message, HasSubstr("\"junges\" is shadowed by de.a.strong"));
}

TEST(LexiconShadowed, IndependentTermsGiveNoWarning) {
  TempDir dir;
  dir.Write("de/a.textproto", "id: \"de.a\" language: \"de\"\n" +
                                  SevEntry("de.a.one", "SEVERITY_WARNING",
                                           "  stems: \"jung\"\n") +
                                  SevEntry("de.a.two", "SEVERITY_CRITICAL",
                                           "  phrases: \"junges team\"\n"));
  std::unique_ptr<Engine> engine = EngineOver(dir);
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(LintShadowed(*engine), ::testing::IsEmpty());
}

TEST(LexiconShadowed, TheShippedLexiconsHaveNoShadowedTerm) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  for (const LexiconWarning& w : LintShadowed(**engine)) {
    ADD_FAILURE() << w.lexicon_id << ": " << w.rule_id << ": " << w.message;
  }
}

}  // namespace
}  // namespace divcheck
