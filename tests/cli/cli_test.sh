#!/usr/bin/env bash
# End-to-end tests of the divcheck command line: exit codes, error messages,
# text and JSON output. Usage: cli_test.sh PATH_TO_DIVCHECK FIXTURE_LEXICONS
set -uo pipefail
DIVCHECK="$1"
LEX="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

# check, expect_in
source "$(dirname "$0")/check_lib.sh"

printf 'Verkäufer gesucht\nWir sind ein junges Team.\n' > "$TMP/bad.txt"
printf 'Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n' > "$TMP/good.txt"
printf 'Team (m/w/d)\nBitte mit Foto.\n' > "$TMP/warn.txt"
# Neither UTF-8 nor Windows-1252 (0x81, 0x8D are no characters there);
# Windows-1252 text is read as such (formats/document.h).
printf 'gut\x81\x8d schlecht' > "$TMP/invalid.txt"
head -c 1048577 /dev/zero | tr '\0' 'a' > "$TMP/big.txt"

S=("$DIVCHECK" scan --lexicons="$LEX" --color=never)

check "help" 0 "$DIVCHECK" --help
expect_in "help text" "$TMP/out" "divcheck scan"
check "scan help" 0 "$DIVCHECK" scan --help
expect_in "scan help text" "$TMP/out" "--fail-on"
check "no args" 2 "$DIVCHECK"
check "unknown command" 2 "$DIVCHECK" frobnicate
check "unknown flag" 2 "${S[@]}" --frob "$TMP/good.txt"
expect_in "unknown flag message" "$TMP/err" "unknown option"
check "bad format" 2 "${S[@]}" --format=xml "$TMP/good.txt"
check "no input" 2 "${S[@]}"

check "clean ad" 0 "${S[@]}" "$TMP/good.txt"
expect_in "score line" "$TMP/out" "Punktzahl 100/100"
check "critical ad" 1 "${S[@]}" "$TMP/bad.txt"
expect_in "linter format" "$TMP/out" "bad.txt:1:1: critical:"
expect_in "rule id" "$TMP/out" "[de.gender.title_masculine_only]"
expect_in "suggestion" "$TMP/out" "Verkaufskraft"
check "warning below default threshold" 0 "${S[@]}" "$TMP/warn.txt"
check "warning with --fail-on=warning" 1 "${S[@]}" --fail-on=warning "$TMP/warn.txt"
check "stdin" 1 "${S[@]}" - < "$TMP/bad.txt"
expect_in "stdin name" "$TMP/out" "<stdin>:1:1"

check "missing file" 2 "${S[@]}" "$TMP/nope.txt" "$TMP/good.txt"
expect_in "missing file message" "$TMP/err" "nope.txt"
expect_in "other files still scanned" "$TMP/out" "good.txt"
check "invalid utf-8" 2 "${S[@]}" "$TMP/invalid.txt"
expect_in "invalid utf-8 offset" "$TMP/err" "text is not valid UTF-8 (byte offset 3)"
check "too large" 2 "${S[@]}" "$TMP/big.txt"
expect_in "too large message" "$TMP/err" "the limit is 1048576 bytes"

check "json two files" 1 "${S[@]}" --format=json "$TMP/good.txt" "$TMP/bad.txt"
if python3 - "$TMP/out" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 2, lines
good, bad = (json.loads(l) for l in lines)
assert good["score"] == 100 and good["findings"] == [], good
f = bad["findings"][0]
assert f["ruleId"] == "de.gender.title_masculine_only", f
assert f["severity"] == "SEVERITY_CRITICAL" and f["dimensions"] == ["DIMENSION_GENDER"], f
assert f["span"]["startByte"] == 0 and f["span"]["endByte"] == 10 and f["span"]["endChar"] == 9, f
assert bad["language"] == "de" and "codedWording" in bad and len(bad["dimensionScores"]) == 7
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: json content"; fi

