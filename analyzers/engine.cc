#include "analyzers/engine.h"

#include <algorithm>
#include <atomic>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "analyzers/address.h"
#include "analyzers/analysis.h"
#include "analyzers/binary_pair.h"
#include "analyzers/coded_wording.h"
#include "analyzers/context_filter.h"
#include "analyzers/document.h"
#include "analyzers/language.h"
#include "analyzers/scoring.h"
#include "analyzers/term_matcher.h"
#include "analyzers/title_gender_marker.h"
#include "base/status_macros.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

absl::Status CheckCancelled(const ScanOptions& options) {
  if (options.is_cancelled && options.is_cancelled()) {
    return absl::CancelledError("scan cancelled");
  }
  return absl::OkStatus();
}

// Whether the options keep findings and highlights of rule `id`.
bool RuleWanted(const ScanOptions& options, absl::string_view id) {
  if (!options.only_rules.empty() && !options.only_rules.contains(id)) {
    return false;
  }
  return !options.disabled_rules.contains(id);
}

// The document flag an employer type sets or clears (ScanOptions::employer).
constexpr char kChurchEmployerFlag[] = "church_employer";

void ApplyEmployerType(v1::EmployerType employer, Analysis* a) {
  switch (employer) {
    case v1::EMPLOYER_TYPE_RELIGIOUS:
      a->flags.insert(kChurchEmployerFlag);
      break;
    case v1::EMPLOYER_TYPE_PRIVATE:
    case v1::EMPLOYER_TYPE_PUBLIC:
      a->flags.erase(kChurchEmployerFlag);
      break;
    default:
      break;
  }
}

// Drops the candidates of rules the options leave out, before context is
// applied.
void DropUnwantedRules(const ScanOptions& options, Analysis* a) {
  if (options.only_rules.empty() && options.disabled_rules.empty()) return;
  for (Candidate& c : a->candidates) {
    if (RuleWanted(options, a->entry(c.entry).def->id())) continue;
    c.dropped = true;
    if (a->tracing) a->Trace(c, "dropped: rule left out by the options");
  }
}

// The candidates of a traced scan, with `initial` severities (by candidate
// index; candidates added later start at their present severity), in
// document order.
void WriteTrace(const Analysis& a, const std::vector<v1::Severity>& initial,
                v1::Severity min_severity, std::vector<TraceEntry>* out) {
  out->clear();
  std::vector<uint32_t> order(a.candidates.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return a.candidates[x].fbegin < a.candidates[y].fbegin;
  });
  std::vector<std::vector<std::string>> steps(a.candidates.size());
  for (const auto& [i, step] : a.trace) steps[i].push_back(step);
  for (uint32_t i : order) {
    const Candidate& c = a.candidates[i];
    TraceEntry t;
    t.rule_id = a.entry(c.entry).def->id();
    t.byte_begin = a.doc.OriginalBegin(c.fbegin);
    t.byte_end = a.doc.OriginalEnd(c.fend);
    t.matched_text = std::string(a.doc.OriginalText(t.byte_begin, t.byte_end));
    t.initial_severity = i < initial.size() ? initial[i] : c.severity;
    t.final_severity = c.dropped ? v1::SEVERITY_UNSPECIFIED : c.severity;
    t.steps = std::move(steps[i]);
    t.reported = !c.dropped && c.severity >= min_severity;
    if (!c.dropped && !t.reported) {
      t.steps.push_back("left out: below the minimum severity asked for");
    }
    out->push_back(std::move(t));
  }
}

