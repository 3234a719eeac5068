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
expect_in "doc entry extracted" "$TMP/entry.textproto" 'id: "de.age.jugendliche_ausstrahlung"'
cat "$TMP/entry.textproto" >> "$TMP/lex/de/age.textproto"
check "doc example validates" 0 "$DIVCHECK" lexicon validate --strict "$TMP/lex"
check "doc example explained" 0 "$DIVCHECK" explain --lexicons="$TMP/lex" de.age.jugendliche_ausstrahlung
expect_in "explain why" "$TMP/out" "Why: „Jugendliche Ausstrahlung“"
expect_in "explain example ok" "$TMP/out" 'ok   flags  "Sie haben eine jugendliche Ausstrahlung.": flagged, warning'
expect_in "explain counter ok" "$TMP/out" 'ok   spares "Sie haben eine gewinnende Ausstrahlung.": not flagged, as meant'
expect_in "explain source" "$TMP/out" "BAG, Urteil vom 11.08.2016, 8 AZR 406/14"
echo "Sie haben eine jugendliche Ausstrahlung." > "$TMP/ad.txt"
check "doc example scan" 1 "$DIVCHECK" scan --lexicons="$TMP/lex" --fail-on=warning "$TMP/ad.txt"
expect_in "doc example found" "$TMP/out" "de.age.jugendliche_ausstrahlung"

# A rule whose example no longer fires: explain exits 1 and says so.
sed -i 's/examples: "Sie haben eine jugendliche Ausstrahlung."/examples: "Sie haben eine ruhige Ausstrahlung."/' \
  "$TMP/lex/de/age.textproto"
check "explain failing example" 1 "$DIVCHECK" explain --lexicons="$TMP/lex" de.age.jugendliche_ausstrahlung
expect_in "explain FAIL" "$TMP/out" 'FAIL flags  "Sie haben eine ruhige Ausstrahlung.": NOT flagged, but should be'
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

echo "lexicon_doc_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
