// Gender-coded words count only where they describe a person or a culture
// (issue 14, class 6), and the report says which words were counted where.
// Runs the shipped lexicons: the lists and their trait cues are data.
#include <string>
#include <vector>

#include "analyzers/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class CodedContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }

  static v1::CodedWordingBalance Balance(const std::string& text,
                                         const std::string& lang) {
    ScanOptions options;
    options.language = lang;
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->coded_wording() : v1::CodedWordingBalance();
  }
  // "text count" of each counted word of one side.
  static std::vector<std::string> Words(const v1::CodedWordingBalance& b,
                                        bool agentic) {
    std::vector<std::string> out;
    for (const v1::CodedWord& w : b.words()) {
      if (w.agentic() == agentic)
        out.push_back(w.text() + " " + std::to_string(w.count()));
    }
    return out;
  }
  static Engine* engine_;
};
Engine* CodedContextTest::engine_ = nullptr;

TEST_F(CodedContextTest, GermanDomainNounsAreNotCounted) {
  const v1::CodedWordingBalance b = Balance(
      "Bei uns erwarten Sie kurze Entscheidungswege und flache Hierarchien.\n"
      "Sie verantworten die Analyse von Vertriebsdaten und unterstützen "
      "die Führung bei anspruchsvollen Aufgaben.",
      "de");
  EXPECT_THAT(Words(b, true), IsEmpty());
  EXPECT_THAT(Words(b, false), IsEmpty());
  EXPECT_EQ(b.agentic_count(), 0u);
  EXPECT_EQ(b.uncounted_count(), 6u);
}

TEST_F(CodedContextTest, GermanTraitsInProfileAreCounted) {
  const v1::CodedWordingBalance b = Balance(
      "Sie sind durchsetzungsstark und analytisch.\n"
      "Sie bringen analytisches Denkvermögen, Entscheidungsfreude und "
      "Führungsstärke mit.\n"
      "Unser ehrgeiziges Team freut sich auf Sie.",
      "de");
  EXPECT_THAT(Words(b, true),
              ElementsAre("durchsetzungsstark 1", "analytisch 1",
                          "analytisches 1", "Entscheidungsfreude 1",
                          "Führungsstärke 1", "ehrgeiziges 1"));
  EXPECT_EQ(b.agentic_count(), 6u);
  EXPECT_EQ(b.uncounted_count(), 0u);
}

TEST_F(CodedContextTest, EnglishDomainNounsAreNotCounted) {
  const v1::CodedWordingBalance b = Balance(
      "You will lead data analytics projects and provide customer support. "
      "We pay a competitive salary. Feel free to share your CV.",
      "en");
  EXPECT_THAT(Words(b, true), IsEmpty());
  EXPECT_THAT(Words(b, false), IsEmpty());
  EXPECT_GE(b.uncounted_count(), 5u);
}

TEST_F(CodedContextTest, EnglishTraitsAreCountedWithSpans) {
  const std::string text =
      "You are analytical and assertive.\n"
      "Strong analytical skills and a supportive, collaborative culture.";
  const v1::CodedWordingBalance b = Balance(text, "en");
  EXPECT_THAT(Words(b, true), ElementsAre("analytical 2", "assertive 1"));
  EXPECT_THAT(Words(b, false), ElementsAre("supportive 1", "collaborative 1"));
  ASSERT_EQ(b.words(0).spans_size(), 2);
  const v1::Span& second = b.words(0).spans(1);
  EXPECT_EQ(second.line(), 2u);
  EXPECT_EQ(second.column(), 8u);
  EXPECT_EQ(
      text.substr(second.start_byte(), second.end_byte() - second.start_byte()),
      "analytical");
  EXPECT_EQ(b.agentic_count(), 3u);
  EXPECT_EQ(b.communal_count(), 2u);
}

TEST_F(CodedContextTest, OneTokenCountsOncePerSide) {
  // "supportive" is a trait form and matches the context stem "support" too.
  const v1::CodedWordingBalance b = Balance("A supportive manager.", "en");
  EXPECT_THAT(Words(b, false), ElementsAre("supportive 1"));
  EXPECT_EQ(b.communal_count(), 1u);
  EXPECT_EQ(b.uncounted_count(), 0u);
}

}  // namespace
}  // namespace divcheck
