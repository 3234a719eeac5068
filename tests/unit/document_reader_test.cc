// formats::ReadDocument on every format it reads and on the files it must
// refuse. The .docx, .odt and PDF files are written here (libzip, a PDF by
// hand); tests/formats/encrypted.pdf was made with qpdf (README there).
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/document_fixtures.h"
#include "formats/document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace divcheck::formats {
namespace {

using ::testing::HasSubstr;
using namespace ::divcheck::fixtures;  // NOLINT: Docx, Odt, Pdf, …
ExtractedText Read(absl::string_view bytes, ReadOptions options = {}) {
  absl::StatusOr<ExtractedText> doc = ReadDocument(bytes, options);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return doc.ok() ? *std::move(doc) : ExtractedText();
}

absl::Status ErrorOf(absl::string_view bytes, ReadOptions options = {}) {
  return ReadDocument(bytes, options).status();
}

TEST(ReadDocumentTest, Utf8TextIsUnchanged) {
  const std::string text = "Verkäufer gesucht\r\njun\u00ADges Team\n";
  const ExtractedText doc = Read(text);
  EXPECT_EQ(doc.text, text);
  EXPECT_EQ(doc.format, DocumentFormat::kText);
  EXPECT_EQ(doc.encoding, "UTF-8");
  EXPECT_EQ(Read("").text, "");
}

TEST(ReadDocumentTest, Utf8BomIsDropped) {
  const ExtractedText doc = Read("\xEF\xBB\xBFVerkäufer");
  EXPECT_EQ(doc.text, "Verkäufer");
  EXPECT_EQ(doc.encoding, "UTF-8");
}

TEST(ReadDocumentTest, Utf16WithBom) {
  // "Verkäufer Größe" in UTF-16LE and UTF-16BE, with a BOM.
  const std::u16string u = u"Verkäufer Größe\n";
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (char16_t c : u) {
    le.push_back(static_cast<char>(c & 0xFF));
    le.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c & 0xFF));
  }
  ExtractedText doc = Read(le);
  EXPECT_EQ(doc.text, "Verkäufer Größe\n");
  EXPECT_EQ(doc.encoding, "UTF-16LE");
  doc = Read(be);
  EXPECT_EQ(doc.text, "Verkäufer Größe\n");
  EXPECT_EQ(doc.encoding, "UTF-16BE");
  // A UTF-16 text cut in the middle of a character.
  EXPECT_THAT(ErrorOf(le.substr(0, le.size() - 1)).message(),
              HasSubstr("not valid UTF-16LE"));
}

TEST(ReadDocumentTest, Windows1252Detected) {
  // "Verkäufer (m/w/d) gesucht. Grüße, € 3.000" in Windows-1252: a long text
  // the detector names, a short one read as windows-1252 by default.
  const std::string text =
      "Wir suchen einen Verk\xE4ufer f\xFCr unser Gesch\xE4"
      "ft in M\xFCnchen."
      " Das Gehalt betr\xE4gt \x80 3.000 im Monat. Gr\xFC\xDF"
      "e!\n";
  ExtractedText doc = Read(text);
  EXPECT_EQ(doc.text,
            "Wir suchen einen Verkäufer für unser Geschäft in München. Das "
            "Gehalt beträgt € 3.000 im Monat. Grüße!\n");
  EXPECT_EQ(doc.encoding, "windows-1252");
  doc = Read(
      "Gr\xFC\xDF"
      "e");
  EXPECT_EQ(doc.text, "Grüße");
  EXPECT_EQ(doc.encoding, "windows-1252");
}

TEST(ReadDocumentTest, ForcedEncoding) {
  ReadOptions options;
  options.encoding = "ISO-8859-15";
  EXPECT_EQ(Read("\xA4 50", options).text, "€ 50");
  options.encoding = "no-such-charset";
  EXPECT_THAT(ErrorOf("abc", options).message(),
              HasSubstr("unknown encoding \"no-such-charset\""));
  options = {};
  options.media_type = "text/plain; charset=windows-1252";
  EXPECT_EQ(Read("K\xE4se", options).text, "Käse");
}

TEST(ReadDocumentTest, NeitherUtf8NorWindows1252) {
  // 0x81 is no character in Windows-1252.
  EXPECT_EQ(ErrorOf("gut\x81\x8D schlecht").message(),
            "text is not valid UTF-8 (byte offset 3), nor Windows-1252 text; "
            "save it as UTF-8");
}

TEST(ReadDocumentTest, HtmlTextWithoutScriptsAndStyles) {
  const std::string html =
      "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>"
      "<script>var a = 'Verkäufer';</script></head><body>"
      "<h1>Verk&auml;ufer   gesucht</h1><p>Wir sind ein <b>junges</b> Team."
      "<br>Neue Zeile</p><ul><li>Eins</li><li>Zwei &amp; drei</li></ul>"
      "<table><tr><td>A</td><td>B</td></tr></table><noscript>nojs</noscript>"
      "<template>tpl</template><div>jun&shy;ges Team</div></body></html>";
  const ExtractedText doc = Read(html);
  EXPECT_EQ(doc.format, DocumentFormat::kHtml);
  EXPECT_EQ(doc.text,
            "Verkäufer gesucht\nWir sind ein junges Team.\nNeue Zeile\nEins\n"
            "Zwei & drei\nA\nB\njunges Team\n");
}

