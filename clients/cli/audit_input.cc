#include "clients/cli/audit_input.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/command_support.h"
#include "clients/cli/csv_table.h"
#include "divcheck/cli/audit.pb.h"
#include "formats/document.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {
namespace {

// A catalogue may be large: up to 4 GiB of JSON lines per input, 1 GiB of
// CSV (the most formats::ReadDocument decodes).
constexpr size_t kMaxJsonLinesBytes = size_t{4} << 30;
constexpr size_t kMaxCsvBytes = size_t{1} << 30;

bool IsJsonLines(const std::string& path) {
  return path == "-" || absl::EndsWithIgnoreCase(path, ".jsonl") ||
         absl::EndsWithIgnoreCase(path, ".ndjson");
}

// The ad of one JSON line (`number` counts from 1); a line that is not an
// AuditInput becomes an ad with its error.
Ad ParseJsonLine(const std::string& name, absl::string_view line,
                 size_t number) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  AuditInput input;
  Ad ad;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &input, options);
  ad.id = input.id().empty() ? absl::StrCat(name, ":", number)
                             : std::move(*input.mutable_id());
  if (!parsed.ok()) {
    // protobuf's message continues with the line and a caret.
    const std::string why = parsed.message().as_string();
    ad.error = absl::StrCat("line ", number, " is not an ad as JSON (",
                            why.substr(0, why.find('\n')), ")");
  }
  ad.text = std::move(*input.mutable_text());
  ad.lang = std::move(*input.mutable_lang());
  ad.date = std::move(*input.mutable_date());
  ad.category = std::move(*input.mutable_category());
  return ad;
}

// One ad per non-empty line of `content`, in order, parsed on up to `jobs`
// threads (protobuf's JSON parser costs about a fifth of a scan per ad, so
// a catalogue's lines are parsed on every core the scan will use).
void ReadJsonLines(const std::string& name, const std::string& content,
                   int jobs, const std::atomic<bool>& interrupted,
                   std::vector<Ad>* ads) {
  struct Line {
    absl::string_view text;
    size_t number;
  };
  std::vector<Line> lines;
  size_t number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++number;
    if (!absl::StripAsciiWhitespace(line).empty()) {
      lines.push_back({line, number});
    }
  }
  const size_t first = ads->size();
  ads->resize(first + lines.size());
  // Each thread takes the next block of lines until none is left.
  constexpr size_t kBlock = 64;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      if (interrupted.load()) return;
      const size_t from = next.fetch_add(kBlock);
      if (from >= lines.size()) return;
      const size_t to = std::min(lines.size(), from + kBlock);
      for (size_t i = from; i < to; ++i) {
        (*ads)[first + i] = ParseJsonLine(name, lines[i].text, lines[i].number);
      }
    }
  };
  const size_t threads_wanted =
      std::min<size_t>(std::max(1, jobs), (lines.size() + kBlock - 1) / kBlock);
  std::vector<std::thread> threads;
  for (size_t t = 1; t < threads_wanted; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (interrupted.load()) {
    // Keep the lines read before the interrupt, in order, and drop the
    // rest (a parsed line always has an id).
    size_t kept = first;
    while (kept < ads->size() && !(*ads)[kept].id.empty()) ++kept;
    ads->resize(kept);
  }
}

std::string HeaderKey(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
}

// The index of each column of `columns` in the header; false (with the
// error printed) when a required column is missing.
struct CsvIndex {
  int id = -1, text = -1, lang = -1, date = -1, category = -1;
  size_t needed = 0;  // fields a record must have
};

bool IndexCsvHeader(const std::string& name, const CsvColumns& columns,
                    const std::vector<std::string>& header, CsvIndex* index) {
  std::map<std::string, int> by_name;
  for (size_t i = 0; i < header.size(); ++i) {
    by_name.emplace(HeaderKey(header[i]), static_cast<int>(i));
  }
  bool ok = true;
  auto find = [&](const std::string& column, const char* flag, bool required,
                  int* at) {
    auto it = by_name.find(HeaderKey(column));
    if (it != by_name.end()) {
      *at = it->second;
      index->needed = std::max<size_t>(index->needed, it->second + 1);
    } else if (required) {
      std::vector<std::string> quoted;
      for (const std::string& h : header) quoted.push_back("\"" + h + "\"");
      std::cerr << "divcheck: " << name << ": no column \"" << column
                << "\" (the header has " << absl::StrJoin(quoted, ", ")
                << "); name the column with --" << flag << "=NAME\n";
      ok = false;
    }
  };
  find(columns.id, "csv-id", true, &index->id);
  find(columns.text, "csv-text", true, &index->text);
  find(columns.lang, "csv-lang", columns.required_lang, &index->lang);
  find(columns.date, "csv-date", columns.required_date, &index->date);
  find(columns.category, "csv-category", columns.required_category,
       &index->category);
  return ok;
}

