// Unit tests of the self-assessment engine: questionnaire loading and
// validation, scoring edge cases, comparison, and the SQLite repository
// (CRUD, migrations, durability settings).
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "assessment/questionnaire.h"
#include "assessment/repository.h"
#include "assessment/scoring.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace divcheck::assessment {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const QuestionnaireSet> Shipped() {
  std::vector<DataProblem> problems;
  auto set = QuestionnaireSet::Load(DIVCHECK_SOURCE_QUESTIONNAIRES, &problems);
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  EXPECT_TRUE(set.ok()) << set.status() << "\n" << all;
  return set.ok() ? *set : nullptr;
}

const v1::Questionnaire& German() {
  static const auto set = Shipped();
  static const v1::Questionnaire* q = *set->Find("", 0, "de");
  return *q;
}

// Answers every question with the option at `index` of its options (the
// last scoring option when index is -1); skips optional ones when
// `skip_optional`.
Answers AnswerAll(const v1::Questionnaire& q, int index, bool skip_optional) {
  Answers answers;
  for (const auto& s : q.sections()) {
    for (const auto& question : s.questions()) {
      if (skip_optional && !question.required()) continue;
      int i = index;
      if (i < 0) {
        for (int k = 0; k < question.options_size(); ++k)
          if (!question.options(k).not_applicable()) i = k;
      }
      v1::Answer* a = answers.Add();
      a->set_question_id(question.id());
      a->set_option_id(question.options(i).id());
    }
  }
  return answers;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/divcheck_assess_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  void Write(const std::string& name, const std::string& content) const {
    fs::create_directories((fs::path(path_) / name).parent_path());
    std::ofstream(fs::path(path_) / name) << content;
  }

 private:
  std::string path_;
};

TEST(QuestionnaireSet, ShippedQuestionnairesMeetTheIssue) {
  auto set = Shipped();
  ASSERT_NE(set, nullptr);
  for (const char* lang : {"de", "en"}) {
    auto q = set->Find("diversity-check", 0, lang);
    ASSERT_TRUE(q.ok()) << q.status();
    EXPECT_GE((*q)->sections_size(), 6);
    int questions = 0, optional = 0;
    for (const auto& s : (*q)->sections()) {
      for (const auto& question : s.questions()) {
        ++questions;
        if (!question.required()) ++optional;
        EXPECT_FALSE(question.help().empty());
        EXPECT_GE(question.dimensions_size(), 1);
        EXPECT_GE(question.options_size(), 2);
        EXPECT_GE(question.recommendations_size(), 1);
      }
    }
    EXPECT_GE(questions, 35);
    EXPECT_GE(optional, 1);
  }
  // § 13 AGG complaints office and the divcheck scan recommendation exist.
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(German(), &text);
  EXPECT_NE(text.find("§ 13 AGG"), std::string::npos);
  EXPECT_NE(text.find("divcheck scan"), std::string::npos);
  EXPECT_NE(text.find("divcheck form"), std::string::npos);
}

TEST(QuestionnaireSet, FindDefaultsAndErrors) {
  auto set = Shipped();
  QuestionnaireSet::FindError e;
  auto q = set->Find("", 0, "", &e);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)->language(), "de");
  EXPECT_EQ((*q)->version(), 1);
  EXPECT_FALSE(set->Find("nope", 0, "de", &e).ok());
  EXPECT_EQ(e, QuestionnaireSet::FindError::kUnknownId);
  EXPECT_FALSE(set->Find("diversity-check", 7, "de", &e).ok());
  EXPECT_EQ(e, QuestionnaireSet::FindError::kUnknownVersion);
  EXPECT_FALSE(set->Find("diversity-check", 1, "fr", &e).ok());
  EXPECT_EQ(e, QuestionnaireSet::FindError::kUnknownLanguage);
}

constexpr char kHeader[] =
    "# proto-file: proto/divcheck/config/v1/questionnaire.proto\n"
    "# proto-message: divcheck.config.v1.QuestionnaireFile\n";

TEST(QuestionnaireSet, ReportsSyntaxErrorsWithFileLineColumn) {
  TempDir dir;
  dir.Write("de/bad.textproto",
            std::string(kHeader) +
                "id: \"x\"\nversion: 1\nlanguage: \"de\"\n"
                "sections { id: \"a\" title \"a colon is missing\" }\n"
                "bogus_field: 3\n");
  std::vector<DataProblem> problems;
  auto set = QuestionnaireSet::Load(dir.path(), &problems);
  ASSERT_FALSE(set.ok());
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].file, "de/bad.textproto");
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_EQ(problems[0].column, 26);
  EXPECT_THAT(problems[0].ToString(),
              HasSubstr("de/bad.textproto:6:26: Expected \":\""));
}

