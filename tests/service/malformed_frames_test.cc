// Issue 17, point 6: gRPC requests that are not one whole message — no
// message, a cut-off one, a flag byte other than 0 and 1, a compressed
// flag without a compression, random bytes — must never be answered OK with
// a report. The frames are sent by curl over cleartext HTTP/2 (a gRPC
// client library frames every message itself and cannot send them), to the
// real divcheckd, each a few times because gRPC's handling of some of them
// depends on timing.
//
// What gRPC 1.51 (Debian 12) does with each, seen in these tests:
// - No DATA at all, fewer than the 5 bytes of the length prefix, or a prefix
//   announcing more bytes than follow: the handler gets no message (an
//   invalid ByteBuffer) → INVALID_ARGUMENT / MALFORMED_REQUEST ("no complete
//   … message was received").
// - A prefix of length 0 (00 00 00 00 00): a whole message with every field
//   at its default.
// - A flag byte of 2..255: chttp2 logs "Bad GRPC frame type" and drops the
//   bytes, but when the DATA arrived before the handler asked for the
//   message (most calls) it still hands the handler a message of ZERO bytes,
//   with nothing that tells it apart from a real empty message; otherwise no
//   message. So divcheckd refuses a ScanTextRequest that sets no field
//   (MALFORMED_REQUEST); ScanForm, CreateAssessment, GetAssessment,
//   ListAssessments and CompareAssessments refuse their empty requests
//   anyway (INVALID_ARGUMENT); GetQuestionnaire, ListRules and
//   GetLexiconInfo answer what an empty request gets (the default
//   questionnaire, every rule, the lexicon list) — the same bytes as for a
//   real empty request.
// - Flag byte 1 without grpc-encoding (or with "identity", or a name gRPC
//   does not know): gRPC ignores the flag and hands the bytes over as an
//   uncompressed message. Really compressed bytes are then no message
//   (MALFORMED_REQUEST); bytes that happen to be an uncompressed message are
//   answered as that message.
// - Flag byte 1 with grpc-encoding gzip or deflate: UNIMPLEMENTED
//   "Compression algorithm 'gzip' is disabled." from gRPC itself
//   (divcheckd turns decompression off, issue 17 point 2).
// - Random bytes: a first byte of 0 or 1 gives a length prefix far larger
//   than what follows (no message); any other first byte is a bad flag.
// - StreamScanText: a stream that ends in a cut-off message ends OK with no
//   answer to it (gRPC drops it as at the end of any stream: the client sees
//   one answer fewer than it sent); a zero-byte or bad-flag message gets an
//   error answer (MALFORMED_REQUEST) — never a report.
#include <sys/wait.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "divcheck/v1/scan_service.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::ServerProcess;
using testing::TempDir;

constexpr int kRepeats = 3;
constexpr char kScanText[] = "/divcheck.v1.ScanService/ScanText";
constexpr char kStream[] = "/divcheck.v1.ScanService/StreamScanText";
constexpr char kScanForm[] = "/divcheck.v1.ScanService/ScanForm";

// A gRPC frame: flag byte, 4-byte big-endian length, bytes.
std::string Frame(uint8_t flag, const std::string& bytes,
                  size_t announced = std::string::npos) {
  const size_t n = announced == std::string::npos ? bytes.size() : announced;
  std::string frame(1, static_cast<char>(flag));
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  return frame + bytes;
}

std::string ScanTextBytes(const std::string& text) {
  v1::ScanTextRequest request;
  request.set_text(text);
  request.set_language_code("de");
  return request.SerializeAsString();
}

// What curl got back: its exit status, the grpc-status trailer (-1: none),
// grpc-message and the reason of the ErrorInfo in grpc-status-details-bin,
// and each message of the response body.
struct Answer {
  int curl_exit = -1;
  int status = -1;
  std::string message;
  std::string reason;
  std::vector<std::string> messages;
  std::string headers;
};

std::string HeaderValue(const std::string& headers, const std::string& name) {
  const std::string key = "\n" + name + ": ";
  const size_t at = ("\n" + headers).find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size() - 1;
  const size_t end = headers.find_first_of("\r\n", start);
  return headers.substr(start, end - start);
}

