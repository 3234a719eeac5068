#include "clients/cli/connection.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/file.h"
#include "clients/cli/api_key.h"
#include "grpc/grpc.h"
#include "grpc/support/log.h"

namespace divcheck::cli {
namespace {

// A PEM file with a CA bundle is a few hundred KiB at most.
constexpr size_t kMaxPemBytes = 1 << 20;

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio MemoryBio(const std::string& data) {
  return Bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())),
             BIO_free);
}

// gRPC's own log lines ("E1203 … ssl_transport_security.cc:1501] Handshake
// failed …") would repeat, in its words, what the CLI's message says. An
// assertion of gRPC's, which aborts the process next, is kept: it is the
// only account of why.
void DropGrpcLog(gpr_log_func_args* args) {
  if (args->message != nullptr &&
      absl::StartsWith(args->message, "assertion failed")) {
    std::fprintf(stderr, "divcheck: gRPC %s:%d: %s\n", args->file, args->line,
                 args->message);
  }
}

// OpenSSL's password callback: none, so an encrypted key is refused rather
// than prompted for.
int NoPassword(char*, int, int, void*) { return 0; }

absl::StatusOr<std::string> ReadPem(const std::string& flag,
                                    const std::string& path) {
  absl::StatusOr<std::string> data = ReadFile(path, kMaxPemBytes);
  if (absl::IsOutOfRange(data.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, " ", path, " is larger than ", kMaxPemBytes, " bytes"));
  }
  if (!data.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", data.status().message()));
  }
  return data;
}

// The number of PEM certificates at the start of `pem`.
int CountCertificates(const std::string& pem) {
  Bio bio = MemoryBio(pem);
  int n = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++n;
  }
  ERR_clear_error();
  return n;
}

absl::Status CheckKeyPair(const ConnectionFlags& flags,
                          const std::string& cert_pem,
                          const std::string& key_pem) {
  Bio cert_bio = MemoryBio(cert_pem);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), X509_free);
  Bio key_bio = MemoryBio(key_pem);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassword, nullptr),
      EVP_PKEY_free);
  const bool matches = cert != nullptr && key != nullptr &&
                       X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--cert_file ", flags.cert_file, " holds no PEM certificate"));
  }
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--key_file ", flags.key_file,
                     " holds no unencrypted PEM private key"));
  }
  if (!matches) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--key_file ", flags.key_file,
        " is not the key of the certificate in --cert_file ", flags.cert_file));
  }
  return absl::OkStatus();
}

absl::Status CheckFlags(const ConnectionFlags& flags) {
  if (flags.server.empty()) {
    return absl::InvalidArgumentError(
        "--tls, --ca_file, --cert_file, --key_file and --tls_server_name "
        "need --server");
  }
  if (flags.cert_file.empty() != flags.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--cert_file and --key_file go together: the client certificate and "
        "its key");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TlsCredentials(
    const ConnectionFlags& flags) {
  grpc::SslCredentialsOptions options;
  if (!flags.ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPem("ca_file", flags.ca_file);
    if (!ca.ok()) return ca.status();
    if (CountCertificates(*ca) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--ca_file ", flags.ca_file, " holds no PEM certificate"));
    }
    options.pem_root_certs = *std::move(ca);
  }
  if (!flags.cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadPem("cert_file", flags.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem("key_file", flags.key_file);
    if (!key.ok()) return key.status();
    if (absl::Status s = CheckKeyPair(flags, *cert, *key); !s.ok()) return s;
    options.pem_cert_chain = *std::move(cert);
    options.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(options);
}

// One item of a --server list: "IPv4:PORT", "[IPv6]:PORT" or
// "localhost:PORT", as the address of an ipv4:/ipv6: target; sets *v6.
absl::StatusOr<std::string> ListItem(absl::string_view item, bool* v6) {
  const std::string quoted = absl::StrCat("'", item, "'");
  const size_t colon = item.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(item.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--server: ", quoted,
        " has no port from 1 to 65535 (a list is HOST:PORT,HOST:PORT,…)"));
  }
  std::string host(item.substr(0, colon));
  if (absl::AsciiStrToLower(host) == "localhost") host = "127.0.0.1";
  const bool bracketed =
      host.size() > 2 && host.front() == '[' && host.back() == ']';
  in_addr a4;
  in6_addr a6;
  if (!bracketed && inet_pton(AF_INET, host.c_str(), &a4) == 1) {
    *v6 = false;
    return absl::StrCat(host, ":", port);
  }
  if (bracketed &&
      inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &a6) == 1) {
    *v6 = true;
    return absl::StrCat(host, ":", port);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--server: ", quoted,
      " is not an IP address with a port; a list takes IPv4 addresses or "
      "IPv6 ones in brackets ([::1]:8443). For replicas behind a host name, "
      "give that one name (dns:///NAME:PORT): gRPC spreads the calls over "
      "every address it resolves to"));
}

// The host of "HOST:PORT" ("[v6]:PORT" keeps its brackets).
std::string HostOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

