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
  // gRPC's own line, as a line of the JSON log.
  EXPECT_TRUE(server.WaitForLogLines(
      "\"level\":\"error\",\"msg\":\"grpc: Compression algorithm 'gzip' is "
      "disabled.\"",
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

// Issue 17, item 16: after SIGTERM health turns NOT_SERVING at once while
// calls are still served for the drain delay; then new calls are refused
// with UNAVAILABLE, and a stream cut at the end of the grace period is
// UNAVAILABLE too, never CANCELLED.
TEST(Shutdown, DrainsWhileNotServingThenRefusesWithUnavailable) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--drain_seconds=2", "--shutdown_grace_seconds=2"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = NewChannel(server);
  auto health_stub = health::Health::NewStub(channel);
  grpc::ClientContext watch_ctx;
  health::HealthCheckRequest watch_request;
  watch_request.set_service("divcheck.v1.ScanService");
  auto watch = health_stub->Watch(&watch_ctx, watch_request);
  health::HealthCheckResponse health_response;
  ASSERT_TRUE(watch->Read(&health_response));
  EXPECT_EQ(health_response.status(), health::HealthCheckResponse::SERVING);

  // A stream that outlives the grace period.
  grpc::ClientContext stream_ctx;
  stream_ctx.set_deadline(In(std::chrono::milliseconds(30000)));
  auto stream = v1::ScanService::NewStub(channel)->StreamScanText(&stream_ctx);
  v1::ScanTextResponse response;
  ASSERT_TRUE(stream->Write(Request(kAd)));
  ASSERT_TRUE(stream->Read(&response));

  const auto sigterm = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&health_response));
  EXPECT_EQ(health_response.status(), health::HealthCheckResponse::NOT_SERVING);
  watch_ctx.TryCancel();
  watch->Finish();
  // Still served while draining, on the open channel and a new one.
  EXPECT_TRUE(Scan(channel).ok());
  EXPECT_TRUE(Scan(NewChannel(server)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - sigterm,
            std::chrono::milliseconds(1500));
  ASSERT_TRUE(server.WaitForLogLines("drained: refusing new calls", 1,
                                     std::chrono::seconds(5)))
      << server.Log();
  EXPECT_GE(std::chrono::steady_clock::now() - sigterm,
            std::chrono::milliseconds(1900));
  // Refused now — retryable, not cancelled.
  for (auto c : {channel, NewChannel(server)}) {
    grpc::Status refused = Scan(c, "", std::chrono::milliseconds(1000));
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE)
        << refused.error_message();
  }
  // The stream still runs in the grace period, then is cut as UNAVAILABLE.
  ASSERT_TRUE(stream->Write(Request(kAd)));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status cut = stream->Finish();
  EXPECT_EQ(cut.error_code(), grpc::StatusCode::UNAVAILABLE)
      << cut.error_message();
  const int wait_status = server.WaitForExit(std::chrono::seconds(8));
  ASSERT_NE(wait_status, -1) << server.Log();
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  EXPECT_EQ(server.CountLogLines("\"code\":\"CANCELLED\""), 0) << server.Log();
}

TEST(Shutdown, DrainDelayIsBoundedAndASecondSigtermEndsIt) {
  ServerProcess too_long(
      {"--lexicons=" + testing::TestLexiconDir(), "--drain_seconds=301"});
  EXPECT_FALSE(too_long.Start());
  EXPECT_THAT(too_long.Log(), HasSubstr("--drain_seconds must be between"));

  ServerProcess server(
      {"--lexicons=" + testing::TestLexiconDir(), "--drain_seconds=60"});
  ASSERT_TRUE(server.Start()) << server.Log();
  const auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  ASSERT_TRUE(server.WaitForLogLines("shutting down", 1));
  server.Signal(SIGTERM);
  const int wait_status = server.WaitForExit(std::chrono::seconds(8));
  ASSERT_NE(wait_status, -1) << server.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// GET http://[::1]:`port``path`; the whole response, or "" on failure.
std::string HttpGetIpv6(int port, const std::string& path) {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons(static_cast<uint16_t>(port));
  addr.sin6_addr = in6addr_loopback;
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.0\r\nHost: [::1]\r\n\r\n";
    if (::write(fd, request.data(), request.size()) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof(buf))) > 0) {
        response.append(buf, static_cast<size_t>(n));
      }
    }
  }
  ::close(fd);
  return response;
}

// Issue 17, item 16: --metrics_listen takes an IPv6 address.
TEST(Metrics, ListenOnIpv6Loopback) {
  ServerProcess server(
      {"--lexicons=" + testing::TestLexiconDir(), "--metrics_listen=[::1]:0"});
  ASSERT_TRUE(server.Start()) << server.Log();
  const int port = server.ListeningField("metrics_port");
  ASSERT_GT(port, 0) << server.Log();
  ASSERT_TRUE(Scan(NewChannel(server)).ok());
  const std::string metrics = HttpGetIpv6(port, "/metrics");
  EXPECT_THAT(metrics, HasSubstr("200 OK"));
  EXPECT_THAT(metrics, HasSubstr("divcheck_lexicon_files 5"));
  EXPECT_THAT(HttpGetIpv6(port, "/other"), HasSubstr("404"));
}

}  // namespace
}  // namespace divcheck
