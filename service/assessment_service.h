// AssessmentServiceImpl: divcheck.v1.AssessmentService over gRPC's callback
// API.
//
// A thin adapter like ScanServiceImpl: each handler picks the request id
// (`x-request-id`), authenticates (ApiKeys), calls AssessmentApi, converts
// the absl::Status once (rpc_errors.h) and logs one JSON line — method,
// request id, status, latency; never answers or organisation names.
//
// Safe for concurrent use; the AssessmentApi, ApiKeys, JsonLog and
// CallObserver must outlive the service.
#ifndef DIVCHECK_SERVICE_ASSESSMENT_SERVICE_H_
#define DIVCHECK_SERVICE_ASSESSMENT_SERVICE_H_

#include <string>

#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "service/api_keys.h"
#include "service/assessment_api.h"
#include "service/json_log.h"
#include "service/scan_service.h"

namespace divcheck::service {

class AssessmentServiceImpl final
    : public v1::AssessmentService::CallbackService {
 public:
  // `keys` may be null (no authentication), and `observer` (metrics) too.
  AssessmentServiceImpl(const AssessmentApi* api, const ApiKeys* keys,
                        JsonLog* log, CallObserver* observer,
                        bool log_requests);

  grpc::ServerUnaryReactor* GetQuestionnaire(
      grpc::CallbackServerContext* ctx,
      const v1::GetQuestionnaireRequest* request,
      v1::Questionnaire* response) override;
  grpc::ServerUnaryReactor* CreateAssessment(
      grpc::CallbackServerContext* ctx,
      const v1::CreateAssessmentRequest* request,
      v1::Assessment* response) override;
  grpc::ServerUnaryReactor* GetAssessment(
      grpc::CallbackServerContext* ctx, const v1::GetAssessmentRequest* request,
      v1::Assessment* response) override;
  grpc::ServerUnaryReactor* ListAssessments(
      grpc::CallbackServerContext* ctx,
      const v1::ListAssessmentsRequest* request,
      v1::ListAssessmentsResponse* response) override;
  grpc::ServerUnaryReactor* CompareAssessments(
      grpc::CallbackServerContext* ctx,
      const v1::CompareAssessmentsRequest* request,
      v1::AssessmentComparison* response) override;

 private:
  // Runs `call` (returning absl::StatusOr<Response>) after authentication,
  // stores its value in *response, logs, and finishes the call.
  template <typename Response, typename Call>
  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* ctx,
                                   const char* method, Response* response,
                                   Call call);

  const AssessmentApi* api_;
  const ApiKeys* keys_;
  JsonLog* log_;
  CallObserver* observer_;
  const bool log_requests_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_ASSESSMENT_SERVICE_H_
