#!/usr/bin/env bash
# The divcheck CLI over TLS (issue 17, point 10) against a real divcheckd
# serving TLS, with certificates made by make_test_certs.sh: scan, form,
# assess and bench work with --ca_file; a CA that did not sign the server's
# certificate, a wrong --tls_server_name and a plaintext client fail with
# exit 2 and a message that says why; mutual TLS works with the client
# certificate and fails without it or with a stranger's; unreadable files
# and bad PEM are usage errors (exit 2, no crash); over TLS the API key may
# go to an address that is not loopback, without TLS it may not (refused
# before any connection).
# Usage: cli_tls_test.sh DIVCHECK DIVCHECKD FIXTURE_LEXICONS MAKE_CERTS
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
MAKE_CERTS="$4"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
unset DIVCHECK_API_KEY DIVCHECK_API_KEY_FILE DIVCHECK_INSECURE_SEND_KEY GRPC_VERBOSITY

mkdir "$TMP/certs"
bash "$MAKE_CERTS" "$TMP/certs" || { echo "make_test_certs.sh failed"; exit 1; }
C="$TMP/certs"
KEY="s3cret-key-for-the-tls-test"
HASH="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
printf 'Verkäufer gesucht\n' > "$TMP/bad.txt"
cp "$(dirname "${BASH_SOURCE[0]}")/../forms/de-01-pflegedienst-klassisch.html" "$TMP/form.html"

# run NAME WANT_STATUS ARGS… (environment from the caller)
run() {
  local name="$1" want="$2"; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local status=$?
  [ "$status" -eq "$want" ] || fail "$name: exit $status, want $want: $(head -3 "$TMP/err")"
  # Killed by a signal (a sanitizer's abort, a gRPC assertion): its report.
  [ "$status" -lt 128 ] || { echo "--- end of stderr:"; tail -40 "$TMP/err"; }
}
err_has() { grep -q -- "$2" "$TMP/err" || fail "$1: stderr lacks \"$2\": $(head -3 "$TMP/err")"; }

# --- TLS with an API key ---------------------------------------------------
printf 'tls { cert_file: "%s/server.crt" key_file: "%s/server.key" }\napi_keys { name: "t" sha256: "%s" }\n' \
  "$C" "$C" "$HASH" > "$TMP/tls.textproto"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --config="$TMP/tls.textproto"
S="127.0.0.1:$PORT"
export DIVCHECK_API_KEY="$KEY"

"$DIVCHECK" scan --color=never --lexicons="$LEX" "$TMP/bad.txt" >"$TMP/local.out" 2>&1
run "scan over TLS" 1 "$DIVCHECK" scan --color=never --server="$S" --ca_file="$C/ca.crt" "$TMP/bad.txt"
cmp -s "$TMP/out" "$TMP/local.out" || fail "scan over TLS: output differs from in-process: $(diff "$TMP/local.out" "$TMP/out" | head -5)"
# A list of addresses (issue 19, bulk re-checks): the certificate is checked
# for the first address's host; the key goes to every (loopback) address.
run "scan over TLS, a list" 1 "$DIVCHECK" scan --color=never --server="$S,$S" --ca_file="$C/ca.crt" "$TMP/bad.txt" "$TMP/bad.txt"
[ "$(grep -c "bad.txt" "$TMP/out")" -ge 2 ] || fail "scan over TLS, a list: both files reported: $(head -5 "$TMP/out")"
printf '{"id":"t1","text":"Verkäufer gesucht"}\n{"id":"t2","text":"Wir freuen uns auf Sie."}\n' > "$TMP/ads.jsonl"
run "audit over TLS, a list" 0 "$DIVCHECK" audit --server="$S,$S" --ca_file="$C/ca.crt" --summary=json "$TMP/ads.jsonl"
grep -q '"ads":2' "$TMP/out" || fail "audit over TLS, a list: $(head -3 "$TMP/out")"
run "scan, dashed flag" 1 "$DIVCHECK" scan --server="$S" --ca-file="$C/ca.crt" "$TMP/bad.txt"
run "scan, --tls_server_name=localhost" 1 "$DIVCHECK" scan --server="$S" --ca_file="$C/ca.crt" --tls_server_name=localhost "$TMP/bad.txt"
"$DIVCHECK" form --color=never --lexicons="$LEX" "$TMP/form.html" >"$TMP/local.out" 2>&1
run "form over TLS" 0 "$DIVCHECK" form --color=never --server="$S" --ca_file="$C/ca.crt" "$TMP/form.html"
cmp -s "$TMP/out" "$TMP/local.out" || fail "form over TLS: output differs from in-process: $(diff "$TMP/local.out" "$TMP/out" | head -5)"
run "assess over TLS" 0 "$DIVCHECK" assess questionnaire --server="$S" --ca_file="$C/ca.crt"
run "bench over TLS" 0 "$DIVCHECK" bench --server="$S" --ca_file="$C/ca.crt" --duration=1 --warmup=0 --concurrency=2 "$TMP/bad.txt"
grep -q " 0 errors" "$TMP/out" || fail "bench over TLS: $(cat "$TMP/out")"

