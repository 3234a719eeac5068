// Unit tests of the per-request options of ScanTextRequest (fields 110–114)
// through api::ScanApi over the real lexicons: rule filters, minimum
// severity, employer type, report language, their validation, and that
// score, grade and counts always describe the findings the report lists.
#include "api/scan_options.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "analyzers/scoring.h"
#include "api/errors.h"
#include "api/scan_api.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace divcheck::api {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A secular employer asking for church membership (as corpus ad 015),
// with a young team, a masculine title and a coded word.
constexpr char kAd[] =
    "Verkäufer gesucht\n"
    "Wir sind ein junges, dynamisches Team und suchen eine "
    "durchsetzungsstarke Persönlichkeit.\n"
    "Mitgliedschaft in einer christlichen Kirche setzen wir voraus.\n"
    "Teilzeit ist möglich.\n";
// The same requirement from a church employer the text names.
constexpr char kCaritasAd[] =
    "Der Caritasverband sucht eine Leitung (m/w/d) der Kita.\n"
    "Zugehörigkeit zur katholischen Kirche setzen wir voraus.\n";

class ScanOptionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    engine_ = Engine::Create(options)->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  static v1::ScanTextRequest Request(const std::string& text) {
    v1::ScanTextRequest r;
    r.set_text(text);
    r.set_language_code("de");
    return r;
  }

  static v1::Report Scan(const v1::ScanTextRequest& request) {
    ScanApi api(engine_, 1 << 20);
    absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::Report();
  }

  static absl::Status ScanError(const v1::ScanTextRequest& request) {
    ScanApi api(engine_, 1 << 20);
    return api.Scan(request, CallControl()).status();
  }

  static Engine* engine_;
};
Engine* ScanOptionsTest::engine_ = nullptr;

// The (field, description) pairs of the BadRequest of `status`.
std::vector<std::pair<std::string, std::string>> Violations(
    const absl::Status& status) {
  std::vector<std::pair<std::string, std::string>> out;
  const google::rpc::Status rpc = ToRpcStatus(status, "t");
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) {
      out.emplace_back(v.field(), v.description());
    }
  }
  return out;
}

std::set<std::string> RuleIds(const v1::Report& report) {
  std::set<std::string> ids;
  for (const v1::Finding& f : report.findings()) ids.insert(f.rule_id());
  return ids;
}

// The score, grade, counts and dimension scores of `report` are those the
// scoring gives its listed findings.
void ExpectScoredOverListedFindings(const v1::Report& report) {
  v1::Report rescored = report;
  ScoreReport(&rescored);
  EXPECT_TRUE(MessageDifferencer::Equals(rescored, report))
      << rescored.DebugString() << "\nvs\n"
      << report.DebugString();
}

TEST_F(ScanOptionsTest, NoOptionsIsTheEnginesReport) {
  const v1::Report report = Scan(Request(kAd));
  absl::StatusOr<v1::Report> engine = engine_->ScanText(kAd, [] {
    ScanOptions o;
    o.language = "de";
    return o;
  }());
  ASSERT_TRUE(engine.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(report, *engine));
  // The ad has what the other tests filter.
  EXPECT_THAT(RuleIds(report),
              ::testing::IsSupersetOf(
                  {"de.age.junges_team", "de.religion.kirchenmitgliedschaft"}));
  EXPECT_GT(report.hint_count(), 0u);
  EXPECT_GT(report.highlights_size(), 0);
}

TEST_F(ScanOptionsTest, DisabledRulesLeaveOutTheirFindingsBeforeScoring) {
  const v1::Report all = Scan(Request(kAd));
  v1::ScanTextRequest request = Request(kAd);
  request.add_disabled_rules("de.age.junges_team");
  request.add_disabled_rules("de.religion.kirchenmitgliedschaft");
  const v1::Report filtered = Scan(request);
  std::set<std::string> want = RuleIds(all);
  want.erase("de.age.junges_team");
  want.erase("de.religion.kirchenmitgliedschaft");
  // The rules are left out before context, so "jung und dynamisch", which
  // the "junges … Team" finding contained (and hid), is reported now.
  EXPECT_EQ(RuleIds(all).count("de.age.jung_und_dynamisch"), 0u);
  want.insert("de.age.jung_und_dynamisch");
  EXPECT_EQ(RuleIds(filtered), want);
  EXPECT_GT(filtered.score(), all.score());
  EXPECT_LT(filtered.critical_count(), all.critical_count());
  ExpectScoredOverListedFindings(filtered);
  ExpectScoredOverListedFindings(all);
}

