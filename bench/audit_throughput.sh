#!/usr/bin/env bash
# `divcheck audit` throughput in-process: N ads (default 20,000) as JSON
# lines, made by cycling the bundled example ads and the benchmark ad, summary
# only. Prints the summary's ads/s. Usage:
#   bench/audit_throughput.sh [DIVCHECK] [N] [--jobs=J]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIVCHECK="${1:-$ROOT/build/clients/cli/divcheck}"
N="${2:-20000}"
shift $(( $# > 2 ? 2 : $# ))
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 - "$N" "$ROOT" > "$TMP/ads.jsonl" <<'PY'
import glob, json, sys
n, root = int(sys.argv[1]), sys.argv[2]
ex = [open(p, encoding="utf-8").read()
      for p in sorted(glob.glob(root + "/examples/*.txt"))]
# 3-5 KB each: the benchmark ad, and pairs of the example ads.
texts = [open(root + "/bench/data/stellenanzeige_de.txt", encoding="utf-8").read()]
texts += [ex[i] + "\n\n" + ex[(i + 1) % len(ex)] for i in range(len(ex))]
for i in range(n):
    print(json.dumps({"id": f"ad-{i}", "text": texts[i % len(texts)]}))
PY
echo "input: $N ads, $(wc -c < "$TMP/ads.jsonl") bytes of JSON lines"
/usr/bin/time -f "wall %e s, max RSS %M KB" \
  "$DIVCHECK" audit --summary=json "$@" "$TMP/ads.jsonl" |
  python3 -c 'import json,sys; s=json.load(sys.stdin); print("%d ads, %d checked, scan phase %.2f s: %.0f ads/s" % (s["ads"], s["checked"], s["seconds"], s["adsPerSecond"]))'
