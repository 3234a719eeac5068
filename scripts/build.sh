#!/usr/bin/env bash
# Configures and builds divcheck.  Usage: scripts/build.sh [release|asan]
#   release  → build/       (Release, -Werror; the default)
#   asan     → build-asan/  (clang 14, AddressSanitizer + UBSan at -O1 with
#               assertions on, no benchmarks; with libFuzzer's coverage
#               instrumentation and the fuzz targets, so that
#               scripts/run_fuzz.sh runs them from this build instead of
#               compiling everything a third time)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
jobs="$(nproc 2>/dev/null || echo 2)"
case "$kind" in
  release)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ;;
  asan)
    # -O1, as the sanitizers' own documentation advises for usable speed:
    # the tests run about twice as fast as at -O0 (CI's longest stage), and
    # assertions stay on (no NDEBUG).
    # Warnings are errors in the release build (gcc); clang's extra ones
    # are not made fatal here. Line tables are all the sanitizers' stack
    # traces need (file:line per frame), and far less to compile and link
    # than full debug information.
    CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
      -DDIVCHECK_FUZZ=ON -DDIVCHECK_WERROR=OFF -DDIVCHECK_BUILD_BENCH=OFF ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
dir=build; [ "$kind" = asan ] && dir=build-asan
cmake --build "$dir" -j "$jobs"