TEST_F(ScanOptionsTest, OnlyRulesKeepOnlyThoseFindingsAndHighlights) {
  const v1::Report all = Scan(Request(kAd));
  ASSERT_GT(all.highlights_size(), 0);
  const std::string highlight = all.highlights(0).rule_id();
  v1::ScanTextRequest request = Request(kAd);
  request.add_only_rules("de.age.junges_team");
  request.add_only_rules(highlight);
  const v1::Report only = Scan(request);
  EXPECT_THAT(RuleIds(only), ElementsAre("de.age.junges_team"));
  ASSERT_GT(only.highlights_size(), 0);
  for (const v1::Highlight& h : only.highlights()) {
    EXPECT_EQ(h.rule_id(), highlight);
  }
  ExpectScoredOverListedFindings(only);
  // Disabling wins over enabling; a disabled highlight rule is gone.
  request.add_disabled_rules("de.age.junges_team");
  request.add_disabled_rules(highlight);
  const v1::Report none = Scan(request);
  EXPECT_EQ(none.findings_size(), 0);
  EXPECT_EQ(none.highlights_size(), 0);
  EXPECT_EQ(none.score(), 100u);
  EXPECT_EQ(none.grade(), "A");
}

TEST_F(ScanOptionsTest, MinSeverityLeavesOutLowerFindingsBeforeScoring) {
  const v1::Report all = Scan(Request(kAd));
  for (v1::Severity min :
       {v1::SEVERITY_HINT, v1::SEVERITY_WARNING, v1::SEVERITY_CRITICAL}) {
    SCOPED_TRACE(v1::Severity_Name(min));
    v1::ScanTextRequest request = Request(kAd);
    request.set_min_severity(min);
    const v1::Report report = Scan(request);
    int want = 0;
    for (const v1::Finding& f : all.findings()) want += f.severity() >= min;
    EXPECT_EQ(report.findings_size(), want);
    for (const v1::Finding& f : report.findings()) {
      EXPECT_GE(f.severity(), min);
    }
    EXPECT_EQ(report.highlights_size(), all.highlights_size());
    ExpectScoredOverListedFindings(report);
  }
  v1::ScanTextRequest request = Request(kAd);
  request.set_min_severity(v1::SEVERITY_WARNING);
  EXPECT_EQ(Scan(request).hint_count(), 0u);
}

const v1::Finding* FindingOf(const v1::Report& report,
                             const std::string& rule) {
  for (const v1::Finding& f : report.findings()) {
    if (f.rule_id() == rule) return &f;
  }
  return nullptr;
}

TEST_F(ScanOptionsTest, ReligiousEmployerLowersReligionRequirements) {
  const char kRule[] = "de.religion.kirchenmitgliedschaft";
  v1::ScanTextRequest request = Request(kAd);
  const v1::Report secular = Scan(request);
  ASSERT_NE(FindingOf(secular, kRule), nullptr);
  EXPECT_EQ(FindingOf(secular, kRule)->severity(), v1::SEVERITY_CRITICAL);
  EXPECT_EQ(FindingOf(secular, kRule)->context_note(), "");

  request.set_employer_type(v1::EMPLOYER_TYPE_RELIGIOUS);
  const v1::Report church = Scan(request);
  const v1::Finding* f = FindingOf(church, kRule);
  ASSERT_NE(f, nullptr);
  // Issue 14: at a § 9 AGG employer, a hint that the job must justify it.
  EXPECT_EQ(f->severity(), v1::SEVERITY_HINT);
  EXPECT_THAT(f->context_note(), HasSubstr("§ 9 AGG"));
  EXPECT_LT(church.critical_count(), secular.critical_count());
  ExpectScoredOverListedFindings(church);
  // The other rules do not depend on the employer type.
  EXPECT_EQ(RuleIds(church), RuleIds(secular));
  for (v1::EmployerType e :
       {v1::EMPLOYER_TYPE_PRIVATE, v1::EMPLOYER_TYPE_PUBLIC,
        v1::EMPLOYER_TYPE_TENDENCY}) {
    request.set_employer_type(e);
    EXPECT_TRUE(MessageDifferencer::Equals(Scan(request), secular))
        << v1::EmployerType_Name(e);
  }
}

