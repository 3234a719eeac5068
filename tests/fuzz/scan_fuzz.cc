// Fuzzes the text pipeline and the whole scan: any bytes, in German,
// English and with language detection (the first byte chooses). Invalid
// UTF-8 must be an error, never a crash; a report's spans must lie inside
// the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_engine.h"

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
    if (span.byte_end() > text.size() || span.byte_start() > span.byte_end()) {
      std::abort();  // a span outside the input
    }
  }
  return 0;
}
