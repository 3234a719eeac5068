#include "base/json.h"

#include <cstdint>

#include "base/utf8.h"

namespace divcheck {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Code points protobuf's printer writes as \uXXXX although they are valid
// in JSON strings (invisible format characters, line/paragraph separators).
bool EscapedCodePoint(uint32_t cp) {
  return cp == 0xAD || (cp >= 0x600 && cp <= 0x603) || cp == 0x6DD ||
         cp == 0x70F || cp == 0x17B4 || cp == 0x17B5 ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206A && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

void AppendEscapedCodeUnit(uint32_t cp, std::string* out) {
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) {
    out->push_back(kHex[(cp >> shift) & 0xF]);
  }
}

// The code point of the well-formed `n`-byte sequence at s[i].
uint32_t DecodeAt(absl::string_view s, size_t i, size_t n) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return cp;
}

}  // namespace

void AppendJsonString(absl::string_view s, std::string* out) {
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
        continue;
      }
      const uint32_t cp = DecodeAt(s, i, n);
      if (EscapedCodePoint(cp)) {
        AppendEscapedCodeUnit(cp, out);
      } else {
        out->append(s.data() + i, n);
      }
      i += n;
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '<':
        out->append("\\u003c");
        break;
      case '>':
        out->append("\\u003e");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          AppendEscapedCodeUnit(c, out);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

std::string JsonQuote(absl::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

}  // namespace divcheck