TEST(QuestionnaireSet, ListsEverySemanticProblem) {
  TempDir dir;
  dir.Write("de/q.textproto", std::string(kHeader) + R"(
id: "x"
version: 1
language: "de"
title: "T"
scales { id: "s" options { id: "no" label: "Nein" value: 0 } options { id: "yes" label: "Ja" value: 1 } }
sections {
  id: "a"
  title: "A"
  questions { id: "a.one" text: "Q?" help: "H" dimensions: [DIMENSION_AGE] scale: "s" weight: 1 recommendations: "R" }
  questions { id: "a.one" text: "Q?" help: "H" dimensions: [DIMENSION_AGE] scale: "s" weight: 1 recommendations: "R" }
  questions { id: "a.two" text: "" help: "H" scale: "missing" weight: 9 }
}
)");
  std::vector<DataProblem> problems;
  auto set = QuestionnaireSet::Load(dir.path(), &problems);
  ASSERT_FALSE(set.ok());
  std::vector<std::string> messages;
  for (const auto& p : problems) messages.push_back(p.ToString());
  const std::string all = ::testing::PrintToString(messages);
  EXPECT_THAT(all, HasSubstr("duplicate question id \\\"a.one\\\""));
  EXPECT_THAT(all, HasSubstr("has no text"));
  EXPECT_THAT(all, HasSubstr("touches no dimension"));
  EXPECT_THAT(all, HasSubstr("weight must be 1 to 3 (is 9)"));
  EXPECT_THAT(all, HasSubstr("no recommendations"));
  EXPECT_THAT(all, HasSubstr("unknown scale \\\"missing\\\""));
  EXPECT_THAT(all, HasSubstr("de/q.textproto:14:"));  // the duplicate's line
}

TEST(QuestionnaireSet, TranslationsMustShareStructure) {
  TempDir dir;
  const std::string body = R"(
id: "x"
version: 1
title: "T"
sections {
  id: "a"
  title: "A"
  questions { id: "a.one" text: "Q?" help: "H" dimensions: [DIMENSION_AGE] weight: WEIGHT recommendations: "R"
    options { id: "no" label: "N" value: 0 } options { id: "yes" label: "Y" value: 1 } }
}
)";
  auto with = [&](const char* lang, const char* weight) {
    std::string s =
        std::string(kHeader) + "language: \"" + lang + "\"\n" + body;
    s.replace(s.find("WEIGHT"), 6, weight);
    return s;
  };
  dir.Write("de/q.textproto", with("de", "2"));
  dir.Write("en/q.textproto", with("en", "3"));
  std::vector<DataProblem> problems;
  ASSERT_FALSE(QuestionnaireSet::Load(dir.path(), &problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("differs in structure"));
}

TEST(Scoring, AllLowestAnswersGiveZeroAndHighNeed) {
  const v1::Questionnaire& q = German();
  auto a = ScoreAssessment(q, AnswerAll(q, 0, false), nullptr);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->overall_score(), 0);
  EXPECT_EQ(a->overall_need_for_action(), v1::NEED_FOR_ACTION_HIGH);
  EXPECT_EQ(a->overall_maturity(), v1::MATURITY_LEVEL_INITIAL);
  ASSERT_EQ(a->sections_size(), q.sections_size());
  for (const auto& s : a->sections()) {
    EXPECT_TRUE(s.assessed());
    EXPECT_EQ(s.percentage(), 0.0);
    EXPECT_EQ(s.need_for_action(), v1::NEED_FOR_ACTION_HIGH);
    EXPECT_EQ(s.maturity(), v1::MATURITY_LEVEL_INITIAL);
  }
  ASSERT_EQ(a->dimensions_size(), 7);
  for (const auto& d : a->dimensions()) EXPECT_EQ(d.percentage(), 0.0);
  ASSERT_EQ(a->recommendations_size(), kTopRecommendations);
  // Weight 3 questions come first, legal duties first among equal impact.
  EXPECT_EQ(a->recommendations(0).rank(), 1);
  EXPECT_DOUBLE_EQ(a->recommendations(0).impact(), 3.0);
  EXPECT_TRUE(a->recommendations(0).legal_duty());
  for (int i = 1; i < a->recommendations_size(); ++i) {
    EXPECT_GE(a->recommendations(i - 1).impact(),
              a->recommendations(i).impact());
  }
}