# The server's certificate is not trusted, or not for that name.
run "wrong CA" 2 "$DIVCHECK" scan --server="$S" --ca_file="$C/other.crt" "$TMP/bad.txt"
err_has "wrong CA" "certificate verify failed"
err_has "wrong CA" "is the server's certificate signed by the CA of --ca_file"
grep -q "^E[0-9]" "$TMP/err" && fail "wrong CA: gRPC's own log lines on stderr"
run "system CAs" 2 "$DIVCHECK" scan --server="$S" --tls "$TMP/bad.txt"
err_has "system CAs" "certificate verify failed"
run "wrong name" 2 "$DIVCHECK" scan --server="$S" --ca_file="$C/ca.crt" --tls_server_name=wrong.example "$TMP/bad.txt"
err_has "wrong name" "wrong.example"
run "assess, wrong CA" 2 "$DIVCHECK" assess questionnaire --server="$S" --ca_file="$C/other.crt"
err_has "assess, wrong CA" "certificate verify failed"
run "bench, wrong CA" 1 "$DIVCHECK" bench --server="$S" --ca_file="$C/other.crt" --duration=1 --warmup=0 "$TMP/bad.txt"
err_has "bench, wrong CA" "certificate verify failed"
# A plaintext client: the key is not even sent (loopback would allow it),
# the call fails, and the message suggests --tls.
run "no TLS" 2 "$DIVCHECK" scan --server="$S" "$TMP/bad.txt"
err_has "no TLS" "add --tls"

# Files that cannot be used: exit 2 with the flag and file named, no crash.
printf 'not a certificate\n' > "$TMP/junk.pem"
openssl pkey -in "$C/client.key" -aes256 -passout pass:secret -out "$TMP/encrypted.key" 2>/dev/null
for cmd in scan assess bench form; do
  case "$cmd" in
    scan) args=(scan --server="$S" "$TMP/bad.txt") ;;
    assess) args=(assess questionnaire --server="$S") ;;
    bench) args=(bench --server="$S" --duration=1 "$TMP/bad.txt") ;;
    form) args=(form --server="$S" "$TMP/form.html") ;;
  esac
  want_assess() { [ "$cmd" = assess ] && echo "divcheck assess: " || echo "divcheck: "; }
  run "$cmd: junk CA" 2 "$DIVCHECK" "${args[@]}" --ca_file="$TMP/junk.pem"
  err_has "$cmd: junk CA" "$(want_assess)--ca_file $TMP/junk.pem holds no PEM certificate"
  run "$cmd: missing CA" 2 "$DIVCHECK" "${args[@]}" --ca_file="$TMP/nope.pem"
  err_has "$cmd: missing CA" "nope.pem: No such file or directory"
  run "$cmd: CA is a directory" 2 "$DIVCHECK" "${args[@]}" --ca_file="$TMP"
  run "$cmd: cert without key" 2 "$DIVCHECK" "${args[@]}" --ca_file="$C/ca.crt" --cert_file="$C/client.crt"
  err_has "$cmd: cert without key" "--cert_file and --key_file go together"
  run "$cmd: key of another cert" 2 "$DIVCHECK" "${args[@]}" --cert_file="$C/client.crt" --key_file="$C/server.key"
  err_has "$cmd: key of another cert" "is not the key of the certificate"
  run "$cmd: encrypted key" 2 "$DIVCHECK" "${args[@]}" --cert_file="$C/client.crt" --key_file="$TMP/encrypted.key"
  err_has "$cmd: encrypted key" "holds no unencrypted PEM private key"
  run "$cmd: junk cert" 2 "$DIVCHECK" "${args[@]}" --cert_file="$TMP/junk.pem" --key_file="$C/client.key"
  err_has "$cmd: junk cert" "--cert_file $TMP/junk.pem holds no PEM certificate"
