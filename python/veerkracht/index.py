"""The veerkracht index, its rank bands, the signal and the corporatiebuurt comparison."""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .workspace import Workspace

__all__ = ["compute", "rank_runs", "bands_from_ranks", "signal", "compare"]


def _frame(areas: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for a in areas:
        row = {
            "code": a["code"], "naam": a["name"], "gemeente": a["gemeente"],
            "corporatiebuurt": a["corporatiebuurt"], "status": a["status"],
            "reden": "; ".join(f"{e['reason']}: {e['detail']}" for e in a["exclusions"]) or None,
            "score": a["score"], "rang": a["rank"], "percentiel": a["percentile"], "klasse": a["class"],
            "dekking": a["coverage"], "betrouwbaar": a["reliable"], "vlaggen": a["flags"], "opmerking": a["note"],
        }
        for c in a["components"]:
            row[f"component_{c['component']}"] = c["score"]
        for c in a["contributions"]:
            row[f"{c['indicator']}_waarde"] = c["raw"]
            row[f"{c['indicator']}_bijdrage"] = c["contribution"]
            row[f"{c['indicator']}_p90"] = c["flag_p90"]
        rows.append(row)
    df = pd.DataFrame(rows)
    for c in df.columns:
        if c in ("score", "percentiel", "dekking") or c.startswith("component_") or c.endswith(("_waarde", "_bijdrage")):
            df[c] = df[c].astype("Float64")
    df["rang"] = df["rang"].astype("Int64")
    return df


def compute(ws: Workspace, definition: str | None = None, level: str | None = None, edition: int | None = None,
            runs: int = 0, seed: int = 1) -> pd.DataFrame:
    """The index per area: status, score, rank (scored areas only, 1 = most attention
    needed), percentile, class, component scores and per indicator the value, the
    contribution to the score (they add up to it) and the 90th-percentile flag — the columns
    of `veerkracht index --out`. `definition` is a path or TOML text (default: the shipped
    veerkracht-basis). `runs` > 0 adds Monte Carlo rank bands (`rang_mediaan`, `rang_p5`,
    `rang_p95`) as `veerkracht index --uncertainty RUNS --seed SEED`."""
    out = json.loads(ws._inner.index(definition, level, edition, runs, seed, 0))
    df = _frame(out["areas"])
    if out["bands"]:
        b = pd.DataFrame(out["bands"]).rename(columns={"median_rank": "rang_mediaan", "rank_p5": "rang_p5", "rank_p95": "rang_p95"})
        df = df.merge(b[["code", "rang_mediaan", "rang_p5", "rang_p95"]], on="code", how="left")
    df.attrs.update(edition=out["edition"], level=out["level"])
    return df


def rank_runs(ws: Workspace, run_start: int, run_end: int, definition: str | None = None, level: str | None = None,
              edition: int | None = None, seed: int = 1) -> tuple[list[str], np.ndarray]:
    """Ranks of the scored areas in Monte Carlo runs `run_start..run_end`: (codes, array runs
    × areas). Run r is the same in any split: shard the runs over processes or a Ray cluster
    (`veerkracht.sweep.index_bands`) and join them in order."""
    out = json.loads(ws._inner.index_runs(run_start, run_end, definition, level, edition, seed))
    return out["codes"], np.asarray(out["ranks"], dtype=np.uint32).reshape(run_end - run_start, len(out["codes"]))


def bands_from_ranks(codes: list[str], ranks: np.ndarray, nominal: pd.DataFrame) -> pd.DataFrame:
    """Rank bands (the 5th, 50th and 95th percentile over runs, linear between order
    statistics as the Rust engine computes them) from joined `rank_runs` shards."""
    q = np.quantile(np.asarray(ranks, dtype=np.float64), [0.05, 0.5, 0.95], axis=0, method="linear")
    b = pd.DataFrame({"code": codes, "rang_p5": q[0], "rang_mediaan": q[1], "rang_p95": q[2]})
    return nominal[["code", "rang"]].merge(b, on="code", how="inner")


def signal(ws: Workspace, from_edition: int, to_edition: int, definition: str | None = None, level: str = "buurt",
           tau: float | None = None) -> pd.DataFrame:
    """The veerkracht signal per area between two editions (vulnerability rising together
    with pressure), as `veerkracht signal --out` (`tau`: the dead band in standard
    deviations, default the definition's)."""
    s = json.loads(ws._inner.signal(from_edition, to_edition, definition, level, tau))
    df = pd.json_normalize(s["areas"])
    df.attrs.update({k: v for k, v in s.items() if k != "areas"})
    return df


def compare(ws: Workspace, edition: int | None = None, definition: str | None = None, threshold: float | None = None,
            seed: int = 1) -> dict[str, Any]:
    """Corporatiebuurten against the other buurten (bootstrap intervals, matched pairs), as
    `veerkracht compare --json`."""
    return json.loads(ws._inner.compare(edition, definition, threshold, seed))