TEST_F(ScanOptionsTest, EmployerTypeOverridesTheChurchNamedInTheText) {
  const char kRule[] = "de.religion.kirchenmitgliedschaft";
  v1::ScanTextRequest request = Request(kCaritasAd);
  // Detected from "Caritasverband": lowered.
  const v1::Report detected_report = Scan(request);
  const v1::Finding* detected = FindingOf(detected_report, kRule);
  ASSERT_NE(detected, nullptr);
  EXPECT_EQ(detected->severity(), v1::SEVERITY_HINT);
  for (v1::EmployerType e :
       {v1::EMPLOYER_TYPE_RELIGIOUS, v1::EMPLOYER_TYPE_TENDENCY}) {
    request.set_employer_type(e);
    const v1::Report report = Scan(request);
    ASSERT_NE(FindingOf(report, kRule), nullptr);
    EXPECT_EQ(FindingOf(report, kRule)->severity(), v1::SEVERITY_HINT)
        << v1::EmployerType_Name(e);
  }
  // The caller says it is not a church employer: the text does not decide.
  for (v1::EmployerType e :
       {v1::EMPLOYER_TYPE_PRIVATE, v1::EMPLOYER_TYPE_PUBLIC}) {
    request.set_employer_type(e);
    const v1::Report report = Scan(request);
    ASSERT_NE(FindingOf(report, kRule), nullptr);
    EXPECT_EQ(FindingOf(report, kRule)->severity(), v1::SEVERITY_CRITICAL)
        << v1::EmployerType_Name(e);
    EXPECT_EQ(FindingOf(report, kRule)->context_note(), "");
  }
}

TEST_F(ScanOptionsTest, UnknownRulesAreNamedOneViolationEach) {
  v1::ScanTextRequest request = Request(kAd);
  request.add_disabled_rules("de.age.junges_team");
  request.add_disabled_rules("de.age.no_such_rule");
  request.add_only_rules("no.such.rule");
  const absl::Status status = ScanError(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(status), "INVALID_REQUEST");  // two violations
  const auto v = Violations(status);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].first, "disabled_rules[1]");
  EXPECT_THAT(v[0].second, HasSubstr("\"de.age.no_such_rule\" is not a rule"));
  EXPECT_EQ(v[1].first, "only_rules[0]");
  EXPECT_THAT(v[1].second, HasSubstr("\"no.such.rule\""));

  v1::ScanTextRequest one = Request(kAd);
  one.add_disabled_rules("de.age.no_such_rule");
  EXPECT_EQ(ReasonOf(ScanError(one)), "UNKNOWN_RULE");
  // Rules of the other language and form rules are rules of the server.
  one.set_disabled_rules(0, "en.age.young_team");
  one.add_disabled_rules("de.form.religion");
  EXPECT_TRUE(ScanError(one).ok()) << ScanError(one);
}

TEST_F(ScanOptionsTest, RuleListsAreBounded) {
  v1::ScanTextRequest request = Request(kAd);
  for (int i = 0; i < 25; ++i) {
    request.add_disabled_rules(absl::StrCat("x.", i));
  }
  auto v = Violations(ScanError(request));
  ASSERT_EQ(v.size(), kMaxUnknownRuleViolations + 1);
  EXPECT_EQ(v.back().first, "disabled_rules");
  EXPECT_THAT(v.back().second, HasSubstr("5 more unknown rule ids"));

  request.clear_disabled_rules();
  for (size_t i = 0; i <= kMaxRuleFilterIds; ++i) {
    request.add_only_rules("de.age.junges_team");
  }
  const absl::Status status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "INVALID_RULE_FILTER");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("only_rules has 1001 rule ids; the limit is 1000"));
  request.mutable_only_rules()->RemoveLast();
  EXPECT_TRUE(ScanError(request).ok());
}

