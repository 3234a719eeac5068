# Sourced by the shell tests that run against a real server.
#
# A script that has no TMP yet also gets, by sourcing it: TMP (a scratch
# directory), SERVER_PID (none yet), failed=0 and fail MESSAGE (prints
# "FAIL: MESSAGE" and counts it); at exit the server, if one runs, is killed
# and TMP removed. Scripts with their own TMP keep their own set-up.
if [ -z "${TMP:-}" ]; then
  TMP="$(mktemp -d)"
  SERVER_PID=""
  failed=0
  fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
  _divcheck_test_cleanup() {
    [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP"
  }
  trap _divcheck_test_cleanup EXIT
fi
#
# start_divcheckd LOG [ARG…]: starts "$DIVCHECKD" --listen=127.0.0.1:0 ARG…
# in the background with its output in LOG, waits for its "listening on" log
# line and sets SERVER_PID and PORT. If the server exits or does not come up
# within 60 s, prints LOG and exits the test with status 1.
start_divcheckd() {
  local log="$1"
  shift
  "$DIVCHECKD" --listen=127.0.0.1:0 "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT="$(sed -n 's/.*"msg":"listening on [^"]*".*"port":\([0-9]*\).*/\1/p' "$log" | head -1)"
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "divcheckd did not start:"
  cat "$log"
  exit 1
}
