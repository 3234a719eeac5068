// Golden tests of the application-form audit: every form under tests/forms/
// (HTML or ScanFormRequest JSON) is read as `divcheck form` reads it,
// audited with the shipped lexicons, and rendered as lines that must equal
// the form's .expected file (format: tests/forms/README.md).
//
// To write the .expected files after a deliberate change, run with
// DIVCHECK_UPDATE_GOLDEN=1 and review the diff.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analyzers/engine.h"
#include "formats/form_input.h"
#include "gtest/gtest.h"
#include "tests/data_cases.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<testing::DataCase> FormFiles() {
  return testing::DataFiles(DIVCHECK_FORMS_DIR, {".html", ".json"});
}

std::string Without(const std::string& s, absl::string_view prefix) {
  return absl::StartsWith(s, prefix) ? s.substr(prefix.size()) : s;
}

// One line per parsed field, finding and readiness change.
std::string Render(const v1::ScanFormRequest& request,
                   const v1::ScanFormResponse& response) {
  std::string out;
  for (const v1::FormField& f : request.fields()) {
    absl::StrAppend(&out, "field ", f.field_id(), " ",
                    Without(v1::FieldType_Name(f.type()), "FIELD_TYPE_"), " ",
                    f.required() ? "required" : "optional",
                    " options=", f.options_size(), " \"", f.label(), "\"\n");
  }
  for (const v1::Finding& f : response.report().findings()) {
    absl::StrAppend(&out, "finding ", f.field_id().empty() ? "-" : f.field_id(),
                    " ", Without(v1::Severity_Name(f.severity()), "SEVERITY_"),
                    " ", f.rule_id(), " \"", f.matched_text(), "\"\n");
  }
  absl::StrAppend(&out, "score ", response.report().score(), " ",
                  response.report().grade(), "\n");
  absl::StrAppend(&out, "readiness ", response.readiness().score(), "\n");
  for (const v1::ReadinessChange& c : response.readiness().changes()) {
    absl::StrAppend(&out, "change ", c.points(), " ", c.rule_id(), " ",
                    absl::StrJoin(c.field_ids(), ","), "\n");
  }
  return out;
}

class FormGolden : public ::testing::TestWithParam<testing::DataCase> {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto created = Engine::Create(options);
    ASSERT_TRUE(created.ok()) << created.status();
    engine_ = created->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* FormGolden::engine_ = nullptr;

TEST_P(FormGolden, FindingsPerFieldMatchExpected) {
  ASSERT_NE(engine_, nullptr);
  const fs::path input = GetParam().path;
  absl::StatusOr<v1::ScanFormRequest> request =
      formats::FormFromFile(input.string(), ReadFile(input));
  ASSERT_TRUE(request.ok()) << request.status();
  absl::StatusOr<v1::ScanFormResponse> response =
      engine_->ScanForm(*request, ScanOptions());
  ASSERT_TRUE(response.ok()) << response.status();
  const std::string actual = Render(*request, *response);
  fs::path expected_path = input;
  expected_path.replace_extension(".expected");
  const char* update = std::getenv("DIVCHECK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; actual:\n"
      << actual;
  EXPECT_EQ(ReadFile(expected_path), actual) << "form " << input;
}

INSTANTIATE_TEST_SUITE_P(Forms, FormGolden, ::testing::ValuesIn(FormFiles()),
                         testing::DataCaseName);

TEST(FormGoldenCorpus, HasAtLeastTwentyFormsInBothLanguagesAndFormats) {
  const std::vector<testing::DataCase> cases = FormFiles();
  EXPECT_GE(cases.size(), 20u) << "in " << DIVCHECK_FORMS_DIR;
  int de = 0, en = 0, html = 0, json = 0;
  for (const testing::DataCase& c : cases) {
    const std::string f = fs::path(c.path).filename().string();
    de += absl::StartsWith(f, "de-");
    en += absl::StartsWith(f, "en-");
    html += absl::EndsWith(f, ".html");
    json += absl::EndsWith(f, ".json");
  }
  EXPECT_GE(de, 5);
  EXPECT_GE(en, 5);
  EXPECT_GE(html, 5);
  EXPECT_GE(json, 5);
}

}  // namespace
}  // namespace divcheck
