#!/usr/bin/env bash
# Scenario sweeps on Ray (issue 20): throughput of one process against a Ray cluster of a head
# and two worker nodes started on this machine (ray start, loopback), the per-task cost, and
# the showcase Sobol analysis (docs/sobol-hefbomen.*) run on that cluster.
# Usage: bash bench/sweep.sh [SOBOL_N] [RUNS]     (needs .ci/venv-python: bash .ci/run once)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-128}"
RUNS="${2:-20}"
PY=.ci/venv-python/bin/python
[ -x "$PY" ] || { echo "missing .ci/venv-python: run bash .ci/run once"; exit 1; }
.ci/venv-python/bin/maturin build --release --locked -q -m python/Cargo.toml -o target/wheels
.ci/venv-python/bin/pip install -q --force-reinstall --no-deps "$(ls -t target/wheels/veerkracht-*-abi3-*.whl | head -1)"
.ci/venv-python/bin/pip install -q "ray[default]==2.60.0" "SALib==1.6.0" "pandas==3.1.1" "pyarrow==26.0.1"
export RAY_USAGE_STATS_ENABLED=0
PORT=$((20000 + RANDOM % 20000))
RAY=.ci/venv-python/bin/ray
trap '"$RAY" stop --force >/dev/null 2>&1 || true' EXIT
"$RAY" start --head --port=$PORT --num-cpus=0 --include-dashboard=false --node-ip-address=127.0.0.1 >/dev/null
for _ in 1 2; do "$RAY" start --address=127.0.0.1:$PORT --num-cpus=1 --node-ip-address=127.0.0.1 >/dev/null; done
"$PY" - "127.0.0.1:$PORT" <<'PYEOF'
import sys, time
import veerkracht as vk
addr = sys.argv[1]
levers = {"toewijzing.vrije_ruimte_gebruik": [0.0, 0.5, 1.0], "toewijzing.loting": [0.0, 0.1, 0.2],
          "spreiding.max_aandeel": [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]}
v = vk.sweep.grid(levers)
vk.simulate("spreiding", runs=1)  # warm: the demo inputs are made once per process
rows = []
for label, kw in (("one process", {}), ("Ray, 2 worker nodes, 1 task per variant", {"address": addr}),
                  ("Ray, 2 worker nodes, tasks of 5 runs", {"address": addr, "shard_runs": 5})):
    t = time.time(); r = vk.sweep.run("spreiding", v, runs=20, seed=11, **kw); s = time.time() - t
    rows.append((label, s, r))
base = rows[0][2]
for label, s, r in rows:
    same = r.equals(base)
    print(f"{label:45} {s:6.1f} s  {len(v) * 20 / s:6.1f} runs/s  identical: {same}")
t = time.time(); vk.simulate("spreiding", runs=1, seed=1); one = time.time() - t
t = time.time(); vk.simulate("spreiding", runs=21, seed=1); many = time.time() - t
per_run = (many - one) / 20
print(f"per task: {one - per_run:.3f} s set-up (scenario, model) + {per_run:.4f} s per run of the demo region")
PYEOF
"$PY" python/examples/sobol_levers.py --n "$N" --runs "$RUNS" --address "127.0.0.1:$PORT"
