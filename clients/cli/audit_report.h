// The report files of `divcheck audit --report=FILE`: a self-contained HTML
// page (inline CSS, SVG charts drawn here, no scripts, no external
// resources; prints on A4) and the AuditSummary as proto3 JSON for
// dashboards. Every text taken from the input (ad ids, phrases,
// categories, file names) is HTML-escaped.
//
// Plain functions; thread-safe.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_REPORT_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_REPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "divcheck/cli/audit.pb.h"

namespace divcheck::cli {

// `text` with &, <, >, " and ' as character references.
std::string HtmlEscape(absl::string_view text);

struct ReportInfo {
  std::vector<std::string> inputs;  // as named on the command line
  std::string created;              // e.g. "2026-12-03 11:40 UTC"
};

// The HTML report of `summary`.
std::string HtmlReport(const AuditSummary& summary, const ReportInfo& info);

// The JSON report: `summary` as proto3 JSON (all fields, also zeros).
std::string JsonReport(const AuditSummary& summary);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_REPORT_H_
