#include "analyzers/form_fields.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/engine.h"
#include "analyzers/internal/lexicon_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace divcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Texts(absl::string_view s) {
  std::vector<std::string> out;
  for (const FieldToken& t : NormaliseFieldText(s)) out.push_back(t.text);
  return out;
}

TEST(NormaliseFieldText, SplitsAtSeparatorsCamelCaseAndDigits) {
  EXPECT_THAT(Texts("geb_datum"), ElementsAre("geb", "datum"));
  EXPECT_THAT(Texts("geburtsDatum"), ElementsAre("geburts", "datum"));
  EXPECT_THAT(Texts("dateOfBirth"), ElementsAre("date", "of", "birth"));
  EXPECT_THAT(Texts("applicant.date-of_birth"),
              ElementsAre("applicant", "date", "of", "birth"));
  EXPECT_THAT(Texts("HTMLParser"), ElementsAre("html", "parser"));
  EXPECT_THAT(Texts("DOB"), ElementsAre("dob"));
  EXPECT_THAT(Texts("feld2wert"), ElementsAre("feld", "2", "wert"));
}

TEST(NormaliseFieldText, FoldsCaseAndTransliteratesUmlauts) {
  EXPECT_THAT(Texts("Staatsangehörigkeit"),
              ElementsAre("staatsangehoerigkeit"));
  EXPECT_THAT(Texts("STAATSANGEHÖRIGKEIT"),
              ElementsAre("staatsangehoerigkeit"));
  EXPECT_THAT(Texts("Größe"), ElementsAre("groesse"));
  EXPECT_THAT(Texts("GRÜSSE Ärger"), ElementsAre("gruesse", "aerger"));
  // Decomposed umlaut (u + combining diaeresis) and other accents.
  EXPECT_THAT(Texts("Mu\xCC\x88nchen r\xC3\xA9sum\xC3\xA9"),
              ElementsAre("muenchen", "resume"));
}

TEST(NormaliseFieldText, KeepsOriginalOffsetsAndClauses) {
  const std::vector<FieldToken> t = NormaliseFieldText("Größe. Foto");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].begin, 0u);
  EXPECT_EQ(t[0].end, 7u);  // "Größe" is 7 bytes
  EXPECT_EQ(t[1].begin, 9u);
  EXPECT_NE(t[0].clause, t[1].clause);
}

TEST(NormaliseFieldText, InvalidUtf8SeparatesTokens) {
  EXPECT_THAT(Texts("ab\xFF"
                    "cd"),
              ElementsAre("ab", "cd"));
  EXPECT_TRUE(Texts("").empty());
  EXPECT_TRUE(Texts(" _-. ").empty());
}

TEST(NormaliseJoined, SpellingVariantsMeetInOneKey) {
  for (const char* v : {"Geburtsdatum", "geburts_datum", "GeburtsDatum",
                        "GEBURTSDATUM", "geburts-datum"}) {
    EXPECT_EQ(NormaliseJoined(v), "geburtsdatum") << v;
  }
  EXPECT_EQ(NormaliseJoined("Geb.-Datum"), "gebdatum");
}

TEST(ParseFormTerm, StarsAndErrors) {
  FormTerm t;
  std::string error;
  ASSERT_TRUE(ParseFormTerm("schwerbehinder*", &t, &error));
  EXPECT_EQ(t.kind, FormTerm::Kind::kPrefix);
  EXPECT_EQ(t.text, "schwerbehinder");
  ASSERT_TRUE(ParseFormTerm("*foto", &t, &error));
  EXPECT_EQ(t.kind, FormTerm::Kind::kSuffix);
  ASSERT_TRUE(ParseFormTerm("geb. Datum", &t, &error));
  EXPECT_EQ(t.kind, FormTerm::Kind::kExact);
  EXPECT_EQ(t.text, "gebdatum");
  EXPECT_FALSE(ParseFormTerm("*foto*", &t, &error));
  EXPECT_FALSE(ParseFormTerm("fo*to", &t, &error));
  EXPECT_FALSE(ParseFormTerm(" - ", &t, &error));
  EXPECT_FALSE(ParseFormTerm("ab*", &t, &error));
}

