// Issue 17, item 8: the tenant boundary of the AssessmentService. The real
// divcheckd on loopback, with API keys bound to organisations, an admin key
// and a key bound to none; each test calls it over gRPC and over HTTP as a
// client of one organisation trying to reach another's assessments would.
// Also: organisation names normalised, ids from a CSPRNG, and
// CreateAssessment's request id surviving a restart.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/service/assessment_requests.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::google::protobuf::util::JsonStringToMessage;
using ::google::protobuf::util::MessageToJsonString;
using ::testing::HasSubstr;
using testing::ServerProcess;
using testing::TempDir;

// The keys; the config holds their SHA-256.
constexpr char kAcme[] = "key-acme";        // "Müller KG"
constexpr char kBeta[] = "key-beta";        // "Beta AG"
constexpr char kAdmin[] = "key-admin";      // admin
constexpr char kUnbound[] = "key-unbound";  // neither
constexpr char kMulti[] = "key-multi";      // both organisations

// "Müller KG" in NFC (ü = U+00FC) and NFD (u + U+0308).
constexpr char kMuellerNfc[] = "M\xC3\xBCller KG";
constexpr char kMuellerNfd[] = "Mu\xCC\x88ller KG";
constexpr char kBetaOrg[] = "Beta AG";

std::string Config() {
  return absl::StrCat(
      "api_keys { name: \"acme\" sha256: "
      "\"6371cb7a907cc8f10740229732c4b6164b285169494b85304468313513427878\" "
      "organizations: \"",
      kMuellerNfc,
      "\" }\n"
      "api_keys { name: \"beta\" sha256: "
      "\"8fd493b2a681a4810d9fd40526a9de960deb255e7bfbb1c4d509d06d6da6ff5b\" "
      "organizations: \"Beta AG\" }\n"
      "api_keys { name: \"admin\" sha256: "
      "\"fb6a4340832d100d793a6feade8a6237f67e294c39939921ccdd798ca376d2d8\" "
      "admin: true }\n"
      "api_keys { name: \"unbound\" sha256: "
      "\"7d9f7c20f29db13a968ddc470c8640b9f47c76d7b2cff8713fbabd4561c42bf4\" }\n"
      "api_keys { name: \"multi\" sha256: "
      "\"b2b5569d338a7add5ab7fc4c32760b2e86aa765b9fdef85c6672da83bbf7f281\" "
      // NFD and a trailing space here: the config is normalised too.
      "organizations: \"",
      kMuellerNfd, " \" organizations: \"Beta AG\" }\n");
}

// divcheckd with the keys above, a database and an HTTP port.
class Server {
 public:
  explicit Server(const TempDir& dir) {
    dir.Write("server.textproto", Config());
    process_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--lexicons=" + testing::TestLexiconDir(),
        std::string("--questionnaires=") + DIVCHECK_SOURCE_QUESTIONNAIRES,
        "--data_dir=" + dir.path() + "/data",
        "--config=" + dir.path() + "/server.textproto",
        "--http_listen=127.0.0.1:0"});
  }
  bool Start() {
    if (!process_->Start()) return false;
    http_port_ = process_->ListeningField("http_port");
    stub_ = v1::AssessmentService::NewStub(grpc::CreateChannel(
        process_->address(), grpc::InsecureChannelCredentials()));
    return http_port_ > 0;
  }
  bool Stop() {
    process_->Signal(SIGTERM);
    const int status = process_->WaitForExit(std::chrono::seconds(30));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  std::string Log() const { return process_->Log(); }
  ServerProcess& process() { return *process_; }
  v1::AssessmentService::Stub& stub() { return *stub_; }
  httplib::Client Http(const std::string& key) const {
    httplib::Client c("127.0.0.1", http_port_);
    c.set_read_timeout(20, 0);
    if (!key.empty()) {
      c.set_default_headers({{"Authorization", absl::StrCat("Bearer ", key)}});
    }
    return c;
  }

 private:
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<v1::AssessmentService::Stub> stub_;
  int http_port_ = 0;
};

