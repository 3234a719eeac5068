// The readers behind ReadDocument (formats/document.h), one per format.
// Internal to formats/; callers use ReadDocument. Each checks the limits of
// ReadOptions as it goes. Thread-safe: no state between calls.
#ifndef DIVCHECK_FORMATS_READERS_H_
#define DIVCHECK_FORMATS_READERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "formats/document.h"

namespace divcheck::formats {

// Extracted text that refuses to grow over a limit.
class TextOutput {
 public:
  explicit TextOutput(size_t max_bytes) : max_bytes_(max_bytes) {}
  // Appends `s`; OUT_OF_RANGE once the text would pass the limit.
  absl::Status Append(absl::string_view s);
  // Appends a line break unless the text is empty or already ends in one.
  absl::Status EndLine();
  std::string Take() && { return std::move(text_); }
  const std::string& text() const { return text_; }

 private:
  size_t max_bytes_;
  std::string text_;
};

// The error for extracted text over `max_bytes`.
absl::Status TextTooLarge(size_t max_bytes);

// `bytes` as UTF-8: with a BOM in its encoding, valid UTF-8 as it is, else
// in the detected (or `forced`) encoding. Sets *encoding to the ICU name.
absl::StatusOr<std::string> DecodeText(absl::string_view bytes,
                                       const std::string& forced, bool html,
                                       std::string* encoding);

// Whether UTF-8 `text` starts (after white space) like an HTML page.
bool LooksLikeHtml(absl::string_view text);

// The visible text of the UTF-8 HTML page `html`, without soft hyphens;
// records in *paths (not null) which element each part came from.
absl::StatusOr<std::string> HtmlText(absl::string_view html,
                                     const ReadOptions& options,
                                     ElementPaths* paths);

// The text of a .docx / .odt in `bytes` (a zip archive).
absl::StatusOr<std::string> DocxText(absl::string_view bytes,
                                     const ReadOptions& options);
absl::StatusOr<std::string> OdtText(absl::string_view bytes,
                                    const ReadOptions& options);

// The text of the PDF in `bytes`.
absl::StatusOr<std::string> PdfText(absl::string_view bytes,
                                    const ReadOptions& options);

// Which office document the zip archive `bytes` is: kDocx, kOdt, or kText
// for neither (another zip). INVALID_ARGUMENT when it cannot be opened.
absl::StatusOr<DocumentFormat> ZipKind(absl::string_view bytes);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_READERS_H_