// Highlights from HIGHLIGHT matches and disclaimer sentences; overlapping
// highlights of one kind are reported once, and at most `max_highlights`
// (the first ones). Rules the options leave out give none.
void CollectHighlights(const Analysis& a, const ScanOptions& options,
                       size_t max_highlights,
                       std::vector<std::pair<uint32_t, uint32_t>>* ranges,
                       v1::Report* report) {
  struct Pending {
    uint32_t fbegin, fend;
    const CompiledEntry* entry;
    v1::HighlightKind kind;
  };
  std::vector<Pending> pending;
  for (const Match& m : a.matches) {
    const CompiledEntry& e = a.entry(m.entry);
    if (e.kind != config::v1::ENTRY_KIND_HIGHLIGHT) continue;
    pending.push_back({m.fbegin, m.fend, &e, e.def->highlight_kind()});
  }
  const auto rule = a.lex.analyzer_rules.find(
      absl::StrCat(a.lex.language, ".highlight.disclaimer"));
  if (rule != a.lex.analyzer_rules.end()) {
    const auto& sentences = a.doc.sentences();
    for (size_t s = 0; s < sentences.size(); ++s) {
      if (!a.disclaimer_sentence[s]) continue;
      pending.push_back({sentences[s].begin, sentences[s].end,
                         &a.entry(rule->second),
                         v1::HIGHLIGHT_KIND_DIVERSITY_STATEMENT});
    }
  }
  std::sort(pending.begin(), pending.end(),
            [](const Pending& x, const Pending& y) {
              if (x.fbegin != y.fbegin) return x.fbegin < y.fbegin;
              return x.fend > y.fend;
            });
  std::vector<uint32_t> kind_end(16, 0);
  for (const Pending& p : pending) {
    const size_t k = static_cast<size_t>(p.kind) % kind_end.size();
    if (p.fbegin < kind_end[k]) continue;  // overlaps one already reported
    if (!RuleWanted(options, p.entry->def->id())) continue;
    kind_end[k] = p.fend;
    if (static_cast<size_t>(report->highlights_size()) >= max_highlights) {
      report->set_omitted_highlight_count(report->omitted_highlight_count() +
                                          1);
      continue;
    }
    v1::Highlight* h = report->add_highlights();
    h->set_rule_id(p.entry->def->id());
    h->set_kind(p.kind);
    h->set_message(p.entry->def->explanation());
    const uint32_t ob = a.doc.OriginalBegin(p.fbegin);
    const uint32_t oe = a.doc.OriginalEnd(p.fend);
    h->set_matched_text(std::string(a.doc.OriginalText(ob, oe)));
    ranges->push_back({ob, oe});
  }
}

// Of `kept` (in document order), the `max` most severe, the first in
// document order among equals, back in document order; the report says how
// many were left out.
void CapFindings(size_t max, std::vector<const Candidate*>* kept,
                 v1::Report* report) {
  if (kept->size() <= max) return;
  std::vector<uint32_t> order(kept->size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return (*kept)[x]->severity > (*kept)[y]->severity;
  });
  order.resize(max);
  std::sort(order.begin(), order.end());
  std::vector<const Candidate*> listed;
  listed.reserve(order.size());
  for (uint32_t i : order) listed.push_back((*kept)[i]);
  report->set_findings_capped(true);
  report->set_omitted_finding_count(
      static_cast<uint32_t>(kept->size() - listed.size()));
  *kept = std::move(listed);
}

// The entry's term_replacements whose terms hold the folded matched words
// (runs of other characters than letters and digits read as one space:
// "delivery-man" is the phrase "delivery man"); nullptr when none does.
const config::v1::TermReplacement* TermReplacementFor(
    const config::v1::Entry& def, absl::string_view folded) {
  if (def.term_replacements_size() == 0) return nullptr;
  std::string words;
  bool gap = false;
  for (char ch : folded) {
    if (absl::ascii_isalnum(ch) || static_cast<unsigned char>(ch) >= 0x80) {
      if (gap && !words.empty()) words += ' ';
      words += ch;
      gap = false;
    } else {
      gap = true;
    }
  }
  for (const config::v1::TermReplacement& t : def.term_replacements()) {
    for (const std::string& term : t.terms()) {
      if (term == words) return &t;
    }
  }
  return nullptr;
}

// Whether `doc` addresses its readers with "du"; reads it into *address
// the first time.
bool Informal(const Document& doc, std::optional<Address>* address) {
  if (!address->has_value()) *address = ReadAddress(doc);
  return **address == Address::kInformal;
}

