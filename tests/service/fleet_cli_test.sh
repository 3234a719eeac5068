#!/usr/bin/env bash
# Bulk re-checks against a fleet (issue 19 "Bulk re-checks", issue 18
# "--server=… several addresses, spread the load"): two real divcheckd
# replicas on loopback ports, both wanting an API key, and
# `divcheck scan|audit --server=A,B`:
#   - every ad answered exactly once (ids in the output; the replicas'
#     divcheck_scans_total counters add up to the number of ads), and both
#     replicas served some of them;
#   - `scan` over many files prints exactly what the in-process scan prints;
#   - one replica killed (SIGKILL) in the middle of an audit: the audit
#     still ends with every ad answered (calls retried on the other);
#   - every replica gone: every ad is reported failed, by its id;
#   - bad address lists are usage errors that say what is wrong.
# Counts are printed. Bounded: a few thousand short ads, a minute or so.
# Usage: fleet_cli_test.sh DIVCHECK DIVCHECKD FIXTURE_LEXICONS BENCH_AD
set -uo pipefail
DIVCHECK="$1"
DIVCHECKD="$2"
LEX="$3"
BENCH_AD="$4"
source "$(dirname "${BASH_SOURCE[0]}")/../start_divcheckd.sh"
unset DIVCHECK_API_KEY_FILE DIVCHECK_INSECURE_SEND_KEY
A_PID="" B_PID=""
trap 'for p in $A_PID $B_PID; do kill -KILL "$p" 2>/dev/null; done; _divcheck_test_cleanup' EXIT

KEY="fleet-test-key"
HASH="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
printf 'api_keys { name: "fleet" sha256: "%s" }\n' "$HASH" > "$TMP/server.textproto"
export DIVCHECK_API_KEY="$KEY"

# start_replica NAME: starts a replica with metrics; sets NAME_PID,
# NAME_PORT, NAME_METRICS.
start_replica() {
  start_divcheckd "$TMP/$1.log" --lexicons="$LEX" --config="$TMP/server.textproto" \
    --metrics_listen=127.0.0.1:0
  local metrics
  metrics="$(sed -n 's/.*"msg":"listening on [^"]*".*"metrics_port":\([0-9]*\).*/\1/p' "$TMP/$1.log" | head -1)"
  printf -v "$1_PID" '%s' "$SERVER_PID"
  printf -v "$1_PORT" '%s' "$PORT"
  printf -v "$1_METRICS" '%s' "$metrics"
  SERVER_PID=""
}
# scans METRICS_PORT: the replica's ScanText calls answered OK so far.
scans() {
  python3 - "$1" <<'PY'
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
m = re.search(r'^divcheck_scans_total\{grpc_code="OK"\} (\S+)$', text, re.M)
print(int(float(m.group(1))) if m else -1)
PY
}
# results FILE: "lines distinct_ids errors" of an --output file.
results() {
  python3 - "$1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), len({r["id"] for r in rows}), sum(1 for r in rows if r.get("error")))
PY
}
# make_ads N FILE: N ads as JSON lines (ids ad-0 …), short and long ones.
make_ads() {
  python3 - "$1" "$BENCH_AD" > "$2" <<'PY'
import json, sys
n, long_ad = int(sys.argv[1]), open(sys.argv[2], encoding="utf-8").read()
texts = ["Verkäufer gesucht. Wir sind ein junges Team.",
         "Verkaufskraft (m/w/d) gesucht. Wir freuen uns auf Sie.", long_ad]
for i in range(n):
    print(json.dumps({"id": f"ad-{i}", "text": texts[i % 3]}))
PY
}

start_replica A
start_replica B
FLEET="127.0.0.1:$A_PORT,127.0.0.1:$B_PORT"
[ -n "$A_METRICS" ] && [ -n "$B_METRICS" ] || fail "no metrics port in the log"

# 1. audit over both: every ad once, both replicas used.
N=2000
make_ads "$N" "$TMP/ads.jsonl"
a0="$(scans "$A_METRICS")" b0="$(scans "$B_METRICS")"
"$DIVCHECK" audit --server="$FLEET" --concurrency=16 --summary=json \
  --output="$TMP/out.jsonl" "$TMP/ads.jsonl" >"$TMP/summary.json" 2>"$TMP/err"
status=$?
a1="$(scans "$A_METRICS")" b1="$(scans "$B_METRICS")"
read -r lines ids errors <<<"$(results "$TMP/out.jsonl")"
echo "audit over 2 replicas: $N ads, $lines results, $ids distinct ids, $errors errors; replica A $((a1 - a0)) scans, B $((b1 - b0))"
[ "$status" -eq 0 ] || fail "audit over both: exit $status: $(head -3 "$TMP/err")"
[ "$lines" = "$N" ] && [ "$ids" = "$N" ] && [ "$errors" = 0 ] ||
  fail "audit over both: want $N results with distinct ids and no error"
# Each ad once, plus one more call for each of the (at most ten) worst ads,
# whose findings the summary lists.
worst="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("worst", [])))' "$TMP/summary.json")"
[ $((a1 - a0 + b1 - b0)) -eq $((N + worst)) ] || fail "audit over both: the replicas answered $((a1 - a0 + b1 - b0)) scans, want exactly $N + $worst"
[ $((a1 - a0)) -gt 0 ] && [ $((b1 - b0)) -gt 0 ] || fail "audit over both: a replica served nothing"
# The same figures as in-process.
"$DIVCHECK" audit --lexicons="$LEX" --summary=json "$TMP/ads.jsonl" >"$TMP/local.json" 2>/dev/null
python3 - "$TMP/summary.json" "$TMP/local.json" <<'PY' || fail "audit over both: summary differs from in-process"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ("seconds", "adsPerSecond"):
    a.pop(k, None); b.pop(k, None)
sys.exit(0 if a == b else 1)
PY

# 2. scan over many files: the in-process output, byte for byte; both used.
mkdir -p "$TMP/files"
for i in $(seq 1 60); do
  case $((i % 3)) in
    0) printf 'Verkäufer gesucht (%d).\nWir sind ein junges Team.\n' "$i" ;;
    1) printf 'Verkaufskraft (m/w/d) gesucht (%d).\n' "$i" ;;
    2) cat "$BENCH_AD" ;;
  esac > "$TMP/files/ad$(printf %03d "$i").txt"
