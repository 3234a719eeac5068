// The HTML side of formats/: parsing a page with Google's HTML5 parser
// (gumbo) the way a browser reads it, and small helpers over its tree —
// attributes, block and heading elements, visible text.
//
//   absl::StatusOr<ParsedHtml> page = ParseHtml(bytes);
//   std::string text = TextOf(page->root());
//
// A ParsedHtml owns its tree; the nodes live as long as it does. Functions
// are thread-safe; a ParsedHtml may be read by several threads at once.
#ifndef DIVCHECK_FORMATS_HTML_DOM_H_
#define DIVCHECK_FORMATS_HTML_DOM_H_

#include <gumbo.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace divcheck::formats {

// Pages nesting elements deeper than this are refused: gumbo's tree
// construction checks the stack of open elements for every tag, so its time
// grows with depth × tags. Browsers limit nesting too.
inline constexpr int kMaxHtmlNesting = 4096;

// A parsed page.
class ParsedHtml {
 public:
  // The document node.
  const GumboNode* root() const { return output_->document; }

 private:
  friend absl::StatusOr<ParsedHtml> ParseHtml(absl::string_view bytes);
  struct Destroy {
    void operator()(GumboOutput* o) const;
  };
  // The UTF-8 text gumbo parsed: its tree points into it (original_text).
  std::unique_ptr<std::string> text_;
  std::unique_ptr<GumboOutput, Destroy> output_;
};

// Parses `bytes` (UTF-8; bytes that are not UTF-8 are read as Windows-1252,
// as browsers read legacy pages). Errors: INVALID_ARGUMENT when the page
// nests elements deeper than kMaxHtmlNesting or cannot be parsed.
absl::StatusOr<ParsedHtml> ParseHtml(absl::string_view bytes);

// The attribute `name` of element `n`, or null.
const char* Attr(const GumboNode* n, const char* name);
// The attribute `name` of element `n`, or "".
std::string AttrOr(const GumboNode* n, const char* name);
// Whether `n` is a `tag` element.
bool IsElement(const GumboNode* n, GumboTag tag);
// The children of an element, template or document; null for other nodes.
const GumboVector* Children(const GumboNode* n);
// Elements whose text is never instructions or labels (scripts, styles,
// option lists, buttons, the head).
bool IsOpaque(const GumboNode* n);
// Elements that start a new block of text (paragraphs, list items, table
// cells, form controls, …).
bool IsBlock(const GumboNode* n);
// <h1> … <h6>.
bool IsHeading(const GumboNode* n);
// Appends `text` with white space collapsed.
void AppendCollapsed(absl::string_view text, std::string* out);
// `s` without leading and trailing ASCII white space.
std::string Clean(std::string s);
// The visible text under `root`, without the text of opaque elements,
// blocks separated by a space. Iterative: malformed HTML can nest deeply.
std::string TextOf(const GumboNode* root);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_HTML_DOM_H_
