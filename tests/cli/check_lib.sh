# Shared helpers of the CLI test scripts. The sourcing script sets TMP (a
# scratch directory) and the counters `passed` and `failed`.

check() {  # check NAME EXPECTED_STATUS COMMAND...
  local name="$1" want="$2"; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name: exit $got, want $want"
    sed 's/^/  stdout: /' "$TMP/out" | head -20
    sed 's/^/  stderr: /' "$TMP/err" | head -20
  fi
}
expect_in() {  # expect_in NAME FILE TEXT — TEXT must not be empty (it is in every file)
  if [ -z "$3" ]; then
    failed=$((failed + 1)); echo "FAIL: $1: empty text to look for in $2"
  elif grep -qF -- "$3" "$2"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: \"$3\" not in $2:"; sed 's/^/  /' "$2" | head -20
  fi
}