done
run "TLS without --server" 2 "$DIVCHECK" scan --ca_file="$C/ca.crt" "$TMP/bad.txt"
err_has "TLS without --server" "need --server"

# The key and addresses that are not loopback (192.0.2.1 is TEST-NET-1):
# without TLS refused before any connection; with TLS sent (the connection
# then fails, or is not answered in the time given).
for cmd in scan form bench assess; do
  case "$cmd" in
    scan) args=(scan --server=192.0.2.1:1 "$TMP/bad.txt") ;;
    form) args=(form --server=192.0.2.1:1 "$TMP/form.html") ;;
    bench) args=(bench --server=192.0.2.1:1 --duration=1 "$TMP/bad.txt") ;;
    assess) args=(assess questionnaire --server=192.0.2.1:1) ;;
  esac
  run "$cmd: clear text, not loopback" 2 timeout 20 "$DIVCHECK" "${args[@]}"
  err_has "$cmd: clear text, not loopback" "refusing to send the API key to 192.0.2.1:1 in clear text: add --tls"
  timeout 20 "$DIVCHECK" "${args[@]}" --ca_file="$C/ca.crt" >"$TMP/out" 2>"$TMP/err"
  status=$?
  [ "$status" -ne 0 ] || fail "$cmd: TLS to 192.0.2.1:1 succeeded?"
  grep -q "refusing" "$TMP/err" && fail "$cmd: key refused over TLS: $(cat "$TMP/err")"
done
unset DIVCHECK_API_KEY
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""

# --- mutual TLS --------------------------------------------------------------
printf 'tls { cert_file: "%s/server.crt" key_file: "%s/server.key" client_ca_file: "%s/ca.crt" require_client_cert: true }\n' \
  "$C" "$C" "$C" > "$TMP/mtls.textproto"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --config="$TMP/mtls.textproto"
S="127.0.0.1:$PORT"
run "mTLS with client cert" 1 "$DIVCHECK" scan --server="$S" --ca_file="$C/ca.crt" \
  --cert_file="$C/client.crt" --key_file="$C/client.key" "$TMP/bad.txt"
grep -q "title_masculine_only" "$TMP/out" || fail "mTLS: no findings: $(cat "$TMP/out")"
run "mTLS, assess" 0 "$DIVCHECK" assess questionnaire --server="$S" --ca_file="$C/ca.crt" \
  --cert-file="$C/client.crt" --key-file="$C/client.key"
run "mTLS without client cert" 2 "$DIVCHECK" scan --server="$S" --ca_file="$C/ca.crt" "$TMP/bad.txt"
err_has "mTLS without client cert" "server $S: "
run "mTLS with a stranger's cert" 2 "$DIVCHECK" scan --server="$S" --ca_file="$C/ca.crt" \
  --cert_file="$C/stranger.crt" --key_file="$C/stranger.key" "$TMP/bad.txt"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""

if [ "$failed" -ne 0 ]; then echo "$failed check(s) failed"; exit 1; fi
echo "all CLI TLS checks passed"
