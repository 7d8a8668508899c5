#!/usr/bin/env bash
# A WWS policy variant against today's rules (issue 19, item 6): both valuations of every row
# and the per-buurt summary over the 2.3-million-row flat stock (bench/out/wws-flat-2.3m.csv,
# made from the demo stock as bench/wws.sh does; not committed) on 2 threads, for every
# shipped variant in data/wws/varianten/, next to today's rules alone (wws_flat_bulk run).
# Then the demo stock on 1 thread with the publication through the privacy layer (the rent
# mix it is pinned to, and the variant's frame). Target: < 3 s on 2 cores for the 2.3 M rows.
#
#   bash bench/wws_variant.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
OUT=bench/out
mkdir -p "$OUT"
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p veerkracht-wws --example wws_flat_bulk -p veerkracht-huurmix --example variant_bench
FLAT="$OUT/veerstad/veerstad-corporatie-voorraad.csv"
if [ ! -f "$FLAT" ]; then
  cargo run -q --release -p veerkracht --bin veerkracht -- demo --out "$OUT/veerstad" >/dev/null
fi
BIG="$OUT/wws-flat-2.3m.csv"
if [ ! -f "$BIG" ]; then
  "$TARGET/release/examples/wws_flat_bulk" gen "$FLAT" 2300000 "$BIG"
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2
BASE=$("$TARGET/release/examples/wws_flat_bulk" run "$BIG" 2 "$RUNS")
python3 -c 'import json,sys; b=json.loads(sys.argv[1]); print("%-34s 2.3M rows  %.2f s wall  %.2f s CPU" % ("today only (parse + points)", b["wall_s"], b["cpu_s"]))' "$BASE"
for v in data/wws/varianten/*.toml; do
  R=$("$TARGET/release/examples/variant_bench" "$BIG" 2 "$RUNS" "$v")
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%-34s 2.3M rows  %.2f s wall  %.2f s CPU  (%s rows/s; mean Δ max. huur %+.2f €, %s lower)" % (r["variant"], r["wall_s"], r["cpu_s"], format(round(r["rows_per_s"]), ","), r["delta_maximale_huur_gemiddeld"], format(r["omlaag"], ",")))' "$R"
done
R=$("$TARGET/release/examples/variant_bench" "$FLAT" 1 5 data/wws/varianten/woz-cap-25.toml)
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("demo stock (%d rows, %d buurten), 1 thread: comparison %.3f s, rent mix with its what-ifs + publication %.2f s, the variant publication %.3f s" % (r["rows"], r["buurten"], r["wall_s"], r["rent_mix_s"], r["variant_publish_s"]))' "$R"
echo "target: a variant against today's rules over 2.3 M rows < 3 s on 2 cores"
