// Unit tests of the service's transport-free parts: ScanApi, the error
// model, API keys, options and the JSON log.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "api/errors.h"
#include "api/scan_api.h"
#include "base/utf8.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "service/api_keys.h"
#include "service/auth_limiter.h"
#include "service/grpc_status.h"
#include "service/json_log.h"
#include "service/lexicon_watch.h"
#include "service/request_parse.h"
#include "service/scan_wire.h"
#include "service/server_options.h"
#include "tests/service/server_process.h"

namespace divcheck::service {
namespace {

using api::CallControl;
using api::FieldViolation;
using api::FromRpcStatus;
using api::InvalidRequest;
using api::ReasonOf;
using api::ScanApi;
using api::ToRpcStatus;
using api::Utf8;
using api::WithReason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kAd[] = "Verkäufer gesucht\nWir sind ein junges Team.\n";

google::rpc::ErrorInfo InfoOf(const google::rpc::Status& s) {
  google::rpc::ErrorInfo info;
  for (const auto& any : s.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&info);
  }
  return info;
}

google::rpc::BadRequest BadRequestOf(const google::rpc::Status& s) {
  google::rpc::BadRequest bad;
  for (const auto& any : s.details()) {
    if (any.Is<google::rpc::BadRequest>()) any.UnpackTo(&bad);
  }
  return bad;
}

class ScanApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = testing::TestLexiconDir();
    engine_ = Engine::Create(options)->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* ScanApiTest::engine_ = nullptr;

TEST(RpcErrors, EveryErrorHasErrorInfoWithDomainAndRequestId) {
  google::rpc::Status s = ToRpcStatus(absl::InternalError("boom"), "req-1");
  EXPECT_EQ(s.code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(s.message(), "boom");
  ASSERT_EQ(s.details_size(), 1);
  const google::rpc::ErrorInfo info = InfoOf(s);
  EXPECT_EQ(info.reason(), "INTERNAL");
  EXPECT_EQ(info.domain(), "divcheck.dev");
  EXPECT_EQ(info.metadata().at("request_id"), "req-1");
}

TEST(RpcErrors, InvalidRequestListsEveryViolation) {
  absl::Status status =
      InvalidRequest({{"text", "too large", "TEXT_TOO_LARGE"},
                      {"language_code", "bad", "UNSUPPORTED_LANGUAGE"}},
                     {{"max_text_bytes", "10"}});
  google::rpc::Status s = ToRpcStatus(status, "r");
  EXPECT_EQ(s.code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_REQUEST");
  EXPECT_EQ(InfoOf(s).metadata().at("max_text_bytes"), "10");
  const google::rpc::BadRequest bad = BadRequestOf(s);
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "text");
  EXPECT_EQ(bad.field_violations(1).field(), "language_code");
  EXPECT_EQ(ReasonOf(InvalidRequest({{"text", "x", "TEXT_TOO_LARGE"}})),
            "TEXT_TOO_LARGE");
}

TEST(RpcErrors, GrpcStatusCarriesTheDetails) {
  grpc::Status g =
      ToGrpcStatus(WithReason(absl::CancelledError("c"), "CANCELLED"), "id");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::CANCELLED);
  google::rpc::Status s;
  ASSERT_TRUE(s.ParseFromString(g.error_details()));
  EXPECT_EQ(InfoOf(s).reason(), "CANCELLED");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "id").ok());
}

TEST(RpcErrors, FromRpcStatusGivesBackReasonAndViolations) {
  const absl::Status original =
      InvalidRequest({{"text", "too large", "TEXT_TOO_LARGE"},
                      {"language_code", "bad", "UNSUPPORTED_LANGUAGE"}},
                     {{"max_text_bytes", "10"}});
  const absl::Status back = FromRpcStatus(ToRpcStatus(original, "r1"));
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_EQ(ReasonOf(back), "INVALID_REQUEST");
  // Converting again gives the same google.rpc.Status: the details survived.
  // (Compared as messages: map fields serialize in no fixed order.)
  const google::rpc::Status again = ToRpcStatus(back, "r2");
  const google::rpc::Status expected = ToRpcStatus(original, "r2");
  ASSERT_EQ(again.details_size(), expected.details_size());
  EXPECT_EQ(InfoOf(again).metadata().at("max_text_bytes"), "10");
  EXPECT_EQ(InfoOf(again).metadata().at("request_id"), "r2");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      BadRequestOf(again), BadRequestOf(expected)));
  EXPECT_TRUE(FromRpcStatus(ToRpcStatus(absl::OkStatus(), "r")).ok());
  google::rpc::Status odd;
  odd.set_code(99);
  odd.set_message("x");
  EXPECT_EQ(FromRpcStatus(odd).code(), absl::StatusCode::kUnknown);
}

TEST_F(ScanApiTest, ScansLikeTheEngine) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text(kAd);
  request.set_language_code("de");
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_TRUE(report.ok()) << report.status();
  ScanOptions options;
  options.language = "de";
  EXPECT_EQ(report->SerializeAsString(),
            engine_->ScanText(kAd, options)->SerializeAsString());
  EXPECT_GT(report->findings_size(), 0);
}

TEST_F(ScanApiTest, ReportsSizeAndLanguageAndKindAtOnce) {
  ScanApi api(engine_, 10);
  v1::ScanTextRequest request;
  request.set_text(std::string(11, 'a'));
  request.set_language_code("fr");
  request.set_document_kind(static_cast<v1::DocumentKind>(99));
  request.set_request_id(std::string(300, 'x'));
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_REQUEST");
  EXPECT_EQ(InfoOf(s).metadata().at("max_text_bytes"), "10");
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad = BadRequestOf(s);
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("text", "language_code", "document_kind",
                                  "request_id"));
}

