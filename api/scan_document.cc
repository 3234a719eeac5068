// ScanApi::ScanDocument: a document's bytes → its text → a report.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/errors.h"
#include "api/scan_api.h"
#include "base/status_macros.h"
#include "formats/document.h"

namespace divcheck::api {
namespace {

// The longest file_name accepted.
constexpr size_t kMaxFileNameBytes = 1024;

// The checks of the ScanDocumentRequest's own fields (not the options').
void CheckDocumentFields(const v1::ScanDocumentRequest& request,
                         size_t max_bytes,
                         std::vector<FieldViolation>* violations,
                         std::map<std::string, std::string>* metadata) {
  if (request.content().size() > max_bytes) {
    violations->push_back(
        {"content",
         absl::StrCat("content is ", request.content().size(),
                      " bytes; the limit is ", max_bytes,
                      " bytes (checked before the document is read)"),
         "DOCUMENT_TOO_LARGE"});
    (*metadata)["max_text_bytes"] = absl::StrCat(max_bytes);
  } else if (request.content().empty()) {
    violations->push_back({"content",
                           "content is empty; send the bytes of the document",
                           "EMPTY_DOCUMENT"});
  }
  if (absl::Status s = formats::CheckMediaType(request.content_type());
      !s.ok()) {
    violations->push_back({"content_type",
                           absl::StrCat("content_type: ", s.message()),
                           "UNSUPPORTED_CONTENT_TYPE"});
  }
  if (request.file_name().size() > kMaxFileNameBytes) {
    violations->push_back(
        {"file_name",
         absl::StrCat("file_name is ", request.file_name().size(),
                      " bytes; the limit is ", kMaxFileNameBytes, " bytes"),
         "INVALID_FILE_NAME"});
  }
  if (!request.options().text().empty()) {
    violations->push_back(
        {"options.text",
         "options.text must be empty: the text is read from content (use "
         "ScanText to scan a text)",
         "TEXT_WITH_CONTENT"});
  }
}

// ReadDocument's errors with their reasons.
absl::Status ReadError(const absl::Status& s, size_t max_bytes) {
  switch (s.code()) {
    case absl::StatusCode::kOutOfRange:
      // INVALID_ARGUMENT, not RESOURCE_EXHAUSTED: the same document fails
      // again (HTTP 400, not 429, which clients retry).
      return InvalidRequest(
          {{"content", std::string(s.message()), "EXTRACTED_TOO_LARGE"}},
          {{"max_text_bytes", absl::StrCat(max_bytes)}});
    case absl::StatusCode::kInvalidArgument:
      return InvalidRequest(
          {{"content", std::string(s.message()), "UNSUPPORTED_DOCUMENT"}});
    default:
      return s;
  }
}

}  // namespace

void AddElementPaths(const formats::ElementPaths& paths, v1::Report* report) {
  if (paths.empty()) return;
  for (v1::Finding& f : *report->mutable_findings()) {
    f.set_element_path(paths.PathAt(f.span().start_byte()));
  }
  for (v1::Highlight& h : *report->mutable_highlights()) {
    h.set_element_path(paths.PathAt(h.span().start_byte()));
  }
}

absl::StatusOr<v1::ScanDocumentResponse> ScanApi::ScanDocument(
    const v1::ScanDocumentRequest& request, const CallControl& call) const {
  // Every field first, the size before anything is read.
  std::vector<FieldViolation> violations;
  std::map<std::string, std::string> metadata;
  CheckDocumentFields(request, max_text_bytes_, &violations, &metadata);
  v1::ScanTextRequest scan = request.options();
  scan.clear_text();
  for (FieldViolation& v : CheckScanRequest(scan, Utf8::kVerified, &metadata)) {
    v.field = absl::StrCat("options.", v.field);
    violations.push_back(std::move(v));
  }
  if (!violations.empty()) return InvalidRequest(violations, metadata);

  formats::ReadOptions read;
  read.media_type = request.content_type();
  read.max_input_bytes = max_text_bytes_;
  read.max_text_bytes = max_text_bytes_;
  absl::StatusOr<formats::ExtractedText> doc =
      formats::ReadDocument(request.content(), read);
  if (!doc.ok()) return ReadError(doc.status(), max_text_bytes_);

  v1::ScanDocumentResponse response;
  scan.set_text(std::move(doc->text));
  RETURN_IF_ERROR(
      ScanChecked(scan, call, "content", response.mutable_report()));
  AddElementPaths(doc->element_paths, response.mutable_report());
  response.set_extracted_text(std::move(*scan.mutable_text()));
  response.set_detected_format(formats::FormatName(doc->format));
  response.set_detected_encoding(doc->encoding);
  response.set_request_id(scan.request_id());
  return response;
}

}  // namespace divcheck::api
