#include "clients/cli/api_key.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/file.h"

namespace divcheck::cli {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  absl::StatusOr<std::string> data = ReadFile(path, kMaxKeyFileBytes);
  if (absl::IsOutOfRange(data.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("$DIVCHECK_API_KEY_FILE ", path, " is larger than ",
                     kMaxKeyFileBytes, " bytes; it should hold only the key"));
  }
  if (!data.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("$DIVCHECK_API_KEY_FILE: ", data.status().message()));
  }
  return data;
}

}  // namespace

bool IsLoopbackAddress(const std::string& address) {
  std::string host = address;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  if (absl::AsciiStrToLower(host) == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

absl::StatusOr<std::string> ApiKeyFor(const std::string& server, bool tls) {
  std::string key;
  std::string source = "$DIVCHECK_API_KEY";
  if (const char* env = std::getenv("DIVCHECK_API_KEY")) {
    key = env;
  } else if (const char* file = std::getenv("DIVCHECK_API_KEY_FILE")) {
    absl::StatusOr<std::string> content = ReadKeyFile(file);
    if (!content.ok()) return content.status();
    key = *std::move(content);
    source = absl::StrCat("$DIVCHECK_API_KEY_FILE (", file, ")");
  } else {
    return std::string();
  }
  key = std::string(absl::StripAsciiWhitespace(key));
  if (key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the API key in ", source, " is empty; unset it to send no key"));
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(key[i]);
    if (c < 0x20 || c > 0x7e) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the API key in ", source, " holds a ",
          c < 0x20 || c == 0x7f ? "control" : "non-ASCII",
          " character at byte ", i + 1,
          "; a key is printable ASCII (surrounding white space is trimmed)"));
    }
  }
  const char* insecure = std::getenv("DIVCHECK_INSECURE_SEND_KEY");
  if (!tls && !IsLoopbackAddress(server) &&
      (insecure == nullptr || std::string(insecure) != "1")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to send the API key to ", server,
        " in clear text: add --tls (and --ca_file=PEM if the server's "
        "certificate is not signed by a CA this machine trusts), or set "
        "DIVCHECK_INSECURE_SEND_KEY=1 to send it anyway"));
  }
  return key;
}

}  // namespace divcheck::cli
