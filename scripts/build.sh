#!/usr/bin/env bash
# Configures and builds divcheck.  Usage: scripts/build.sh [release|asan]
#   release  → build/       (Release, -Werror; the default)
#   asan     → build-asan/  (Debug with AddressSanitizer + UBSan, no benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
jobs="$(nproc 2>/dev/null || echo 2)"
case "$kind" in
  release)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ;;
  asan)
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DDIVCHECK_SANITIZE=ON -DDIVCHECK_BUILD_BENCH=OFF ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
dir=build; [ "$kind" = asan ] && dir=build-asan
cmake --build "$dir" -j "$jobs"