TEST_F(ScanApiTest, InvalidUtf8IsAFieldViolation) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text("gut\xff schlecht");
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_UTF8");
  ASSERT_EQ(BadRequestOf(s).field_violations_size(), 1);
  EXPECT_EQ(BadRequestOf(s).field_violations(0).field(), "text");
}

TEST(ParseRequest, NamesEveryStringThatIsNotUtf8UpToFifty) {
  v1::ScanFormRequest form;
  for (int i = 0; i < 60; ++i) {
    v1::FormField* f = form.add_fields();
    f->set_field_id(absl::StrCat("f", i));
    f->set_label(i % 2 == 0 ? "ok" : "\xff");
    f->add_options()->set_label(i == 1 ? "Ja\xc3" : "Ja");
  }
  v1::ScanFormRequest parsed;
  absl::Status status = ParseRequest(form.SerializeAsString(), &parsed);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest bad = BadRequestOf(ToRpcStatus(status, "r"));
  // 31 bad strings: 30 labels and one option; every one up to the 50th.
  ASSERT_EQ(bad.field_violations_size(), 31);
  EXPECT_EQ(bad.field_violations(0).field(), "fields[1].label");
  EXPECT_EQ(bad.field_violations(1).field(), "fields[1].options[0].label");
  EXPECT_THAT(bad.field_violations(1).description(),
              HasSubstr("(byte offset 2)"));
  EXPECT_EQ(bad.field_violations(30).field(), "fields[59].label");

  for (int i = 0; i < 60; ++i) form.mutable_fields(i)->set_label("\xff");
  status = ParseRequest(form.SerializeAsString(), &parsed);
  const google::rpc::BadRequest capped = BadRequestOf(ToRpcStatus(status, "r"));
  ASSERT_EQ(capped.field_violations_size(), 51);
  EXPECT_EQ(capped.field_violations(50).description(),
            "11 more strings are not valid UTF-8");

  // Bytes that are not a message, and a good one.
  status = ParseRequest(std::string("\x0a\xff\xff", 3), &parsed);
  EXPECT_EQ(InfoOf(ToRpcStatus(status, "r")).reason(), "MALFORMED_REQUEST");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("not a ScanFormRequest message"));
  form.Clear();
  form.add_fields()->set_label("Geburtsdatum");
  ASSERT_TRUE(ParseRequest(form.SerializeAsString(), &parsed).ok());
  EXPECT_EQ(parsed.fields(0).label(), "Geburtsdatum");
}

TEST(ParseScanTextRequest, ReadsInvalidUtf8LenientlyAndRejectsGarbage) {
  v1::ScanTextRequest good;
  good.set_text("Wir sind ein junges Team.");
  good.set_language_code("de");
  good.set_document_kind(v1::DOCUMENT_KIND_OTHER);
  good.set_request_id("r1");
  v1::ScanTextRequest parsed;
  Utf8 utf8 = Utf8::kVerified;
  ASSERT_TRUE(
      ParseScanTextRequest(good.SerializeAsString(), &parsed, &utf8).ok());
  // Never checked here: ScanApi checks the text once, with the offset.
  EXPECT_EQ(utf8, Utf8::kUnchecked);
  EXPECT_EQ(parsed.SerializeAsString(), good.SerializeAsString());

  // text "a\xffb", request_id "x", document_kind 2, an unknown field 9.
  const std::string wire(
      "\x0a\x03"
      "a\xff"
      "b\x22\x01x\x18\x02\x48\x07",
      12);
  ASSERT_TRUE(ParseScanTextRequest(wire, &parsed, &utf8).ok());
  EXPECT_EQ(utf8, Utf8::kUnchecked);
  EXPECT_EQ(parsed.text(),
            "a\xff"
            "b");
  EXPECT_EQ(parsed.request_id(), "x");
  EXPECT_EQ(parsed.document_kind(), v1::DOCUMENT_KIND_OTHER);

  absl::Status garbage =
      ParseScanTextRequest(std::string("\xff\xff", 2), &parsed, &utf8);
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(garbage), "MALFORMED_REQUEST");
  // text (field 1) as a varint is an unknown field, as protobuf reads it.
  ASSERT_TRUE(ParseScanTextRequest(std::string("\x08\x01\x0a\x01\xff", 5),
                                   &parsed, &utf8)
                  .ok());
  EXPECT_EQ(parsed.text(), "\xff");
}

// True when protobuf reads `wire` as a message at all (every field as an
// unknown field: no UTF-8 or type checks), the reference for what
// ParseScanTextRequest must accept.
bool IsWireFormatMessage(const std::string& wire) {
  google::protobuf::UnknownFieldSet fields;
  return fields.ParseFromString(wire);
}

// Issue 17, item 6: anything that is not a whole message is
// MALFORMED_REQUEST; an empty message is a whole (proto3) one.
TEST(ParseScanTextRequest, EveryTruncationThatIsNoMessageIsMalformed) {
  v1::ScanTextRequest good;
  good.set_text("Wir sind ein junges Team. \xc3\xa4");
  good.set_language_code("de");
  good.set_request_id("r-17");
  good.set_document_kind(v1::DOCUMENT_KIND_OTHER);
  const std::string wire = good.SerializeAsString();
  v1::ScanTextRequest parsed;
  Utf8 utf8;
  size_t whole = 0;
  for (size_t n = 0; n <= wire.size(); ++n) {
    SCOPED_TRACE(absl::StrCat("first ", n, " of ", wire.size(), " bytes"));
    const std::string prefix = wire.substr(0, n);
    const absl::Status status = ParseScanTextRequest(prefix, &parsed, &utf8);
    EXPECT_EQ(status.ok(), IsWireFormatMessage(prefix)) << status;
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(ReasonOf(status), "MALFORMED_REQUEST");
    } else {
      ++whole;  // cut between two fields
    }
  }
  EXPECT_EQ(whole, 5u);  // nothing, then after each of the four fields
  // The empty message: every field at its default.
  ASSERT_TRUE(ParseScanTextRequest("", &parsed, &utf8).ok());
  EXPECT_EQ(parsed.SerializeAsString(), "");
}

