#include "clients/cli/api_key.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace divcheck::cli {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read $DIVCHECK_API_KEY_FILE ", path, ": ",
                     std::strerror(errno)));
  }
  std::string data(kMaxKeyFileBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxKeyFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("$DIVCHECK_API_KEY_FILE ", path, " is larger than ",
                     kMaxKeyFileBytes, " bytes; it should hold only the key"));
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

absl::StatusOr<std::string> ApiKeyFor(const std::string& server) {
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
  if (!IsLoopbackAddress(server) &&
      (insecure == nullptr || std::string(insecure) != "1")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to send the API key to ", server,
        " in clear text: the divcheck CLI has no TLS, so use it with a key "
        "only on this machine (or through an SSH tunnel or TLS proxy); set "
        "DIVCHECK_INSECURE_SEND_KEY=1 to send it anyway"));
  }
  return key;
}

}  // namespace divcheck::cli
