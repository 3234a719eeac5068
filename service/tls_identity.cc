#include "service/tls_identity.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "service/tls_credentials.h"

namespace divcheck::service {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                BIO_free);
}

// Every certificate in `pem`, in order.
std::vector<X509*> ReadCertificates(const std::string& pem) {
  std::vector<X509*> certs;
  BioPtr bio = MemoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.push_back(cert);
  }
  ERR_clear_error();  // the end of the file reads as an error
  return certs;
}

// OpenSSL's password callback: none (an encrypted key is refused).
int NoPassword(char*, int, int, void*) { return 0; }

}  // namespace

absl::StatusOr<std::shared_ptr<const TlsIdentity>> TlsIdentity::Load(
    const std::string& cert_file, const std::string& key_file,
    const std::string& client_ca_file) {
  absl::StatusOr<std::string> cert_pem = ReadFile(cert_file, 1 << 20);
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<std::string> key_pem = ReadFile(key_file, 1 << 20);
  if (!key_pem.ok()) return key_pem.status();
  if (absl::Status s = CheckKeyMatchesCertificate(*cert_pem, *key_pem);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<TlsIdentity> id(new TlsIdentity());
  std::vector<X509*> certs = ReadCertificates(*cert_pem);
  id->cert_ = certs.front();  // CheckKeyMatchesCertificate found one
  id->chain_.assign(certs.begin() + 1, certs.end());
  BioPtr key_bio = MemoryBio(*key_pem);
  id->key_ =
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassword, nullptr);
  if (id->key_ == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(key_file, ": no unencrypted PEM private key"));
  }
  if (client_ca_file.empty()) return id;
  absl::StatusOr<std::string> ca_pem = ReadFile(client_ca_file, 1 << 20);
  if (!ca_pem.ok()) return ca_pem.status();
  std::vector<X509*> cas = ReadCertificates(*ca_pem);
  if (cas.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(client_ca_file, ": no PEM certificate"));
  }
  id->ca_store_ = X509_STORE_new();
  for (X509* ca : cas) {
    X509_STORE_add_cert(id->ca_store_, ca);
    id->ca_names_.push_back(X509_NAME_dup(X509_get_subject_name(ca)));
    X509_free(ca);  // the store holds its own reference
  }
  return id;
}

TlsIdentity::~TlsIdentity() {
  X509_free(cert_);
  for (X509* c : chain_) X509_free(c);
  EVP_PKEY_free(key_);
  X509_STORE_free(ca_store_);
  for (X509_NAME* n : ca_names_) X509_NAME_free(n);
}

bool TlsIdentity::ApplyTo(SSL* ssl) const {
  if (SSL_use_certificate(ssl, cert_) != 1) return false;
  if (SSL_use_PrivateKey(ssl, key_) != 1) return false;
  SSL_clear_chain_certs(ssl);
  for (X509* c : chain_) {
    if (SSL_add1_chain_cert(ssl, c) != 1) return false;
  }
  if (ca_store_ == nullptr) {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
    return true;
  }
  if (SSL_set1_verify_cert_store(ssl, ca_store_) != 1) return false;
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (X509_NAME* n : ca_names_) sk_X509_NAME_push(names, X509_NAME_dup(n));
  SSL_set_client_CA_list(ssl, names);  // takes ownership
  SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                 nullptr);
  return true;
}

}  // namespace divcheck::service
