// Fuzzes the answers JSON of `divcheck assess submit --answers=FILE`: the
// proto3 JSON parse the CLI does (unknown fields refused), the request the
// CLI builds from it, then validation and scoring against the source
// tree's questionnaires (AssessmentApi::CreateAssessment with
// validate_only, as divcheckd runs it without storage), and a comparison of
// the scored assessment with itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/assessment_api.h"
#include "api/caller.h"
#include "assessment/scoring.h"
#include "clients/cli/assess_common.h"
#include "divcheck/cli/files/assess_files.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/fuzz/fuzz_questionnaires.h"

// Loads what every input needs before fuzzing starts, so that loading
// does not count against the first input's time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)divcheck::fuzz::SharedQuestionnaires();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const divcheck::api::AssessmentApi api(
      divcheck::fuzz::SharedQuestionnaires(), nullptr);
  const std::string json(reinterpret_cast<const char*>(data), size);
  divcheck::cli::files::AnswersFile file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(json, &file, options).ok()) {
    return 0;
  }
  divcheck::cli::assess::AssessFlags flags;
  divcheck::v1::CreateAssessmentRequest request =
      divcheck::cli::assess::RequestFrom(file, flags);
  request.set_validate_only(true);
  auto scored =
      api.CreateAssessment(request, divcheck::api::Caller::Unrestricted());
  if (!scored.ok()) return 0;
  const auto set = api.questionnaires();
  auto questionnaire =
      set->Find(scored->questionnaire_id(), scored->questionnaire_version(),
                scored->language());
  (void)divcheck::assessment::CompareAssessments(
      *scored, *scored, questionnaire.ok() ? *questionnaire : nullptr);
  return 0;
}
