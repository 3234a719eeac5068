// Unit tests of AssessmentApi, the transport-free part of the
// AssessmentService: validation, storage switched off, AIP-158 pages.
#include "api/assessment_api.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/errors.h"
#include "api/organization.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace divcheck::service {
namespace {

using api::AssessmentApi;
using api::ReasonOf;
using api::ToRpcStatus;
using ::testing::HasSubstr;

// These tests run as a server without API keys does: one trusted tenant.
api::Caller All() { return api::Caller::Unrestricted(); }

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
  absl::StatusOr<v1::Assessment> stored = api.CreateAssessment(request, All());
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(stored.status()), "STORAGE_DISABLED");
  request.set_validate_only(true);
  absl::StatusOr<v1::Assessment> scored = api.CreateAssessment(request, All());
  ASSERT_TRUE(scored.ok()) << scored.status();
  EXPECT_EQ(scored->overall_score(), 75);
  EXPECT_TRUE(scored->id().empty());
  EXPECT_FALSE(scored->has_create_time());

  v1::GetAssessmentRequest get;
  get.set_id("a0123456789abcdef01234567");
  EXPECT_EQ(ReasonOf(api.GetAssessment(get, All()).status()),
            "STORAGE_DISABLED");
  v1::ListAssessmentsRequest list;
  list.set_organization("acme");
  EXPECT_EQ(ReasonOf(api.ListAssessments(list, All()).status()),
            "STORAGE_DISABLED");
}

TEST(AssessmentApi, ValidateOnlyNeedsNoOrganizationButAGoodOneIfGiven) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("", "fully");
  request.set_validate_only(true);
  EXPECT_TRUE(api.CreateAssessment(request, All()).ok());
  request.set_organization("bad\norg");
  absl::StatusOr<v1::Assessment> a = api.CreateAssessment(request, All());
  EXPECT_EQ(ReasonOf(a.status()), "INVALID_ORGANIZATION");
  EXPECT_THAT(ViolationFields(a.status()),
              ::testing::ElementsAre("organization"));
}

TEST(AssessmentApi, TooManyAnswersAreRefusedWholesale) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("acme", "fully");
  request.set_validate_only(true);
  for (int i = 0; i < 1001; ++i) *request.add_answers() = request.answers(0);
  absl::Status s = api.CreateAssessment(request, All()).status();
  EXPECT_EQ(ReasonOf(s), "TOO_MANY_ANSWERS");
  EXPECT_EQ(ViolationFields(s).size(), 1u);
}

TEST(AssessmentApi, WrongQuestionnaireIdLanguageAndVersion) {
  AssessmentApi api(Questionnaires(), nullptr);
  v1::CreateAssessmentRequest request = AllRequired("", "fully");
  request.set_validate_only(true);
  request.set_questionnaire_id("other-check");
  EXPECT_EQ(ReasonOf(api.CreateAssessment(request, All()).status()),
            "UNKNOWN_QUESTIONNAIRE");
  request.set_questionnaire_id("");
  request.set_language_code("fr");
  EXPECT_EQ(ReasonOf(api.CreateAssessment(request, All()).status()),
            "UNSUPPORTED_LANGUAGE");
  request.set_language_code("en");
  request.set_questionnaire_version(2);
  absl::StatusOr<v1::Assessment> a = api.CreateAssessment(request, All());
  EXPECT_EQ(ReasonOf(a.status()), "UNKNOWN_QUESTIONNAIRE_VERSION");
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("no version 2"));
  request.set_questionnaire_version(1);
  a = api.CreateAssessment(request, All());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->language(), "en");
  EXPECT_EQ(a->questionnaire_version(), 1);
}

TEST(AssessmentApi, PagesAreStableAndBoundToTheOrganization) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(
        api.CreateAssessment(AllRequired("acme", "partly"), All()).ok());
  }
  ASSERT_TRUE(api.CreateAssessment(AllRequired("zeta", "partly"), All()).ok());

  v1::ListAssessmentsRequest request;
  request.set_organization("acme");
  request.set_page_size(3);
  std::vector<std::string> ids;
  std::string first_token;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<v1::ListAssessmentsResponse> r =
        api.ListAssessments(request, All());
    ASSERT_TRUE(r.ok()) << r.status();
    for (const auto& a : r->assessments()) ids.push_back(a.id());
    if (page == 0) first_token = r->next_page_token();
    if (r->next_page_token().empty()) break;
    // A new assessment between pages does not shift later pages.
    if (page == 0) {
      ASSERT_TRUE(
          api.CreateAssessment(AllRequired("acme", "fully"), All()).ok());
    }
    request.set_page_token(r->next_page_token());
  }
  EXPECT_EQ(ids.size(), 7u);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 7u);

  v1::ListAssessmentsRequest other;
  other.set_organization("zeta");
  other.set_page_token(first_token);
  EXPECT_EQ(ReasonOf(api.ListAssessments(other, All()).status()),
            "INVALID_PAGE_TOKEN");
  other.set_page_token("");
  other.set_page_size(-1);
  EXPECT_EQ(ReasonOf(api.ListAssessments(other, All()).status()),
            "INVALID_PAGE_SIZE");
  other.set_page_size(100000);
  absl::StatusOr<v1::ListAssessmentsResponse> all =
      api.ListAssessments(other, All());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->assessments_size(), 1);
  v1::ListAssessmentsRequest nobody;
  nobody.set_organization("nobody");
  ASSERT_TRUE(api.ListAssessments(nobody, All()).ok());
  EXPECT_EQ(api.ListAssessments(nobody, All())->assessments_size(), 0);

  v1::ListAssessmentsRequest both_wrong;
  both_wrong.set_page_size(-5);
  both_wrong.set_page_token("garbage");
  absl::Status s = api.ListAssessments(both_wrong, All()).status();
  EXPECT_EQ(ReasonOf(s), "INVALID_REQUEST");
  EXPECT_EQ(ViolationFields(s).size(), 3u);
}

