#include "analyzers/form_fields.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "analyzers/document.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

using config::v1::FormFieldRule;
using config::v1::FormFieldRules;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

struct CodePoint {
  UChar32 c;
  uint32_t begin, end;
};

bool EndsClause(UChar32 c) {
  return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n';
}

// Folded, umlauts as ae/oe/ue, ß as ss, other accents dropped.
std::string NormaliseToken(const std::vector<CodePoint>& cps, size_t b,
                           size_t e) {
  bool ascii = true;
  for (size_t i = b; i < e; ++i) ascii &= cps[i].c < 0x80;
  std::string out;
  if (ascii) {
    out.reserve(e - b);
    for (size_t i = b; i < e; ++i) {
      out.push_back(absl::ascii_tolower(static_cast<char>(cps[i].c)));
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return out;
  icu::UnicodeString s;
  for (size_t i = b; i < e; ++i) s.append(cps[i].c);
  icu::UnicodeString composed = nfc->normalize(s, status);
  if (U_FAILURE(status)) return out;
  composed.foldCase();
  icu::UnicodeString translit;
  for (int32_t i = 0; i < composed.length();) {
    const UChar32 c = composed.char32At(i);
    i += U16_LENGTH(c);
    switch (c) {
      case 0x00E4:
        translit.append(u"ae");
        break;
      case 0x00F6:
        translit.append(u"oe");
        break;
      case 0x00FC:
        translit.append(u"ue");
        break;
      default:
        translit.append(c);
    }
  }
  icu::UnicodeString decomposed = nfd->normalize(translit, status);
  if (U_FAILURE(status)) return out;
  icu::UnicodeString bare;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    bare.append(c);
  }
  bare.toUTF8String(out);
  return out;
}

// A token break falls before code point k of a word run starting at b.
bool BreaksBefore(const std::vector<CodePoint>& cps, size_t b, size_t k,
                  size_t e) {
  if (k == b) return false;
  const UChar32 prev = cps[k - 1].c, cur = cps[k].c;
  if (u_getCombiningClass(cur) != 0 || u_charType(cur) == U_NON_SPACING_MARK)
    return false;
  const bool prev_digit = u_isdigit(prev), cur_digit = u_isdigit(cur);
  if (prev_digit != cur_digit) return true;
  if (u_islower(prev) && u_isupper(cur)) return true;  // geburtsDatum
  // HTMLParser: a break before the last capital of a run of capitals.
  if (u_isupper(prev) && u_isupper(cur) && k + 1 < e && u_islower(cps[k + 1].c))
    return true;
  return false;
}

}  // namespace

std::vector<FieldToken> NormaliseFieldText(absl::string_view text) {
  std::vector<CodePoint> cps;
  cps.reserve(text.size());
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t len =
      static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  for (int32_t i = 0; i < len;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, len, c);
    cps.push_back({c, static_cast<uint32_t>(start), static_cast<uint32_t>(i)});
  }
  std::vector<FieldToken> out;
  uint32_t clause = 0;
  size_t i = 0;
  while (i < cps.size()) {
    if (cps[i].c < 0 || !IsWordCodePoint(cps[i].c)) {
      // A "." ends a clause only after a word of four or more characters and
      // before white space: "Geb.-Datum" and "geb. am" stay one clause.
      bool ends = cps[i].c >= 0 && EndsClause(cps[i].c);
      if (ends && cps[i].c == '.') {
        const bool after_word = !out.empty() &&
                                out.back().end == cps[i].begin &&
                                out.back().end - out.back().begin > 3;
        const bool before_space =
            i + 1 == cps.size() || u_isWhitespace(cps[i + 1].c);
        ends = after_word && before_space;
      }
      if (ends) ++clause;
      ++i;
      continue;
    }
    size_t e = i;
    while (e < cps.size() && cps[e].c >= 0 && IsWordCodePoint(cps[e].c)) ++e;
    size_t b = i;
    for (size_t k = i + 1; k <= e; ++k) {
      if (k == e || BreaksBefore(cps, i, k, e)) {
        FieldToken t;
        t.text = NormaliseToken(cps, b, k);
        t.begin = cps[b].begin;
        t.end = cps[k - 1].end;
        t.clause = clause;
        if (!t.text.empty()) out.push_back(std::move(t));
        b = k;
      }
    }
    i = e;
  }
  return out;
}

