// Rendering of reports for people (linter-style text) and programs (proto3
// JSON). Shared by every output path of the CLI, in-process or remote, so
// both give byte-identical output.
#ifndef DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_
#define DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/v1/form.pb.h"
#include "divcheck/v1/report.pb.h"
#include "google/protobuf/message.h"

namespace divcheck::cli {

struct TextStyle {
  bool color = false;
};

// `text` safe to print on a terminal: C0 control characters and DEL become
// `\xHH` (tab `\t`, line feed `\n`, carriage return `\r`), C1 controls
// (U+0080–U+009F, e.g. the single-character CSI U+009B) and the bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) become `\u{HHHH}`,
// so an escape sequence in a scanned text, a file name or a server's answer
// can neither restyle nor rewrite the terminal. Bytes that are not UTF-8 are
// written as `\xHH`. Everything else is copied unchanged. FormatText and
// FormatFormText pass every string they did not write themselves through it.
std::string EscapeForTerminal(absl::string_view text);

// `file:line:col: severity: message [rule-id]`, each followed by the
// suggestions, then a summary line with the score.
std::string FormatText(const std::string& source, const v1::Report& report,
                       const TextStyle& style);

// The report as one line of proto3 JSON (lowerCamelCase, enum names, all
// fields present), written directly.
std::string FormatJson(const v1::Report& report);
// Any message the same way (e.g. a ScanDocumentResponse for `divcheck scan
// --format=json --include-text`).
std::string FormatJsonMessage(const google::protobuf::Message& message);

// A form audit for people: one block per finding,
// `source#field_id: severity: message [rule-id]` (instructions findings as
// `source:instructions:line:col`), then the score and the anonymisation
// readiness with the changes needed.
std::string FormatFormText(const std::string& source,
                           const v1::ScanFormResponse& response,
                           const TextStyle& style);

// The ScanFormResponse as one line of proto3 JSON (protobuf's printer, all
// fields present).
std::string FormatFormJson(const v1::ScanFormResponse& response);

// Any message as proto3 JSON with every primitive field printed (protobuf's
// printer; the report itself has a faster writer above).
std::string ProtoJson(const google::protobuf::Message& message);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_
