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

#include "api/assessment_api.h"
#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "service/api_keys.h"
#include "service/json_log.h"
#include "service/scan_service.h"

namespace divcheck::service {

// Every method takes the request as raw bytes and parses it with
// ParseRequest, so that a string that is not UTF-8 gets INVALID_ARGUMENT
// with the field named instead of gRPC's bare error.
using AssessmentServiceBase =
    v1::AssessmentService::WithRawCallbackMethod_GetQuestionnaire<
        v1::AssessmentService::WithRawCallbackMethod_CreateAssessment<
            v1::AssessmentService::WithRawCallbackMethod_GetAssessment<
                v1::AssessmentService::WithRawCallbackMethod_ListAssessments<
                    v1::AssessmentService::
                        WithRawCallbackMethod_CompareAssessments<
                            v1::AssessmentService::Service>>>>>;

class AssessmentServiceImpl final : public AssessmentServiceBase {
 public:
  // `keys` may be null (no authentication), and `observer` (metrics) too.
  AssessmentServiceImpl(const api::AssessmentApi* api, const ApiKeys* keys,
                        JsonLog* log, CallObserver* observer,
                        bool log_requests);

  grpc::ServerUnaryReactor* GetQuestionnaire(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CreateAssessment(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* ctx,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListAssessments(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CompareAssessments(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  // After authentication, parses `wire_request` as a Request and runs
  // `call(request)` (returning absl::StatusOr<Response>); serializes its
  // value into *wire_response, logs, and finishes the call.
  template <typename Request, typename Call>
  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* ctx,
                                   const char* method,
                                   const grpc::ByteBuffer* wire_request,
                                   grpc::ByteBuffer* wire_response, Call call);

  const api::AssessmentApi* api_;
  const ApiKeys* keys_;
  JsonLog* log_;
  CallObserver* observer_;
  const bool log_requests_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_ASSESSMENT_SERVICE_H_