// Findings from the candidates that context kept, in document order, at
// most `max_findings` (CapFindings), none below `min_severity`; appends
// each one's original byte range to `ranges`.
void CollectFindings(const Analysis& a, v1::Severity min_severity,
                     size_t max_findings,
                     std::vector<std::pair<uint32_t, uint32_t>>* ranges,
                     v1::Report* report) {
  const Document& doc = a.doc;
  std::vector<const Candidate*> kept;
  for (const Candidate& c : a.candidates) {
    if (!c.dropped && c.severity >= min_severity) kept.push_back(&c);
  }
  std::sort(kept.begin(), kept.end(),
            [&](const Candidate* x, const Candidate* y) {
              if (x->fbegin != y->fbegin) return x->fbegin < y->fbegin;
              return a.entry(x->entry).def->id() < a.entry(y->entry).def->id();
            });
  CapFindings(max_findings, &kept, report);
  // The ad's form of address, read only when a finding has replacements in
  // both forms.
  std::optional<Address> address;
  ranges->reserve(kept.size() + 8);
  report->mutable_findings()->Reserve(static_cast<int>(kept.size()));
  for (const Candidate* c : kept) {
    const config::v1::Entry& def = *a.entry(c->entry).def;
    v1::Finding* f = report->add_findings();
    f->set_rule_id(def.id());
    if (!c->dimensions.empty()) {
      for (v1::Dimension d : c->dimensions) f->add_dimensions(d);
    } else {
      for (int d : def.dimensions())
        f->add_dimensions(static_cast<v1::Dimension>(d));
    }
    f->set_severity(c->severity);
    const uint32_t ob = doc.OriginalBegin(c->fbegin);
    const uint32_t oe = doc.OriginalEnd(c->fend);
    const absl::string_view matched = doc.OriginalText(ob, oe);
    f->set_matched_text(std::string(matched));
    f->set_message(
        absl::StrReplaceAll(def.explanation(), {{"{matched}", matched}}));
    if (!c->replacements.empty()) {
      f->mutable_replacements()->Reserve(
          static_cast<int>(c->replacements.size()));
      for (const std::string& s : c->replacements) f->add_replacements(s);
    } else if (const config::v1::TermReplacement* t = TermReplacementFor(
                   def, doc.folded().substr(c->fbegin, c->fend - c->fbegin));
               t != nullptr) {
      const bool capital = !matched.empty() && absl::ascii_isupper(matched[0]);
      for (const std::string& r : t->replacements()) {
        std::string* out = f->add_replacements();
        *out = r;
        if (capital) (*out)[0] = absl::ascii_toupper((*out)[0]);
      }
    } else if (def.suggestions_du_size() > 0 && Informal(doc, &address)) {
      *f->mutable_replacements() = def.suggestions_du();
    } else {
      *f->mutable_replacements() = def.suggestions();
    }
    *f->mutable_advice() = def.advice();
    // The deprecated `suggestions`: both lists, as before they were split.
    *f->mutable_suggestions() = f->replacements();
    f->mutable_suggestions()->MergeFrom(def.advice());
    f->set_legal_basis(def.legal_basis());
    *f->mutable_sources() = def.sources();
    f->set_context_note(c->context_note);
    ranges->push_back({ob, oe});
  }
}

