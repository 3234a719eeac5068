// The visible text of an HTML page, a line per block (formats/document.h).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "base/status_macros.h"
#include "formats/html_dom.h"
#include "formats/html_paths.h"
#include "formats/readers.h"

namespace divcheck::formats {
namespace {

// Elements whose content is not text a reader sees.
bool IsDropped(const GumboNode* n) {
  if (n->type == GUMBO_NODE_TEMPLATE) return true;
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
      return true;
    default:
      return false;
  }
}

// Elements that stand on lines of their own.
bool IsLineBlock(const GumboNode* n) {
  if (IsBlock(n)) return true;
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_HR:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_OPTION:
      return true;
    default:
      return false;
  }
}

// Appends `text` with runs of white space as one space, none at the start
// of a line, and without soft hyphens (U+00AD, an optional break: dropped
// here, not after extraction, so that element_paths' offsets hold).
absl::Status AppendCollapsedText(absl::string_view text, TextOutput* out) {
  std::string piece;
  piece.reserve(text.size());
  bool space = !out->text().empty() && out->text().back() != '\n' &&
               out->text().back() != ' ';
  bool pending = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (absl::ascii_isspace(c)) {
      pending = true;
      continue;
    }
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xAD') {
      ++i;
      continue;
    }
    if (pending && (space || !piece.empty())) piece.push_back(' ');
    pending = false;
    piece.push_back(c);
  }
  if (pending && (!piece.empty() || space)) piece.push_back(' ');
  return out->Append(piece);
}

}  // namespace

absl::StatusOr<std::string> HtmlText(absl::string_view html,
                                     const ReadOptions& options,
                                     ElementPaths* paths) {
  ASSIGN_OR_RETURN(ParsedHtml page, ParseHtml(html));
  TextOutput out(options.max_text_bytes);
  HtmlPathRecorder recorder(paths);
  // (node, leaving): leaving a block ends its line.
  std::vector<std::pair<const GumboNode*, bool>> stack = {{page.root(), false}};
  while (!stack.empty()) {
    auto [n, leaving] = stack.back();
    stack.pop_back();
    if (leaving) {
      RETURN_IF_ERROR(out.EndLine());
      continue;
    }
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      const size_t before = out.text().size();
      RETURN_IF_ERROR(AppendCollapsedText(n->v.text.text, &out));
      if (out.text().size() > before && options.element_paths) {
        recorder.StartRun(before, n->parent);
      }
      continue;
    }
    if (IsDropped(n)) continue;
    const bool block = IsLineBlock(n);
    if (block) {
      RETURN_IF_ERROR(out.EndLine());
      stack.push_back({n, true});
    }
    const GumboVector* kids = Children(n);
    if (kids == nullptr) continue;
    for (unsigned i = kids->length; i > 0; --i) {
      stack.push_back(
          {static_cast<const GumboNode*>(kids->data[i - 1]), false});
    }
  }
  std::string text = std::move(out).Take();
  while (!text.empty() && absl::ascii_isspace(text.back())) text.pop_back();
  if (!text.empty()) text.push_back('\n');
  paths->Finish(text.size());
  return text;
}

}  // namespace divcheck::formats
