// The per-ad result and the summary of `divcheck audit`
// (proto/divcheck/cli/audit.proto), made from reports. Plain functions of
// their inputs; thread-compatible.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_SUMMARY_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_SUMMARY_H_

#include <string>
#include <vector>

#include "divcheck/cli/audit.pb.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck::cli {

// The result line of the ad `id` scanned into `report`.
AuditResult ResultOf(const std::string& id, const v1::Report& report);

// The result line of an ad that could not be read or scanned.
AuditResult ErrorResult(const std::string& id, const std::string& error);

// The findings of `report` as AuditResult.findings (for the worst ads).
void AddFindings(const v1::Report& report, AuditResult* result);

// The month of a date as "YYYY-MM": dates like "2026-03-15",
// "2026-03-15T10:00:00Z", "2026/03/15", "2026-03" and "15.03.2026"; "" for
// anything else.
std::string MonthOf(const std::string& date);

// The summary of `results` (in input order), without the timing fields.
// Months are summarised when any result has a date, categories when any
// has a category.
AuditSummary Summarize(const std::vector<AuditResult>& results);

// The summary for a person: shares, dimensions, top rules, histogram and
// the worst ads.
std::string FormatSummaryText(const AuditSummary& summary);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_SUMMARY_H_
