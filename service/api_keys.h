// ApiKeys: the API keys divcheckd accepts, held as SHA-256 digests only.
//
//   absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config.api_keys());
//   absl::StatusOr<std::string> who = keys->Authenticate("Bearer s3cret");
//   absl::StatusOr<api::Caller> caller = keys->Identify("Bearer s3cret");
//
// Each key may be bound to organisations and/or be an admin
// (config.v1.ApiKey); Identify turns that into the api::Caller that
// AssessmentApi checks the tenant boundary with. With no keys, every caller
// is api::Caller::Unrestricted().
//
// Copies share the failure limiter. Safe for concurrent use: Authenticate and
// enabled() may run while Replace puts a new set in use (divcheckd's SIGHUP);
// each call sees the old set or the new one, whole.
#ifndef DIVCHECK_SERVICE_API_KEYS_H_
#define DIVCHECK_SERVICE_API_KEYS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/caller.h"
#include "divcheck/config/v1/server_config.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "service/auth_limiter.h"

namespace divcheck::service {

// 64 lower-case hex digits of SHA-256(data).
std::string Sha256Hex(absl::string_view data);

class ApiKeys {
 public:
  // No keys: authentication is off.
  ApiKeys() = default;

  // Errors: INVALID_ARGUMENT naming every key whose sha256 is not 64
  // lower-case hex digits, is the digest of an empty or whitespace-only key
  // (it would authenticate "Bearer " with nothing), or whose digest or name
  // repeats, and every organisation that NormalizeOrganization refuses or
  // that a key lists twice (after normalisation).
  static absl::StatusOr<ApiKeys> FromConfig(
      const google::protobuf::RepeatedPtrField<config::v1::ApiKey>& keys);

  // True when at least one key is configured.
  bool enabled() const { return size() > 0; }
  // Number of keys configured.
  size_t size() const { return std::atomic_load(&names_by_digest_)->size(); }

  // Puts the keys of `next` in use, atomically.
  void Replace(const ApiKeys& next);

  // The name of the key in `authorization` ("Bearer <key>"; blanks around
  // the key are ignored). Errors: UNAUTHENTICATED with reason
  // UNAUTHENTICATED when the value is missing, not a bearer token, an empty
  // key, or no configured key. When !enabled(), returns "".
  absl::StatusOr<std::string> Authenticate(
      absl::string_view authorization) const;

  // Like Authenticate, but returns what the key may do with assessments,
  // and its name in *name (may be null). When !enabled():
  // api::Caller::Unrestricted().
  absl::StatusOr<api::Caller> Identify(absl::string_view authorization,
                                       std::string* name = nullptr) const;

  // Counts failed authentications per peer and refuses peers that failed
  // too often (AuthenticateCall in call_start.h). Null: no limit, no log.
  void set_failure_limiter(std::shared_ptr<AuthFailureLimiter> limiter) {
    failure_limiter_ = std::move(limiter);
  }
  AuthFailureLimiter* failure_limiter() const { return failure_limiter_.get(); }

 private:
  struct Key {
    std::string name;
    bool admin = false;
    std::vector<std::string> organizations;  // normalised
  };
  // By the key's SHA-256 (hex).
  using Table = absl::flat_hash_map<std::string, Key>;
  // The entry of the key in `authorization`, with its digest.
  static absl::StatusOr<std::pair<std::string, Key>> Find(
      const Table& table, absl::string_view authorization);
  std::shared_ptr<AuthFailureLimiter> failure_limiter_;
  // Read with std::atomic_load, replaced with std::atomic_store.
  std::shared_ptr<const Table> names_by_digest_ = std::make_shared<Table>();
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_API_KEYS_H_
