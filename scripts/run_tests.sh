#!/usr/bin/env bash
# Installs the packages, builds, and runs every test: the Release build
# (unit, golden, court-excerpt, corpus and CLI tests, lexicon validation),
# then the same tests under AddressSanitizer + UBSan, then the libFuzzer
# targets for a bounded time each (scripts/run_fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
jobs="$(nproc 2>/dev/null || echo 2)"

echo "== source checks"
bash scripts/check_format.sh
python3 scripts/check_layers.py .
python3 scripts/check_sizes.py .

echo "== release build"
bash scripts/build.sh release
./build/clients/cli/divcheck lexicon validate lexicons
./build/clients/cli/divcheck lexicon stats lexicons
echo "== release tests"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${DIVCHECK_SKIP_ASAN:-0}" != "1" ]; then
  echo "== ASan/UBSan build"
  bash scripts/build.sh asan
  echo "== ASan/UBSan tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE postgres
  # -LE postgres: the tests against a real PostgreSQL (label "postgres":
  # repository_postgres_test and postgres_replicas_test.*, each starting its
  # own server and several divcheckd) run in the Release stage only; under
  # ASan they would take several minutes more. The repository suite's SQLite
  # cases and the libpq cases without a server run here too.
fi

if [ "${DIVCHECK_SKIP_FUZZ:-0}" != "1" ]; then
  # 9 targets, 2 at a time, 30 s each: about 2.5 minutes of fuzzing.
  echo "== fuzz (libFuzzer, ASan/UBSan)"
  # From the ASan/UBSan build when it ran (it has the fuzz targets).
  if [ "${DIVCHECK_SKIP_ASAN:-0}" != "1" ]; then export FUZZ_BUILD_DIR=build-asan; fi
  bash scripts/run_fuzz.sh "${DIVCHECK_FUZZ_SECONDS:-30}"
fi