// A hint under "<lang>.text.mixed_script" for each word that mixes Latin
// with Cyrillic or Greek letters and overlaps a finding that context kept
// (the look-alike letters were read as Latin to find it): with the
// dimensions of the findings it overlaps. O(candidates · log words).
void AddMixedScriptHints(Analysis* a) {
  const auto& words = a->doc.mixed_script_words();
  if (words.empty()) return;
  const auto rule = a->lex.analyzer_rules.find(
      absl::StrCat(a->lex.language, ".text.mixed_script"));
  if (rule == a->lex.analyzer_rules.end()) return;
  std::vector<std::vector<v1::Dimension>> dims(words.size());
  for (const Candidate& c : a->candidates) {
    if (c.dropped) continue;
    const uint32_t ob = a->doc.OriginalBegin(c.fbegin);
    const uint32_t oe = a->doc.OriginalEnd(c.fend);
    // Words overlapping [ob, oe): from the first ending after ob.
    auto w = std::upper_bound(
        words.begin(), words.end(), ob,
        [](uint32_t v, const std::pair<uint32_t, uint32_t>& r) {
          return v < r.second;
        });
    for (; w != words.end() && w->first < oe; ++w) {
      auto& d = dims[w - words.begin()];
      if (!c.dimensions.empty()) {
        d.insert(d.end(), c.dimensions.begin(), c.dimensions.end());
      } else {
        for (int x : a->entry(c.entry).def->dimensions())
          d.push_back(static_cast<v1::Dimension>(x));
      }
    }
  }
  const std::vector<Token>& tokens = a->doc.tokens();
  const Document& doc = a->doc;
  // The first token index for which `before(k)` is false (`before` holds
  // for a prefix of the tokens).
  auto first_not = [&](auto before) {
    uint32_t lo = 0, hi = static_cast<uint32_t>(tokens.size());
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (before(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    if (dims[i].empty()) continue;
    std::sort(dims[i].begin(), dims[i].end());
    dims[i].erase(std::unique(dims[i].begin(), dims[i].end()), dims[i].end());
    // The word's tokens [first, end), in folded coordinates.
    // (No structured binding: clang 14 cannot capture one in a lambda.)
    const auto wb = words[i].first;
    const auto we = words[i].second;
    const uint32_t first = first_not(
        [&](uint32_t k) { return doc.OriginalEnd(tokens[k].end) <= wb; });
    const uint32_t end = first_not(
        [&](uint32_t k) { return doc.OriginalBegin(tokens[k].begin) < we; });
    if (first >= end) continue;
    const uint32_t last = end - 1;
    Candidate h;
    h.entry = rule->second;
    h.fbegin = tokens[first].begin;
    h.fend = tokens[last].end;
    h.tok_begin = first;
    h.tok_end = last + 1;
    h.sentence = tokens[first].sentence;
    h.severity = v1::SEVERITY_HINT;
    h.dimensions = std::move(dims[i]);
    a->candidates.push_back(std::move(h));
  }
}

// Sets the spans of the report's findings and then highlights, whose
// original byte ranges are `ranges` in that order.
void AttachSpans(absl::string_view text,
                 const std::vector<std::pair<uint32_t, uint32_t>>& ranges,
                 v1::Report* report) {
  std::vector<v1::Span> spans;
  // MakeSpans wants ranges sorted by begin; keep the original order to
  // assign them back.
  std::vector<size_t> order(ranges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return ranges[x].first < ranges[y].first;
  });
  std::vector<std::pair<uint32_t, uint32_t>> sorted;
  sorted.reserve(ranges.size());
  for (size_t i : order) sorted.push_back(ranges[i]);
  MakeSpans(text, sorted, &spans);
  for (size_t j = 0; j < order.size(); ++j) {
    const size_t i = order[j];
    if (i < static_cast<size_t>(report->findings_size())) {
      *report->mutable_findings(static_cast<int>(i))->mutable_span() = spans[j];
    } else {
      *report->mutable_highlights(static_cast<int>(i - report->findings_size()))
           ->mutable_span() = spans[j];
    }
  }
}

// COVERAGE_EMPTY when `text` has nothing but white space (and invisible
// format characters such as a byte-order mark), COVERAGE_NO_WORDS when it
// has no token with a letter, else COVERAGE_CHECKED. `text` is valid UTF-8.
v1::Coverage WordCoverage(absl::string_view text, const Document& doc) {
  for (const Token& t : doc.tokens()) {
    if (!t.is_number) return v1::COVERAGE_CHECKED;
  }
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t len = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT_UNSAFE(s, i, c);
    if (!u_isUWhiteSpace(c) &&
        !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
      return v1::COVERAGE_NO_WORDS;
    }
  }
  return v1::COVERAGE_EMPTY;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(
    const EngineOptions& options, std::vector<LexiconProblem>* problems) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LexiconSet> set,
                   LexiconSet::Load(options.lexicon_dir, problems));
  return std::make_unique<Engine>(options, std::move(set));
}

Engine::Engine(const EngineOptions& options,
               std::shared_ptr<const LexiconSet> set)
    : options_(options), set_(std::move(set)) {}

std::shared_ptr<const LexiconSet> Engine::lexicons() const {
  return std::atomic_load(&set_);
}

