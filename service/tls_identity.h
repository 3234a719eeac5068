// TlsIdentity: the HTTP port's certificate chain, private key and (when
// client certificates are required) the client CA, loaded from PEM files
// into OpenSSL objects, so that a SIGHUP can put new files in use without
// a restart: every new TLS connection takes the identity current at its
// handshake (ApplyTo, from OpenSSL's certificate callback); connections
// already open keep theirs.
//
//   absl::StatusOr<std::shared_ptr<const TlsIdentity>> id =
//       TlsIdentity::Load("server.crt", "server.key", "ca.crt");
//
// Immutable once loaded; thread-safe.
#ifndef DIVCHECK_SERVICE_TLS_IDENTITY_H_
#define DIVCHECK_SERVICE_TLS_IDENTITY_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace divcheck::service {

class TlsIdentity {
 public:
  // Reads the files. Errors (INVALID_ARGUMENT or the file's read error,
  // naming the file): no certificate in `cert_file`, no unencrypted key in
  // `key_file`, a key that does not belong to the certificate, no
  // certificate in a non-empty `client_ca_file`.
  static absl::StatusOr<std::shared_ptr<const TlsIdentity>> Load(
      const std::string& cert_file, const std::string& key_file,
      const std::string& client_ca_file);

  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  // Puts this identity on one connection during its handshake: certificate,
  // chain, key, and with a client CA the verification store, the CA names
  // sent to the client and "a client certificate is required". False on an
  // OpenSSL error (the handshake then fails).
  bool ApplyTo(SSL* ssl) const;

  bool requires_client_certificate() const { return ca_store_ != nullptr; }

 private:
  TlsIdentity() = default;

  X509* cert_ = nullptr;
  std::vector<X509*> chain_;
  EVP_PKEY* key_ = nullptr;
  X509_STORE* ca_store_ = nullptr;
  std::vector<X509_NAME*> ca_names_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_TLS_IDENTITY_H_
