#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install the packages, build, and
# scan the bundled example ads, printing each report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh release
status=0
./build/clients/cli/divcheck scan examples/*.txt || status=$?
# 1 means "findings at or above --fail-on" — the examples contain some on
# purpose. Only 2 (usage or input error) is a failure here.
if [ "$status" -ge 2 ]; then exit "$status"; fi
echo
echo "Scanned $(ls examples/*.txt | wc -l) example ads. Try: ./build/clients/cli/divcheck scan --help"
