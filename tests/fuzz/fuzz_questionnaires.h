// One questionnaire set over the source tree's questionnaires, shared by the
// fuzz targets that assess. Loaded once per process; aborts when the
// questionnaires do not load (a broken checkout, not a finding of the
// fuzzer).
// Thread-safety: SharedQuestionnaires() is safe to call from any thread.
#ifndef DIVCHECK_TESTS_FUZZ_FUZZ_QUESTIONNAIRES_H_
#define DIVCHECK_TESTS_FUZZ_FUZZ_QUESTIONNAIRES_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

#include "assessment/questionnaire.h"

namespace divcheck::fuzz {

inline std::shared_ptr<const assessment::QuestionnaireSet>
SharedQuestionnaires() {
  static const auto* const set = [] {
    std::vector<DataProblem> problems;
    auto loaded = assessment::QuestionnaireSet::Load(
        DIVCHECK_SOURCE_QUESTIONNAIRES, &problems);
    if (!loaded.ok()) {
      std::fprintf(stderr, "fuzz: cannot load questionnaires: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new std::shared_ptr<const assessment::QuestionnaireSet>(
        *std::move(loaded));
  }();
  return *set;
}

}  // namespace divcheck::fuzz

#endif  // DIVCHECK_TESTS_FUZZ_FUZZ_QUESTIONNAIRES_H_