TEST(Scoring, AllHighestAnswersGiveHundredAndNoRecommendations) {
  const v1::Questionnaire& q = German();
  auto a = ScoreAssessment(q, AnswerAll(q, -1, false), nullptr);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->overall_score(), 100);
  EXPECT_EQ(a->overall_need_for_action(), v1::NEED_FOR_ACTION_LOW);
  EXPECT_EQ(a->overall_maturity(), v1::MATURITY_LEVEL_EMBEDDED);
  for (const auto& s : a->sections()) EXPECT_EQ(s.percentage(), 100.0);
  EXPECT_EQ(a->recommendations_size(), 0);
}

TEST(Scoring, SkippedOptionalQuestionsNeitherRaiseNorLower) {
  const v1::Questionnaire& q = German();
  auto full = ScoreAssessment(q, AnswerAll(q, 2, false), nullptr);
  auto skipped = ScoreAssessment(q, AnswerAll(q, 2, true), nullptr);
  ASSERT_TRUE(full.ok() && skipped.ok());
  EXPECT_EQ(full->overall_score(), 50);
  EXPECT_EQ(skipped->overall_score(), 50);
  int skipped_count = 0;
  for (const auto& s : skipped->sections()) skipped_count += s.skipped_count();
  EXPECT_GT(skipped_count, 0);
  int skipped_questions = 0;
  for (const auto& qr : skipped->questions()) {
    if (qr.skipped()) {
      ++skipped_questions;
      EXPECT_TRUE(qr.option_id().empty());
    }
  }
  // The loop above checked every skipped question, not none.
  EXPECT_EQ(skipped_questions, skipped_count);
}

TEST(Scoring, NotApplicableCountsAsSkippedAndUnmetLegalDutyIsHigh) {
  const v1::Questionnaire& q = German();
  Answers answers = AnswerAll(q, -1, false);
  for (auto& a : answers) {
    if (a.question_id() == "monitoring.data_protection")
      a.set_option_id("not_applicable");
    if (a.question_id() == "culture.complaints_office")
      a.set_option_id("started");
  }
  auto scored = ScoreAssessment(q, answers, nullptr);
  ASSERT_TRUE(scored.ok()) << scored.status();
  int checked = 0;
  for (const auto& s : scored->sections()) {
    checked += s.section_id() == "monitoring" || s.section_id() == "culture";
    if (s.section_id() == "monitoring") {
      EXPECT_EQ(s.percentage(), 100.0);
      EXPECT_EQ(s.skipped_count(), 1);
    }
    if (s.section_id() == "culture") {
      EXPECT_GE(s.percentage(), 75.0);  // green by percentage …
      EXPECT_EQ(s.need_for_action(), v1::NEED_FOR_ACTION_HIGH);  // … but red
      EXPECT_THAT(s.unmet_legal_duties(),
                  ElementsAre("culture.complaints_office"));
    }
  }
  EXPECT_EQ(checked, 2) << "sections \"monitoring\" and \"culture\" not found";
  EXPECT_EQ(scored->overall_need_for_action(), v1::NEED_FOR_ACTION_HIGH);
  ASSERT_GE(scored->recommendations_size(), 1);
  EXPECT_EQ(scored->recommendations(0).question_id(),
            "culture.complaints_office");
}

TEST(Scoring, IsDeterministic) {
  const v1::Questionnaire& q = German();
  Answers answers = AnswerAll(q, 1, true);
  auto a = ScoreAssessment(q, answers, nullptr);
  auto b = ScoreAssessment(q, answers, nullptr);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  // Two equal results only mean something if they are real ones: every
  // section and question scored, "started" everywhere is 25 of 100.
  int questions = 0;
  for (const auto& s : q.sections()) questions += s.questions_size();
  EXPECT_EQ(a->sections_size(), q.sections_size());
  EXPECT_EQ(a->questions_size(), questions);
  EXPECT_EQ(a->answers_size(), answers.size());
  EXPECT_EQ(a->overall_score(), 25);
  EXPECT_EQ(a->recommendations_size(), kTopRecommendations);
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
}