absl::Status Engine::ReloadLexicons(std::vector<LexiconProblem>* problems,
                                    bool allow_shrink, LexiconLoss* lost) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LexiconSet> set,
                   LexiconSet::Load(options_.lexicon_dir, problems));
  LexiconLoss loss = FindLexiconLoss(*lexicons(), *set);
  if (!loss.empty() && !allow_shrink) {
    std::string what;
    if (!loss.languages.empty()) {
      absl::StrAppend(&what, "language(s) ",
                      absl::StrJoin(loss.languages, ", "));
    }
    if (!loss.files.empty()) {
      absl::StrAppend(&what, what.empty() ? "" : " and ", "file(s) ",
                      absl::StrJoin(loss.files, ", "));
    }
    if (lost != nullptr) *lost = std::move(loss);
    return absl::FailedPreconditionError(absl::StrCat(
        "the new lexicons lack ", what,
        " of the set in use; allow this with --allow_lexicon_shrink"));
  }
  if (lost != nullptr) *lost = std::move(loss);
  std::atomic_store(&set_, std::move(set));
  return absl::OkStatus();
}

absl::StatusOr<v1::Report> Engine::ScanText(absl::string_view text,
                                            const ScanOptions& options) const {
  v1::Report report;
  RETURN_IF_ERROR(ScanTextInto(text, options, &report));
  return report;
}

absl::Status Engine::ScanTextInto(absl::string_view text,
                                  const ScanOptions& options,
                                  v1::Report* out) const {
  out->Clear();
  if (text.size() > options_.max_input_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("input is ", text.size(), " bytes; the limit is ",
                     options_.max_input_bytes, " bytes"));
  }
  if (!options.language.empty() && options.language != "de" &&
      options.language != "en") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported language \"", options.language,
                     "\" (use \"de\", \"en\" or leave empty to detect)"));
  }
  ASSIGN_OR_RETURN(Document doc, Document::Create(text));
  const std::shared_ptr<const LexiconSet> set = lexicons();

  v1::Report& report = *out;
  report.set_byte_count(static_cast<uint32_t>(text.size()));
  report.set_word_count(static_cast<uint32_t>(doc.tokens().size()));
  report.set_lexicon_version(set->content_hash());
  std::string language = options.language;
  report.set_language_detected(language.empty());
  report.set_language(language);
  // Texts that cannot be checked get no score (issue 14): a report of
  // 100/A for an empty or French text would claim what was never checked.
  report.set_coverage(WordCoverage(text, doc));
  if (report.coverage() != v1::COVERAGE_CHECKED) return absl::OkStatus();
  const LanguageGuess guess = GuessLanguage(doc);
  if (guess.evident) report.set_apparent_language(guess.language);
  if (!guess.supported) {
    if (language.empty()) {
      report.set_coverage(v1::COVERAGE_UNSUPPORTED_LANGUAGE);
      return absl::OkStatus();
    }
    // The caller chose the language: scan as asked, but say so.
    report.set_coverage(v1::COVERAGE_LANGUAGE_MISMATCH);
  }
  if (language.empty()) {
    language = guess.language;
    report.set_language(language);
  }
  const LanguageLexicon* lex = set->ForLanguage(language);
  if (lex == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no lexicon is loaded for language \"", language, "\""));
  }

  Analysis a(doc, *set, *lex);
  a.tracing = options.trace != nullptr;
  a.gender_form = options.gender_form;
  MatchTerms(&a);
  RETURN_IF_ERROR(CheckCancelled(options));
  PrepareContext(&a);
  FindUnmarkedTitles(&a);
  RETURN_IF_ERROR(CheckCancelled(options));
  WeighCodedWording(&a, report.mutable_coded_wording());
  std::vector<v1::Severity> initial;
  if (a.tracing) {
    for (const Candidate& c : a.candidates) initial.push_back(c.severity);
  }
  ApplyEmployerType(options.employer, &a);
  DropUnwantedRules(options, &a);
  RETURN_IF_ERROR(ApplyContext(&a, options.is_cancelled));
  RETURN_IF_ERROR(CheckCancelled(options));
  LowerBinaryPairs(&a);
  AddMixedScriptHints(&a);
  if (a.tracing) WriteTrace(a, initial, options.min_severity, options.trace);

  // Findings in document order, then highlights; spans in one pass.
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  CollectFindings(a, options.min_severity, options_.max_findings, &ranges,
                  &report);
  CollectHighlights(a, options, options_.max_findings, &ranges, &report);
  AttachSpans(text, ranges, &report);
  AttachCodedWordSpans(text, report.mutable_coded_wording());
  ScoreReport(&report);
  return absl::OkStatus();
}

}  // namespace divcheck
