"""The veerkracht index and its Monte Carlo rank bands in numpy/pandas (bench/README.md).

The same computation as `veerkracht_index::{compute, uncertainty}` with veerkracht's defaults,
vectorised the way a competent analyst would write it:

- raw values: the transforms of the definition (value, per_1000, share, share_of_sum, log);
- COINr treatment per indicator: while |skew| > 2 and kurtosis > 3.5 (type-2 estimators)
  winsorise one more point on the skewed side (at most 5), else log(x - min + 1);
- normalisation against all areas of the level, oriented so that higher = more veerkracht:
  percentile rank (rank - 1)/(N - 1) with ties at the lower rank, z-score, min-max;
- arithmetic aggregation with re-weighting over what is present: a component needs at least
  `component_min_share` of its available weight, an area `min_coverage` of the indicators;
- nominal rank 1 = lowest score, ties at the lower rank; percentile, class, contributions,
  90th need-percentile flags (the same outputs as `compute`);
- Monte Carlo: per run Dirichlet weights (concentration 20 around the chosen weights, for the
  components and within every component), a normalisation drawn uniformly from
  {percentile, zscore, minmax} and a treatment from {none, coinr}; the 6 normalised matrices
  are computed once; every run is ranked; median / p5 / p95 rank per area (np.percentile,
  linear);
- Sobol (first-order and total, Saltelli/Jansen) of the mean absolute rank shift over the
  groups weights / normalisation / treatment, N = 200 (5 N = 1,000 more runs).

Usage:
    python bench/index_uncertainty.py KWB.csv DEFINITION.toml [RUNS] [RUST_CSV]

RUNS: timed repetitions per figure (default 5, at least 3). RUST_CSV (default
bench/out/index_rust.csv, written by crates/index/examples/bench_index.rs): the cross-check.
Prints `key=value` lines (milliseconds, agreement figures) on stdout.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import time
import tomllib

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE_COLUMNS = ["gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi"]
SENTINEL = -99_999_990.0
MAX_SKEW, MAX_KURT, MAX_WINSOR = 2.0, 3.5, 5
MC_RUNS, SOBOL_N, CONCENTRATION, SEED = 1000, 200, 20.0, 1
NORMALISATIONS = ["percentile", "zscore", "minmax"]
TREATMENTS = ["none", "coinr"]
LEVEL_PREFIX = {"land": "NL", "gemeente": "GM", "wijk": "WK", "buurt": "BU"}


# ----------------------------------------------------------------------------- input (untimed)

def catalogue_columns(path: str) -> dict[str, list[str]]:
    """Catalogue id -> the KWB column names it may appear under (kwb code, then aliases)."""
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes = [row["kwb"] or row["id"]]
            codes += [a.strip() for a in row["aliases"].split("|") if a.strip()]
            out[row["id"]] = codes
    return out


def load(path: str, definition: dict) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """Reads the KWB file; returns the area codes of the definition's level (sorted) and the
    numeric columns the definition needs, as float arrays with NaN for missing."""
    df = pd.read_csv(
        path, sep=";", decimal=",", dtype={c: str for c in CODE_COLUMNS},
        na_values=[".", "x", "-", "?", ""], keep_default_na=False, low_memory=False,
    )
    codes = df["gwb_code_10"].str.strip().str.upper()
    prefix = LEVEL_PREFIX[definition["level"]]
    keep = codes.str.startswith(prefix).to_numpy()
    df = df[keep].copy()
    df.index = codes[keep]
    df = df.sort_index()
    cat = catalogue_columns(os.path.join(ROOT, "data", "catalogue", "indicators.csv"))
    needed = set()
    for comp in definition["component"]:
        for ind in comp["indicator"]:
            needed.add(ind["source"])
            for part in (ind.get("denominator") or "").split("+"):
                if part.strip():
                    needed.add(part.strip())
    cols = {}
    for cid in sorted(needed):
        name = next((c for c in cat[cid] if c in df.columns), None)
        if name is None:
            cols[cid] = np.full(len(df), np.nan)
            continue
        x = pd.to_numeric(df[name], errors="coerce").to_numpy(dtype=float)
        x[x <= SENTINEL] = np.nan
        cols[cid] = x
    return df.index, cols


# ----------------------------------------------------------------------------- the method

def raw_matrix(definition: dict, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Raw values after the definition's transforms, [area, indicator], NaN = missing."""
    inds = [i for c in definition["component"] for i in c["indicator"]]
    out = np.empty((len(next(iter(cols.values()))), len(inds)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, ind in enumerate(inds):
            v = cols[ind["source"]]
            t = ind["transform"]
            if t == "value":
                x = v
            elif t == "log":
                x = np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
            else:
                d = 0.0
                for part in ind["denominator"].split("+"):
                    d = d + cols[part.strip()]
                x = v / d * (1000.0 if t == "per_1000" else 100.0)
                x = np.where(d > 0, x, np.nan)
            out[:, k] = x
    return out


def skew_kurt(v: np.ndarray) -> tuple[float, float]:
    """Type-2 sample skewness G1 and excess kurtosis G2 (Excel SKEW/KURT, e1071 type 2)."""
    n = v.size
    d = v - v.mean()
    m2 = (d * d).mean()
    if m2 == 0.0:
        return 0.0, 0.0
    g1 = (d ** 3).mean() / m2 ** 1.5
    g2 = (d ** 4).mean() / (m2 * m2) - 3.0
    skew = g1 * math.sqrt(n * (n - 1.0)) / (n - 2.0) if n >= 3 else 0.0
    kurt = ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)) if n >= 4 else 0.0
    return skew, kurt