// One ad per record after the header; the id is "NAME:N" (N the record
// number, the header being 1) when the id field is empty.
bool ReadCsv(const std::string& path, const CsvColumns& columns,
             const std::atomic<bool>& interrupted, std::vector<Ad>* ads) {
  const std::string name = InputName(path);
  absl::StatusOr<std::string> bytes = ReadInputBytes(path, kMaxCsvBytes);
  if (!bytes.ok()) {
    std::cerr << "divcheck: " << bytes.status().message() << "\n";
    return false;
  }
  // Spreadsheets write UTF-8 with a BOM, UTF-16 or Windows-1252.
  formats::ReadOptions decode;
  decode.media_type = "text/plain";
  decode.max_input_bytes = kMaxCsvBytes;
  decode.max_text_bytes = 2 * kMaxCsvBytes;
  absl::StatusOr<formats::ExtractedText> text =
      formats::ReadDocument(*bytes, decode);
  bytes->clear();
  if (!text.ok()) {
    std::cerr << "divcheck: " << name << ": " << text.status().message()
              << "\n";
    return false;
  }
  const char delimiter = columns.delimiter != 0 ? columns.delimiter
                                                : GuessCsvDelimiter(text->text);
  CsvIndex index;
  bool header_ok = true;
  auto on_record = [&](std::vector<std::string>& fields, size_t number) {
    if (interrupted.load()) return false;
    if (number == 1) {
      header_ok = IndexCsvHeader(name, columns, fields, &index);
      return header_ok;
    }
    Ad ad;
    auto take = [&](int at, std::string* to) {
      if (at >= 0 && static_cast<size_t>(at) < fields.size()) {
        *to = std::move(fields[at]);
      }
    };
    take(index.id, &ad.id);
    if (ad.id.empty()) ad.id = absl::StrCat(name, ":", number);
    if (fields.size() < index.needed) {
      ad.error = absl::StrCat("record ", number, " has ", fields.size(),
                              " fields; the columns read need ", index.needed);
    }
    take(index.text, &ad.text);
    take(index.lang, &ad.lang);
    take(index.date, &ad.date);
    take(index.category, &ad.category);
    ads->push_back(std::move(ad));
    return true;
  };
  absl::Status parsed = ParseCsv(text->text, delimiter, on_record);
  if (!parsed.ok()) {
    std::cerr << "divcheck: " << name << ": " << parsed.message() << "\n";
    return false;
  }
  return header_ok;
}

void ReadFile(const std::string& path, const std::string& id, size_t max_bytes,
              std::vector<Ad>* ads) {
  absl::StatusOr<std::string> text = ReadInput(path, max_bytes);
  Ad ad;
  ad.id = id;
  ad.file = path;
  if (text.ok()) {
    ad.text = *std::move(text);
  } else {
    ad.error = std::string(text.status().message());
  }
  ads->push_back(std::move(ad));
}

bool ReadDirectory(const std::string& dir, size_t max_bytes,
                   std::vector<Ad>* ads) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();  // .git, .Trash, …
    } else if (it->is_regular_file(ec) && IsDocumentFileName(name)) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    ReadFile(f.string(), fs::relative(f, dir).string(), max_bytes, ads);
  }
  if (ec) {
    std::cerr << "divcheck: cannot list " << dir << ": " << ec.message()
              << "\n";
    return false;
  }
  return true;
}

}  // namespace

bool IsDocumentFileName(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.empty() || name[0] == '.' || absl::StartsWith(name, "~$")) {
    return false;
  }
  for (const char* ext :
       {".txt", ".text", ".htm", ".html", ".xhtml", ".docx", ".odt", ".pdf"}) {
    if (absl::EndsWithIgnoreCase(name, ext)) return true;
  }
  return false;
}

bool ReadAds(const AuditInputOptions& options,
             const std::atomic<bool>& interrupted, std::vector<Ad>* ads) {
  namespace fs = std::filesystem;
  bool ok = true;
  std::vector<std::string> listed;
  for (const std::string& list : options.lists) {
    absl::StatusOr<std::string> content = ReadInputBytes(list, 1 << 30);
    if (!content.ok()) {
      std::cerr << "divcheck: " << content.status().message() << "\n";
      ok = false;
      continue;
    }
    for (absl::string_view line : absl::StrSplit(*content, '\n')) {
      line = absl::StripTrailingAsciiWhitespace(line);
      if (!line.empty()) listed.emplace_back(line);
    }
  }
  for (const std::string& input : options.inputs) {
    if (interrupted.load()) break;
    std::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
      ok = ReadDirectory(input, options.max_bytes, ads) && ok;
    } else if (IsJsonLines(input)) {
      absl::StatusOr<std::string> content =
          ReadInput(input, kMaxJsonLinesBytes);
      if (!content.ok()) {
        std::cerr << "divcheck: " << content.status().message() << "\n";
        ok = false;
        continue;
      }
      ReadJsonLines(InputName(input), *content, options.jobs, interrupted, ads);
    } else if (absl::EndsWithIgnoreCase(input, ".csv")) {
      ok = ReadCsv(input, options.csv, interrupted, ads) && ok;
    } else {
      ReadFile(input, input, options.max_bytes, ads);
    }
  }
  for (const std::string& path : listed) {
    if (interrupted.load()) break;
    ReadFile(path, path, options.max_bytes, ads);
  }
  return ok;
}

}  // namespace divcheck::cli