std::string NormaliseJoined(absl::string_view text) {
  std::string out;
  for (const FieldToken& t : NormaliseFieldText(text)) out += t.text;
  return out;
}

bool ParseFormTerm(absl::string_view raw, FormTerm* out, std::string* error) {
  absl::string_view body = absl::StripAsciiWhitespace(raw);
  out->kind = FormTerm::Kind::kExact;
  const bool prefix = !body.empty() && body.back() == '*';
  if (prefix) body.remove_suffix(1);
  const bool suffix = !body.empty() && body.front() == '*';
  if (suffix) body.remove_prefix(1);
  if (prefix && suffix) {
    *error = absl::StrCat("term \"", raw, "\" has \"*\" at both ends; use one");
    return false;
  }
  if (body.find('*') != absl::string_view::npos) {
    *error = absl::StrCat("term \"", raw,
                          "\" has \"*\" inside; only \"stem*\" or \"*tail\"");
    return false;
  }
  out->text = NormaliseJoined(body);
  if (out->text.empty()) {
    *error = absl::StrCat("term \"", raw, "\" has no letters or digits");
    return false;
  }
  if ((prefix || suffix) && out->text.size() < 3) {
    *error = absl::StrCat("term \"", raw,
                          "\": a stem or tail needs at least 3 letters");
    return false;
  }
  if (prefix) out->kind = FormTerm::Kind::kPrefix;
  if (suffix) out->kind = FormTerm::Kind::kSuffix;
  return true;
}

void TermIndex::Add(const FormTerm& term, uint32_t payload) {
  switch (term.kind) {
    case FormTerm::Kind::kExact:
      exact_[term.text].push_back(payload);
      break;
    case FormTerm::Kind::kPrefix:
      prefix_.push_back({term.text, payload});
      break;
    case FormTerm::Kind::kSuffix:
      suffix_.push_back({term.text, payload});
      break;
  }
}

bool TermIndex::AnyMatch(const std::vector<FieldToken>& tokens) const {
  bool any = false;
  ForEachMatch(tokens, [&](uint32_t, uint32_t, uint32_t) { any = true; });
  return any;
}

namespace {

v1::Severity Lower(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return v1::SEVERITY_WARNING;
    case v1::SEVERITY_WARNING:
      return v1::SEVERITY_HINT;
    default:
      return v1::SEVERITY_UNSPECIFIED;
  }
}

// Collects problems with their location in one FormFieldRules block.
class RuleChecker {
 public:
  RuleChecker(const FormRulesSource& src, std::vector<DataProblem>* problems)
      : src_(src), problems_(problems) {}

  // A problem at `field` (index for repeated fields) of rule `rule` (-1: of
  // the block itself).
  void Problem(int rule, const char* field, int index,
               std::string message) const {
    int line = 0, col = 0;
    const TextFormat::ParseInfoTree* tree = src_.tree;
    const Descriptor* d = FormFieldRules::descriptor();
    if (tree != nullptr && rule >= 0) {
      const FieldDescriptor* rules = d->FindFieldByName("rules");
      const TextFormat::ParseInfoTree* rtree =
          tree->GetTreeForNested(rules, rule);
      auto loc = tree->GetLocation(rules, rule);
      if (loc.line >= 0) {
        line = loc.line + 1;
        col = loc.column + 1;
      }
      tree = rtree;
      d = FormFieldRule::descriptor();
    }
    if (tree != nullptr && field != nullptr) {
      if (const FieldDescriptor* fd = d->FindFieldByName(field);
          fd != nullptr) {
        auto loc = tree->GetLocation(fd, fd->is_repeated() ? index : -1);
        if (loc.line >= 0) {
          line = loc.line + 1;
          col = loc.column + 1;
        }
      }
    }
    problems_->push_back({src_.path, line, col, std::move(message)});
  }

