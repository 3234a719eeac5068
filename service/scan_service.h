// ScanServiceImpl: divcheck.v1.ScanService over gRPC's callback API.
//
// A thin adapter: each handler authenticates (ApiKeys), calls ScanApi,
// converts the absl::Status once (rpc_errors.h) and logs one JSON line per
// call — request id, method, status, latency, sizes; never the text.
//
// Every call gets a request id: the client's `x-request-id` metadata when it
// is 1–64 characters of [A-Za-z0-9._-], otherwise a new random one. It is
// sent back as `x-request-id` initial metadata and appears in every error's
// ErrorInfo.
//
// Safe for concurrent use; the ScanApi, ApiKeys, JsonLog and CallObserver
// must outlive the service.
#ifndef DIVCHECK_SERVICE_SCAN_SERVICE_H_
#define DIVCHECK_SERVICE_SCAN_SERVICE_H_

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "api/scan_api.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "service/api_keys.h"
#include "service/json_log.h"

namespace divcheck::service {

// Told about every finished call and every scanned text, e.g. to count them
// for metrics. Must be thread-safe.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // A call ended. `method` is the short name ("ScanText"); for
  // StreamScanText this is the whole stream.
  virtual void OnCallDone(absl::string_view method, absl::StatusCode code,
                          std::chrono::nanoseconds latency) = 0;
  // One text was scanned (a ScanText call or one stream message); `report`
  // is null unless the scan succeeded.
  virtual void OnScanDone(absl::StatusCode code, size_t text_bytes,
                          const v1::Report* report) = 0;
  // A form was audited (a ScanForm call that succeeded).
  virtual void OnFormDone(const v1::Report& report) = 0;
};

// Every method takes the request as raw bytes and parses it itself
// (ParseScanTextRequest for texts, ParseRequest for the others), so a
// string that is not UTF-8 gets a proper INVALID_UTF8 answer naming the
// field — and, in a stream, only that message fails — instead of gRPC's bare
// error without details for an unparseable message.
using ScanServiceBase = v1::ScanService::WithRawCallbackMethod_ScanText<
    v1::ScanService::WithRawCallbackMethod_StreamScanText<
        v1::ScanService::WithRawCallbackMethod_ListRules<
            v1::ScanService::WithRawCallbackMethod_GetLexiconInfo<
                v1::ScanService::WithRawCallbackMethod_ScanForm<
                    v1::ScanService::WithRawCallbackMethod_ScanDocument<
                        v1::ScanService::Service>>>>>>;

class ScanServiceImpl final : public ScanServiceBase {
 public:
  struct Options {
    // Log one line per call (and per stream message).
    bool log_requests = true;
  };

  // `observer` may be null.
  ScanServiceImpl(const api::ScanApi* api, const ApiKeys* keys, JsonLog* log,
                  CallObserver* observer, Options options);

  grpc::ServerUnaryReactor* ScanText(grpc::CallbackServerContext* ctx,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StreamScanText(
      grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* ScanForm(grpc::CallbackServerContext* ctx,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ScanDocument(grpc::CallbackServerContext* ctx,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* ctx,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetLexiconInfo(grpc::CallbackServerContext* ctx,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

 private:
  class StreamReactor;

  // Parses one request of ScanText or StreamScanText from `wire` into
  // *request and scans it into *response.
  absl::Status ScanInto(const grpc::ByteBuffer& wire,
                        grpc::CallbackServerContext* ctx,
                        v1::ScanTextRequest* request,
                        v1::ScanTextResponse* response) const;
  // Logs and reports one finished call or stream message.
  void Record(absl::string_view method, absl::string_view request_id,
              absl::string_view key_name, const absl::Status& status,
              std::chrono::steady_clock::time_point start,
              const v1::ScanTextRequest* request, const v1::Report* report,
              int64_t stream_index = -1) const;

  const api::ScanApi* api_;
  const ApiKeys* keys_;
  JsonLog* log_;
  CallObserver* observer_;
  const Options options_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_SCAN_SERVICE_H_