absl::StatusOr<ServerTarget> ParseServer(const std::string& server) {
  ServerTarget out;
  absl::string_view rest = server;
  if (absl::ConsumePrefix(&rest, "dns:")) {
    // dns:///NAME:PORT or dns://RESOLVER/NAME:PORT
    out.target = server;
    out.addresses.push_back(std::string(rest.substr(rest.rfind('/') + 1)));
    return out;
  }
  const bool scheme = absl::ConsumePrefix(&rest, "ipv4:") ||
                      absl::ConsumePrefix(&rest, "ipv6:");
  if (!scheme && !absl::StrContains(server, ',')) {
    out.target = server;
    out.addresses.push_back(server);
    return out;
  }
  int v4 = 0, v6 = 0;
  for (absl::string_view item : absl::StrSplit(rest, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--server: '", server,
                       "' has an empty item; a list is HOST:PORT,HOST:PORT,…"));
    }
    bool is_v6 = false;
    absl::StatusOr<std::string> address = ListItem(item, &is_v6);
    if (!address.ok()) return address.status();
    ++(is_v6 ? v6 : v4);
    out.addresses.push_back(*std::move(address));
  }
  if (v4 > 0 && v6 > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--server: '", server,
        "' mixes IPv4 and IPv6 addresses; gRPC takes a list of one kind"));
  }
  out.target = absl::StrCat(v6 > 0 ? "ipv6:" : "ipv4:",
                            absl::StrJoin(out.addresses, ","));
  out.is_list = true;
  return out;
}

void AddConnectionFlags(CommandLine* line, ConnectionFlags* flags) {
  line->Add("server", &flags->server);
  line->AddFlag("tls", &flags->tls);
  for (const char* sep : {"_", "-"}) {
    line->Add(absl::StrCat("ca", sep, "file"), &flags->ca_file);
    line->Add(absl::StrCat("cert", sep, "file"), &flags->cert_file);
    line->Add(absl::StrCat("key", sep, "file"), &flags->key_file);
    line->Add(absl::StrCat("tls", sep, "server", sep, "name"),
              &flags->tls_server_name);
  }
}

std::shared_ptr<grpc::Channel> Connection::NewChannel(
    grpc::ChannelArguments args) const {
  if (!tls_server_name.empty()) args.SetSslTargetNameOverride(tls_server_name);
  if (!authority.empty()) {
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, authority);
  }
  return grpc::CreateCustomChannel(target.empty() ? address : target,
                                   credentials, args);
}

absl::StatusOr<Connection> Connect(const ConnectionFlags& flags) {
  // GRPC_VERBOSITY set by the user (to debug a connection) keeps them.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function(DropGrpcLog);
  }
  if (absl::Status s = CheckFlags(flags); !s.ok()) return s;
  absl::StatusOr<ServerTarget> target = ParseServer(flags.server);
  if (!target.ok()) return target.status();
  Connection connection;
  connection.address = flags.server;
  connection.target = target->target;
  connection.tls = flags.UsesTls();
  connection.tls_server_name = flags.tls_server_name;
  if (target->is_list) {
    // gRPC's authority for an ipv4:/ipv6: list would be the whole list.
    connection.authority = target->addresses.front();
    for (const std::string& a : target->addresses) {
      if (connection.tls && flags.tls_server_name.empty() &&
          HostOf(a) != HostOf(connection.authority)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--server lists different hosts (", HostOf(connection.authority),
            ", ", HostOf(a),
            "): with TLS, give the name their certificates carry as "
            "--tls_server_name"));
      }
    }
  }
  if (connection.tls) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        TlsCredentials(flags);
    if (!credentials.ok()) return credentials.status();
    connection.credentials = *std::move(credentials);
  } else {
    connection.credentials = grpc::InsecureChannelCredentials();
  }
  // The key goes to every address: each must pass ApiKeyFor's check.
  for (const std::string& address : target->addresses) {
    absl::StatusOr<std::string> key = ApiKeyFor(address, connection.tls);
    if (!key.ok()) return key.status();
    connection.api_key = *std::move(key);
  }
  return connection;
}

absl::Status WithTlsHint(const Connection& connection, absl::Status status) {
  if (!absl::IsUnavailable(status)) return status;
  const std::string lower = absl::AsciiStrToLower(status.message());
  std::string hint;
  if (connection.tls && (absl::StrContains(lower, "handshake") ||
                         absl::StrContains(lower, "ssl") ||
                         absl::StrContains(lower, "certificate"))) {
    hint =
        " (TLS: is the server's certificate signed by the CA of --ca_file, "
        "or one this machine trusts, and issued for the host in --server or "
        "--tls_server_name? does the server speak TLS, and does it want a "
        "client certificate?)";
  } else if (!connection.tls &&
             (absl::StrContains(lower, "socket closed") ||
              absl::StrContains(lower, "connection reset"))) {
    hint = " (if the server speaks TLS, add --tls)";
  }
  if (hint.empty()) return status;
  return absl::Status(status.code(), absl::StrCat(status.message(), hint));
}

int EndProcess(int status) {
  if (!grpc_is_initialized()) return status;
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace divcheck::cli
