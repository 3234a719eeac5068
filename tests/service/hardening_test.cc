// Integration tests of divcheckd's defences (issue 17): the real binary on a
// loopback port, attacked boundedly — compressed-request bombs, idle
// connections up to the open-file limit, key guessing, fail-open
// configurations, and shutdown behind a load balancer.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "health.grpc.pb.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::testing::HasSubstr;
using testing::ServerProcess;
using testing::TempDir;

namespace health = ::grpc::health::v1;

constexpr char kAd[] = "Verkäufer gesucht\nWir sind ein junges Team.\n";
// sha256("s3cret")
constexpr char kKeyDigest[] =
    "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

std::shared_ptr<grpc::Channel> NewChannel(const ServerProcess& server) {
  // A channel argument no other channel has, so no connection is shared.
  static int unique = 0;
  grpc::ChannelArguments args;
  args.SetInt("divcheck.test.unique", ++unique);
  return grpc::CreateCustomChannel(server.address(),
                                   grpc::InsecureChannelCredentials(), args);
}

v1::ScanTextRequest Request(const std::string& text) {
  v1::ScanTextRequest r;
  r.set_text(text);
  r.set_language_code("de");
  return r;
}

grpc::Status Scan(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& authorization = "",
    std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
  grpc::ClientContext ctx;
  ctx.set_deadline(In(deadline));
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  v1::ScanTextResponse response;
  return v1::ScanService::NewStub(channel)->ScanText(&ctx, Request(kAd),
                                                     &response);
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

// A field of /proc/PID/status in kB ("VmHWM", "VmRSS"); -1 if absent.
long ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    long kb = -1;
    std::string digits;
    for (char c : line) {
      if (c >= '0' && c <= '9') digits += c;
    }
    return absl::SimpleAtoi(digits, &kb) ? kb : -1;
  }
  return -1;
}

// Issue 17, item 2: a small gzip request used to be inflated in full before
// any size limit (1 MB → 1 GiB). Now compressed requests are refused
// without being inflated, and the refusal is logged.
TEST(CompressedRequests, AreRefusedWithoutBeingInflated) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir()});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = NewChannel(server);
  ASSERT_TRUE(Scan(channel).ok());  // warm up: the server's steady state
  const long before_kb = ProcStatusKb(server.pid(), "VmHWM");
  ASSERT_GT(before_kb, 0);

  // 64 MiB of text: about 64 KiB on the wire, far under every size limit.
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(10000)));
  ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  v1::ScanTextResponse response;
  grpc::Status status = v1::ScanService::NewStub(channel)->ScanText(
      &ctx, Request(std::string(64 << 20, 'a')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("gzip"));

  // The server never held the inflated text (it would add 64 MiB).
  const long after_kb = ProcStatusKb(server.pid(), "VmHWM");
  EXPECT_LT(after_kb - before_kb, 16 * 1024)
      << "peak RSS grew from " << before_kb << " kB to " << after_kb << " kB";
  EXPECT_TRUE(server.WaitForLogLines("Compression algorithm 'gzip' is disabled",
                                     1, std::chrono::seconds(5)))
      << server.Log();
  // Uncompressed calls on the same channel are served as before.
  EXPECT_TRUE(Scan(channel).ok());
}

// Issue 17, item 3: gRPC 1.51's accept loop stops for good when accept()
// fails with EMFILE. divcheckd raises its soft open-file limit to the hard
// limit, so idle connections far beyond a low soft limit (64 here) neither
// exhaust it nor stop the listener, and it accepts again after they close.
TEST(IdleConnections, UpToNearTheFileLimitDoNotStopTheListener) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir()});
  server.set_open_file_limit(64, 384);
  ASSERT_TRUE(server.Start()) << server.Log();
  EXPECT_EQ(server.ListeningField("max_open_files"), 384) << server.Log();

  // Near the hard limit: the server itself holds a few dozen descriptors.
  std::vector<int> idle = testing::OpenIdleConnections(server.port(), 300,
                                                       /*http2_preface=*/true);
  EXPECT_EQ(idle.size(), 300u);
  // Let the server accept them all.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  grpc::Status during = Scan(NewChannel(server));
  EXPECT_TRUE(during.ok()) << during.error_message();
  for (int fd : idle) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  grpc::Status after = Scan(NewChannel(server));
  EXPECT_TRUE(after.ok()) << after.error_message() << "\n" << server.Log();
}