 private:
  const FormRulesSource& src_;
  std::vector<DataProblem>* problems_;
};

// Adds every term of `terms` to `index` with `payload`; reports bad ones.
void AddTerms(const RuleChecker& check, int rule, const char* field,
              const google::protobuf::RepeatedPtrField<std::string>& terms,
              uint32_t payload, TermIndex* index) {
  for (int i = 0; i < terms.size(); ++i) {
    FormTerm t;
    std::string error;
    if (!ParseFormTerm(terms.Get(i), &t, &error)) {
      check.Problem(rule, field, i, error);
      continue;
    }
    index->Add(t, payload);
  }
}

// The terms and notes that apply to every rule of a block.
void AddBlockTerms(const RuleChecker& check, const FormFieldRules& block,
                   FormRuleBook* book) {
  AddTerms(check, -1, "neutral_options", block.neutral_options(), 0,
           &book->neutral_options);
  AddTerms(check, -1, "negations", block.negations(), 0, &book->negations);
  AddTerms(check, -1, "optional_markers", block.optional_markers(), 0,
           &book->optional_markers);
  AddTerms(check, -1, "required_markers", block.required_markers(), 0,
           &book->required_markers);
  if (!block.neutral_option_note().empty()) {
    book->neutral_option_note = block.neutral_option_note();
  }
  if (!block.optional_note().empty())
    book->optional_note = block.optional_note();
}

bool MakesFindings(const FormFieldRule& rule) {
  return rule.severity_required() != v1::SEVERITY_UNSPECIFIED ||
         rule.severity_optional() != v1::SEVERITY_UNSPECIFIED;
}

// The rule's id (unique among `ids`) and topic (unique in the language
// among `topic_files`).
void CheckRuleIdentity(
    const RuleChecker& check, int r, const FormFieldRule& rule,
    const std::string& path, const std::string& language,
    absl::flat_hash_map<std::string, std::string>* ids,
    absl::flat_hash_map<std::string, std::string>* topic_files) {
  if (rule.id().empty()) {
    check.Problem(r, nullptr, 0,
                  absl::StrCat("form rule #", r + 1, " has no id"));
  } else {
    for (char c : rule.id()) {
      if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
            c == '_' || c == '-')) {
        check.Problem(
            r, "id", 0,
            absl::StrCat("rule id \"", rule.id(),
                         "\" may contain only a-z, 0-9, '.', '_' and '-'"));
        break;
      }
    }
    auto [it, inserted] = ids->emplace(rule.id(), path);
    if (!inserted) {
      check.Problem(r, "id", 0,
                    absl::StrCat("duplicate rule id \"", rule.id(),
                                 "\" (first defined in ", it->second, ")"));
    }
  }
  if (rule.topic().empty()) {
    check.Problem(r, "id", 0, "a form rule needs a topic");
  } else {
    auto [it, inserted] = topic_files->emplace(rule.topic(), path);
    if (!inserted) {
      check.Problem(r, "topic", 0,
                    absl::StrCat("topic \"", rule.topic(),
                                 "\" is used twice in language \"", language,
                                 "\" (also in ", it->second, ")"));
    }
  }
}

// Terms and severities.
void CheckRuleMatching(const RuleChecker& check, int r,
                       const FormFieldRule& rule) {
  if (rule.terms_size() == 0 && rule.option_terms_size() == 0) {
    check.Problem(r, "id", 0, "a form rule needs terms or option_terms");
  }
  if (rule.min_option_matches() > 0 && rule.option_terms_size() == 0) {
    check.Problem(r, "min_option_matches", 0,
                  "min_option_matches without option_terms");
  }
  for (const auto& [field, sev] :
       {std::pair<const char*, int>{"severity_required",
                                    rule.severity_required()},
        {"severity_optional", rule.severity_optional()}}) {
    if (!v1::Severity_IsValid(sev)) {
      check.Problem(r, field, 0,
                    absl::StrCat(field, " ", sev, " is not a Severity"));
    }
  }
  if (rule.severity_optional() > rule.severity_required()) {
    check.Problem(r, "severity_optional", 0,
                  "severity_optional is above severity_required");
  }
}

