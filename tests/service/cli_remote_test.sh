#!/usr/bin/env bash
# `divcheck scan --server=…` must print exactly what the in-process scan
# prints (stdout byte for byte, same exit status), and `divcheck bench` must
# run against a real server.
# Usage: cli_remote_test.sh DIVCHECK DIVCHECKD FIXTURE_LEXICONS BENCH_AD
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
BENCH_AD="$4"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"

start_server() {  # start_server LEXICON_DIR — sets SERVER_PID and SERVER
  start_divcheckd "$TMP/server.log" --lexicons="$1"
  SERVER="127.0.0.1:$PORT"
}
stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID"
  local status=$?
  SERVER_PID=""
  [ $status -eq 0 ] || fail "divcheckd exit status $status after SIGTERM"
}
start_server "$LEX"

printf 'Verkäufer gesucht\nWir sind ein junges Team.\n' > "$TMP/bad.txt"
printf 'Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n' > "$TMP/good.txt"
printf 'Team (m/w/d)\nBitte mit Foto.\n' > "$TMP/warn.txt"
printf 'Salesman wanted. Join our young and dynamic team!\n' > "$TMP/en.txt"
printf '' > "$TMP/empty.txt"
# Neither UTF-8 nor Windows-1252 (0x81, 0x8D are no characters there);
# Windows-1252 text is read as such (formats/document.h).
printf 'gut\x81\x8d schlecht' > "$TMP/invalid.txt"
cp "$BENCH_AD" "$TMP/long.txt"
FILES=("$TMP/bad.txt" "$TMP/good.txt" "$TMP/warn.txt" "$TMP/en.txt" "$TMP/empty.txt" "$TMP/long.txt")

# compare NAME WANT_STATUS ARGS... — in-process vs remote; stdin from
# $STDIN_FILE. The in-process exit status must be WANT_STATUS: equal output
# of two runs that both failed (a missing file, broken lexicons) proves
# nothing.
compare() {
  local name="$1" want="$2"; shift 2
  local input="${STDIN_FILE:-/dev/null}"
  "$DIVCHECK" scan --color=never --lexicons="$LEX" "$@" <"$input" >"$TMP/local.out" 2>"$TMP/local.err"
  local local_status=$?
  "$DIVCHECK" scan --color=never --server="$SERVER" "$@" <"$input" >"$TMP/remote.out" 2>"$TMP/remote.err"
  local remote_status=$?
  if ! cmp -s "$TMP/local.out" "$TMP/remote.out"; then
    fail "$name: stdout differs"
    diff "$TMP/local.out" "$TMP/remote.out" | head -20
  fi
  if ! cmp -s "$TMP/local.err" "$TMP/remote.err"; then
    fail "$name: stderr differs"
    diff "$TMP/local.err" "$TMP/remote.err" | head -20
  fi
  [ "$local_status" -eq "$remote_status" ] || fail "$name: exit $remote_status, in-process $local_status"
  [ "$local_status" -eq "$want" ] || fail "$name: in-process exit $local_status, want $want: $(head -3 "$TMP/local.err")"
  [ -s "$TMP/local.out" ] || fail "$name: no output"
}

compare "text, detected language" 1 "${FILES[@]}"
compare "json, detected language" 1 --format=json "${FILES[@]}"
compare "text, German" 1 --lang=de "${FILES[@]}"
# No English finding, but the empty file and the German texts read as English
# are "not checked" (exit 3), in-process as through the server.
compare "json, English" 3 --format=json --lang=en "${FILES[@]}"
compare "fail-on hint" 1 --fail-on=hint "$TMP/warn.txt"
compare "invalid UTF-8 among good files" 2 "$TMP/good.txt" "$TMP/invalid.txt" "$TMP/bad.txt"
STDIN_FILE="$TMP/bad.txt" compare "stdin" 1 -

# A server that is not there: exit 2 and a message naming it.
"$DIVCHECK" scan --server=127.0.0.1:1 "$TMP/bad.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 2 ] || fail "unreachable server: want exit 2"
grep -q "server 127.0.0.1:1" "$TMP/err" || fail "unreachable server: message does not name it: $(cat "$TMP/err")"

# bench: a short closed-loop run with no errors.
"$DIVCHECK" bench --server="$SERVER" --concurrency=4 --duration=1 --warmup=0 \
  "$TMP/long.txt" >"$TMP/bench.out" 2>&1
status=$?
[ $status -eq 0 ] || fail "bench: exit $status: $(cat "$TMP/bench.out")"
grep -q "requests/s" "$TMP/bench.out" || fail "bench: no throughput line"
grep -q "p50 .* ms, p90 .* ms, p99 .* ms" "$TMP/bench.out" || fail "bench: no percentiles"
grep -q " 0 errors" "$TMP/bench.out" || fail "bench: errors: $(cat "$TMP/bench.out")"
"$DIVCHECK" bench "$TMP/long.txt" >/dev/null 2>&1
[ $? -eq 2 ] || fail "bench without --server: want exit 2"

stop_server

# bench compares every answer with the first: when the lexicons change in
# the middle of a run (a reload), the answers change, and bench says so.
cp -r "$LEX" "$TMP/lex"
start_server "$TMP/lex"
"$DIVCHECK" bench --server="$SERVER" --concurrency=4 --duration=4 --warmup=0 \
  "$TMP/long.txt" >"$TMP/bench.out" 2>"$TMP/bench.err" &
BENCH_PID=$!
sleep 1.5
for f in "$TMP"/lex/*/*.textproto; do echo "# changed" >>"$f"; break; done
kill -HUP "$SERVER_PID"
wait "$BENCH_PID"
status=$?
[ $status -eq 1 ] || fail "bench across a lexicon change: want exit 1, got $status: $(cat "$TMP/bench.out" "$TMP/bench.err")"
grep -q "differs from the first answer" "$TMP/bench.err" || fail "bench across a lexicon change: no mismatch reported: $(cat "$TMP/bench.err")"
grep -q '"msg":"lexicons reloaded"' "$TMP/server.log" || fail "the lexicons were not reloaded: $(grep -i reload "$TMP/server.log")"
stop_server

if [ $failed -ne 0 ]; then
  echo "$failed check(s) failed"; exit 1
fi
echo "cli_remote_test: all checks passed"
