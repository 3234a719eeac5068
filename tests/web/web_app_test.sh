#!/usr/bin/env bash
# The web app (clients/web/) in a real browser: starts the real divcheckd
# with the shipped lexicons and an HTTP port on loopback, and runs
# web_app_test.mjs (the ad check) and pages_test.mjs (workshop, rules
# browser, print, opening files), which drive Debian's chromium (headless, through the
# npm package playwright-core; no browser is downloaded) and checks the page
# with axe-core. Skipped (exit 77) when node, chromium or the npm packages
# are missing (scripts/install_deps.sh installs them).
# Usage: web_app_test.sh DIVCHECKD LEXICONS OUT_DIR
set -uo pipefail
DIVCHECKD="$1"
LEX="$2"
OUT="$3"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if ! command -v node >/dev/null 2>&1 || [ ! -x "$CHROMIUM" ] ||
   [ ! -d "$HERE/node_modules/playwright-core" ] ||
   [ ! -d "$HERE/node_modules/@axe-core/playwright" ]; then
  echo "SKIP: node, $CHROMIUM or tests/web/node_modules missing"
  exit 77
fi
mkdir -p "$OUT"
source "$HERE/../start_divcheckd.sh"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --http_listen=127.0.0.1:0 \
  --max_text_bytes=32768
HTTP_PORT="$(sed -n 's/.*"msg":"listening on [^"]*".*"http_port":\([0-9]*\).*/\1/p' "$TMP/server.log" | head -1)"
if [ -z "$HTTP_PORT" ] || [ "$HTTP_PORT" = 0 ]; then
  echo "FAIL: no http_port in the log"
  cat "$TMP/server.log"
  exit 1
fi
status=0
for t in web_app_test.mjs pages_test.mjs; do
  CHROMIUM="$CHROMIUM" node "$HERE/$t" "$HTTP_PORT" "$OUT" || { echo "FAIL: $t"; status=1; }
done
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
server_status=$?
SERVER_PID=""
if grep -q "Verkäufer\|junges Team" "$TMP/server.log"; then
  echo "FAIL: the server logged submitted text"
  exit 1
fi
[ $status -eq 0 ] || { echo "FAIL: a browser test failed"; exit 1; }
[ $server_status -eq 0 ] || { echo "FAIL: divcheckd exit status $server_status"; exit 1; }
echo "PASS"