TEST(ParseScanTextRequest, AcceptsRandomBytesExactlyWhenProtobufDoes) {
  std::mt19937 random(17);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string wire(random() % 24, '\0');
    for (char& c : wire) {
      // Mostly small bytes: valid tags and lengths now and then.
      c = static_cast<char>(random() % 3 == 0 ? random() % 256 : random() % 40);
    }
    v1::ScanTextRequest parsed;
    Utf8 utf8;
    const absl::Status status = ParseScanTextRequest(wire, &parsed, &utf8);
    ASSERT_EQ(status.ok(), IsWireFormatMessage(wire))
        << absl::CHexEscape(wire) << ": " << status;
    if (!status.ok()) {
      ASSERT_EQ(ReasonOf(status), "MALFORMED_REQUEST");
    }
    accepted += status.ok();
  }
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, 19900);
}

TEST(CheckMessageReceived, AnInvalidBufferIsNoMessageAnEmptyOneIs) {
  const grpc::ByteBuffer none;  // what gRPC hands over when none arrived
  const absl::Status status =
      CheckMessageReceived(none, v1::ScanTextRequest::descriptor());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(status), "MALFORMED_REQUEST");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("no complete ScanTextRequest message"));
  v1::ListRulesRequest list;
  EXPECT_EQ(ReasonOf(ParseRequest(none, &list)), "MALFORMED_REQUEST");

  grpc::Slice nothing("");
  const grpc::ByteBuffer empty(&nothing, 1);
  EXPECT_TRUE(
      CheckMessageReceived(empty, v1::ScanTextRequest::descriptor()).ok());
  EXPECT_TRUE(ParseRequest(empty, &list).ok());
}

// A string of the bytes of a literal, NULs included.
template <size_t N>
std::string W(const char (&bytes)[N]) {
  return std::string(bytes, N - 1);
}

// The hand-written reader agrees with protobuf's parser on every valid
// message (the last occurrence of a field wins; unknown fields of every
// wire type are skipped) and refuses what protobuf refuses.
TEST(ParseScanTextRequest, AgreesWithProtobufsParser) {
  const std::vector<std::string> valid = {
      W(""),
      // text twice: the last wins; language "en"; kind 1.
      W("\x0a\x01x\x0a\x02yz\x12\x02"
        "en\x18\x01"),
      // unknown fields: varint 5, fixed64 6, length 7, fixed32 8, a group 10
      // holding a varint, then request_id.
      W("\x28\x96\x01"
        "\x31\x01\x02\x03\x04\x05\x06\x07\x08"
        "\x3a\x03"
        "abc"
        "\x45\x01\x02\x03\x04"
        "\x53\x08\x01\x54"
        "\x22\x02id"),
      // document_kind as a 10-byte negative varint, then a large kind.
      W("\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
      W("\x18\x80\x80\x80\x80\x10"),
  };
  for (const std::string& wire : valid) {
    v1::ScanTextRequest expected;
    ASSERT_TRUE(expected.ParseFromString(wire));
    v1::ScanTextRequest parsed;
    parsed.set_text("left over from the previous call");
    Utf8 utf8;
    ASSERT_TRUE(ParseScanTextRequest(wire, &parsed, &utf8).ok())
        << absl::CHexEscape(wire);
    expected.DiscardUnknownFields();
    EXPECT_EQ(parsed.SerializeAsString(), expected.SerializeAsString())
        << absl::CHexEscape(wire);
  }
  const std::vector<std::string> malformed = {
      W("\x0a\x05"
        "abc"),           // length past the end
      W("\x18\xff"),      // truncated varint
      W("\x00\x01"),      // field number 0
      W("\x54"),          // end of a group never opened
      W("\x53\x08\x01"),  // group never closed
      W("\x0f\x00"),      // wire type 7
  };
  for (const std::string& wire : malformed) {
    v1::ScanTextRequest expected;
    EXPECT_FALSE(expected.ParseFromString(wire)) << absl::CHexEscape(wire);
    v1::ScanTextRequest parsed;
    Utf8 utf8;
    EXPECT_EQ(ReasonOf(ParseScanTextRequest(wire, &parsed, &utf8)),
              "MALFORMED_REQUEST")
        << absl::CHexEscape(wire);
  }
}

TEST(FirstInvalidUtf8Byte, AgreesWithTheSequenceCheckAtEveryOffset) {
  // Every offset of a bad byte relative to the eight-byte ASCII steps.
  const std::vector<std::string> bad = {"\xff",     "\xc3",
                                        "\xe2\x82", "\xed\xa0\x80",
                                        "\xc0\xaf", "\xf4\x90\x80\x80"};
  for (const std::string& b : bad) {
    for (size_t at = 0; at < 20; ++at) {
      std::string s(at, 'a');
      s += b;
      s += "Grüße, ok";
      EXPECT_EQ(FirstInvalidUtf8Byte(s), at) << absl::CHexEscape(s);
    }
  }
  for (size_t n = 0; n < 20; ++n) {
    const std::string s = std::string(n, 'x') + "äöü€𝄞" + std::string(n, 'y');
    EXPECT_EQ(FirstInvalidUtf8Byte(s), absl::string_view::npos) << n;
  }
  // Truncated at the end: the lead byte's offset.
  EXPECT_EQ(FirstInvalidUtf8Byte("abcdefgh\xe2\x82"), 8u);
}

// Sets every field of `m` and of the messages in it: repeated fields get
// two elements, strings non-ASCII text, numbers multi-byte varints, enums
// their last value. Of a oneof, only `oneof_member` (by name) is set.
void FillEveryField(google::protobuf::Message* m,
                    const std::string& oneof_member) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* d = m->GetDescriptor();
  const google::protobuf::Reflection* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->containing_oneof() != nullptr && f->name() != oneof_member) continue;
    const int n = f->is_repeated() ? 2 : 1;
    for (int k = 0; k < n; ++k) {
      const std::string text = absl::StrCat("Grüße ", f->name(), " ", k);
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          f->is_repeated() ? r->AddString(m, f, text)
                           : r->SetString(m, f, text);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          f->is_repeated() ? r->AddUInt32(m, f, 300 + k)
                           : r->SetUInt32(m, f, 300 + k);
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          f->is_repeated() ? r->AddInt32(m, f, 300 + k)
                           : r->SetInt32(m, f, 300 + k);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          f->is_repeated() ? r->AddBool(m, f, true) : r->SetBool(m, f, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* e = f->enum_type();
          const int v = e->value(e->value_count() - 1 - k)->number();
          f->is_repeated() ? r->AddEnumValue(m, f, v)
                           : r->SetEnumValue(m, f, v);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          FillEveryField(
              f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f),
              oneof_member);
          break;
        default:
          ADD_FAILURE() << "FillEveryField does not know the type of "
                        << f->full_name();
      }
    }
  }
}