TEST(TermIndex, MatchesWholeTokenRunsPrefixesAndSuffixes) {
  TermIndex index;
  FormTerm t;
  std::string error;
  ASSERT_TRUE(ParseFormTerm("geb datum", &t, &error));
  index.Add(t, 1);
  ASSERT_TRUE(ParseFormTerm("*foto", &t, &error));
  index.Add(t, 2);
  ASSERT_TRUE(ParseFormTerm("alter", &t, &error));
  index.Add(t, 3);
  auto hits = [&](absl::string_view s) {
    std::vector<uint32_t> out;
    index.ForEachMatch(
        NormaliseFieldText(s),
        [&](uint32_t p, uint32_t, uint32_t) { out.push_back(p); });
    return out;
  };
  EXPECT_THAT(hits("gebDatum"), ElementsAre(1));
  EXPECT_THAT(hits("gebdatum"), ElementsAre(1));
  EXPECT_THAT(hits("Bewerbungsfoto"), ElementsAre(2));
  EXPECT_THAT(hits("Alter"), ElementsAre(3));
  EXPECT_TRUE(hits("Fahrzeughalter").empty());  // not at a token start
  EXPECT_TRUE(hits("alternative_email").empty());
  EXPECT_THAT(hits("Geb.-Datum"), ElementsAre(1));
  EXPECT_THAT(hits("geb. Datum"), ElementsAre(1));
  // Runs never join two sentences.
  EXPECT_TRUE(hits("Name geb\nDatum").empty());
}

config::v1::FormFieldRule Rule(v1::Severity required, v1::Severity optional,
                               config::v1::NeutralOptionEffect neutral) {
  config::v1::FormFieldRule r;
  r.set_severity_required(required);
  r.set_severity_optional(optional);
  r.set_neutral_option(neutral);
  return r;
}

TEST(DecideFieldSeverity, RequiredOptionalAndNeutralOption) {
  const auto religion = Rule(v1::SEVERITY_CRITICAL, v1::SEVERITY_WARNING,
                             config::v1::NEUTRAL_OPTION_EFFECT_SOFTEN);
  SeverityReasons why;
  EXPECT_EQ(DecideFieldSeverity(religion, {true, false, {}}, &why),
            v1::SEVERITY_CRITICAL);
  EXPECT_FALSE(why.optional);
  EXPECT_EQ(DecideFieldSeverity(religion, {false, false, {}}, &why),
            v1::SEVERITY_WARNING);
  EXPECT_TRUE(why.optional);
  EXPECT_EQ(DecideFieldSeverity(religion, {true, true, {}}, &why),
            v1::SEVERITY_WARNING);
  EXPECT_TRUE(why.neutral);
  EXPECT_EQ(DecideFieldSeverity(religion, {false, true, {}}, &why),
            v1::SEVERITY_HINT);
}

TEST(DecideFieldSeverity, NeutralOptionDropsASalutationFinding) {
  const auto salutation = Rule(v1::SEVERITY_WARNING, v1::SEVERITY_HINT,
                               config::v1::NEUTRAL_OPTION_EFFECT_DROP);
  EXPECT_EQ(DecideFieldSeverity(salutation, {true, false, {}}, nullptr),
            v1::SEVERITY_WARNING);
  EXPECT_EQ(DecideFieldSeverity(salutation, {true, true, {}}, nullptr),
            v1::SEVERITY_UNSPECIFIED);
  // A soften rule that reaches below HINT is dropped as well.
  const auto photo = Rule(v1::SEVERITY_WARNING, v1::SEVERITY_HINT,
                          config::v1::NEUTRAL_OPTION_EFFECT_SOFTEN);
  EXPECT_EQ(DecideFieldSeverity(photo, {false, true, {}}, nullptr),
            v1::SEVERITY_UNSPECIFIED);
}

TEST(DecideFieldSeverity, NeverAskedStaysCritical) {
  const auto pregnancy = Rule(v1::SEVERITY_CRITICAL, v1::SEVERITY_CRITICAL,
                              config::v1::NEUTRAL_OPTION_EFFECT_UNSPECIFIED);
  EXPECT_EQ(DecideFieldSeverity(
                pregnancy, {false, true, v1::EMPLOYER_TYPE_RELIGIOUS}, nullptr),
            v1::SEVERITY_CRITICAL);
}

