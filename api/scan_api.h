// ScanApi: the operations of divcheck.v1.ScanService, free of gRPC.
//
// The gRPC adapter (scan_service.h) authenticates, calls one of these and
// converts; everything else — validating requests, calling the engine,
// building rule listings and lexicon descriptions — is here, so it can be
// tested without a server and reused by another transport.
//
//   ScanApi api(engine.get(), /*max_text_bytes=*/1 << 20);
//   CallControl call;
//   call.deadline = std::chrono::system_clock::now() + std::chrono::seconds(1);
//   absl::StatusOr<v1::Report> report = api.Scan(request, call);
//
// Errors are absl::Status with google.rpc details attached (api/errors.h):
// INVALID_ARGUMENT with a BadRequest listing every invalid field,
// FAILED_PRECONDITION (LANGUAGE_NOT_LOADED), DEADLINE_EXCEEDED, CANCELLED.
//
// A ScanApi is safe for concurrent use by any number of threads. It does not
// own the engine, which must outlive it; lexicon reloads of the engine are
// picked up by the next call.
#ifndef DIVCHECK_API_SCAN_API_H_
#define DIVCHECK_API_SCAN_API_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "analyzers/lexicon.h"
#include "api/errors.h"
#include "divcheck/v1/scan_service.pb.h"
#include "formats/document.h"

namespace divcheck::api {

// What a call allows: when it must be done and whether the caller still
// waits for it.
struct CallControl {
  std::chrono::system_clock::time_point deadline =
      std::chrono::system_clock::time_point::max();
  // True once the caller has gone away. May be empty.
  std::function<bool()> cancelled;
  // In-process callers only (`divcheck scan --trace`): receives every
  // candidate finding and what context did to it (ScanOptions::trace).
  std::vector<TraceEntry>* trace = nullptr;
};

// Whether the string fields of a request are known to be UTF-8: protobuf
// checks them when it parses a message, but divcheckd reads ScanText
// requests without that check (ParseScanTextRequest in scan_wire.h).
enum class Utf8 { kVerified, kUnchecked };

// Largest page a ListRules call returns, and the size of a page when the
// request does not say.
inline constexpr int kMaxRulesPageSize = 1000;
inline constexpr int kDefaultRulesPageSize = 50;
// Longest request_id echoed back.
inline constexpr size_t kMaxRequestIdBytes = 256;

// The wire form of one rule of the catalogue (ListRules' entries).
v1::Rule ToRuleMessage(const RuleInfo& rule);

// Sets element_path on each finding and highlight of `report` (scanned from
// a document's extracted text) to the element that holds its span's first
// byte; sets nothing when `paths` is empty (the document was not HTML).
// ScanDocument calls it, and so does the CLI for the files it reads.
void AddElementPaths(const formats::ElementPaths& paths, v1::Report* report);

class ScanApi {
 public:
  // REQUIRES: engine outlives the ScanApi.
  ScanApi(const Engine* engine, size_t max_text_bytes);

  ScanApi(const ScanApi&) = delete;
  ScanApi& operator=(const ScanApi&) = delete;

  // Checks the request (size first, before any other work), then scans
  // with its per-request options (api/scan_options.h).
  // Errors: INVALID_ARGUMENT listing every invalid field (TEXT_TOO_LARGE,
  // UNSUPPORTED_LANGUAGE, INVALID_DOCUMENT_KIND, INVALID_REQUEST_ID,
  // INVALID_UTF8, UNKNOWN_RULE, INVALID_RULE_FILTER, INVALID_SEVERITY,
  // INVALID_EMPLOYER_TYPE, UNSUPPORTED_REPORT_LANGUAGE — the last also after
  // the scan, when the detected language is not the report language asked
  // for); FAILED_PRECONDITION when no lexicon is loaded for the
  // language; DEADLINE_EXCEEDED when call.deadline passes before or during
  // the scan; CANCELLED when call.cancelled() turns true. With
  // Utf8::kUnchecked the string fields are also checked for UTF-8
  // (INVALID_UTF8 for text, UNSUPPORTED_LANGUAGE, INVALID_REQUEST_ID).
  absl::StatusOr<v1::Report> Scan(const v1::ScanTextRequest& request,
                                  const CallControl& call,
                                  Utf8 utf8 = Utf8::kVerified) const;
  // Scan() into *out, which is cleared first; a caller that keeps one Report
  // across calls saves the allocations of building a new one. On error *out
  // holds no meaningful report.
  absl::Status ScanInto(const v1::ScanTextRequest& request,
                        const CallControl& call, Utf8 utf8,
                        v1::Report* out) const;