TEST_F(ScanOptionsTest, UnknownSeverityAndEmployerTypeAreRefused) {
  v1::ScanTextRequest request = Request(kAd);
  request.set_min_severity(static_cast<v1::Severity>(9));
  EXPECT_EQ(ReasonOf(ScanError(request)), "INVALID_SEVERITY");
  request.set_min_severity(v1::SEVERITY_UNSPECIFIED);
  request.set_employer_type(static_cast<v1::EmployerType>(-1));
  absl::Status status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "INVALID_EMPLOYER_TYPE");
  EXPECT_THAT(
      Violations(status),
      ElementsAre(std::make_pair(
          "employer_type", "employer_type -1 is not an EmployerType value")));
  // Every problem at once, with the other fields'.
  request.set_min_severity(static_cast<v1::Severity>(4));
  request.set_language_code("fr");
  request.set_report_language("tr");
  status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "INVALID_REQUEST");
  std::vector<std::string> fields;
  for (const auto& [field, _] : Violations(status)) fields.push_back(field);
  EXPECT_THAT(fields, ElementsAre("language_code", "min_severity",
                                  "employer_type", "report_language"));
}

TEST_F(ScanOptionsTest, ReportLanguageIsOnlyTheTextsOwn) {
  v1::ScanTextRequest request = Request(kAd);
  request.set_report_language("de");
  const v1::Report german = Scan(request);
  EXPECT_TRUE(MessageDifferencer::Equals(german, Scan(Request(kAd))));

  // No English messages for German rules: refused, not mixed.
  request.set_report_language("en");
  absl::Status status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "UNSUPPORTED_REPORT_LANGUAGE");
  EXPECT_THAT(Violations(status),
              ElementsAre(std::make_pair(
                  "report_language",
                  "report_language \"en\" is not available for a text in "
                  "\"de\": the rules' messages exist only in the language of "
                  "the text; leave report_language empty or use \"de\"")));
  // Detected German: the same answer, after the scan.
  request.clear_language_code();
  status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "UNSUPPORTED_REPORT_LANGUAGE");
  EXPECT_THAT(std::string(status.message()), HasSubstr("a text in \"de\""));
  request.set_report_language("de");
  EXPECT_TRUE(ScanError(request).ok());
  request.set_report_language("de-DE");
  EXPECT_EQ(ReasonOf(ScanError(request)), "UNSUPPORTED_REPORT_LANGUAGE");
  // A text that is not analysed has no messages to translate.
  request.set_text("");
  request.set_report_language("en");
  EXPECT_TRUE(ScanError(request).ok());
}

TEST_F(ScanOptionsTest, UncheckedStringsInTheOptionsAreRefusedNotTrusted) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request = Request(kAd);
  request.add_disabled_rules(std::string("de.age.\xff", 8));
  request.set_report_language(std::string("d\xff", 2));
  v1::Report report;
  const absl::Status status =
      api.ScanInto(request, CallControl(), Utf8::kUnchecked, &report);
  const auto v = Violations(status);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].first, "disabled_rules[0]");
  EXPECT_THAT(v[0].second, HasSubstr("\"de.age.\\xff\""));
  EXPECT_EQ(v[1].first, "report_language");
}

// The filters work inside the scan: a capped report caps (and counts) the
// filtered findings.
TEST_F(ScanOptionsTest, FiltersApplyBeforeCappingAndScoring) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&text, "Wir sind ein junges Team. Sie sind belastbar.\n");
  }
  v1::ScanTextRequest request = Request(text);
  request.add_disabled_rules("de.age.junges_team");
  const v1::Report uncapped = Scan(request);  // 500 findings at most
  ASSERT_FALSE(uncapped.findings_capped());
  ASSERT_GT(uncapped.findings_size(), 3);

  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  options.max_findings = 3;
  std::unique_ptr<Engine> engine = *Engine::Create(options);
  ScanApi api(engine.get(), 1 << 20);
  absl::StatusOr<v1::Report> filtered = api.Scan(request, CallControl());
  ASSERT_TRUE(filtered.ok());
  EXPECT_TRUE(filtered->findings_capped());
  EXPECT_EQ(filtered->findings_size(), 3);
  for (const v1::Finding& f : filtered->findings()) {
    EXPECT_NE(f.rule_id(), "de.age.junges_team");
  }
  EXPECT_EQ(filtered->findings_size() + filtered->omitted_finding_count(),
            static_cast<uint32_t>(uncapped.findings_size()));
  ExpectScoredOverListedFindings(*filtered);
}