TEST(Scoring, ThresholdsOfTrafficLightAndMaturity) {
  EXPECT_EQ(NeedFor(75.0), v1::NEED_FOR_ACTION_LOW);
  EXPECT_EQ(NeedFor(74.9), v1::NEED_FOR_ACTION_MEDIUM);
  EXPECT_EQ(NeedFor(50.0), v1::NEED_FOR_ACTION_MEDIUM);
  EXPECT_EQ(NeedFor(49.9), v1::NEED_FOR_ACTION_HIGH);
  EXPECT_EQ(MaturityFor(0), v1::MATURITY_LEVEL_INITIAL);
  EXPECT_EQ(MaturityFor(19.9), v1::MATURITY_LEVEL_INITIAL);
  EXPECT_EQ(MaturityFor(20), v1::MATURITY_LEVEL_AWARE);
  EXPECT_EQ(MaturityFor(79.9), v1::MATURITY_LEVEL_ESTABLISHED);
  EXPECT_EQ(MaturityFor(80), v1::MATURITY_LEVEL_EMBEDDED);
  EXPECT_EQ(MaturityFor(100), v1::MATURITY_LEVEL_EMBEDDED);
}

TEST(Validation, ListsEveryProblem) {
  const v1::Questionnaire& q = German();
  Answers answers;
  auto add = [&](const std::string& question, const std::string& option) {
    v1::Answer* a = answers.Add();
    a->set_question_id(question);
    a->set_option_id(option);
  };
  add("strategy.commitment", "fully");
  add("no.such.question", "fully");
  add("strategy.goals", "maybe");
  add("strategy.commitment", "partly");
  std::vector<AnswerProblem> problems;
  auto scored = ScoreAssessment(q, answers, &problems);
  ASSERT_FALSE(scored.ok());
  EXPECT_EQ(scored.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_GE(problems.size(), 4u);
  EXPECT_EQ(problems[0].reason, "UNKNOWN_QUESTION");
  EXPECT_EQ(problems[0].field, "answers[1].question_id");
  EXPECT_THAT(problems[0].description, HasSubstr("no.such.question"));
  EXPECT_EQ(problems[1].reason, "UNKNOWN_OPTION");
  EXPECT_EQ(problems[1].field, "answers[2].option_id");
  EXPECT_THAT(problems[1].description, HasSubstr("\"maybe\""));
  EXPECT_EQ(problems[2].reason, "DUPLICATE_ANSWER");
  int required = 0, missing = 0;
  for (const auto& s : q.sections())
    for (const auto& question : s.questions()) required += question.required();
  for (const auto& p : problems)
    missing += p.reason == "MISSING_REQUIRED_ANSWER";
  // Two required questions were answered (strategy.commitment, strategy.goals).
  EXPECT_EQ(missing, required - 2);
}

TEST(Compare, ShowsWhatImprovedAndWhatDidNot) {
  const v1::Questionnaire& q = German();
  Answers before_answers = AnswerAll(q, 1, false);
  Answers after_answers = before_answers;
  for (auto& a : after_answers) {
    if (a.question_id().rfind("recruiting.", 0) == 0) a.set_option_id("fully");
    if (a.question_id() == "culture.harassment") a.set_option_id("not_yet");
  }
  auto before = ScoreAssessment(q, before_answers, nullptr);
  auto after = ScoreAssessment(q, after_answers, nullptr);
  ASSERT_TRUE(before.ok() && after.ok());
  v1::AssessmentComparison c = CompareAssessments(*before, *after, &q);
  EXPECT_GT(c.overall_delta(), 0);
  EXPECT_EQ(c.overall_trend(), v1::TREND_IMPROVED);
  EXPECT_EQ(c.improved_sections(), 1);
  EXPECT_EQ(c.worse_sections(), 1);
  EXPECT_EQ(c.unchanged_sections(), q.sections_size() - 2);
  int checked = 0;
  for (const auto& s : c.sections()) {
    checked += s.section_id() == "recruiting" || s.section_id() == "culture";
    if (s.section_id() == "recruiting") {
      EXPECT_EQ(s.trend(), v1::TREND_IMPROVED);
      EXPECT_DOUBLE_EQ(s.percentage_after(), 100.0);
      EXPECT_DOUBLE_EQ(s.delta(), 75.0);
    }
    if (s.section_id() == "culture") {
      EXPECT_EQ(s.trend(), v1::TREND_WORSE);
    }
  }
  EXPECT_EQ(checked, 2) << "sections \"recruiting\" and \"culture\" not found";
  int improved = 0, worse = 0;
  for (const auto& qc : c.changed_questions()) {
    EXPECT_FALSE(qc.question_text().empty());
    improved += qc.trend() == v1::TREND_IMPROVED;
    worse += qc.trend() == v1::TREND_WORSE;
  }
  EXPECT_EQ(worse, 1);
  EXPECT_EQ(improved, c.changed_questions_size() - 1);
}

v1::Assessment Stored(const std::string& id, const std::string& org,
                      int64_t seconds, int score) {
  v1::Assessment a;
  a.set_id(id);
  a.set_organization(org);
  a.set_questionnaire_id("diversity-check");
  a.set_questionnaire_version(1);
  a.mutable_create_time()->set_seconds(seconds);
  a.set_overall_score(score);
  return a;
}

// The mode bits of `path`; -1 when it does not exist.
int ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777)
                                        : -1;
}

