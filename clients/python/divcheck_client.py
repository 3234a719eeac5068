#!/usr/bin/python3
"""divcheck_client.py: call a divcheckd server from Python.

A small example for integrators, using Debian's python3-grpcio and stubs
generated from proto/divcheck/v1/scan_service.proto (the build puts them in
build/clients/python/gen; see README.md).

    divcheck_client.py --server 127.0.0.1:50051 ad.txt          # ScanText
    divcheck_client.py --server 127.0.0.1:50051 a.txt b.txt     # StreamScanText
    divcheck_client.py --server 127.0.0.1:50051 --list-rules --lang de --dimension AGE
    divcheck_client.py --server divcheck.example:443 --ca-file ca.pem \
        --api-key "$KEY" ad.txt                                    # over TLS

Findings print like `divcheck scan`: `file:line:col: severity: message [rule]`.
Errors print the google.rpc details the server attaches: the ErrorInfo
reason and every BadRequest field violation.

TLS: --tls (the server's certificate checked against the system's CA
certificates), --ca-file (against the CA certificates in a PEM file),
--cert-file and --key-file (a client certificate for mutual TLS),
--tls-server-name (the name the certificate must carry, when it is not the
host in --server). Without TLS an API key is sent only to a loopback
address (localhost, 127.x.x.x, [::1]) unless DIVCHECK_INSECURE_SEND_KEY=1.

Exit status: 0 no critical finding, 1 a critical finding, 2 an error.
"""

import argparse
import ipaddress
import os
import ssl
import sys

import grpc

from divcheck.v1 import report_pb2
from divcheck.v1 import scan_service_pb2
from divcheck.v1 import scan_service_pb2_grpc
from google.rpc import error_details_pb2
from google.rpc import status_pb2

SEVERITY = {
    report_pb2.SEVERITY_HINT: "hint",
    report_pb2.SEVERITY_WARNING: "warning",
    report_pb2.SEVERITY_CRITICAL: "critical",
}


def describe_status(status):
    """One line per detail of a google.rpc.Status."""
    lines = ["%s: %s" % (status.code, status.message)]
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            lines.append("  reason: %s (%s), request id %s"
                         % (info.reason, info.domain, info.metadata.get("request_id", "")))
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            for violation in bad.field_violations:
                lines.append("  field %s: %s" % (violation.field, violation.description))
    return "\n".join(lines)


