#!/usr/bin/env bash
# Installs the Debian 12 packages divcheck needs to build and test.
# Run as root (or with sudo available). Safe to run again.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libre2-dev libabsl-dev libicu-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev grpc-proto
  libssl-dev prometheus-cpp-dev openssl curl
  libgumbo-dev libjemalloc-dev libcli11-dev
  libzip-dev libxml2-dev libpoppler-cpp-dev
  libcsv-dev
  # The PostgreSQL assessment store (libpq) and, for its tests, a real
  # PostgreSQL 15 server that tests/pg/with_postgres.sh starts and stops.
  libpq-dev postgresql
  libcpp-httplib-dev nghttp2-client wrk
  clang-format
  clang-14 libclang-rt-14-dev libfuzzer-14-dev llvm-14
  python3-grpcio python3-protobuf python3-yaml util-linux
  python3
  # The web app's browser test (tests/web): Debian's Chromium, driven by
  # playwright-core; the emoji font so the test's emoji is drawn.
  chromium fonts-noto-color-emoji
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_deps.sh: run as root (apt-get needs it)" >&2; exit 2
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm for the LanguageTool client test, from Debian unless a node
# with its own npm is already there (NodeSource's package ships both).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps.sh: all packages present"
else
  echo "install_deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm packages of the web app's browser test (tests/web: playwright-core
# and @axe-core/playwright, pinned by its package-lock.json; no browser is
# downloaded). Without them web_app_test is skipped.
web_test="$(dirname "$0")/../tests/web"
if command -v npm >/dev/null 2>&1 &&
   { [ ! -d "$web_test/node_modules/playwright-core" ] ||
     [ ! -d "$web_test/node_modules/@axe-core/playwright" ]; }; then
  (cd "$web_test" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) ||
    echo "install_deps.sh: npm ci failed; web_app_test is skipped" >&2
fi

# The npm packages of the LanguageTool client test (tests/service/lt_client,
# pinned by its package-lock.json). Without node/npm that test is skipped.
lt_client="$(dirname "$0")/../tests/service/lt_client"
if command -v npm >/dev/null 2>&1 &&
   { [ ! -d "$lt_client/node_modules/annotatedtext-rehype" ] ||
     [ ! -d "$lt_client/node_modules/language-grammar-api" ]; }; then
  (cd "$lt_client" && npm ci --no-audit --no-fund --silent) ||
    echo "install_deps.sh: npm ci failed; languagetool_client_test is skipped" >&2
fi
