#!/usr/bin/env python3
"""Checks the layering of docs/ARCHITECTURE.md on the includes of every
tracked source file: each folder may include only from the folders below it,

    base → analyzers, assessment, formats → api → service, clients

and gRPC (grpcpp/, *.grpc.pb.h) only in service/, clients/ and tests/.
(CMakeLists.txt checks the same for the link lines: divcheck_api, the engine
and the assessment library never link gRPC.)

Usage: scripts/check_layers.py [ROOT]. Prints each violation as
path:line: what; exit status 1 when there is one, else 0.
"""
import pathlib
import re
import subprocess
import sys

# Folder → the project folders its sources may include from.
ALLOWED = {
    "base": {"base"},
    "analyzers": {"base", "analyzers"},
    "assessment": {"base", "assessment"},
    "formats": {"base", "formats"},
    "api": {"base", "analyzers", "assessment", "formats", "api"},
    "service": {"base", "analyzers", "assessment", "formats", "api", "service"},
    "clients": {"base", "analyzers", "assessment", "formats", "api", "clients"},
    "bench": {"base", "analyzers", "assessment", "formats", "api", "bench"},
}
GRPC_OK = {"service", "clients", "tests"}
PROJECT = {"base", "analyzers", "assessment", "formats", "api", "service",
           "clients", "bench", "tests"}
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]')


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    files = subprocess.run(["git", "ls-files", "--", *ALLOWED, "tests"],
                           cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()
    bad = 0
    checked = 0
    for rel in files:
        if not rel.endswith((".cc", ".h")):
            continue
        checked += 1
        layer = rel.split("/")[0]
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.split("\n"), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            what = None
            if (target.startswith("grpcpp/") or target.startswith("grpc/")
                    or target.endswith(".grpc.pb.h")) and layer not in GRPC_OK:
                what = f"{layer}/ may not include gRPC ({target})"
            top = target.split("/")[0]
            if layer in ALLOWED and top in PROJECT and top not in ALLOWED[layer]:
                what = f"{layer}/ may not include {top}/ ({target})"
            if what:
                print(f"{rel}:{number}: {what}")
                bad += 1
    print(f"check_layers: {bad} violation(s) in {checked} files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
