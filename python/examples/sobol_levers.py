"""The showcase sensitivity analysis (issue 20, docs/sobol-hefbomen.md): which policy lever
moves the highest buurt share of vulnerable households, and their waiting time, most?

A Saltelli design over five levers of python/examples/hefbomen.toml, N·(D+2) variants × RUNS
runs on the demo region, first-order and total Sobol indices with 95 % bootstrap intervals
(SALib). Runs on a Ray cluster when --address is given (bench/sweep.sh starts one on
loopback), else in this process. Writes the Markdown table and an SVG chart.

Usage: python sobol_levers.py [--n 64] [--runs 20] [--address HOST:PORT] [--out docs/sobol-hefbomen]
"""
import argparse
import json
import pathlib
import time

import veerkracht as vk

HERE = pathlib.Path(__file__).resolve().parent
LEVERS = {  # dotted scenario key: (low, high, label)
    "toewijzing.vrije_ruimte_gebruik": (0.0, 1.0, "vrije ruimte benut (aandeel)"),
    "spreiding.max_aandeel": (0.10, 0.50, "spreidingsplafond (aandeel per buurt)"),
    "toewijzing.loting": (0.0, 0.30, "loting (aandeel reguliere verhuringen)"),
    "ingreep.0.aantal": (10, 400, "middenhuur-nieuwbouw (woningen)"),
    "contingent.bw_mo": (0.0, 10.0, "contingent BW/MO (per 1.000 woningen)"),
}
OUTPUTS = {
    "hoogste_buurtaandeel_kwetsbaar": ("hoogste buurtaandeel kwetsbare huishoudens, 2034", "last"),
    "wachttijd_kwetsbaar": ("wachttijd kwetsbare woningzoekenden, gemiddeld 2025–2034", "all"),
}
# Okabe–Ito (colour-blind safe): first-order and total
COLOURS = {"S1": "#0072B2", "ST": "#E69F00"}


def svg(tables, path):
    w, row_h, left, top = 760, 26, 300, 40
    blocks = []
    y = top
    for title, t in tables:
        blocks.append(f'<text x="10" y="{y - 12}" font-weight="bold">{title}</text>')
        for _, r in t.iterrows():
            label = LEVERS[r["lever"]][2]
            blocks.append(f'<text x="10" y="{y + 12}">{label}</text>')
            for k, dy in (("S1", 2), ("ST", 13)):
                v = max(0.0, float(r[k]))
                c = float(r[k + "_conf"])
                x0, x1 = left, left + v * 400
                blocks.append(f'<rect x="{x0}" y="{y + dy}" width="{x1 - x0:.1f}" height="9" fill="{COLOURS[k]}"/>')
                lo, hi = left + max(0.0, v - c) * 400, left + min(1.2, v + c) * 400
                blocks.append(f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y + dy + 4.5}" y2="{y + dy + 4.5}" stroke="#000"/>')
            y += row_h
        y += 40
    axis = "".join(
        f'<line x1="{left + t * 400}" x2="{left + t * 400}" y1="{top - 8}" y2="{y - 40}" stroke="#ccc"/>'
        f'<text x="{left + t * 400 - 8}" y="{y - 26}" font-size="11">{f"{t:g}".replace(".", ",")}</text>'
        for t in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    legend = (f'<rect x="{left}" y="{y - 12}" width="12" height="9" fill="{COLOURS["S1"]}"/>'
              f'<text x="{left + 16}" y="{y - 4}" font-size="12">eerste-orde-index S1</text>'
              f'<rect x="{left + 170}" y="{y - 12}" width="12" height="9" fill="{COLOURS["ST"]}"/>'
              f'<text x="{left + 186}" y="{y - 4}" font-size="12">totale index ST (lijn: 95 %-interval)</text>')
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{y + 10}" font-family="sans-serif" font-size="13">'
        f'<title>Sobol-indices per beleidshefboom (demoregio Veerstad, synthetische data)</title>'
        + axis + "".join(blocks) + legend + "</svg>\n"
    )


def one_at_a_time(runs, seed, address):
    """Each lever alone at the low, middle and high value of its range, the others as in
    hefbomen.toml: the mean over runs of both outputs (the doc's "one at a time" figures)."""
    out = {}
    for key, (lo, hi, _) in LEVERS.items():
        values = [lo, hi] if key == "ingreep.0.aantal" else [lo, (lo + hi) / 2, hi]
        variants = [{key: v} for v in values]
        r = vk.sweep.run(str(HERE / "hefbomen.toml"), variants, runs=runs, seed=seed, address=address)
        last = r[(r.indicator == "hoogste_buurtaandeel_kwetsbaar") & (r.jaar == r.jaar.max())]
        share = last.groupby("variant")["waarde"].mean()
        wait = r[r.indicator == "wachttijd_kwetsbaar"].groupby("variant")["waarde"].mean()
        out[key] = [{"waarde": v, "hoogste_buurtaandeel_kwetsbaar": round(float(share[i]), 3),
                     "wachttijd_kwetsbaar": round(float(wait[i]), 2)} for i, v in enumerate(values)]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--address")
    ap.add_argument("--out", default=str(HERE.parents[1] / "docs" / "sobol-hefbomen"))
    a = ap.parse_args()
    bounds = {k: (lo, hi) for k, (lo, hi, _) in LEVERS.items()}
    variants = vk.sweep.saltelli(bounds, a.n, integers=["ingreep.0.aantal"], seed=a.seed)
    t = time.time()
    result = vk.sweep.run(str(HERE / "hefbomen.toml"), variants, runs=a.runs, seed=a.seed, address=a.address)
    secs = time.time() - t
    years = sorted(result["jaar"].unique())
    tables = []
    for ind, (title, agg) in OUTPUTS.items():
        s = vk.sweep.sobol(result, variants, bounds, ind, jaar=None if agg == "last" else years, seed=a.seed)
        tables.append((title, s))
    out = pathlib.Path(a.out)
    svg(tables, out.with_suffix(".svg"))
    summary = {"variants": len(variants), "runs": a.runs, "seconds": round(secs, 1),
               "where": "Ray cluster" if a.address else "one process",
               "results": {ind: t.round(4).to_dict(orient="records") for ind, (_, t) in zip(OUTPUTS, tables)},
               "een_voor_een": one_at_a_time(a.runs, a.seed, a.address)}
    out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
    for title, t in tables:
        print(title)
        print(t.round(3).to_string(index=False))
    print(f"{len(variants)} variants x {a.runs} runs in {secs:.1f} s ({a.address or 'one process'})")


if __name__ == "__main__":
    main()