done
printf 'gut\x81\x8d schlecht' > "$TMP/files/ad030.txt"  # refused by the api
a0="$(scans "$A_METRICS")" b0="$(scans "$B_METRICS")"
# The 60 files five times (round_robin picks among the ready connections,
# so a short run need not reach both replicas).
FILES=()
for _ in 1 2 3 4 5; do FILES+=("$TMP"/files/*.txt); done
"$DIVCHECK" scan --color=never --lexicons="$LEX" "${FILES[@]}" "$TMP/missing.txt" >"$TMP/local.out" 2>"$TMP/local.err"
local_status=$?
"$DIVCHECK" scan --color=never --server="$FLEET" --concurrency=8 "${FILES[@]}" "$TMP/missing.txt" >"$TMP/remote.out" 2>"$TMP/remote.err"
remote_status=$?
a1="$(scans "$A_METRICS")" b1="$(scans "$B_METRICS")"
echo "scan of 5 x 60 files over 2 replicas: replica A $((a1 - a0)) scans, B $((b1 - b0)); exit $remote_status (in-process $local_status)"
cmp -s "$TMP/local.out" "$TMP/remote.out" || { fail "scan: stdout differs from in-process"; diff "$TMP/local.out" "$TMP/remote.out" | head; }
cmp -s "$TMP/local.err" "$TMP/remote.err" || { fail "scan: stderr differs from in-process"; diff "$TMP/local.err" "$TMP/remote.err" | head; }
[ "$local_status" -eq 2 ] && [ "$remote_status" -eq 2 ] || fail "scan: want exit 2 (a missing file) both ways"
# Not checked here that both replicas served: on a quiet machine the 300
# small scans can all finish on the connection that was ready first (seen:
# A 295, B 0). The spread is checked by the 2,000-ad audit above.

# 3. replica B killed with SIGKILL in the middle of an audit.
N=6000
make_ads "$N" "$TMP/many.jsonl"
"$DIVCHECK" audit --server="$FLEET" --concurrency=8 --summary=json \
  --output="$TMP/kill.jsonl" "$TMP/many.jsonl" >"$TMP/kill.json" 2>"$TMP/kill.err" &
AUDIT_PID=$!
b0="$(scans "$B_METRICS")"
for _ in $(seq 1 300); do  # until B has answered 200 of them (30 s at most)
  [ $(( $(scans "$B_METRICS") - b0 )) -ge 200 ] && break
  sleep 0.1
done
killed_at="$(( $(scans "$B_METRICS") - b0 ))"
kill -KILL "$B_PID"
wait "$B_PID" 2>/dev/null  # (bash reports the kill)
B_PID=""
kill -0 "$AUDIT_PID" 2>/dev/null || fail "replica killed: the audit had already ended (inconclusive)"
wait "$AUDIT_PID"
status=$?
read -r lines ids errors <<<"$(results "$TMP/kill.jsonl")"
echo "replica B killed after $killed_at of its scans: $N ads, $lines results, $ids distinct ids, $errors errors, exit $status"
[ "$status" -eq 0 ] || fail "replica killed: exit $status: $(head -3 "$TMP/kill.err")"
[ "$lines" = "$N" ] && [ "$ids" = "$N" ] && [ "$errors" = 0 ] ||
  fail "replica killed: want $N results with distinct ids and no error"

# 4. every replica gone: each ad reported failed, by id, exit 2.
kill -KILL "$A_PID"
wait "$A_PID" 2>/dev/null
A_PID=""
head -5 "$TMP/ads.jsonl" > "$TMP/five.jsonl"
"$DIVCHECK" audit --server="$FLEET" --summary=json "$TMP/five.jsonl" >"$TMP/gone.json" 2>"$TMP/gone.err"
status=$?
gone_errors="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$TMP/gone.json" 2>/dev/null)"
echo "every replica gone: 5 ads, ${gone_errors:-?} reported failed, exit $status"
[ "$status" -eq 2 ] || fail "every replica gone: exit $status, want 2"
[ "$gone_errors" = 5 ] || fail "every replica gone: errors ${gone_errors:-none}, want 5"
for i in 0 1 2 3 4; do
  grep -q "^divcheck: ad-$i: server $FLEET: " "$TMP/gone.err" || fail "every replica gone: ad-$i not reported: $(head -2 "$TMP/gone.err")"
done
# Many ads with every replica gone: bounded (retries are throttled).
head -1000 "$TMP/ads.jsonl" > "$TMP/thousand.jsonl"
start=$SECONDS
"$DIVCHECK" audit --server="$FLEET" --summary=json "$TMP/thousand.jsonl" >"$TMP/gone.json" 2>/dev/null
took=$((SECONDS - start))
gone_errors="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$TMP/gone.json" 2>/dev/null)"
echo "every replica gone: 1000 ads, ${gone_errors:-?} reported failed in $took s"
[ "$gone_errors" = 1000 ] || fail "every replica gone, 1000 ads: errors ${gone_errors:-none}"
[ "$took" -le 60 ] || fail "every replica gone, 1000 ads: took $took s, want at most 60"
"$DIVCHECK" scan --server="$FLEET" "$TMP/files/ad001.txt" "$TMP/files/ad002.txt" >/dev/null 2>"$TMP/err"
[ $? -eq 2 ] && [ "$(grep -c "^divcheck: .*ad00[12].txt: server " "$TMP/err")" = 2 ] ||
  fail "scan, every replica gone: want exit 2 and both files named: $(cat "$TMP/err")"

# 5. bad --server values: usage errors (exit 2) that say what is wrong.
bad() {  # bad SERVER TEXT [FLAG…]
  local server="$1" text="$2"; shift 2
  for cmd in scan audit; do
    "$DIVCHECK" "$cmd" --server="$server" "$@" "$TMP/five.jsonl" >/dev/null 2>"$TMP/err"
    local status=$?
    [ "$status" -eq 2 ] && grep -qF -- "$text" "$TMP/err" ||
      fail "$cmd --server=$server: exit $status, want 2 and \"$text\": $(head -2 "$TMP/err")"
  done
}
bad "127.0.0.1:1,,127.0.0.1:2" "has an empty item"
bad "127.0.0.1:1,127.0.0.1" "'127.0.0.1' has no port"
bad "127.0.0.1:1,127.0.0.1:70000" "'127.0.0.1:70000' has no port"
bad "divcheck-a.example:8443,127.0.0.1:2" "is not an IP address with a port"
bad "127.0.0.1:1,[::1]:2" "mixes IPv4 and IPv6"
bad "127.0.0.1:1,10.1.2.3:2" "refusing to send the API key to 10.1.2.3:2"
bad "127.0.0.1:1,127.0.0.2:2" "with TLS, give the name" --tls
for cmd in scan audit; do
  "$DIVCHECK" "$cmd" --server="$FLEET" --concurrency=0 "$TMP/five.jsonl" >/dev/null 2>"$TMP/err"
  [ $? -eq 2 ] && grep -q "concurrency must be" "$TMP/err" || fail "$cmd --concurrency=0: $(head -2 "$TMP/err")"
done

if [ "$failed" -ne 0 ]; then
  echo "$failed check(s) failed"; exit 1
fi
echo "fleet_cli_test: all checks passed"
