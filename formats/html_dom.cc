#include "formats/html_dom.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "unicode/unistr.h"

namespace divcheck::formats {
namespace {

// An upper bound of the element nesting of `html`, from a lexical scan:
// start tags minus end tags, not counting void elements, self-closing tags
// and elements the parser closes by itself (p, li, option, td, …).
int NestingEstimate(absl::string_view html) {
  static const auto* kNotNesting = new absl::flat_hash_set<std::string>{
      "area",  "base",  "br",       "col",  "embed",  "hr",
      "img",   "input", "link",     "meta", "param",  "source",
      "track", "wbr",   "p",        "li",   "option", "optgroup",
      "td",    "th",    "tr",       "dt",   "dd",     "tbody",
      "thead", "tfoot", "colgroup", "rb",   "rt",     "rp"};
  int depth = 0, max_depth = 0;
  size_t i = 0;
  while ((i = html.find('<', i)) != absl::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      const size_t end = html.find("-->", i + 4);
      if (end == absl::string_view::npos) break;
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    const size_t name_begin = j;
    while (j < html.size() && (absl::ascii_isalnum(html[j]) || html[j] == '-'))
      ++j;
    if (j == name_begin) {
      ++i;
      continue;
    }
    const std::string name =
        absl::AsciiStrToLower(html.substr(name_begin, j - name_begin));
    const size_t gt = html.find('>', j);
    if (gt == absl::string_view::npos) break;
    const bool self_closing = html[gt - 1] == '/';
    i = gt + 1;
    if (!closing && (name == "script" || name == "style")) {
      const size_t end = html.find(absl::StrCat("</", name), i);
      if (end == absl::string_view::npos) break;
      i = end;
      continue;
    }
    if (self_closing || kNotNesting->contains(name)) continue;
    if (closing) {
      depth = depth > 0 ? depth - 1 : 0;
    } else {
      max_depth = std::max(max_depth, ++depth);
    }
  }
  return max_depth;
}

// Pages that are not UTF-8 are, in practice, Windows-1252 / ISO-8859-1
// (what browsers assume for legacy German pages); gumbo reads UTF-8 only.
std::string AsUtf8(absl::string_view html) {
  if (FirstInvalidUtf8Byte(html) == absl::string_view::npos) {
    return std::string(html);
  }
  const icu::UnicodeString u(html.data(), static_cast<int32_t>(html.size()),
                             "windows-1252");
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Parse errors are not used, and recording them costs a copy of the open
// element stack per error: quadratic time and memory for deeply nested (or
// never closed) markup.
const GumboOptions& ParseOptions() {
  static const GumboOptions kOptions = [] {
    GumboOptions o = kGumboDefaultOptions;
    o.max_errors = 0;
    return o;
  }();
  return kOptions;
}

}  // namespace

void ParsedHtml::Destroy::operator()(GumboOutput* o) const {
  gumbo_destroy_output(&ParseOptions(), o);
}

absl::StatusOr<ParsedHtml> ParseHtml(absl::string_view bytes) {
  auto utf8 = std::make_unique<std::string>(AsUtf8(bytes));
  if (const int depth = NestingEstimate(*utf8); depth > kMaxHtmlNesting) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the HTML nests elements up to ", depth, " deep; the limit is ",
        kMaxHtmlNesting, " (is it a real form page?)"));
  }
  ParsedHtml page;
  page.output_.reset(
      gumbo_parse_with_options(&ParseOptions(), utf8->data(), utf8->size()));
  page.text_ = std::move(utf8);
  if (page.output_ == nullptr) {
    return absl::InvalidArgumentError("the HTML could not be parsed");
  }
  return page;
}

const char* Attr(const GumboNode* n, const char* name) {
  if (n == nullptr || n->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a == nullptr ? nullptr : a->value;
}

std::string AttrOr(const GumboNode* n, const char* name) {
  const char* v = Attr(n, name);
  return v == nullptr ? std::string() : std::string(v);
}

bool IsElement(const GumboNode* n, GumboTag tag) {
  return n != nullptr && n->type == GUMBO_NODE_ELEMENT &&
         n->v.element.tag == tag;
}

const GumboVector* Children(const GumboNode* n) {
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
    return &n->v.element.children;
  }
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  return nullptr;
}

bool IsOpaque(const GumboNode* n) {
  if (n->type == GUMBO_NODE_TEMPLATE) return true;
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

bool IsBlock(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return false;
  }
}

bool IsHeading(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return true;
    default:
      return false;
  }
}

void AppendCollapsed(absl::string_view text, std::string* out) {
  for (char c : text) {
    if (absl::ascii_isspace(c)) {
      if (!out->empty() && out->back() != ' ' && out->back() != '\n')
        out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
}

std::string Clean(std::string s) {
  absl::string_view v = absl::StripAsciiWhitespace(s);
  return std::string(v);
}

std::string TextOf(const GumboNode* root) {
  std::string out;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      AppendCollapsed(n->v.text.text, &out);
      continue;
    }
    if (n != root && IsOpaque(n)) continue;
    if (IsBlock(n) && !out.empty() && out.back() != ' ') out.push_back(' ');
    const GumboVector* kids = Children(n);
    if (kids == nullptr) continue;
    for (unsigned i = kids->length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
    }
  }
  return Clean(out);
}

}  // namespace divcheck::formats
