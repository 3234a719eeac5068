// QuestionnaireSet: the self-assessment questionnaires, loaded from
// text-format files and validated.
//
//   std::vector<divcheck::assessment::DataProblem> problems;
//   auto set = QuestionnaireSet::Load("questionnaires", &problems);
//   if (!set.ok()) { for (auto& p : problems) std::cerr << p.ToString(); }
//   absl::StatusOr<const v1::Questionnaire*> q =
//       (*set)->Find("diversity-check", /*version=*/0, "de");
//
// Every *.textproto below the directory is a
// divcheck.config.v1.QuestionnaireFile (proto/divcheck/config/v1/
// questionnaire.proto). Loading reports every problem of every file, each
// with file:line:col where the text format gives one.
//
// A QuestionnaireSet is immutable once loaded and safe for concurrent use by
// multiple threads; share it as std::shared_ptr<const QuestionnaireSet>.
#ifndef DIVCHECK_ASSESSMENT_QUESTIONNAIRE_H_
#define DIVCHECK_ASSESSMENT_QUESTIONNAIRE_H_

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/data_problem.h"
#include "divcheck/config/v1/questionnaire.pb.h"
#include "divcheck/v1/assessment.pb.h"
#include "google/protobuf/text_format.h"

namespace divcheck::assessment {

// The questionnaire used when a request names none.
inline constexpr char kDefaultQuestionnaireId[] = "diversity-check";
// The language used when a request names none.
inline constexpr char kDefaultLanguage[] = "de";

// One problem in a questionnaire file (base/data_problem.h).
using ::divcheck::DataProblem;

class QuestionnaireSet {
 public:
  // Loads and validates every *.textproto below `dir` (sorted by path).
  // Errors: NOT_FOUND when `dir` is not a directory; INVALID_ARGUMENT when
  // any file has a problem (all are appended to *problems, which may be
  // null) or no questionnaire was found.
  static absl::StatusOr<std::shared_ptr<const QuestionnaireSet>> Load(
      const std::string& dir, std::vector<DataProblem>* problems);

  // Validates one parsed file on its own (ids, texts, scales, weights) and
  // resolves it into the wire form. `path` names the file in problems;
  // `tree` (may be null) gives line and column. Used by Load and by tests.
  static absl::StatusOr<v1::Questionnaire> Compile(
      const config::v1::QuestionnaireFile& file, const std::string& path,
      const google::protobuf::TextFormat::ParseInfoTree* tree,
      std::vector<DataProblem>* problems);

  // The questionnaire `id` (empty: kDefaultQuestionnaireId) in `version`
  // (0: the newest) and `language` (empty: kDefaultLanguage). Errors:
  // NOT_FOUND with message "unknown questionnaire …" or "… has no version
  // …"; INVALID_ARGUMENT "… is not available in language …". Use
  // FindError to tell them apart.
  enum class FindError { kNone, kUnknownId, kUnknownVersion, kUnknownLanguage };
  absl::StatusOr<const v1::Questionnaire*> Find(
      absl::string_view id, int version, absl::string_view language,
      FindError* error = nullptr) const;

  // Every loaded questionnaire, ordered by id, version, language.
  std::vector<const v1::Questionnaire*> All() const;

  // A hash of the loaded files' paths and contents (16 hex digits).
  const std::string& content_hash() const { return content_hash_; }

 private:
  QuestionnaireSet() = default;
  // (id, version, language) → questionnaire.
  std::map<std::tuple<std::string, int, std::string>, v1::Questionnaire>
      questionnaires_;
  std::string content_hash_;
};

}  // namespace divcheck::assessment

#endif  // DIVCHECK_ASSESSMENT_QUESTIONNAIRE_H_
