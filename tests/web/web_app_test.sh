#!/usr/bin/env bash
# The web app (clients/web/) in a real browser: starts the real divcheckd
# with the shipped lexicons and questionnaires and an HTTP port on loopback,
# and runs web_app_test.mjs (the ad check), pages_test.mjs (navigation,
# form check, self-assessment) and workshop_test.mjs (workshop, rules
# browser, print, opening files), which drive Debian's chromium (headless,
# through the npm package playwright-core; no browser is downloaded) and
# check the pages with axe-core. pages_test.mjs also gets a second server
# with a fresh --data_dir, where self-assessments are saved and compared.
# Skipped (exit 77) when node, chromium or the npm packages
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
QUESTIONNAIRES="$HERE/../../questionnaires"
http_port() {
  sed -n 's/.*"msg":"listening on [^"]*".*"http_port":\([0-9]*\).*/\1/p' "$1" | head -1
}
start_divcheckd "$TMP/data-server.log" --lexicons="$LEX" --questionnaires="$QUESTIONNAIRES" \
  --http_listen=127.0.0.1:0 --data_dir="$TMP/data"
DATA_PID="$SERVER_PID"
trap 'kill -KILL "$DATA_PID" 2>/dev/null; _divcheck_test_cleanup' EXIT
DATA_HTTP_PORT="$(http_port "$TMP/data-server.log")"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --questionnaires="$QUESTIONNAIRES" \
  --http_listen=127.0.0.1:0 --max_text_bytes=32768
HTTP_PORT="$(http_port "$TMP/server.log")"
for port in "$HTTP_PORT" "$DATA_HTTP_PORT"; do
  if [ -z "$port" ] || [ "$port" = 0 ]; then
    echo "FAIL: no http_port in the log"
    cat "$TMP/server.log" "$TMP/data-server.log"
    kill -KILL "$DATA_PID"
    exit 1
  fi
done
CHROMIUM="$CHROMIUM" node "$HERE/web_app_test.mjs" "$HTTP_PORT" "$OUT"
status=$?
CHROMIUM="$CHROMIUM" node "$HERE/pages_test.mjs" "$HTTP_PORT" "$DATA_HTTP_PORT" "$OUT" "$HERE/../forms"
pages_status=$?
CHROMIUM="$CHROMIUM" node "$HERE/workshop_test.mjs" "$HTTP_PORT" "$OUT"
workshop_status=$?
server_status=0
for pid in "$SERVER_PID" "$DATA_PID"; do
  kill -TERM "$pid"
  wait "$pid" || server_status=$?
done
SERVER_PID=""
if grep -q "Verkäufer\|junges Team\|Testfirma\|Example Ltd\|Geburtsdatum" \
     "$TMP/server.log" "$TMP/data-server.log"; then
  echo "FAIL: a server logged submitted text"
  exit 1
fi
[ $status -eq 0 ] || { echo "FAIL: web_app_test.mjs exit status $status"; exit 1; }
[ $pages_status -eq 0 ] || { echo "FAIL: pages_test.mjs exit status $pages_status"; exit 1; }
[ $workshop_status -eq 0 ] || { echo "FAIL: workshop_test.mjs exit status $workshop_status"; exit 1; }
[ $server_status -eq 0 ] || { echo "FAIL: divcheckd exit status $server_status"; exit 1; }
echo "PASS"