TEST(ScanWire, WritesEveryFieldExactlyAsProtobufDoes) {
  v1::ScanTextResponse response;
  FillEveryField(&response, "report");
  ASSERT_TRUE(response.has_report());
  ASSERT_GT(response.report().findings(1).suggestions_size(), 1);
  const size_t size = response.ByteSizeLong();
  std::string fast(size, '\0');
  // False here means a field the writer does not know: add it to
  // scan_wire.cc.
  ASSERT_TRUE(WriteScanTextResponse(response, size,
                                    reinterpret_cast<uint8_t*>(fast.data())));
  EXPECT_EQ(fast, response.SerializeAsString());
}

// The request reader knows every field of ScanTextRequest (the options of
// fields 110–114 included): a request with all of them set reads back as
// protobuf reads it.
TEST(ScanWire, ReadsEveryRequestFieldExactlyAsProtobufDoes) {
  v1::ScanTextRequest request;
  FillEveryField(&request, "");
  ASSERT_EQ(request.disabled_rules_size(), 2);
  ASSERT_EQ(request.only_rules_size(), 2);
  ASSERT_NE(request.min_severity(), v1::SEVERITY_UNSPECIFIED);
  ASSERT_NE(request.employer_type(), v1::EMPLOYER_TYPE_UNSPECIFIED);
  ASSERT_FALSE(request.report_language().empty());
  const std::string wire = request.SerializeAsString();
  v1::ScanTextRequest parsed;
  Utf8 utf8;
  ASSERT_TRUE(ParseScanTextRequest(wire, &parsed, &utf8).ok());
  // Not equal means a field the reader does not know: add it to
  // scan_wire.cc.
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, request))
      << parsed.DebugString() << "\nvs\n"
      << request.DebugString();
  EXPECT_EQ(parsed.SerializeAsString(), wire);
  // Unknown enum numbers are kept, as protobuf keeps them in proto3, so
  // ScanApi can name them.
  request.set_min_severity(static_cast<v1::Severity>(-7));
  request.set_employer_type(static_cast<v1::EmployerType>(70000));
  ASSERT_TRUE(
      ParseScanTextRequest(request.SerializeAsString(), &parsed, &utf8).ok());
  EXPECT_EQ(static_cast<int>(parsed.min_severity()), -7);
  EXPECT_EQ(static_cast<int>(parsed.employer_type()), 70000);
  // A second read into the same message does not keep the old rule lists.
  ASSERT_TRUE(ParseScanTextRequest("", &parsed, &utf8).ok());
  EXPECT_EQ(parsed.disabled_rules_size(), 0);
}

TEST(ScanWire, ErrorAndEmptyResponsesAreProtobufsBytes) {
  for (const std::string& member : {std::string("error"), std::string()}) {
    v1::ScanTextResponse response;
    if (!member.empty()) FillEveryField(&response, member);
    std::string bytes = "prefix";
    AppendScanTextResponse(response, &bytes);
    EXPECT_EQ(bytes, "prefix" + response.SerializeAsString()) << member;
  }
}

TEST_F(ScanApiTest, ScanWireWritesARealReportAsProtobufDoes) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text(
      "Verkäufer (m/w) gesucht. Wir sind ein junges, dynamisches Team und "
      "suchen Muttersprachler mit deutschem Abschluss.");
  v1::ScanTextResponse response;
  response.set_request_id("r-1");
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_TRUE(report.ok());
  ASSERT_GT(report->findings_size(), 1);
  *response.mutable_report() = *std::move(report);
  const size_t size = response.ByteSizeLong();
  std::string fast(size, '\0');
  ASSERT_TRUE(WriteScanTextResponse(response, size,
                                    reinterpret_cast<uint8_t*>(fast.data())));
  EXPECT_EQ(fast, response.SerializeAsString());
}

TEST_F(ScanApiTest, UncheckedStringsAreCheckedWithTheOtherFields) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text("ok \xc3");
  request.set_language_code("\xff");
  request.set_request_id("\xfe");
  absl::StatusOr<v1::Report> report =
      api.Scan(request, CallControl(), Utf8::kUnchecked);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad = BadRequestOf(s);
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("text", "language_code", "request_id"));
  EXPECT_THAT(bad.field_violations(0).description(),
              HasSubstr("byte offset 3"));
}

