// formats::ReadDocument on files it must refuse, and on its limits: each
// error says what the file looks like or which limit it passed.
#include <string>

#include "absl/status/status.h"
#include "bench/document_fixtures.h"
#include "formats/document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace divcheck::formats {
namespace {

using ::testing::HasSubstr;
using namespace ::divcheck::fixtures;  // NOLINT: Docx, Odt, Pdf, …

constexpr char kNotRead[] =
    "not a document divcheck reads (text, HTML, .docx, .odt, PDF)";

absl::Status ErrorOf(absl::string_view bytes, ReadOptions options = {}) {
  return ReadDocument(bytes, options).status();
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(DIVCHECK_FORMATS_DIR) + "/" + name,
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(DocumentErrorsTest, Images) {
  const absl::Status png = ErrorOf(std::string(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 25));
  EXPECT_EQ(png.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(png.message(),
            absl::StrCat("this looks like a PNG image, ", kNotRead));
  EXPECT_THAT(ErrorOf("\xFF\xD8\xFF\xE0\0\x10JFIF").message(),
              HasSubstr("a JPEG image"));
}

TEST(DocumentErrorsTest, ProgramsAndOldOfficeFiles) {
  EXPECT_THAT(ErrorOf(std::string("MZ\x90\0\x03\0\0\0", 8)).message(),
              HasSubstr("a Windows program (.exe or .dll)"));
  EXPECT_THAT(ErrorOf(std::string("\x7F"
                                  "ELF\x02\x01\x01\0",
                                  8))
                  .message(),
              HasSubstr("a program or library (ELF)"));
  EXPECT_THAT(ErrorOf(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10))
                  .message(),
              HasSubstr("an old Word or Excel file (.doc/.xls)"));
  // Printable magic bytes count only in binary files: a text may start so.
  EXPECT_TRUE(ReadDocument("MZ Verlag sucht", {}).ok());
  EXPECT_TRUE(ReadDocument("BMW sucht Verkäufer", {}).ok());
}

TEST(DocumentErrorsTest, BinaryGarbage) {
  std::string garbage;
  unsigned x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245 + 12345;
    garbage.push_back(static_cast<char>(x >> 16));
  }
  const absl::Status status = ErrorOf(garbage);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("this looks like binary data"));
  EXPECT_THAT(status.message(), HasSubstr(kNotRead));
  // UTF-16 without a byte order mark has NUL bytes: binary, with a hint.
  EXPECT_THAT(ErrorOf(std::string("V\0e\0r\0k\0", 8)).message(),
              HasSubstr("save it with one"));
}

TEST(DocumentErrorsTest, TruncatedZip) {
  const std::string docx = Docx(DocxPara(DocxRun("Verkäufer")));
  const absl::Status status = ErrorOf(docx.substr(0, docx.size() / 2));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("looks like a zip archive (.docx/.odt), but it is "
                        "damaged or truncated"));
}

TEST(DocumentErrorsTest, OtherZipArchives) {
  EXPECT_THAT(ErrorOf(MakeZip({{"a.txt", "Verkäufer"}})).message(),
              HasSubstr("this looks like a zip archive, not a document"));
  EXPECT_THAT(ErrorOf(MakeZip({{"[Content_Types].xml", "<x/>"},
                               {"xl/workbook.xml", "<x/>"}}))
                  .message(),
              HasSubstr("an Excel workbook (.xlsx)"));
  EXPECT_THAT(
      ErrorOf(MakeZip({{"mimetype",
                        "application/vnd.oasis.opendocument.spreadsheet"}}))
          .message(),
      HasSubstr("application/vnd.oasis.opendocument.spreadsheet"));
}

TEST(DocumentErrorsTest, ZipBomb) {
  // 40 MiB of zeros pack into ~40 KiB; the entry limit is 32 MiB.
  const std::string docx =
      MakeZip({{"[Content_Types].xml", "<x/>"},
               {"word/document.xml", std::string(40 << 20, '\0')}});
  ASSERT_LT(docx.size(), 1u << 20);
  const absl::Status status = ErrorOf(docx);
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(),
            "word/document.xml unpacks to more than 33554432 bytes, the limit "
            "for one part of a document (a zip bomb?)");
}

TEST(DocumentErrorsTest, DeepXml) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<w:sdt><w:sdtContent>";
  const absl::Status status = ErrorOf(Docx(deep));
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(),
            "word/document.xml nests XML elements more than 128 deep, the "
            "limit for documents");
}

TEST(DocumentErrorsTest, BrokenXml) {
  EXPECT_THAT(ErrorOf(Docx("<w:p><w:r>")).message(),
              HasSubstr("word/document.xml is not well-formed XML"));
}

TEST(DocumentErrorsTest, EncryptedPdf) {
  const std::string pdf = ReadFixture("encrypted.pdf");
  ASSERT_GT(pdf.size(), 100u);
  const absl::Status status = ErrorOf(pdf);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("this PDF is encrypted with a password"));
}

TEST(DocumentErrorsTest, DamagedPdf) {
  EXPECT_THAT(ErrorOf("%PDF-1.4\n garbage").message(),
              HasSubstr("damaged or truncated"));
}

TEST(DocumentErrorsTest, Limits) {
  ReadOptions options;
  options.max_input_bytes = 10;
  absl::Status status = ErrorOf("Verkäufer gesucht", options);
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(), "the file is 18 bytes; the limit is 10 bytes");

  options = {};
  options.max_text_bytes = 100;
  std::string body;
  for (int i = 0; i < 20; ++i) body += DocxPara(DocxRun("Verkäufer gesucht"));
  status = ErrorOf(Docx(body), options);
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(),
            "the extracted text is over 100 bytes, the limit for extracted "
            "text");
  EXPECT_EQ(ErrorOf(std::string(200, 'a'), options).code(),
            absl::StatusCode::kOutOfRange);

  options = {};
  options.max_pdf_pages = 2;
  status = ErrorOf(Pdf({"a", "b", "c"}), options);
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(), "the PDF has 3 pages; the limit is 2 pages");

  options = {};
  options.max_zip_entry_bytes = 1000;
  EXPECT_THAT(ErrorOf(Odt(std::string(2000, 'x')), options).message(),
              HasSubstr("content.xml unpacks to more than 1000 bytes"));
}

}  // namespace
}  // namespace divcheck::formats