TEST(DecideFieldSeverity, EmployerTypeJustifiesOneLevelButNotBelowHint) {
  auto religion = Rule(v1::SEVERITY_CRITICAL, v1::SEVERITY_WARNING,
                       config::v1::NEUTRAL_OPTION_EFFECT_SOFTEN);
  religion.add_justified_for(v1::EMPLOYER_TYPE_RELIGIOUS);
  SeverityReasons why;
  EXPECT_EQ(DecideFieldSeverity(
                religion, {true, false, v1::EMPLOYER_TYPE_RELIGIOUS}, &why),
            v1::SEVERITY_WARNING);
  EXPECT_TRUE(why.justified);
  EXPECT_EQ(DecideFieldSeverity(
                religion, {false, true, v1::EMPLOYER_TYPE_RELIGIOUS}, &why),
            v1::SEVERITY_HINT);
  EXPECT_EQ(DecideFieldSeverity(religion,
                                {true, false, v1::EMPLOYER_TYPE_PUBLIC}, &why),
            v1::SEVERITY_CRITICAL);
  EXPECT_FALSE(why.justified);
}

TEST(DecideFieldSeverity, RulesWithoutSeverityMakeNoFinding) {
  const auto contact = Rule(v1::SEVERITY_UNSPECIFIED, v1::SEVERITY_UNSPECIFIED,
                            config::v1::NEUTRAL_OPTION_EFFECT_UNSPECIFIED);
  EXPECT_EQ(DecideFieldSeverity(contact, {true, false, {}}, nullptr),
            v1::SEVERITY_UNSPECIFIED);
}

// Form-field rules are validated at load like every lexicon entry, with
// file:line:col.
TEST(FormRuleValidation, EveryProblemIsReportedWithItsPosition) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "divcheck_form_rules_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "de");
  std::ofstream(dir / "de" / "form.textproto") << R"(id: "de.f"
language: "de"
form_fields {
  rules {
    id: "de.form.a"
    topic: "a"
    terms: "fo*to"
    severity_required: SEVERITY_WARNING
    sources: "x"
  }
  rules {
    id: "de.form.a"
    topic: "a"
    terms: "alter"
    severity_required: SEVERITY_HINT
    severity_optional: SEVERITY_WARNING
    dimensions: DIMENSION_AGE
    explanation: "e"
    suggestions: "s"
    sources: "x"
    readiness_points: 5
  }
}
)";
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(dir.string(), &problems);
  EXPECT_FALSE(set.ok());
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  EXPECT_THAT(
      all, HasSubstr("de/form.textproto:7:5: term \"fo*to\" has \"*\" inside"));
  EXPECT_THAT(all, HasSubstr("a finding needs dimensions"));
  EXPECT_THAT(all, HasSubstr("a WARNING or CRITICAL rule needs a legal_basis"));
  EXPECT_THAT(all, HasSubstr("duplicate rule id \"de.form.a\""));
  EXPECT_THAT(all, HasSubstr("topic \"a\" is used twice"));
  EXPECT_THAT(all, HasSubstr("severity_optional is above severity_required"));
  EXPECT_THAT(all, HasSubstr("readiness_points need a readiness_change"));
  fs::remove_all(dir);
}

TEST(FormRuleValidation, ShippedLexiconsLoadWithFormRulesForBothLanguages) {
  std::vector<LexiconProblem> problems;
  auto set = LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, &problems);
  ASSERT_TRUE(set.ok()) << ::testing::PrintToString(problems.size());
  for (const char* lang : {"de", "en"}) {
    const LanguageLexicon* lex = (*set)->ForLanguage(lang);
    ASSERT_NE(lex, nullptr);
    ASSERT_NE(lex->form_rules, nullptr) << lang;
    EXPECT_GE(lex->form_rules->rules.size(), 20u) << lang;
  }
  // Every topic exists in both languages, so texts are always in the
  // report's language.
  const FormRuleBook& de = *(*set)->ForLanguage("de")->form_rules;
  const FormRuleBook& en = *(*set)->ForLanguage("en")->form_rules;
  for (const CompiledFormRule& r : de.rules) {
    EXPECT_NE(en.ForTopic(r.def->topic()), nullptr) << r.def->topic();
  }
  EXPECT_EQ(de.rules.size(), en.rules.size());
}

}  // namespace
}  // namespace divcheck
