// CSV reading and writing for `divcheck audit`, through libcsv (Debian's
// libcsv-dev), which handles RFC 4180 quoting: fields in double quotes may
// hold the delimiter, line breaks and doubled quotes (""). Parsing is strict:
// a quote inside an unquoted field or an unclosed quote is an error naming
// the record, never a silent misreading. Spaces and tabs around unquoted
// fields are dropped; blank lines are skipped.
//
// Plain functions; thread-safe (no shared state).
#ifndef DIVCHECK_CLIENTS_CLI_CSV_TABLE_H_
#define DIVCHECK_CLIENTS_CLI_CSV_TABLE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace divcheck::cli {

// Calls on_record(fields, number) for each record of `content` in order;
// `number` counts records from 1 (the header is record 1). Stops early,
// with OK, when on_record returns false. INVALID_ARGUMENT when the content
// is not CSV ("record 12 is not valid CSV: …").
absl::Status ParseCsv(absl::string_view content, char delimiter,
                      const std::function<bool(std::vector<std::string>& fields,
                                               size_t number)>& on_record);

// The delimiter a header line uses: the most frequent of ',', ';' and tab
// outside quotes (',' when none occurs). Spreadsheets in German locales
// write ';'.
char GuessCsvDelimiter(absl::string_view content);

// `value` as one CSV field: always in double quotes, quotes doubled.
std::string CsvField(absl::string_view value);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_CSV_TABLE_H_
