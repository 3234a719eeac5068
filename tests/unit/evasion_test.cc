// Invisible and look-alike characters must not hide findings (issue 17,
// point 13), and every offset still points into the original input.
#include <string>
#include <vector>

#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "analyzers/match_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"
#include "unicode/ustring.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

// Each text starts with this: 5 bytes, 2 code points, 3 UTF-16 units, so
// the three kinds of offset differ.
constexpr char kPrefix[] = "\xF0\x9F\x99\x82 ";  // "🙂 "

uint32_t Utf16Units(absl::string_view s) {
  int32_t n = 0;
  UErrorCode st = U_ZERO_ERROR;
  u_strFromUTF8(nullptr, 0, &n, s.data(), static_cast<int32_t>(s.size()), &st);
  return static_cast<uint32_t>(n);
}

uint32_t CodePoints(absl::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return n;
}

class EvasionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }

  static v1::Report Scan(const std::string& text,
                         const std::string& lang = "de") {
    ScanOptions options;
    options.language = lang;
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::Report();
  }

  // Expects a finding of `rule` whose matched text is `matched`, at
  // original byte `byte`, code point `chr` and UTF-16 unit `utf16`.
  static void ExpectFinding(const std::string& text, const std::string& rule,
                            const std::string& matched, uint32_t byte,
                            uint32_t chr, uint32_t utf16) {
    SCOPED_TRACE(text);
    ASSERT_EQ(text.find(matched), byte) << "test data";
    const v1::Report report = Scan(text);
    std::vector<std::string> seen;
    for (const v1::Finding& f : report.findings()) {
      seen.push_back(f.rule_id() + " [" + f.matched_text() + "]");
      if (f.rule_id() != rule) continue;
      EXPECT_EQ(f.matched_text(), matched);
      const v1::Span& s = f.span();
      EXPECT_EQ(s.start_byte(), byte);
      EXPECT_EQ(s.end_byte(), byte + matched.size());
      EXPECT_EQ(s.start_char(), chr);
      EXPECT_EQ(s.end_char(), chr + CodePoints(matched));
      // A UTF-16 client (a browser, LanguageTool) converts the byte span.
      EXPECT_EQ(Utf16Units(absl::string_view(text).substr(0, s.start_byte())),
                utf16);
      EXPECT_EQ(Utf16Units(absl::string_view(text).substr(0, s.end_byte())),
                utf16 + Utf16Units(matched));
      EXPECT_EQ(text.substr(s.start_byte(), s.end_byte() - s.start_byte()),
                f.matched_text());
      return;
    }
    ADD_FAILURE() << "no " << rule
                  << " finding; found: " << ::testing::PrintToString(seen);
  }

  static std::vector<std::string> RuleIds(const std::string& text) {
    std::vector<std::string> ids;
    const v1::Report report = Scan(text);
    for (const v1::Finding& f : report.findings()) {
      ids.push_back(f.rule_id());
    }
    return ids;
  }

  static std::vector<std::string> MatchedTexts(const std::string& text) {
    std::vector<std::string> out;
    const v1::Report report = Scan(text);
    for (const v1::Finding& f : report.findings()) {
      out.push_back(f.matched_text());
    }
    return out;
  }

  static Engine* engine_;
};
Engine* EvasionTest::engine_ = nullptr;

TEST_F(EvasionTest, SoftHyphenInsideAWord) {
  const std::string text = std::string(kPrefix) + "Verkäu\u00ADfer gesucht";
  ExpectFinding(text, "de.gender.title_masculine_only", "Verkäu\u00ADfer", 5, 2,
                3);
}

TEST_F(EvasionTest, ZeroWidthSpaceInsideAWord) {
  const std::string text =
      std::string(kPrefix) + "Wir sind ein jun\u200Bges Team.";
  ExpectFinding(text, "de.age.junges_team", "jun\u200Bges Team", 18, 15, 16);
}

TEST_F(EvasionTest, ZeroWidthJoinerInsideAWord) {
  const std::string text =
      std::string(kPrefix) + "Wir sind ein junges Te\u200Dam.";
  ExpectFinding(text, "de.age.junges_team", "junges Te\u200Dam", 18, 15, 16);
}

TEST_F(EvasionTest, WordJoinerInsideAWord) {
  const std::string text = std::string(kPrefix) + "Verkäu\u2060fer gesucht";
  ExpectFinding(text, "de.gender.title_masculine_only", "Verkäu\u2060fer", 5, 2,
                3);
}

TEST_F(EvasionTest, NoBreakSpacesInAnAgeRange) {
  const std::string text = std::string(kPrefix) +
                           "Sie sind zwischen\u00A025\u00A0und\u00A035"
                           "\u00A0Jahren alt.";
  ExpectFinding(text, "de.age.altersgrenze",
                "Sie sind zwischen\u00A025\u00A0und\u00A035\u00A0Jahren alt", 5,
                2, 3);
}

