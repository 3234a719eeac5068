// Engine: scans job ads and returns a scored Report.
//
//   divcheck::EngineOptions options;
//   options.lexicon_dir = "lexicons";
//   absl::StatusOr<std::unique_ptr<divcheck::Engine>> engine =
//       divcheck::Engine::Create(options);
//   absl::StatusOr<divcheck::v1::Report> report =
//       (*engine)->ScanText(text, divcheck::ScanOptions());
//
// The pipeline: Document (UTF-8 check, NFC, case folding, tokens,
// sentences) → language → TermMatcher (lexicon tries and one RE2::Set pass)
// → context preparation (disclaimers, positive action, document flags) →
// TitleGenderMarker → CodedWording → ContextFilter (negation, quotes,
// modifiers) → spans, highlights → scoring.
//
// An Engine is safe for concurrent use by any number of threads: each scan
// takes a reference to the current immutable LexiconSet, and
// ReloadLexicons() swaps in a new set atomically — a scan sees either the
// old set or the new one, never a mixture. The engine knows nothing of gRPC,
// HTTP or JSON.
#ifndef DIVCHECK_ANALYZERS_ENGINE_H_
#define DIVCHECK_ANALYZERS_ENGINE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analyzers/lexicon.h"
#include "divcheck/v1/form.pb.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck {

// The default limit on one input: 1 MiB of UTF-8.
constexpr size_t kDefaultMaxInputBytes = 1 << 20;
// The default limit on the findings (and on the highlights) one report
// lists.
constexpr size_t kDefaultMaxFindings = 500;

struct EngineOptions {
  // Directory holding the lexicon files (searched recursively).
  std::string lexicon_dir;
  // Inputs longer than this are rejected before any work.
  size_t max_input_bytes = kDefaultMaxInputBytes;
  // A report lists at most this many findings (the most severe ones) and
  // this many highlights, and says how many it left out
  // (Report.findings_capped, omitted_finding_count,
  // omitted_highlight_count). Bounds the size of a response: without it,
  // 1 MiB of "jung " gives 200,000 findings.
  size_t max_findings = kDefaultMaxFindings;
};

// Limits of one application form (ScanForm).
inline constexpr size_t kMaxFormFields = 1000;
inline constexpr size_t kMaxFieldOptions = 10000;

// One candidate finding of a traced scan (ScanOptions::trace): where it
// matched, the severity its rule gave it, what context did to it, and
// whether the report has it.
struct TraceEntry {
  std::string rule_id;
  // Byte offsets into the scanned text.
  uint32_t byte_begin = 0;
  uint32_t byte_end = 0;
  std::string matched_text;
  v1::Severity initial_severity = v1::SEVERITY_UNSPECIFIED;
  v1::Severity final_severity = v1::SEVERITY_UNSPECIFIED;
  bool reported = false;
  // In order, e.g. "softened WARNING → HINT: context rule 1 of the entry
  // found a cue in the same sentence (\"kunden\", …)".
  std::vector<std::string> steps;
};

