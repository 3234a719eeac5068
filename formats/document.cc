#include "formats/document.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "formats/readers.h"
#include "unicode/ucnv.h"

namespace divcheck::formats {
namespace {

constexpr char kWhatWeRead[] =
    "not a document divcheck reads (text, HTML, .docx, .odt, PDF)";

// Magic bytes of files people may pick by mistake, and what they are.
// `binary`: the prefix is printable, so a text could start with it too;
// it counts only when a NUL byte follows soon.
// The prefix keeps its NUL bytes (its length comes from the array).
struct Magic {
  template <size_t N>
  constexpr Magic(const char (&p)[N], const char* k, bool b = false)
      : prefix(p, N - 1), kind(k), binary(b) {}
  absl::string_view prefix;
  const char* kind;
  bool binary;
};
const Magic kMagics[] = {
    {"\x89PNG\r\n\x1a\n", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF87a", "a GIF image", true},
    {"GIF89a", "a GIF image", true},
    {"BM", "a BMP image", true},
    {"II*\0", "a TIFF image"},
    {"MM\0*", "a TIFF image"},
    {"\0\0\1\0", "an icon (.ico)"},
    {"MZ", "a Windows program (.exe or .dll)", true},
    {"\x7F"
     "ELF",
     "a program or library (ELF)"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
     "an old Word or Excel file (.doc/.xls); save it as .docx or PDF"},
    {"{\\rtf", "an RTF document; save it as .docx, .odt or PDF"},
    {"%!PS", "a PostScript file"},
    {"\x1F\x8B", "a gzip archive"},
    {"BZh", "a bzip2 archive", true},
    {"\xFD"
     "7zXZ\0",
     "an xz archive"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"Rar!\x1A\x07", "a RAR archive"},
    {"PK\x05\x06", "an empty zip archive"},
    {"\0asm", "a WebAssembly module"},
    {"SQLite format 3\0", "an SQLite database"},
    {"ID3", "an MP3 audio file", true},
    {"OggS", "an Ogg audio or video file", true},
    {"fLaC", "a FLAC audio file", true},
    {"\x1A\x45\xDF\xA3", "a Matroska/WebM video"},
    {"wOFF", "a web font", true},
    {"wOF2", "a web font", true},
};

bool HasRiffKind(absl::string_view b, absl::string_view kind) {
  return b.size() >= 12 && absl::StartsWith(b, "RIFF") &&
         b.substr(8, 4) == kind;
}

absl::Status NotADocument(absl::string_view kind) {
  return absl::InvalidArgumentError(
      absl::StrCat("this looks like ", kind, ", ", kWhatWeRead));
}

// Text with NUL bytes or many control characters is binary data, whatever
// its bytes decode to.
bool LooksBinary(absl::string_view utf8) {
  size_t controls = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const unsigned char c = utf8[i];
    if (c == 0) return true;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
         c != '\v') ||
        c == 0x7F) {
      ++controls;
    } else if (c == 0xC2 && i + 1 < utf8.size() &&
               static_cast<unsigned char>(utf8[i + 1]) < 0xA0) {
      ++controls;  // C1 control (U+0080–U+009F)
    }
  }
  return controls > 8 && controls * 100 > utf8.size();
}

// The format a media type names, and its charset parameter.
absl::StatusOr<DocumentFormat> FormatOfMediaType(absl::string_view media_type,
                                                 std::string* charset) {
  std::string type = absl::AsciiStrToLower(media_type);
  const size_t semi = type.find(';');
  if (semi != std::string::npos) {
    absl::string_view params = absl::string_view(type).substr(semi + 1);
    const size_t at = params.find("charset=");
    if (at != absl::string_view::npos) {
      absl::string_view v = params.substr(at + 8);
      v = v.substr(0, v.find(';'));
      v = absl::StripAsciiWhitespace(v);
      v = absl::StripPrefix(absl::StripSuffix(v, "\""), "\"");
      *charset = std::string(v);
    }
    type.resize(semi);
  }
  absl::string_view t = absl::StripAsciiWhitespace(type);
  if (t == "text/plain") return DocumentFormat::kText;
  if (t == "text/html" || t == "application/xhtml+xml") {
    return DocumentFormat::kHtml;
  }
  if (t == "application/pdf") return DocumentFormat::kPdf;
  if (t ==
      "application/vnd.openxmlformats-officedocument.wordprocessingml."
      "document") {
    return DocumentFormat::kDocx;
  }
  if (t == "application/vnd.oasis.opendocument.text") {
    return DocumentFormat::kOdt;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "media type \"", t,
      "\" is not one divcheck reads (text/plain, text/html, application/pdf, "
      "the .docx and .odt types)"));
}

// The format of `bytes` from its content; errors for non-documents.
absl::StatusOr<DocumentFormat> Sniff(absl::string_view bytes) {
  if (bytes.substr(0, 1024).find("%PDF-") != absl::string_view::npos) {
    return DocumentFormat::kPdf;
  }
  if (absl::StartsWith(bytes, "PK\x03\x04")) return ZipKind(bytes);
  const std::string kind = NonDocumentKind(bytes);
  if (!kind.empty()) return NotADocument(kind);
  return DocumentFormat::kText;  // or HTML: decided after decoding
}

// A soft hyphen marks where a word may break; in extracted text it is not
// a character of the word.
void DropSoftHyphens(std::string* text) {
  if (text->find("\xC2\xAD") == std::string::npos) return;
  absl::StrReplaceAll({{"\xC2\xAD", ""}}, text);
}

