// The engine on the shipped lexicons (lexicons/ of the source tree), for
// tests that check what users get. Built once per test binary on first use
// and shared by its tests: the engine is immutable and thread-safe. It lives
// until the process ends (reachable, so not a leak for LSan).
#ifndef DIVCHECK_TESTS_SHIPPED_ENGINE_H_
#define DIVCHECK_TESTS_SHIPPED_ENGINE_H_

#include "analyzers/engine.h"
#include "gtest/gtest.h"

namespace divcheck::testing_support {

// nullptr (with a test failure naming the problem) when the shipped
// lexicons do not load. Needs DIVCHECK_SOURCE_LEXICONS.
inline Engine* ShippedEngine() {
  static Engine* const engine = []() -> Engine* {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto created = Engine::Create(options);
    if (!created.ok()) {
      ADD_FAILURE() << "the shipped lexicons do not load: " << created.status();
      return nullptr;
    }
    return created->release();
  }();
  if (engine == nullptr) ADD_FAILURE() << "no engine on the shipped lexicons";
  return engine;
}

}  // namespace divcheck::testing_support

#endif  // DIVCHECK_TESTS_SHIPPED_ENGINE_H_