TEST_F(ScanApiTest, PassedDeadlineAndCancellationStopTheScan) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text(kAd);
  CallControl late;
  late.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  absl::StatusOr<v1::Report> report = api.Scan(request, late);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ReasonOf(report.status()), "DEADLINE_EXCEEDED");

  CallControl cancelled;
  cancelled.cancelled = [] { return true; };
  report = api.Scan(request, cancelled);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(ReasonOf(report.status()), "CANCELLED");

  // Cancellation is polled between analyzers, not only before the scan.
  int polls = 0;
  CallControl expiring;
  expiring.cancelled = [&polls] { return ++polls > 1; };
  report = api.Scan(request, expiring);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
  EXPECT_GE(polls, 2);
}

TEST_F(ScanApiTest, ListRulesPagesCoverEveryRuleOnceInOrder) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest request;
  request.set_page_size(4);
  std::vector<std::string> ids;
  int pages = 0;
  int total = -1;
  do {
    absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->rules_size(), 4);
    for (const v1::Rule& r : page->rules()) ids.push_back(r.rule_id());
    total = page->total_size();
    EXPECT_EQ(page->lexicon_version(), engine_->lexicons()->content_hash());
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 100);
  EXPECT_EQ(static_cast<int>(ids.size()), total);
  EXPECT_GT(pages, 2);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_THAT(ids, ::testing::Contains("de.gender.title_masculine_only"));
}

TEST_F(ScanApiTest, ListRulesFilters) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest request;
  request.set_page_size(1000);
  request.set_language_code("en");
  request.set_dimension(v1::DIMENSION_GENDER);
  absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_GT(page->rules_size(), 0);
  for (const v1::Rule& r : page->rules()) {
    EXPECT_TRUE(r.language_code().empty() || r.language_code() == "en")
        << r.rule_id();
    EXPECT_EQ(r.kind(), v1::Rule::KIND_FINDING);
    EXPECT_THAT(r.dimensions(), ::testing::Contains(v1::DIMENSION_GENDER));
    EXPECT_FALSE(r.lexicon_id().empty());
  }
  EXPECT_TRUE(page->next_page_token().empty());
}

// The four lexicon-only fields of a Rule reach ListRules together: the
// context conditions (170), the exceptions (171), the example texts (190)
// and the counter-examples (191). The shipped lexicons (the fixture has no
// example texts).
TEST(ScanApiShipped, ListRulesCarriesContextsExceptionsAndExamples) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ScanApi api(engine->get(), 1 << 20);
  v1::ListRulesRequest request;
  request.set_page_size(1000);
  request.set_language_code("de");
  request.set_dimension(v1::DIMENSION_AGE);
  absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(request);
  ASSERT_TRUE(page.ok()) << page.status();
  const v1::Rule* jung = nullptr;
  for (const v1::Rule& r : page->rules()) {
    if (r.rule_id() == "de.age.jung") jung = &r;
  }
  ASSERT_NE(jung, nullptr);
  EXPECT_THAT(jung->examples(),
              ::testing::Contains("Bewerber sollten jung sein."));
  EXPECT_THAT(jung->counter_examples(),
              ::testing::Contains("Unsere Kundschaft sind junge Familien."));
  EXPECT_THAT(jung->exceptions(), ::testing::Contains("jungs"));
  ASSERT_GT(jung->contexts_size(), 0);
  EXPECT_EQ(jung->contexts(0).effect(), v1::Rule::Context::EFFECT_SUPPRESS);
  EXPECT_THAT(jung->contexts(0).cues(), ::testing::Contains("menschen"));
}

TEST_F(ScanApiTest, ListRulesRejectsBadRequestsAllAtOnce) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest first;
  first.set_page_size(1);
  absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(first);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token().empty());

  // A token used with another filter.
  v1::ListRulesRequest other = first;
  other.set_page_token(page->next_page_token());
  other.set_language_code("de");
  EXPECT_EQ(ReasonOf(api.ListRules(other).status()), "INVALID_PAGE_TOKEN");

  v1::ListRulesRequest bad;
  bad.set_page_size(-1);
  bad.set_language_code("xx");
  bad.set_dimension(static_cast<v1::Dimension>(42));
  bad.set_page_token("garbage");
  absl::Status status = api.ListRules(bad).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad_request =
      BadRequestOf(ToRpcStatus(status, ""));
  for (const auto& v : bad_request.field_violations())
    fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("page_size", "language_code", "dimension",
                                  "page_token"));
}

TEST_F(ScanApiTest, LexiconInfoDescribesTheLoadedSet) {
  ScanApi api(engine_, 1 << 20);
  v1::GetLexiconInfoResponse info = api.GetLexiconInfo();
  EXPECT_EQ(info.content_hash(), engine_->lexicons()->content_hash());
  EXPECT_EQ(info.files_size(),
            static_cast<int>(engine_->lexicons()->files().size()));
  EXPECT_EQ(info.entry_count(), engine_->lexicons()->entry_count());
  EXPECT_THAT(info.language_codes(), ElementsAre("de", "en"));
  for (int i = 1; i < info.files_size(); ++i) {
    EXPECT_LT(info.files(i - 1).path(), info.files(i).path());
  }
  uint32_t entries = 0;
  for (const auto& f : info.files()) entries += f.entry_count();
  EXPECT_EQ(entries, info.entry_count());
}