void Prepare(grpc::ClientContext* ctx, const std::string& key) {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(20));
  if (!key.empty()) ctx->AddMetadata("authorization", "Bearer " + key);
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      return info.reason();
    }
  }
  return "";
}

// Every required question answered with the option at `index`.
v1::CreateAssessmentRequest Answers(Server& server, const std::string& org,
                                    int index) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kAdmin);
  v1::GetQuestionnaireRequest get;
  v1::Questionnaire q;
  EXPECT_TRUE(server.stub().GetQuestionnaire(&ctx, get, &q).ok());
  return testing::AnswersFor(q, org, index);
}

grpc::Status Create(Server& s, const std::string& key,
                    const v1::CreateAssessmentRequest& request,
                    v1::Assessment* out) {
  grpc::ClientContext ctx;
  Prepare(&ctx, key);
  return s.stub().CreateAssessment(&ctx, request, out);
}

grpc::Status Get(Server& s, const std::string& key, const std::string& id,
                 v1::Assessment* out) {
  grpc::ClientContext ctx;
  Prepare(&ctx, key);
  v1::GetAssessmentRequest request;
  request.set_id(id);
  return s.stub().GetAssessment(&ctx, request, out);
}

grpc::Status List(Server& s, const std::string& key, const std::string& org,
                  v1::ListAssessmentsResponse* out) {
  grpc::ClientContext ctx;
  Prepare(&ctx, key);
  v1::ListAssessmentsRequest request;
  request.set_organization(org);
  request.set_page_size(100);
  return s.stub().ListAssessments(&ctx, request, out);
}

grpc::Status Compare(Server& s, const std::string& key, const std::string& a,
                     const std::string& b) {
  grpc::ClientContext ctx;
  Prepare(&ctx, key);
  v1::CompareAssessmentsRequest request;
  request.set_before_id(a);
  request.set_after_id(b);
  v1::AssessmentComparison out;
  return s.stub().CompareAssessments(&ctx, request, &out);
}

// The number of assessments `org` has, as the admin sees it.
int CountOf(Server& s, const std::string& org) {
  v1::ListAssessmentsResponse list;
  const grpc::Status status = List(s, kAdmin, org, &list);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return list.assessments_size();
}

MATCHER_P(DeniedWith, reason, "") {
  *result_listener << "code " << arg.error_code() << " reason " << ReasonOf(arg)
                   << ": " << arg.error_message();
  return arg.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
         ReasonOf(arg) == reason;
}

class TenantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(dir_);
    ASSERT_TRUE(server_->Start()) << server_->Log();
    // One assessment per organisation, each made by its own key with no
    // organisation named: the key's one organisation is used.
    ASSERT_TRUE(Create(*server_, kAcme, Answers(*server_, "", 1), &acme_).ok());
    ASSERT_TRUE(Create(*server_, kBeta, Answers(*server_, "", 2), &beta_).ok());
    ASSERT_EQ(acme_.organization(), kMuellerNfc);
    ASSERT_EQ(beta_.organization(), kBetaOrg);
  }
  Server& server() { return *server_; }

  TempDir dir_;
  std::unique_ptr<Server> server_;
  v1::Assessment acme_;
  v1::Assessment beta_;
};

