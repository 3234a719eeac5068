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

absl::StatusOr<v1::Questionnaire> QuestionnaireSet::Compile(
    const QuestionnaireFile& f, const std::string& path,
    const TextFormat::ParseInfoTree* tree, std::vector<DataProblem>* problems) {
  std::vector<DataProblem> local;
  std::vector<DataProblem>* out = problems != nullptr ? problems : &local;
  const size_t at_start = out->size();
  Reporter r(path, out);
  const Descriptor* fd = QuestionnaireFile::descriptor();
  const Descriptor* sd = config::v1::Section::descriptor();
  const Descriptor* qd = config::v1::Question::descriptor();
  const Descriptor* scd = config::v1::AnswerScale::descriptor();

  if (!IsValidId(f.id())) {
    r.At(tree, fd, "id", -1,
         absl::StrCat("invalid or missing questionnaire id \"", f.id(), "\""));
  }
  if (f.version() < 1) {
    r.At(tree, fd, "version", -1, "version must be 1 or more");
  }
  if (f.language() != "de" && f.language() != "en") {
    r.At(tree, fd, "language", -1,
         absl::StrCat("unsupported language \"", f.language(),
                      "\" (use \"de\" or \"en\")"));
  }
  if (absl::StripAsciiWhitespace(f.title()).empty()) {
    r.At(tree, fd, "title", -1, "questionnaire has no title");
  }

  absl::flat_hash_map<std::string, int> scales;
  for (int i = 0; i < f.scales_size(); ++i) {
    const config::v1::AnswerScale& scale = f.scales(i);
    const TextFormat::ParseInfoTree* t =
        Reporter::Nested(tree, fd, "scales", i);
    if (!IsValidId(scale.id())) {
      r.At(t, scd, "id", -1,
           absl::StrCat("scale ", i + 1, " has an invalid id \"", scale.id(),
                        "\""));
    } else if (!scales.emplace(scale.id(), i).second) {
      r.At(t, scd, "id", -1,
           absl::StrCat("duplicate scale id \"", scale.id(), "\""));
    }
    CheckOptions(scale.options(), absl::StrCat("scale \"", scale.id(), "\""), t,
                 scd, r);
  }

  v1::Questionnaire q;
  q.set_id(f.id());
  q.set_version(f.version());
  q.set_language(f.language());
  q.set_title(f.title());
  q.set_description(f.description());
  *q.mutable_sources() = f.sources();
  if (f.sections_size() == 0) r.At(tree, fd, "id", -1, "no sections");
  absl::flat_hash_set<std::string> section_ids, question_ids;
  for (int s = 0; s < f.sections_size(); ++s) {
    const config::v1::Section& section = f.sections(s);
    const TextFormat::ParseInfoTree* st =
        Reporter::Nested(tree, fd, "sections", s);
    if (!IsValidId(section.id())) {
      r.At(st, sd, "id", -1,
           absl::StrCat("section ", s + 1, " has an invalid id \"",
                        section.id(), "\""));
    } else if (!section_ids.insert(section.id()).second) {
      r.At(st, sd, "id", -1,
           absl::StrCat("duplicate section id \"", section.id(), "\""));
    }
    if (absl::StripAsciiWhitespace(section.title()).empty()) {
      r.At(st, sd, "id", -1,
           absl::StrCat("section \"", section.id(), "\" has no title"));
    }
    if (section.questions_size() == 0) {
      r.At(st, sd, "id", -1,
           absl::StrCat("section \"", section.id(), "\" has no questions"));
    }
    v1::QuestionnaireSection* out_section = q.add_sections();
    out_section->set_id(section.id());
    out_section->set_title(section.title());
    out_section->set_description(section.description());
    for (int k = 0; k < section.questions_size(); ++k) {
      const config::v1::Question& question = section.questions(k);
      const TextFormat::ParseInfoTree* qt =
          Reporter::Nested(st, sd, "questions", k);
      const std::string where =
          absl::StrCat("question \"", question.id(), "\"");
      if (!IsValidId(question.id())) {
        r.At(qt, qd, "id", -1,
             absl::StrCat("question ", k + 1, " of section \"", section.id(),
                          "\" has an invalid id \"", question.id(), "\""));
      } else if (!question_ids.insert(question.id()).second) {
        r.At(qt, qd, "id", -1,
             absl::StrCat("duplicate question id \"", question.id(), "\""));
      }
      if (absl::StripAsciiWhitespace(question.text()).empty()) {
        r.At(qt, qd, "id", -1, absl::StrCat(where, " has no text"));
      }
      if (absl::StripAsciiWhitespace(question.help()).empty()) {
        r.At(qt, qd, "id", -1, absl::StrCat(where, " has no help text"));
      }
      if (question.dimensions_size() == 0) {
        r.At(qt, qd, "id", -1,
             absl::StrCat(where, " touches no dimension (list at least one)"));
      }
      std::set<int> dims;
      for (int d = 0; d < question.dimensions_size(); ++d) {
        const int dim = question.dimensions(d);
        if (dim == v1::DIMENSION_UNSPECIFIED || !v1::Dimension_IsValid(dim)) {
          r.At(qt, qd, "dimensions", d,
               absl::StrCat(where, ": invalid dimension ", dim));
        } else if (!dims.insert(dim).second) {
          r.At(qt, qd, "dimensions", d,
               absl::StrCat(where, ": dimension listed twice"));
        }
      }
      if (question.weight() < kMinWeight || question.weight() > kMaxWeight) {
        // An unset weight has no location of its own: point at the id.
        r.At(qt, qd, question.weight() == 0 ? "id" : "weight", -1,
             absl::StrCat(where, ": weight must be ", kMinWeight, " to ",
                          kMaxWeight, " (is ", question.weight(), ")"));
      }
      if (question.recommendations_size() == 0) {
        r.At(qt, qd, "id", -1, absl::StrCat(where, " has no recommendations"));
      }
      for (int i = 0; i < question.recommendations_size(); ++i) {
        if (absl::StripAsciiWhitespace(question.recommendations(i)).empty()) {
          r.At(qt, qd, "recommendations", i,
               absl::StrCat(where, ": empty recommendation"));
        }
      }
      v1::Question* out_question = out_section->add_questions();
      out_question->set_id(question.id());
      out_question->set_text(question.text());
      out_question->set_help(question.help());
      for (int dim : question.dimensions()) {
        out_question->add_dimensions(static_cast<v1::Dimension>(dim));
      }
      out_question->set_weight(question.weight());
      out_question->set_required(question.required());
      out_question->set_legal_duty(question.legal_duty());
      *out_question->mutable_recommendations() = question.recommendations();
      *out_question->mutable_sources() = question.sources();
      const bool has_scale = !question.scale().empty();
      const bool has_options = question.options_size() > 0;
      const google::protobuf::RepeatedPtrField<config::v1::AnswerOption>*
          options = nullptr;
      if (has_scale == has_options) {
        r.At(
            qt, qd, has_scale ? "scale" : "id", -1,
            absl::StrCat(where, ": give exactly one of `scale` and `options`"));
      } else if (has_scale) {
        auto it = scales.find(question.scale());
        if (it == scales.end()) {
          r.At(qt, qd, "scale", -1,
               absl::StrCat(where, ": unknown scale \"", question.scale(),
                            "\""));
        } else {
          options = &f.scales(it->second).options();
        }
      } else {
        CheckOptions(question.options(), where, qt, qd, r);
        options = &question.options();
      }
      if (options != nullptr) {
        for (const config::v1::AnswerOption& o : *options) {
          v1::AnswerOption* out_option = out_question->add_options();
          out_option->set_id(o.id());
          out_option->set_label(o.label());
          out_option->set_value(o.value());
          out_option->set_not_applicable(o.not_applicable());
        }
      }
    }
  }
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
