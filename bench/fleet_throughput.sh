#!/usr/bin/env bash
# `divcheck audit --server=…` throughput against one and against two local
# divcheckd replicas (issue 19 "Bulk re-checks"): N ads (default 20,000) as
# JSON lines, made by bench/audit_throughput.sh, summary only. Prints the
# machine's load and the scan probe (BM_ScanGermanAdReusedReport) before
# and after, so the figures can be read against how busy the machine was.
# Usage:
#   bench/fleet_throughput.sh [BUILD_DIR] [N] [--concurrency=C]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-20000}"
shift $(( $# > 2 ? 2 : $# ))
DIVCHECK="$BUILD/clients/cli/divcheck"
DIVCHECKD="$BUILD/service/divcheckd"
PROBE="${PROBE:-$BUILD/bench/divcheck_scan_benchmark}"
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# start_replica NAME: a divcheckd on a free loopback port; prints the port.
start_replica() {
  "$DIVCHECKD" --listen=127.0.0.1:0 --lexicons="$ROOT/lexicons" >"$TMP/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    port="$(sed -n 's/.*"msg":"listening on [^"]*".*"port":\([0-9]*\).*/\1/p' "$TMP/$1.log" | head -1)"
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  echo "divcheckd did not start: $(cat "$TMP/$1.log")" >&2
  exit 1
}
probe() {
  [ -x "$PROBE" ] || { echo "scan probe: $PROBE not built"; return 0; }
  "$PROBE" --benchmark_filter='BM_ScanGermanAdReusedReport$' \
    --benchmark_min_time=1 2>/dev/null | grep BM_ScanGerman | awk '{print "scan probe:", $0}'
}

echo "$(date -u '+%F %T UTC'), $(nproc) cores, load average:$(cut -d' ' -f1-3 /proc/loadavg)"
probe
A="$(start_replica a)"
B="$(start_replica b)"
echo "== one replica (127.0.0.1:$A)"
"$ROOT/bench/audit_throughput.sh" "$DIVCHECK" "$N" --server="127.0.0.1:$A" "$@"
echo "== two replicas (127.0.0.1:$A,127.0.0.1:$B)"
"$ROOT/bench/audit_throughput.sh" "$DIVCHECK" "$N" --server="127.0.0.1:$A,127.0.0.1:$B" "$@"
echo "== in-process, both cores, for comparison"
"$ROOT/bench/audit_throughput.sh" "$DIVCHECK" "$N" --jobs=2
echo "load average:$(cut -d' ' -f1-3 /proc/loadavg)"
probe
