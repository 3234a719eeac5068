// Unit tests of AssessmentApi, the transport-free part of the
// AssessmentService: validation, storage switched off, AIP-158 pages.
#include "api/assessment_api.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "api/errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace divcheck::service {
namespace {

using api::AssessmentApi;
using api::ReasonOf;
using api::ToRpcStatus;
using ::testing::HasSubstr;

std::shared_ptr<const assessment::QuestionnaireSet> Questionnaires() {
  static const auto set = [] {
    auto loaded = assessment::QuestionnaireSet::Load(
        DIVCHECK_SOURCE_QUESTIONNAIRES, nullptr);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return *loaded;
  }();
  return set;
}

v1::CreateAssessmentRequest AllRequired(const std::string& org,
                                        const std::string& option) {
  v1::CreateAssessmentRequest request;
  request.set_organization(org);
  const v1::Questionnaire* q = *Questionnaires()->Find("", 0, "de");
  for (const auto& s : q->sections()) {
    for (const auto& question : s.questions()) {
      if (!question.required()) continue;
      v1::Answer* a = request.add_answers();
      a->set_question_id(question.id());
      a->set_option_id(option);
    }
  }
  return request;
}

std::vector<std::string> ViolationFields(const absl::Status& status) {
  google::rpc::Status rpc = ToRpcStatus(status, "test");
  std::vector<std::string> fields;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

class TempDb {
 public:
  TempDb() {
    char tmpl[] = "/tmp/divcheck_api_XXXXXX";
    dir_ = mkdtemp(tmpl);
    repo_ = *assessment::OpenSqliteRepository(dir_ + "/a.db");
  }
  ~TempDb() {
    repo_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  assessment::AssessmentRepository* repo() { return repo_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<assessment::AssessmentRepository> repo_;
};

TEST(AssessmentApi, WithoutStorageOnlyScores) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("acme", "mostly");
  absl::StatusOr<v1::Assessment> stored = api.CreateAssessment(request);
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(stored.status()), "STORAGE_DISABLED");
  request.set_validate_only(true);
  absl::StatusOr<v1::Assessment> scored = api.CreateAssessment(request);
  ASSERT_TRUE(scored.ok()) << scored.status();
  EXPECT_EQ(scored->overall_score(), 75);
  EXPECT_TRUE(scored->id().empty());
  EXPECT_FALSE(scored->has_create_time());

  v1::GetAssessmentRequest get;
  get.set_id("a0123456789abcdef01234567");
  EXPECT_EQ(ReasonOf(api.GetAssessment(get).status()), "STORAGE_DISABLED");
  v1::ListAssessmentsRequest list;
  list.set_organization("acme");
  EXPECT_EQ(ReasonOf(api.ListAssessments(list).status()), "STORAGE_DISABLED");
}

TEST(AssessmentApi, ValidateOnlyNeedsNoOrganizationButAGoodOneIfGiven) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("", "fully");
  request.set_validate_only(true);
  EXPECT_TRUE(api.CreateAssessment(request).ok());
  request.set_organization("bad\norg");
  absl::StatusOr<v1::Assessment> a = api.CreateAssessment(request);
  EXPECT_EQ(ReasonOf(a.status()), "INVALID_ORGANIZATION");
  EXPECT_THAT(ViolationFields(a.status()),
              ::testing::ElementsAre("organization"));
}

TEST(AssessmentApi, TooManyAnswersAreRefusedWholesale) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("acme", "fully");
  request.set_validate_only(true);
  for (int i = 0; i < 1001; ++i) *request.add_answers() = request.answers(0);
  absl::Status s = api.CreateAssessment(request).status();
  EXPECT_EQ(ReasonOf(s), "TOO_MANY_ANSWERS");
  EXPECT_EQ(ViolationFields(s).size(), 1u);
}