// Idle connections and unfinished handshakes are closed by the server, so
// they cannot pile up.
TEST(IdleConnections, AreClosedAfterTheIdleAndHandshakeTimeouts) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--max_connection_idle_seconds=1",
                        "--handshake_timeout_seconds=1"});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::vector<int> http2 =
      testing::OpenIdleConnections(server.port(), 10, /*http2_preface=*/true);
  std::vector<int> silent =
      testing::OpenIdleConnections(server.port(), 10, /*http2_preface=*/false);
  ASSERT_EQ(http2.size() + silent.size(), 20u);
  // One deadline for all: closed within a few seconds of the 1 s timeouts.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  for (const std::vector<int>* fds : {&http2, &silent}) {
    for (int fd : *fds) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      EXPECT_TRUE(testing::WaitForClose(
          fd, std::max(left, std::chrono::milliseconds(1))))
          << (fds == &http2 ? "idle HTTP/2" : "silent") << " connection";
      ::close(fd);
    }
  }
  EXPECT_TRUE(Scan(NewChannel(server)).ok());
}

// Issue 17, item 11: key guessing is limited per peer address, and every
// failure is logged with the peer.
TEST(AuthFailures, AreLimitedPerPeerAndLoggedWithTheAddress) {
  TempDir dir;
  dir.Write("server.textproto",
            absl::StrCat("api_keys { name: \"board\" sha256: \"", kKeyDigest,
                         "\" }\n"));
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--config=" + dir.path() + "/server.textproto",
                        "--max_auth_failures_per_peer=3",
                        "--auth_failure_window_seconds=2"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = NewChannel(server);
  ASSERT_TRUE(Scan(channel, "Bearer s3cret").ok());
  for (const char* wrong : {"Bearer guess1", "Bearer guess2", ""}) {
    grpc::Status s = Scan(channel, wrong);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << wrong;
  }
  // Blocked now, even with the right key: guessing cannot go on.
  for (const char* any : {"Bearer guess4", "Bearer s3cret"}) {
    grpc::Status s = Scan(channel, any);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << any;
    EXPECT_EQ(ReasonOf(s), "TOO_MANY_AUTH_FAILURES");
  }
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"authentication failed\"", 3,
                                     std::chrono::seconds(5)));
  EXPECT_EQ(server.CountLogLines("\"peer\":\"ipv4:127.0.0.1\""), 4)
      << server.Log();
  EXPECT_EQ(server.CountLogLines("authentication failures limited"), 1);
  EXPECT_EQ(server.Log().find("guess"), std::string::npos);
  // After the window the peer may try again.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  grpc::Status again = Scan(channel, "Bearer s3cret");
  EXPECT_TRUE(again.ok()) << again.error_message();
}

// Issue 17, item 9: configurations that would let everybody in are refused
// at start-up with a message saying why; so is a TLS key that does not
// belong to its certificate.
class FailOpenConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        std::system(("bash " DIVCHECK_MAKE_CERTS " " + dir_.path()).c_str()),
        0);
  }
  // Starts divcheckd with `config`; it must refuse, logging `message`.
  void ExpectRefused(const std::string& config, const std::string& message) {
    dir_.Write("server.textproto", config);
    ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                          "--config=" + dir_.path() + "/server.textproto"});
    EXPECT_FALSE(server.Start()) << config;
    EXPECT_THAT(server.Log(), HasSubstr(message)) << config;
    EXPECT_EQ(server.CountLogLines("listening on"), 0);
  }
  TempDir dir_;
};

TEST_F(FailOpenConfig, RequireClientCertWithoutCaIsRefused) {
  ExpectRefused(
      "tls { cert_file: \"server.crt\" key_file: \"server.key\" "
      "require_client_cert: true }\n",
      "require_client_cert needs client_ca_file");
}

TEST_F(FailOpenConfig, DigestOfAnEmptyKeyIsRefused) {
  // sha256("") would authenticate "authorization: Bearer ".
  ExpectRefused(
      "api_keys { name: \"empty\" sha256: "
      "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" "
      "}\n",
      "api_keys[0] (empty): sha256 is the digest of an empty or blank key");
}

TEST_F(FailOpenConfig, KeyOfAnotherCertificateIsRefused) {
  ExpectRefused("tls { cert_file: \"server.crt\" key_file: \"client.key\" }\n",
                "key_file does not match the certificate in cert_file");
}

}  // namespace
}  // namespace divcheck
