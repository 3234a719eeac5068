#!/usr/bin/env bash
# Throughput of the divcheck CLI: scans N copies of the benchmark ad (each a
# separate file, each slightly different) in one invocation with JSON output
# and prints ads per second. Usage: bench/cli_throughput.sh [N] [DIVCHECK]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
bin="${2:-build/clients/cli/divcheck}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$n"); do
  { echo "Anzeige Nr. $i"; cat bench/data/stellenanzeige_de.txt; } > "$tmp/ad-$i.txt"
done
bytes=$(cat "$tmp"/*.txt | wc -c)
start=$(date +%s.%N)
status=0
"$bin" scan --format=json "$tmp"/*.txt > "$tmp/out.jsonl" || status=$?
end=$(date +%s.%N)
[ "$status" -le 1 ] || { echo "divcheck failed with status $status" >&2; exit 1; }
lines=$(wc -l < "$tmp/out.jsonl")
python3 - "$n" "$lines" "$bytes" "$start" "$end" <<'PY'
import sys
n, lines, nbytes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
secs = float(sys.argv[5]) - float(sys.argv[4])
assert lines == n, f"{lines} JSON lines for {n} files"
print(f"{n} ads ({nbytes/1e6:.1f} MB) in {secs:.3f} s: {n/secs:.0f} ads/s, {nbytes/1e6/secs:.1f} MB/s (one process, JSON output)")
PY