TEST(ApiKeys, AcceptsOnlyConfiguredKeys) {
  google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
  config::v1::ApiKey* key = config.Add();
  key->set_name("board");
  key->set_sha256(
      "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(keys->enabled());
  EXPECT_EQ(*keys->Authenticate("Bearer s3cret"), "board");
  EXPECT_EQ(*keys->Authenticate("bearer s3cret"), "board");
  for (const char* bad : {"", "Bearer wrong", "s3cret", "Basic s3cret"}) {
    absl::StatusOr<std::string> who = keys->Authenticate(bad);
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << bad;
    EXPECT_EQ(ReasonOf(who.status()), "UNAUTHENTICATED");
  }
  EXPECT_FALSE(ApiKeys().enabled());
  EXPECT_TRUE(ApiKeys().Authenticate("").ok());
}

TEST(ApiKeys, RejectsMalformedDigests) {
  google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
  config.Add()->set_sha256("ABC");
  config.Add()->set_sha256(std::string(64, 'G'));
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(keys.status().message()), HasSubstr("api_keys[1]"));
  EXPECT_EQ(Sha256Hex("s3cret"),
            "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
}

// Issue 17, item 9: a digest of the empty (or a blank) key would let
// "Bearer " with nothing in; it is refused when the keys are loaded.
TEST(ApiKeys, RefusesTheDigestOfAnEmptyOrBlankKey) {
  for (const char* blank : {"", " ", "\t", "\n", "\r\n"}) {
    google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
    config.Add()->set_sha256(Sha256Hex("s3cret"));
    config::v1::ApiKey* empty = config.Add();
    empty->set_name("oops");
    empty->set_sha256(Sha256Hex(blank));
    absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument)
        << "blank key of " << strlen(blank) << " bytes";
    EXPECT_THAT(std::string(keys.status().message()),
                HasSubstr("api_keys[1] (oops): sha256 is the digest of an "
                          "empty or blank key"));
  }
  google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
  config.Add()->set_sha256(Sha256Hex("s3cret"));
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
  ASSERT_TRUE(keys.ok()) << keys.status();
  for (const char* bad : {"Bearer ", "Bearer    ", "Bearer \t"}) {
    EXPECT_EQ(keys->Authenticate(bad).status().code(),
              absl::StatusCode::kUnauthenticated)
        << bad;
  }
  EXPECT_TRUE(keys->Authenticate("Bearer  s3cret\n").ok());
}

TEST(PeerAddress, DropsThePortOnly) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:50051"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:443"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("ipv6:%5B::1%5D:443"), "ipv6:%5B::1%5D");
  EXPECT_EQ(PeerAddress("unix:/run/divcheck.sock"), "unix:/run/divcheck.sock");
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.1:"), "ipv4:10.0.0.1:");
  EXPECT_EQ(PeerAddress(""), "");
}

// Issue 17, item 11: the limiter's window, per peer, and its log lines.
TEST(AuthFailureLimiter, BlocksAPeerForTheRestOfItsWindow) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    JsonLog log(out);
    AuthFailureLimiter limiter(3, std::chrono::seconds(10), &log);
    const auto t0 = AuthFailureLimiter::Clock::now();
    const auto at = [t0](int s) { return t0 + std::chrono::seconds(s); };
    for (int i = 0; i < 3; ++i) {
      EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1", at(i))) << i;
      limiter.RecordFailure("ipv4:10.0.0.1", "the API key is not valid", at(i));
    }
    EXPECT_TRUE(limiter.Blocked("ipv4:10.0.0.1", at(3)));
    EXPECT_TRUE(limiter.Blocked("ipv4:10.0.0.1", at(9)));
    EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.2", at(3)));  // per peer
    // The window began with the first failure.
    EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1", at(10)));
    limiter.RecordFailure("ipv4:10.0.0.1", "x", at(11));
    EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1", at(11)));

    AuthFailureLimiter unlimited(0, std::chrono::seconds(10), &log);
    for (int i = 0; i < 100; ++i) unlimited.RecordFailure("p", "x", at(0));
    EXPECT_FALSE(unlimited.Blocked("p", at(0)));
  }
  std::rewind(out);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), out)) > 0;) {
    text.append(buf, n);
  }
  std::fclose(out);
  size_t failed = 0, limited = 0;
  for (size_t at = 0;
       (at = text.find("authentication failed", at)) != std::string::npos;
       ++at) {
    ++failed;
  }
  for (size_t at = 0; (at = text.find("authentication failures limited", at)) !=
                      std::string::npos;
       ++at) {
    ++limited;
  }
  EXPECT_EQ(failed, 104u);
  EXPECT_EQ(limited, 1u);  // once per window, not per refused call
  EXPECT_THAT(text, HasSubstr("\"peer\":\"ipv4:10.0.0.1\""));
}

TEST(DirectoryFingerprint, ChangesWithContentsNamesAndFiles) {
  testing::TempDir dir;
  dir.Write("de/a.textproto", "id: \"a\"\n");
  const std::string first = DirectoryFingerprint(dir.path());
  EXPECT_EQ(DirectoryFingerprint(dir.path()), first);
  dir.Write("de/a.textproto", "id: \"ab\"\n");  // another size
  const std::string second = DirectoryFingerprint(dir.path());
  EXPECT_NE(second, first);
  dir.Write("de/b.textproto", "");
  EXPECT_NE(DirectoryFingerprint(dir.path()), second);
  EXPECT_THAT(DirectoryFingerprint(dir.path() + "/missing"),
              ::testing::StartsWith("error"));
}

