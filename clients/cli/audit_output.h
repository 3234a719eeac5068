// The per-ad results of `divcheck audit` in its --output file: JSON lines
// (AuditResult as proto3 JSON, one per line) or CSV (a header, then one
// record per ad; line breaks inside fields become spaces, so that every
// record is one line). And reading such a file back for --resume.
//
// Plain functions; thread-safe.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_OUTPUT_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "divcheck/cli/audit.pb.h"

namespace divcheck::cli {

enum class ResultFormat { kJsonLines, kCsv };

// The CSV header line: id, score, grade, coverage, language, critical,
// warnings, hints, one column per dimension (AGE, GENDER, …: warning and
// critical findings), rule_ids (space-separated), date, category, error.
std::string CsvHeaderLine();

// One result as a line of the format, with its "\n".
std::string ResultLine(const AuditResult& result, ResultFormat format);

struct PreviousResults {
  std::vector<AuditResult> results;
  // The bytes of the file that hold whole lines; a last line without its
  // "\n" (a write cut off) is not in results and should be cut off.
  size_t whole_bytes = 0;
  bool has_header = false;  // CSV: the header line is there
};

// The results in `content`, an --output file of `format` written before.
// INVALID_ARGUMENT naming the line when a whole line is not a result.
absl::StatusOr<PreviousResults> ParseResults(const std::string& content,
                                             ResultFormat format);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_OUTPUT_H_
