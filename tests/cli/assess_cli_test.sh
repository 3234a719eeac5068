#!/usr/bin/env bash
# End-to-end tests of `divcheck assess` in-process, and through a real
# divcheckd with a --data_dir when DIVCHECKD is given: exit codes, every bad
# id named, JSON shapes, help for every subcommand.
# Usage: assess_cli_test.sh DIVCHECK QUESTIONNAIRES [DIVCHECKD LEXICONS]
set -uo pipefail
DIVCHECK="$1"
QDIR="$2"
DIVCHECKD="${3:-}"
LEX="${4:-}"
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
expect_py() {  # expect_py NAME PYTHON_EXPR_ON_d  (d = JSON of $TMP/out)
  if python3 -c "import json,sys; d=json.load(open('$TMP/out')); sys.exit(0 if ($2) else 1)"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL: $1: ($2) is false for:"; head -c 600 "$TMP/out"; echo
  fi
}

A=("$DIVCHECK" assess)
L=(--questionnaires="$QDIR")

# Help for every subcommand.
check "assess --help" 0 "${A[@]}" --help
expect_in "assess help" "$TMP/out" "divcheck assess submit --answers=FILE"
expect_in "interactive help" "$TMP/out" "--resume=FILE"
check "help assess" 0 "$DIVCHECK" help assess
for sub in questionnaire submit list show compare; do
  check "$sub --help" 0 "${A[@]}" "$sub" --help
  expect_in "$sub help" "$TMP/out" "divcheck assess $sub"
done
check "main help names assess" 0 "$DIVCHECK" --help
expect_in "main help" "$TMP/out" "divcheck assess"

# Usage errors.
check "unknown subcommand" 2 "${A[@]}" frobnicate
expect_in "unknown subcommand message" "$TMP/err" "unknown subcommand \"frobnicate\""
check "unknown option" 2 "${A[@]}" submit --answers=x --nope
check "bad format" 2 "${A[@]}" questionnaire --format=xml "${L[@]}"
check "bad lang" 2 "${A[@]}" questionnaire --lang=fr "${L[@]}"
check "submit without --answers" 2 "${A[@]}" submit "${L[@]}"
check "list without --server" 2 "${A[@]}" list --organization=acme
check "compare with one argument" 2 "${A[@]}" compare only-one "${L[@]}"
check "missing questionnaire dir" 2 "${A[@]}" questionnaire --questionnaires="$TMP/none"
expect_in "missing questionnaire dir message" "$TMP/err" "does not exist"

# The questionnaire as JSON: exactly the documented shape.
check "questionnaire json" 0 "${A[@]}" questionnaire --format=json "${L[@]}"
expect_py "questionnaire keys" "sorted(d) == ['id', 'sections', 'version'] and d['id'] == 'diversity-check' and d['version'] == 1"
expect_py "sections" "len(d['sections']) >= 6 and all(sorted(s) == ['id', 'questions', 'title'] for s in d['sections'])"
expect_py "questions" "sum(len(s['questions']) for s in d['sections']) >= 35 and all(sorted(q) == ['id', 'options', 'text'] for s in d['sections'] for q in s['questions'])"
expect_py "options" "all(sorted(o) == ['id', 'label', 'value'] for s in d['sections'] for q in s['questions'] for o in q['options'])"
cp "$TMP/out" "$TMP/questionnaire.json"
check "questionnaire text en" 0 "${A[@]}" questionnaire --lang=en "${L[@]}"
expect_in "english text" "$TMP/out" "Recruiting and selection"
expect_in "help text shown" "$TMP/out" "§ 13 AGG"

# Answers files made from the questionnaire: everything "partly", then
# everything "fully"; one with every kind of mistake.
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
q = json.load(open(f"{tmp}/questionnaire.json"))
def answers(option):
    return [{"questionId": x["id"], "optionId": option} for s in q["sections"] for x in s["questions"]]
json.dump({"questionnaireId": "diversity-check", "answers": answers("partly")}, open(f"{tmp}/partly.json", "w"))
json.dump({"questionnaireId": "diversity-check", "language": "en", "answers": answers("fully")}, open(f"{tmp}/fully.json", "w"))
bad = answers("partly")
bad[0]["optionId"] = "sometimes"
bad[3]["questionId"] = "no.such.question"
del bad[1]
bad.append({"questionId": bad[5]["questionId"], "optionId": "fully"})
json.dump({"questionnaireId": "diversity-check", "answers": bad}, open(f"{tmp}/bad.json", "w"))
json.dump({"questionnaireId": "diversity-check", "questionnaireVersion": 9, "answers": []}, open(f"{tmp}/version.json", "w"))
open(f"{tmp}/typo.json", "w").write('{"questionaireId": "diversity-check", "answers": []}')
open(f"{tmp}/broken.json", "w").write('{"answers": [')
PY

check "submit partly" 0 "${A[@]}" submit --answers="$TMP/partly.json" "${L[@]}"
# A German questionnaire gives a German report.
expect_in "overall score" "$TMP/out" "Gesamtwert: 50/100"
expect_in "traffic light" "$TMP/out" "mittel (gelb)"
expect_in "recommendations" "$TMP/out" "Empfehlungen (größte Wirkung zuerst)"
expect_in "scan recommendation" "$TMP/out" "divcheck scan"
check "submit text en" 0 "${A[@]}" submit --answers="$TMP/fully.json" "${L[@]}"
expect_in "overall score en" "$TMP/out" "overallScore: 100/100"
expect_in "traffic light en" "$TMP/out" "low (green)"
expect_in "no recommendations en" "$TMP/out" "recommendations: none"
check "submit json" 0 "${A[@]}" submit --answers="$TMP/fully.json" --format=json "${L[@]}"
expect_py "json report" "d['overallScore'] == 100 and len(d['sections']) >= 6 and d['recommendations'] == [] and d['language'] == 'en' and d['questionnaireVersion'] == 1"
check "submit from stdin" 0 "${A[@]}" submit --answers=- "${L[@]}" < "$TMP/partly.json"

