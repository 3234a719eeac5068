#include "clients/cli/extract_command.h"

#include <iostream>
#include <optional>
#include <string>

#include "clients/cli/command_line.h"
#include "clients/cli/command_support.h"
#include "formats/document.h"

namespace divcheck::cli {

const char kExtractHelp[] = R"(Usage: divcheck extract [options] FILE | -

Prints the text divcheck reads from FILE (`-` reads standard input): the
text whose lines, columns and offsets `divcheck scan` reports. The format is
found from the content: plain text (UTF-8, UTF-16 with a byte order mark,
Windows-1252/Latin-1), HTML, Word (.docx), OpenDocument (.odt) or PDF.

Options:
  --encoding=NAME        read text and HTML in this encoding (an ICU name:
                         UTF-8, UTF-16LE, windows-1252, ISO-8859-15, …)
                         instead of detecting it
  --media-type=TYPE      read FILE as this format (text/plain, text/html,
                         application/pdf, …) instead of sniffing it
  --print=text|format    text (default) prints the text; format prints only
                         the format and encoding found ("docx UTF-8",
                         "text windows-1252")

Exit status: 0 printed, 2 usage or input errors (a file that is no
document divcheck reads, a damaged or encrypted one, a limit passed).
)";

int ExtractCommand(int argc, char** argv) {
  CommandLine line;
  std::string encoding, media_type;
  std::string print = "text";
  line.Add("encoding", &encoding);
  line.Add("media-type", &media_type);
  line.Add("print", &print);
  if (std::optional<int> done =
          ParseCommandLine(&line, argc, argv, kExtractHelp)) {
    return *done;
  }
  if (print != "text" && print != "format") {
    return Usage("--print must be text or format, not \"" + print + "\"",
                 kExtractHelp);
  }
  if (line.positional().size() != 1) {
    return Usage("name one file, or - for standard input", kExtractHelp);
  }
  absl::StatusOr<formats::ExtractedText> doc = ReadDocumentInput(
      line.positional()[0], kDefaultMaxInputBytes * 4, encoding, media_type);
  if (!doc.ok()) {
    std::cerr << "divcheck: " << doc.status().message() << "\n";
    return kExitUsage;
  }
  if (print == "format") {
    std::cout << formats::FormatName(doc->format) << " " << doc->encoding
              << "\n";
  } else {
    std::cout << doc->text;
  }
  return kExitOk;
}

}  // namespace divcheck::cli
