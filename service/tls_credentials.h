// The gRPC server credentials from the `tls` section of divcheckd's config:
// certificate, key and client CA read from their files, the key checked
// against the certificate before gRPC sees it.
//
// Thread-safe: touches no shared state.
#ifndef DIVCHECK_SERVICE_TLS_CREDENTIALS_H_
#define DIVCHECK_SERVICE_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "divcheck/config/v1/server_config.pb.h"
#include "grpcpp/security/server_credentials.h"

namespace divcheck::service {

// OK when `key_pem` is the private key of the first certificate in
// `cert_pem`; else INVALID_ARGUMENT saying which part is wrong.
absl::Status CheckKeyMatchesCertificate(const std::string& cert_pem,
                                        const std::string& key_pem);

// Insecure credentials without a `tls` section; else TLS credentials from
// its files. Errors: the file errors of ReadFile (naming the file) and
// INVALID_ARGUMENT from CheckKeyMatchesCertificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const config::v1::ServerConfig& config);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_TLS_CREDENTIALS_H_