def rpc_error_status(error):
    """The google.rpc.Status in a failed call's trailers, or one made from
    the gRPC code and message when the server sent none."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status()
            status.ParseFromString(value)
            return status
    return status_pb2.Status(code=error.code().value[0], message=error.details() or "")


def print_report(name, report):
    for f in report.findings:
        print("%s:%d:%d: %s: %s [%s]" % (name, f.span.line, f.span.column,
                                        SEVERITY.get(f.severity, "?"), f.message, f.rule_id))
        if f.replacements:
            print("    instead: " + " | ".join(f.replacements))
        for advice in f.advice:
            print("    advice: " + advice)
    print("%s: score %d/100, grade %s (%d critical, %d warnings, %d hints; language %s)"
          % (name, report.score, report.grade, report.critical_count,
             report.warning_count, report.hint_count, report.language))
    return report.critical_count > 0


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def scan(stub, args, metadata):
    critical = False
    if len(args.files) == 1:
        request = scan_service_pb2.ScanTextRequest(
            text=read(args.files[0]), language_code=args.lang,
            request_id=args.files[0])
        response = stub.ScanText(request, timeout=args.timeout, metadata=metadata)
        return 1 if print_report(args.files[0], response.report) else 0
    # Several files: one stream; each answer names its request.
    requests = (scan_service_pb2.ScanTextRequest(text=read(p), language_code=args.lang,
                                                 request_id=p) for p in args.files)
    failed = False
    for response in stub.StreamScanText(requests, timeout=args.timeout, metadata=metadata):
        if response.HasField("error"):
            print("%s: error %s" % (response.request_id, describe_status(response.error)),
                  file=sys.stderr)
            failed = True
        else:
            critical |= print_report(response.request_id, response.report)
    return 2 if failed else (1 if critical else 0)


def list_rules(stub, args, metadata):
    request = scan_service_pb2.ListRulesRequest(
        page_size=100, language_code=args.lang,
        dimension=report_pb2.Dimension.Value("DIMENSION_" + args.dimension)
        if args.dimension else 0)
    while True:
        page = stub.ListRules(request, timeout=args.timeout, metadata=metadata)
        for rule in page.rules:
            dims = ",".join(report_pb2.Dimension.Name(d)[len("DIMENSION_"):]
                            for d in rule.dimensions)
            print("%s\t%s\t%s\t%s" % (rule.rule_id, rule.language_code or "*",
                                      dims or "-", rule.legal_basis))
        if not page.next_page_token:
            return 0
        request.page_token = page.next_page_token


MAX_PEM_BYTES = 1 << 20


class UsageError(Exception):
    """A flag, file or key that cannot be used; exit status 2."""


def is_loopback(address):
    """Whether HOST:PORT, [V6]:PORT or a bare host names this machine."""
    host = address
    if host.startswith("["):
        host = host[1:host.find("]")]
    elif host.count(":") == 1:
        host = host.split(":")[0]
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_pem(flag, path):
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_PEM_BYTES + 1)
    except OSError as e:
        raise UsageError("cannot read --%s %s: %s" % (flag, path, e.strerror or e))
    if len(data) > MAX_PEM_BYTES:
        raise UsageError("--%s %s is larger than %d bytes" % (flag, path, MAX_PEM_BYTES))
    return data


def tls_credentials(args):
    """grpc.ChannelCredentials from the TLS flags, the files checked first
    (with Python's ssl module) so that a bad file gets a message, not a
    failed handshake."""
    if bool(args.cert_file) != bool(args.key_file):
        raise UsageError("--cert-file and --key-file go together: the client "
                         "certificate and its key")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca = None
    if args.ca_file:
        ca = read_pem("ca-file", args.ca_file)
        try:
            context.load_verify_locations(cadata=ca.decode("ascii", "replace"))
        except (ssl.SSLError, ValueError):
            raise UsageError("--ca-file %s holds no PEM certificate" % args.ca_file)
    cert = key = None
    if args.cert_file:
        cert = read_pem("cert-file", args.cert_file)
        key = read_pem("key-file", args.key_file)
        try:
            # A password callback, so that an encrypted key is refused
            # instead of prompted for.
            context.load_cert_chain(args.cert_file, args.key_file, password=lambda: b"")
        except ssl.SSLError as e:
            raise UsageError("--cert-file %s and --key-file %s are not a PEM certificate and "
                             "its unencrypted private key (%s)"
                             % (args.cert_file, args.key_file, e.reason or e))
    return grpc.ssl_channel_credentials(root_certificates=ca, private_key=key,
                                        certificate_chain=cert)


def open_channel(args):
    """The channel to --server: TLS when any TLS flag is given. Refuses to
    send an API key in clear text to an address that is not loopback."""
    use_tls = bool(args.tls or args.ca_file or args.cert_file or args.key_file
                   or args.tls_server_name)
    if (args.api_key and not use_tls and not is_loopback(args.server)
            and os.environ.get("DIVCHECK_INSECURE_SEND_KEY") != "1"):
        raise UsageError(
            "refusing to send the API key to %s in clear text: add --tls (and "
            "--ca-file if the server's certificate is not signed by a CA this "
            "machine trusts), or set DIVCHECK_INSECURE_SEND_KEY=1 to send it "
            "anyway" % args.server)
    if not use_tls:
        return grpc.insecure_channel(args.server)
    options = []
    if args.tls_server_name:
        options.append(("grpc.ssl_target_name_override", args.tls_server_name))
    return grpc.secure_channel(args.server, tls_credentials(args), options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051", help="HOST:PORT")
    parser.add_argument("--lang", default="", help='"de", "en" or "" (detect)')
    parser.add_argument("--api-key", default=os.environ.get("DIVCHECK_API_KEY", ""),
                        help="sent as authorization: Bearer (default: $DIVCHECK_API_KEY)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
    parser.add_argument("--list-rules", action="store_true", help="list the rules")
    parser.add_argument("--dimension", default="", help="with --list-rules: e.g. AGE")
    parser.add_argument("files", nargs="*")
    tls = parser.add_argument_group("TLS (each option but --tls implies --tls)")
    tls.add_argument("--tls", action="store_true",
                     help="use TLS; the server's certificate must be signed by a CA "
                     "this machine trusts")
    tls.add_argument("--ca-file", "--ca_file", dest="ca_file", default="",
                     help="trust the CA certificate(s) in this PEM file instead")
    tls.add_argument("--cert-file", "--cert_file", dest="cert_file", default="",
                     help="client certificate (PEM), for mutual TLS")
    tls.add_argument("--key-file", "--key_file", dest="key_file", default="",
                     help="the client certificate's unencrypted private key (PEM)")
    tls.add_argument("--tls-server-name", "--tls_server_name", dest="tls_server_name",
                     default="", help="the name the server's certificate must carry")
    args = parser.parse_args()
    if not args.list_rules and not args.files:
        parser.error("name one or more files, or --list-rules")
    args.api_key = args.api_key.strip()

    metadata = [("authorization", "Bearer " + args.api_key)] if args.api_key else []
    try:
        channel = open_channel(args)
    except UsageError as e:
        parser.error(str(e))
    with channel:
        stub = scan_service_pb2_grpc.ScanServiceStub(channel)
        try:
            if args.list_rules:
                return list_rules(stub, args, metadata)
            return scan(stub, args, metadata)
        except grpc.RpcError as error:
            print("divcheck_client: error " + describe_status(rpc_error_status(error)),
                  file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
