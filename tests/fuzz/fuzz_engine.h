// One engine over the source tree's lexicons, shared by the fuzz targets
// that scan. Loaded once per process; aborts when the lexicons do not load
// (a broken checkout, not a finding of the fuzzer).
// Thread-safety: SharedEngine() is safe to call from any thread.
#ifndef DIVCHECK_TESTS_FUZZ_FUZZ_ENGINE_H_
#define DIVCHECK_TESTS_FUZZ_FUZZ_ENGINE_H_

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "analyzers/engine.h"

namespace divcheck::fuzz {

inline const Engine& SharedEngine() {
  static const Engine* engine = [] {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto created = Engine::Create(options);
    if (!created.ok()) {
      std::fprintf(stderr, "fuzz: cannot load lexicons: %s\n",
                   created.status().ToString().c_str());
      std::abort();
    }
    return created->release();
  }();
  return *engine;
}

}  // namespace divcheck::fuzz

#endif  // DIVCHECK_TESTS_FUZZ_FUZZ_ENGINE_H_
