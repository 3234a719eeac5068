#include "clients/cli/csv_table.h"

#include <csv.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace divcheck::cli {
namespace {

struct ParseState {
  const std::function<bool(std::vector<std::string>&, size_t)>* on_record;
  std::vector<std::string> fields;
  size_t number = 0;
  bool stop = false;
};

void OnField(void* data, size_t size, void* state) {
  auto* s = static_cast<ParseState*>(state);
  s->fields.emplace_back(static_cast<const char*>(data), size);
}

void OnRecord(int, void* state) {
  auto* s = static_cast<ParseState*>(state);
  ++s->number;
  if (!s->stop && !(*s->on_record)(s->fields, s->number)) s->stop = true;
  s->fields.clear();
}

int IsSpace(unsigned char c) { return c == ' ' ? 1 : 0; }

}  // namespace

absl::Status ParseCsv(
    absl::string_view content, char delimiter,
    const std::function<bool(std::vector<std::string>&, size_t)>& on_record) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return absl::ResourceExhaustedError("cannot start the CSV parser");
  }
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  // libcsv trims spaces and tabs; a tab-delimited file keeps empty fields.
  if (delimiter == '\t') csv_set_space_func(&parser, IsSpace);
  ParseState state;
  state.on_record = &on_record;
  // In slices, so that on_record can stop a long parse early.
  constexpr size_t kSlice = size_t{1} << 20;
  absl::Status status;
  for (size_t at = 0; at < content.size() && !state.stop; at += kSlice) {
    const size_t n = std::min(kSlice, content.size() - at);
    if (csv_parse(&parser, content.data() + at, n, OnField, OnRecord, &state) !=
        n) {
      status = absl::InvalidArgumentError(
          absl::StrCat("record ", state.number + 1,
                       " is not valid CSV: ", csv_strerror(csv_error(&parser)),
                       " (a quote inside an unquoted field, or a quoted field "
                       "not closed?)"));
      break;
    }
  }
  if (status.ok() && !state.stop &&
      csv_fini(&parser, OnField, OnRecord, &state) != 0) {
    status = absl::InvalidArgumentError(
        absl::StrCat("record ", state.number + 1,
                     " is not valid CSV: a quoted field is not closed"));
  }
  csv_free(&parser);
  return status;
}

char GuessCsvDelimiter(absl::string_view content) {
  size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : content) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

std::string CsvField(absl::string_view value) {
  std::string out(csv_write(nullptr, 0, value.data(), value.size()), '\0');
  csv_write(out.data(), out.size(), value.data(), value.size());
  return out;
}

}  // namespace divcheck::cli
