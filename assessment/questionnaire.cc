#include "assessment/questionnaire.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/textproto_dir.h"
#include "base/textproto_errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/util/message_differencer.h"

namespace divcheck::assessment {
namespace {

namespace fs = std::filesystem;
using config::v1::QuestionnaireFile;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

constexpr int kMinWeight = 1;
constexpr int kMaxWeight = 3;

// Ids are what answers and URLs carry: keep them to a safe alphabet.
bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' &&
        c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// Reports problems at the location of a field inside one message of the
// parsed file.
class Reporter {
 public:
  Reporter(std::string path, std::vector<DataProblem>* problems)
      : path_(std::move(path)), problems_(problems) {}

  void At(const TextFormat::ParseInfoTree* tree, const Descriptor* type,
          const char* field, int index, std::string message) {
    int line = 0, column = 0;
    if (tree != nullptr) {
      if (const FieldDescriptor* fd = type->FindFieldByName(field)) {
        TextFormat::ParseLocation loc =
            tree->GetLocation(fd, fd->is_repeated() ? std::max(index, 0) : -1);
        if (loc.line >= 0) {
          line = loc.line + 1;
          column = loc.column + 1;
        }
      }
    }
    problems_->push_back({path_, line, column, std::move(message)});
  }

  static const TextFormat::ParseInfoTree* Nested(
      const TextFormat::ParseInfoTree* tree, const Descriptor* type,
      const char* field, int index) {
    if (tree == nullptr) return nullptr;
    const FieldDescriptor* fd = type->FindFieldByName(field);
    return fd == nullptr ? nullptr : tree->GetTreeForNested(fd, index);
  }

 private:
  std::string path_;
  std::vector<DataProblem>* problems_;
};

// Checks a list of options; `where` names the owner in messages.
void CheckOptions(
    const google::protobuf::RepeatedPtrField<config::v1::AnswerOption>& options,
    const std::string& where, const TextFormat::ParseInfoTree* owner_tree,
    const Descriptor* owner_type, Reporter& r) {
  absl::flat_hash_set<std::string> ids;
  int scoring = 0;
  int max_value = 0;
  for (int i = 0; i < options.size(); ++i) {
    const config::v1::AnswerOption& o = options[i];
    const TextFormat::ParseInfoTree* t =
        Reporter::Nested(owner_tree, owner_type, "options", i);
    const Descriptor* od = config::v1::AnswerOption::descriptor();
    if (!IsValidId(o.id())) {
      r.At(t, od, "id", -1,
           absl::StrCat(where, ": option ", i + 1, " has an invalid id \"",
                        o.id(), "\" (use a-z, 0-9, '_', '-', '.')"));
    } else if (!ids.insert(o.id()).second) {
      r.At(t, od, "id", -1,
           absl::StrCat(where, ": duplicate option id \"", o.id(), "\""));
    }
    if (absl::StripAsciiWhitespace(o.label()).empty()) {
      r.At(t, od, "id", -1,
           absl::StrCat(where, ": option \"", o.id(), "\" has no label"));
    }
    if (o.value() < 0) {
      r.At(t, od, "value", -1,
           absl::StrCat(where, ": option \"", o.id(),
                        "\" has a negative value"));
    }
    if (!o.not_applicable()) {
      ++scoring;
      max_value = std::max(max_value, o.value());
    }
  }
  if (scoring < 2) {
    r.At(owner_tree, owner_type, "id", -1,
         absl::StrCat(where,
                      ": needs at least two options that are not "
                      "not_applicable"));
  } else if (max_value <= 0) {
    r.At(owner_tree, owner_type, "id", -1,
         absl::StrCat(where, ": the highest option value must be above 0"));
  }
}

std::string FileId(const v1::Questionnaire& q) {
  return absl::StrCat(q.id(), " v", q.version());
}

// Everything of `q` that must be equal across translations: ids, order,
// numbers, flags. Texts are cleared.
v1::Questionnaire Structure(const v1::Questionnaire& q) {
  v1::Questionnaire s = q;
  s.clear_language();
  s.clear_title();
  s.clear_description();
  s.clear_sources();
  for (v1::QuestionnaireSection& section : *s.mutable_sections()) {
    section.clear_title();
    section.clear_description();
    for (v1::Question& question : *section.mutable_questions()) {
      question.clear_text();
      question.clear_help();
      question.clear_recommendations();
      question.clear_sources();
      for (v1::AnswerOption& o : *question.mutable_options()) o.clear_label();
    }
  }
  return s;
}

}  // namespace

namespace {

// Checks one questionnaire file and builds its wire form, one named step per
// part of the file; every problem goes to the Reporter.
class QuestionnaireCompiler {
 public:
  QuestionnaireCompiler(const QuestionnaireFile& f,
                        const TextFormat::ParseInfoTree* tree, Reporter& r)
      : f_(f), tree_(tree), r_(r) {}

