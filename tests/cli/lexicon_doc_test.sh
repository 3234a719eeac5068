#!/usr/bin/env bash
# The worked example of docs/LEXICONS.md ("Add a word in three steps") works
# as written: the entry in the document's first ``` block is added to a copy
# of the shipped German age lexicon; `lexicon validate --strict` passes (so
# its examples behave and it shadows nothing), `divcheck explain` shows it
# with both examples ok, and the scan command of the document finds it.
# Also: the shipped lexicons give no warning under --strict, and `explain`
# handles an unknown rule and a bad flag.
# Usage: lexicon_doc_test.sh PATH_TO_DIVCHECK SHIPPED_LEXICONS LEXICONS_MD
set -uo pipefail
DIVCHECK="$1"
LEX="$2"
DOC="$3"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
source "$(dirname "$0")/check_lib.sh"

check "shipped lexicons strict" 0 "$DIVCHECK" lexicon validate --strict "$LEX"
expect_in "shipped lexicons OK" "$TMP/out" "lexicons OK"

cp -r "$LEX" "$TMP/lex"
# The first fenced block after "## Add a word in three steps".
awk '/^## Add a word in three steps/{s=1} s&&/^ *```/{n++; next} s&&n==1{print}' \
  "$DOC" | sed 's/^   //' > "$TMP/entry.textproto"
expect_in "doc entry extracted" "$TMP/entry.textproto" 'id: "de.age.frisches_blut"'
cat "$TMP/entry.textproto" >> "$TMP/lex/de/age.textproto"
check "doc example validates" 0 "$DIVCHECK" lexicon validate --strict "$TMP/lex"
check "doc example explained" 0 "$DIVCHECK" explain --lexicons="$TMP/lex" de.age.frisches_blut
expect_in "explain why" "$TMP/out" "Why: „Frisches Blut“"
expect_in "explain example ok" "$TMP/out" 'ok   flags  "Sie bringen frisches Blut in unser Team.": flagged, warning'
expect_in "explain counter ok" "$TMP/out" 'ok   spares "Sie bringen frische Ideen in unser Team.": not flagged, as meant'
expect_in "explain source" "$TMP/out" "BAG, Urteil vom 11.08.2016, 8 AZR 406/14"
echo "Sie bringen frisches Blut in unser Team." > "$TMP/ad.txt"
check "doc example scan" 1 "$DIVCHECK" scan --lexicons="$TMP/lex" --fail-on=warning "$TMP/ad.txt"
expect_in "doc example found" "$TMP/out" "de.age.frisches_blut"

# A rule whose example no longer fires: explain exits 1 and says so.
sed -i 's/examples: "Sie bringen frisches Blut in unser Team."/examples: "Sie bringen frischen Kaffee mit."/' \
  "$TMP/lex/de/age.textproto"
check "explain failing example" 1 "$DIVCHECK" explain --lexicons="$TMP/lex" de.age.frisches_blut
expect_in "explain FAIL" "$TMP/out" 'FAIL flags  "Sie bringen frischen Kaffee mit.": NOT flagged, but should be'
check "validate --strict failing example" 1 "$DIVCHECK" lexicon validate --strict "$TMP/lex"

check "explain json" 0 "$DIVCHECK" explain --format=json de.age.junges_team --lexicons="$LEX"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["rule"]["ruleId"]=="de.age.junges_team", d; assert all(e["ok"] for e in d["examples"]) and len(d["examples"])>=2, d' "$TMP/out" \
  && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: explain json shape"; }
check "explain unknown rule" 2 "$DIVCHECK" explain --lexicons="$LEX" de.age.junges
expect_in "unknown rule named" "$TMP/err" 'no rule "de.age.junges"'
expect_in "similar ids offered" "$TMP/err" "did you mean"
check "explain no id" 2 "$DIVCHECK" explain
check "explain bad format" 2 "$DIVCHECK" explain --format=xml de.age.junges_team
check "explain help" 0 "$DIVCHECK" explain --help

# scan --trace: why each candidate was reported, lowered or dropped.
printf 'Ein Bewerbungsfoto ist nicht erforderlich. Wir suchen Verstärkung für unser junges Team.\nUnsere Kundschaft sind junge Familien.\n' > "$TMP/trace.txt"
check "scan --trace" 1 "$DIVCHECK" scan --lexicons="$LEX" --lang=de --trace "$TMP/trace.txt"
expect_in "trace header" "$TMP/out" "trace: "
expect_in "trace reported" "$TMP/out" '[de.age.junges_team] "junges Team"'
expect_in "trace reported severity" "$TMP/out" "rule gives critical; reported as critical"
expect_in "trace negation" "$TMP/out" '[de.application.foto] "Bewerbungsfoto"'
expect_in "trace negation why" "$TMP/out" "dropped: negated"
expect_in "trace context rule" "$TMP/out" "context rule 1 of de.age.jung"
check "scan --trace without it" 1 "$DIVCHECK" scan --lexicons="$LEX" --lang=de "$TMP/trace.txt"
if grep -q "trace:" "$TMP/out"; then failed=$((failed + 1)); echo "FAIL: trace printed without --trace"; else passed=$((passed + 1)); fi
check "scan --trace json refused" 2 "$DIVCHECK" scan --trace --format=json "$TMP/trace.txt"
expect_in "trace json reason" "$TMP/err" "--trace prints text"
check "scan --trace server refused" 2 "$DIVCHECK" scan --trace --server=127.0.0.1:1 "$TMP/trace.txt"
expect_in "trace server reason" "$TMP/err" "in-process only"

echo "lexicon_doc_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