std::string ReasonOf(const std::string& details_base64) {
  std::string bytes;
  google::rpc::Status status;
  if (!absl::Base64Unescape(details_base64, &bytes) ||
      !status.ParseFromString(bytes)) {
    return "";
  }
  for (const auto& any : status.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

class MalformedFramesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::system("curl --version >/dev/null 2>&1") != 0) return;
    server_ = new ServerProcess({"--lexicons=" + testing::TestLexiconDir()});
    if (!server_->Start()) {
      ADD_FAILURE() << server_->Log();
      delete server_;
      server_ = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "no curl, or no server";
  }

  // POSTs `body` as the request body of `method` with curl (HTTP/2 without
  // TLS, prior knowledge), with the extra `headers`.
  Answer Post(const std::string& method, const std::string& body,
              const std::string& headers = "") const {
    dir_.Write("body.bin", body);
    const std::string out = dir_.path() + "/out.bin";
    const std::string head = dir_.path() + "/headers.txt";
    std::remove(out.c_str());
    std::remove(head.c_str());
    const std::string command = absl::StrCat(
        "curl -s --max-time 10 --http2-prior-knowledge -H 'content-type: "
        "application/grpc' -H 'te: trailers' ",
        headers, " --data-binary @", dir_.path(), "/body.bin -o ", out, " -D ",
        head, " http://", server_->address(), method);
    Answer answer;
    const int wait_status = std::system(command.c_str());
    answer.curl_exit = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    answer.headers = ReadFile(head);
    const std::string status = HeaderValue(answer.headers, "grpc-status");
    if (!status.empty()) answer.status = std::atoi(status.c_str());
    answer.message = HeaderValue(answer.headers, "grpc-message");
    answer.reason =
        ReasonOf(HeaderValue(answer.headers, "grpc-status-details-bin"));
    const std::string data = ReadFile(out);
    for (size_t at = 0; at + 5 <= data.size();) {
      size_t n = 0;
      for (int i = 1; i <= 4; ++i) {
        n = (n << 8) | static_cast<uint8_t>(data[at + i]);
      }
      answer.messages.push_back(data.substr(at + 5, n));
      at += 5 + n;
    }
    return answer;
  }

  static ServerProcess* server_;
  TempDir dir_;
};

ServerProcess* MalformedFramesTest::server_ = nullptr;

// Every body that is not one whole, non-empty message, named.
std::vector<std::pair<std::string, std::string>> BrokenBodies() {
  const std::string message = ScanTextBytes("Verkäufer gesucht");
  std::vector<std::pair<std::string, std::string>> bodies = {
      {"no DATA", ""},
      {"3 bytes of the prefix", std::string("\0\0\0", 3)},
      {"zero-length message", Frame(0, "")},
      {"cut off (announces 16 more bytes)",
       Frame(0, message, message.size() + 16)},
      {"flag byte 2", Frame(2, message)},
      {"flag byte 0x7f", Frame(0x7f, message)},
      {"flag byte 0x80", Frame(0x80, message)},
      {"flag byte 0xff", Frame(0xff, message)},
  };
  std::mt19937 random(17);  // the same bytes on every run
  for (int i = 0; i < 6; ++i) {
    std::string bytes(8 + random() % 120, '\0');
    for (char& c : bytes) c = static_cast<char>(random() & 0xff);
    bodies.emplace_back(absl::StrCat("random bytes #", i), bytes);
  }
  return bodies;
}

TEST_F(MalformedFramesTest, AValidFrameGetsAReport) {
  // The harness itself: a whole message is answered with a report.
  const Answer answer =
      Post(kScanText, Frame(0, ScanTextBytes("Verkäufer gesucht")));
  EXPECT_EQ(answer.status, 0) << answer.headers;
  ASSERT_EQ(answer.messages.size(), 1u);
  v1::ScanTextResponse response;
  ASSERT_TRUE(response.ParseFromString(answer.messages[0]));
  EXPECT_GT(response.report().findings_size(), 0);
}

TEST_F(MalformedFramesTest, ScanTextAnswersMalformedRequest) {
  for (const auto& [name, body] : BrokenBodies()) {
    for (int i = 0; i < kRepeats; ++i) {
      SCOPED_TRACE(absl::StrCat(name, ", try ", i + 1));
      const Answer answer = Post(kScanText, body);
      EXPECT_EQ(answer.status, 3) << answer.headers;
      EXPECT_EQ(answer.reason, "MALFORMED_REQUEST") << answer.headers;
      EXPECT_TRUE(answer.messages.empty());
    }
  }
}

TEST_F(MalformedFramesTest, ScanFormNeverAnswersOk) {
  for (const auto& [name, body] : BrokenBodies()) {
    for (int i = 0; i < kRepeats; ++i) {
      SCOPED_TRACE(absl::StrCat(name, ", try ", i + 1));
      const Answer answer = Post(kScanForm, body);
      // MALFORMED_REQUEST, or INVALID_FORM for the empty form gRPC made of
      // the bytes.
      EXPECT_EQ(answer.status, 3) << answer.headers;
      EXPECT_THAT(answer.reason,
                  ::testing::AnyOf("MALFORMED_REQUEST", "INVALID_FORM"));
      EXPECT_TRUE(answer.messages.empty());
    }
  }
}

