#include "service/api_keys.h"

#include <openssl/evp.h>

#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/errors.h"
#include "api/organization.h"

namespace divcheck::service {

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

namespace {

// True when `digest` is the SHA-256 of an empty or whitespace-only key, which
// would let "Bearer " with nothing (or blanks) authenticate: the key is
// trimmed before it is hashed.
bool IsDigestOfBlankKey(const std::string& digest) {
  static const auto* const kBlank = [] {
    auto* set = new absl::flat_hash_set<std::string>;
    for (const char* blank :
         {"", " ", "  ", "\t", "\n", "\r", "\r\n", " \n", "\n\n", "\v", "\f"}) {
      set->insert(Sha256Hex(blank));
    }
    return set;
  }();
  return kBlank->contains(digest);
}

}  // namespace

absl::StatusOr<ApiKeys> ApiKeys::FromConfig(
    const google::protobuf::RepeatedPtrField<config::v1::ApiKey>& keys) {
  Table table;
  std::vector<std::string> problems;
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < keys.size(); ++i) {
    const config::v1::ApiKey& key = keys.Get(i);
    const std::string label =
        absl::StrCat("api_keys[", i, "]", key.name().empty() ? "" : " (",
                     key.name(), key.name().empty() ? "" : ")");
    bool hex = key.sha256().size() == 64;
    for (char c : key.sha256()) {
      hex = hex && (absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'));
    }
    if (!hex) {
      problems.push_back(
          absl::StrCat(label, ": sha256 must be 64 lower-case hex digits"));
      continue;
    }
    if (IsDigestOfBlankKey(key.sha256())) {
      problems.push_back(absl::StrCat(
          label,
          ": sha256 is the digest of an empty or blank key, which would let "
          "any caller in; configure the digest of a real key"));
      continue;
    }
    if (!key.name().empty() && !names.insert(key.name()).second) {
      problems.push_back(absl::StrCat(label, ": the name is used twice"));
    }
    Key entry{key.name(), key.admin(), {}};
    for (const std::string& org : key.organizations()) {
      absl::StatusOr<std::string> name = api::NormalizeOrganization(org);
      if (!name.ok()) {
        problems.push_back(absl::StrCat(label, ": organizations \"", org,
                                        "\": ", name.status().message()));
      } else if (absl::c_linear_search(entry.organizations, *name)) {
        problems.push_back(absl::StrCat(label, ": organization \"", *name,
                                        "\" is listed twice"));
      } else {
        entry.organizations.push_back(*std::move(name));
      }
    }
    if (!table.emplace(key.sha256(), std::move(entry)).second) {
      problems.push_back(
          absl::StrCat(label, ": the same key is configured twice"));
    }
  }
  if (!problems.empty())
    return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  ApiKeys out;
  out.names_by_digest_ = std::make_shared<const Table>(std::move(table));
  return out;
}

void ApiKeys::Replace(const ApiKeys& next) {
  std::atomic_store(&names_by_digest_,
                    std::atomic_load(&next.names_by_digest_));
}

absl::StatusOr<std::pair<std::string, ApiKeys::Key>> ApiKeys::Find(
    const Table& table, absl::string_view authorization) {
  if (authorization.empty()) {
    return api::WithReason(
        absl::UnauthenticatedError("this server requires an API key: send "
                                   "\"authorization: Bearer <key>\" metadata"),
        "UNAUTHENTICATED");
  }
  absl::string_view key = authorization;
  // The scheme is case-insensitive (RFC 7235).
  if (key.size() < 7 || !absl::EqualsIgnoreCase(key.substr(0, 7), "bearer ")) {
    return api::WithReason(
        absl::UnauthenticatedError(
            "the authorization metadata must be \"Bearer <key>\""),
        "UNAUTHENTICATED");
  }
  key = absl::StripAsciiWhitespace(key.substr(7));
  if (key.empty()) {
    return api::WithReason(absl::UnauthenticatedError("the API key is empty"),
                           "UNAUTHENTICATED");
  }
  std::string digest = Sha256Hex(key);
  auto it = table.find(digest);
  if (it == table.end()) {
    return api::WithReason(
        absl::UnauthenticatedError("the API key is not valid"),
        "UNAUTHENTICATED");
  }
  return std::make_pair(std::move(digest), it->second);
}

absl::StatusOr<std::string> ApiKeys::Authenticate(
    absl::string_view authorization) const {
  // One load: the whole call sees one set of keys.
  const std::shared_ptr<const Table> table =
      std::atomic_load(&names_by_digest_);
  if (table->empty()) return std::string();
  absl::StatusOr<std::pair<std::string, Key>> found =
      Find(*table, authorization);
  if (!found.ok()) return found.status();
  return std::move(found->second.name);
}

absl::StatusOr<api::Caller> ApiKeys::Identify(absl::string_view authorization,
                                              std::string* name) const {
  const std::shared_ptr<const Table> table =
      std::atomic_load(&names_by_digest_);
  if (table->empty()) return api::Caller::Unrestricted();
  absl::StatusOr<std::pair<std::string, Key>> found =
      Find(*table, authorization);
  if (!found.ok()) return found.status();
  if (name != nullptr) *name = found->second.name;
  return api::Caller::WithKey(std::move(found->first), found->second.admin,
                              std::move(found->second.organizations));
}

}  // namespace divcheck::service
