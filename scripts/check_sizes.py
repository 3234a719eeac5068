#!/usr/bin/env python3
"""Checks the size rules of docs/ARCHITECTURE.md: no function over
MAX_FUNCTION lines and no source file over MAX_FILE lines, outside tests,
benchmarks, generated code and third_party/.

A function is a definition whose opening line starts in column 0 (or is
indented inside a namespace-free class body by two spaces) and ends at the
matching closing brace, as clang-format (Google style) lays them out.
Lambdas and nested blocks count towards the function that holds them.

Usage: scripts/check_sizes.py [--max-function N] [--max-file N] [ROOT]
Exit status 0 when every file keeps the limits, 1 otherwise (each
violation printed as path:line: what).
"""
import argparse
import pathlib
import re
import subprocess
import sys

SOURCE_DIRS = ("base", "analyzers", "assessment", "formats", "api", "service",
               "clients")
HEADER = re.compile(r"^(?:[A-Za-z_~].*\)|  [A-Za-z_~].*\))\s*(?:const)?\s*"
                    r"(?:override)?\s*(?:noexcept)?\s*(?:->.*)?\{\s*$")


def functions(lines):
    """Yields (start_line, length, signature) of each function definition."""
    i = 0
    while i < len(lines):
        line = lines[i]
        start = i
        sig = line
        # A signature may span several lines: join until the line with '{'.
        if re.match(r"^[A-Za-z_~].*\($", line) or re.match(r"^[A-Za-z_~].*,$", line):
            j = i
            while j + 1 < len(lines) and not lines[j].rstrip().endswith(("{", ";")) \
                    and j - i < 8:
                j += 1
            sig = " ".join(l.strip() for l in lines[i:j + 1])
            line = lines[j]
            i = j
        if line.rstrip().endswith("{") and "(" in sig and not re.match(
                r"^\s*(namespace|class|struct|enum|union|extern|if|for|while|switch|do|else|return)\b",
                sig) and (sig[0] not in " \t" or sig.startswith("  ") and not sig.startswith("   ")) \
                and "=" not in sig.split("(")[0]:
            depth = 0
            for k in range(i, len(lines)):
                depth += lines[k].count("{") - lines[k].count("}")
                if depth <= 0:
                    yield start + 1, k - start + 1, sig.strip()[:80]
                    i = k
                    break
        i += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-function", type=int, default=100)
    ap.add_argument("--max-file", type=int, default=600)
    ap.add_argument("root", nargs="?", default=".")
    args = ap.parse_args()
    root = pathlib.Path(args.root)
    files = subprocess.run(["git", "ls-files", "--", *SOURCE_DIRS], cwd=root,
                           capture_output=True, text=True, check=True).stdout.split()
    bad = 0
    for rel in files:
        if not rel.endswith((".cc", ".h")):
            continue
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        lines = text.split("\n")
        if len(lines) - 1 > args.max_file:
            print(f"{rel}:1: file has {len(lines) - 1} lines (limit {args.max_file})")
            bad += 1
        for start, length, sig in functions(lines):
            if length > args.max_function:
                print(f"{rel}:{start}: function has {length} lines "
                      f"(limit {args.max_function}): {sig}")
                bad += 1
    print(f"check_sizes: {bad} violation(s) in {len(files)} files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
