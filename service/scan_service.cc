#include "service/scan_service.h"

#include <climits>
#include <utility>
#include <vector>

#include "api/errors.h"
#include "base/utf8.h"
#include "service/call_start.h"
#include "service/grpc_status.h"
#include "service/request_parse.h"
#include "service/scan_wire.h"

namespace divcheck::service {
namespace {

using Clock = std::chrono::steady_clock;

// Largest request text whose storage a thread keeps for the next call.
constexpr size_t kKeepTextBytes = 64 << 10;

// Into one slice of the exact size, without protobuf's UTF-8 check of every
// report string (scan_wire.h).
grpc::Status Serialize(const v1::ScanTextResponse& response,
                       grpc::ByteBuffer* out) {
  const size_t size = response.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the response is over 2 GiB");
  }
  grpc::Slice slice(size);
  uint8_t* target = const_cast<uint8_t*>(slice.begin());
  if (!WriteScanTextResponse(response, size, target)) {
    response.SerializeWithCachedSizesToArray(target);
  }
  grpc::ByteBuffer buffer(&slice, 1);
  out->Swap(&buffer);
  return grpc::Status::OK;
}

api::CallControl ControlFor(grpc::CallbackServerContext* ctx) {
  api::CallControl call;
  call.deadline = ctx->deadline();
  call.cancelled = [ctx] { return ctx->IsCancelled(); };
  return call;
}

// The answer of an api call kept in *response (the caller logs and observes
// it) and serialised into *wire_response; or the call's error.
template <typename Response>
absl::Status RunAndSerialize(absl::StatusOr<Response> answer,
                             Response* response,
                             grpc::ByteBuffer* wire_response) {
  if (!answer.ok()) return answer.status();
  *response = *std::move(answer);
  return SerializeResponse(*response, wire_response);
}

}  // namespace

ScanServiceImpl::ScanServiceImpl(const api::ScanApi* api, const ApiKeys* keys,
                                 JsonLog* log, CallObserver* observer,
                                 Options options)
    : api_(api),
      keys_(keys),
      log_(log),
      observer_(observer),
      options_(options) {}

absl::Status ScanServiceImpl::ScanInto(const grpc::ByteBuffer& wire,
                                       grpc::CallbackServerContext* ctx,
                                       v1::ScanTextRequest* request,
                                       v1::ScanTextResponse* response) const {
  // gRPC hands over an empty, invalid buffer when no whole message arrived;
  // without this check it would parse as an empty request and get a report.
  if (absl::Status received =
          CheckMessageReceived(wire, v1::ScanTextRequest::descriptor());
      !received.ok()) {
    request->Clear();
    return received;
  }
  api::Utf8 utf8 = api::Utf8::kVerified;
  std::vector<grpc::Slice> slices;
  std::string scratch;
  if (absl::Status parsed = ParseScanTextRequest(
          Flatten(wire, &slices, &scratch), request, &utf8);
      !parsed.ok()) {
    return parsed;
  }
  // gRPC 1.51 hands a message whose flag byte is neither 0 nor 1 (as most
  // random bytes are) to the handler as a message of zero bytes, with
  // nothing to tell it apart from one the client sent. So a request that
  // sets no field — zero bytes, or only fields this server does not know —
  // is refused rather than answered with the report of an empty text.
  if (request->text().empty() && request->language_code().empty() &&
      request->document_kind() == v1::DOCUMENT_KIND_UNSPECIFIED &&
      request->request_id().empty()) {
    return api::InvalidRequest(
        {{"",
          "the request sets no field (zero bytes, or a message gRPC could "
          "not read); to scan an empty text, set language_code or "
          "document_kind",
          "MALFORMED_REQUEST"}});
  }
  if (absl::Status s = api_->ScanInto(*request, ControlFor(ctx), utf8,
                                      response->mutable_report());
      !s.ok()) {
    return s;
  }
  response->set_request_id(request->request_id());
  return absl::OkStatus();
}