TEST(AssessmentApi, CompareNeedsTheSameOrganization) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  auto a = api.CreateAssessment(AllRequired("acme", "started"), All());
  auto b = api.CreateAssessment(AllRequired("acme", "mostly"), All());
  auto c = api.CreateAssessment(AllRequired("zeta", "mostly"), All());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  v1::CompareAssessmentsRequest request;
  request.set_before_id(a->id());
  request.set_after_id(b->id());
  absl::StatusOr<v1::AssessmentComparison> cmp =
      api.CompareAssessments(request, All());
  ASSERT_TRUE(cmp.ok()) << cmp.status();
  EXPECT_EQ(cmp->overall_delta(), 50);
  request.set_after_id(c->id());
  EXPECT_EQ(ReasonOf(api.CompareAssessments(request, All()).status()),
            "DIFFERENT_ORGANIZATIONS");
  request.set_after_id("nope");
  request.set_before_id("");
  absl::Status bad = api.CompareAssessments(request, All()).status();
  EXPECT_THAT(ViolationFields(bad),
              ::testing::ElementsAre("before_id", "after_id"));
  request.set_before_id(a->id());
  request.set_after_id("a0000000000000000000000ff");
  EXPECT_EQ(ReasonOf(api.CompareAssessments(request, All()).status()),
            "ASSESSMENT_NOT_FOUND");
}

// Issue 17, item 8: one canonical form per organisation name.
TEST(OrganizationName, NormalizedOrRefused) {
  using api::NormalizeOrganization;
  const std::string nfc = "M\xC3\xBCller KG";
  EXPECT_EQ(*NormalizeOrganization("Mu\xCC\x88ller KG"), nfc);  // NFD
  EXPECT_EQ(*NormalizeOrganization(" \t" + nfc + "  \n"), nfc);
  EXPECT_EQ(*NormalizeOrganization("M\xC3\xBCller\xC2\xA0 \xE3\x80\x80KG"),
            nfc);  // NBSP, space, ideographic space: one space
  EXPECT_EQ(*NormalizeOrganization("ACME"), "ACME");
  EXPECT_EQ(*NormalizeOrganization("acme"), "acme");  // case is kept
  for (const std::string& refused :
       {std::string("A\xE2\x80\x8B"
                    "B"),  // U+200B zero-width space
        std::string("A\xC2\xAD"
                    "B"),  // U+00AD soft hyphen
        std::string("A\xE2\x80\x8D"
                    "B"),  // U+200D zero-width joiner
        std::string("A\xE2\x81\xA0"
                    "B"),  // U+2060 word joiner
        std::string("A\xEF\xBB\xBF"
                    "B"),  // U+FEFF BOM
        std::string("A\xE2\x80\xAE"
                    "B"),  // U+202E right-to-left override
        std::string("A\xE3\x85\xA4"
                    "B"),  // U+3164 Hangul filler
        std::string("A\xEF\xB8\x8F"
                    "B"),  // U+FE0F variation selector
        std::string("A\xEE\x80\x80"
                    "B"),  // U+E000 private use
        std::string("A\tB"), std::string("A\nB"),
        std::string("A\xE2\x80\xA8"
                    "B"),  // U+2028 line separator
        std::string("", 0), std::string("   "),
        std::string("\xE2\x80\x8B"),  // invisible only
        std::string("\xC3\x28"),      // not UTF-8
        std::string(201, 'x'), std::string(5000, ' ')}) {
    absl::StatusOr<std::string> n = NormalizeOrganization(refused);
    EXPECT_TRUE(absl::IsInvalidArgument(n.status()))
        << "\"" << refused << "\" gave " << (n.ok() ? *n : "error");
  }
  EXPECT_TRUE(NormalizeOrganization(std::string(200, 'x')).ok());
  EXPECT_THAT(NormalizeOrganization("A\xE2\x80\x8B"
                                    "B")
                  .status()
                  .message(),
              HasSubstr("U+200B ZERO WIDTH SPACE"));
}

