// Engine::ScanForm: the application-form audit. Every field is matched
// against the form-field rules of every loaded language on its name and id
// (names are often English in German forms and the other way round) and
// against the rules of the report's language on its label, placeholder,
// help text, section and options. The finding's texts come from the rule of
// the report's language with the same topic.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "analyzers/form_fields.h"
#include "analyzers/internal/form_match.h"
#include "analyzers/language.h"
#include "analyzers/scoring.h"
#include "base/status_macros.h"

namespace divcheck {
namespace {

std::string Trimmed(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  while (!s.empty() && (s.back() == '*' || s.back() == ':' ||
                        absl::ascii_isspace(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// What the finding calls the field.
std::string DisplayName(const v1::FormField& f) {
  for (const std::string* s :
       {&f.label(), &f.placeholder(), &f.name(), &f.field_id()}) {
    std::string t = Trimmed(*s);
    if (!t.empty()) return t;
  }
  return f.field_id();
}

bool LabelMarksRequired(absl::string_view label) {
  absl::string_view s = absl::StripAsciiWhitespace(label);
  while (!s.empty() && (s.back() == ':' || absl::ascii_isspace(s.back())))
    s.remove_suffix(1);
  return !s.empty() && s.back() == '*';
}

// True when a readiness_satisfied_by term of rule `rule` of `book` is in
// `toks`.
bool Satisfies(const FormRuleBook& book, uint32_t rule,
               const std::vector<FieldToken>& toks) {
  bool found = false;
  book.terms.ForEachMatch(toks, [&](uint32_t payload, uint32_t, uint32_t) {
    if (payload == rule * FormRuleBook::kListCount + FormRuleBook::kSatisfied)
      found = true;
  });
  return found;
}

uint32_t RuleIndex(const FormRuleBook& book, const CompiledFormRule* rule) {
  return static_cast<uint32_t>(rule - book.rules.data());
}

struct PendingChange {
  const CompiledFormRule* rule = nullptr;
  std::vector<std::string> field_ids;
};

// The engine's own bounds on a form (ScanApi validates the request fully
// before, api/form_validation.h): at most kMaxFormFields fields, at most
// kMaxFieldOptions options per field and `max_bytes` of text in all.
absl::Status CheckFormBounds(const v1::ScanFormRequest& request,
                             size_t max_bytes) {
  const size_t n = static_cast<size_t>(request.fields_size());
  if (n > kMaxFormFields) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the form has ", n, " fields; the limit is ", kMaxFormFields));
  }
  size_t bytes = request.instructions().size();
  for (const v1::FormField& f : request.fields()) {
    if (static_cast<size_t>(f.options_size()) > kMaxFieldOptions) {
      return absl::InvalidArgumentError(
          absl::StrCat("a field has ", f.options_size(),
                       " options; the limit is ", kMaxFieldOptions));
    }
    bytes += f.field_id().size() + f.name().size() + f.label().size() +
             f.help_text().size() + f.placeholder().size() + f.section().size();
    for (const v1::FieldOption& o : f.options())
      bytes += o.value().size() + o.label().size();
  }
  if (bytes > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the form has ", bytes, " bytes of text; the limit is ",
                     max_bytes, " bytes"));
  }
  return absl::OkStatus();
}

// The language of the labels, help texts, sections and instructions.
absl::StatusOr<std::string> DetectFormLanguage(
    const v1::ScanFormRequest& request) {
  std::string all = request.instructions();
  for (const v1::FormField& f : request.fields()) {
    absl::StrAppend(&all, "\n", f.label(), "\n", f.help_text(), "\n",
                    f.section());
  }
  absl::StatusOr<Document> doc = Document::Create(all);
  if (!doc.ok()) return doc.status();
  return DetectLanguage(*doc);
}

// The rules whose readiness_satisfied_by terms the instructions contain,
// per book; found with one pass over the instructions, on first need.
class InstructionTerms {
 public:
  explicit InstructionTerms(const std::string& instructions)
      : instructions_(instructions) {}

  bool Satisfy(const FormRuleBook& book, uint32_t rule) {
    // No structured binding: clang 14 does not let a lambda capture one.
    const auto emplaced = satisfied_.try_emplace(&book);
    absl::flat_hash_set<uint32_t>& rules = emplaced.first->second;
    if (emplaced.second) {
      if (!tokens_) tokens_ = NormaliseFieldText(instructions_);
      book.terms.ForEachMatch(*tokens_, [&](uint32_t payload, uint32_t,
                                            uint32_t) {
        if (payload % FormRuleBook::kListCount == FormRuleBook::kSatisfied) {
          rules.insert(payload / FormRuleBook::kListCount);
        }
      });
    }
    return rules.contains(rule);
  }

 private:
  const std::string& instructions_;
  std::optional<std::vector<FieldToken>> tokens_;
  absl::flat_hash_map<const FormRuleBook*, absl::flat_hash_set<uint32_t>>
      satisfied_;
};

// True when an option of the field is one of a book's neutral options.
bool OffersNeutralOption(const FieldTexts& t, const FormBooks& books) {
  bool neutral = false;
  for (const FormRuleBook* book : books.all) {
    for (const auto& o : t.options)
      neutral = neutral || book->neutral_options.AnyMatch(o);
  }
  return neutral;
}

// Whether the field is required (flag, "*" or a marker word of the own
// book, unless an "optional" marker says otherwise) and the employer.
FieldFacts FactsOf(const v1::FormField& field, const FieldTexts& t,
                   const FormRuleBook* own, v1::EmployerType employer) {
  bool marker_required = LabelMarksRequired(field.label()),
       marker_optional = false;
  if (own != nullptr) {
    for (const auto* toks : {&t.label, &t.help}) {
      marker_required =
          marker_required || own->required_markers.AnyMatch(*toks);
      marker_optional =
          marker_optional || own->optional_markers.AnyMatch(*toks);
    }
  }
  FieldFacts facts;
  facts.required = field.required() || (marker_required && !marker_optional);
  facts.employer = employer;
  return facts;
}

// The rule whose texts a finding on `topic` uses — the own book's rule for
// the topic, else the matched rule — and, in *book, the book it is in.
const CompiledFormRule* RuleFor(const std::string& topic, const TopicHit& hit,
                                const FormBooks& books,
                                const FormRuleBook** book) {
  *book = books.own;
  const CompiledFormRule* rule =
      books.own != nullptr ? books.own->ForTopic(topic) : nullptr;
  if (rule != nullptr) return rule;
  for (const FormRuleBook* b : books.all) {
    if (hit.matched >= b->rules.data() &&
        hit.matched < b->rules.data() + b->rules.size()) {
      *book = b;
    }
  }
  return hit.matched;
}

v1::Finding MakeFieldFinding(const config::v1::FormFieldRule& def,
                             const FormRuleBook& book, const TopicHit& hit,
                             const v1::FormField& field, v1::Severity severity,
                             const SeverityReasons& why) {
  v1::Finding finding;
  finding.set_rule_id(def.id());
  for (int d : def.dimensions())
    finding.add_dimensions(static_cast<v1::Dimension>(d));
  finding.set_severity(severity);
  finding.set_matched_text(hit.matched_text);
  finding.set_message(absl::StrReplaceAll(def.explanation(),
                                          {{"{field}", DisplayName(field)}}));
  *finding.mutable_replacements() = def.suggestions();
  *finding.mutable_advice() = def.advice();
  // The deprecated `suggestions`: both lists, as before they were split.
  *finding.mutable_suggestions() = def.suggestions();
  finding.mutable_suggestions()->MergeFrom(def.advice());
  finding.set_legal_basis(def.legal_basis());
  *finding.mutable_sources() = def.sources();
  finding.set_field_id(field.field_id());
  std::vector<std::string> notes;
  if (why.optional && !book.optional_note.empty()) {
    notes.push_back(book.optional_note);
  }
  if (why.neutral && !book.neutral_option_note.empty()) {
    notes.push_back(book.neutral_option_note);
  }
  if (why.justified) notes.push_back(def.justification_note());
  finding.set_context_note(absl::StrJoin(notes, " "));
  if (hit.source == FieldSource::kLabel) {
    std::vector<v1::Span> spans;
    MakeSpans(field.label(), {{hit.begin, hit.end}}, &spans);
    *finding.mutable_span() = spans[0];
  }
  return finding;
}

// What the audit collects over the fields of one form.
struct FormAudit {
  const FormBooks& books;
  v1::EmployerType employer;
  InstructionTerms* instructions;
  std::map<std::string, PendingChange> changes;  // by rule id
  std::vector<v1::Finding> findings;
};

// The findings of one field (sorted by rule id) and the readiness changes
// it needs.
void AuditField(const v1::FormField& field, const FieldTexts& t,
                FormAudit* audit) {
  const FormBooks& books = audit->books;
  const bool neutral = OffersNeutralOption(t, books);
  const FieldFacts facts = FactsOf(field, t, books.own, audit->employer);
  std::vector<v1::Finding> here;
  for (auto& [topic, hit] : FindTopics(field, t, books)) {
    const FormRuleBook* rule_book = nullptr;
    const CompiledFormRule* rule = RuleFor(topic, hit, books, &rule_book);
    const config::v1::FormFieldRule& def = *rule->def;
    FieldFacts f = facts;
    f.neutral_option = neutral || (field.options_size() == 0 &&
                                   def.no_options_counts_as_neutral());
    SeverityReasons why;
    const v1::Severity severity = DecideFieldSeverity(def, f, &why);
    if (severity != v1::SEVERITY_UNSPECIFIED) {
      here.push_back(
          MakeFieldFinding(def, *rule_book, hit, field, severity, why));
    }
    if (def.readiness_points() > 0) {
      const uint32_t ri = RuleIndex(*rule_book, rule);
      if (!Satisfies(*rule_book, ri, t.label) &&
          !Satisfies(*rule_book, ri, t.help) &&
          !audit->instructions->Satisfy(*rule_book, ri)) {
        PendingChange& c = audit->changes[def.id()];
        c.rule = rule;
        c.field_ids.push_back(field.field_id());
      }
    }
  }
  std::sort(here.begin(), here.end(),
            [](const v1::Finding& a, const v1::Finding& b) {
              return a.rule_id() < b.rule_id();
            });
  for (v1::Finding& f : here) audit->findings.push_back(std::move(f));
}

// The changes, most points first, and the score left after them.
void FillReadiness(const std::map<std::string, PendingChange>& changes,
                   v1::AnonymisationReadiness* readiness) {
  std::vector<const PendingChange*> ordered;
  for (const auto& [id, c] : changes) ordered.push_back(&c);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const PendingChange* a, const PendingChange* b) {
                     return a->rule->def->readiness_points() >
                            b->rule->def->readiness_points();
                   });
  int score = 100;
  for (const PendingChange* c : ordered) {
    v1::ReadinessChange* out = readiness->add_changes();
    out->set_rule_id(c->rule->def->id());
    for (const std::string& id : c->field_ids) out->add_field_ids(id);
    out->set_change(c->rule->def->readiness_change());
    out->set_points(c->rule->def->readiness_points());
    score -= static_cast<int>(c->rule->def->readiness_points());
  }
  readiness->set_score(static_cast<uint32_t>(std::max(0, score)));
}

}  // namespace

