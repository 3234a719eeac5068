// The API key the CLI sends to a divcheckd server ("authorization: Bearer
// KEY"), read from the environment and checked before any call.
//
//   absl::StatusOr<std::string> key = ApiKeyFor("127.0.0.1:50051");
//   if (!key.ok()) { print key.status().message(); exit 2 }
//
// The key is $DIVCHECK_API_KEY, else the content of the file named by
// $DIVCHECK_API_KEY_FILE (e.g. a mounted Kubernetes secret), else none ("").
// Surrounding white space (the trailing newline of a key file) is trimmed.
// Errors, all INVALID_ARGUMENT with a message for the user: the key is empty
// after trimming, holds a character other than printable ASCII (a control
// character, a line break inside it, non-ASCII), the file cannot be read or
// is larger than 4 KiB; or the server is not on this machine (localhost,
// 127.0.0.0/8, [::1]) — the CLI speaks no TLS, so the key would cross the
// network in clear text — unless $DIVCHECK_INSECURE_SEND_KEY is "1".
// The key itself is never part of a message. Thread-safe (reads only).
#ifndef DIVCHECK_CLIENTS_CLI_API_KEY_H_
#define DIVCHECK_CLIENTS_CLI_API_KEY_H_

#include <string>

#include "absl/status/statusor.h"

namespace divcheck::cli {

absl::StatusOr<std::string> ApiKeyFor(const std::string& server);

// Whether HOST:PORT (or [V6]:PORT, or a bare host) names this machine.
bool IsLoopbackAddress(const std::string& address);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_API_KEY_H_
