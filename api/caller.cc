#include "api/caller.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "api/errors.h"
#include "api/organization.h"

namespace divcheck::api {
namespace {

constexpr char kNotAllowed[] = "ORGANIZATION_NOT_ALLOWED";

absl::Status NoOrganizations() {
  return WithReason(
      absl::PermissionDeniedError(
          "this API key is not bound to any organization, so it may not "
          "create or read assessments; the operator binds keys with "
          "`organizations` (or `admin`) in the server's api_keys"),
      kNotAllowed);
}

}  // namespace

Caller Caller::Unrestricted() {
  Caller c;
  c.unrestricted_ = true;
  return c;
}

Caller Caller::WithKey(std::string key_id, bool admin,
                       std::vector<std::string> organizations) {
  Caller c;
  c.key_id_ = std::move(key_id);
  c.admin_ = admin;
  c.organizations_ = std::move(organizations);
  return c;
}

bool Caller::MayUse(absl::string_view organization) const {
  if (all_organizations()) return true;
  return std::find(organizations_.begin(), organizations_.end(),
                   organization) != organizations_.end();
}

absl::StatusOr<std::string> Caller::ResolveOrganization(
    absl::string_view requested, absl::string_view field, bool required) const {
  if (requested.empty()) {
    if (!all_organizations() && organizations_.size() == 1) {
      return organizations_.front();
    }
    if (!required) return std::string();
    if (!any_organization()) return NoOrganizations();
    return InvalidRequest(
        {{std::string(field),
          organizations_.size() > 1
              ? "organization is required: this API key has several "
                "organizations, name one"
              : "organization is required",
          "INVALID_ORGANIZATION"}});
  }
  absl::StatusOr<std::string> name = NormalizeOrganization(requested);
  if (!name.ok()) {
    if (!absl::IsInvalidArgument(name.status())) return name.status();
    return InvalidRequest(
        {{std::string(field), std::string(name.status().message()),
          "INVALID_ORGANIZATION"}});
  }
  if (!any_organization()) return NoOrganizations();
  if (!MayUse(*name)) {
    return WithReason(
        absl::PermissionDeniedError(absl::StrCat(
            "this API key may not use organization \"", *name, "\"")),
        kNotAllowed);
  }
  return name;
}

absl::Status Caller::CheckStored(absl::string_view stored) const {
  if (all_organizations()) return absl::OkStatus();
  if (!any_organization()) return NoOrganizations();
  absl::StatusOr<std::string> name = NormalizeOrganization(stored);
  if (name.ok() && MayUse(*name)) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(
          "this API key may not read this assessment: it belongs to an "
          "organization the key is not bound to"),
      kNotAllowed);
}

absl::Status Caller::CheckAnyOrganization() const {
  return any_organization() ? absl::OkStatus() : NoOrganizations();
}

}  // namespace divcheck::api