TEST(AssessmentApi, OrganizationsAreStoredAndListedNormalized) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  auto a =
      api.CreateAssessment(AllRequired(" Mu\xCC\x88ller KG ", "partly"), All());
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->organization(), "M\xC3\xBCller KG");
  v1::ListAssessmentsRequest list;
  list.set_organization("M\xC3\xBCller\xC2\xA0KG");
  ASSERT_EQ(api.ListAssessments(list, All())->assessments_size(), 1);
  list.set_organization("m\xC3\xBCller kg");
  EXPECT_EQ(api.ListAssessments(list, All())->assessments_size(), 0);
  absl::Status s = api.CreateAssessment(AllRequired("A\xE2\x80\x8B"
                                                    "B",
                                                    "partly"),
                                        All())
                       .status();
  EXPECT_EQ(ReasonOf(s), "INVALID_ORGANIZATION");
  EXPECT_THAT(ViolationFields(s), ::testing::ElementsAre("organization"));
}

TEST(AssessmentApi, KeysSeeOnlyTheirOrganizations) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  const api::Caller acme = api::Caller::WithKey("k1", false, {"acme"});
  const api::Caller zeta = api::Caller::WithKey("k2", false, {"zeta"});
  const api::Caller admin = api::Caller::WithKey("k3", true, {});
  const api::Caller none = api::Caller::WithKey("k4", false, {});
  const api::Caller nothing;  // default: no rights
  auto a = api.CreateAssessment(AllRequired("", "partly"), acme);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->organization(), "acme");
  v1::GetAssessmentRequest get;
  get.set_id(a->id());
  EXPECT_TRUE(api.GetAssessment(get, acme).ok());
  EXPECT_TRUE(api.GetAssessment(get, admin).ok());
  for (const api::Caller* c : {&zeta, &none, &nothing}) {
    absl::Status s = api.GetAssessment(get, *c).status();
    EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
    EXPECT_EQ(ReasonOf(s), "ORGANIZATION_NOT_ALLOWED");
  }
  v1::ListAssessmentsRequest list;
  list.set_organization("acme");
  EXPECT_TRUE(
      absl::IsPermissionDenied(api.ListAssessments(list, zeta).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(
      api.CreateAssessment(AllRequired("acme", "partly"), zeta).status()));
  EXPECT_EQ(api.ListAssessments(list, admin)->assessments_size(), 1);
}

// Ids of earlier versions ("a" + 24 hex digits) stay readable.
TEST(AssessmentApi, OldIdsStayReadable) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  auto a = api.CreateAssessment(AllRequired("acme", "partly"), All());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id().size(), 33u);
  v1::Assessment old = *a;
  old.set_id("a0123456789abcdef01234567");
  ASSERT_TRUE(db.repo()->Insert(old).ok());
  v1::GetAssessmentRequest get;
  get.set_id(old.id());
  absl::StatusOr<v1::Assessment> read = api.GetAssessment(get, All());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id(), old.id());
}

// A request id is remembered for the retention window and no longer; an
// erased assessment frees its request id.
TEST(AssessmentRepository, RequestRecordsExpireAndFollowErasure) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  v1::Assessment a =
      *api.CreateAssessment(AllRequired("acme", "partly"), All());
  assessment::CreateRequestRecord record{"scope", "fp", 0};
  a.set_id("a01");
  auto first = db.repo()->InsertOnce(a, record);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  a.set_id("a02");
  auto again = db.repo()->InsertOnce(a, record);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(again->same_request);
  EXPECT_EQ(again->assessment.id(), "a01");
  record.fingerprint = "other";
  EXPECT_FALSE(db.repo()->InsertOnce(a, record)->same_request);
  // Expired: stored anew.
  record.not_before_us = (a.create_time().seconds() + 1) * 1000000;
  auto expired = db.repo()->InsertOnce(a, record);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_FALSE(expired->replayed);
  EXPECT_EQ(expired->assessment.id(), "a02");
  // Erased: the record goes with it.
  record.not_before_us = 0;
  ASSERT_TRUE(db.repo()->Delete("a02").ok());
  a.set_id("a03");
  auto after_erasure = db.repo()->InsertOnce(a, record);
  ASSERT_TRUE(after_erasure.ok());
  EXPECT_FALSE(after_erasure->replayed);
}

// Concurrent retries of one request store one assessment.
TEST(AssessmentApi, ConcurrentRetriesStoreOnce) {
  TempDb db;
  AssessmentApi api(Questionnaires(), db.repo());
  v1::CreateAssessmentRequest request = AllRequired("acme", "partly");
  request.set_request_id("same");
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      auto a = api.CreateAssessment(request, All());
      ids[i] = a.ok() ? a->id() : a.status().ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u)
      << ids[0] << " " << ids[1];
  v1::ListAssessmentsRequest list;
  list.set_organization("acme");
  EXPECT_EQ(api.ListAssessments(list, All())->assessments_size(), 1);
}

}  // namespace
}  // namespace divcheck::service
