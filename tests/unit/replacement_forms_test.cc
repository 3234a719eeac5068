#include <string>

#include "analyzers/address.h"
#include "analyzers/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

Address Read(const std::string& text) {
  auto doc = Document::Create(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return ReadAddress(*doc);
}

TEST(ReadAddress, InformalAds) {
  EXPECT_EQ(Read("Du hast Lust auf Verkauf? Dann freuen wir uns auf deine "
                 "Bewerbung!"),
            Address::kInformal);
  EXPECT_EQ(Read("Das erwartet dich: ein tolles Team, das dir hilft."),
            Address::kInformal);
  EXPECT_EQ(Read("Wir suchen euch! Schickt eure Unterlagen an uns."),
            Address::kInformal);
  EXPECT_EQ(Read("DEINE AUFGABEN: Beratung unserer Kundschaft."),
            Address::kInformal);
}

TEST(ReadAddress, FormalAds) {
  EXPECT_EQ(Read("Wir freuen uns auf Ihre Bewerbung. Gern beraten wir Sie."),
            Address::kFormal);
  EXPECT_EQ(Read("Ihnen bieten wir einen sicheren Arbeitsplatz."),
            Address::kFormal);
  // Formal wins a tie, and a text without pronouns is formal.
  EXPECT_EQ(Read("Du oder Sie? Wir bieten Ihnen beides."), Address::kFormal);
  EXPECT_EQ(Read("Verkaufskraft (m/w/d) gesucht."), Address::kFormal);
}

TEST(ReadAddress, SheAndTheyAreNotTheReader) {
  // Lower-case "sie"/"ihr" and a capital at a sentence start are not
  // counted as formal: the du form wins here.
  EXPECT_EQ(Read("Unser Team ist klein. Sie arbeiten eng zusammen, und ihr "
                 "Chef hilft dir. Du lernst schnell."),
            Address::kInformal);
}

// The replacements of a finding follow the ad's form of address where the
// rule has them in both forms (de.application.lueckenlos and
// de.origin.deutschkenntnisse_ohne_niveau in the shipped lexicons).
class AddressReplacements : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }
  static std::vector<std::string> Replacements(const std::string& text,
                                               const std::string& rule) {
    ScanOptions options;
    options.language = "de";
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    for (const auto& f : report->findings()) {
      if (f.rule_id() == rule) {
        return {f.replacements().begin(), f.replacements().end()};
      }
    }
    ADD_FAILURE() << "no finding of " << rule << " in: " << text;
    return {};
  }
  static Engine* engine_;
};
Engine* AddressReplacements::engine_ = nullptr;

TEST_F(AddressReplacements, FollowTheAd) {
  const std::string rule = "de.origin.deutschkenntnisse_ohne_niveau";
  EXPECT_THAT(
      Replacements("Du bringst gute Deutschkenntnisse mit. Wir freuen uns "
                   "auf deine Bewerbung.",
                   rule),
      ::testing::Contains(::testing::HasSubstr("wir lernen dich im Gespräch")));
  EXPECT_THAT(
      Replacements("Sie bringen gute Deutschkenntnisse mit. Wir freuen uns "
                   "auf Ihre Bewerbung.",
                   rule),
      ::testing::Contains(::testing::HasSubstr("wir lernen Sie im Gespräch")));
}

// A rule whose terms each have their own replacements
// (Entry.term_replacements): the matched word's, with a capital when the
// matched word has one.
TEST_F(AddressReplacements, TermReplacementsFollowTheMatchedWord) {
  const std::string rule = "en.gender.masculine_role_noun";
  ScanOptions options;
  options.language = "en";
  auto report = engine_->ScanText(
      "Salesman wanted. Our two deliverymen and the delivery-man help the "
      "foreman.",
      options);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> got;
  for (const auto& f : report->findings()) {
    if (f.rule_id() != rule) continue;
    got.push_back(f.matched_text() + " -> " + f.replacements(0));
  }
  EXPECT_THAT(got, ::testing::ElementsAre("Salesman -> Salesperson",
                                          "deliverymen -> delivery drivers",
                                          "delivery-man -> delivery driver",
                                          "foreman -> site supervisor"));
}

}  // namespace
}  // namespace divcheck
