#!/usr/bin/env bash
# Issue 21: what heavy scenario requests do to the server, measured as the adversarial test
# did: N parallel `POST /api/v1/scenarios/run` (default 6) with runs 500 and jaren = 50 from
# one address, against `veerkracht serve` on the demo region (release build). Samples the
# server's RSS (VmRSS) and CPU every 0.5 s from the first request until 10 s after the last
# answer, and prints per request the status and time, then the peak RSS, the RSS after, and
# how long the CPU stayed busy after the last answer (the work that outlived its request).
# Runs each case with the given serve options, e.g. the defaults and a raised budget so the
# requests are accepted and must be stopped by the time limit:
#   bash bench/heavy.sh                          # defaults, then --max-werk/--max-geheugen raised
#   N=6 RUNS=500 YEARS=50 bash bench/heavy.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
N="${N:-6}"; RUNS="${RUNS:-500}"; YEARS="${YEARS:-50}"
cargo build --release --quiet -p veerkracht
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
vk="$target_dir/release/veerkracht"
out="$root/bench/out/heavy"; mkdir -p "$out"

run_case() {
  local label="$1"; shift
  local log="$out/serve.log"
  "$vk" serve --port 0 "$@" >"$out/addr" 2>"$log" &
  local pid=$!
  for _ in $(seq 100); do [[ -s "$out/addr" ]] && break; sleep 0.1; done
  local url; url="$(head -1 "$out/addr")"
  python3 - "$url" "$pid" "$N" "$RUNS" "$YEARS" "$label" <<'EOF'
import json, os, sys, threading, time, urllib.request, urllib.error
url, pid, n, runs, years, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
toml = f'schema = 1\nnaam = "zwaar"\nstartjaar = 2025\njaren = {years}\npeildatum = 2025-01-01\n'
body = json.dumps({"scenario": toml, "runs": runs}).encode()
tick = os.sysconf("SC_CLK_TCK")
def sample():
    rss = 0
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS:"): rss = int(l.split()[1]) // 1024
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return rss, (int(f[11]) + int(f[12])) / tick
rss0, cpu0 = sample()
samples, results, stop = [], [None] * n, False
def sampler():
    t0 = time.time()
    while not stop:
        samples.append((time.time() - t0, *sample())); time.sleep(0.5)
th = threading.Thread(target=sampler); th.start()
t0 = time.time()
def ask(i):
    t = time.time()
    try:
        r = urllib.request.urlopen(urllib.request.Request(url + "api/v1/scenarios/run", data=body, headers={"Content-Type": "application/json"}), timeout=300)
        results[i] = (r.status, time.time() - t, "")
    except urllib.error.HTTPError as e:
        results[i] = (e.code, time.time() - t, json.loads(e.read() or b"{}").get("title", ""))
ts = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
last = time.time() - t0
time.sleep(10); stop = True; th.join()
busy_after = 0.0
for (ta, _, ca), (tb, _, cb) in zip(samples, samples[1:]):
    if ta >= last and (cb - ca) / (tb - ta) > 0.2: busy_after = tb - last
peak = max(s[1] for s in samples)
print(f"== {label}: {n} × POST /api/v1/scenarios/run, runs {runs}, jaren = {years}")
for i, (st, secs, title) in enumerate(results):
    print(f"  request {i + 1}: {st} after {secs:.1f} s {title}")
print(f"  RSS before {rss0} MB, peak {peak} MB, 10 s after the last answer {samples[-1][1]} MB")
print(f"  CPU busy (> 20 %) for {busy_after:.1f} s after the last answer; CPU used {samples[-1][2] - cpu0:.1f} s in all")
EOF
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_case "defaults (budget 1024 MiB / 1500 M units, 2 per client, 60 s)"
run_case "budget raised so that the runs start, time limit 20 s" --max-geheugen 8192 --max-werk 100000 --max-seconden 20 --zware-verzoeken 6