TEST_F(EvasionTest, SingleLineBreakInsideAPhrase) {
  const std::string text =
      std::string(kPrefix) + "Wir sind ein junges\ndynamisches Team.";
  ExpectFinding(text, "de.age.junges_team", "junges\ndynamisches Team", 18, 15,
                16);
}

TEST_F(EvasionTest, FullwidthLetters) {
  const std::string text =
      std::string(kPrefix) +
      "Wir sind ein \uFF4A\uFF55\uFF4E\uFF47\uFF45\uFF53 \uFF34\uFF45\uFF41"
      "\uFF4D.";
  ExpectFinding(text, "de.age.junges_team",
                "\uFF4A\uFF55\uFF4E\uFF47\uFF45\uFF53 \uFF34\uFF45\uFF41\uFF4D",
                18, 15, 16);
}

TEST_F(EvasionTest, CyrillicLookAlikeIsFoundAndFlagged) {
  // "Team" with a Cyrillic "е" (U+0435).
  const std::string text =
      std::string(kPrefix) + "Wir sind ein junges T\u0435am.";
  ExpectFinding(text, "de.age.junges_team", "junges T\u0435am", 18, 15, 16);
  ExpectFinding(text, "de.text.mixed_script", "T\u0435am", 25, 22, 23);
  const v1::Report report = Scan(text);
  for (const v1::Finding& f : report.findings()) {
    if (f.rule_id() != "de.text.mixed_script") continue;
    EXPECT_EQ(f.severity(), v1::SEVERITY_HINT);
    EXPECT_THAT(f.dimensions(), ::testing::ElementsAre(v1::DIMENSION_AGE));
    EXPECT_THAT(f.message(), ::testing::HasSubstr("kyrillisch"));
  }
  // A job title with a Cyrillic "е".
  const std::string title = std::string(kPrefix) + "V\u0435rkäufer gesucht";
  ExpectFinding(title, "de.gender.title_masculine_only", "V\u0435rkäufer", 5, 2,
                3);
}

TEST_F(EvasionTest, MixedScriptWordWithoutFindingIsNotReported) {
  EXPECT_THAT(RuleIds("Wir vertreiben T\u0435e aus aller Welt."),
              ::testing::IsEmpty());
  // Russian text stays Russian: nothing is read as Latin.
  MatchText view;
  ASSERT_TRUE(
      MakeMatchText("\u043F\u0440\u0438\u0432\u0435\u0442 Team", &view).ok());
  EXPECT_FALSE(view.changed);
  EXPECT_TRUE(view.mixed_script_words.empty());
}

TEST_F(EvasionTest, HeadingBeforeACapitalisedLineIsNotJoined) {
  // "Muttersprache" ends the heading, "Deutsch" starts the next line: joined
  // they would read "Muttersprache Deutsch", a false language requirement.
  const std::string ad =
      "Sprachkurse in Ihrer Muttersprache\n"
      "Deutsch und Englisch für Erwachsene\n"
      "\n"
      "Wir suchen eine Lehrkraft (m/w/d) für unsere Abendkurse.\n"
      "Ihre Aufgaben\n"
      "- Unterricht in kleinen Gruppen\n"
      "- Beratung der Teilnehmenden\n";
  // ("Muttersprache" alone is a hint of its own.)
  EXPECT_THAT(MatchedTexts(ad), ::testing::ElementsAre("Muttersprache"));
  // The same words on one line are a finding: the test can fail.
  EXPECT_THAT(MatchedTexts("Sprachkurse in Ihrer Muttersprache Deutsch und "
                           "Englisch für Erwachsene"),
              ::testing::Contains("Muttersprache Deutsch"));
}

TEST_F(EvasionTest, SoftHyphenInJungesTeam) {
  const std::string text =
      std::string(kPrefix) + "Wir sind ein jun\u00ADges Team.";
  ExpectFinding(text, "de.age.junges_team", "jun\u00ADges Team", 18, 15, 16);
}

