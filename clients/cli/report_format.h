// Rendering of reports for people (linter-style text) and programs (proto3
// JSON). Shared by every output path of the CLI, in-process or remote, so
// both give byte-identical output.
#ifndef DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_
#define DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck::cli {

struct TextStyle {
  bool color = false;
};

// `file:line:col: severity: message [rule-id]`, each followed by the
// suggestions, then a summary line with the score.
std::string FormatText(const std::string& source, const v1::Report& report,
                       const TextStyle& style);

// The report as one line of proto3 JSON (lowerCamelCase, enum names, all
// fields present), written directly.
std::string FormatJson(const v1::Report& report);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_REPORT_FORMAT_H_
