#!/usr/bin/env bash
# `divcheck scan` and `divcheck form` must refuse bad input with the same
# message on stderr and the same exit status in-process and with --server
# against a real divcheckd: both go through one backend interface to the api
# layer (clients/cli/backend.h), which is the only validator.
# Usage: cli_errors_test.sh DIVCHECK DIVCHECKD LEXICONS
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"

# The server's text limit is the one the in-process runs get (--max-bytes).
LIMIT=1000
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --max_text_bytes=$LIMIT
SERVER="127.0.0.1:$PORT"

head -c 2000 /dev/zero | tr '\0' 'a' > "$TMP/large.txt"
# Neither UTF-8 nor Windows-1252 (0x81, 0x8D are no characters there);
# Windows-1252 text is read as such (formats/document.h).
printf 'gut\x81\x8d schlecht' > "$TMP/invalid.txt"
printf 'Verkaufskraft (m/w/d)\n' > "$TMP/good.txt"
field() { printf '{"fieldId": "%s", "label": "%s", "type": "FIELD_TYPE_TEXT"}' "$1" "$2"; }
printf '{"languageCode": "fr", "fields": [%s]}\n' "$(field name Name)" > "$TMP/lang.json"
printf '{"fields": [%s, %s, {"label": "Alter"}]}\n' \
  "$(field a Vorname)" "$(field a Nachname)" > "$TMP/dup.json"
printf '{"fields": [%s], "employerType": 9}\n' "$(field a Vorname)" > "$TMP/employer.json"

# same NAME WANT_STATUS WANT_STDERR_PART COMMAND ARGS… — runs the command
# in-process and through the server; stderr and exit status must be equal,
# the status WANT_STATUS and stderr must contain WANT_STDERR_PART (so that
# two runs failing for another reason prove nothing).
same() {
  local name="$1" want="$2" part="$3" cmd="$4"; shift 4
  "$DIVCHECK" "$cmd" --lexicons="$LEX" "$@" >/dev/null 2>"$TMP/local.err"
  local local_status=$?
  "$DIVCHECK" "$cmd" --server="$SERVER" "$@" >/dev/null 2>"$TMP/remote.err"
  local remote_status=$?
  if ! cmp -s "$TMP/local.err" "$TMP/remote.err"; then
    fail "$name: stderr differs"
    diff "$TMP/local.err" "$TMP/remote.err" | head -20
  fi
  [ "$local_status" -eq "$remote_status" ] ||
    fail "$name: exit $remote_status through the server, $local_status in-process"
  [ "$local_status" -eq "$want" ] ||
    fail "$name: exit $local_status, want $want: $(head -3 "$TMP/local.err")"
  grep -qF -- "$part" "$TMP/local.err" ||
    fail "$name: stderr lacks \"$part\": $(head -3 "$TMP/local.err")"
}

same "text too large" 2 "text is 2000 bytes; the limit is $LIMIT bytes" \
  scan --max-bytes=$LIMIT "$TMP/large.txt"
same "invalid UTF-8" 2 "text is not valid UTF-8 (byte offset 3)" \
  scan --max-bytes=$LIMIT "$TMP/invalid.txt"
same "unknown language flag" 2 '--lang must be auto, de or en' \
  scan --lang=fr "$TMP/good.txt"
same "good and bad files" 2 "invalid.txt: text is not valid UTF-8" \
  scan --max-bytes=$LIMIT "$TMP/good.txt" "$TMP/invalid.txt"
same "form, unknown language" 2 'language_code "fr" is not supported' \
  form "$TMP/lang.json"
same "form, duplicate and missing field ids" 2 \
  'field_id "a" of field 1 is used by an earlier field; field 2 has no field_id' \
  form "$TMP/dup.json"
same "form, unknown employer type" 2 "employer_type 9 is not an EmployerType value" \
  form "$TMP/employer.json"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=""
if [ "$failed" -ne 0 ]; then
  echo "$failed check(s) failed"
  exit 1
fi
echo "all checks passed"