  v1::Questionnaire Compile() {
    CheckHeader();
    CollectScales();
    v1::Questionnaire q;
    q.set_id(f_.id());
    q.set_version(f_.version());
    q.set_language(f_.language());
    q.set_title(f_.title());
    q.set_description(f_.description());
    *q.mutable_sources() = f_.sources();
    if (f_.sections_size() == 0) r_.At(tree_, kFile, "id", -1, "no sections");
    for (int s = 0; s < f_.sections_size(); ++s) {
      CompileSection(s, q.add_sections());
    }
    return q;
  }

 private:
  const Descriptor* const kFile = QuestionnaireFile::descriptor();
  const Descriptor* const kSection = config::v1::Section::descriptor();
  const Descriptor* const kQuestion = config::v1::Question::descriptor();
  const Descriptor* const kScale = config::v1::AnswerScale::descriptor();

  void CheckHeader() {
    if (!IsValidId(f_.id())) {
      r_.At(tree_, kFile, "id", -1,
            absl::StrCat("invalid or missing questionnaire id \"", f_.id(),
                         "\""));
    }
    if (f_.version() < 1) {
      r_.At(tree_, kFile, "version", -1, "version must be 1 or more");
    }
    if (f_.language() != "de" && f_.language() != "en") {
      r_.At(tree_, kFile, "language", -1,
            absl::StrCat("unsupported language \"", f_.language(),
                         "\" (use \"de\" or \"en\")"));
    }
    if (absl::StripAsciiWhitespace(f_.title()).empty()) {
      r_.At(tree_, kFile, "title", -1, "questionnaire has no title");
    }
  }

  void CollectScales() {
    for (int i = 0; i < f_.scales_size(); ++i) {
      const config::v1::AnswerScale& scale = f_.scales(i);
      const TextFormat::ParseInfoTree* t =
          Reporter::Nested(tree_, kFile, "scales", i);
      if (!IsValidId(scale.id())) {
        r_.At(t, kScale, "id", -1,
              absl::StrCat("scale ", i + 1, " has an invalid id \"", scale.id(),
                           "\""));
      } else if (!scales_.emplace(scale.id(), i).second) {
        r_.At(t, kScale, "id", -1,
              absl::StrCat("duplicate scale id \"", scale.id(), "\""));
      }
      CheckOptions(scale.options(), absl::StrCat("scale \"", scale.id(), "\""),
                   t, kScale, r_);
    }
  }

  void CompileSection(int s, v1::QuestionnaireSection* out) {
    const config::v1::Section& section = f_.sections(s);
    const TextFormat::ParseInfoTree* st =
        Reporter::Nested(tree_, kFile, "sections", s);
    if (!IsValidId(section.id())) {
      r_.At(st, kSection, "id", -1,
            absl::StrCat("section ", s + 1, " has an invalid id \"",
                         section.id(), "\""));
    } else if (!section_ids_.insert(section.id()).second) {
      r_.At(st, kSection, "id", -1,
            absl::StrCat("duplicate section id \"", section.id(), "\""));
    }
    if (absl::StripAsciiWhitespace(section.title()).empty()) {
      r_.At(st, kSection, "id", -1,
            absl::StrCat("section \"", section.id(), "\" has no title"));
    }
    if (section.questions_size() == 0) {
      r_.At(st, kSection, "id", -1,
            absl::StrCat("section \"", section.id(), "\" has no questions"));
    }
    out->set_id(section.id());
    out->set_title(section.title());
    out->set_description(section.description());
    for (int k = 0; k < section.questions_size(); ++k) {
      CompileQuestion(section, k,
                      Reporter::Nested(st, kSection, "questions", k),
                      out->add_questions());
    }
  }

  void CheckQuestionTexts(const config::v1::Question& question,
                          const config::v1::Section& section, int k,
                          const TextFormat::ParseInfoTree* qt,
                          const std::string& where) {
    if (!IsValidId(question.id())) {
      r_.At(qt, kQuestion, "id", -1,
            absl::StrCat("question ", k + 1, " of section \"", section.id(),
                         "\" has an invalid id \"", question.id(), "\""));
    } else if (!question_ids_.insert(question.id()).second) {
      r_.At(qt, kQuestion, "id", -1,
            absl::StrCat("duplicate question id \"", question.id(), "\""));
    }
    if (absl::StripAsciiWhitespace(question.text()).empty()) {
      r_.At(qt, kQuestion, "id", -1, absl::StrCat(where, " has no text"));
    }
    if (absl::StripAsciiWhitespace(question.help()).empty()) {
      r_.At(qt, kQuestion, "id", -1, absl::StrCat(where, " has no help text"));
    }
  }