TEST(DirectoryWatcher, ReportsAChangeOnceItHasSettled) {
  testing::TempDir dir;
  dir.Write("a.textproto", "x");
  // Files are replaced whole (rename), so that no poll sees one half
  // written: each change must be reported exactly once.
  testing::TempDir staging;
  auto replace = [&](const std::string& name, const std::string& content) {
    staging.Write(name, content);
    std::filesystem::rename(staging.path() + "/" + name,
                            dir.path() + "/" + name);
  };
  std::atomic<int> changes{0};
  DirectoryWatcher watcher(dir.path(), std::chrono::milliseconds(20),
                           DirectoryFingerprint(dir.path()),
                           [&changes] { ++changes; });
  auto changes_reach = [&changes](int n) {
    for (int i = 0; i < 2000 && changes.load() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return changes.load() >= n;
  };
  // Nothing changed: nothing reported.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(changes.load(), 0);
  replace("a.textproto", "xy");
  EXPECT_TRUE(changes_reach(1));
  // Once per change, not at every poll.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(changes.load(), 1);
  replace("b.textproto", "");
  EXPECT_TRUE(changes_reach(2));
  watcher.Stop();
  EXPECT_EQ(changes.load(), 2);
}

TEST(ServerOptions, FlagsOverrideTheConfigFile) {
  absl::FlagSaver restore_flags;
  testing::TempDir dir;
  dir.Write(
      "server.textproto",
      "listen: \"0.0.0.0:6000\"\nlexicon_dir: \"lex\"\nreflection: false\n"
      "max_text_bytes: 2048\nshutdown_grace_seconds: 3\n"
      "watch_lexicons_seconds: 5\n");
  absl::SetFlag(&FLAGS_config, dir.path() + "/server.textproto");
  absl::SetFlag(&FLAGS_listen, "127.0.0.1:7000");
  absl::SetFlag(&FLAGS_max_text_bytes, 4096);
  absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/default");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->listen, "127.0.0.1:7000");
  EXPECT_EQ(o->lexicon_dir, dir.path() + "/lex");  // relative to the file
  EXPECT_FALSE(o->reflection);
  EXPECT_EQ(o->max_text_bytes, 4096u);
  EXPECT_EQ(o->shutdown_grace, std::chrono::seconds(3));
  EXPECT_EQ(o->watch_lexicons, std::chrono::seconds(5));
  absl::SetFlag(&FLAGS_watch_lexicons_seconds, 0);
  o = ServerOptionsFromFlags("/default");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->watch_lexicons, std::chrono::seconds(0));
}

TEST(ServerOptions, DefaultsAndBooleanFlags) {
  absl::FlagSaver restore_flags;
  absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/default");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->listen, "127.0.0.1:50051");
  EXPECT_EQ(o->lexicon_dir, "/default");
  EXPECT_TRUE(o->reflection);
  EXPECT_TRUE(o->log_requests);
  EXPECT_EQ(o->max_text_bytes, size_t{1} << 20);
  EXPECT_EQ(o->shutdown_grace, std::chrono::seconds(10));
  absl::SetFlag(&FLAGS_reflection, false);
  o = ServerOptionsFromFlags("/default");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->reflection);
}

TEST(ServerOptions, NormalizeFlagNamesTurnsDashesIntoUnderscoresInNamesOnly) {
  const char* argv[] = {
      "divcheckd", "--max-text-bytes=4-2", "--no-reflection", "-h", "--",
      "--a-b"};
  EXPECT_THAT(NormalizeFlagNames(6, argv),
              ElementsAre("divcheckd", "--max_text_bytes=4-2",
                          "--no_reflection", "-h", "--", "--a-b"));
}

TEST(ServerOptions, ReportsValuesOutOfRangeAndConfigPositions) {
  auto expect_invalid = [](auto* flag, auto value) {
    absl::FlagSaver restore_flags;
    absl::SetFlag(flag, value);
    EXPECT_EQ(ServerOptionsFromFlags("/d").status().code(),
              absl::StatusCode::kInvalidArgument)
        << absl::GetFlagReflectionHandle(*flag).Name();
  };
  expect_invalid(&FLAGS_listen, std::string("nohostport"));
  expect_invalid(&FLAGS_metrics_listen, std::string("nohostport"));
  expect_invalid(&FLAGS_max_text_bytes, uint64_t{0});
  expect_invalid(&FLAGS_max_text_bytes, (uint64_t{1} << 30) + 1);
  expect_invalid(&FLAGS_shutdown_grace_seconds, uint64_t{0});
  expect_invalid(&FLAGS_shutdown_grace_seconds, ~uint64_t{0});
  expect_invalid(&FLAGS_watch_lexicons_seconds, uint32_t{3601});
  expect_invalid(&FLAGS_http_listen, std::string("8080"));
  expect_invalid(&FLAGS_http_threads, uint32_t{0});
  expect_invalid(&FLAGS_http_threads, uint32_t{1025});
  expect_invalid(&FLAGS_gender_form, std::string("gendered"));
  testing::TempDir dir;
  dir.Write("bad.textproto", "listen: \"x:1\"\nno_such_field: 3\n");
  absl::StatusOr<config::v1::ServerConfig> config =
      LoadServerConfig(dir.path() + "/bad.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("bad.textproto:2:1"));
  EXPECT_EQ(LoadServerConfig(dir.path() + "/missing").status().code(),
            absl::StatusCode::kNotFound);
  absl::FlagSaver restore_flags;
  absl::SetFlag(&FLAGS_config, dir.path() + "/bad.textproto");
  EXPECT_EQ(ServerOptionsFromFlags("/d").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Issue 17: the limits have safe defaults, come from the config file or
// the flags, and are bounded.
TEST(ServerOptions, LimitsHaveDefaultsAndRanges) {
  {
    absl::FlagSaver restore_flags;
    absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/d");
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->max_concurrent_streams, 100u);
    EXPECT_EQ(o->memory_quota_bytes, uint64_t{1} << 30);
    EXPECT_EQ(o->max_connection_idle, std::chrono::seconds(300));
    EXPECT_EQ(o->max_connection_age, std::chrono::seconds(3600));
    EXPECT_EQ(o->max_connection_age_grace, std::chrono::seconds(60));
    EXPECT_EQ(o->handshake_timeout, std::chrono::seconds(20));
    EXPECT_EQ(o->max_auth_failures_per_peer, 20u);
    EXPECT_EQ(o->auth_failure_window, std::chrono::seconds(60));
    EXPECT_EQ(o->drain, std::chrono::seconds(0));
  }
  {
    absl::FlagSaver restore_flags;
    testing::TempDir dir;
    dir.Write("server.textproto",
              "max_concurrent_streams: 7\nmax_connection_idle_seconds: 0\n"
              "drain_seconds: 4\nmax_auth_failures_per_peer: 0\n");
    absl::SetFlag(&FLAGS_config, dir.path() + "/server.textproto");
    absl::SetFlag(&FLAGS_drain_seconds, 5);
    absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/d");
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->max_concurrent_streams, 7u);
    EXPECT_EQ(o->max_connection_idle, std::chrono::seconds(0));
    EXPECT_EQ(o->drain, std::chrono::seconds(5));  // the flag wins
    EXPECT_EQ(o->max_auth_failures_per_peer, 0u);
  }
  auto expect_invalid = [](auto* flag, auto value, const char* message) {
    absl::FlagSaver restore_flags;
    absl::SetFlag(flag, value);
    absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/d");
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument)
        << absl::GetFlagReflectionHandle(*flag).Name();
    EXPECT_THAT(std::string(o.status().message()), HasSubstr(message));
  };
  expect_invalid(&FLAGS_max_concurrent_streams, uint32_t{0},
                 "--max_concurrent_streams must be between 1 and 100000");
  expect_invalid(&FLAGS_memory_quota_bytes, uint64_t{1 << 20},
                 "--memory_quota_bytes must be between 16777216");
  expect_invalid(&FLAGS_handshake_timeout_seconds, uint32_t{0},
                 "--handshake_timeout_seconds");
  expect_invalid(&FLAGS_auth_failure_window_seconds, uint32_t{0},
                 "--auth_failure_window_seconds");
  expect_invalid(&FLAGS_drain_seconds, uint32_t{301}, "--drain_seconds");
  expect_invalid(&FLAGS_max_connection_age_seconds, ~uint32_t{0},
                 "--max_connection_age_seconds");
}

