// Application-form field rules: the name normaliser, the compiled rule book
// of one language, and the severity decision for one field.
//
//   std::vector<divcheck::FieldToken> tokens =
//       divcheck::NormaliseFieldText("geburtsDatum");  // "geburts", "datum"
//   divcheck::v1::Severity s = divcheck::DecideFieldSeverity(
//       rule, {.required = true, .neutral_option = false}, nullptr);
//
// The rules are data (lexicons/*/form_fields.textproto, schema in
// proto/divcheck/config/v1/form_rules.proto); LexiconSet::Load compiles them
// into one FormRuleBook per language with CompileFormRules and reports every
// problem as file:line:col. A FormRuleBook is immutable once built and safe
// for concurrent use. Engine::ScanForm (form_audit.cc) applies the books to
// a form.
#ifndef DIVCHECK_ANALYZERS_FORM_FIELDS_H_
#define DIVCHECK_ANALYZERS_FORM_FIELDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "base/data_problem.h"
#include "divcheck/config/v1/form_rules.pb.h"
#include "divcheck/v1/form.pb.h"
#include "google/protobuf/text_format.h"

namespace divcheck {

// Runs of at most this many tokens are compared with terms.
inline constexpr size_t kMaxTermRunTokens = 6;

// One normalised token of a field text.
struct FieldToken {
  std::string text;     // normalised: folded, umlauts transliterated
  uint32_t begin = 0;   // byte offset in the original text
  uint32_t end = 0;     // one past the last byte
  uint32_t clause = 0;  // sentence number within the text (for negations)
};

// Splits `text` into normalised tokens: see the top of form_rules.proto.
// Invalid UTF-8 bytes separate tokens. Never fails.
std::vector<FieldToken> NormaliseFieldText(absl::string_view text);

// The normalised tokens of `text` joined without separators:
// "Geb.-Datum" → "gebdatum", "dateOfBirth" → "dateofbirth".
std::string NormaliseJoined(absl::string_view text);

// A rule term: a run of whole tokens spelling `text`, or a run starting
// (kPrefix, "stem*") or ending (kSuffix, "*tail") with it.
struct FormTerm {
  enum class Kind : uint8_t { kExact, kPrefix, kSuffix };
  std::string text;  // normalised, joined
  Kind kind = Kind::kExact;
};

// Parses a term as written in a rule file. Returns false (with *error)
// when nothing matchable is left or a "*" stands elsewhere than at one end.
bool ParseFormTerm(absl::string_view raw, FormTerm* out, std::string* error);

// Finds terms in token sequences. Each term carries a payload chosen by the
// caller. Exact terms are looked up by hash for every run of up to
// kMaxTermRunTokens tokens in one clause; prefix and suffix terms are
// compared one by one (rule books have few).
class TermIndex {
 public:
  void Add(const FormTerm& term, uint32_t payload);
  bool empty() const {
    return exact_.empty() && prefix_.empty() && suffix_.empty();
  }
  // Calls fn(payload, first_token, end_token) for every match.
  template <typename Fn>
  void ForEachMatch(const std::vector<FieldToken>& tokens, Fn&& fn) const;
  // True when any term matches.
  bool AnyMatch(const std::vector<FieldToken>& tokens) const;

 private:
  absl::flat_hash_map<std::string, std::vector<uint32_t>> exact_;
  std::vector<std::pair<std::string, uint32_t>> prefix_;
  std::vector<std::pair<std::string, uint32_t>> suffix_;
};

// One rule ready for matching; `def` points into the LexiconSet's files.
struct CompiledFormRule {
  const config::v1::FormFieldRule* def = nullptr;
  std::string language;
  std::string lexicon_id;  // id of the file that defines the rule
  std::vector<v1::FieldType> field_types;  // empty: every type
  uint32_t min_option_matches = 1;
  bool makes_findings = false;
  bool has_section_terms = false;
};

// The form-field rules of one language.
struct FormRuleBook {
  // Which list of a rule a TermIndex payload refers to: payload =
  // rule index * kListCount + list.
  enum List : uint32_t {
    kTerm = 0,
    kOption = 1,
    kException = 2,
    kSection = 3,
    kSatisfied = 4,
    kListCount = 5,
  };

