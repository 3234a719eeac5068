// Fuzzes the lexicon loader and compiler: the input is written as one
// German lexicon file into a private directory, loaded with LexiconSet::Load
// (text-format parsing, validation, term and regex compilation), and on
// success a short text is scanned with it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "analyzers/engine.h"
#include "analyzers/lexicon.h"

namespace {

const std::filesystem::path& Dir() {
  // Leaked on purpose: still there for the atexit cleanup.
  static const std::filesystem::path* const dir = [] {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "divcheck-lexfuzz-XXXXXX")
            .string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    std::filesystem::create_directories(std::filesystem::path(tmpl) / "de");
    return new std::filesystem::path(tmpl);
  }();
  // libFuzzer ends with exit() when its time is up: clean up then.
  static const int cleanup = std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(*dir, ignored);
  });
  (void)cleanup;
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(Dir() / "de" / "fuzz.textproto",
                      std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  std::vector<divcheck::LexiconProblem> problems;
  auto set = divcheck::LexiconSet::Load(Dir().string(), &problems);
  if (!set.ok()) return 0;
  divcheck::EngineOptions options;
  divcheck::Engine engine(options, *set);
  divcheck::ScanOptions scan;
  scan.language = "de";
  (void)engine.ScanText(
      "Wir suchen einen jungen Verkäufer (m/w/d) mit Deutsch.", scan);
  return 0;
}
