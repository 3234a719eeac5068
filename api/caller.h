// Caller: who makes an AssessmentService call, and which organisations'
// assessments it may create and read — the tenant boundary of divcheck.
//
// The transports build one per call from the API key (service/api_keys.h)
// and pass it to every AssessmentApi method:
//
//   api::Caller caller = keys_enabled
//       ? api::Caller::WithKey(digest, admin, organizations)
//       : api::Caller::Unrestricted();
//   api->GetAssessment(request, caller);
//
// The rules (docs/API.md, "Organisations and API keys"):
//   - Unrestricted(): the server has no API keys. It serves one trusted
//     tenant; every caller may use every organisation.
//   - an admin key may use every organisation;
//   - a key bound to organisations may use only those; when a request names
//     none and the key has exactly one, that one is used;
//   - any other key (no organisations, not admin) may use none.
// A default-constructed Caller is a key with no rights (fail closed).
//
// Immutable after construction; safe to share between threads.
#ifndef DIVCHECK_API_CALLER_H_
#define DIVCHECK_API_CALLER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace divcheck::api {

class Caller {
 public:
  // A key that may use no organisation.
  Caller() = default;

  // The server runs without API keys: every organisation.
  static Caller Unrestricted();
  // A caller with an API key. `key_id` identifies the key stably (its
  // SHA-256); it scopes CreateAssessment's request ids. `organizations`
  // are in NormalizeOrganization's form.
  static Caller WithKey(std::string key_id, bool admin,
                        std::vector<std::string> organizations);

  // May use every organisation (no keys, or an admin key).
  bool all_organizations() const { return unrestricted_ || admin_; }
  // May use at least one organisation.
  bool any_organization() const {
    return all_organizations() || !organizations_.empty();
  }
  const std::string& key_id() const { return key_id_; }

  // Whether the caller may use `organization` (normalised).
  bool MayUse(absl::string_view organization) const;

  // The organisation a request is about: `requested` normalised, or, when
  // it is empty and the key has exactly one organisation, that one; ""
  // when it is empty and `required` is false. Errors: INVALID_ARGUMENT
  // (a BadRequest on `field`, reason INVALID_ORGANIZATION) for a name
  // NormalizeOrganization refuses or a missing one; PERMISSION_DENIED
  // (reason ORGANIZATION_NOT_ALLOWED) for an organisation the caller may
  // not use.
  absl::StatusOr<std::string> ResolveOrganization(absl::string_view requested,
                                                  absl::string_view field,
                                                  bool required) const;

  // PERMISSION_DENIED (ORGANIZATION_NOT_ALLOWED) unless the caller may use
  // the organisation of a stored assessment (`stored`, normalised first:
  // assessments stored by older versions kept names as given). The message
  // never names the stored organisation.
  absl::Status CheckStored(absl::string_view stored) const;

  // PERMISSION_DENIED (ORGANIZATION_NOT_ALLOWED) when the caller may use no
  // organisation at all; checked before anything is looked up.
  absl::Status CheckAnyOrganization() const;

 private:
  bool unrestricted_ = false;
  bool admin_ = false;
  std::string key_id_;
  std::vector<std::string> organizations_;
};

}  // namespace divcheck::api

#endif  // DIVCHECK_API_CALLER_H_