  void CheckScoringAndAdvice(const config::v1::Question& question,
                             const TextFormat::ParseInfoTree* qt,
                             const std::string& where) {
    if (question.dimensions_size() == 0) {
      r_.At(qt, kQuestion, "id", -1,
            absl::StrCat(where, " touches no dimension (list at least one)"));
    }
    std::set<int> dims;
    for (int d = 0; d < question.dimensions_size(); ++d) {
      const int dim = question.dimensions(d);
      if (dim == v1::DIMENSION_UNSPECIFIED || !v1::Dimension_IsValid(dim)) {
        r_.At(qt, kQuestion, "dimensions", d,
              absl::StrCat(where, ": invalid dimension ", dim));
      } else if (!dims.insert(dim).second) {
        r_.At(qt, kQuestion, "dimensions", d,
              absl::StrCat(where, ": dimension listed twice"));
      }
    }
    if (question.weight() < kMinWeight || question.weight() > kMaxWeight) {
      // An unset weight has no location of its own: point at the id.
      r_.At(qt, kQuestion, question.weight() == 0 ? "id" : "weight", -1,
            absl::StrCat(where, ": weight must be ", kMinWeight, " to ",
                         kMaxWeight, " (is ", question.weight(), ")"));
    }
    if (question.recommendations_size() == 0) {
      r_.At(qt, kQuestion, "id", -1,
            absl::StrCat(where, " has no recommendations"));
    }
    for (int i = 0; i < question.recommendations_size(); ++i) {
      if (absl::StripAsciiWhitespace(question.recommendations(i)).empty()) {
        r_.At(qt, kQuestion, "recommendations", i,
              absl::StrCat(where, ": empty recommendation"));
      }
    }
  }

  // The answer options of `question`: its scale's or its own; null (after
  // reporting why) when neither or both are given or the scale is unknown.
  const google::protobuf::RepeatedPtrField<config::v1::AnswerOption>*
  AnswerOptions(const config::v1::Question& question,
                const TextFormat::ParseInfoTree* qt, const std::string& where) {
    const bool has_scale = !question.scale().empty();
    const bool has_options = question.options_size() > 0;
    if (has_scale == has_options) {
      r_.At(qt, kQuestion, has_scale ? "scale" : "id", -1,
            absl::StrCat(where, ": give exactly one of `scale` and `options`"));
      return nullptr;
    }
    if (has_options) {
      CheckOptions(question.options(), where, qt, kQuestion, r_);
      return &question.options();
    }
    auto it = scales_.find(question.scale());
    if (it == scales_.end()) {
      r_.At(qt, kQuestion, "scale", -1,
            absl::StrCat(where, ": unknown scale \"", question.scale(), "\""));
      return nullptr;
    }
    return &f_.scales(it->second).options();
  }

  void CompileQuestion(const config::v1::Section& section, int k,
                       const TextFormat::ParseInfoTree* qt, v1::Question* out) {
    const config::v1::Question& question = section.questions(k);
    const std::string where = absl::StrCat("question \"", question.id(), "\"");
    CheckQuestionTexts(question, section, k, qt, where);
    CheckScoringAndAdvice(question, qt, where);
    out->set_id(question.id());
    out->set_text(question.text());
    out->set_help(question.help());
    for (int dim : question.dimensions()) {
      out->add_dimensions(static_cast<v1::Dimension>(dim));
    }
    out->set_weight(question.weight());
    out->set_required(question.required());
    out->set_legal_duty(question.legal_duty());
    *out->mutable_recommendations() = question.recommendations();
    *out->mutable_sources() = question.sources();
    if (const auto* options = AnswerOptions(question, qt, where)) {
      for (const config::v1::AnswerOption& o : *options) {
        v1::AnswerOption* out_option = out->add_options();
        out_option->set_id(o.id());
        out_option->set_label(o.label());
        out_option->set_value(o.value());
        out_option->set_not_applicable(o.not_applicable());
      }
    }
  }