struct ScanOptions {
  // "" detects the language; otherwise "de" or "en".
  std::string language;
  // Rule ids whose findings and highlights the report leaves out. Their
  // candidates are dropped before context is applied (so they cannot hide
  // a contained finding of another rule), and the report is capped and
  // scored over what is left. Ids the lexicons do not know are ignored
  // here (api/ refuses them).
  absl::flat_hash_set<std::string> disabled_rules;
  // When not empty, only findings and highlights of these rules are kept.
  // A rule in both sets is left out.
  absl::flat_hash_set<std::string> only_rules;
  // Findings whose final severity (after context) is below this are left
  // out before capping and scoring. Highlights are kept.
  v1::Severity min_severity = v1::SEVERITY_UNSPECIFIED;
  // RELIGIOUS sets the "church_employer" document flag (§ 9 AGG: the
  // religion rules' SCOPE_DOCUMENT modifiers lower them and add their
  // note); PRIVATE and PUBLIC clear it even when the text names a church
  // body; UNSPECIFIED and TENDENCY leave it to the text. ScanForm takes the
  // employer type from its request instead.
  v1::EmployerType employer = v1::EMPLOYER_TYPE_UNSPECIFIED;
  // The gender-fair form whose job-title replacement comes first
  // (TitleReplacements); UNSPECIFIED keeps the default order.
  v1::GenderForm gender_form = v1::GENDER_FORM_UNSPECIFIED;
  // Polled between analyzers and every few thousand steps inside the
  // context filter; a scan that sees true returns CANCELLED at once.
  std::function<bool()> is_cancelled;
  // When set, receives every candidate finding in document order, with the
  // steps that kept, changed or dropped it (`divcheck scan --trace`). Costs
  // nothing when null.
  std::vector<TraceEntry>* trace = nullptr;
};

class Engine {
 public:
  // Loads the lexicons. Returns the LexiconSet::Load error (INVALID_ARGUMENT
  // with every problem appended to `problems`, NOT_FOUND for a missing
  // directory).
  static absl::StatusOr<std::unique_ptr<Engine>> Create(
      const EngineOptions& options,
      std::vector<LexiconProblem>* problems = nullptr);

  // An engine over an already loaded set (used by tests and benchmarks).
  Engine(const EngineOptions& options, std::shared_ptr<const LexiconSet> set);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Scans `text` (UTF-8). Errors: INVALID_ARGUMENT for invalid UTF-8 (the
  // message names the byte offset), input over the size limit, or an
  // unsupported language; FAILED_PRECONDITION when no lexicon is loaded for
  // the language; CANCELLED when options.is_cancelled() turned true.
  // An empty text, one without words, or (when the language is detected)
  // one in a language without rules is not an error: the report's
  // `coverage` says so and it has no score or grade (report.proto).
  absl::StatusOr<v1::Report> ScanText(absl::string_view text,
                                      const ScanOptions& options) const;
  // The same into `out`, which is cleared first. Reusing one Report for
  // many scans (a batch, a worker thread) lets protobuf keep the strings and
  // messages of the previous report, so the next one costs few allocations.
  absl::Status ScanTextInto(absl::string_view text, const ScanOptions& options,
                            v1::Report* out) const;

  // Audits an application form: every field against the form-field rules
  // (form_fields.h), the instructions through ScanText, and the
  // anonymisation readiness. The language is request.language_code() or,
  // when empty, detected from the labels and instructions;
  // options.language is not used. The request is expected to be validated
  // (api::ValidateFormRequest); the engine checks only its own bounds.
  // Errors: INVALID_ARGUMENT for more than kMaxFormFields fields, more than
  // kMaxFieldOptions options in a field, more than max_input_bytes of text,
  // an unsupported language or invalid UTF-8 in the instructions;
  // FAILED_PRECONDITION when no lexicon is loaded for the language; CANCELLED
  // when options.is_cancelled() turned true.
  absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request, const ScanOptions& options) const;

  // Loads the lexicon directory again and swaps the new set in. On error the
  // current set stays in use and the error (with `problems`) is returned.
  // A set that lacks a language or a file of the current one is refused
  // with FAILED_PRECONDITION (what it lacks goes to `lost`, which may be
  // null) unless `allow_shrink` is true.
  absl::Status ReloadLexicons(std::vector<LexiconProblem>* problems = nullptr,
                              bool allow_shrink = false,
                              LexiconLoss* lost = nullptr);

  // The set in use now.
  std::shared_ptr<const LexiconSet> lexicons() const;

  const EngineOptions& options() const { return options_; }

 private:
  EngineOptions options_;
  // Read and written only with std::atomic_load / std::atomic_store.
  std::shared_ptr<const LexiconSet> set_;
};

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_ENGINE_H_
