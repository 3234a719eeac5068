#include "service/scan_wire.h"

#include <climits>

#include "absl/strings/str_cat.h"
#include "api/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace divcheck::service {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

// The writers below follow protobuf's generated serializers for proto3:
// fields in number order; a scalar only when it is not zero, a string only
// when it is not empty, a message only when it is set; every element of a
// repeated field; repeated enums packed.

void WriteTagAndSize(int field, size_t size, CodedOutputStream* out) {
  WireFormatLite::WriteTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED,
                           out);
  out->WriteVarint32(static_cast<uint32_t>(size));
}

void WriteString(int field, const std::string& s, CodedOutputStream* out) {
  if (!s.empty()) WireFormatLite::WriteString(field, s, out);
}

void WriteStrings(int field,
                  const google::protobuf::RepeatedPtrField<std::string>& list,
                  CodedOutputStream* out) {
  for (const std::string& s : list) WireFormatLite::WriteString(field, s, out);
}

void WriteUInt32(int field, uint32_t v, CodedOutputStream* out) {
  if (v != 0) WireFormatLite::WriteUInt32(field, v, out);
}

void WriteEnum(int field, int v, CodedOutputStream* out) {
  if (v != 0) WireFormatLite::WriteEnum(field, v, out);
}

void WritePackedEnums(int field,
                      const google::protobuf::RepeatedField<int>& values,
                      CodedOutputStream* out) {
  if (values.empty()) return;
  size_t bytes = 0;
  for (int v : values) bytes += WireFormatLite::EnumSize(v);
  WriteTagAndSize(field, bytes, out);
  for (int v : values) out->WriteVarint32SignExtended(v);
}

// Messages without strings: protobuf's own writer.
void WriteStringFree(int field, const google::protobuf::MessageLite& m,
                     CodedOutputStream* out) {
  WireFormatLite::WriteMessage(field, m, out);
}

void WriteFinding(int field, const v1::Finding& f, CodedOutputStream* out) {
  WriteTagAndSize(field, f.GetCachedSize(), out);
  WriteString(1, f.rule_id(), out);
  WritePackedEnums(2, f.dimensions(), out);
  WriteEnum(3, f.severity(), out);
  if (f.has_span()) WriteStringFree(4, f.span(), out);
  WriteString(5, f.matched_text(), out);
  WriteString(6, f.message(), out);
  WriteStrings(7, f.suggestions(), out);
  WriteString(8, f.legal_basis(), out);
  WriteString(9, f.field_id(), out);
  WriteStrings(10, f.sources(), out);
  WriteString(11, f.context_note(), out);
  WriteStrings(12, f.replacements(), out);
  WriteStrings(13, f.advice(), out);
  WriteString(14, f.element_path(), out);
}

void WriteHighlight(int field, const v1::Highlight& h, CodedOutputStream* out) {
  WriteTagAndSize(field, h.GetCachedSize(), out);
  WriteString(1, h.rule_id(), out);
  WriteEnum(2, h.kind(), out);
  if (h.has_span()) WriteStringFree(3, h.span(), out);
  WriteString(4, h.matched_text(), out);
  WriteString(5, h.message(), out);
  WriteString(6, h.element_path(), out);
}

void WriteCodedWord(int field, const v1::CodedWord& w, CodedOutputStream* out) {
  WriteTagAndSize(field, w.GetCachedSize(), out);
  WriteString(1, w.text(), out);
  if (w.agentic()) WireFormatLite::WriteBool(2, true, out);
  WriteUInt32(3, w.count(), out);
  for (const v1::Span& s : w.spans()) WriteStringFree(4, s, out);
}

void WriteCodedWording(int field, const v1::CodedWordingBalance& c,
                       CodedOutputStream* out) {
  WriteTagAndSize(field, c.GetCachedSize(), out);
  WriteUInt32(1, c.agentic_count(), out);
  WriteUInt32(2, c.communal_count(), out);
  WriteEnum(3, c.verdict(), out);
  WriteStrings(4, c.agentic_words(), out);
  WriteStrings(5, c.communal_words(), out);
  WriteString(6, c.explanation(), out);
  for (const v1::CodedWord& w : c.words()) WriteCodedWord(187, w, out);
  WriteUInt32(188, c.uncounted_count(), out);
}

void WriteReport(int field, const v1::Report& r, CodedOutputStream* out) {
  WriteTagAndSize(field, r.GetCachedSize(), out);
  WriteUInt32(1, r.score(), out);
  WriteString(2, r.grade(), out);
  for (const v1::DimensionScore& d : r.dimension_scores()) {
    WriteStringFree(3, d, out);
  }
  for (const v1::Finding& f : r.findings()) WriteFinding(4, f, out);
  for (const v1::Highlight& h : r.highlights()) WriteHighlight(5, h, out);
  if (r.has_coded_wording()) WriteCodedWording(6, r.coded_wording(), out);
  WriteString(7, r.language(), out);
  if (r.language_detected()) WireFormatLite::WriteBool(8, true, out);
  WriteUInt32(9, r.critical_count(), out);
  WriteUInt32(10, r.warning_count(), out);
  WriteUInt32(11, r.hint_count(), out);
  WriteString(12, r.lexicon_version(), out);
  WriteUInt32(13, r.byte_count(), out);
  WriteUInt32(14, r.word_count(), out);
  if (r.findings_capped()) WireFormatLite::WriteBool(15, true, out);
  WriteUInt32(16, r.omitted_finding_count(), out);
  WriteUInt32(17, r.omitted_highlight_count(), out);
  WriteEnum(80, r.coverage(), out);
  WriteString(81, r.apparent_language(), out);
}

