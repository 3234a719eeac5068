// Reading the files people have — plain text in UTF-8, UTF-16 (with a byte
// order mark) or Windows-1252/Latin-1, HTML pages, Word (.docx) and
// OpenDocument (.odt) documents and PDFs — as the UTF-8 text the engine
// scans.
//
//   absl::StatusOr<ExtractedText> doc = ReadDocument(bytes, ReadOptions());
//   engine.Scan(doc->text);   // offsets are into doc->text
//
// The format is found from the content (magic bytes, the zip's entries, a
// byte order mark, the first tag), not from a file name; ReadOptions can
// force it with a media type and force the text encoding. Plain UTF-8 text
// comes back byte for byte unchanged, so offsets into it are offsets into
// the file; for every other format they are offsets into the extracted text.
//
// What is extracted:
//   - text: decoded with ICU converters (a BOM names the encoding; text that
//     is not UTF-8 is detected with ICU's charset detector, else read as
//     Windows-1252, as browsers do); the BOM is dropped.
//   - HTML (gumbo): visible text; block elements (p, div, li, td, h1, br, …)
//     end a line, script/style/template/noscript and the head are dropped,
//     entities are decoded. ExtractedText::element_paths says which element
//     each part of the text came from (see ElementPaths).
//   - .docx: word/document.xml with its headers and footers; a line per
//     paragraph (list items and table cells are paragraphs), w:t text, w:tab
//     as a tab, w:br/w:cr as a line break, w:noBreakHyphen as "-",
//     w:softHyphen (an optional break, not a character) left out; deleted
//     text (w:delText), field codes and fallback copies are not read.
//   - .odt: content.xml and the headers and footers in styles.xml; a line
//     per text:p/text:h, text:s as spaces, text:tab, text:line-break.
//   - PDF (poppler): the text of each page in reading order, pages separated
//     by a form feed ("\f").
// Soft hyphens (U+00AD) are dropped from extracted text (not from plain
// text, which stays as it is).
//
// Limits, checked before and during the work (bounded memory and time):
// the input size, the extracted text size, each zip entry's uncompressed
// size (zip bombs), the XML nesting depth and the PDF page count. A file
// over one gets OUT_OF_RANGE naming the limit; a file that is not a
// document divcheck reads (an image, a program, an archive, an encrypted
// PDF, a damaged zip, binary data) gets INVALID_ARGUMENT naming what it
// looks like. Messages never quote the document's text.
//
// Thread-safe: ReadDocument keeps no state between calls.
#ifndef DIVCHECK_FORMATS_DOCUMENT_H_
#define DIVCHECK_FORMATS_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace divcheck::formats {

enum class DocumentFormat { kText, kHtml, kDocx, kOdt, kPdf };

// "text", "html", "docx", "odt" or "pdf".
const char* FormatName(DocumentFormat format);

struct ReadOptions {
  // A media type that forces the format ("text/plain", "text/html",
  // "application/pdf", "application/vnd.openxmlformats-officedocument.
  // wordprocessingml.document", "application/vnd.oasis.opendocument.text"),
  // optionally with "; charset=NAME". Empty: sniff the content.
  std::string media_type;
  // An ICU converter name ("windows-1252", "UTF-16LE", "ISO-8859-15", …)
  // that forces the encoding of text and HTML. Empty: detect it.
  std::string encoding;
  // At most 1 GiB is read whatever this says.
  size_t max_input_bytes = 16 << 20;
  // The largest extracted text (UTF-8 bytes).
  size_t max_text_bytes = 4 << 20;
  // The largest uncompressed size of one zip entry that is read.
  size_t max_zip_entry_bytes = 32 << 20;
  // The deepest XML element nesting in .docx/.odt parts.
  int max_xml_depth = 128;
  int max_pdf_pages = 500;
  // HTML: whether to fill ExtractedText::element_paths (false saves its
  // cost, docs/PERFORMANCE.md, when the paths are not wanted).
  bool element_paths = true;
};

// Which HTML element each part of an extracted text came from, as a CSS
// selector a browser resolves to that element with document.querySelector:
//
//   html > body > div#job.ad > ul > li:nth-of-type(3)
//
// A path starts at html and names each element from there with ">"
// (child). Each step is the tag name (lower case), then "#id" when the
// element has an id, then ".class" for each of its first three classes,
// then ":nth-of-type(N)" when its parent has more than one element of that
// tag (N counts from 1 among them). The id and classes are only there for
// people to read: the tags and nth-of-type alone pick the element, so a
// path holds even when ids repeat. Ids and classes are escaped as CSS.escape
// does; ids and classes over 64 bytes are left out, a tag name over 64
// bytes becomes "*:nth-child(N)". Elements nested deeper than
// kMaxElementPathDepth are named by their ancestor at that depth.
//
// Memory is bounded by the document: one entry per element that holds (or
// contains) text, each storing only its own step, and one per run of text
// from one element. Not thread-safe to build; const methods may be called
// from several threads.
class ElementPaths {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kMaxElementPathDepth = 256;

  // The path of the element that byte `offset` of the extracted text came
  // from; "" when there is none (not HTML, or the offset is past the text).
  std::string PathAt(size_t offset) const;
  bool empty() const { return runs_.empty(); }
  size_t element_count() const { return elements_.size(); }
  size_t run_count() const { return runs_.size(); }

  // For the readers. Adds an element below `parent` (kNone: a top-level
  // element) with its step `segment`; returns its index. Below
  // kMaxElementPathDepth, returns `parent` without adding.
  uint32_t AddElement(uint32_t parent, std::string segment);
  // The depth of element `index` (1 for html).
  uint32_t Depth(uint32_t index) const { return elements_[index].depth; }
  // Text from `offset` on came from element `index` (kNone: no element).
  // Forgets earlier runs that start at or after `offset` (text taken back).
  void StartRun(size_t offset, uint32_t index);
  // Drops runs starting at or after `text_size` (the final text's size).
  void Finish(size_t text_size);

 private:
  struct Element {
    uint32_t parent;
    uint32_t depth;
    std::string segment;
  };
  std::vector<Element> elements_;
  // (first byte, element index), sorted by first byte; each run ends where
  // the next starts.
  std::vector<std::pair<uint32_t, uint32_t>> runs_;
  size_t text_size_ = 0;
};

struct ExtractedText {
  std::string text;  // UTF-8
  DocumentFormat format = DocumentFormat::kText;
  // The encoding the text was read in, as ICU names it ("UTF-8",
  // "UTF-16LE", "windows-1252", …); "UTF-8" for .docx, .odt and PDF.
  std::string encoding;
  // HTML: where each part of `text` came from; empty for other formats.
  ElementPaths element_paths;
};

// Reads `bytes` as a document (see the top of this file).
absl::StatusOr<ExtractedText> ReadDocument(absl::string_view bytes,
                                           const ReadOptions& options);

// OK when ReadDocument accepts `media_type` as ReadOptions::media_type (a
// type it reads, and a charset parameter ICU knows), else INVALID_ARGUMENT
// naming the problem. "" is OK (sniff).
absl::Status CheckMediaType(absl::string_view media_type);

// OK when ICU has a converter called `name` ("utf-8", "UTF-16",
// "windows-1252", "latin-1", …), else INVALID_ARGUMENT naming it.
absl::Status CheckEncoding(absl::string_view name);

// What `bytes` looks like when it is not a document divcheck reads ("a PNG
// image", "a Windows program (.exe)", …), or "" when it may be one.
std::string NonDocumentKind(absl::string_view bytes);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_DOCUMENT_H_