TEST(ReadDocumentTest, HtmlSniffedFromTagsInWindows1252) {
  const ExtractedText doc = Read("  <p>Verk\xE4ufer</p><p>gesucht</p>");
  EXPECT_EQ(doc.format, DocumentFormat::kHtml);
  EXPECT_EQ(doc.encoding, "windows-1252");
  EXPECT_EQ(doc.text, "Verkäufer\ngesucht\n");
  // Text that merely starts with "<" stays text.
  EXPECT_EQ(Read("<Stellenanzeige> Verkäufer").format, DocumentFormat::kText);
}

TEST(ReadDocumentTest, Docx) {
  const std::string body =
      DocxPara(DocxRun("Verkäufer gesucht")) +
      // A list item: a paragraph with numbering; tab stops are not tabs.
      "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/></w:numPr><w:tabs><w:tab "
      "w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>" +
      DocxRun("Ein jun") + "<w:r><w:softHyphen/></w:r>" + DocxRun("ges Team") +
      "</w:p>" +
      DocxPara(DocxRun("Mutter") + "<w:r><w:noBreakHyphen/></w:r>" +
               DocxRun("sprache") + "<w:r><w:tab/></w:r>" + DocxRun("Deutsch") +
               "<w:r><w:br/></w:r>" + DocxRun("neue Zeile")) +
      "<w:tbl><w:tr><w:tc>" + DocxPara(DocxRun("Zelle 1")) + "</w:tc><w:tc>" +
      DocxPara(DocxRun("Zelle 2")) + "</w:tc></w:tr></w:tbl>" +
      DocxPara("<w:del><w:r><w:delText>gestrichen</w:delText></w:r></w:del>" +
               DocxRun("bleibt")) +
      DocxPara("<mc:AlternateContent><mc:Choice>" + DocxRun("Textfeld") +
               "</mc:Choice><mc:Fallback>" + DocxRun("Kopie") +
               "</mc:Fallback></mc:AlternateContent>");
  const ExtractedText doc = Read(Docx(body));
  EXPECT_EQ(doc.format, DocumentFormat::kDocx);
  EXPECT_EQ(doc.text,
            "Kopfzeile\nVerkäufer gesucht\nEin junges Team\n"
            "Mutter-sprache\tDeutsch\nneue Zeile\nZelle 1\nZelle 2\nbleibt\n"
            "Textfeld\nFußzeile\n");
}

TEST(ReadDocumentTest, Odt) {
  const std::string text =
      "<text:h text:outline-level=\"1\">Verkäufer gesucht</text:h>"
      "<text:list><text:list-item><text:p>Ein <text:span>junges</text:span>"
      "  Team</text:p></text:list-item></text:list>"
      "<text:p>A<text:s text:c=\"3\"/>B<text:tab/>C<text:line-break/>D</text:p>"
      "<table:table><table:table-row><table:table-cell><text:p>Zelle</text:p>"
      "</table:table-cell></table:table-row></table:table>"
      "<text:p>Fu\xC3\x9Fnote<text:note><text:note-citation>1</text:note-"
      "citation><text:note-body><text:p>Hinweis</text:p></text:note-body>"
      "</text:note></text:p><text:p>jun\xC2\xADges</text:p>";
  const ExtractedText doc = Read(Odt(text));
  EXPECT_EQ(doc.format, DocumentFormat::kOdt);
  EXPECT_EQ(doc.text,
            "Kopfzeile\nVerkäufer gesucht\nEin junges Team\nA   B\tC\nD\n"
            "Zelle\nFußnote\nHinweis\njunges\n");
}

TEST(ReadDocumentTest, PdfPageByPage) {
  const ExtractedText doc = Read(
      Pdf({"Verk\xE4ufer gesucht\nWir sind ein junges Team.", "Seite zwei"}));
  EXPECT_EQ(doc.format, DocumentFormat::kPdf);
  EXPECT_EQ(doc.text,
            "Verkäufer gesucht\nWir sind ein junges Team.\n\nSeite zwei\n");
}

TEST(ReadDocumentTest, MediaTypeForcesTheFormat) {
  ReadOptions options;
  options.media_type = "text/html";
  EXPECT_EQ(Read("Verkäufer<br>gesucht", options).text, "Verkäufer\ngesucht\n");
  options.media_type = "text/plain";
  EXPECT_EQ(Read("<p>Verkäufer</p>", options).text, "<p>Verkäufer</p>");
  options.media_type = "image/png";
  EXPECT_THAT(ErrorOf("x", options).message(),
              HasSubstr("media type \"image/png\" is not one divcheck reads"));
}

}  // namespace
}  // namespace divcheck::formats