// Issue 14: the preferred gender-fair form decides which title replacement
// comes first; the others follow, and the default order is unchanged.
TEST_F(ScanOptionsTest, GenderFormPutsItsTitleReplacementFirst) {
  const char kRule[] = "de.gender.title_masculine_only";
  v1::ScanTextRequest request = Request(kAd);
  const v1::Report plain = Scan(request);
  ASSERT_NE(FindingOf(plain, kRule), nullptr);
  EXPECT_THAT(FindingOf(plain, kRule)->replacements(),
              ElementsAre("Verkaufskraft", "Verkaufsberatung",
                          "Fachkraft im Verkauf", "Verkäuferin/Verkäufer",
                          "Verkäufer*in", "Verkäufer (m/w/d)"));
  const std::pair<v1::GenderForm, const char*> kFirst[] = {
      {v1::GENDER_FORM_PAIR, "Verkäuferin/Verkäufer"},
      {v1::GENDER_FORM_STAR, "Verkäufer*in"},
      {v1::GENDER_FORM_COLON, "Verkäufer:in"},
      {v1::GENDER_FORM_NEUTRAL, "Verkaufskraft"},
      {v1::GENDER_FORM_MARKER, "Verkäufer (m/w/d)"}};
  for (const auto& [form, first] : kFirst) {
    request.set_gender_form(form);
    const v1::Report report = Scan(request);
    const v1::Finding* f = FindingOf(report, kRule);
    ASSERT_NE(f, nullptr);
    ASSERT_GE(f->replacements_size(), 6) << v1::GenderForm_Name(form);
    EXPECT_EQ(f->replacements(0), first) << v1::GenderForm_Name(form);
    // Nothing but the title's replacements changes.
    v1::Report same = report, before = plain;
    for (v1::Report* r : {&same, &before}) {
      for (v1::Finding& g : *r->mutable_findings()) {
        if (g.rule_id() != kRule) continue;
        g.clear_replacements();
        g.clear_suggestions();
      }
    }
    EXPECT_TRUE(MessageDifferencer::Equals(same, before))
        << v1::GenderForm_Name(form);
  }
  // "Arzt"/"Ärztin" has no star form and no neutral noun: the pair form.
  request = Request("Arzt gesucht\n");
  request.set_gender_form(v1::GENDER_FORM_STAR);
  const v1::Report doctor = Scan(request);
  ASSERT_NE(FindingOf(doctor, kRule), nullptr);
  EXPECT_EQ(FindingOf(doctor, kRule)->replacements(0), "Ärztin/Arzt");
  request.set_gender_form(v1::GENDER_FORM_NEUTRAL);
  const v1::Report neutral = Scan(request);
  ASSERT_NE(FindingOf(neutral, kRule), nullptr);
  EXPECT_EQ(FindingOf(neutral, kRule)->replacements(0), "Ärztin/Arzt");
}

TEST_F(ScanOptionsTest, UnknownGenderFormIsRefused) {
  v1::ScanTextRequest request = Request(kAd);
  request.set_gender_form(static_cast<v1::GenderForm>(17));
  const absl::Status status = ScanError(request);
  EXPECT_EQ(ReasonOf(status), "INVALID_GENDER_FORM");
  EXPECT_THAT(Violations(status),
              ElementsAre(std::make_pair(
                  "gender_form", "gender_form 17 is not a GenderForm value")));
}

TEST_F(ScanOptionsTest, TheServerDefaultGenderFormAppliesWhenUnspecified) {
  ScanApi api(engine_, 1 << 20);
  api.set_default_gender_form(v1::GENDER_FORM_MARKER);
  v1::ScanTextRequest request = Request(kAd);
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::Finding* f = FindingOf(*report, "de.gender.title_masculine_only");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->replacements(0), "Verkäufer (m/w/d)");
  // The request's own choice wins.
  request.set_gender_form(v1::GENDER_FORM_STAR);
  report = api.Scan(request, CallControl());
  ASSERT_TRUE(report.ok());
  f = FindingOf(*report, "de.gender.title_masculine_only");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->replacements(0), "Verkäufer*in");
}

}  // namespace
}  // namespace divcheck::api