  const QuestionnaireFile& f_;
  const TextFormat::ParseInfoTree* tree_;
  Reporter& r_;
  absl::flat_hash_map<std::string, int> scales_;
  absl::flat_hash_set<std::string> section_ids_, question_ids_;
};

}  // namespace

absl::StatusOr<v1::Questionnaire> QuestionnaireSet::Compile(
    const QuestionnaireFile& f, const std::string& path,
    const TextFormat::ParseInfoTree* tree, std::vector<DataProblem>* problems) {
  std::vector<DataProblem> local;
  std::vector<DataProblem>* out = problems != nullptr ? problems : &local;
  const size_t at_start = out->size();
  Reporter r(path, out);
  v1::Questionnaire q = QuestionnaireCompiler(f, tree, r).Compile();
  if (out->size() != at_start) {
    return absl::InvalidArgumentError(absl::StrCat(
        out->size() - at_start, " problem(s) in questionnaire ", path));
  }
  return q;
}

absl::StatusOr<std::shared_ptr<const QuestionnaireSet>> QuestionnaireSet::Load(
    const std::string& dir, std::vector<DataProblem>* problems) {
  std::vector<DataProblem> local;
  std::vector<DataProblem>* out = problems != nullptr ? problems : &local;
  const size_t at_start = out->size();
  ASSIGN_OR_RETURN(std::vector<DataFile> files,
                   ReadTextprotoDir(dir, "questionnaire", out));
  auto set = std::shared_ptr<QuestionnaireSet>(new QuestionnaireSet());
  std::map<std::tuple<std::string, int, std::string>, std::string> origin;
  for (const DataFile& data : files) {
    const std::string& rel = data.path;
    const std::string& content = data.content;
    QuestionnaireFile file;
    TextFormat::ParseInfoTree tree;
    CollectingErrors errors(rel, out);
    TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&tree);
    if (!parser.ParseFromString(content, &file)) continue;
    absl::StatusOr<v1::Questionnaire> q = Compile(file, rel, &tree, out);
    if (!q.ok()) continue;
    auto key = std::make_tuple(q->id(), q->version(), q->language());
    auto [it, inserted] = origin.emplace(key, rel);
    if (!inserted) {
      out->push_back(
          {rel, 1, 1,
           absl::StrCat("questionnaire ", FileId(*q), " (", q->language(),
                        ") is also defined in ", it->second)});
      continue;
    }
    set->questionnaires_.emplace(std::move(key), *std::move(q));
  }
  // Translations must agree on structure, so scores compare across
  // languages.
  const v1::Questionnaire* reference = nullptr;
  std::string reference_path;
  for (const auto& [key, q] : set->questionnaires_) {
    if (reference == nullptr || reference->id() != q.id() ||
        reference->version() != q.version()) {
      reference = &q;
      reference_path = origin[key];
      continue;
    }
    google::protobuf::util::MessageDifferencer differ;
    std::string diff;
    differ.ReportDifferencesToString(&diff);
    if (!differ.Compare(Structure(*reference), Structure(q))) {
      if (diff.size() > 600) diff = diff.substr(0, 600) + "…";
      out->push_back({origin[key], 0, 0,
                      absl::StrCat("the ", q.language(), " translation of ",
                                   FileId(q), " differs in structure from ",
                                   reference_path, ": ", diff)});
    }
  }
  if (out->size() == at_start && set->questionnaires_.empty()) {
    out->push_back({dir, 0, 0, "no questionnaire (*.textproto) found"});
  }
  if (out->size() != at_start) {
    return absl::InvalidArgumentError(absl::StrCat(
        out->size() - at_start, " problem(s) in questionnaires under ", dir));
  }
  set->content_hash_ = HashHex(ContentHash(files));
  return std::shared_ptr<const QuestionnaireSet>(std::move(set));
}

absl::StatusOr<const v1::Questionnaire*> QuestionnaireSet::Find(
    absl::string_view id, int version, absl::string_view language,
    FindError* error) const {
  FindError ignored;
  FindError& e = error != nullptr ? *error : ignored;
  e = FindError::kNone;
  const std::string want_id(id.empty() ? kDefaultQuestionnaireId : id);
  const std::string want_lang(language.empty() ? kDefaultLanguage : language);
  bool id_seen = false, version_seen = false;
  int newest = 0;
  for (const auto& [key, q] : questionnaires_) {
    if (std::get<0>(key) != want_id) continue;
    id_seen = true;
    newest = std::max(newest, std::get<1>(key));
  }
  if (!id_seen) {
    e = FindError::kUnknownId;
    return absl::NotFoundError(
        absl::StrCat("unknown questionnaire \"", want_id, "\""));
  }
  const int want_version = version == 0 ? newest : version;
  for (const auto& [key, q] : questionnaires_) {
    if (std::get<0>(key) == want_id && std::get<1>(key) == want_version) {
      version_seen = true;
      if (std::get<2>(key) == want_lang) return &q;
    }
  }
  if (!version_seen) {
    e = FindError::kUnknownVersion;
    return absl::NotFoundError(absl::StrCat("questionnaire \"", want_id,
                                            "\" has no version ", version,
                                            " (newest: ", newest, ")"));
  }
  e = FindError::kUnknownLanguage;
  return absl::InvalidArgumentError(
      absl::StrCat("questionnaire \"", want_id, "\" version ", want_version,
                   " is not available in language \"", want_lang, "\""));
}

std::vector<const v1::Questionnaire*> QuestionnaireSet::All() const {
  std::vector<const v1::Questionnaire*> all;
  for (const auto& [key, q] : questionnaires_) all.push_back(&q);
  return all;
}

}  // namespace divcheck::assessment
