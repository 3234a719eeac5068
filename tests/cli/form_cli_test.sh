#!/usr/bin/env bash
# End-to-end tests of `divcheck form`: exit codes, error messages, text and
# JSON output, and the same output through a divcheckd server (--server).
# Usage: form_cli_test.sh DIVCHECK DIVCHECKD LEXICONS FORMS_DIR
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
FORMS="$4"
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
passed=0
failed=0

# check, expect_in
source "$(dirname "$0")/check_lib.sh"
expect_not_in() {  # expect_not_in NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then
    failed=$((failed + 1)); echo "FAIL: $1: \"$3\" in $2"
  else passed=$((passed + 1)); fi
}

F=("$DIVCHECK" form --lexicons="$LEX" --color=never)
BAD="$FORMS/de-01-pflegedienst-klassisch.html"
GOOD="$FORMS/de-02-handwerk-gut.html"
HINTS="$FORMS/en-22-negations.json"
CHURCH="$FORMS/de-13-diakonie-kirchlich.json"

# Help and usage errors.
check "form help" 0 "${F[@]}" --help
expect_in "form help text" "$TMP/out" "--employer"
check "help form" 0 "$DIVCHECK" help form
expect_in "help form text" "$TMP/out" "anonymised application"
check "main help mentions form" 0 "$DIVCHECK" --help
expect_in "main help form line" "$TMP/out" "divcheck form"
check "no file" 2 "${F[@]}"
check "two files" 2 "${F[@]}" "$BAD" "$GOOD"
check "bad format" 2 "${F[@]}" --format=xml "$BAD"
check "bad employer" 2 "${F[@]}" --employer=church "$BAD"
expect_in "bad employer message" "$TMP/err" "--employer must be"
check "bad fail-on" 2 "${F[@]}" --fail-on=never "$BAD"
check "unknown flag" 2 "${F[@]}" --frob "$BAD"

# Input errors: exit 2 with a message naming the file.
check "missing file" 2 "${F[@]}" "$TMP/nope.html"
expect_in "missing file message" "$TMP/err" "nope.html"
printf '{"fields": [' > "$TMP/broken.json"
check "bad json" 2 "${F[@]}" "$TMP/broken.json"
expect_in "bad json message" "$TMP/err" "not a ScanFormRequest in JSON"
printf '{"fields": [], "colour": 1}' > "$TMP/unknown.json"
check "unknown json field" 2 "${F[@]}" "$TMP/unknown.json"
printf '{"fields": []}' > "$TMP/empty.json"
check "empty json form" 2 "${F[@]}" "$TMP/empty.json"
expect_in "empty form message" "$TMP/err" "the form has no fields"
printf '<html><body><p>Nur Text</p><input type="hidden" name="x"><button>OK</button></body></html>' \
  > "$TMP/nofields.html"
check "html without fields" 2 "${F[@]}" "$TMP/nofields.html"
expect_in "no fields message" "$TMP/err" "no form fields found"
python3 -c "
print('<label for=l>Land</label><select id=l name=l>' + ''.join('<option>Land %d</option>' % i for i in range(10001)) + '</select>')" \
  > "$TMP/options.html"
check "huge option list" 2 "${F[@]}" "$TMP/options.html"
expect_in "huge option list message" "$TMP/err" "has 10001 options; the limit is 10000"
python3 -c "
print(''.join('<label>Feld %d <input name=f%d></label>' % (i, i) for i in range(1001)))" > "$TMP/fields.html"
check "too many fields" 2 "${F[@]}" "$TMP/fields.html"
expect_in "too many fields message" "$TMP/err" "1001 fields; the limit is 1000"
python3 -c "print('<div>' * 100000 + '<input name=alter>')" > "$TMP/deep.html"
check "deep nesting" 2 "${F[@]}" "$TMP/deep.html"
expect_in "deep nesting message" "$TMP/err" "the limit is 4096"
printf '<form><label>Alter <input name=alter><p>kaputt <b>html <select name=x><option>a' \
  > "$TMP/malformed.html"
