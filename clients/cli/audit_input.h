// The inputs of `divcheck audit`: directories (every document file below
// them), JSON-lines files, CSV files, lists of files and single files, read
// into ads. See kAuditHelp (audit_command.cc) for what a user sees.
//
// Thread-compatible: ReadAds fills a caller's vector (parsing JSON lines on
// `jobs` threads of its own); it reads `interrupted` to stop early.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_INPUT_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_INPUT_H_

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace divcheck::cli {

struct Ad {
  std::string id;
  std::string text;
  std::string lang;
  std::string date;      // as given; "" when the input has none
  std::string category;  // as given; "" when the input has none
  std::string error;     // reading failed; the ad is not scanned
  // The file the ad was read from; "" for CSV and JSON-lines records.
  std::string file;
};

// The columns of CSV inputs, by header name (compared without case and
// surrounding spaces). id and text must exist; the others are read when
// the header has them, and must exist when given (`required_*`).
struct CsvColumns {
  std::string id = "id";
  std::string text = "text";
  std::string lang = "lang";
  std::string date = "date";
  std::string category = "category";
  bool required_lang = false;
  bool required_date = false;
  bool required_category = false;
  // 0: guessed from the header line (',', ';' or tab).
  char delimiter = 0;
};

struct AuditInputOptions {
  std::vector<std::string> inputs;
  // Files with one path per line (files-from), read after `inputs`.
  std::vector<std::string> lists;
  CsvColumns csv;
  size_t max_bytes = 0;  // the largest ad (extracted text) in bytes
  // Threads that parse JSON lines (the audit's workers; at least 1).
  int jobs = 1;
};

// Whether ReadAds reads `path` (inside a directory) as a document: .txt,
// .text, .htm, .html, .xhtml, .docx, .odt, .pdf, in any case; not hidden
// files or office lock files ("~$…", ".~lock…"). Hidden directories are
// not entered.
bool IsDocumentFileName(const std::string& path);

// Reads every input into *ads, in order (a directory's files sorted by
// path). An ad that cannot be read is an Ad with its error; an input that
// cannot be read at all (a missing JSON-lines file, a CSV without the id
// column) prints its error on standard error and makes the result false,
// the others are still read.
bool ReadAds(const AuditInputOptions& options,
             const std::atomic<bool>& interrupted, std::vector<Ad>* ads);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_INPUT_H_
