#!/usr/bin/env bash
# The per-request options of `divcheck scan` (--disable, --only,
# --min-severity, --employer, --report-lang): each has its effect, and
# in-process and through a real divcheckd (--server) print the same stdout
# and stderr with the same exit status — the api/ layer validates both.
# Usage: cli_options_test.sh DIVCHECK DIVCHECKD LEXICONS
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
start_divcheckd "$TMP/server.log" --lexicons="$LEX"
SERVER="127.0.0.1:$PORT"

# A secular employer asking for church membership, with a young team, a
# masculine title and a coded word (hint).
printf 'Verkäufer gesucht\nWir sind ein junges, dynamisches Team und suchen eine durchsetzungsstarke Persönlichkeit.\nMitgliedschaft in einer christlichen Kirche setzen wir voraus.\n' >"$TMP/ad.txt"

# run NAME WANT_STATUS ARGS… — in-process vs remote; leaves the in-process
# output in $TMP/local.out and .err.
run() {
  local name="$1" want="$2"; shift 2
  "$DIVCHECK" scan --color=never --lexicons="$LEX" "$@" >"$TMP/local.out" 2>"$TMP/local.err"
  local local_status=$?
  "$DIVCHECK" scan --color=never --server="$SERVER" "$@" >"$TMP/remote.out" 2>"$TMP/remote.err"
  local remote_status=$?
  cmp -s "$TMP/local.out" "$TMP/remote.out" || { fail "$name: stdout differs"; diff "$TMP/local.out" "$TMP/remote.out" | head -10; }
  cmp -s "$TMP/local.err" "$TMP/remote.err" || { fail "$name: stderr differs"; diff "$TMP/local.err" "$TMP/remote.err" | head -10; }
  [ "$local_status" -eq "$remote_status" ] || fail "$name: exit $remote_status through the server, in-process $local_status"
  [ "$local_status" -eq "$want" ] || fail "$name: exit $local_status, want $want: $(head -3 "$TMP/local.err")"
}
has() { grep -q -- "$2" "$TMP/local.out" || fail "$1: output lacks $2: $(head -c 600 "$TMP/local.out")"; }
lacks() { ! grep -q -- "$2" "$TMP/local.out" || fail "$1: output has $2"; }

run "no options" 1 --format=json "$TMP/ad.txt"
has "no options" '"ruleId":"de.age.junges_team"'
has "no options" '"ruleId":"de.religion.kirchenmitgliedschaft","dimensions":\["DIMENSION_RELIGION"\],"severity":"SEVERITY_CRITICAL"'
has "no options" '"hintCount":[1-9]'
score_all="$(grep -o '^{"score":[0-9]*' "$TMP/local.out" | cut -d: -f2)"

run "--disable" 1 --format=json --disable=de.age.junges_team,de.religion.kirchenmitgliedschaft "$TMP/ad.txt"
lacks "--disable" '"ruleId":"de.age.junges_team"'
lacks "--disable" 'kirchenmitgliedschaft'
score_disabled="$(grep -o '^{"score":[0-9]*' "$TMP/local.out" | cut -d: -f2)"
[ "$score_disabled" -gt "$score_all" ] || fail "--disable: score $score_disabled not above $score_all"

run "--only" 1 --format=json --only=de.religion.kirchenmitgliedschaft "$TMP/ad.txt"
[ "$(grep -o '"ruleId":"[^"]*"' "$TMP/local.out" | grep -v 'highlight' | sort -u)" = '"ruleId":"de.religion.kirchenmitgliedschaft"' ] \
  || fail "--only: other rules reported: $(grep -o '"ruleId":"[^"]*"' "$TMP/local.out" | sort -u | tr '\n' ' ')"
has "--only" '"criticalCount":1'

run "--min-severity" 1 --format=json --min-severity=warning "$TMP/ad.txt"
lacks "--min-severity" 'SEVERITY_HINT'
has "--min-severity" '"hintCount":0,'

# religious: the church-membership requirement becomes a hint with the
# § 9 AGG note (issue 14); the masculine title and the young team still
# make the exit status 1, but the religion finding is lower.
run "--employer=religious" 1 --format=json --employer=religious "$TMP/ad.txt"
has "--employer=religious" '"ruleId":"de.religion.kirchenmitgliedschaft","dimensions":\["DIMENSION_RELIGION"\],"severity":"SEVERITY_HINT"'
has "--employer=religious" '§ 9 AGG'
run "--employer=religious, only the religion rule" 0 --employer=religious --only=de.religion.kirchenmitgliedschaft "$TMP/ad.txt"
has "--employer=religious text" 'Kirchlicher Arbeitgeber'
run "--employer=private" 1 --format=json --employer=private "$TMP/ad.txt"
has "--employer=private" '"severity":"SEVERITY_CRITICAL"'

run "--report-lang=de" 1 --report-lang=de "$TMP/ad.txt"
run "text output with every option" 1 --disable=de.age.junges_team --min-severity=warning --employer=religious --report-lang=de "$TMP/ad.txt"
# The religion finding is a hint for a church employer: below the minimum.
lacks "text output" 'de.religion.kirchenmitgliedschaft'
lacks "text output" 'de.age.junges_team'
run "text output, the hint shown" 1 --disable=de.age.junges_team --min-severity=hint --employer=religious --report-lang=de "$TMP/ad.txt"
has "text output, the hint shown" 'de.religion.kirchenmitgliedschaft'

# Errors: the api's words, in-process as through the server.
run "unknown rule" 2 --disable=de.age.junges_team,de.age.no_such_rule "$TMP/ad.txt"
grep -q 'disabled_rules\[1\] "de.age.no_such_rule" is not a rule of this server' "$TMP/local.err" \
  || fail "unknown rule: $(cat "$TMP/local.err")"
run "English report of a German ad" 2 --report-lang=en "$TMP/ad.txt"
grep -q 'report_language "en" is not available for a text in "de"' "$TMP/local.err" \
  || fail "report language: $(cat "$TMP/local.err")"
run "report language fr" 2 --lang=de --report-lang=fr "$TMP/ad.txt"
grep -q 'report_language "fr" is not supported' "$TMP/local.err" || fail "fr: $(cat "$TMP/local.err")"
run "bad --min-severity" 2 --min-severity=loud "$TMP/ad.txt"
grep -q -- '--min-severity must be hint, warning or critical' "$TMP/local.err" || fail "bad --min-severity: $(head -2 "$TMP/local.err")"
run "--gender-form=star" 1 --format=json --gender-form=star "$TMP/ad.txt"
has "--gender-form=star" '"replacements":\["Verkäufer\*in"'
run "--gender-form=neutral" 1 --format=json --gender-form=neutral "$TMP/ad.txt"
has "--gender-form=neutral" '"replacements":\["Verkaufskraft"'
run "bad --gender-form" 2 --gender-form=sternchen "$TMP/ad.txt"
grep -q -- '--gender-form must be pair, star, colon, neutral or marker' "$TMP/local.err" || fail "bad --gender-form: $(head -2 "$TMP/local.err")"
run "bad --employer" 2 --employer=church "$TMP/ad.txt"
grep -q -- '--employer must be private, public, religious or tendency' "$TMP/local.err" || fail "bad --employer: $(head -2 "$TMP/local.err")"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
if [ $failed -ne 0 ]; then
  echo "$failed check(s) failed"; exit 1
fi
echo "cli_options_test: all checks passed"
