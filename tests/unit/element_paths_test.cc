// The element paths of HTML text (formats::ElementPaths): which element each
// part of the extracted text came from, as a selector that resolves, in the
// page's tree, to that element. The resolver here reads gumbo's tree, the
// same HTML5 tree a browser builds.
#include <algorithm>
#include <string>

#include "formats/document.h"
#include "formats/html_dom.h"
#include "formats/html_paths.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/css_path.h"

namespace divcheck::formats {
namespace {

ExtractedText Read(absl::string_view html) {
  ReadOptions options;
  options.media_type = "text/html";
  absl::StatusOr<ExtractedText> doc = ReadDocument(html, options);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return doc.ok() ? *std::move(doc) : ExtractedText();
}

// The path of the first occurrence of `words` in the extracted text.
std::string PathOf(const ExtractedText& doc, absl::string_view words) {
  const size_t at = doc.text.find(std::string(words));
  EXPECT_NE(at, std::string::npos) << words << " not in " << doc.text;
  return at == std::string::npos ? "" : doc.element_paths.PathAt(at);
}

// `path` resolves in `html` to exactly one element whose text has `words`.
void ExpectResolves(absl::string_view html, absl::string_view path,
                    absl::string_view words) {
  absl::StatusOr<ParsedHtml> page = ParseHtml(html);
  ASSERT_TRUE(page.ok());
  const GumboNode* n = testing::ResolvePath(page->root(), path);
  ASSERT_NE(n, nullptr) << path;
  EXPECT_THAT(TextOf(n), ::testing::HasSubstr(std::string(words))) << path;
}

constexpr char kAd[] =
    "<!DOCTYPE html><html><head><title>Stelle</title>"
    "<script>var t = 'junges Team';</script><style>li{}</style></head>"
    "<body><h1>Verk&auml;ufer (m/w/d)</h1>"
    "<div id=\"job\" class=\"ad main\"><p>Wir bieten:</p><ul>"
    "<li>Gehalt</li><li>Urlaub</li><li>ein   <b>junges</b>\n Team</li>"
    "</ul><ul><li>Deutsch als Muttersprache</li></ul></div>"
    "<table><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>unter 30</td>"
    "</tr></table></body></html>";

TEST(ElementPathsTest, NestedListsIdsAndClasses) {
  const ExtractedText doc = Read(kAd);
  EXPECT_EQ(PathOf(doc, "Verkäufer"), "html > body > h1");
  EXPECT_EQ(PathOf(doc, "Wir bieten"), "html > body > div#job.ad.main > p");
  EXPECT_EQ(PathOf(doc, "Urlaub"),
            "html > body > div#job.ad.main > ul:nth-of-type(1) > "
            "li:nth-of-type(2)");
  EXPECT_EQ(PathOf(doc, "ein junges"),
            "html > body > div#job.ad.main > ul:nth-of-type(1) > "
            "li:nth-of-type(3)");
  // Inside an inline element: that element.
  EXPECT_EQ(PathOf(doc, "junges Team"),
            "html > body > div#job.ad.main > ul:nth-of-type(1) > "
            "li:nth-of-type(3) > b");
  // The text after it is its parent's again.
  EXPECT_EQ(PathOf(doc, " Team"),
            "html > body > div#job.ad.main > ul:nth-of-type(1) > "
            "li:nth-of-type(3)");
  // A single li has no nth-of-type.
  EXPECT_EQ(PathOf(doc, "Muttersprache"),
            "html > body > div#job.ad.main > ul:nth-of-type(2) > li");
  for (absl::string_view words : {"Verkäufer", "Urlaub", "ein junges", "junges",
                                  "Muttersprache", "unter 30"}) {
    ExpectResolves(kAd, PathOf(doc, words), words);
  }
}

TEST(ElementPathsTest, TablesGetTheParsersTbody) {
  const ExtractedText doc = Read(kAd);
  EXPECT_EQ(PathOf(doc, "unter 30"),
            "html > body > table > tbody > tr:nth-of-type(2) > "
            "td:nth-of-type(2)");
  EXPECT_EQ(PathOf(doc, "A\n"),
            "html > body > table > tbody > tr:nth-of-type(1) > "
            "td:nth-of-type(1)");
}

TEST(ElementPathsTest, ScriptsAndStylesLeaveNoRuns) {
  const ExtractedText doc = Read(kAd);
  EXPECT_EQ(doc.text.find("var t"), std::string::npos);
  // The first run is the h1's: nothing from the head.
  EXPECT_EQ(doc.element_paths.PathAt(0), "html > body > h1");
  EXPECT_EQ(doc.element_paths.PathAt(doc.text.size()), "");
  EXPECT_EQ(doc.element_paths.PathAt(doc.text.size() + 100), "");
}

TEST(ElementPathsTest, EntitiesWhiteSpaceAndSoftHyphensKeepOffsets) {
  const std::string html =
      "<p>A &amp;   B</p><p>\n  Wir   suchen\n</p>"
      "<p class=x>ein jun&shy;ges&nbsp;Team</p><p>Ende</p>";
  const ExtractedText doc = Read(html);
  EXPECT_EQ(doc.text, "A & B\nWir suchen\nein junges\u00A0Team\nEnde\n");
  EXPECT_EQ(PathOf(doc, "& B"), "html > body > p:nth-of-type(1)");
  EXPECT_EQ(PathOf(doc, "Wir"), "html > body > p:nth-of-type(2)");
  // After the dropped soft hyphen the offsets still land in the third p,
  // and every byte of the fourth is the fourth's.
  EXPECT_EQ(PathOf(doc, "ges"), "html > body > p.x:nth-of-type(3)");
  const size_t ende = doc.text.find("Ende");
  for (size_t i = ende; i < ende + 4; ++i) {
    EXPECT_EQ(doc.element_paths.PathAt(i), "html > body > p:nth-of-type(4)");
  }
}

TEST(ElementPathsTest, OffsetsAtElementBoundaries) {
  const ExtractedText doc = Read("<div><span>ab</span><i>cd</i>ef<br>gh</div>");
  EXPECT_EQ(doc.text, "abcdef\ngh\n");
  const char* want[] = {"html > body > div > span", "html > body > div > span",
                        "html > body > div > i",    "html > body > div > i",
                        "html > body > div",        "html > body > div",
                        "html > body > div",        "html > body > div",
                        "html > body > div"};
  for (size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(doc.element_paths.PathAt(i), want[i]) << i;
  }
}

TEST(ElementPathsTest, EscapedIdsAndCustomElements) {
  const ExtractedText doc =
      Read("<job-card id=\"1st ad\" class=\"a:b  c\"><p>Text</p></job-card>");
  EXPECT_EQ(PathOf(doc, "Text"),
            "html > body > job-card#\\31 st\\ ad.a\\:b.c > p");
  EXPECT_EQ(CssEscape("-"), "\\-");
  EXPECT_EQ(CssEscape("-2x"), "-\\32 x");
  EXPECT_EQ(CssEscape("x\x01y"), "x\\1 y");
  EXPECT_EQ(CssEscape("Größe_ok-1"), "Größe_ok-1");
}

TEST(ElementPathsTest, DeepNestingIsCutAtTheDepthLimit) {
  std::string html = "<body>";
  for (int i = 0; i < 400; ++i) html += "<div>";
  html += "tief";
  const ExtractedText doc = Read(html);
  const std::string path = PathOf(doc, "tief");
  // html, body and 254 divs.
  EXPECT_EQ(std::count(path.begin(), path.end(), '>') + 1,
            ElementPaths::kMaxElementPathDepth);
  EXPECT_LE(doc.element_paths.element_count(),
            ElementPaths::kMaxElementPathDepth);
}

TEST(ElementPathsTest, OtherFormatsHaveNone) {
  absl::StatusOr<ExtractedText> doc = ReadDocument("ein junges Team", {});
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->element_paths.empty());
  EXPECT_EQ(doc->element_paths.PathAt(0), "");
}

}  // namespace
}  // namespace divcheck::formats
