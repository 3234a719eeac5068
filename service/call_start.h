// What every divcheckd handler does first: pick the call's request id and
// check the API key. Shared by ScanService and AssessmentService.
#ifndef DIVCHECK_SERVICE_CALL_START_H_
#define DIVCHECK_SERVICE_CALL_START_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "api/caller.h"
#include "grpcpp/grpcpp.h"
#include "service/api_keys.h"

namespace divcheck::service {

// The value of client metadata `key`, or "" when absent.
absl::string_view ClientMetadata(const grpc::CallbackServerContext* ctx,
                                 absl::string_view key);

// `client_id` when it is 1–64 characters of [A-Za-z0-9._-], else a new
// random id (16 hex digits). The HTTP port uses it for `X-Request-Id`.
std::string ChooseRequestId(absl::string_view client_id);

// The call's request id — the client's `x-request-id` when it is 1–64
// characters of [A-Za-z0-9._-], else a new random one — sent back as
// initial metadata.
std::string StartCall(grpc::CallbackServerContext* ctx);

// After this, AuthenticateCall answers every call UNAVAILABLE (reason
// SHUTTING_DOWN): divcheckd calls it when SIGTERM's drain delay is over, so
// a call that still reaches a handler is refused as retryable, not
// cancelled. Process-wide and irreversible.
void StopAcceptingCalls();
// False once StopAcceptingCalls() has been called.
bool AcceptingCalls();

// Streams in flight (StreamScanText), counted by its reactor from start to
// OnDone, so SIGTERM can wait for them before the server stops.
void StreamStarted();
void StreamEnded();
int StreamsInFlight();

// UNAVAILABLE after StopAcceptingCalls(). Then OK when `keys` is null or
// disabled, or the call's `authorization` header names a valid key (its name
// goes to *key_name); else UNAUTHENTICATED.
// With the keys' failure limiter, a failure is counted and logged with the
// peer address, and a peer that failed too often gets RESOURCE_EXHAUSTED
// (reason TOO_MANY_AUTH_FAILURES) without its key being checked.
// When OK and `caller` is not null, *caller is what the key may do with
// assessments (api::Caller::Unrestricted() without keys).
absl::Status AuthenticateCall(const ApiKeys* keys,
                              const grpc::CallbackServerContext* ctx,
                              std::string* key_name,
                              api::Caller* caller = nullptr);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_CALL_START_H_