  std::string language;
  std::vector<CompiledFormRule> rules;
  TermIndex terms;  // every list of every rule
  TermIndex neutral_options;
  TermIndex negations;
  TermIndex optional_markers;
  TermIndex required_markers;
  std::string neutral_option_note;
  std::string optional_note;
  absl::flat_hash_map<std::string, uint32_t> by_topic;  // topic → rule

  const CompiledFormRule* ForTopic(absl::string_view topic) const {
    auto it = by_topic.find(topic);
    return it == by_topic.end() ? nullptr : &rules[it->second];
  }
};

// Where a FormFieldRules block came from, for problem locations.
struct FormRulesSource {
  std::string path;        // relative to the lexicon directory
  std::string lexicon_id;  // the file's id
  const config::v1::FormFieldRules* rules = nullptr;
  // The parse-location tree of the block, or null.
  const google::protobuf::TextFormat::ParseInfoTree* tree = nullptr;
};

// Validates and compiles the blocks of one language. Every problem is
// appended to `problems` (file:line:col); rule ids are checked for
// uniqueness against `ids` (id → file), which gains the new ones. Returns
// null when there were problems.
std::shared_ptr<const FormRuleBook> CompileFormRules(
    const std::string& language, const std::vector<FormRulesSource>& sources,
    absl::flat_hash_map<std::string, std::string>* ids,
    std::vector<DataProblem>* problems);

// What is known about a field when its severity is decided.
struct FieldFacts {
  bool required = false;
  // An option from the book's neutral_options is offered (or the field has
  // no options and the rule counts that as neutral).
  bool neutral_option = false;
  v1::EmployerType employer = v1::EMPLOYER_TYPE_UNSPECIFIED;
};

// Why a severity differs from the rule's severity_required.
struct SeverityReasons {
  bool optional = false;   // severity_optional applied
  bool neutral = false;    // lowered or dropped by a neutral option
  bool justified = false;  // lowered because of the employer type
};

// The severity of a finding of `rule` on a field with `facts`:
// severity_required or severity_optional; a neutral option then lowers it
// one level (NEUTRAL_OPTION_EFFECT_SOFTEN; a HINT is dropped) or drops it
// (…_DROP); an employer type in justified_for lowers it one level but not
// below HINT. SEVERITY_UNSPECIFIED means no finding. `reasons` may be null.
v1::Severity DecideFieldSeverity(const config::v1::FormFieldRule& rule,
                                 const FieldFacts& facts,
                                 SeverityReasons* reasons);

// ---- implementation ----

template <typename Fn>
void TermIndex::ForEachMatch(const std::vector<FieldToken>& tokens,
                             Fn&& fn) const {
  const size_t n = tokens.size();
  std::string joined;
  for (size_t i = 0; i < n; ++i) {
    joined.clear();
    size_t j = i;
    for (; j < n && j < i + kMaxTermRunTokens &&
           tokens[j].clause == tokens[i].clause;
         ++j) {
      joined += tokens[j].text;
      if (!exact_.empty()) {
        auto it = exact_.find(joined);
        if (it != exact_.end()) {
          for (uint32_t p : it->second)
            fn(p, static_cast<uint32_t>(i), static_cast<uint32_t>(j + 1));
        }
      }
    }
    for (const auto& [text, payload] : prefix_) {
      if (joined.size() < text.size() ||
          joined.compare(0, text.size(), text) != 0)
        continue;
      size_t len = 0, e = i;
      while (len < text.size()) len += tokens[e++].text.size();
      fn(payload, static_cast<uint32_t>(i), static_cast<uint32_t>(e));
    }
  }
  if (suffix_.empty()) return;
  for (size_t end = 1; end <= n; ++end) {
    joined.clear();
    size_t s = end;
    while (s > 0 && end - s < kMaxTermRunTokens &&
           tokens[s - 1].clause == tokens[end - 1].clause)
      --s;
    for (size_t k = s; k < end; ++k) joined += tokens[k].text;
    for (const auto& [text, payload] : suffix_) {
      if (joined.size() < text.size() ||
          joined.compare(joined.size() - text.size(), text.size(), text) != 0) {
        continue;
      }
      size_t len = 0, b = end;
      while (len < text.size()) len += tokens[--b].text.size();
      fn(payload, static_cast<uint32_t>(b), static_cast<uint32_t>(end));
    }
  }
}

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_FORM_FIELDS_H_