absl::StatusOr<ExtractedText> ReadTextOrHtml(absl::string_view bytes,
                                             const std::string& encoding,
                                             bool forced, DocumentFormat format,
                                             const ReadOptions& options) {
  ExtractedText out;
  const bool html = format == DocumentFormat::kHtml ||
                    (!forced && LooksLikeHtml(bytes.substr(0, 4096)));
  const auto binary = [] {
    return NotADocument(
        "binary data (if it is UTF-16 text without a byte order mark, save "
        "it with one)");
  };
  // Bytes with NULs or many control characters are no single-byte or UTF-8
  // text; UTF-16 (with its NULs) is checked once decoded.
  const bool utf16_bom = absl::StartsWith(bytes, "\xFF\xFE") ||
                         absl::StartsWith(bytes, "\xFE\xFF");
  const bool bytes_checked = encoding.empty() && !utf16_bom;
  if (bytes_checked && LooksBinary(bytes)) return binary();
  ASSIGN_OR_RETURN(std::string text,
                   DecodeText(bytes, encoding, html, &out.encoding));
  // UTF-8 input decodes to the same bytes, already checked above.
  if (!(bytes_checked && absl::string_view(text) == bytes) &&
      LooksBinary(text)) {
    return binary();
  }
  if (html || (!forced && LooksLikeHtml(text.substr(0, 4096)))) {
    out.format = DocumentFormat::kHtml;
    ASSIGN_OR_RETURN(out.text, HtmlText(text, options, &out.element_paths));
    DropSoftHyphens(&out.text);
    return out;
  }
  if (text.size() > options.max_text_bytes) {
    return TextTooLarge(options.max_text_bytes);
  }
  out.format = DocumentFormat::kText;
  out.text = std::move(text);
  return out;
}

}  // namespace

const char* FormatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kText:
      return "text";
    case DocumentFormat::kHtml:
      return "html";
    case DocumentFormat::kDocx:
      return "docx";
    case DocumentFormat::kOdt:
      return "odt";
    case DocumentFormat::kPdf:
      return "pdf";
  }
  return "text";
}

absl::Status CheckMediaType(absl::string_view media_type) {
  if (media_type.empty()) return absl::OkStatus();
  std::string charset;
  RETURN_IF_ERROR(FormatOfMediaType(media_type, &charset).status());
  if (charset.empty()) return absl::OkStatus();
  return CheckEncoding(charset);
}

absl::Status CheckEncoding(absl::string_view name) {
  UErrorCode error = U_ZERO_ERROR;
  const std::string n(name);
  UConverter* conv = n.empty() ? nullptr : ucnv_open(n.c_str(), &error);
  if (conv != nullptr) ucnv_close(conv);
  if (conv == nullptr || U_FAILURE(error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown encoding \"", absl::CHexEscape(name.substr(0, 64)),
        "\" (names such as utf-8, utf-16, windows-1252, latin-1, "
        "ISO-8859-15)"));
  }
  return absl::OkStatus();
}

std::string NonDocumentKind(absl::string_view bytes) {
  const bool has_nul =
      bytes.substr(0, 512).find('\0') != absl::string_view::npos;
  for (const Magic& m : kMagics) {
    if (absl::StartsWith(bytes, m.prefix) && (!m.binary || has_nul)) {
      return m.kind;
    }
  }
  if (HasRiffKind(bytes, "WEBP")) return "a WebP image";
  if (HasRiffKind(bytes, "WAVE")) return "a WAV audio file";
  if (HasRiffKind(bytes, "AVI ")) return "an AVI video";
  if (bytes.size() >= 12 && bytes.substr(4, 4) == "ftyp") {
    return "an MP4/MOV video or HEIC image";
  }
  return "";
}

absl::Status TextTooLarge(size_t max_bytes) {
  return absl::OutOfRangeError(
      absl::StrCat("the extracted text is over ", max_bytes,
                   " bytes, the limit for extracted text"));
}

absl::Status TextOutput::Append(absl::string_view s) {
  if (text_.size() + s.size() > max_bytes_) return TextTooLarge(max_bytes_);
  text_.append(s.data(), s.size());
  return absl::OkStatus();
}

absl::Status TextOutput::EndLine() {
  if (text_.empty() || text_.back() == '\n') return absl::OkStatus();
  while (!text_.empty() && (text_.back() == ' ' || text_.back() == '\t')) {
    text_.pop_back();
  }
  return Append("\n");
}

absl::StatusOr<ExtractedText> ReadDocument(absl::string_view bytes,
                                           const ReadOptions& options) {
  // poppler, libxml2 and ICU take int lengths.
  if (bytes.size() > options.max_input_bytes || bytes.size() > (1u << 30)) {
    return absl::OutOfRangeError(absl::StrCat(
        "the file is ", bytes.size(), " bytes; the limit is ",
        std::min<size_t>(options.max_input_bytes, 1u << 30), " bytes"));
  }
  std::string encoding = options.encoding;
  const bool forced = !options.media_type.empty();
  DocumentFormat format = DocumentFormat::kText;
  if (forced) {
    std::string charset;
    ASSIGN_OR_RETURN(format, FormatOfMediaType(options.media_type, &charset));
    if (encoding.empty()) encoding = charset;
  } else {
    ASSIGN_OR_RETURN(format, Sniff(bytes));
  }
  if (format == DocumentFormat::kText || format == DocumentFormat::kHtml) {
    return ReadTextOrHtml(bytes, encoding, forced, format, options);
  }
  ExtractedText out;
  out.format = format;
  out.encoding = "UTF-8";
  if (format == DocumentFormat::kPdf) {
    ASSIGN_OR_RETURN(out.text, PdfText(bytes, options));
  } else if (format == DocumentFormat::kDocx) {
    ASSIGN_OR_RETURN(out.text, DocxText(bytes, options));
  } else {
    ASSIGN_OR_RETURN(out.text, OdtText(bytes, options));
  }
  DropSoftHyphens(&out.text);
  return out;
}

}  // namespace divcheck::formats
