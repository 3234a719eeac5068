#include "service/proto_json.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"

namespace divcheck::service {
namespace {

namespace pb = google::protobuf;

// The code points protobuf's JsonEscaping writes as \uXXXX beyond ASCII.
bool EscapedByProtobuf(UChar32 c) {
  return (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x600 && c <= 0x603) ||
         c == 0x6DD || c == 0x70F || (c >= 0x17B4 && c <= 0x17B5) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x206A && c <= 0x206F) ||
         c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
         (c >= 0x1D173 && c <= 0x1D17A) || c == 0xE0001 ||
         (c >= 0xE0020 && c <= 0xE007F);
}

void AppendUnit(uint16_t unit, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char buf[6] = {'\\',
                       'u',
                       kHex[(unit >> 12) & 15],
                       kHex[(unit >> 8) & 15],
                       kHex[(unit >> 4) & 15],
                       kHex[unit & 15]};
  out->append(buf, 6);
}

bool AppendScalar(const pb::Message& m, const pb::Reflection* r,
                  const pb::FieldDescriptor* f, int index, std::string* out) {
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s =
          rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
              : r->GetStringReference(m, f, &scratch);
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) return false;
      AppendProtoJsonString(s, out);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(
          out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      return true;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(
          out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      return true;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(
          out, "\"", rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f),
          "\"");
      return true;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(
          out, "\"",
          rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f), "\"");
      return true;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                      ? "true"
                      : "false");
      return true;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const int number =
          rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      if (const pb::EnumValueDescriptor* v =
              f->enum_type()->FindValueByNumber(number)) {
        AppendProtoJsonString(v->name(), out);
      } else {
        absl::StrAppend(out, number);
      }
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendProtoJson(
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
    default:  // double, float
      return false;
  }
}

}  // namespace

void AppendProtoJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    const uint8_t b = p[i];
    if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\' && b != '<' &&
        b != '>') {
      // A run of plain ASCII at once.
      int32_t j = i + 1;
      while (j < n && p[j] >= 0x20 && p[j] < 0x7F && p[j] != '"' &&
             p[j] != '\\' && p[j] != '<' && p[j] != '>') {
        ++j;
      }
      out->append(s.data() + i, static_cast<size_t>(j - i));
      i = j;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      out->append(s.data() + start, static_cast<size_t>(i - start));
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        continue;
      case '\\':
        out->append("\\\\");
        continue;
      case '\b':
        out->append("\\b");
        continue;
      case '\t':
        out->append("\\t");
        continue;
      case '\n':
        out->append("\\n");
        continue;
      case '\f':
        out->append("\\f");
        continue;
      case '\r':
        out->append("\\r");
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == '<' || c == '>' || EscapedByProtobuf(c)) {
      if (U_IS_BMP(c)) {
        AppendUnit(static_cast<uint16_t>(c), out);
      } else {
        AppendUnit(U16_LEAD(c), out);
        AppendUnit(U16_TRAIL(c), out);
      }
    } else {
      out->append(s.data() + start, static_cast<size_t>(i - start));
    }
  }
  out->push_back('"');
}

bool AppendProtoJson(const pb::Message& m, std::string* out) {
  const pb::Descriptor* d = m.GetDescriptor();
  if (d->file()->package() == "google.protobuf") return false;
  const pb::Reflection* r = m.GetReflection();
  out->push_back('{');
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_map()) return false;
    const int size = f->is_repeated() ? r->FieldSize(m, f) : 0;
    if (f->is_repeated() ? size == 0 : !r->HasField(m, f)) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendProtoJsonString(f->json_name(), out);
    out->push_back(':');
    if (!f->is_repeated()) {
      if (!AppendScalar(m, r, f, -1, out)) return false;
      continue;
    }
    out->push_back('[');
    for (int k = 0; k < size; ++k) {
      if (k > 0) out->push_back(',');
      if (!AppendScalar(m, r, f, k, out)) return false;
    }
    out->push_back(']');
  }
  out->push_back('}');
  return true;
}

}  // namespace divcheck::service
