#!/usr/bin/env bash
# /v2/check against LanguageTool tooling nobody here wrote: the npm package
# annotatedtext-rehype builds LanguageTool's annotated text from an HTML ad,
# the npm LanguageTool client language-grammar-api checks the plain text, and
# tests/service/lt_client/check.mjs checks the answers with JavaScript's
# UTF-16 string indexing. Skipped (exit 77) when node or the npm packages are
# missing (scripts/install_deps.sh installs them with `npm ci`).
# Usage: lt_client_test.sh DIVCHECKD FIXTURE_LEXICONS
set -uo pipefail
DIVCHECKD="$1"
LEX="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v node >/dev/null 2>&1 ||
   [ ! -d "$HERE/lt_client/node_modules/annotatedtext-rehype" ] ||
   [ ! -d "$HERE/lt_client/node_modules/language-grammar-api" ]; then
  echo "SKIP: node or tests/service/lt_client/node_modules missing"
  exit 77
fi
source "$HERE/../start_divcheckd.sh"
start_divcheckd "$TMP/server.log" --lexicons="$LEX" --http_listen=127.0.0.1:0
HTTP_PORT="$(sed -n 's/.*"msg":"listening on [^"]*".*"http_port":\([0-9]*\).*/\1/p' "$TMP/server.log" | head -1)"
if [ -z "$HTTP_PORT" ] || [ "$HTTP_PORT" = 0 ]; then
  echo "FAIL: no http_port in the log"
  cat "$TMP/server.log"
  exit 1
fi
node "$HERE/lt_client/check.mjs" "$HTTP_PORT"
status=$?
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
server_status=$?
SERVER_PID=""
[ $status -eq 0 ] || { echo "FAIL: check.mjs exit status $status"; exit 1; }
[ $server_status -eq 0 ] || { echo "FAIL: divcheckd exit status $server_status"; exit 1; }
echo "PASS"
