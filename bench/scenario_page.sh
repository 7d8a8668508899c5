#!/usr/bin/env bash
# The scenario page's first picture and full time (issue 17) on the demo region: starts the
# release server on the embedded demo data and runs bench/scenario_page.py against it.
#   bash bench/scenario_page.sh [REPEAT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/bench/out/scenario"
mkdir -p "$out/empty"
cargo build --release --quiet -p veerkracht
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
rm -f "$out/serve.out"
( cd "$out/empty" && exec "$target_dir/release/veerkracht" serve --port 0 > "$out/serve.out" 2> "$out/serve.err" ) &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do [[ -s "$out/serve.out" ]] && break; sleep 0.1; done
url="$(head -1 "$out/serve.out")"
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/scenario_page.py "$url" "${1:-3}"