// The texts a rule that makes findings needs.
void CheckFindingTexts(const RuleChecker& check, int r,
                       const FormFieldRule& rule) {
  if (rule.dimensions_size() == 0)
    check.Problem(r, "id", 0, "a finding needs dimensions");
  for (int i = 0; i < rule.dimensions_size(); ++i) {
    if (rule.dimensions(i) == v1::DIMENSION_UNSPECIFIED ||
        !v1::Dimension_IsValid(rule.dimensions(i))) {
      check.Problem(r, "dimensions", i, "not a dimension");
    }
  }
  if (rule.explanation().empty())
    check.Problem(r, "id", 0, "explanation is empty");
  if (rule.suggestions_size() == 0 && rule.advice_size() == 0) {
    check.Problem(r, "id", 0,
                  "a finding needs at least one suggestion or advice");
  }
  for (int i = 0; i < rule.suggestions_size(); ++i) {
    if (absl::StripAsciiWhitespace(rule.suggestions(i)).empty()) {
      check.Problem(r, "suggestions", i, "empty suggestion");
    }
  }
  for (int i = 0; i < rule.advice_size(); ++i) {
    if (absl::StripAsciiWhitespace(rule.advice(i)).empty()) {
      check.Problem(r, "advice", i, "empty advice");
    }
  }
  if (rule.legal_basis().empty() &&
      rule.severity_required() > v1::SEVERITY_HINT) {
    check.Problem(r, "id", 0, "a WARNING or CRITICAL rule needs a legal_basis");
  }
}

// Sources, readiness and the neutral-option effect.
void CheckRuleEffects(const RuleChecker& check, int r,
                      const FormFieldRule& rule) {
  if (rule.sources_size() == 0)
    check.Problem(r, "id", 0, "at least one source is needed");
  if (!MakesFindings(rule) && rule.readiness_points() == 0) {
    check.Problem(r, "id", 0,
                  "the rule neither makes findings nor costs readiness points");
  }
  if (rule.readiness_points() > 100) {
    check.Problem(r, "readiness_points", 0, "readiness_points is over 100");
  }
  if (rule.readiness_points() > 0 && rule.readiness_change().empty()) {
    check.Problem(r, "readiness_change", 0,
                  "readiness_points need a readiness_change");
  }
  if (!config::v1::NeutralOptionEffect_IsValid(rule.neutral_option())) {
    check.Problem(r, "neutral_option", 0, "not a NeutralOptionEffect");
  }
}

// The compiled rule, with its field types and employer types checked.
CompiledFormRule NewCompiledFormRule(const RuleChecker& check, int r,
                                     const FormFieldRule& rule,
                                     const std::string& language,
                                     const FormRulesSource& src) {
  CompiledFormRule cr;
  cr.def = &rule;
  cr.language = language;
  cr.lexicon_id = src.lexicon_id;
  cr.makes_findings = MakesFindings(rule);
  cr.min_option_matches =
      rule.min_option_matches() == 0 ? 1 : rule.min_option_matches();
  cr.has_section_terms = rule.section_terms_size() > 0;
  for (int i = 0; i < rule.field_types_size(); ++i) {
    const int t = rule.field_types(i);
    if (!v1::FieldType_IsValid(t) || t == v1::FIELD_TYPE_UNSPECIFIED) {
      check.Problem(r, "field_types", i, "not a field type");
      continue;
    }
    cr.field_types.push_back(static_cast<v1::FieldType>(t));
  }
  for (int i = 0; i < rule.justified_for_size(); ++i) {
    const int t = rule.justified_for(i);
    if (!v1::EmployerType_IsValid(t) || t == v1::EMPLOYER_TYPE_UNSPECIFIED) {
      check.Problem(r, "justified_for", i, "not an employer type");
    }
  }
  if (rule.justified_for_size() > 0 && rule.justification_note().empty()) {
    check.Problem(r, "justification_note", 0,
                  "justified_for needs a justification_note");
  }
  return cr;
}