TEST_F(MalformedFramesTest, StreamScanTextNeverAnswersWithAReport) {
  for (const auto& [name, body] : BrokenBodies()) {
    for (int i = 0; i < kRepeats; ++i) {
      SCOPED_TRACE(absl::StrCat(name, ", try ", i + 1));
      const Answer answer = Post(kStream, body);
      EXPECT_NE(answer.status, -1) << answer.headers;
      for (const std::string& bytes : answer.messages) {
        v1::ScanTextResponse response;
        ASSERT_TRUE(response.ParseFromString(bytes));
        EXPECT_FALSE(response.has_report()) << response.ShortDebugString();
        EXPECT_THAT(response.error().message(), HasSubstr("sets no field"));
      }
    }
  }
  // A good message before the broken one still gets its report.
  const Answer answer =
      Post(kStream, Frame(0, ScanTextBytes("Verkäufer gesucht")) +
                        Frame(0xff, ScanTextBytes("Verkäufer gesucht")));
  ASSERT_GE(answer.messages.size(), 1u);
  v1::ScanTextResponse first;
  ASSERT_TRUE(first.ParseFromString(answer.messages[0]));
  EXPECT_GT(first.report().findings_size(), 0);
  for (size_t i = 1; i < answer.messages.size(); ++i) {
    v1::ScanTextResponse response;
    ASSERT_TRUE(response.ParseFromString(answer.messages[i]));
    EXPECT_FALSE(response.has_report());
  }
}

TEST_F(MalformedFramesTest, AssessmentMethodsNeverAnswerOkToBrokenFrames) {
  for (const std::string method : {"CreateAssessment", "GetAssessment",
                                   "ListAssessments", "CompareAssessments"}) {
    for (const auto& [name, body] : BrokenBodies()) {
      SCOPED_TRACE(absl::StrCat(method, ": ", name));
      const Answer answer =
          Post("/divcheck.v1.AssessmentService/" + method, body);
      EXPECT_EQ(answer.status, 3) << answer.headers;
      EXPECT_TRUE(answer.messages.empty());
    }
  }
}

TEST_F(MalformedFramesTest, ReadMethodsAnswerNoMoreThanAnEmptyRequestGets) {
  for (const std::string method : {"/divcheck.v1.AssessmentService/"
                                   "GetQuestionnaire",
                                   "/divcheck.v1.ScanService/ListRules",
                                   "/divcheck.v1.ScanService/GetLexiconInfo"}) {
    const Answer empty = Post(method, Frame(0, ""));
    ASSERT_EQ(empty.status, 0) << method << empty.headers;
    for (const auto& [name, body] : BrokenBodies()) {
      SCOPED_TRACE(absl::StrCat(method, ": ", name));
      const Answer answer = Post(method, body);
      if (answer.status == 0) {
        EXPECT_EQ(answer.messages, empty.messages);
      } else {
        EXPECT_EQ(answer.status, 3) << answer.headers;
        EXPECT_EQ(answer.reason, "MALFORMED_REQUEST");
      }
    }
  }
}

TEST_F(MalformedFramesTest, CompressedFlagWithoutACompressionIsNotTrusted) {
  const std::string message = ScanTextBytes("Verkäufer gesucht");
  // The start of a gzip stream ("\x1f\x8b…"): with no grpc-encoding gRPC
  // hands the bytes over as they are, and they are no ScanTextRequest.
  std::string gzipped("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  gzipped += std::string("\xe3\xe2\x0b\x4b\x2d\xca\x3e\xbc", 8);
  for (const std::string encoding : {"", "identity"}) {
    SCOPED_TRACE(encoding);
    const std::string header =
        encoding.empty() ? "" : "-H 'grpc-encoding: " + encoding + "'";
    Answer answer = Post(kScanText, Frame(1, gzipped), header);
    EXPECT_EQ(answer.status, 3) << answer.headers;
    EXPECT_EQ(answer.reason, "MALFORMED_REQUEST");
    // An uncompressed message with the flag set: gRPC ignores the flag, and
    // the message is answered as what it is.
    answer = Post(kScanText, Frame(1, message), header);
    EXPECT_EQ(answer.status, 0) << answer.headers;
    EXPECT_EQ(answer.messages, Post(kScanText, Frame(0, message)).messages);
  }
  // A declared compression is refused by gRPC itself, at once: the
  // trailers, and a reset of the stream that curl, still sending, sometimes
  // sees first (exit status 92, "Stream error in the HTTP/2 framing layer").
  for (const std::string encoding : {"gzip", "deflate"}) {
    for (int i = 0; i < kRepeats; ++i) {
      SCOPED_TRACE(absl::StrCat(encoding, ", try ", i + 1));
      const Answer answer = Post(kScanText, Frame(1, gzipped),
                                 "-H 'grpc-encoding: " + encoding + "'");
      EXPECT_TRUE(answer.messages.empty());
      if (answer.curl_exit == 92 && answer.status == -1) continue;
      EXPECT_EQ(answer.status, 12) << answer.headers;
      EXPECT_THAT(answer.message, HasSubstr("is disabled"));
    }
  }
}

}  // namespace
}  // namespace divcheck