# Texts that cannot be checked (issue 14): no score, a message, exit 3.
printf '  \n\t\n' > "$TMP/empty.txt"
printf '!!! ??? 123\n' > "$TMP/nowords.txt"
printf 'Nous recherchons un vendeur pour notre magasin. Vous avez le sens du contact et une expérience dans la vente.\n' > "$TMP/fr.txt"
check "empty text" 3 "${S[@]}" "$TMP/empty.txt"
expect_in "empty message" "$TMP/out" "not checked: the text is empty"
check "empty text in German" 3 "${S[@]}" --lang=de "$TMP/empty.txt"
expect_in "empty message de" "$TMP/out" "nicht geprüft: der Text ist leer"
check "no words" 3 "${S[@]}" "$TMP/nowords.txt"
expect_in "no words message" "$TMP/out" "contains no words"
check "french text" 3 "${S[@]}" "$TMP/fr.txt"
expect_in "french message" "$TMP/out" "looks like French"
check "french text forced German" 3 "${S[@]}" --lang=de "$TMP/fr.txt"
expect_in "mismatch warning" "$TMP/out" "nicht Deutsch, sondern Französisch"
expect_in "mismatch still scored" "$TMP/out" "Punktzahl"
check "french json" 3 "${S[@]}" --format=json "$TMP/fr.txt"
expect_in "coverage in json" "$TMP/out" '"coverage":"COVERAGE_UNSUPPORTED_LANGUAGE"'
check "findings win over not checked" 1 "${S[@]}" "$TMP/fr.txt" "$TMP/bad.txt"
check "clean and german still 0" 0 "${S[@]}" "$TMP/good.txt"
check "scan help exit 3" 0 "${S[@]}" --help
expect_in "help documents exit 3" "$TMP/out" "3 a text was not"

check "lexicon validate" 0 "$DIVCHECK" lexicon validate "$LEX"
expect_in "validate summary" "$TMP/out" "lexicons OK"
mkdir -p "$TMP/badlex/de"
printf 'id: "x"\nlanguage: "de"\nentries { id: "x.y" words: "" }\n' > "$TMP/badlex/de/x.textproto"
check "lexicon validate broken" 1 "$DIVCHECK" lexicon validate "$TMP/badlex"
expect_in "validate location" "$TMP/err" "de/x.textproto:3:"
check "lexicon validate missing dir" 2 "$DIVCHECK" lexicon validate "$TMP/none"
mkdir -p "$TMP/warnlex/de"
printf 'id: "w"\nlanguage: "de"\nentries { id: "w.und" dimensions: DIMENSION_AGE severity: SEVERITY_WARNING words: "und" explanation: "e" suggestions: "s" legal_basis: "AGG" sources: "src" }\n' > "$TMP/warnlex/de/w.textproto"
check "lexicon validate warning" 0 "$DIVCHECK" lexicon validate "$TMP/warnlex"
expect_in "validate warns" "$TMP/out" "warning: w: w.und: the word \"und\" is a function word"
check "lexicon validate --strict" 1 "$DIVCHECK" lexicon validate --strict "$TMP/warnlex"
mkdir -p "$TMP/goodlex/de"
printf 'id: "g"\nlanguage: "de"\nentries { id: "g.jung" dimensions: DIMENSION_AGE severity: SEVERITY_WARNING words: "jung" explanation: "e" suggestions: "s" legal_basis: "AGG" sources: "src" examples: "Wir sind jung." counter_examples: "Wir sind erfahren." }\n' > "$TMP/goodlex/de/g.textproto"
check "lexicon validate --strict clean" 0 "$DIVCHECK" lexicon validate --strict "$TMP/goodlex"
printf 'id: "g"\nlanguage: "de"\nentries { id: "g.jung" dimensions: DIMENSION_AGE severity: SEVERITY_WARNING words: "jung" explanation: "e" suggestions: "s" legal_basis: "AGG" sources: "src" examples: "Wir sind erfahren." counter_examples: "Wir sind erfahren." }\n' > "$TMP/warnlex/de/w.textproto"
check "lexicon validate failing example" 0 "$DIVCHECK" lexicon validate "$TMP/warnlex"
expect_in "failing example named" "$TMP/out" 'warning: g: g.jung: example "Wir sind erfahren." does not make its finding'
check "lexicon validate bad corpus" 2 "$DIVCHECK" lexicon validate --corpus="$TMP/none" "$LEX"
expect_in "bad corpus named" "$TMP/err" "--corpus:"
check "lexicon stats" 0 "$DIVCHECK" lexicon stats "$LEX"
expect_in "stats" "$TMP/out" "matchable concepts"
check "scan with broken lexicons" 2 "$DIVCHECK" scan --lexicons="$TMP/badlex" "$TMP/good.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
