// Wording that names both sexes is at most a HINT about the binary pair
// (issue 14, class 4); one sex alone keeps its finding. Shipped lexicons.
#include <string>
#include <vector>

#include "analyzers/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

class BinaryPairTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }

  // The most severe gender finding of `text`, or UNSPECIFIED.
  static v1::Severity GenderSeverity(const std::string& text,
                                     const std::string& lang) {
    ScanOptions options;
    options.language = lang;
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    v1::Severity worst = v1::SEVERITY_UNSPECIFIED;
    if (!report.ok()) return worst;
    for (const v1::Finding& f : report->findings()) {
      for (int d : f.dimensions()) {
        if (d == v1::DIMENSION_GENDER && f.severity() > worst)
          worst = f.severity();
      }
    }
    return worst;
  }
  static Engine* engine_;
};
Engine* BinaryPairTest::engine_ = nullptr;

TEST_F(BinaryPairTest, GermanPairsAreAtMostAHint) {
  for (const char* text : {
           "Wir suchen einen Mann oder eine Frau für den Hausmeisterdienst.",
           "Frau/Mann für alle Fälle gesucht",
           "Wir suchen Männer und Frauen für die Ernte.",
           "Wir suchen die neue Kollegin / den neuen Kollegen für unser Büro.",
           "Wir suchen eine Mitarbeiterin oder einen Mitarbeiter im Verkauf.",
           "Wir suchen einen Kaufmann/Kauffrau für Büromanagement.",
           "Ausbildung zur Kauffrau/-mann für Büromanagement",
       }) {
    EXPECT_LE(GenderSeverity(text, "de"), v1::SEVERITY_HINT) << text;
  }
}

TEST_F(BinaryPairTest, GermanOneSexKeepsItsFinding) {
  for (const char* text : {
           "Wir suchen einen Mann für den Hausmeisterdienst.",
           "Frau für alle Fälle gesucht",
           "Wir suchen einen Verkäufer.",
       }) {
    EXPECT_GE(GenderSeverity(text, "de"), v1::SEVERITY_WARNING) << text;
  }
}

TEST_F(BinaryPairTest, EnglishPairsAreAtMostAHint) {
  for (const char* text : {
           "We are looking for a man or woman to run our front desk.",
           "Men and women wanted for the harvest.",
           "We are hiring a salesman or saleswoman.",
           "He or she will report to the CEO.",
       }) {
    EXPECT_LE(GenderSeverity(text, "en"), v1::SEVERITY_HINT) << text;
  }
}

TEST_F(BinaryPairTest, EnglishOneSexKeepsItsFinding) {
  EXPECT_GE(GenderSeverity("We are hiring a salesman.", "en"),
            v1::SEVERITY_WARNING);
}

}  // namespace
}  // namespace divcheck
