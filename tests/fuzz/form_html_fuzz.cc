// Fuzzes the HTML form reader (gumbo parsing, label binding) and the form
// audit of whatever it reads.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "formats/form_input.h"
#include "tests/fuzz/fuzz_engine.h"

// Loads what every input needs before fuzzing starts, so that loading
// does not count against the first input's time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)divcheck::fuzz::SharedEngine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view html(reinterpret_cast<const char*>(data), size);
  auto form = divcheck::formats::FormFromHtml(html);
  if (!form.ok()) return 0;
  divcheck::ScanOptions options;
  (void)divcheck::fuzz::SharedEngine().ScanForm(*form, options);
  return 0;
}