check "submit invalid" 2 "${A[@]}" submit --answers="$TMP/bad.json" "${L[@]}"
expect_in "bad option named" "$TMP/err" "\"sometimes\""
expect_in "bad question named" "$TMP/err" "\"no.such.question\""
expect_in "duplicate named" "$TMP/err" "is already answered"
expect_in "missing required named" "$TMP/err" "required question \"strategy.goals\" has no answer"
check "submit unknown version" 2 "${A[@]}" submit --answers="$TMP/version.json" "${L[@]}"
expect_in "version named" "$TMP/err" "questionnaire_version"
check "submit typo field" 2 "${A[@]}" submit --answers="$TMP/typo.json" "${L[@]}"
expect_in "typo named" "$TMP/err" "questionaireId"
check "submit broken json" 2 "${A[@]}" submit --answers="$TMP/broken.json" "${L[@]}"
check "submit missing file" 2 "${A[@]}" submit --answers="$TMP/nope.json" "${L[@]}"

# Progress files that do not fit the questionnaire are refused, not ignored.
printf '{"questionnaireId": "diversity-check", "questionnaireVersion": 9}' > "$TMP/progress-v9.json"
check "resume other version" 2 "${A[@]}" --resume="$TMP/progress-v9.json" "${L[@]}" </dev/null
expect_in "resume version named" "$TMP/err" "has no version 9"
printf '{"answers": [{"questionId": "gone.question", "optionId": "fully"}]}' > "$TMP/progress-old.json"
check "resume unknown question" 2 "${A[@]}" --resume="$TMP/progress-old.json" "${L[@]}" </dev/null
expect_in "resume question named" "$TMP/err" "\"gone.question\""
check "interactive without input" 1 "${A[@]}" "${L[@]}" </dev/null

check "compare files" 0 "${A[@]}" compare "$TMP/partly.json" "$TMP/fully.json" "${L[@]}"
expect_in "compare overall" "$TMP/out" "overall: 50 -> 100 (+50, improved)"
expect_in "compare questions" "$TMP/out" "improved: [strategy.commitment] partly -> fully"
check "compare json" 0 "${A[@]}" compare "$TMP/fully.json" "$TMP/partly.json" --format=json "${L[@]}"
expect_py "compare json" "d['overallDelta'] == -50 and d['overallTrend'] == 'TREND_WORSE' and d['worseSections'] == len(d['sections'])"

if [ -n "$DIVCHECKD" ]; then
  mkdir -p "$TMP/data"
  source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
  start_divcheckd "$TMP/server.log" --lexicons="$LEX" --questionnaires="$QDIR" \
    --data_dir="$TMP/data"
  R=(--server="127.0.0.1:$PORT")

  check "remote questionnaire json" 0 "${A[@]}" questionnaire --format=json "${R[@]}"
  if cmp -s "$TMP/out" "$TMP/questionnaire.json"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: remote questionnaire differs from the in-process one"; fi
  check "remote submit unstored" 0 "${A[@]}" submit --answers="$TMP/partly.json" "${R[@]}"
  expect_in "remote score" "$TMP/out" "Gesamtwert: 50/100"
  check "remote submit stored 1" 0 "${A[@]}" submit --answers="$TMP/partly.json" --organization="Bäckerei Ö" --format=json "${R[@]}"
  ID1="$(python3 -c "import json; print(json.load(open('$TMP/out'))['id'])")"
  check "remote submit stored 2" 0 "${A[@]}" submit --answers="$TMP/fully.json" --organization="Bäckerei Ö" --format=json "${R[@]}"
  ID2="$(python3 -c "import json; print(json.load(open('$TMP/out'))['id'])")"
  check "remote submit invalid" 2 "${A[@]}" submit --answers="$TMP/bad.json" --organization=acme "${R[@]}"
  expect_in "remote bad option named" "$TMP/err" "\"sometimes\""
  expect_in "remote bad question named" "$TMP/err" "\"no.such.question\""
  expect_in "remote missing required named" "$TMP/err" "required question \"strategy.goals\" has no answer"
  check "remote list" 0 "${A[@]}" list --organization="Bäckerei Ö" "${R[@]}"
  expect_in "list has 1" "$TMP/out" "$ID1"
  expect_in "list has 2" "$TMP/out" "$ID2"
  check "remote list json" 0 "${A[@]}" list --organization="Bäckerei Ö" --format=json "${R[@]}"
  expect_py "newest first" "[a['id'] for a in d['assessments']] == ['$ID2', '$ID1']"
  check "remote show" 0 "${A[@]}" show "$ID1" "${R[@]}"
  expect_in "show" "$TMP/out" "Selbstcheck $ID1 \"Bäckerei Ö\""
  check "remote compare" 0 "${A[@]}" compare "$ID1" "$ID2" "${R[@]}"
  expect_in "remote compare overall" "$TMP/out" "overall: 50 -> 100 (+50, improved)"
  check "remote show unknown" 2 "${A[@]}" show a0123456789abcdef01234567 "${R[@]}"
  expect_in "not found" "$TMP/err" "NOT_FOUND"
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
  check "server unreachable" 2 "${A[@]}" list --organization=x "${R[@]}"
  expect_in "unavailable" "$TMP/err" "UNAVAILABLE"
fi

echo "assess_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
