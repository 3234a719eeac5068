#include "service/assessment_service.h"

#include <chrono>
#include <utility>
#include <vector>

#include "api/errors.h"
#include "service/call_start.h"
#include "service/grpc_status.h"
#include "service/request_parse.h"

namespace divcheck::service {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

AssessmentServiceImpl::AssessmentServiceImpl(const api::AssessmentApi* api,
                                             const ApiKeys* keys, JsonLog* log,
                                             CallObserver* observer,
                                             bool log_requests)
    : api_(api),
      keys_(keys),
      log_(log),
      observer_(observer),
      log_requests_(log_requests) {}

template <typename Request, typename Call>
grpc::ServerUnaryReactor* AssessmentServiceImpl::Handle(
    grpc::CallbackServerContext* ctx, const char* method,
    const grpc::ByteBuffer* wire_request, grpc::ByteBuffer* wire_response,
    Call call) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  api::Caller caller;  // no rights until authenticated
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name, &caller);
  Request request;
  if (status.ok()) status = ParseRequest(*wire_request, &request);
  if (status.ok()) {
    auto result = call(request, caller);
    status = result.ok() ? SerializeResponse(*result, wire_response)
                         : result.status();
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
      const std::string reason = api::ReasonOf(status);
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
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Handle<v1::GetQuestionnaireRequest>(
      ctx, "GetQuestionnaire", request, response,
      [&](const v1::GetQuestionnaireRequest& r, const api::Caller&) {
        return api_->GetQuestionnaire(r);
      });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateAssessment(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Handle<v1::CreateAssessmentRequest>(
      ctx, "CreateAssessment", request, response,
      [&](const v1::CreateAssessmentRequest& r, const api::Caller& caller) {
        return api_->CreateAssessment(r, caller);
      });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetAssessment(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Handle<v1::GetAssessmentRequest>(
      ctx, "GetAssessment", request, response,
      [&](const v1::GetAssessmentRequest& r, const api::Caller& caller) {
        return api_->GetAssessment(r, caller);
      });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListAssessments(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Handle<v1::ListAssessmentsRequest>(
      ctx, "ListAssessments", request, response,
      [&](const v1::ListAssessmentsRequest& r, const api::Caller& caller) {
        return api_->ListAssessments(r, caller);
      });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CompareAssessments(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Handle<v1::CompareAssessmentsRequest>(
      ctx, "CompareAssessments", request, response,
      [&](const v1::CompareAssessmentsRequest& r, const api::Caller& caller) {
        return api_->CompareAssessments(r, caller);
      });
}

}  // namespace divcheck::service
