#include "clients/cli/audit_output.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/csv_table.h"
#include "divcheck/v1/report.pb.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {
namespace {

// The dimensions' names without their prefix, in enum order.
const std::vector<std::string>& DimensionNames() {
  static const std::vector<std::string>* names = [] {
    auto* out = new std::vector<std::string>;
    const auto* d = v1::Dimension_descriptor();
    for (int i = 0; i < d->value_count(); ++i) {
      if (d->value(i)->number() == 0) continue;
      std::string name = d->value(i)->name();
      out->push_back(name.substr(name.find('_') + 1));
    }
    return out;
  }();
  return *names;
}

constexpr const char* kFirstColumns[] = {"id",       "score",    "grade",
                                         "coverage", "language", "critical",
                                         "warnings", "hints"};
constexpr const char* kLastColumns[] = {"rule_ids", "date", "category",
                                        "error"};

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

absl::StatusOr<AuditResult> FromCsv(const std::vector<std::string>& header,
                                    const std::vector<std::string>& fields) {
  AuditResult r;
  for (size_t i = 0; i < header.size() && i < fields.size(); ++i) {
    const std::string& h = header[i];
    const std::string& v = fields[i];
    uint32_t n = 0;
    const bool number = absl::SimpleAtoi(v, &n);
    if (h == "id") r.set_id(v);
    if (h == "score" && number) r.set_score(n);
    if (h == "grade") r.set_grade(v);
    if (h == "coverage") r.set_coverage(v);
    if (h == "language") r.set_language(v);
    if (h == "critical" && number) r.set_critical(n);
    if (h == "warnings" && number) r.set_warnings(n);
    if (h == "hints" && number) r.set_hints(n);
    if (h == "date") r.set_date(v);
    if (h == "category") r.set_category(v);
    if (h == "error") r.set_error(v);
    if (h == "rule_ids") {
      for (absl::string_view id : absl::StrSplit(v, ' ', absl::SkipEmpty())) {
        r.add_rule_ids(std::string(id));
      }
    }
    for (const std::string& d : DimensionNames()) {
      if (h == d && number && n > 0)
        (*r.mutable_findings_by_dimension())[d] = n;
    }
  }
  if (fields.size() != header.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "has ", fields.size(), " fields, the header ", header.size()));
  }
  return r;
}

}  // namespace

std::string CsvHeaderLine() {
  std::vector<std::string> columns(std::begin(kFirstColumns),
                                   std::end(kFirstColumns));
  for (const std::string& d : DimensionNames()) columns.push_back(d);
  columns.insert(columns.end(), std::begin(kLastColumns),
                 std::end(kLastColumns));
  return absl::StrCat(absl::StrJoin(columns, ","), "\n");
}

std::string ResultLine(const AuditResult& r, ResultFormat format) {
  if (format == ResultFormat::kJsonLines) {
    google::protobuf::util::JsonPrintOptions print;
    print.always_print_primitive_fields = true;
    std::string line;
    (void)google::protobuf::util::MessageToJsonString(r, &line, print);
    line += '\n';
    return line;
  }
  std::vector<std::string> f = {
      CsvField(OneLine(r.id())),  absl::StrCat(r.score()),
      CsvField(r.grade()),        CsvField(r.coverage()),
      CsvField(r.language()),     absl::StrCat(r.critical()),
      absl::StrCat(r.warnings()), absl::StrCat(r.hints())};
  for (const std::string& d : DimensionNames()) {
    auto it = r.findings_by_dimension().find(d);
    f.push_back(
        absl::StrCat(it == r.findings_by_dimension().end() ? 0 : it->second));
  }
  f.push_back(CsvField(absl::StrJoin(r.rule_ids(), " ")));
  f.push_back(CsvField(OneLine(r.date())));
  f.push_back(CsvField(OneLine(r.category())));
  f.push_back(CsvField(OneLine(r.error())));
  return absl::StrCat(absl::StrJoin(f, ","), "\n");
}

absl::StatusOr<PreviousResults> ParseResults(const std::string& content,
                                             ResultFormat format) {
  PreviousResults out;
  const size_t last = content.rfind('\n');
  out.whole_bytes = last == std::string::npos ? 0 : last + 1;
  const absl::string_view whole(content.data(), out.whole_bytes);
  if (format == ResultFormat::kJsonLines) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    size_t number = 0;
    for (absl::string_view line : absl::StrSplit(whole, '\n')) {
      ++number;
      if (line.empty()) continue;
      AuditResult r;
      if (!google::protobuf::util::JsonStringToMessage(std::string(line), &r,
                                                       options)
               .ok() ||
          r.id().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", number, " is not a result of divcheck audit"));
      }
      out.results.push_back(std::move(r));
    }
    return out;
  }
  std::vector<std::string> header;
  absl::Status bad;
  absl::Status parsed = ParseCsv(
      whole, ',', [&](std::vector<std::string>& fields, size_t number) {
        if (number == 1) {
          header = fields;
          out.has_header = true;
          if (header.empty() || header[0] != "id") {
            bad = absl::InvalidArgumentError(
                "line 1 is not the header of divcheck audit's CSV");
          }
          return bad.ok();
        }
        absl::StatusOr<AuditResult> r = FromCsv(header, fields);
        if (!r.ok()) {
          bad = absl::InvalidArgumentError(absl::StrCat(
              "line ", number, " is not a result of divcheck audit (",
              r.status().message(), ")"));
          return false;
        }
        out.results.push_back(*std::move(r));
        return true;
      });
  if (!parsed.ok()) return parsed;
  if (!bad.ok()) return bad;
  return out;
}

}  // namespace divcheck::cli
