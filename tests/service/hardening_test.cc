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
