#include "clients/cli/assess_remote.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"

namespace divcheck::cli {
namespace {

constexpr std::chrono::seconds kCallTimeout{60};

// The server's status; for a BadRequest, every violation on its own line.
absl::Status FromGrpc(const grpc::Status& status) {
  std::string message = status.error_message();
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    std::vector<std::string> lines;
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad)) continue;
      for (const auto& v : bad.field_violations()) {
        lines.push_back(absl::StrCat(v.field(), ": ", v.description()));
      }
    }
    if (!lines.empty()) message = absl::StrJoin(lines, "\n");
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      message);
}

}  // namespace

struct RemoteAssessments::Impl {
  Connection connection;
  std::unique_ptr<v1::AssessmentService::Stub> stub;

  void Prepare(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    if (!connection.api_key.empty()) {
      ctx->AddMetadata("authorization", "Bearer " + connection.api_key);
    }
  }

  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request) {
    grpc::ClientContext ctx;
    Prepare(&ctx);
    Response response;
    grpc::Status status = ((*stub).*method)(&ctx, request, &response);
    if (!status.ok()) return WithTlsHint(connection, FromGrpc(status));
    return response;
  }
};

RemoteAssessments::RemoteAssessments(const Connection& connection)
    : impl_(std::make_unique<Impl>()) {
  impl_->connection = connection;
  impl_->stub = v1::AssessmentService::NewStub(connection.NewChannel());
}

RemoteAssessments::~RemoteAssessments() = default;

absl::StatusOr<v1::Questionnaire> RemoteAssessments::GetQuestionnaire(
    const v1::GetQuestionnaireRequest& request) {
  return impl_->Call<v1::GetQuestionnaireRequest, v1::Questionnaire>(
      &v1::AssessmentService::Stub::GetQuestionnaire, request);
}

absl::StatusOr<v1::Assessment> RemoteAssessments::CreateAssessment(
    const v1::CreateAssessmentRequest& request) {
  return impl_->Call<v1::CreateAssessmentRequest, v1::Assessment>(
      &v1::AssessmentService::Stub::CreateAssessment, request);
}

absl::StatusOr<v1::Assessment> RemoteAssessments::GetAssessment(
    const std::string& id) {
  v1::GetAssessmentRequest request;
  request.set_id(id);
  return impl_->Call<v1::GetAssessmentRequest, v1::Assessment>(
      &v1::AssessmentService::Stub::GetAssessment, request);
}

absl::StatusOr<v1::ListAssessmentsResponse> RemoteAssessments::ListAssessments(
    const v1::ListAssessmentsRequest& request) {
  return impl_->Call<v1::ListAssessmentsRequest, v1::ListAssessmentsResponse>(
      &v1::AssessmentService::Stub::ListAssessments, request);
}

absl::StatusOr<v1::AssessmentComparison> RemoteAssessments::CompareAssessments(
    const std::string& before_id, const std::string& after_id) {
  v1::CompareAssessmentsRequest request;
  request.set_before_id(before_id);
  request.set_after_id(after_id);
  return impl_->Call<v1::CompareAssessmentsRequest, v1::AssessmentComparison>(
      &v1::AssessmentService::Stub::CompareAssessments, request);
}

}  // namespace divcheck::cli