// Every list of rule `r` (book index `index`) into book->terms.
void AddRuleTerms(const RuleChecker& check, int r, const FormFieldRule& rule,
                  uint32_t index, FormRuleBook* book) {
  const uint32_t base = index * FormRuleBook::kListCount;
  AddTerms(check, r, "terms", rule.terms(), base + FormRuleBook::kTerm,
           &book->terms);
  AddTerms(check, r, "option_terms", rule.option_terms(),
           base + FormRuleBook::kOption, &book->terms);
  AddTerms(check, r, "exceptions", rule.exceptions(),
           base + FormRuleBook::kException, &book->terms);
  AddTerms(check, r, "section_terms", rule.section_terms(),
           base + FormRuleBook::kSection, &book->terms);
  AddTerms(check, r, "readiness_satisfied_by", rule.readiness_satisfied_by(),
           base + FormRuleBook::kSatisfied, &book->terms);
}

}  // namespace

std::shared_ptr<const FormRuleBook> CompileFormRules(
    const std::string& language, const std::vector<FormRulesSource>& sources,
    absl::flat_hash_map<std::string, std::string>* ids,
    std::vector<DataProblem>* problems) {
  auto book = std::make_shared<FormRuleBook>();
  book->language = language;
  const size_t problems_before = problems->size();
  absl::flat_hash_map<std::string, std::string> topic_files;
  for (const FormRulesSource& src : sources) {
    const RuleChecker check(src, problems);
    const FormFieldRules& block = *src.rules;
    AddBlockTerms(check, block, book.get());
    for (int r = 0; r < block.rules_size(); ++r) {
      const FormFieldRule& rule = block.rules(r);
      const uint32_t index = static_cast<uint32_t>(book->rules.size());
      const size_t rule_problems = problems->size();
      CheckRuleIdentity(check, r, rule, src.path, language, ids, &topic_files);
      CheckRuleMatching(check, r, rule);
      if (MakesFindings(rule)) CheckFindingTexts(check, r, rule);
      CheckRuleEffects(check, r, rule);
      CompiledFormRule cr = NewCompiledFormRule(check, r, rule, language, src);
      AddRuleTerms(check, r, rule, index, book.get());
      if (problems->size() == rule_problems) {
        book->by_topic.emplace(rule.topic(), index);
      }
      book->rules.push_back(std::move(cr));
    }
  }
  if (problems->size() != problems_before) return nullptr;
  return book;
}

v1::Severity DecideFieldSeverity(const config::v1::FormFieldRule& rule,
                                 const FieldFacts& facts,
                                 SeverityReasons* reasons) {
  SeverityReasons local;
  SeverityReasons& why = reasons != nullptr ? *reasons : local;
  why = SeverityReasons();
  v1::Severity s =
      facts.required ? rule.severity_required() : rule.severity_optional();
  why.optional = !facts.required && s != rule.severity_required();
  if (s == v1::SEVERITY_UNSPECIFIED) return s;
  if (facts.neutral_option) {
    switch (rule.neutral_option()) {
      case config::v1::NEUTRAL_OPTION_EFFECT_SOFTEN:
        s = Lower(s);
        why.neutral = true;
        break;
      case config::v1::NEUTRAL_OPTION_EFFECT_DROP:
        why.neutral = true;
        return v1::SEVERITY_UNSPECIFIED;
      default:
        break;
    }
    if (s == v1::SEVERITY_UNSPECIFIED) return s;
  }
  const auto& justified = rule.justified_for();
  if (facts.employer != v1::EMPLOYER_TYPE_UNSPECIFIED &&
      std::find(justified.begin(), justified.end(), facts.employer) !=
          justified.end()) {
    why.justified = true;
    const v1::Severity lower = Lower(s);
    s = lower == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_HINT : lower;
  }
  return s;
}

}  // namespace divcheck
