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

// The summary of `results` (in input order), without the timing fields.
AuditSummary Summarize(const std::vector<AuditResult>& results);

// The summary for a person: shares, dimensions, top rules, histogram and
// the worst ads.
std::string FormatSummaryText(const AuditSummary& summary);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_SUMMARY_H_