void ScanServiceImpl::Record(
    absl::string_view method, absl::string_view request_id,
    absl::string_view key_name, const absl::Status& status,
    Clock::time_point start, const v1::ScanTextRequest* request,
    const v1::Report* report, int64_t stream_index) const {
  const std::chrono::nanoseconds latency = Clock::now() - start;
  if (observer_ != nullptr) {
    if (request != nullptr) {
      observer_->OnScanDone(status.code(), request->text().size(), report);
    }
    // A stream message is not a call of its own.
    if (stream_index < 0) observer_->OnCallDone(method, status.code(), latency);
  }
  if (!options_.log_requests) return;
  std::vector<LogField> fields;
  fields.reserve(12);
  fields.emplace_back("method", method);
  fields.emplace_back("request_id", request_id);
  if (stream_index >= 0) fields.emplace_back("stream_index", stream_index);
  fields.emplace_back("code", absl::StatusCodeToString(status.code()));
  if (!status.ok()) {
    const std::string reason = api::ReasonOf(status);
    fields.emplace_back("reason", reason.empty()
                                      ? absl::StatusCodeToString(status.code())
                                      : reason);
  }
  fields.emplace_back(
      "latency_ms", std::chrono::duration<double, std::milli>(latency).count());
  if (!key_name.empty()) fields.emplace_back("api_key", key_name);
  // Sizes and results only: the text itself is never logged.
  if (request != nullptr) {
    fields.emplace_back("text_bytes",
                        static_cast<uint64_t>(request->text().size()));
  }
  if (report != nullptr) {
    fields.emplace_back("language", report->language());
    fields.emplace_back("findings", report->findings_size());
    fields.emplace_back("score", report->score());
    fields.emplace_back("lexicon_version", report->lexicon_version());
  }
  log_->LogBuffered(status.ok() ? "info" : "warning", "rpc", fields);
}

grpc::ServerUnaryReactor* ScanServiceImpl::ScanText(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* wire,
    grpc::ByteBuffer* wire_response) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  // The handler runs to its end on this thread, so one request and one
  // response per thread are reused: Clear() keeps their strings' storage,
  // which saves most of the allocations of building a report.
  thread_local v1::ScanTextRequest request;
  thread_local v1::ScanTextResponse response;
  request.Clear();
  response.Clear();
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
  if (status.ok()) status = ScanInto(*wire, ctx, &request, &response);
  Record("ScanText", request_id, key_name, status, start, &request,
         status.ok() ? &response.report() : nullptr);
  grpc::Status result = ToGrpcStatus(status, request_id);
  if (status.ok()) result = Serialize(response, wire_response);
  // Do not keep a large text's storage alive on every thread.
  if (request.text().size() > kKeepTextBytes) request = v1::ScanTextRequest();
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(result);
  return reactor;
}

