#!/usr/bin/python3
"""divcheck_client.py: call a divcheckd server from Python.

A small example for integrators, using Debian's python3-grpcio and stubs
generated from proto/divcheck/v1/scan_service.proto (the build puts them in
build/clients/python/gen; see README.md).

    divcheck_client.py --server 127.0.0.1:50051 ad.txt          # ScanText
    divcheck_client.py --server 127.0.0.1:50051 a.txt b.txt     # StreamScanText
    divcheck_client.py --server 127.0.0.1:50051 --list-rules --lang de --dimension AGE

Findings print like `divcheck scan`: `file:line:col: severity: message [rule]`.
Errors print the google.rpc details the server attaches: the ErrorInfo
reason and every BadRequest field violation.

Exit status: 0 no critical finding, 1 a critical finding, 2 an error.
"""

import argparse
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
        if f.suggestions:
            print("    instead: " + " | ".join(f.suggestions))
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051", help="HOST:PORT")
    parser.add_argument("--lang", default="", help='"de", "en" or "" (detect)')
    parser.add_argument("--api-key", default="", help="sent as authorization: Bearer")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
    parser.add_argument("--list-rules", action="store_true", help="list the rules")
    parser.add_argument("--dimension", default="", help="with --list-rules: e.g. AGE")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if not args.list_rules and not args.files:
        parser.error("name one or more files, or --list-rules")

    metadata = [("authorization", "Bearer " + args.api_key)] if args.api_key else []
    with grpc.insecure_channel(args.server) as channel:
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