TEST(ServerOptions, DefaultGenderFormComesFromConfigOrFlags) {
  absl::FlagSaver restore_flags;
  absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->default_gender_form, v1::GENDER_FORM_UNSPECIFIED);
  testing::TempDir dir;
  dir.Write("server.textproto", "default_gender_form: \"colon\"\n");
  absl::SetFlag(&FLAGS_config, dir.path() + "/server.textproto");
  o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->default_gender_form, v1::GENDER_FORM_COLON);
  absl::SetFlag(&FLAGS_gender_form, std::string("neutral"));
  o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->default_gender_form, v1::GENDER_FORM_NEUTRAL);
  dir.Write("bad.textproto", "default_gender_form: \"sternchen\"\n");
  absl::SetFlag(&FLAGS_gender_form, std::nullopt);
  absl::SetFlag(&FLAGS_config, dir.path() + "/bad.textproto");
  o = ServerOptionsFromFlags("/d");
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(o.status().message()), HasSubstr("sternchen"));
}

TEST(ServerOptions, HttpPortIsOffUnlessSetAndComesFromConfigOrFlags) {
  absl::FlagSaver restore_flags;
  absl::StatusOr<ServerOptions> o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->http_listen, "");
  EXPECT_EQ(o->http_threads, 64u);
  EXPECT_TRUE(o->http_cors_origins.empty());
  EXPECT_EQ(o->http_deadline, std::chrono::milliseconds(30000));
  testing::TempDir dir;
  dir.Write(
      "server.textproto",
      "http_listen: \"127.0.0.1:8080\"\nhttp_threads: 8\n"
      "http_cors_origins: \"https://a.example\"\n"
      "http_cors_origins: \"https://b.example\"\nhttp_deadline_ms: 500\n");
  absl::SetFlag(&FLAGS_config, dir.path() + "/server.textproto");
  o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->http_listen, "127.0.0.1:8080");
  EXPECT_EQ(o->http_threads, 8u);
  EXPECT_THAT(o->http_cors_origins,
              ::testing::ElementsAre("https://a.example", "https://b.example"));
  EXPECT_EQ(o->http_deadline, std::chrono::milliseconds(500));
  absl::SetFlag(&FLAGS_http_listen, "[::1]:9090");
  absl::SetFlag(&FLAGS_http_threads, 128);
  o = ServerOptionsFromFlags("/d");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->http_listen, "[::1]:9090");
  EXPECT_EQ(o->http_threads, 128u);
}

TEST(JsonLog, QuotesAndReplacesInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(JsonQuote("grüß"), "\"grüß\"");
  EXPECT_EQ(JsonQuote("x\xff"), "\"x\xEF\xBF\xBD\"");
  testing::TempDir dir;
  const std::string path = dir.path() + "/log";
  FILE* f = std::fopen(path.c_str(), "w");
  {
    JsonLog log(f);
    log.Info("hello", {{"n", 3}, {"ok", true}, {"ms", 1.5}, {"s", "v"}});
  }
  std::fclose(f);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_THAT(
      line,
      HasSubstr("\"level\":\"info\",\"msg\":\"hello\",\"n\":3,\"ok\":true,"
                "\"ms\":1.500,\"s\":\"v\"}"));
}

TEST(JsonLog, BufferedLinesKeepTheirOrderAndAreFlushed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/log";
  FILE* f = std::fopen(path.c_str(), "w");
  auto read = [&path] {
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
  };
  {
    JsonLog log(f, std::chrono::milliseconds(20));
    log.LogBuffered("info", "first", {});
    log.Info("second");  // writes the held line first
    std::string text = read();
    // Both written, in order (find() is npos for a missing line, which
    // would compare greater than any position).
    ASSERT_NE(text.find("\"second\""), std::string::npos)
        << "Info() did not write its line at once:\n"
        << text;
    EXPECT_LT(text.find("\"first\""), text.find("\"second\""));
    log.LogBuffered("info", "third", {});
    for (int i = 0; i < 200 && read().find("third") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_NE(read().find("\"third\""), std::string::npos)
        << "not flushed in time";
    log.LogBuffered("info", "fourth", {});
  }
  std::fclose(f);
  EXPECT_NE(read().find("\"fourth\""), std::string::npos)
      << "not flushed on destruction";
}

}  // namespace
}  // namespace divcheck::service