// Issue 17, item 12: the database and its -wal and -shm files are readable
// by their owner only, whatever the umask; a file from before is narrowed.
TEST(SqliteRepository, FilesAreOwnerOnly) {
  const mode_t old_umask = ::umask(022);
  TempDir dir;
  const std::string path = dir.path() + "/a.db";
  {
    auto repo = OpenSqliteRepository(path);
    ASSERT_TRUE(repo.ok()) << repo.status();
    ASSERT_TRUE((*repo)->Insert(Stored("a1", "acme", 100, 40)).ok());
    EXPECT_EQ(ModeOf(path), 0600);
    EXPECT_EQ(ModeOf(path + "-wal"), 0600);  // WAL mode: both exist while open
    EXPECT_EQ(ModeOf(path + "-shm"), 0600);
  }
  const std::string old = dir.path() + "/old.db";
  std::ofstream(old).close();
  ASSERT_EQ(::chmod(old.c_str(), 0644), 0);
  {
    auto repo = OpenSqliteRepository(old);
    ASSERT_TRUE(repo.ok()) << repo.status();
    EXPECT_EQ(ModeOf(old), 0600);
  }
  ::umask(old_umask);
}

// CRUD, pagination and request records: repository_test.cc, for both
// backends.

int64_t QueryInt(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  int64_t v = -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

TEST(SqliteRepository, OpensInWalModeWithFullSync) {
  TempDir dir;
  const std::string path = dir.path() + "/a.db";
  auto repo = OpenSqliteRepository(path);
  ASSERT_TRUE(repo.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
               "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), SqliteSchemaVersion());
}

TEST(SqliteRepository, MigratesAVersionOneDatabase) {
  TempDir dir;
  const std::string path = dir.path() + "/old.db";
  // A database as schema version 1 left it, with one row.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string blob = Stored("old1", "acme", 50, 42).SerializeAsString();
    ASSERT_EQ(sqlite3_exec(
                  db,
                  "CREATE TABLE assessments (id TEXT PRIMARY KEY,"
                  " organization TEXT NOT NULL, questionnaire_id TEXT NOT NULL,"
                  " questionnaire_version INTEGER NOT NULL,"
                  " create_time_us INTEGER NOT NULL, assessment BLOB NOT NULL);"
                  "PRAGMA user_version = 1;",
                  nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO assessments VALUES ('old1', 'acme',"
                       " 'diversity-check', 1, 50000000, ?)",
                       -1, &st, nullptr);
    sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()),
                      SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  auto repo = OpenSqliteRepository(path);
  ASSERT_TRUE(repo.ok()) << repo.status();
  // Every migration ran: v2's column and index, v3's request ids.
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), SqliteSchemaVersion());
  EXPECT_EQ(SqliteSchemaVersion(), 3);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE name ="
                     " 'create_requests'"),
            1);
  // The new column was filled in from the stored blob.
  EXPECT_EQ(
      QueryInt(path, "SELECT overall_score FROM assessments WHERE id = 'old1'"),
      42);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_master WHERE name ="
                     " 'assessments_by_organization'"),
            1);
  auto got = (*repo)->Get("old1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->overall_score(), 42);
  ASSERT_TRUE((*repo)->Insert(Stored("new1", "acme", 60, 50)).ok());
  EXPECT_EQ((*repo)->List("acme", std::nullopt, 10)->size(), 2u);
}

TEST(SqliteRepository, RefusesANewerSchema) {
  TempDir dir;
  const std::string path = dir.path() + "/new.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto repo = OpenSqliteRepository(path);
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(repo.status().message()),
              HasSubstr("schema version 99"));
}

}  // namespace
}  // namespace divcheck::assessment