TEST_F(EvasionTest, LineBreakHyphenation) {
  // The finding covers the whole original span: hyphen, line break and the
  // next line's indentation included.
  ExpectFinding(std::string(kPrefix) +
                    "Sie sprechen Deutsch als Mutter-\n"
                    "sprache.",
                "de.origin.muttersprache", "Deutsch als Mutter-\nsprache", 18,
                15, 16);
  ExpectFinding(std::string(kPrefix) +
                    "Sie sprechen Deutsch als Mutter-\r\n"
                    "   sprache.",
                "de.origin.muttersprache", "Deutsch als Mutter-\r\n   sprache",
                18, 15, 16);
  // A soft hyphen or U+2010 at the line end, as PDFs and word processors
  // write them; a non-ASCII letter before the hyphen.
  ExpectFinding(std::string(kPrefix) +
                    "Sie sprechen Deutsch als Mutter\u00AD\n"
                    "sprache.",
                "de.origin.muttersprache", "Deutsch als Mutter\u00AD\nsprache",
                18, 15, 16);
  ExpectFinding(std::string(kPrefix) +
                    "Wir suchen einen Verkäu\u2010\n"
                    "fer.",
                "de.gender.title_masculine_only", "Verkäu\u2010\nfer", 22, 19,
                20);
  ExpectFinding(std::string(kPrefix) + "Wir sind ein jun-\n  ges Team.",
                "de.age.junges_team", "jun-\n  ges Team", 18, 15, 16);
}

TEST_F(EvasionTest, LineEndHyphenOfACompoundIsKept) {
  for (const char* text :
       {"Kranken-\nund Altenpflege", "Kranken- \r\n oder Altenpflege",
        "Lehrer-\nZimmer", "Mutter-\n\nsprache", "Ort -\nsprache",
        "2024-\nheute", "Mutter-\nSprache", "-\nsprache"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(HasLineBreakHyphen(text));
    MatchText view;
    ASSERT_TRUE(MakeMatchText(text, &view).ok());
    EXPECT_FALSE(view.changed);
  }
  // Joined, the heading would read "Deutsch als Muttersprache".
  EXPECT_THAT(RuleIds("Deutsch als Mutter-\n\nsprachliche Bildung"),
              ::testing::Not(::testing::Contains("de.origin.muttersprache")));
}

TEST(MatchText, LineBreakHyphenationMapsToTheOriginal) {
  const std::string text = "Mutter-\r\n   sprache und Mütter\u00AD\nchen";
  ASSERT_TRUE(HasLineBreakHyphen(text));
  MatchText view;
  ASSERT_TRUE(MakeMatchText(text, &view).ok());
  ASSERT_TRUE(view.changed);
  EXPECT_EQ(view.text, "Muttersprache und Mütterchen");
  // "r" of "Mutter" is byte 5; "s" of "sprache" byte 12.
  EXPECT_EQ(view.begin[5], 5u);
  EXPECT_EQ(view.end[5], 6u);
  EXPECT_EQ(view.begin[6], 12u);
  auto doc = Document::Create(text);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->tokens().size(), 3u);
  EXPECT_EQ(doc->TokenText(doc->tokens()[0]), "muttersprache");
  EXPECT_EQ(doc->OriginalBegin(doc->tokens()[0].begin), 0u);
  EXPECT_EQ(doc->OriginalEnd(doc->tokens()[0].end), 19u);
  EXPECT_EQ(doc->TokenText(doc->tokens()[2]), "mütterchen");
  EXPECT_EQ(doc->OriginalEnd(doc->tokens()[2].end), text.size());
}

TEST(MatchText, PlainCharactersNeedNoWork) {
  for (int32_t c = 0x20; c < 0x2800; ++c) {
    if (!IsMatchPlain(c)) continue;
    std::string s = "x";
    char buf[U8_MAX_LENGTH];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, c);
    s.append(buf, n);
    s.append("x");
    MatchText view;
    ASSERT_TRUE(MakeMatchText(s, &view).ok());
    EXPECT_FALSE(view.changed) << std::hex << c;
  }
  for (int32_t c : {0xA0, 0xAD, 0x200B, 0x200D, 0x2060, 0x202F, 0x2028, 0xFEFF,
                    0xFF4A, 0xFB01}) {
    EXPECT_FALSE(IsMatchPlain(c)) << std::hex << c;
  }
}

TEST(MatchText, MapsViewBytesToOriginalUnits) {
  // "a", soft hyphen (dropped), "ｂ" (NFKC "b"), NBSP (" "), "c".
  const std::string text = "a\u00AD\uFF42\u00A0c";
  MatchText view;
  ASSERT_TRUE(MakeMatchText(text, &view).ok());
  ASSERT_TRUE(view.changed);
  EXPECT_EQ(view.text, "ab c");
  EXPECT_THAT(view.begin, ::testing::ElementsAre(0, 3, 6, 8));
  EXPECT_THAT(view.end, ::testing::ElementsAre(1, 6, 8, 9));
  auto doc = Document::Create(text);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->tokens().size(), 2u);
  EXPECT_EQ(doc->TokenText(doc->tokens()[0]), "ab");
  EXPECT_EQ(doc->OriginalBegin(doc->tokens()[0].begin), 0u);
  EXPECT_EQ(doc->OriginalEnd(doc->tokens()[0].end), 6u);
}

}  // namespace
}  // namespace divcheck
