// Fuzzes the document readers (formats/document.h): content sniffing, the
// charset detection and converters, HTML, .docx and .odt (zip + XML) and
// PDF. Whatever the bytes, the reader returns an error or UTF-8 text within
// the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "base/utf8.h"
#include "formats/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  divcheck::formats::ReadOptions options;
  // Small limits, so that a zip bomb or a long PDF is refused quickly.
  options.max_text_bytes = 1 << 20;
  options.max_zip_entry_bytes = 4 << 20;
  options.max_pdf_pages = 20;
  auto doc = divcheck::formats::ReadDocument(bytes, options);
  if (!doc.ok()) return 0;
  if (doc->text.size() > options.max_text_bytes) std::abort();
  if (divcheck::FirstInvalidUtf8Byte(doc->text) != absl::string_view::npos) {
    std::abort();
  }
  return 0;
}
