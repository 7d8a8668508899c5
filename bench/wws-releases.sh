#!/usr/bin/env bash
# How far veerkracht's valuations at 2024 and 2025 peildatums are from the reference releases
# of those years *under their own rules* (woningwaardering 2.0.6 for 1 July 2024, 4.0.0 for
# 2025), per stelselgroep. The test suite's oracle for those years is the current reference
# with the year's rent tables (crates/wws/tests/differential.rs, 0 mismatches); this script
# measures the rest: rule readings the reference changed later for every date. The classes of
# difference and their commits are in docs/wws-earlier-years.md.
# Usage: bash bench/wws-releases.sh [UNITS] [SEED]   (run .ci/run once first for the venvs)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-300}"
SEED="${2:-1}"
OUT=bench/out/releases
mkdir -p "$OUT"
for v in .ci/venv .ci/venv-ww2025 .ci/venv-ww2024; do
  [ -x "$v/bin/python" ] || { echo "missing $v: run bash .ci/run once (it makes the virtualenvs)"; exit 1; }
done
cargo build --release --locked -q -p veerkracht
BIN=target/release/veerkracht
.ci/venv/bin/python crates/wws/tests/differential/gen.py ../shared/peers/woningwaardering/fixtures/tests/data "$N" "$SEED" "$OUT/units.ndjson"
# 2.0.6 has no ONZ stelsel: its comparison uses the ZEL units only.
python3 -c "
import json, sys
with open('$OUT/units-zel.ndjson', 'w') as f:
    for line in open('$OUT/units.ndjson'):
        if json.loads(line)['Woningwaarderingstelsel']['code'] == 'ZEL':
            f.write(line)"
"$BIN" wws "$OUT/units.ndjson" --peildatum 2025-07-01 --json > "$OUT/ours-2025.json"
.ci/venv-ww2025/bin/python bench/wws_release_peer.py "$OUT/units.ndjson" "$OUT/ww400-2025.ndjson" 2025-07-01
python3 bench/wws_releases.py "$OUT/ours-2025.json" "$OUT/ww400-2025.ndjson" "2025-07-01 vs woningwaardering 4.0.0"
"$BIN" wws "$OUT/units-zel.ndjson" --peildatum 2024-07-01 --json > "$OUT/ours-2024.json"
.ci/venv-ww2024/bin/python bench/wws_release_peer.py "$OUT/units-zel.ndjson" "$OUT/ww206-2024.ndjson" 2024-07-01
python3 bench/wws_releases.py "$OUT/ours-2024.json" "$OUT/ww206-2024.ndjson" "2024-07-01 vs woningwaardering 2.0.6 (ZEL)"
