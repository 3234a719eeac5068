#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan into
# build-fuzz/, and runs each for a bounded time on its seed corpus: the
# repo's own examples, forms, lexicons and questionnaires. A crash, a leak
# or a sanitizer report fails the run; the input that caused it is kept in
# build-fuzz/artifacts/ and must become a regression test.
#   Usage: scripts/run_fuzz.sh [SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
jobs="$(nproc 2>/dev/null || echo 2)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DDIVCHECK_FUZZ=ON -DDIVCHECK_BUILD_TESTS=OFF -DDIVCHECK_BUILD_BENCH=OFF \
  -DDIVCHECK_JEMALLOC=OFF -DDIVCHECK_WERROR=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz_targets

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seed() {  # seed TARGET FILES... : a fresh corpus directory from repo files
  mkdir -p "$work/$1"
  shift_target="$1"; shift
  for f in "$@"; do cp "$f" "$work/$shift_target/"; done
}
seed scan_fuzz examples/*.txt tests/corpus/de/*.txt
seed form_html_fuzz tests/forms/*.html
seed form_json_fuzz tests/forms/*.json
seed scan_wire_fuzz tests/fuzz/seeds/scan_wire/*
seed questionnaire_fuzz questionnaires/*/*.textproto
seed lexicon_fuzz lexicons/de/age.textproto lexicons/de/context.textproto

mkdir -p build-fuzz/artifacts
status=0
for target in scan_fuzz form_html_fuzz form_json_fuzz scan_wire_fuzz \
              questionnaire_fuzz lexicon_fuzz; do
  echo "== fuzz $target (${seconds}s)"
  if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" \
       -max_len=65536 -rss_limit_mb=4096 -timeout=25 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/artifacts/$target-" \
       "$work/$target" >"$work/$target.log" 2>&1; then
    status=1
    echo "fuzz: $target FAILED; the last lines of its log:"
    tail -n 60 "$work/$target.log"
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$work/$target.log" | tail -n 2 || true
  fi
done
exit "$status"