def coinr(x: np.ndarray) -> np.ndarray:
    """COINr's default treatment of one column (NaN stays NaN)."""
    present = x[~np.isnan(x)]
    out = lambda v: (lambda s, k: abs(s) > MAX_SKEW and k > MAX_KURT)(*skew_kurt(v))  # noqa: E731
    if present.size < 4 or not out(present):
        return x
    v = np.sort(present)
    n = v.size
    low, high = -np.inf, np.inf
    for points in range(1, min(MAX_WINSOR, n - 1) + 1):
        if skew_kurt(v)[0] > 0.0:
            high = v[n - 1 - points]
            v[n - points:] = high
        else:
            low = v[points]
            v[:points] = low
        if not out(v):
            return np.clip(x, low, high)
    return np.log(np.maximum(x - present.min() + 1.0, np.finfo(float).tiny))


def percentile_rank(ref_sorted: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(rank - 1)/(N - 1), ties at the lower rank, against a sorted reference (0-1)."""
    n = ref_sorted.size
    if n <= 1:
        return np.full(x.shape, 0.5)
    return np.minimum(np.searchsorted(ref_sorted, x, side="left") / (n - 1), 1.0)


def oriented(raw: np.ndarray, sign: np.ndarray, treatment: str) -> np.ndarray:
    """Treated values, oriented so that higher = more veerkracht."""
    if treatment == "coinr":
        treated = np.column_stack([coinr(raw[:, k]) for k in range(raw.shape[1])])
    else:
        treated = raw
    return treated * sign


def normalise(y: np.ndarray, method: str) -> np.ndarray:
    """Normalised scores 0-100 (z-scores unbounded) against all areas; NaN stays NaN."""
    out = np.full(y.shape, np.nan)
    for k in range(y.shape[1]):
        col = y[:, k]
        ok = ~np.isnan(col)
        ref = np.sort(col[ok])
        if ref.size == 0:
            continue
        if method == "percentile":
            out[ok, k] = 100.0 * percentile_rank(ref, col[ok])
        elif method == "zscore":
            m, s = ref.mean(), ref.std()
            out[ok, k] = (col[ok] - m) / s if s > 0 else 0.0
        else:
            lo, hi = ref[0], ref[-1]
            out[ok, k] = 100.0 * (col[ok] - lo) / (hi - lo) if hi > lo else 50.0
    return out


def min_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = lowest score, ties at the lower rank, along the last axis of [run, area]; an
    area with no score in a run gets rank 1 (as veerkracht)."""
    n = scores.shape[1]
    order = np.argsort(scores, axis=1)
    s = np.take_along_axis(scores, order, axis=1)
    new = np.ones(s.shape, bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    first = np.maximum.accumulate(np.where(new, np.arange(n, dtype=np.int32), 0), axis=1)
    ranks = np.empty(order.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    ranks[np.isnan(scores)] = 1
    return ranks


class Index:
    """The definition, flattened."""

    def __init__(self, definition: dict):
        self.d = definition
        comps = definition["component"]
        inds = [i for c in comps for i in c["indicator"]]
        self.ids = [i["id"] for i in inds]
        self.w_ind = np.array([i["weight"] for i in inds], float)
        self.w_comp = np.array([c["weight"] for c in comps], float)
        self.comp_of = np.repeat(np.arange(len(comps)), [len(c["indicator"]) for c in comps])
        self.E = (self.comp_of[:, None] == np.arange(len(comps))[None, :]).astype(float)  # K x C
        self.comps = [np.flatnonzero(self.comp_of == c) for c in range(len(comps))]
        self.sign = np.array(
            [-1.0 if i["direction"] == "higher_is_worse" else 1.0 for i in inds])
        m = definition["method"]
        self.norm, self.treat = m["normalisation"], m["treatment"]
        self.min_cov, self.min_share = m["min_coverage"], m["component_min_share"]

    def compute(self, raw: np.ndarray) -> dict:
        """The nominal index: the outputs of veerkracht's `compute`."""
        available = ~np.all(np.isnan(raw), axis=0)
        y = oriented(raw, self.sign, self.treat)
        norm = normalise(y, self.norm)
        present = ~np.isnan(norm) & available
        v = np.where(present, norm, 0.0)
        pw = present * self.w_ind                      # present weight per indicator
        comp_w = pw @ self.E                           # [area, comp]
        comp_sum = (v * self.w_ind) @ self.E
        avail_w = (available * self.w_ind) @ self.E
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(avail_w > 0, comp_w / avail_w, 0.0)
            comp_ok = (comp_w > 0) & (share + 1e-12 >= self.min_share)
            comp_score = np.where(comp_ok, comp_sum / comp_w, np.nan)
            coverage = present.sum(1) / max(available.sum(), 1)
            wc = comp_ok * self.w_comp
            total_w = wc.sum(1)
            score = (np.where(comp_ok, comp_score, 0.0) * self.w_comp).sum(1) / total_w
        score[(coverage + 1e-12 < self.min_cov) | (total_w <= 0)] = np.nan
        scored = ~np.isnan(score)
        s_sorted = np.sort(score[scored])
        rank = np.full(score.shape, -1)
        rank[scored] = np.searchsorted(s_sorted, score[scored], side="left") + 1
        percentile = np.full(score.shape, np.nan)
        percentile[scored] = 100.0 * percentile_rank(s_sorted, score[scored])
        klass = np.digitize(percentile, [20, 40, 60, 80])
        # The "waarom": each indicator's points of the score.
        with np.errstate(divide="ignore", invalid="ignore"):
            comp_share = wc / total_w[:, None]
            contribution = comp_share[:, self.comp_of] * pw / comp_w[:, self.comp_of] * v
        contribution[~(present & scored[:, None] & comp_ok[:, self.comp_of])] = np.nan
        need = np.full(y.shape, np.nan)
        for k in range(y.shape[1]):
            ok = ~np.isnan(y[:, k])
            need[ok, k] = 100.0 * percentile_rank(np.sort(-y[ok, k]), -y[ok, k])
        flags = need >= 90.0
        return dict(score=score, rank=rank, percentile=percentile, klass=klass,
                    components=comp_score, contribution=contribution, need=need,
                    flags=flags, coverage=coverage, available=available)

    def matrices(self, raw: np.ndarray, scored: np.ndarray, available: np.ndarray):
        """The 6 normalised matrices [norm * T + treat], normalised against all areas and kept
        for the scored ones; per component (values with 0 for missing, presence as 0/1), each
        [indicator, area] so that a run's component sums are one matrix product."""
        out = []
        ys = {t: oriented(raw, self.sign, t) for t in TREATMENTS}
        for n in NORMALISATIONS:
            for t in TREATMENTS:
                x = normalise(ys[t], n)[scored]
                p = ~np.isnan(x) & available
                v = np.where(p, x, 0.0)
                out.append([(np.ascontiguousarray(v[:, ks].T),
                             np.ascontiguousarray(p[:, ks].T.astype(float)))
                            for ks in self.comps])
        return out

    def draws(self, rng: np.random.Generator, runs: int):
        """Dirichlet weights (components, and indicators within every component) and the
        normalisation x treatment choice of `runs` runs."""
        def dirichlet(w):
            g = rng.gamma(CONCENTRATION * w / w.sum(), 1.0, size=(runs, w.size))
            return g / g.sum(1, keepdims=True) * w.sum()
        w_comp = dirichlet(self.w_comp)
        w_ind = np.empty((runs, self.w_ind.size))
        for c in range(self.w_comp.size):
            ks = self.comp_of == c
            w_ind[:, ks] = dirichlet(self.w_ind[ks])
        choice = rng.integers(0, len(NORMALISATIONS), runs) * len(TREATMENTS) \
            + rng.integers(0, len(TREATMENTS), runs)
        return w_ind, w_comp, choice

    def run_ranks(self, mats, available, w_ind, w_comp, choice, chunk=100) -> np.ndarray:
        """Ranks [run, area] of the scored areas for every run: per group of runs that share a
        normalised matrix, one matrix product per component for the weighted sums."""
        n = mats[0][0][0].shape[1]
        ranks = np.empty((choice.size, n), dtype=np.int32)
        for m, comps in enumerate(mats):
            runs = np.flatnonzero(choice == m)
            for a in range(0, runs.size, chunk):
                rr = runs[a:a + chunk]
                w = w_ind[rr] * available                       # [run, K]
                num = np.zeros((rr.size, n))
                den = np.zeros((rr.size, n))
                with np.errstate(divide="ignore", invalid="ignore"):
                    for c, (ks, (vals, pres)) in enumerate(zip(self.comps, comps)):
                        wk = w[:, ks]
                        s = wk @ vals                           # [run, area]
                        ws = wk @ pres
                        ok = (ws > 0) & (ws / wk.sum(1, keepdims=True) + 1e-12 >= self.min_share)
                        wc = w_comp[rr, c][:, None]
                        num += np.where(ok, wc * s / ws, 0.0)
                        den += np.where(ok, wc, 0.0)
                    ranks[rr] = min_ranks(num / den)
        return ranks


def uncertainty(ix: Index, raw: np.ndarray, runs: int, seed: int, sobol_n: int):
    nominal = ix.compute(raw)
    scored = ~np.isnan(nominal["score"])
    available = nominal["available"]
    nominal_rank = nominal["rank"][scored]
    mats = ix.matrices(raw, scored, available)
    rng = np.random.default_rng(seed)
    w_ind, w_comp, choice = ix.draws(rng, runs)
    ranks = ix.run_ranks(mats, available, w_ind, w_comp, choice)
    p5, med, p95 = np.percentile(ranks, [5, 50, 95], axis=0)
    mean_shift = np.abs(ranks - nominal_rank).mean()
    out = dict(nominal=nominal, scored=scored, median=med, p5=p5, p95=p95,
               mean_shift=mean_shift)
    if sobol_n >= 2:
        a = ix.draws(np.random.default_rng([seed, 0xA5A5]), sobol_n)
        b = ix.draws(np.random.default_rng([seed, 0x5A5A]), sobol_n)
        f = lambda d: np.abs(ix.run_ranks(mats, available, *d) - nominal_rank).mean(1)  # noqa
        fa, fb = f(a), f(b)
        allf = np.concatenate([fa, fb])
        var = allf.var()
        sobol = {}
        nt = len(TREATMENTS)
        for name in ["gewichten", "normalisatie", "behandeling"]:
            w_i, w_c, ch = a[0].copy(), a[1].copy(), a[2].copy()
            if name == "gewichten":
                w_i, w_c = b[0], b[1]
            elif name == "normalisatie":
                ch = b[2] // nt * nt + a[2] % nt
            else:
                ch = a[2] // nt * nt + b[2] % nt
            fab = f((w_i, w_c, ch))
            s1 = np.mean(fb * (fab - fa)) / var if var > 0 else 0.0
            st = np.mean((fa - fab) ** 2) / 2.0 / var if var > 0 else 0.0
            sobol[name] = (s1, st)
        out["sobol"] = sobol
    return out


# ----------------------------------------------------------------------------- main

def timed(n: int, f):
    f()  # warm-up
    ms = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ms.append((time.perf_counter() - t) * 1e3)
    return float(np.median(ms)), float(min(ms))


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, def_path = sys.argv[1], sys.argv[2]
    n = max(int(sys.argv[3]) if len(sys.argv) > 3 else 5, 3)
    rust_csv = sys.argv[4] if len(sys.argv) > 4 else os.path.join(ROOT, "bench/out/index_rust.csv")
    with open(def_path, "rb") as f:
        definition = tomllib.load(f)
    codes, cols = load(path, definition)
    ix = Index(definition)

    # (a) the nominal index, from the loaded columns (as veerkracht's compute from a Dataset).
    compute_ms, compute_min = timed(n, lambda: ix.compute(raw_matrix(definition, cols)))
    raw = raw_matrix(definition, cols)
    # (b) 1,000 Monte Carlo runs; (c) + Sobol with N = 200.
    mc_ms, mc_min = timed(n, lambda: uncertainty(ix, raw_matrix(definition, cols), MC_RUNS, SEED, 0))
    full_ms, full_min = timed(n, lambda: uncertainty(ix, raw_matrix(definition, cols), MC_RUNS, SEED, SOBOL_N))
    res = uncertainty(ix, raw, MC_RUNS, SEED, SOBOL_N)
    nominal = res["nominal"]
    print(f"areas={len(codes)}")
    print(f"scored={int(res['scored'].sum())}")
    print(f"indicators={raw.shape[1]}")
    print(f"runs={n}")
    print(f"compute_ms={compute_ms:.1f}")
    print(f"compute_min_ms={compute_min:.1f}")
    print(f"uncertainty_ms={mc_ms:.1f}")
    print(f"uncertainty_min_ms={mc_min:.1f}")
    print(f"full_ms={full_ms:.1f}")
    print(f"full_min_ms={full_min:.1f}")
    print(f"mean_rank_shift={res['mean_shift']:.3f}")
    for name, (s1, st) in res["sobol"].items():
        print(f"sobol_{name}={s1:.4f},{st:.4f}")

    # ------------------------------------------------------------------ cross-check
    if not os.path.exists(rust_csv):
        print(f"no {rust_csv}: cross-check skipped", file=sys.stderr)
        return 0
    return cross_check(ix, raw, codes, res, rust_csv)


def cross_check(ix: Index, raw: np.ndarray, codes: pd.Index, res: dict, rust_csv: str) -> int:
    """Nominal scores must agree to 1e-9 (same definition, same method), under the
    definition's method and under each of the 6 Monte Carlo choices. The Monte Carlo bands
    come from different random streams, so they can only agree statistically: veerkracht's
    medians are compared with numpy's the way numpy seeds compare with each other."""
    rs = pd.read_csv(rust_csv, dtype={"code": str}).set_index("code")
    if not rs.index.equals(codes):
        missing = len(set(codes) ^ set(rs.index))
        print(f"MISMATCH: area sets differ ({missing} codes in one only)", file=sys.stderr)
        print("nominal_ok=false")
        return 1

    def score_diff(a, b):
        d = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b))
        return np.where(np.isnan(d), np.inf, d)

    nominal = res["nominal"]
    diff = score_diff(nominal["score"], rs["score"].to_numpy(float))
    rank_rs = rs["rank"].to_numpy(float)
    rank_py = np.where(nominal["rank"] > 0, nominal["rank"], np.nan)
    rank_bad = int((~((rank_py == rank_rs) | (np.isnan(rank_py) & np.isnan(rank_rs)))).sum())
    worst, bad = float(diff.max()), int((diff > 1e-9).sum())
    # The 6 method choices of the design (bench_index writes them next to RUST_CSV).
    variants = (rust_csv[:-4] if rust_csv.endswith(".csv") else rust_csv) + "_variants.csv"
    if os.path.exists(variants):
        rv = pd.read_csv(variants, dtype={"code": str}).set_index("code")
        norm, treat = ix.norm, ix.treat
        for n in NORMALISATIONS:
            for t in TREATMENTS:
                ix.norm, ix.treat = n, t
                d = score_diff(ix.compute(raw)["score"], rv[f"{n}_{t}"].to_numpy(float))
                worst, bad = max(worst, float(d.max())), bad + int((d > 1e-9).sum())
        ix.norm, ix.treat = norm, treat
        print("nominal_variants=6")
    else:
        print("nominal_variants=0")
    print(f"nominal_max_abs_diff={worst:.3g}")
    print(f"nominal_mismatches={bad}")
    print(f"nominal_rank_mismatches={rank_bad}")
    print(f"nominal_ok={'true' if bad == 0 else 'false'}")

    # Monte Carlo: numpy with seeds 1-4 against each other (the yardstick) and against veerkracht.
    sc = res["scored"]
    N = int(sc.sum())
    vk = {"median": rs["median_rank"].to_numpy(float)[sc],
          "p5": rs["rank_p5"].to_numpy(float)[sc], "p95": rs["rank_p95"].to_numpy(float)[sc]}
    runs = [res] + [uncertainty(ix, raw, MC_RUNS, SEED + i, 0) for i in (1, 2, 3)]
    np_ = [{"median": r["median"], "p5": r["p5"], "p95": r["p95"]} for r in runs]

    def stats(a, b):
        d = np.abs(a["median"] - b["median"])
        return (d.mean(), np.percentile(d, 95), (d <= 0.01 * N).mean() * 100,
                np.percentile(np.abs(a["p5"] - b["p5"]), 95),
                np.percentile(np.abs(a["p95"] - b["p95"]), 95))

    pairs_np = np.array([stats(np_[i], np_[j]) for i in range(4) for j in range(i + 1, 4)])
    pairs_vk = np.array([stats(vk, x) for x in np_])
    names = ["median_abs_diff_mean", "median_abs_diff_p95", "median_within_1pct",
             "p5_abs_diff_p95", "p95_abs_diff_p95"]
    for k, name in enumerate(names):
        print(f"vk_np_{name}={pairs_vk[:, k].mean():.1f}")
        print(f"np_np_{name}={pairs_np[:, k].mean():.1f}")
        print(f"np_np_{name}_range={pairs_np[:, k].min():.1f}-{pairs_np[:, k].max():.1f}")
    print(f"vk_np_median_corr={np.mean([np.corrcoef(vk['median'], x['median'])[0, 1] for x in np_]):.5f}")
    width_vk = (vk["p95"] - vk["p5"]).mean()
    widths = [(x["p95"] - x["p5"]).mean() for x in np_]
    print(f"vk_band_width_mean={width_vk:.0f}")
    print(f"np_band_width_mean_range={min(widths):.0f}-{max(widths):.0f}")
    print(f"np_mean_rank_shift_range={min(r['mean_shift'] for r in runs):.1f}-"
          f"{max(r['mean_shift'] for r in runs):.1f}")
    # Consistent: veerkracht differs from numpy no more than numpy seeds differ among
    # themselves (mean |difference of medians| within 1.5 x the numpy-numpy mean).
    ok = pairs_vk[:, 0].mean() <= 1.5 * pairs_np[:, 0].mean()
    print(f"mc_consistent={'true' if ok else 'false'}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
