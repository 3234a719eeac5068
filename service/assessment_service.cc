#include "service/assessment_service.h"

#include <chrono>
#include <utility>
#include <vector>

#include "service/call_start.h"
#include "service/rpc_errors.h"

namespace divcheck::service {
namespace {

using Clock = std::chrono::steady_clock;

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
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
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