TEST_F(TenantTest, GrpcKeyOfOneOrganizationCannotReachAnother) {
  v1::Assessment a;
  v1::ListAssessmentsResponse list;
  // Read, list, compare and append to Beta's history with Acme's key.
  EXPECT_THAT(Get(server(), kAcme, beta_.id(), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(List(server(), kAcme, kBetaOrg, &list),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(Compare(server(), kAcme, acme_.id(), beta_.id()),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(Create(server(), kAcme, Answers(server(), kBetaOrg, 0), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  v1::CreateAssessmentRequest probe = Answers(server(), kBetaOrg, 0);
  probe.set_validate_only(true);
  EXPECT_THAT(Create(server(), kAcme, probe, &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_EQ(CountOf(server(), kBetaOrg), 1);
  // The denial does not say whose the assessment is.
  const grpc::Status denied = Get(server(), kAcme, beta_.id(), &a);
  EXPECT_THAT(denied.error_message(), ::testing::Not(HasSubstr("Beta")));

  // Its own organisation works, named or not.
  ASSERT_TRUE(Get(server(), kAcme, acme_.id(), &a).ok());
  ASSERT_TRUE(List(server(), kAcme, "", &list).ok());
  ASSERT_EQ(list.assessments_size(), 1);
  EXPECT_EQ(list.assessments(0).id(), acme_.id());
  EXPECT_TRUE(List(server(), kAcme, kMuellerNfc, &list).ok());

  // The admin reaches both; the two-organisation key too, naming one.
  EXPECT_TRUE(Get(server(), kAdmin, beta_.id(), &a).ok());
  EXPECT_TRUE(Get(server(), kAdmin, acme_.id(), &a).ok());
  EXPECT_TRUE(List(server(), kMulti, kBetaOrg, &list).ok());
  EXPECT_TRUE(Get(server(), kMulti, beta_.id(), &a).ok());
  const grpc::Status unnamed = List(server(), kMulti, "", &list);
  EXPECT_EQ(unnamed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(unnamed), "INVALID_ORGANIZATION");
  // The admin must name the organisation.
  EXPECT_EQ(List(server(), kAdmin, "", &list).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TenantTest, GrpcKeyWithoutOrganizationsReadsAndStoresNothing) {
  v1::Assessment a;
  v1::ListAssessmentsResponse list;
  EXPECT_THAT(Get(server(), kUnbound, acme_.id(), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  // Also for an id that does not exist: no hint whether it does.
  EXPECT_THAT(Get(server(), kUnbound, "a0123456789abcdef0123456789abcdef", &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(List(server(), kUnbound, kMuellerNfc, &list),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(List(server(), kUnbound, "", &list),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(Compare(server(), kUnbound, acme_.id(), acme_.id()),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_THAT(Create(server(), kUnbound, Answers(server(), kMuellerNfc, 0), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  EXPECT_EQ(CountOf(server(), kMuellerNfc), 1);
  // Scoring without storing needs no organisation.
  v1::CreateAssessmentRequest score = Answers(server(), "", 0);
  score.set_validate_only(true);
  EXPECT_TRUE(Create(server(), kUnbound, score, &a).ok());
  // No key at all: not even that.
  EXPECT_EQ(Create(server(), "", score, &a).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Get(server(), "", acme_.id(), &a).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// The google.rpc.Status body of an HTTP error: its ErrorInfo reason.
std::string HttpReason(const httplib::Result& res) {
  if (!res) return "no response";
  google::protobuf::Struct body;
  if (!JsonStringToMessage(res->body, &body).ok()) return "not JSON";
  for (const auto& d : body.fields().at("details").list_value().values()) {
    const auto& f = d.struct_value().fields();
    if (f.count("reason") > 0) return f.at("reason").string_value();
  }
  return "";
}

std::string Json(const google::protobuf::Message& m) {
  std::string json;
  EXPECT_TRUE(MessageToJsonString(m, &json).ok());
  return json;
}

TEST_F(TenantTest, HttpKeyOfOneOrganizationCannotReachAnother) {
  httplib::Client acme = server().Http(kAcme);
  httplib::Result res = acme.Get("/v1/assessments/" + beta_.id());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(HttpReason(res), "ORGANIZATION_NOT_ALLOWED");
  res = acme.Get("/v1/assessments?organization=Beta%20AG");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(HttpReason(res), "ORGANIZATION_NOT_ALLOWED");
  res = acme.Get(absl::StrCat("/v1/assessments:compare?beforeId=", acme_.id(),
                              "&afterId=", beta_.id()));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  res = acme.Post("/v1/assessments", Json(Answers(server(), kBetaOrg, 0)),
                  "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(HttpReason(res), "ORGANIZATION_NOT_ALLOWED");
  EXPECT_EQ(CountOf(server(), kBetaOrg), 1);

  res = acme.Get("/v1/assessments/" + acme_.id());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = acme.Get("/v1/assessments");  // the key's one organisation
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr(acme_.id()));

  httplib::Client admin = server().Http(kAdmin);
  res = admin.Get("/v1/assessments/" + beta_.id());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = admin.Get("/v1/assessments?organization=Beta%20AG");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr(beta_.id()));

  httplib::Client unbound = server().Http(kUnbound);
  res = unbound.Get("/v1/assessments/" + acme_.id());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(HttpReason(res), "ORGANIZATION_NOT_ALLOWED");
  res = unbound.Get("/v1/assessments?organization=Beta%20AG");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  res = server().Http("").Get("/v1/assessments/" + acme_.id());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(TenantTest, OrganizationNamesAreNormalized) {
  v1::Assessment a;
  // NFD with blanks around it and a no-break space inside: the key's
  // organisation ("Müller KG", NFC) all the same.
  ASSERT_TRUE(
      Create(server(), kAcme,
             Answers(server(), absl::StrCat("  ", kMuellerNfd, "\t "), 0), &a)
          .ok());
  EXPECT_EQ(a.organization(), kMuellerNfc);
  ASSERT_TRUE(Create(server(), kAcme,
                     Answers(server(), "M\xC3\xBCller\xC2\xA0\xC2\xA0KG", 0),
                     &a)
                  .ok());
  EXPECT_EQ(a.organization(), kMuellerNfc);
  EXPECT_EQ(CountOf(server(), kMuellerNfd), 3);
  EXPECT_EQ(CountOf(server(), absl::StrCat(kMuellerNfc, "   ")), 3);

  // Invisible characters are refused, for every caller.
  for (const char* hidden : {"M\xC3\xBCl\xE2\x80\x8Bler KG",  // U+200B
                             "M\xC3\xBCl\xC2\xADler KG",      // U+00AD
                             "M\xC3\xBCller\xE2\x80\xAE KG",  // U+202E
                             "M\xC3\xBCller\tKG"}) {
    for (const char* key : {kAcme, kAdmin}) {
      const grpc::Status s =
          Create(server(), key, Answers(server(), hidden, 0), &a);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << hidden;
      EXPECT_EQ(ReasonOf(s), "INVALID_ORGANIZATION") << hidden;
    }
  }
  const grpc::Status zwsp =
      Create(server(), kAdmin, Answers(server(), "Beta\xE2\x80\x8B AG", 0), &a);
  EXPECT_THAT(zwsp.error_message(), HasSubstr("U+200B ZERO WIDTH SPACE"));

  // Case matters: "müller kg" is another organisation, not the key's.
  EXPECT_THAT(
      Create(server(), kAcme, Answers(server(), "m\xC3\xBCller kg", 0), &a),
      DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  ASSERT_TRUE(
      Create(server(), kAdmin, Answers(server(), "m\xC3\xBCller kg", 0), &a)
          .ok());
  EXPECT_EQ(CountOf(server(), "m\xC3\xBCller kg"), 1);
  EXPECT_EQ(CountOf(server(), kMuellerNfc), 3);
  EXPECT_THAT(Get(server(), kAcme, a.id(), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
}

TEST_F(TenantTest, IdsAre128RandomBitsAndUnique) {
  std::set<std::string> ids = {acme_.id(), beta_.id()};
  for (int i = 0; i < 20; ++i) {
    v1::Assessment a;
    ASSERT_TRUE(Create(server(), kAcme, Answers(server(), "", i % 3), &a).ok());
    ids.insert(a.id());
  }
  EXPECT_EQ(ids.size(), 22u);
  for (const std::string& id : ids) {
    // "a" and 32 lower-case hex digits.
    ASSERT_EQ(id.size(), 33u) << id;
    EXPECT_EQ(id[0], 'a') << id;
    for (char c : id.substr(1)) {
      EXPECT_TRUE(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f')) << id;
    }
  }
}

TEST_F(TenantTest, RetriedCreateWithRequestIdStoresOnceAlsoAfterRestart) {
  v1::CreateAssessmentRequest request = Answers(server(), "", 1);
  request.set_request_id("0c7d5a1e-retry-1");
  v1::Assessment first;
  v1::Assessment again;
  ASSERT_TRUE(Create(server(), kAcme, request, &first).ok());
  ASSERT_TRUE(Create(server(), kAcme, request, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  // Naming the organisation in another spelling is the same request.
  request.set_organization(kMuellerNfd);
  ASSERT_TRUE(Create(server(), kAcme, request, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  // Over HTTP too (the same key, organisation and request id).
  httplib::Result res = server().Http(kAcme).Post(
      "/v1/assessments", Json(request), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr(first.id()));
  EXPECT_EQ(CountOf(server(), kMuellerNfc), 2);  // SetUp's and this one

  // The same id with other answers is refused, and stores nothing.
  v1::CreateAssessmentRequest other = Answers(server(), "", 2);
  other.set_request_id(request.request_id());
  const grpc::Status reused = Create(server(), kAcme, other, &again);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ReasonOf(reused), "REQUEST_ID_REUSED");
  // Another key's request id is its own: the multi key gets a new one.
  ASSERT_TRUE(Create(server(), kMulti, request, &again).ok());
  EXPECT_NE(again.id(), first.id());
  EXPECT_EQ(CountOf(server(), kMuellerNfc), 3);

  // A bad request id is a field violation.
  other.set_request_id("no spaces please");
  const grpc::Status bad = Create(server(), kAcme, other, &again);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(bad), "INVALID_REQUEST_ID");

  // After a restart the retry still finds the first result.
  ASSERT_TRUE(server().Stop()) << server().Log();
  server_ = std::make_unique<Server>(dir_);
  ASSERT_TRUE(server().Start()) << server().Log();
  request.set_organization("");
  ASSERT_TRUE(Create(server(), kAcme, request, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(CountOf(server(), kMuellerNfc), 3);
}

// SIGHUP reads the keys again, with their organisations.
TEST_F(TenantTest, SighupRebindsKeys) {
  v1::Assessment a;
  ASSERT_THAT(Get(server(), kAcme, beta_.id(), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
  std::string config = Config();
  const std::string acme_binding =
      absl::StrCat("organizations: \"", kMuellerNfc, "\" }");
  const size_t at = config.find(acme_binding);
  ASSERT_NE(at, std::string::npos);
  config.replace(at, acme_binding.size(), "organizations: \"Beta AG\" }");
  dir_.Write("server.textproto", config);
  server().process().Signal(SIGHUP);
  ASSERT_TRUE(server().process().WaitForLogLines("api keys reloaded", 1))
      << server().Log();
  EXPECT_TRUE(Get(server(), kAcme, beta_.id(), &a).ok());
  EXPECT_THAT(Get(server(), kAcme, acme_.id(), &a),
              DeniedWith("ORGANIZATION_NOT_ALLOWED"));
}

TEST(TenantConfig, KeysWithInvisibleOrDuplicateOrganizationsAreRefused) {
  for (const auto& [config, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"api_keys { name: \"k\" sha256: "
            "\"6371cb7a907cc8f10740229732c4b6164b285169494b85304468313513427878"
            "\" organizations: \"A\xE2\x80\x8B\" }",
            "U+200B ZERO WIDTH SPACE"},
           {"api_keys { name: \"k\" sha256: "
            "\"6371cb7a907cc8f10740229732c4b6164b285169494b85304468313513427878"
            "\" organizations: \"ACME\" organizations: \" ACME\" }",
            "is listed twice"}}) {
    TempDir dir;
    dir.Write("server.textproto", config);
    ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                          "--config=" + dir.path() + "/server.textproto"});
    EXPECT_FALSE(server.Start()) << config;
    EXPECT_THAT(server.Log(), HasSubstr(message));
  }
}

}  // namespace
}  // namespace divcheck
