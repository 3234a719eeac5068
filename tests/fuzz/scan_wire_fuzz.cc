// Fuzzes divcheckd's raw-buffer path: ParseScanTextRequest on any bytes,
// then ScanApi::Scan with the unchecked-UTF-8 contract it implies, as
// divcheckd runs it for a ScanText call.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "api/scan_api.h"
#include "service/scan_wire.h"
#include "tests/fuzz/fuzz_engine.h"

// Loads what every input needs before fuzzing starts, so that loading
// does not count against the first input's time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)divcheck::fuzz::SharedEngine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const divcheck::api::ScanApi api(&divcheck::fuzz::SharedEngine(),
                                          1 << 20);
  absl::string_view wire(reinterpret_cast<const char*>(data), size);
  divcheck::v1::ScanTextRequest request;
  divcheck::api::Utf8 utf8 = divcheck::api::Utf8::kVerified;
  if (!divcheck::service::ParseScanTextRequest(wire, &request, &utf8).ok()) {
    return 0;
  }
  (void)api.Scan(request, divcheck::api::CallControl{}, utf8);
  return 0;
}
