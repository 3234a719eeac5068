#!/usr/bin/env bash
# How the divcheck CLI takes its API key (issue 17, point 10): a key file
# with a trailing newline works against a real divcheckd that wants the key;
# a key with a control character inside, or an empty one, is refused with
# exit 2 and a message (no abort, no key in the message); a key is not sent
# in clear text to an address that is not loopback unless
# DIVCHECK_INSECURE_SEND_KEY=1.
# Usage: cli_api_key_test.sh DIVCHECK DIVCHECKD FIXTURE_LEXICONS
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
unset DIVCHECK_API_KEY DIVCHECK_API_KEY_FILE DIVCHECK_INSECURE_SEND_KEY

KEY="s3cret-key-for-the-test"
HASH="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
printf 'api_keys { name: "test" sha256: "%s" }\n' "$HASH" > "$TMP/server.textproto"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --config="$TMP/server.textproto"
SERVER="127.0.0.1:$PORT"
printf 'Verkäufer gesucht\n' > "$TMP/bad.txt"
printf '<form><label>Name <input name="n"></label></form>\n' > "$TMP/form.html"

# run NAME WANT_STATUS ARGS… (environment from the caller)
run() {
  local name="$1" want="$2"; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local status=$?
  [ "$status" -eq "$want" ] || fail "$name: exit $status, want $want: $(head -3 "$TMP/err")"
}

# Without a key the server refuses (so the key below is what lets us in).
run "no key" 2 "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"
grep -q "UNAUTHENTICATED\|unauthenticated\|API key" "$TMP/err" || fail "no key: $(cat "$TMP/err")"

# A key file as Kubernetes and editors write it: with a trailing newline.
printf '%s\n' "$KEY" > "$TMP/key"
DIVCHECK_API_KEY_FILE="$TMP/key" run "key file with newline" 1 \
  "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"
grep -q "title_masculine_only" "$TMP/out" || fail "key file: no findings: $(cat "$TMP/out")"
# The same through the environment variable.
DIVCHECK_API_KEY="$KEY"$'\n' run "env key with newline" 1 \
  "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"
DIVCHECK_API_KEY="$KEY"$'\n' run "assess with newline" 0 \
  "$DIVCHECK" assess questionnaire --server="$SERVER"

# A control character inside the key: exit 2 and a message, not SIGABRT.
for cmd in scan assess; do
  if [ "$cmd" = scan ]; then args=(scan --server="$SERVER" "$TMP/bad.txt"); else args=(assess questionnaire --server="$SERVER"); fi
  DIVCHECK_API_KEY="abc"$'\x01'"def" run "$cmd: control char" 2 "$DIVCHECK" "${args[@]}"
  grep -q "control character at byte 4" "$TMP/err" || fail "$cmd: control char message: $(cat "$TMP/err")"
  grep -q "abc" "$TMP/err" && fail "$cmd: the message shows the key"
done
DIVCHECK_API_KEY="abc"$'\n'"def" run "newline inside" 2 "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"
DIVCHECK_API_KEY=$' \n' run "blank key" 2 "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"
grep -q "is empty" "$TMP/err" || fail "blank key message: $(cat "$TMP/err")"
DIVCHECK_API_KEY_FILE="$TMP/nope" run "missing key file" 2 "$DIVCHECK" scan --server="$SERVER" "$TMP/bad.txt"

# Not loopback and no TLS: the key is not sent (192.0.2.1 is TEST-NET-1,
# never reached: the refusal comes before any connection).
for cmd in scan form bench; do
  case "$cmd" in
    scan) args=(scan --server=192.0.2.1:50051 "$TMP/bad.txt") ;;
    form) args=(form --server=192.0.2.1:50051 "$TMP/form.html") ;;
    bench) args=(bench --server=192.0.2.1:50051 "$TMP/bad.txt") ;;
  esac
  DIVCHECK_API_KEY="$KEY" run "$cmd: non-loopback" 2 timeout 20 "$DIVCHECK" "${args[@]}"
  grep -q "refusing to send the API key to 192.0.2.1:50051 in clear text" "$TMP/err" ||
    fail "$cmd: non-loopback message: $(cat "$TMP/err")"
done
DIVCHECK_API_KEY="$KEY" run "assess: non-loopback" 2 "$DIVCHECK" assess questionnaire --server=192.0.2.1:50051
# Loopback by name and as IPv6 is fine; with the opt-in the key is sent.
DIVCHECK_API_KEY="$KEY" run "localhost" 1 "$DIVCHECK" scan --server="localhost:$PORT" "$TMP/bad.txt"
DIVCHECK_API_KEY="$KEY" DIVCHECK_INSECURE_SEND_KEY=1 run "opt-in" 2 \
  timeout 20 "$DIVCHECK" scan --server=192.0.2.1:1 "$TMP/bad.txt"
grep -q "refusing" "$TMP/err" && fail "opt-in: still refused"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
if [ "$failed" -ne 0 ]; then echo "$failed check(s) failed"; exit 1; fi
echo "all API key checks passed"