TEST(AssessmentApi, WrongQuestionnaireIdLanguageAndVersion) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("", "fully");
  request.set_validate_only(true);
  request.set_questionnaire_id("other-check");
  EXPECT_EQ(ReasonOf(api.CreateAssessment(request).status()),
            "UNKNOWN_QUESTIONNAIRE");
  request.set_questionnaire_id("");
  request.set_language_code("fr");
  EXPECT_EQ(ReasonOf(api.CreateAssessment(request).status()),
            "UNSUPPORTED_LANGUAGE");
  request.set_language_code("en");
  request.set_questionnaire_version(2);
  absl::StatusOr<v1::Assessment> a = api.CreateAssessment(request);
  EXPECT_EQ(ReasonOf(a.status()), "UNKNOWN_QUESTIONNAIRE_VERSION");
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("no version 2"));
  request.set_questionnaire_version(1);
  a = api.CreateAssessment(request);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->language(), "en");
  EXPECT_EQ(a->questionnaire_version(), 1);
}

TEST(AssessmentApi, PagesAreStableAndBoundToTheOrganization) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(api.CreateAssessment(AllRequired("acme", "partly")).ok());
  }
  ASSERT_TRUE(api.CreateAssessment(AllRequired("zeta", "partly")).ok());

  v1::ListAssessmentsRequest request;
  request.set_organization("acme");
  request.set_page_size(3);
  std::vector<std::string> ids;
  std::string first_token;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<v1::ListAssessmentsResponse> r =
        api.ListAssessments(request);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const auto& a : r->assessments()) ids.push_back(a.id());
    if (page == 0) first_token = r->next_page_token();
    if (r->next_page_token().empty()) break;
    // A new assessment between pages does not shift later pages.
    if (page == 0) {
      ASSERT_TRUE(api.CreateAssessment(AllRequired("acme", "fully")).ok());
    }
    request.set_page_token(r->next_page_token());
  }
  EXPECT_EQ(ids.size(), 7u);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 7u);

  v1::ListAssessmentsRequest other;
  other.set_organization("zeta");
  other.set_page_token(first_token);
  EXPECT_EQ(ReasonOf(api.ListAssessments(other).status()),
            "INVALID_PAGE_TOKEN");
  other.set_page_token("");
  other.set_page_size(-1);
  EXPECT_EQ(ReasonOf(api.ListAssessments(other).status()), "INVALID_PAGE_SIZE");
  other.set_page_size(100000);
  absl::StatusOr<v1::ListAssessmentsResponse> all = api.ListAssessments(other);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->assessments_size(), 1);
  v1::ListAssessmentsRequest nobody;
  nobody.set_organization("nobody");
  ASSERT_TRUE(api.ListAssessments(nobody).ok());
  EXPECT_EQ(api.ListAssessments(nobody)->assessments_size(), 0);

  v1::ListAssessmentsRequest both_wrong;
  both_wrong.set_page_size(-5);
  both_wrong.set_page_token("garbage");
  absl::Status s = api.ListAssessments(both_wrong).status();
  EXPECT_EQ(ReasonOf(s), "INVALID_REQUEST");
  EXPECT_EQ(ViolationFields(s).size(), 3u);
}

TEST(AssessmentApi, CompareNeedsTheSameOrganization) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  auto a = api.CreateAssessment(AllRequired("acme", "started"));
  auto b = api.CreateAssessment(AllRequired("acme", "mostly"));
  auto c = api.CreateAssessment(AllRequired("zeta", "mostly"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  v1::CompareAssessmentsRequest request;
  request.set_before_id(a->id());
  request.set_after_id(b->id());
  absl::StatusOr<v1::AssessmentComparison> cmp =
      api.CompareAssessments(request);
  ASSERT_TRUE(cmp.ok()) << cmp.status();
  EXPECT_EQ(cmp->overall_delta(), 50);
  request.set_after_id(c->id());
  EXPECT_EQ(ReasonOf(api.CompareAssessments(request).status()),
            "DIFFERENT_ORGANIZATIONS");
  request.set_after_id("nope");
  request.set_before_id("");
  absl::Status bad = api.CompareAssessments(request).status();
  EXPECT_THAT(ViolationFields(bad),
              ::testing::ElementsAre("before_id", "after_id"));
  request.set_before_id(a->id());
  request.set_after_id("a0000000000000000000000ff");
  EXPECT_EQ(ReasonOf(api.CompareAssessments(request).status()),
            "ASSESSMENT_NOT_FOUND");
}

}  // namespace
}  // namespace divcheck::service
