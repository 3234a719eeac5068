// .docx and .odt: the zip archive (libzip) and its XML parts (libxml2's
// streaming xmlTextReader, which never builds a tree: memory stays bounded
// by the part being read, and the nesting depth is known at every node).
#include <zip.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "formats/office_xml.h"
#include "formats/readers.h"

namespace divcheck::formats {
namespace {

constexpr char kOdtMimeType[] = "application/vnd.oasis.opendocument.text";

struct CloseZip {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, CloseZip>;
struct CloseZipFile {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

absl::Status DamagedZip(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "this looks like a zip archive (.docx/.odt), but it is damaged or "
      "truncated (",
      what, ")"));
}

absl::StatusOr<Zip> OpenZip(absl::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return absl::ResourceExhaustedError("cannot read the zip archive");
  }
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (zip == nullptr) {
    zip_source_free(source);
    const std::string what = zip_error_strerror(&error);
    zip_error_fini(&error);
    return DamagedZip(what);
  }
  zip_error_fini(&error);
  return Zip(zip);
}

bool HasEntry(zip_t* zip, const char* name) {
  return zip_name_locate(zip, name, 0) >= 0;
}

// The bytes of entry `name`: NOT_FOUND when there is none, OUT_OF_RANGE
// when it unpacks to more than `limit` bytes (checked against the
// directory, and again while unpacking: the directory may lie).
absl::StatusOr<std::string> ReadEntry(zip_t* zip, const std::string& name,
                                      size_t limit) {
  const zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
  if (index < 0) {
    return absl::NotFoundError(absl::StrCat("the archive has no ", name));
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, index, 0, &st) != 0) {
    return DamagedZip(absl::StrCat("entry ", name));
  }
  const auto too_large = [&] {
    return absl::OutOfRangeError(absl::StrCat(
        name, " unpacks to more than ", limit,
        " bytes, the limit for one part of a document (a zip bomb?)"));
  };
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
      st.encryption_method != ZIP_EM_NONE) {
    return absl::InvalidArgumentError(
        "this document is encrypted (password-protected); save it without a "
        "password");
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limit) return too_large();
  std::unique_ptr<zip_file_t, CloseZipFile> file(
      zip_fopen_index(zip, index, 0));
  if (file == nullptr) return DamagedZip(absl::StrCat("entry ", name));
  std::string out;
  out.resize(std::min<size_t>(
      limit + 1, (st.valid & ZIP_STAT_SIZE) ? st.size + 1 : 1 << 16));
  size_t used = 0;
  while (true) {
    if (used == out.size()) {
      if (out.size() > limit) return too_large();
      out.resize(std::min(limit + 1, out.size() * 2));
    }
    const zip_int64_t n =
        zip_fread(file.get(), out.data() + used, out.size() - used);
    if (n < 0) return DamagedZip(absl::StrCat("entry ", name));
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  if (used > limit) return too_large();
  out.resize(used);
  return out;
}

// The names of entries matching prefix<digits>.xml, sorted.
std::vector<std::string> NumberedParts(zip_t* zip, absl::string_view prefix) {
  std::vector<std::string> names;
  const zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(zip, i, 0);
    if (name == nullptr) continue;
    absl::string_view n(name);
    if (!absl::ConsumePrefix(&n, prefix) || !absl::ConsumeSuffix(&n, ".xml")) {
      continue;
    }
    if (std::all_of(n.begin(), n.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Reads `part` into `out` with `reader`; a missing optional part is none.
absl::Status ReadPart(zip_t* zip, const std::string& part, bool optional,
                      XmlTextReader reader, const ReadOptions& options,
                      TextOutput* out) {
  absl::StatusOr<std::string> xml =
      ReadEntry(zip, part, options.max_zip_entry_bytes);
  if (absl::IsNotFound(xml.status()) && optional) return absl::OkStatus();
  if (absl::IsNotFound(xml.status())) return DamagedZip(xml.status().message());
  if (!xml.ok()) return xml.status();
  RETURN_IF_ERROR(reader(*xml, part, options, out));
  return out->EndLine();
}

}  // namespace

absl::StatusOr<DocumentFormat> ZipKind(absl::string_view bytes) {
  ASSIGN_OR_RETURN(Zip zip, OpenZip(bytes));
  if (HasEntry(zip.get(), "[Content_Types].xml")) {
    if (HasEntry(zip.get(), "word/document.xml")) return DocumentFormat::kDocx;
    if (HasEntry(zip.get(), "xl/workbook.xml")) {
      return absl::InvalidArgumentError(
          "this looks like an Excel workbook (.xlsx), not a document divcheck "
          "reads (text, HTML, .docx, .odt, PDF)");
    }
    if (HasEntry(zip.get(), "ppt/presentation.xml")) {
      return absl::InvalidArgumentError(
          "this looks like a PowerPoint presentation (.pptx), not a document "
          "divcheck reads (text, HTML, .docx, .odt, PDF)");
    }
  }
  absl::StatusOr<std::string> mime = ReadEntry(zip.get(), "mimetype", 256);
  if (mime.ok() && *mime == kOdtMimeType) return DocumentFormat::kOdt;
  if (mime.ok() && absl::StartsWith(*mime, "application/vnd.oasis.")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "this looks like an OpenDocument file of type ", *mime,
        " (not a text document), not a document divcheck reads (text, HTML, "
        ".docx, .odt, PDF)"));
  }
  return absl::InvalidArgumentError(
      "this looks like a zip archive, not a document divcheck reads (text, "
      "HTML, .docx, .odt, PDF)");
}

absl::StatusOr<std::string> DocxText(absl::string_view bytes,
                                     const ReadOptions& options) {
  ASSIGN_OR_RETURN(Zip zip, OpenZip(bytes));
  TextOutput out(options.max_text_bytes);
  for (const std::string& part : NumberedParts(zip.get(), "word/header")) {
    RETURN_IF_ERROR(
        ReadPart(zip.get(), part, true, DocxXmlText, options, &out));
  }
  RETURN_IF_ERROR(ReadPart(zip.get(), "word/document.xml", false, DocxXmlText,
                           options, &out));
  for (const char* part : {"word/footnotes.xml", "word/endnotes.xml"}) {
    RETURN_IF_ERROR(
        ReadPart(zip.get(), part, true, DocxXmlText, options, &out));
  }
  for (const std::string& part : NumberedParts(zip.get(), "word/footer")) {
    RETURN_IF_ERROR(
        ReadPart(zip.get(), part, true, DocxXmlText, options, &out));
  }
  return std::move(out).Take();
}

absl::StatusOr<std::string> OdtText(absl::string_view bytes,
                                    const ReadOptions& options) {
  ASSIGN_OR_RETURN(Zip zip, OpenZip(bytes));
  TextOutput out(options.max_text_bytes);
  RETURN_IF_ERROR(
      ReadPart(zip.get(), "styles.xml", true, OdtXmlText, options, &out));
  RETURN_IF_ERROR(
      ReadPart(zip.get(), "content.xml", false, OdtXmlText, options, &out));
  return std::move(out).Take();
}

}  // namespace divcheck::formats
