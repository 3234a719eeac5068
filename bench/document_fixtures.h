// Small documents written for the tests and the benchmark of
// formats/document.h: zip archives (libzip), .docx and .odt files around
// given XML, and PDFs by hand. Never used by divcheck itself.
// Thread-compatible; MakeZip aborts when it cannot write its temporary file.
#ifndef DIVCHECK_BENCH_DOCUMENT_FIXTURES_H_
#define DIVCHECK_BENCH_DOCUMENT_FIXTURES_H_

#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace divcheck::fixtures {

using Entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive of `entries`, written with libzip.
inline std::string MakeZip(const Entries& entries) {
  char dir[] = "/tmp/divcheck_zip_XXXXXX";
  if (mkdtemp(dir) == nullptr) std::abort();
  const std::string path = std::string(dir) + "/a.zip";
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) std::abort();
  for (const auto& [name, content] : entries) {
    zip_source_t* src =
        zip_source_buffer(zip, content.data(), content.size(), 0);
    if (zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      std::abort();
    }
  }
  if (zip_close(zip) != 0) std::abort();
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  std::remove(path.c_str());
  rmdir(dir);
  return bytes;
}

inline constexpr char kW[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

inline std::string WordPart(const std::string& root, const std::string& body) {
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:", root,
                      " ", kW,
                      " xmlns:mc=\"http://schemas.openxmlformats.org/"
                      "markup-compatibility/2006\">",
                      body, "</w:", root, ">");
}

inline std::string DocxPara(const std::string& runs) {
  return absl::StrCat("<w:p>", runs, "</w:p>");
}
inline std::string DocxRun(const std::string& text) {
  return absl::StrCat("<w:r><w:t xml:space=\"preserve\">", text,
                      "</w:t></w:r>");
}

inline std::string Docx(const std::string& body) {
  return MakeZip(
      {{"[Content_Types].xml",
        "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."
        "openxmlformats.org/package/2006/content-types\"/>"},
       {"word/document.xml",
        WordPart("document", absl::StrCat("<w:body>", body, "</w:body>"))},
       {"word/header1.xml", WordPart("hdr", DocxPara(DocxRun("Kopfzeile")))},
       {"word/footer1.xml", WordPart("ftr", DocxPara(DocxRun("Fußzeile")))}});
}

inline std::string OdtContent(const std::string& text) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\">"
      "<office:body><office:text>",
      text, "</office:text></office:body></office:document-content>");
}

inline std::string Odt(const std::string& text) {
  const std::string styles =
      "<?xml version=\"1.0\"?><office:document-styles "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\">"
      "<office:master-styles><style:master-page style:name=\"Standard\">"
      "<style:header><text:p>Kopfzeile</text:p></style:header>"
      "</style:master-page></office:master-styles></office:document-styles>";
  return MakeZip({{"mimetype", "application/vnd.oasis.opendocument.text"},
                  {"content.xml", OdtContent(text)},
                  {"styles.xml", styles}});
}

// A PDF with one page per entry, lines split at '\n', text in
// Windows-1252 bytes shown in Helvetica.
inline std::string Pdf(const std::vector<std::string>& pages) {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
      "/WinAnsiEncoding >>"};
  std::string kids;
  for (const std::string& page : pages) {
    std::string stream = "BT /F1 12 Tf 72 720 Td ";
    for (absl::string_view line : absl::StrSplit(page, '\n')) {
      absl::StrAppend(&stream, "(", line, ") Tj 0 -16 Td ");
    }
    stream += "ET";
    objects.push_back(absl::StrCat("<< /Length ", stream.size(),
                                   " >>\nstream\n", stream, "\nendstream"));
    objects.push_back(absl::StrCat(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
        "/Font << /F1 3 0 R >> >> /Contents ",
        objects.size(), " 0 R >>"));
    absl::StrAppend(&kids, objects.size(), " 0 R ");
  }
  objects[1] = absl::StrCat("<< /Type /Pages /Kids [", kids, "] /Count ",
                            pages.size(), " >>");
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    absl::StrAppend(&out, i + 1, " 0 obj\n", objects[i], "\nendobj\n");
  }
  const size_t xref = out.size();
  absl::StrAppend(&out, "xref\n0 ", objects.size() + 1,
                  "\n0000000000 65535 f \n");
  for (size_t off : offsets) {
    std::string n = std::to_string(off);
    absl::StrAppend(&out, std::string(10 - n.size(), '0'), n, " 00000 n \n");
  }
  absl::StrAppend(&out, "trailer\n<< /Size ", objects.size() + 1,
                  " /Root 1 0 R >>\nstartxref\n", xref, "\n%%EOF\n");
  return out;
}

}  // namespace divcheck::fixtures

#endif  // DIVCHECK_BENCH_DOCUMENT_FIXTURES_H_