check "malformed html is read" 0 "${F[@]}" --fail-on=critical "$TMP/malformed.html"
expect_in "malformed html finding" "$TMP/out" "#alter: warning:"

# Findings per field, readiness, exit codes.
check "bad form" 1 "${F[@]}" "$BAD"
expect_in "field finding" "$TMP/out" "#geb_datum: critical:"
expect_in "rule id" "$TMP/out" "[de.form.date_of_birth]"
expect_in "advice" "$TMP/out" "Rat: Feld streichen."
expect_in "readiness line" "$TMP/out" "Bereitschaft für anonymisierte Bewerbung 0/100"
expect_in "readiness change" "$TMP/out" "+20 Foto-Feld streichen"
check "good form" 0 "${F[@]}" --fail-on=warning "$GOOD"
expect_in "good form score" "$TMP/out" "Punktzahl 100/100"
expect_not_in "good form no warning" "$TMP/out" ": warning:"
check "hints pass by default" 0 "${F[@]}" "$HINTS"
check "hints fail with --fail-on=hint" 1 "${F[@]}" --fail-on=hint "$HINTS"
check "church employer from json" 0 "${F[@]}" "$CHURCH"
expect_in "church note" "$TMP/out" "§ 9 AGG"
check "employer flag overrides" 1 "${F[@]}" --employer=private "$CHURCH"
expect_in "secular religion critical" "$TMP/out" "#konfession: critical:"
check "stdin html" 1 "${F[@]}" - < "$BAD"
expect_in "stdin name" "$TMP/out" "<stdin>#geb_datum"
check "lang flag" 1 "${F[@]}" --lang=en "$BAD"
expect_in "english texts" "$TMP/out" "[en.form.date_of_birth]"

# JSON output is one line of proto3 JSON.
check "json output" 1 "${F[@]}" --format=json "$BAD"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["readiness"]["score"] == 0; assert any(f["fieldId"] == "geb_datum" for f in d["report"]["findings"])' "$TMP/out"; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: json output"; head -c 400 "$TMP/out"; fi
[ "$(wc -l < "$TMP/out")" -eq 1 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: json is not one line"; }

# Through a server: the same bytes and exit status, of a real audit (exit 0
# or 1 with output: two equal errors, e.g. for a missing file, prove nothing).
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
start_divcheckd "$TMP/server.log" --lexicons="$LEX"
R=("$DIVCHECK" form --server="127.0.0.1:$PORT" --color=never)
for form in "$BAD" "$GOOD" "$HINTS" "$CHURCH" "$FORMS/en-10-agency-bad.html"; do
  for fmt in text json; do
    "${F[@]}" --format=$fmt "$form" >"$TMP/local" 2>&1; local_rc=$?
    "${R[@]}" --format=$fmt "$form" >"$TMP/remote" 2>&1; remote_rc=$?
    if [ "$local_rc" -gt 1 ] || [ ! -s "$TMP/local" ]; then
      failed=$((failed + 1)); echo "FAIL: $form ($fmt) was not audited in-process: exit $local_rc"
      head -5 "$TMP/local"
    elif [ "$local_rc" -eq "$remote_rc" ] && cmp -s "$TMP/local" "$TMP/remote"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); echo "FAIL: --server differs for $form ($fmt): $local_rc vs $remote_rc"
      diff "$TMP/local" "$TMP/remote" | head -10
    fi
  done
done
check "remote empty form" 2 "${R[@]}" "$TMP/empty.json"
expect_in "remote empty form message" "$TMP/err" "the form has no fields"
check "remote huge option list" 2 "${R[@]}" "$TMP/options.html"
expect_in "remote option message" "$TMP/err" "the limit is 10000"
check "remote unreachable" 2 "$DIVCHECK" form --server=127.0.0.1:1 "$BAD"
expect_in "remote unreachable message" "$TMP/err" "server 127.0.0.1:1"

echo "form_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
