#!/usr/bin/env bash
# End-to-end tests of `divcheck audit`: inputs (directory, JSON lines,
# files, standard input), the per-ad results, the summary's figures on a
# known set, errors counted but not fatal, and Ctrl-C.
# Usage: audit_cli_test.sh DIVCHECK LEXICONS EXAMPLES_DIR
set -uo pipefail
DIVCHECK="$1"
LEX="$2"
EXAMPLES="$3"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
source "$(dirname "${BASH_SOURCE[0]}")/check_lib.sh"
A=("$DIVCHECK" audit --lexicons="$LEX")

# json FILE EXPR: prints the Python expression over the JSON in FILE (`s`).
json() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($2)" "$1"; }
expect_eq() {  # expect_eq NAME GOT WANT
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: got '$2', want '$3'"; fi
}

# A known set: the example ads (the problematic ones and their improved
# versions), one empty file, one invalid UTF-8 file, in a directory tree.
mkdir -p "$TMP/ads/more"
n_examples="$(ls "$EXAMPLES"/*.txt | wc -l)"
cp "$EXAMPLES"/*.txt "$TMP/ads/"
: > "$TMP/ads/more/empty.txt"
printf 'gut\x81\x8d schlecht' > "$TMP/ads/more/invalid.txt"
printf 'not an ad' > "$TMP/ads/ignored.md"
check "directory with a bad file" 2 "${A[@]}" --summary=json --output="$TMP/out.jsonl" "$TMP/ads"
cp "$TMP/out" "$TMP/summary.json"
expect_eq "ads" "$(json "$TMP/summary.json" 's["ads"]')" $((n_examples + 2))
expect_eq "checked" "$(json "$TMP/summary.json" 's["checked"]')" "$n_examples"
expect_eq "not checked" "$(json "$TMP/summary.json" 's["notChecked"]')" 1
expect_eq "errors" "$(json "$TMP/summary.json" 's["errors"]')" 1
expect_eq "shares add up" "$(json "$TMP/summary.json" 's["withCritical"]+s["withWarning"]+s["clean"]')" "$n_examples"
expect_eq "histogram adds up" "$(json "$TMP/summary.json" 'sum(s["scoreHistogram"])')" "$n_examples"
expect_eq "worst first" "$(json "$TMP/summary.json" 's["worst"][0]["score"] <= s["worst"][-1]["score"]')" True
expect_in "invalid file named" "$TMP/err" "more/invalid.txt: "
expect_eq "one result line per ad" "$(wc -l < "$TMP/out.jsonl")" $((n_examples + 2))
expect_in "results in input order, with zero scores" "$TMP/out.jsonl" '"id":"01-pflegefachkraft-gut.txt","score":100'
expect_in "empty ad not checked" "$TMP/out.jsonl" '"coverage":"EMPTY"'

# The same ads through the in-process `scan`: the same scores.
for f in "$EXAMPLES"/*.txt; do
  want="$("$DIVCHECK" scan --lexicons="$LEX" --format=json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("score", 0))')"
  got="$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
  r = json.loads(l)
  if r["id"] == sys.argv[2]: print(r["score"])' "$TMP/out.jsonl" "$(basename "$f")")"
  expect_eq "score of $(basename "$f")" "$got" "$want"
done

# JSON lines: ids, a bad line counted as an error, standard input, --lang.
python3 - > "$TMP/ads.jsonl" <<'PY'
import json
print(json.dumps({"id": "A1", "text": "Verkäufer gesucht. Wir sind ein junges Team.", "lang": "de"}))
print(json.dumps({"id": "A2", "text": "Verkaufskraft (m/w/d) gesucht. Wir freuen uns auf Sie."}))
print("{not json")
print(json.dumps({"text": "Salesman wanted for our young team.", "lang": "en"}))
print()
PY
check "json lines with a bad line" 2 "${A[@]}" --summary=json "$TMP/ads.jsonl"
expect_eq "jsonl ads" "$(json "$TMP/out" 's["ads"]')" 4
expect_eq "jsonl critical" "$(json "$TMP/out" 's["withCritical"]')" 2
expect_eq "jsonl clean" "$(json "$TMP/out" 's["clean"]')" 1
expect_in "bad line named by its line number" "$TMP/err" "ads.jsonl:3: line 3 is not an ad as JSON"
expect_in "line number as id" "$TMP/out" "ads.jsonl:4"

# Many lines, parsed on two threads: every line in input order, the bad and
# blank lines where they were.
python3 - > "$TMP/order.jsonl" <<'PY'
import json
for i in range(1, 1001):
    if i == 700: print("{broken")
    elif i % 97 == 0: print()
    elif i % 2: print(json.dumps({"id": "o%d" % i, "text": "Verkäufer gesucht."}))
    else: print(json.dumps({"text": "Verkaufskraft (m/w/d) gesucht."}))
PY
check "many json lines" 2 "${A[@]}" --jobs=2 --summary=json --output="$TMP/order.out.jsonl" "$TMP/order.jsonl"
expect_eq "every line read, in order" "$(python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
want = [("o%d" % i if i % 2 else "%s:%d" % (sys.argv[2], i))
        for i in range(1, 1001) if i % 97 != 0]
print(ids == want)' "$TMP/order.out.jsonl" "$TMP/order.jsonl")" True
expect_in "bad line among many" "$TMP/err" "order.jsonl:700: line 700 is not an ad as JSON"
head -2 "$TMP/ads.jsonl" > "$TMP/good.jsonl"
check "stdin" 0 "${A[@]}" - < "$TMP/good.jsonl"
expect_in "text summary" "$TMP/out" "2 ads: 2 checked"
expect_in "text shares" "$TMP/out" "with a critical finding:  1 (50.0 %)"

# Usage errors.
check "no input" 2 "${A[@]}"
check "bad --jobs" 2 "${A[@]}" --jobs=0 "$TMP/good.jsonl"
check "bad --summary" 2 "${A[@]}" --summary=xml "$TMP/good.jsonl"
check "unwritable output" 2 "${A[@]}" --output="$TMP/no/such/dir/x" "$TMP/good.jsonl"
check "help" 0 "$DIVCHECK" audit --help
expect_in "help" "$TMP/out" "JSON-lines"

# Ctrl-C: the ads done are summarised and written, exit 130.
python3 -c '
import json
t = open("'"$EXAMPLES"'/02-vertrieb-problematisch.txt").read()
for i in range(40000): print(json.dumps({"id": str(i), "text": t}))' > "$TMP/many.jsonl"
"${A[@]}" --jobs=1 --summary=json --output="$TMP/partial.jsonl" "$TMP/many.jsonl" > "$TMP/out" 2> "$TMP/err" &
pid=$!
# Interrupt as soon as the first results are written (results are written
# as the audit goes): a fixed sleep let a quiet machine finish all of them
# first (40,000 ads take about 3 s there).
for _ in $(seq 600); do
  [ -s "$TMP/partial.jsonl" ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
status=$?
expect_eq "Ctrl-C exit status" "$status" 130
expect_eq "Ctrl-C summary says so" "$(json "$TMP/out" 's.get("interrupted", False)')" True
done_ads="$(json "$TMP/out" 's["ads"]')"
expect_eq "Ctrl-C stopped early" "$(( done_ads < 40000 ))" 1
expect_eq "Ctrl-C results written" "$(wc -l < "$TMP/partial.jsonl")" "$done_ads"

echo "audit_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
