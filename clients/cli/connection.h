// How the CLI reaches a divcheckd server (`--server` and the TLS flags of
// scan, form, bench and assess): the address, TLS with the server's
// certificate checked against a CA file or the system's CA certificates, a
// client certificate for mutual TLS, and the API key — all read and checked
// before any connection is made, so a bad file or a key that must not be
// sent is a usage error (exit 2), never a crash or a call.
//
//   ConnectionFlags flags;
//   AddConnectionFlags(&line, &flags);        // before line.Parse
//   ... line.Parse(...) ...
//   absl::StatusOr<Connection> c = Connect(flags);
//   if (!c.ok()) { print c.status().message(); exit 2 }
//   auto channel = c->NewChannel();
//
// Thread-safe: Connect touches no shared state; a Connection is immutable.
#ifndef DIVCHECK_CLIENTS_CLI_CONNECTION_H_
#define DIVCHECK_CLIENTS_CLI_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/command_line.h"
#include "grpcpp/grpcpp.h"

namespace divcheck::cli {

// The help lines of the TLS flags, for the commands' help texts (a string
// literal, to be joined with theirs).
#define DIVCHECK_CLI_TLS_HELP                                                  \
  "  --tls                  talk to the server over TLS; its certificate "     \
  "must "                                                                      \
  "be\n"                                                                       \
  "                         signed by a CA this machine trusts "               \
  "(/etc/ssl/certs)"                                                           \
  "\n"                                                                         \
  "  --ca_file=PEM          trust the CA certificate(s) in PEM instead "       \
  "(implies"                                                                   \
  "\n"                                                                         \
  "                         --tls)\n"                                          \
  "  --cert_file=PEM, --key_file=PEM\n"                                        \
  "                         client certificate and its unencrypted key, for a" \
  "\n"                                                                         \
  "                         server that asks for one (mutual TLS; implies "    \
  "--tls)\n"                                                                   \
  "  --tls_server_name=NAME the name the server's certificate must carry when" \
  "\n"                                                                         \
  "                         it is not the host in --server (implies --tls)\n"

// The flags as given. Every TLS flag other than --tls turns TLS on too.
struct ConnectionFlags {
  // --server: HOST:PORT; a comma-separated list of IP addresses with ports
  // ("127.0.0.1:8443,127.0.0.1:8444", "[::1]:1,[::1]:2"; "localhost" counts
  // as 127.0.0.1), or a gRPC target ("dns:///divcheck:8443" for one name
  // resolving to several replicas, "ipv4:…", "ipv6:…"); empty: no server.
  std::string server;
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string tls_server_name;

  bool UsesTls() const {
    return tls || !ca_file.empty() || !cert_file.empty() || !key_file.empty() ||
           !tls_server_name.empty();
  }
};

// Registers --server, --tls, --ca_file, --cert_file, --key_file and
// --tls_server_name (the last four also spelt with dashes: --ca-file …).
void AddConnectionFlags(CommandLine* line, ConnectionFlags* flags);

// --server read as a gRPC target.
struct ServerTarget {
  std::string target;  // what grpc::CreateChannel gets
  // The addresses named (one for a plain HOST:PORT or a DNS name; the list
  // for a list), each HOST:PORT, for the API key's loopback check.
  std::vector<std::string> addresses;
  // A list of several addresses (ipv4:/ipv6: target): the channel's
  // authority (and TLS name) is the first address's host.
  bool is_list = false;
};

// --server as a target. INVALID_ARGUMENT naming the flag for an empty list
// item, an item without a port (or a port out of range), a host name in a
// list (a list takes IP addresses; one DNS name can stand for several
// replicas), and IPv4 mixed with IPv6.
absl::StatusOr<ServerTarget> ParseServer(const std::string& server);

// A checked connection: where, how, and with which key.
struct Connection {
  std::string address;    // --server as given (named in messages)
  std::string target;     // the gRPC target (ServerTarget)
  std::string authority;  // "" for gRPC's default
  std::string api_key;    // "" for none
  bool tls = false;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  std::string tls_server_name;  // "" for the host of `address`

  // A new channel to the server with `args` (plus the TLS name override).
  std::shared_ptr<grpc::Channel> NewChannel(
      grpc::ChannelArguments args = grpc::ChannelArguments()) const;
};

// Checks `flags` (with a server; ParseServer's errors) and reads the files
// and the API key (sent without TLS only if every address is loopback).
// Unless $GRPC_VERBOSITY is set, gRPC's own log lines are dropped from then
// on: the CLI's messages say what went wrong.
// Errors, all INVALID_ARGUMENT with a message for the user that names the
// flag and file: a TLS flag without --server; --cert_file without
// --key_file or the reverse; a file that cannot be read or is over 1 MiB;
// --ca_file or --cert_file holding no PEM certificate; --key_file holding
// no unencrypted PEM private key, or one that does not belong to the
// certificate; and the errors of ApiKeyFor (api_key.h) — without TLS, a key
// is sent only to a loopback address.
absl::StatusOr<Connection> Connect(const ConnectionFlags& flags);

// `status` of a failed call through `connection`, with a hint when the
// server could not be reached and TLS may be why (the server's certificate
// not trusted or not for that name, or the server speaking TLS or not).
absl::Status WithTlsHint(const Connection& connection, absl::Status status);

// Ends the process with `status` once a command has returned; call it from
// main only, with every channel gone. A call that could not connect leaves
// gRPC reconnecting on its own threads for up to a few seconds after its
// channels are destroyed (the subchannel's backoff timer holds gRPC's
// library references). A normal exit would then run the static destructors
// and the sanitizers' exit checks while those threads still work, which can
// abort a process whose work is done. So while gRPC is still running, the
// output is flushed and the process ends at once (std::_Exit); otherwise
// this returns `status` for main to return.
int EndProcess(int status);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_CONNECTION_H_
