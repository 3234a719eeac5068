// PDF text with poppler's C++ interface, page by page in reading order.
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "formats/readers.h"
#include "poppler/cpp/poppler-document.h"
#include "poppler/cpp/poppler-global.h"
#include "poppler/cpp/poppler-page.h"

namespace divcheck::formats {
namespace {

// poppler prints its complaints about damaged files to standard error;
// divcheck reports them as statuses.
void Quiet(const std::string&, void*) {}

void SilencePoppler() {
  static const bool once = [] {
    poppler::set_debug_error_function(Quiet, nullptr);
    return true;
  }();
  (void)once;
}

}  // namespace

absl::StatusOr<std::string> PdfText(absl::string_view bytes,
                                    const ReadOptions& options) {
  SilencePoppler();
  // load_from_raw_data reads `bytes` in place; it must outlive `doc`.
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      bytes.data(), static_cast<int>(bytes.size())));
  if (doc == nullptr) {
    return absl::InvalidArgumentError(
        "this looks like a PDF, but it is damaged or truncated and cannot be "
        "opened");
  }
  if (doc->is_locked()) {
    return absl::InvalidArgumentError(
        "this PDF is encrypted with a password; divcheck cannot read it (save "
        "or export it again without a password)");
  }
  const int pages = doc->pages();
  if (pages > options.max_pdf_pages) {
    return absl::OutOfRangeError(absl::StrCat("the PDF has ", pages,
                                              " pages; the limit is ",
                                              options.max_pdf_pages, " pages"));
  }
  TextOutput out(options.max_text_bytes);
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page == nullptr) continue;
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout)
            .to_utf8();
    // poppler ends each page with a form feed.
    absl::string_view text(utf8.data(), utf8.size());
    while (!text.empty() && (text.back() == '\f' || text.back() == '\n' ||
                             text.back() == ' ' || text.back() == '\r')) {
      text.remove_suffix(1);
    }
    RETURN_IF_ERROR(out.Append(text));
    RETURN_IF_ERROR(out.EndLine());
    // A blank line between pages.
    if (i + 1 < pages && !out.text().empty()) RETURN_IF_ERROR(out.Append("\n"));
  }
  std::string text = std::move(out).Take();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (!text.empty()) text.push_back('\n');
  return text;
}

}  // namespace divcheck::formats
