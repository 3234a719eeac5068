// Fuzzes the text pipeline and the whole scan: any bytes, in German,
// English and with language detection (the first byte chooses). Invalid
// UTF-8 must be an error, never a crash; a report's spans must lie inside
// the input, and each finding's matched_text must be the input at its span.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_engine.h"

// Loads what every input needs before fuzzing starts, so that loading
// does not count against the first input's time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)divcheck::fuzz::SharedEngine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* const kLanguages[] = {"de", "en", "auto"};
  divcheck::ScanOptions options;
  options.language = kLanguages[data[0] % 3];
  absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto report = divcheck::fuzz::SharedEngine().ScanText(text, options);
  if (!report.ok()) return 0;
  for (const auto& finding : report->findings()) {
    const auto& span = finding.span();
    if (span.end_byte() > text.size() || span.start_byte() > span.end_byte() ||
        span.start_char() > span.end_char()) {
      std::abort();  // a span outside the input
    }
    const absl::string_view at =
        text.substr(span.start_byte(), span.end_byte() - span.start_byte());
    if (!at.empty() && finding.matched_text() != at) {
      std::abort();  // matched_text is not the input at the span
    }
  }
  return 0;
}
