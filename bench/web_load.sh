#!/usr/bin/env bash
# Issue 9 item 3: the dashboard API under increasing load until it saturates, under faults,
# and a restart during a scenario run. Needs wrk (apt-get install wrk) and python3.
#  (1) GET /api/v1/areas/{code} (buurt profile) with wrk: c connections that each pause
#      10 ms between requests (bench/web_rate.lua), for c = 5, 10, 20, 40, 80, 160, 320; the
#      offered rate is c × the rate of one paced connection at the first (idle) step; then a
#      flood (no pause, 64 connections). Per step: offered and achieved requests/s, p50, p99,
#      errors. Saturated = achieved < 90 % of offered.
#  (2) faults while ≈ 1,000 requests/s are offered: 200 slow clients (half a request line,
#      then nothing), 100 oversized bodies (1 MB), 300 malformed requests (bench/web_faults.py);
#      prints the status codes the faulty clients got and the paced load's p99 and errors.
#  (3) a restart during a scenario run: POST /api/v1/scenarios/run (200 runs), SIGKILL the
#      server mid-run, restart on the same workspace: the workspace file is unchanged
#      (sha256), and the same request afterwards gives the same numbers as before the kill.
# Usage: bash bench/web_load.sh [SECONDS_PER_STEP]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-8}"
out="$root/bench/out/web-load"
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet -p veerkracht
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
vk="$target_dir/release/veerkracht"
# a workspace file with the demo region, which the server opens from its directory
if [[ ! -s "$out/veerkracht.gpkg" ]]; then
  "$vk" demo --out "$out/demo" >/dev/null
  "$vk" --workspace "$out/veerkracht.gpkg" import $(ls "$out"/demo/*.csv "$out"/demo/*.geojson | grep -v voorraad) >/dev/null
fi

start() { # sets url, pid
  rm -f "$out/serve.out"
  ( cd "$out" && exec "$vk" serve --port 0 > "$out/serve.out" 2> "$out/serve.err" ) &
  pid=$!
  for _ in $(seq 200); do [[ -s "$out/serve.out" ]] && break; sleep 0.05; done
  url="$(head -1 "$out/serve.out")"
}
summary() { # wrk output on stdin -> "achieved p50 p99 errors"
  python3 -c '
import re, sys
t = sys.stdin.read()
def lat(p):
    m = re.search(r"^\s*" + str(p) + r"%\s+([\d.]+)(us|ms|s)", t, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", t) or [0, 0])[1])
sock = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
print(f"{rps:.0f} {lat(50):.2f} {lat(99):.2f} {non2xx + sock}")'
}

start
code="BU90010312"
path="api/v1/areas/$code"
curl -s -o /dev/null "$url$path"   # warm the index cache
echo "== (1) increasing offered rate: GET /$path, ${secs} s per step"
printf '%-12s %10s %10s %9s %9s %7s  %s\n' connections offered achieved p50_ms p99_ms errors state
base=""
for c in 5 10 20 40 80 160 320; do
  read -r rps p50 p99 err < <(wrk -t2 -c"$c" -d"${secs}s" --latency -s bench/web_rate.lua "$url$path" | summary)
  # the offered rate: c times what one paced connection does when the server is idle
  # (measured at the first step: 10 ms pause + service time + wrk's own overhead)
  [[ -n "$base" ]] || base=$(python3 -c "print($rps / $c)")
  offered=$(python3 -c "print(round($c * $base))")
  state=$(python3 -c "print('saturated' if $rps < 0.9 * $offered else 'keeps up')")
  printf '%-12s %10s %10s %9s %9s %7s  %s\n' "$c" "$offered" "$rps" "$p50" "$p99" "$err" "$state"
done
read -r rps p50 p99 err < <(wrk -t2 -c64 -d"${secs}s" --latency "$url$path" | summary)
printf '%-12s %10s %10s %9s %9s %7s  %s\n' "64 (flood)" "-" "$rps" "$p50" "$p99" "$err" "maximum"

echo "== (2) faults during ~1,000 requests/s"
wrk -t2 -c10 -d"$((secs + 4))s" --latency -s bench/web_rate.lua "$url$path" > "$out/wrk-faults.txt" &
wrkpid=$!
sleep 1
python3 bench/web_faults.py "$url"
wait "$wrkpid"
read -r rps p50 p99 err < <(summary < "$out/wrk-faults.txt")
echo "paced load during the faults: $rps requests/s, p50 $p50 ms, p99 $p99 ms, $err errors"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== (3) SIGKILL during a scenario run, restart"
start
before_ws=$(sha256sum "$out/veerkracht.gpkg" 2>/dev/null | cut -d' ' -f1 || echo none)
body='{"scenario": "spreiding", "runs": 20, "seed": 7}'
ref=$(curl -s -H 'Content-Type: application/json' -d "$body" "${url}api/v1/scenarios/run" | sha256sum | cut -d' ' -f1)
curl -s -m 30 -H 'Content-Type: application/json' -d '{"scenario": "middenhuur", "runs": 400}' "${url}api/v1/scenarios/run" >/dev/null 2>&1 &
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
start
again=$(curl -s -H 'Content-Type: application/json' -d "$body" "${url}api/v1/scenarios/run" | sha256sum | cut -d' ' -f1)
after_ws=$(sha256sum "$out/veerkracht.gpkg" 2>/dev/null | cut -d' ' -f1 || echo none)
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "workspace unchanged: $([[ "$before_ws" == "$after_ws" ]] && echo yes || echo NO) ($before_ws)"
echo "same answer after the restart: $([[ "$ref" == "$again" ]] && echo yes || echo NO)"
