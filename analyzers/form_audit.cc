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
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "analyzers/form_fields.h"
#include "analyzers/internal/lexicon_data.h"
#include "analyzers/language.h"
#include "analyzers/scoring.h"
#include "base/status_macros.h"

namespace divcheck {
namespace {

// Where in a field a rule's term was found, best first: a label match gets
// a span.
enum class Source {
  kLabel = 0,
  kPlaceholder = 1,
  kName = 2,
  kHelp = 3,
  kOption = 4
};

// A negation at most this many tokens before a term, in the same sentence,
// cancels it ("Please do not include a photo or your date of birth").
constexpr uint32_t kNegationWindow = 8;

struct TopicHit {
  const CompiledFormRule* matched = nullptr;
  Source source = Source::kOption;
  uint32_t begin = 0, end = 0;  // bytes in the label (Source::kLabel)
  std::string matched_text;
};

// The tokens of one field's texts.
struct FieldTexts {
  std::vector<FieldToken> name, id, label, placeholder, help, section;
  std::vector<std::vector<FieldToken>> options;  // label and value tokens
};

FieldTexts Tokenise(const v1::FormField& f) {
  FieldTexts t;
  t.name = NormaliseFieldText(f.name());
  if (f.field_id() != f.name()) t.id = NormaliseFieldText(f.field_id());
  t.label = NormaliseFieldText(f.label());
  t.placeholder = NormaliseFieldText(f.placeholder());
  t.help = NormaliseFieldText(f.help_text());
  t.section = NormaliseFieldText(f.section());
  t.options.reserve(f.options_size());
  for (const v1::FieldOption& o : f.options()) {
    std::vector<FieldToken> toks = NormaliseFieldText(o.label());
    if (o.value() != o.label()) {
      std::vector<FieldToken> v = NormaliseFieldText(o.value());
      // A clause break keeps runs from joining label and value.
      const uint32_t clause = toks.empty() ? 0 : toks.back().clause + 1;
      for (FieldToken& tok : v) {
        tok.clause += clause;
        toks.push_back(std::move(tok));
      }
    }
    t.options.push_back(std::move(toks));
  }
  return t;
}

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

// The rules of `book` that the tokens `toks` (from `source`) match, with
// exceptions and negations applied.
void MatchText(const FormRuleBook& book, const std::vector<FieldToken>& toks,
               Source source, absl::string_view original,
               std::map<uint32_t, TopicHit>* hits,
               std::vector<bool>* section_ok,
               absl::flat_hash_set<uint32_t>* negated = nullptr) {
  if (toks.empty()) return;
  struct Raw {
    uint32_t rule, list, b, e;
  };
  std::vector<Raw> raw;
  book.terms.ForEachMatch(toks, [&](uint32_t payload, uint32_t b, uint32_t e) {
    raw.push_back({payload / FormRuleBook::kListCount,
                   payload % FormRuleBook::kListCount, b, e});
  });
  if (raw.empty()) return;
  std::vector<std::pair<uint32_t, uint32_t>> negations;
  if (source == Source::kLabel || source == Source::kPlaceholder ||
      source == Source::kHelp) {
    book.negations.ForEachMatch(toks, [&](uint32_t, uint32_t b, uint32_t e) {
      negations.push_back({b, e});
    });
  }
  for (const Raw& r : raw) {
    if (r.list == FormRuleBook::kSection && section_ok != nullptr) {
      (*section_ok)[r.rule] = true;
      continue;
    }
    if (r.list != FormRuleBook::kTerm) continue;
    if (source == Source::kName && book.rules[r.rule].def->labels_only())
      continue;
    bool skip = false;
    for (const Raw& x : raw) {
      if (x.rule == r.rule && x.list == FormRuleBook::kException &&
          x.b <= r.b && r.e <= x.e) {
        skip = true;
      }
    }
    for (const auto& [nb, ne] : negations) {
      if (ne <= r.b && toks[nb].clause == toks[r.b].clause &&
          r.b - ne < kNegationWindow) {
        skip = true;
        if (negated != nullptr) negated->insert(r.rule);
      }
    }
    if (skip) continue;
    auto it = hits->find(r.rule);
    if (it != hits->end() && it->second.source <= source) continue;
    TopicHit h;
    h.matched = &book.rules[r.rule];
    h.source = source;
    h.begin = toks[r.b].begin;
    h.end = toks[r.e - 1].end;
    h.matched_text =
        source == Source::kLabel || source == Source::kPlaceholder ||
                source == Source::kHelp
            ? std::string(original.substr(h.begin, h.end - h.begin))
            : std::string(original);
    (*hits)[r.rule] = std::move(h);
  }
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

}  // namespace

std::vector<FormViolation> ValidateFormRequest(
    const v1::ScanFormRequest& request, size_t max_text_bytes) {
  std::vector<FormViolation> out;
  const size_t n = static_cast<size_t>(request.fields_size());
  if (n == 0) {
    out.push_back(
        {"fields",
         "the form has no fields; send at least one (an HTML file needs "
         "<input>, <select> or <textarea> elements)",
         "INVALID_FORM"});
  } else if (n > kMaxFormFields) {
    out.push_back({"fields",
                   absl::StrCat("the form has ", n, " fields; the limit is ",
                                kMaxFormFields),
                   "INVALID_FORM"});
  }
  size_t bytes = request.instructions().size();
  absl::flat_hash_set<absl::string_view> ids;
  // Per-field problems are listed for the first fields only, so that a
  // broken request of thousands of fields gets a readable answer.
  constexpr size_t kMaxListed = 20;
  size_t field_problems = 0;
  auto field_problem = [&](int i, const char* field, std::string description) {
    if (field_problems++ < kMaxListed) {
      out.push_back({absl::StrCat("fields[", i, "].", field),
                     std::move(description), "INVALID_FORM"});
    }
  };
  for (int i = 0; i < request.fields_size(); ++i) {
    const v1::FormField& f = request.fields(i);
    bytes += f.field_id().size() + f.name().size() + f.label().size() +
             f.help_text().size() + f.placeholder().size() + f.section().size();
    for (const v1::FieldOption& o : f.options())
      bytes += o.value().size() + o.label().size();
    if (n > kMaxFormFields) continue;
    if (f.field_id().empty()) {
      field_problem(i, "field_id",
                    absl::StrCat("field ", i, " has no field_id"));
    } else if (f.field_id().size() > kMaxFieldIdBytes) {
      field_problem(
          i, "field_id",
          absl::StrCat("field_id of field ", i, " is ", f.field_id().size(),
                       " bytes; the limit is ", kMaxFieldIdBytes));
    } else if (!ids.insert(f.field_id()).second) {
      field_problem(i, "field_id",
                    absl::StrCat("field_id \"", f.field_id(), "\" of field ", i,
                                 " is used by an earlier field"));
    }
    if (!v1::FieldType_IsValid(f.type())) {
      field_problem(i, "type",
                    absl::StrCat("type ", static_cast<int>(f.type()),
                                 " of field ", i, " is not a FieldType value"));
    }
    if (static_cast<size_t>(f.options_size()) > kMaxFieldOptions) {
      field_problem(i, "options",
                    absl::StrCat("field ", i, " has ", f.options_size(),
                                 " options; the limit is ", kMaxFieldOptions));
    }
  }
  if (field_problems > kMaxListed) {
    out.push_back({"fields",
                   absl::StrCat(field_problems - kMaxListed,
                                " more field problems not listed"),
                   "INVALID_FORM"});
  }
  if (bytes > max_text_bytes) {
    out.push_back(
        {"fields",
         absl::StrCat("the form has ", bytes, " bytes of text; the limit is ",
                      max_text_bytes, " bytes"),
         "TEXT_TOO_LARGE"});
  }
  const std::string& lang = request.language_code();
  if (!lang.empty() && lang != "de" && lang != "en") {
    out.push_back(
        {"language_code",
         absl::StrCat(
             "language_code \"", absl::CHexEscape(lang.substr(0, 32)),
             "\" is not supported; use \"de\", \"en\" or \"\" to detect"),
         "UNSUPPORTED_LANGUAGE"});
  }
  if (!v1::EmployerType_IsValid(request.employer_type())) {
    out.push_back({"employer_type",
                   absl::StrCat("employer_type ",
                                static_cast<int>(request.employer_type()),
                                " is not an EmployerType value"),
                   "INVALID_FORM"});
  }
  if (request.request_id().size() > kMaxFormRequestIdBytes) {
    out.push_back({"request_id",
                   absl::StrCat("request_id is ", request.request_id().size(),
                                " bytes; the limit is ", kMaxFormRequestIdBytes,
                                " bytes"),
                   "INVALID_REQUEST_ID"});
  }
  return out;
}

absl::StatusOr<v1::ScanFormResponse> Engine::ScanForm(
    const v1::ScanFormRequest& request, const ScanOptions& options) const {
  const std::vector<FormViolation> violations =
      ValidateFormRequest(request, options_.max_input_bytes);
  if (!violations.empty()) {
    std::vector<std::string> parts;
    for (const FormViolation& v : violations) parts.push_back(v.description);
    return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  }
  const std::shared_ptr<const LexiconSet> set = lexicons();

  std::string language = request.language_code();
  const bool detect = language.empty();
  if (detect) {
    std::string all = request.instructions();
    for (const v1::FormField& f : request.fields()) {
      absl::StrAppend(&all, "\n", f.label(), "\n", f.help_text(), "\n",
                      f.section());
    }
    absl::StatusOr<Document> doc = Document::Create(all);
    if (!doc.ok()) return doc.status();
    language = DetectLanguage(*doc);
  }

  v1::ScanFormResponse response;
  response.set_request_id(request.request_id());
  v1::Report* report = response.mutable_report();
  ScanOptions text_options;
  text_options.language = language;
  text_options.is_cancelled = options.is_cancelled;
  RETURN_IF_ERROR(ScanTextInto(request.instructions(), text_options, report));
  report->set_language_detected(detect);

  const LanguageLexicon* lex = set->ForLanguage(language);
  const FormRuleBook* own = lex != nullptr ? lex->form_rules.get() : nullptr;
  std::vector<const FormRuleBook*> books;
  for (const std::string& l : set->Languages()) {
    const LanguageLexicon* x = set->ForLanguage(l);
    if (x != nullptr && x->form_rules != nullptr)
      books.push_back(x->form_rules.get());
  }
  // The rules whose readiness_satisfied_by terms the instructions contain,
  // per book; found with one pass over the instructions, on first need.
  std::optional<std::vector<FieldToken>> instruction_tokens;
  absl::flat_hash_map<const FormRuleBook*, absl::flat_hash_set<uint32_t>>
      satisfied_by_instructions;
  auto instructions_satisfy = [&](const FormRuleBook& book, uint32_t rule) {
    auto [it, added] = satisfied_by_instructions.try_emplace(&book);
    if (added) {
      if (!instruction_tokens) {
        instruction_tokens = NormaliseFieldText(request.instructions());
      }
      book.terms.ForEachMatch(
          *instruction_tokens, [&](uint32_t payload, uint32_t, uint32_t) {
            if (payload % FormRuleBook::kListCount == FormRuleBook::kSatisfied) {
              it->second.insert(payload / FormRuleBook::kListCount);
            }
          });
    }
    return it->second.contains(rule);
  };

  size_t bytes = request.instructions().size();
  uint32_t words = report->word_count();
  std::map<std::string, PendingChange> changes;  // by rule id
  std::vector<v1::Finding> field_findings;
  for (int fi = 0; fi < request.fields_size(); ++fi) {
    if (fi % 64 == 0 && options.is_cancelled && options.is_cancelled()) {
      return absl::CancelledError("scan cancelled");
    }
    const v1::FormField& field = request.fields(fi);
    bytes +=
        field.label().size() + field.help_text().size() + field.name().size();
    const FieldTexts t = Tokenise(field);
    words += static_cast<uint32_t>(t.label.size());

    bool neutral = false, marker_required = LabelMarksRequired(field.label()),
         marker_optional = false;
    for (const FormRuleBook* book : books) {
      for (const auto& o : t.options)
        neutral = neutral || book->neutral_options.AnyMatch(o);
    }
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
    facts.employer = request.employer_type();
    const v1::FieldType type = field.type() == v1::FIELD_TYPE_UNSPECIFIED
                                   ? v1::FIELD_TYPE_TEXT
                                   : field.type();

    // topic → the best hit over every book.
    std::map<std::string, TopicHit> topics;
    for (const FormRuleBook* book : books) {
      std::map<uint32_t, TopicHit> hits;
      std::vector<bool> section_ok(book->rules.size(), false);
      MatchText(*book, t.name, Source::kName, field.name(), &hits, nullptr);
      MatchText(*book, t.id, Source::kName, field.field_id(), &hits, nullptr);
      if (book == own) {
        absl::flat_hash_set<uint32_t> negated;
        MatchText(*book, t.label, Source::kLabel, field.label(), &hits,
                  &section_ok, &negated);
        MatchText(*book, t.placeholder, Source::kPlaceholder,
                  field.placeholder(), &hits, nullptr, &negated);
        MatchText(*book, t.help, Source::kHelp, field.help_text(), &hits,
                  nullptr, &negated);
        // "No photo needed" in the label outweighs a name like "nophoto".
        for (uint32_t r : negated) {
          auto it = hits.find(r);
          if (it != hits.end() && it->second.source == Source::kName)
            hits.erase(it);
        }
        // The section is evidence for section_terms only, never a hit.
        book->terms.ForEachMatch(t.section, [&](uint32_t payload, uint32_t,
                                                uint32_t) {
          if (payload % FormRuleBook::kListCount == FormRuleBook::kSection) {
            section_ok[payload / FormRuleBook::kListCount] = true;
          }
        });
        std::vector<uint32_t> option_count(book->rules.size(), 0);
        std::vector<int> first_option(book->rules.size(), -1);
        for (size_t oi = 0; oi < t.options.size(); ++oi) {
          absl::flat_hash_set<uint32_t> rules_here;
          book->terms.ForEachMatch(t.options[oi], [&](uint32_t payload,
                                                      uint32_t, uint32_t) {
            if (payload % FormRuleBook::kListCount == FormRuleBook::kOption) {
              rules_here.insert(payload / FormRuleBook::kListCount);
            }
          });
          for (uint32_t r : rules_here) {
            if (option_count[r]++ == 0) first_option[r] = static_cast<int>(oi);
          }
        }
        for (uint32_t r = 0; r < book->rules.size(); ++r) {
          if (option_count[r] < book->rules[r].min_option_matches ||
              hits.count(r))
            continue;
          const v1::FieldOption& o = field.options(first_option[r]);
          TopicHit h;
          h.matched = &book->rules[r];
          h.source = Source::kOption;
          h.matched_text = o.label().empty() ? o.value() : o.label();
          hits[r] = std::move(h);
        }
      }
      for (auto& [r, h] : hits) {
        const CompiledFormRule& rule = book->rules[r];
        if (!rule.field_types.empty() &&
            std::find(rule.field_types.begin(), rule.field_types.end(), type) ==
                rule.field_types.end()) {
          continue;
        }
        if (rule.has_section_terms && !section_ok[r]) continue;
        const std::string& topic = rule.def->topic();
        auto it = topics.find(topic);
        if (it == topics.end() || h.source < it->second.source)
          topics[topic] = std::move(h);
      }
    }

    std::vector<v1::Finding> here;
    for (auto& [topic, hit] : topics) {
      const CompiledFormRule* rule =
          own != nullptr ? own->ForTopic(topic) : nullptr;
      const FormRuleBook* rule_book = own;
      if (rule == nullptr) {
        rule = hit.matched;
        for (const FormRuleBook* b : books) {
          if (hit.matched >= b->rules.data() &&
              hit.matched < b->rules.data() + b->rules.size()) {
            rule_book = b;
          }
        }
      }
      const config::v1::FormFieldRule& def = *rule->def;
      FieldFacts f = facts;
      f.neutral_option = neutral || (field.options_size() == 0 &&
                                     def.no_options_counts_as_neutral());
      SeverityReasons why;
      const v1::Severity severity = DecideFieldSeverity(def, f, &why);
      if (severity != v1::SEVERITY_UNSPECIFIED) {
        v1::Finding finding;
        finding.set_rule_id(def.id());
        for (int d : def.dimensions())
          finding.add_dimensions(static_cast<v1::Dimension>(d));
        finding.set_severity(severity);
        finding.set_matched_text(hit.matched_text);
        finding.set_message(absl::StrReplaceAll(
            def.explanation(), {{"{field}", DisplayName(field)}}));
        *finding.mutable_suggestions() = def.suggestions();
        finding.set_legal_basis(def.legal_basis());
        *finding.mutable_sources() = def.sources();
        finding.set_field_id(field.field_id());
        std::vector<std::string> notes;
        if (why.optional && !rule_book->optional_note.empty()) {
          notes.push_back(rule_book->optional_note);
        }
        if (why.neutral && !rule_book->neutral_option_note.empty()) {
          notes.push_back(rule_book->neutral_option_note);
        }
        if (why.justified) notes.push_back(def.justification_note());
        finding.set_context_note(absl::StrJoin(notes, " "));
        if (hit.source == Source::kLabel) {
          std::vector<v1::Span> spans;
          MakeSpans(field.label(), {{hit.begin, hit.end}}, &spans);
          *finding.mutable_span() = spans[0];
        }
        here.push_back(std::move(finding));
      }
      if (def.readiness_points() > 0) {
        const uint32_t ri = RuleIndex(*rule_book, rule);
        if (!Satisfies(*rule_book, ri, t.label) &&
            !Satisfies(*rule_book, ri, t.help) &&
            !instructions_satisfy(*rule_book, ri)) {
          PendingChange& c = changes[def.id()];
          c.rule = rule;
          c.field_ids.push_back(field.field_id());
        }
      }
    }
    std::sort(here.begin(), here.end(),
              [](const v1::Finding& a, const v1::Finding& b) {
                return a.rule_id() < b.rule_id();
              });
    for (v1::Finding& f : here) field_findings.push_back(std::move(f));
  }
  for (v1::Finding& f : field_findings) *report->add_findings() = std::move(f);
  report->set_byte_count(static_cast<uint32_t>(bytes));
  report->set_word_count(words);
  ScoreReport(report);

  v1::AnonymisationReadiness* readiness = response.mutable_readiness();
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
  return response;
}

}  // namespace divcheck