// Reads, scans and writes one message at a time: a read is started only
// after the previous answer is written, so responses keep request order and
// no reaction runs concurrently with another (no locking needed). HTTP/2
// flow control buffers what the client sends meanwhile.
class ScanServiceImpl::StreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(const ScanServiceImpl* service,
                grpc::CallbackServerContext* ctx)
      : service_(service), ctx_(ctx), start_(Clock::now()) {
    StreamStarted();
    request_id_ = StartCall(ctx);
    absl::Status status = AuthenticateCall(service_->keys_, ctx, &key_name_);
    if (!status.ok()) {
      FinishCall(status);
      return;
    }
    StartRead(&wire_request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The client half-closed (every answer is written: reads and writes
      // alternate) or the call was cancelled — by the server itself when
      // SIGTERM's grace period is over, which the client sees as
      // UNAVAILABLE.
      if (!ctx_->IsCancelled()) {
        FinishCall(absl::OkStatus());
      } else if (!AcceptingCalls()) {
        FinishCall(absl::UnavailableError(
            "the server shut down before the stream ended"));
      } else {
        FinishCall(absl::CancelledError("stream cancelled"));
      }
      return;
    }
    const Clock::time_point start = Clock::now();
    request_.Clear();
    response_.Clear();
    absl::Status status =
        service_->ScanInto(wire_request_, ctx_, &request_, &response_);
    wire_request_.Clear();
    if (!status.ok()) {
      response_.Clear();
      // Echo the client's id unless it is itself what is wrong.
      const std::string& id = request_.request_id();
      if (id.size() <= api::kMaxRequestIdBytes &&
          FirstInvalidUtf8Byte(id) == absl::string_view::npos) {
        response_.set_request_id(id);
      }
      *response_.mutable_error() = api::ToRpcStatus(status, request_id_);
      ++errors_;
    }
    service_->Record("StreamScanText", request_id_, key_name_, status, start,
                     &request_, status.ok() ? &response_.report() : nullptr,
                     messages_++);
    wire_response_.Clear();
    if (grpc::Status s = Serialize(response_, &wire_response_); !s.ok()) {
      FinishCall(absl::InternalError(s.error_message()));
      return;
    }
    StartWrite(&wire_response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      FinishCall(absl::CancelledError("the client stopped reading"));
      return;
    }
    StartRead(&wire_request_);
  }

  void OnDone() override {
    StreamEnded();
    delete this;
  }

 private:
  void FinishCall(const absl::Status& status) {
    if (service_->observer_ != nullptr) {
      service_->observer_->OnCallDone("StreamScanText", status.code(),
                                      Clock::now() - start_);
    }
    if (service_->options_.log_requests) {
      service_->log_->Log(
          status.ok() ? "info" : "warning", "stream done",
          {{"method", "StreamScanText"},
           {"request_id", request_id_},
           {"code", absl::StatusCodeToString(status.code())},
           {"messages", messages_},
           {"message_errors", errors_},
           {"latency_ms",
            std::chrono::duration<double, std::milli>(Clock::now() - start_)
                .count()}});
    }
    Finish(ToGrpcStatus(status, request_id_));
  }

  const ScanServiceImpl* const service_;
  grpc::CallbackServerContext* const ctx_;
  const Clock::time_point start_;
  std::string request_id_;
  std::string key_name_;
  grpc::ByteBuffer wire_request_;
  grpc::ByteBuffer wire_response_;
  v1::ScanTextRequest request_;
  v1::ScanTextResponse response_;
  int64_t messages_ = 0;
  int64_t errors_ = 0;
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
ScanServiceImpl::StreamScanText(grpc::CallbackServerContext* ctx) {
  return new StreamReactor(this, ctx);
}

grpc::ServerUnaryReactor* ScanServiceImpl::ScanForm(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
  v1::ScanFormRequest request;
  if (status.ok()) status = ParseRequest(*wire_request, &request);
  v1::ScanFormResponse response;
  if (status.ok()) {
    status = RunAndSerialize(api_->ScanForm(request, ControlFor(ctx)),
                             &response, wire_response);
  }
  if (observer_ != nullptr && status.ok()) {
    observer_->OnFormDone(response.report());
  }
  // Sizes and results only, as for ScanText: never the form's text.
  Record("ScanForm", request_id, key_name, status, start, nullptr,
         status.ok() ? &response.report() : nullptr);
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, request_id));
  return reactor;
}

grpc::ServerUnaryReactor* ScanServiceImpl::ScanDocument(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
  v1::ScanDocumentRequest request;
  if (status.ok()) status = ParseRequest(*wire_request, &request);
  v1::ScanDocumentResponse response;
  if (status.ok()) {
    status = RunAndSerialize(api_->ScanDocument(request, ControlFor(ctx)),
                             &response, wire_response);
  }
  if (observer_ != nullptr && request.content().size() > 0) {
    observer_->OnScanDone(status.code(), response.extracted_text().size(),
                          status.ok() ? &response.report() : nullptr);
  }
  // Sizes and results only, as for ScanText: never the document, its text
  // or its file name.
  Record("ScanDocument", request_id, key_name, status, start, nullptr,
         status.ok() ? &response.report() : nullptr);
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, request_id));
  return reactor;
}

grpc::ServerUnaryReactor* ScanServiceImpl::ListRules(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
  v1::ListRulesRequest request;
  if (status.ok()) status = ParseRequest(*wire_request, &request);
  if (status.ok()) {
    absl::StatusOr<v1::ListRulesResponse> page = api_->ListRules(request);
    status =
        page.ok() ? SerializeResponse(*page, wire_response) : page.status();
  }
  Record("ListRules", request_id, key_name, status, start, nullptr, nullptr);
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, request_id));
  return reactor;
}

grpc::ServerUnaryReactor* ScanServiceImpl::GetLexiconInfo(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  const Clock::time_point start = Clock::now();
  const std::string request_id = StartCall(ctx);
  std::string key_name;
  absl::Status status = AuthenticateCall(keys_, ctx, &key_name);
  v1::GetLexiconInfoRequest request;
  if (status.ok()) status = ParseRequest(*wire_request, &request);
  if (status.ok()) {
    status = SerializeResponse(api_->GetLexiconInfo(), wire_response);
  }
  Record("GetLexiconInfo", request_id, key_name, status, start, nullptr,
         nullptr);
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, request_id));
  return reactor;
}

}  // namespace divcheck::service