// An enum as protobuf reads it: a varint of up to ten bytes, of which the
// low 32 bits count.
bool ReadEnum(CodedInputStream* in, int32_t* value) {
  uint64_t v = 0;
  if (!in->ReadVarint64(&v)) return false;
  *value = static_cast<int32_t>(v);
  return true;
}

absl::Status Malformed(absl::string_view why) {
  return api::InvalidRequest(
      {{"", absl::StrCat("the request is not a ScanTextRequest: ", why),
        "MALFORMED_REQUEST"}});
}

}  // namespace

absl::Status ParseScanTextRequest(absl::string_view wire,
                                  v1::ScanTextRequest* out, api::Utf8* utf8) {
  out->Clear();  // keeps the strings' storage for reuse
  *utf8 = api::Utf8::kUnchecked;
  if (wire.size() > static_cast<size_t>(INT_MAX)) {
    return Malformed("over 2 GiB");
  }
  const int size = static_cast<int>(wire.size());
  CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()), size);
  while (in.CurrentPosition() < size) {
    const uint32_t tag = in.ReadTag();
    if (WireFormatLite::GetTagFieldNumber(tag) == 0) {
      return Malformed("not a protobuf message");
    }
    const bool bytes = WireFormatLite::GetTagWireType(tag) ==
                       WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    const bool varint =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_VARINT;
    bool ok = true;
    // A known field with another wire type is an unknown field to
    // protobuf's parser too.
    switch (WireFormatLite::GetTagFieldNumber(tag)) {
      case v1::ScanTextRequest::kTextFieldNumber:
        ok = bytes ? WireFormatLite::ReadString(&in, out->mutable_text())
                   : WireFormatLite::SkipField(&in, tag);
        break;
      case v1::ScanTextRequest::kLanguageCodeFieldNumber:
        ok = bytes
                 ? WireFormatLite::ReadString(&in, out->mutable_language_code())
                 : WireFormatLite::SkipField(&in, tag);
        break;
      case v1::ScanTextRequest::kRequestIdFieldNumber:
        ok = bytes ? WireFormatLite::ReadString(&in, out->mutable_request_id())
                   : WireFormatLite::SkipField(&in, tag);
        break;
      case v1::ScanTextRequest::kDocumentKindFieldNumber:
        if (varint) {
          int32_t v = 0;
          ok = ReadEnum(&in, &v);
          out->set_document_kind(static_cast<v1::DocumentKind>(v));
        } else {
          ok = WireFormatLite::SkipField(&in, tag);
        }
        break;
      case v1::ScanTextRequest::kDisabledRulesFieldNumber:
        ok = bytes ? WireFormatLite::ReadString(&in, out->add_disabled_rules())
                   : WireFormatLite::SkipField(&in, tag);
        break;
      case v1::ScanTextRequest::kOnlyRulesFieldNumber:
        ok = bytes ? WireFormatLite::ReadString(&in, out->add_only_rules())
                   : WireFormatLite::SkipField(&in, tag);
        break;
      case v1::ScanTextRequest::kMinSeverityFieldNumber:
        if (varint) {
          int32_t v = 0;
          ok = ReadEnum(&in, &v);
          out->set_min_severity(static_cast<v1::Severity>(v));
        } else {
          ok = WireFormatLite::SkipField(&in, tag);
        }
        break;
      case v1::ScanTextRequest::kEmployerTypeFieldNumber:
        if (varint) {
          int32_t v = 0;
          ok = ReadEnum(&in, &v);
          out->set_employer_type(static_cast<v1::EmployerType>(v));
        } else {
          ok = WireFormatLite::SkipField(&in, tag);
        }
        break;
      case v1::ScanTextRequest::kGenderFormFieldNumber:
        if (varint) {
          int32_t v = 0;
          ok = ReadEnum(&in, &v);
          out->set_gender_form(static_cast<v1::GenderForm>(v));
        } else {
          ok = WireFormatLite::SkipField(&in, tag);
        }
        break;
      case v1::ScanTextRequest::kReportLanguageFieldNumber:
        ok = bytes ? WireFormatLite::ReadString(&in,
                                                out->mutable_report_language())
                   : WireFormatLite::SkipField(&in, tag);
        break;
      default:
        ok = WireFormatLite::SkipField(&in, tag);
        break;
    }
    if (!ok) return Malformed("not a protobuf message");
  }
  return absl::OkStatus();
}

bool WriteScanTextResponse(const v1::ScanTextResponse& response, size_t size,
                           uint8_t* target) {
  if (size > static_cast<size_t>(INT_MAX)) return false;
  if (response.result_case() == v1::ScanTextResponse::kError) {
    response.SerializeWithCachedSizesToArray(target);
    return true;
  }
  google::protobuf::io::ArrayOutputStream array(target, static_cast<int>(size));
  CodedOutputStream out(&array);
  WriteString(1, response.request_id(), &out);
  if (response.has_report()) WriteReport(2, response.report(), &out);
  out.Trim();
  return !out.HadError() && out.ByteCount() == static_cast<int64_t>(size);
}

void AppendScanTextResponse(const v1::ScanTextResponse& response,
                            std::string* out) {
  const size_t size = response.ByteSizeLong();
  const size_t old = out->size();
  out->resize(old + size);
  uint8_t* target = reinterpret_cast<uint8_t*>(&(*out)[old]);
  if (!WriteScanTextResponse(response, size, target)) {
    response.SerializeWithCachedSizesToArray(target);
  }
}

}  // namespace divcheck::service
