#include "service/assessment_service.h"

#include <chrono>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "service/rpc_errors.h"

namespace divcheck::service {
namespace {

using Clock = std::chrono::steady_clock;

absl::string_view Metadata(const grpc::CallbackServerContext* ctx,
                           absl::string_view key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  return it == md.end()
             ? absl::string_view()
             : absl::string_view(it->second.data(), it->second.size());
}

// The same rule as the ScanService: the client's id when it is 1–64
// characters of [A-Za-z0-9._-], else a new random one.
std::string RequestId(grpc::CallbackServerContext* ctx) {
  absl::string_view id = Metadata(ctx, "x-request-id");
  bool valid = !id.empty() && id.size() <= 64;
  for (char c : id) {
    valid =
        valid && (absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-');
  }
  std::string out;
  if (valid) {
    out = std::string(id);
  } else {
    thread_local std::mt19937_64 rng{[] {
      std::random_device device;
      return (static_cast<uint64_t>(device()) << 32) ^ device();
    }()};
    out = absl::StrFormat("%016x", rng());
  }
  ctx->AddInitialMetadata("x-request-id", out);
  return out;
}

}  // namespace

AssessmentServiceImpl::AssessmentServiceImpl(const AssessmentApi* api,
                                             const ApiKeys* keys, JsonLog* log,
                                             CallObserver* observer,
                                             bool log_requests)
    : api_(api),
      keys_(keys),
      log_(log),
      observer_(observer),
      log_requests_(log_requests) {}

template <typename Response, typename Call>
grpc::ServerUnaryReactor* AssessmentServiceImpl::Handle(
    grpc::CallbackServerContext* ctx, const char* method, Response* response,
    Call call) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = RequestId(ctx);
  std::string key_name;
  absl::Status status;
  if (keys_ != nullptr && keys_->enabled()) {
    absl::StatusOr<std::string> name =
        keys_->Authenticate(Metadata(ctx, "authorization"));
    if (name.ok()) {
      key_name = *std::move(name);
    } else {
      status = name.status();
    }
  }
  if (status.ok()) {
    absl::StatusOr<Response> result = call();
    if (result.ok()) {
      *response = *std::move(result);
    } else {
      status = result.status();
    }
  }
  if (observer_ != nullptr) {
    observer_->OnCallDone(method, status.code(), Clock::now() - start);
  }
  if (log_requests_) {
    std::vector<LogField> fields;
    fields.emplace_back("method", method);
    fields.emplace_back("request_id", request_id);
    fields.emplace_back("code", absl::StatusCodeToString(status.code()));
    if (!status.ok()) {
      const std::string reason = ReasonOf(status);
      fields.emplace_back(
          "reason",
          reason.empty() ? absl::StatusCodeToString(status.code()) : reason);
    }
    fields.emplace_back("latency_ms", std::chrono::duration<double, std::milli>(
                                          Clock::now() - start)
                                          .count());
    if (!key_name.empty()) fields.emplace_back("api_key", key_name);
    log_->LogBuffered(status.ok() ? "info" : "warning", "rpc", fields);
  }
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, request_id));
  return reactor;
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetQuestionnaire(
    grpc::CallbackServerContext* ctx,
    const v1::GetQuestionnaireRequest* request, v1::Questionnaire* response) {
  return Handle(ctx, "GetQuestionnaire", response,
                [&] { return api_->GetQuestionnaire(*request); });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateAssessment(
    grpc::CallbackServerContext* ctx,
    const v1::CreateAssessmentRequest* request, v1::Assessment* response) {
  return Handle(ctx, "CreateAssessment", response,
                [&] { return api_->CreateAssessment(*request); });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetAssessment(
    grpc::CallbackServerContext* ctx, const v1::GetAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(ctx, "GetAssessment", response,
                [&] { return api_->GetAssessment(*request); });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListAssessments(
    grpc::CallbackServerContext* ctx, const v1::ListAssessmentsRequest* request,
    v1::ListAssessmentsResponse* response) {
  return Handle(ctx, "ListAssessments", response,
                [&] { return api_->ListAssessments(*request); });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CompareAssessments(
    grpc::CallbackServerContext* ctx,
    const v1::CompareAssessmentsRequest* request,
    v1::AssessmentComparison* response) {
  return Handle(ctx, "CompareAssessments", response,
                [&] { return api_->CompareAssessments(*request); });
}

}  // namespace divcheck::service