  // Reads request.content as a document (formats/document.h: text in any
  // common encoding, HTML, .docx, .odt, PDF) and scans its text with
  // request.options as Scan() does. The response holds the extracted text
  // the report's offsets point into.
  // Limits: content at most max_text_bytes (checked before any reading,
  // with every other field: INVALID_ARGUMENT listing every problem —
  // DOCUMENT_TOO_LARGE, EMPTY_DOCUMENT, UNSUPPORTED_CONTENT_TYPE,
  // TEXT_WITH_CONTENT, INVALID_FILE_NAME and Scan()'s reasons for the
  // options, their fields named "options.language_code" …); while reading,
  // the extracted text at most max_text_bytes and the limits of
  // formats::ReadOptions (zip entries, XML depth, PDF pages):
  // INVALID_ARGUMENT (EXTRACTED_TOO_LARGE, field "content") naming the
  // limit. A file that
  // is no document divcheck reads, or a damaged or encrypted one:
  // INVALID_ARGUMENT (UNSUPPORTED_DOCUMENT, field "content") saying what it
  // looks like. Other errors as for Scan.
  absl::StatusOr<v1::ScanDocumentResponse> ScanDocument(
      const v1::ScanDocumentRequest& request, const CallControl& call) const;

  // Checks the form request (every problem in one BadRequest: reasons
  // INVALID_FORM, TEXT_TOO_LARGE, UNSUPPORTED_LANGUAGE, INVALID_REQUEST_ID),
  // then audits it with Engine::ScanForm. Other errors as for Scan.
  absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request, const CallControl& call) const;

  // One page of rules (AIP-158). Errors: INVALID_ARGUMENT listing every
  // invalid field (INVALID_PAGE_SIZE, UNSUPPORTED_LANGUAGE,
  // INVALID_DIMENSION, INVALID_PAGE_TOKEN).
  absl::StatusOr<v1::ListRulesResponse> ListRules(
      const v1::ListRulesRequest& request) const;

  // Whether `id` is the id of a rule ListRules lists (finding, highlight or
  // application-form rule of the lexicon set in use).
  bool IsRule(absl::string_view id) const;

  // The lexicon set in use. Never fails.
  v1::GetLexiconInfoResponse GetLexiconInfo() const;

  size_t max_text_bytes() const { return max_text_bytes_; }

  // The gender form used when a request leaves gender_form unspecified
  // (the server's default_gender_form). Set before the first scan; not
  // thread-safe against concurrent scans.
  void set_default_gender_form(v1::GenderForm form) {
    default_gender_form_ = form;
  }

 private:
  // Every rule of one lexicon set, sorted by rule id.
  struct RuleCatalog {
    std::shared_ptr<const LexiconSet> set;
    std::vector<v1::Rule> rules;
  };

  // Every problem of a ScanTextRequest (Scan()'s checks before the scan).
  // Adds "max_text_bytes" to *metadata for TEXT_TOO_LARGE.
  std::vector<FieldViolation> CheckScanRequest(
      const v1::ScanTextRequest& request, Utf8 utf8,
      std::map<std::string, std::string>* metadata) const;
  // Scans a checked request into *out. `field_prefix` "" names the text
  // field "text" and the options by their names; otherwise (ScanDocument)
  // the text is `field_prefix` and the options "options.…".
  absl::Status ScanChecked(const v1::ScanTextRequest& request,
                           const CallControl& call,
                           absl::string_view field_prefix,
                           v1::Report* out) const;

  // Whether `catalog` has a rule with this id.
  static bool HasRule(const RuleCatalog& catalog, absl::string_view id);

  // The catalog of `set`, built on first use after each reload.
  std::shared_ptr<const RuleCatalog> CatalogFor(
      std::shared_ptr<const LexiconSet> set) const;

  const Engine* engine_;
  const size_t max_text_bytes_;
  v1::GenderForm default_gender_form_ = v1::GENDER_FORM_UNSPECIFIED;
  mutable absl::Mutex catalog_mu_;
  mutable std::shared_ptr<const RuleCatalog> catalog_
      ABSL_GUARDED_BY(catalog_mu_);
};

}  // namespace divcheck::api

#endif  // DIVCHECK_API_SCAN_API_H_
