#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang 14, ASan and UBSan
# into build-fuzz/ (or FUZZ_BUILD_DIR), and runs each for a bounded time,
# starting from its seed
# corpus in tests/fuzz/seeds/TARGET (the repo's own ads, forms, lexicons,
# questionnaires and requests). New inputs the fuzzer finds are kept in
# DIR/corpus/TARGET for the next local run; the seeds are not
# changed.
#
# A crash, a sanitizer report, a leak, an input slower than the timeout or
# over the memory limit fails the run: the target's log is printed, and the
# input that caused it is kept in DIR/artifacts/ and printed as
# base64. Every such input must become a regression test (docs/SECURITY.md).
#
#   Usage: scripts/run_fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#     SECONDS_PER_TARGET  default 30; TARGET default: all of them.
#   FUZZ_JOBS: targets run at once (default: the number of CPUs, at most 2).
#   FUZZ_BUILD_DIR: a build configured with -DDIVCHECK_FUZZ=ON to run the
#     targets from (scripts/build.sh asan makes build-asan/ so); default
#     build-fuzz/, configured here without tests.
#   Replay one input:  build-fuzz/tests/fuzz/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
all_targets=(scan_fuzz scan_wire_fuzz http_routes_fuzz form_html_fuzz
  form_json_fuzz answers_fuzz questionnaire_fuzz lexicon_fuzz document_fuzz)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
cpus="$(nproc 2>/dev/null || echo 2)"
jobs="${FUZZ_JOBS:-$((cpus < 2 ? cpus : 2))}"
start=$SECONDS

dir="${FUZZ_BUILD_DIR:-build-fuzz}"
if ! grep -q '^DIVCHECK_FUZZ:BOOL=ON' "$dir/CMakeCache.txt" 2>/dev/null; then
  if [ -n "${FUZZ_BUILD_DIR:-}" ]; then
    echo "fuzz: $dir is not a build with -DDIVCHECK_FUZZ=ON" >&2
    exit 2
  fi
  # -O1 without NDEBUG: fast enough to fuzz, with assertions on.
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DDIVCHECK_FUZZ=ON \
    -DDIVCHECK_BUILD_TESTS=OFF -DDIVCHECK_BUILD_BENCH=OFF \
    -DDIVCHECK_JEMALLOC=OFF -DDIVCHECK_WERROR=OFF >/dev/null
fi
cmake --build "$dir" -j "$cpus" --target "${targets[@]}"
echo "fuzz: built in $((SECONDS - start)) s ($dir)"

# The longest input each target gets: a request or file of realistic size.
max_len() {
  case "$1" in
    answers_fuzz) echo 16384 ;;
    lexicon_fuzz) echo 32768 ;;
    *) echo 65536 ;;
  esac
}

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
mkdir -p "$dir/artifacts" "$dir/logs"

# seed_dirs NAME: the read-only seed folders of a target. The HTML form
# reader starts from the form fixtures themselves (tests/forms), not copies.
seed_dirs() {
  if [ "$1" = form_html ]; then
    echo "tests/forms"
  elif [ "$1" = document ]; then
    # Made-up documents of every format, and the encrypted PDF of the
    # format tests.
    echo "tests/fuzz/seeds/document tests/formats"
  else
    echo "tests/fuzz/seeds/$1"
  fi
}

# run_one TARGET: fuzzes TARGET for $seconds; its log is in $dir/logs/.
# -timeout=10: every input is at most 64 KiB, and the engine is linear, so
# one taking 10 s is a finding, not a slow machine.
run_one() {
  local target="$1" name="${1%_fuzz}"
  mkdir -p "$dir/corpus/$name"
  "$dir/tests/fuzz/$target" -max_total_time="$seconds" \
    -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target-" \
    "$dir/corpus/$name" $(seed_dirs "$name") \
    >"$dir/logs/$target.log" 2>&1
}

# report TARGET STATUS: one summary line, or the log and the input.
report() {
  local target="$1" rc="$2" log="$dir/logs/$1.log"
  if [ "$rc" = 0 ]; then
    local last execs speed
    last="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
    echo "fuzz: $target ok: $execs runs, $speed/s; ${last#*DONE   }"
    return 0
  fi
  echo "fuzz: $target FAILED (exit $rc); the end of $log:"
  tail -n 80 "$log"
  local input
  input="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
  if [ -n "$input" ] && [ -f "$input" ]; then
    echo "fuzz: the input ($(wc -c <"$input") bytes), kept in $input, base64:"
    base64 "$input" | head -c 20000
    echo
  fi
  return 1
}

status=0
running=()
finish_oldest() {
  local entry="${running[0]}"
  running=("${running[@]:1}")
  local rc=0
  wait "${entry#*:}" || rc=$?
  report "${entry%%:*}" "$rc" || status=1
}
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, $jobs at a time"
for target in "${targets[@]}"; do
  [ "${#running[@]}" -ge "$jobs" ] && finish_oldest
  run_one "$target" &
  running+=("$target:$!")
done
while [ "${#running[@]}" -gt 0 ]; do finish_oldest; done
echo "fuzz: done in $((SECONDS - start)) s"
exit "$status"