absl::StatusOr<v1::ScanFormResponse> Engine::ScanForm(
    const v1::ScanFormRequest& request, const ScanOptions& options) const {
  RETURN_IF_ERROR(CheckFormBounds(request, options_.max_input_bytes));
  const std::shared_ptr<const LexiconSet> set = lexicons();

  std::string language = request.language_code();
  const bool detect = language.empty();
  if (detect) {
    ASSIGN_OR_RETURN(language, DetectFormLanguage(request));
  }

  v1::ScanFormResponse response;
  response.set_request_id(request.request_id());
  v1::Report* report = response.mutable_report();
  ScanOptions text_options;
  text_options.language = language;
  text_options.is_cancelled = options.is_cancelled;
  text_options.employer = request.employer_type();
  RETURN_IF_ERROR(ScanTextInto(request.instructions(), text_options, report));
  report->set_language_detected(detect);
  // The fields are audited even when the instructions are empty or have no
  // words; only a language mismatch of the instructions stays reported.
  if (report->coverage() != v1::COVERAGE_LANGUAGE_MISMATCH) {
    report->set_coverage(v1::COVERAGE_CHECKED);
  }

  const FormBooks books = BooksFor(*set, language);
  InstructionTerms instructions(request.instructions());
  FormAudit audit{books, request.employer_type(), &instructions, {}, {}};
  size_t bytes = request.instructions().size();
  uint32_t words = report->word_count();
  for (int fi = 0; fi < request.fields_size(); ++fi) {
    if (fi % 64 == 0 && options.is_cancelled && options.is_cancelled()) {
      return absl::CancelledError("scan cancelled");
    }
    const v1::FormField& field = request.fields(fi);
    bytes +=
        field.label().size() + field.help_text().size() + field.name().size();
    const FieldTexts t = TokeniseField(field);
    words += static_cast<uint32_t>(t.label.size());
    AuditField(field, t, &audit);
  }
  for (v1::Finding& f : audit.findings) *report->add_findings() = std::move(f);
  report->set_byte_count(static_cast<uint32_t>(bytes));
  report->set_word_count(words);
  ScoreReport(report);
  FillReadiness(audit.changes, response.mutable_readiness());
  return response;
}

}  // namespace divcheck
