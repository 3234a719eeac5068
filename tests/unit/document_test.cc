#include "analyzers/document.h"

#include <string>

#include "gtest/gtest.h"
#include "unicode/uchar.h"
#include "unicode/unorm2.h"

namespace divcheck {
namespace {

std::vector<std::string> TokenTexts(const Document& d) {
  std::vector<std::string> out;
  for (const Token& t : d.tokens()) out.emplace_back(d.TokenText(t));
  return out;
}

TEST(Document, RejectsInvalidUtf8NamingTheOffset) {
  const std::string text = "gut\xC3\x28 und";
  absl::StatusOr<Document> d = Document::Create(text);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("byte offset 3"), std::string::npos)
      << d.status().message();
}

TEST(Document, RejectsSurrogatesAndOverlongForms) {
  EXPECT_FALSE(Document::Create("a\xED\xA0\x80").ok());  // U+D800
  EXPECT_FALSE(Document::Create("a\xC0\xAF").ok());      // overlong '/'
}

TEST(Document, FoldsFullyAndTokenises) {
  absl::StatusOr<Document> d =
      Document::Create("GROẞE Straße, Ärztin/Arzt: Ök-Bau 2025");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->folded(), "grosse strasse, ärztin/arzt: ök-bau 2025");
  EXPECT_EQ(TokenTexts(*d),
            (std::vector<std::string>{"grosse", "strasse", "ärztin", "arzt",
                                      "ök", "bau", "2025"}));
  EXPECT_TRUE(d->tokens().back().is_number);
  EXPECT_FALSE(d->tokens().front().is_number);
}

TEST(Document, MapsFoldedRangesBackToOriginalBytes) {
  const std::string text = "Die Straße ist groß";
  absl::StatusOr<Document> d = Document::Create(text);
  ASSERT_TRUE(d.ok());
  const Token& strasse = d->tokens()[1];
  const uint32_t b = d->OriginalBegin(strasse.begin);
  const uint32_t e = d->OriginalEnd(strasse.end);
  EXPECT_EQ(text.substr(b, e - b), "Straße");
  // A range ending inside the folded "ss" of "ß" still ends after "ß".
  const uint32_t mid = strasse.begin + 5;  // "stras|se"
  EXPECT_EQ(text.substr(b, d->OriginalEnd(mid) - b), "Straß");
}

// Document skips ICU's NFC check when every code point is in these ranges;
// that is only right if NFC never changes them, in any context.
TEST(Document, NfcStableRangesAgreeWithIcu) {
  int stable = 0;
  for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
    if (!IsNfcStable(c)) continue;
    ++stable;
    ASSERT_EQ(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK), UNORM_YES)
        << std::hex << "U+" << c;
    ASSERT_EQ(u_getCombiningClass(c), 0) << std::hex << "U+" << c;
  }
  EXPECT_GT(stable, 1000);
}

TEST(Document, NormalisesToNfcAndKeepsOriginalOffsets) {
  // "Ärztin" with a decomposed Ä (A + U+0308).
  const std::string text = "eine A\xCC\x88rztin";
  absl::StatusOr<Document> d = Document::Create(text);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->tokens().size(), 2u);
  EXPECT_EQ(d->TokenText(d->tokens()[1]), "ärztin");
  const Token& t = d->tokens()[1];
  EXPECT_EQ(text.substr(d->OriginalBegin(t.begin),
                        d->OriginalEnd(t.end) - d->OriginalBegin(t.begin)),
            "A\xCC\x88rztin");
}

TEST(Document, SplitsSentencesButNotAbbreviationsOrOrdinals) {
  absl::StatusOr<Document> d = Document::Create(
      "Ab dem 1. März suchen wir ca. 3 Leute, z. B. Köche. Neu: Team!\n"
      "- Punkt eins\nZeile");
  ASSERT_TRUE(d.ok());
  const auto& s = d->sentences();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(d->SentenceText(s[0]),
            "ab dem 1. märz suchen wir ca. 3 leute, z. b. köche");
  EXPECT_EQ(d->SentenceText(s[1]), "neu: team");
  EXPECT_EQ(d->SentenceText(s[2]), "punkt eins");
  EXPECT_TRUE(s[2].bullet);
  EXPECT_TRUE(s[2].starts_line);
  EXPECT_EQ(s[2].line, 1u);
  EXPECT_EQ(s[3].line, 2u);
  EXPECT_FALSE(s[3].bullet);
  EXPECT_EQ(s[3].line_tokens, 1u);
}

TEST(Document, EmptyAndPunctuationOnlyTexts) {
  absl::StatusOr<Document> d = Document::Create("");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->tokens().empty());
  EXPECT_TRUE(d->sentences().empty());
  d = Document::Create("... !!! \n\n ???");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->tokens().empty());
}

TEST(MakeSpans, CountsCodePointsLinesAndColumns) {
  const std::string text = "Größe\nÜber ß";
  std::vector<std::pair<uint32_t, uint32_t>> ranges = {{0, 7}, {8, 14}};
  std::vector<v1::Span> spans;
  MakeSpans(text, ranges, &spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start_char(), 0u);
  EXPECT_EQ(spans[0].end_char(), 5u);
  EXPECT_EQ(spans[0].line(), 1u);
  EXPECT_EQ(spans[1].start_char(), 6u);
  EXPECT_EQ(spans[1].end_char(), 11u);  // "Über "
  EXPECT_EQ(spans[1].line(), 2u);
  EXPECT_EQ(spans[1].column(), 1u);
}

TEST(FoldTerm, MatchesDocumentFolding) {
  EXPECT_EQ(*FoldTerm("Muttersprachler"), "muttersprachler");
  EXPECT_EQ(*FoldTerm("Fußball"), "fussball");
  EXPECT_FALSE(FoldTerm("\xFF").ok());
}

}  // namespace
}  // namespace divcheck
