"""Scenario sweeps: a grid or a Sobol (Saltelli) design over scenario levers × runs, in one
process or fanned out over a Ray cluster, with the same result either way.

A sweep is a list of *variants* (each a dict of scenario overrides, see
`veerkracht.simulate`) and a number of runs. It is cut into tasks ``(variant, run range)``;
every task calls the Rust engine for its runs; the results are concatenated and sorted by
``(variant, run, jaar, indicator)``. Run r of every variant uses random stream r of the
sweep's seed (common random numbers across variants), so the merged result depends only on
the scenario, the variants, the runs and the seed: not on the number of workers, on how the
runs are cut into tasks, or on a task being run twice after a worker died.

Why Ray (ARCHITECTURE.md): the work is thousands of independent, CPU-bound calls into a
native library with small inputs and outputs, which is Ray's task model (retries on node
loss, a scheduler that needs no shared file system, `ray start` on each machine). Dask's
strength is partitioned dataframes and arrays, Spark's JVM-side SQL/shuffle; neither buys
anything here and both add their own serialisation layer around a Python call.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import _core
from .simulate import simulate

__all__ = ["grid", "saltelli", "tasks", "run", "write_parquet", "sobol", "index_bands"]

MAX_VARIANTS = 1_000_000
MAX_TASKS = 10_000_000


def grid(levers: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the levers' values, in a fixed order (the last lever varies fastest)."""
    keys = list(levers)
    for k in keys:
        if len(levers[k]) == 0:
            raise _core.VeerkrachtError(f"grid: lever {k!r} has no values")
    combos = list(itertools.product(*(levers[k] for k in keys)))
    if len(combos) > MAX_VARIANTS:
        raise _core.VeerkrachtError(f"grid: {len(combos)} variants, more than {MAX_VARIANTS}")
    return [dict(zip(keys, c)) for c in combos]


def _problem(bounds: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    for k, (lo, hi) in bounds.items():
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise _core.VeerkrachtError(f"saltelli: lever {k!r} needs finite bounds lo < hi, got ({lo}, {hi})")
    return {"num_vars": len(bounds), "names": list(bounds), "bounds": [list(b) for b in bounds.values()]}


def saltelli(
    bounds: Mapping[str, tuple[float, float]],
    n: int,
    integers: Sequence[str] = (),
    seed: int = 1,
) -> list[dict[str, Any]]:
    """A Saltelli design for first-order and total Sobol indices (SALib's Sobol sequence,
    ``N·(D+2)`` variants for `n` = N, a power of 2). Levers named in `integers` are rounded
    to whole numbers (counts such as new-build dwellings); the analysis uses the rounded values.
    """
    from SALib.sample import sobol as sobol_sample

    if n < 2 or n & (n - 1):
        raise _core.VeerkrachtError(f"saltelli: n = {n}; give a power of 2 (≥ 2)")
    problem = _problem(bounds)
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    out = []
    for row in x:
        v = {}
        for name, value in zip(problem["names"], row):
            v[name] = int(round(float(value))) if name in integers else float(value)
        out.append(v)
    return out


def tasks(n_variants: int, runs: int, shard_runs: int) -> list[tuple[int, int, int]]:
    """The tasks of a sweep: ``(variant index, first run, end run)``, `shard_runs` runs each."""
    if runs < 1 or shard_runs < 1:
        raise _core.VeerkrachtError(f"runs = {runs}, shard_runs = {shard_runs}: both must be ≥ 1")
    out = [
        (v, s, min(s + shard_runs, runs))
        for v in range(n_variants)
        for s in range(0, runs, shard_runs)
    ]
    if len(out) > MAX_TASKS:
        raise _core.VeerkrachtError(f"{len(out)} tasks, more than {MAX_TASKS}: raise shard_runs")
    return out


def _task(scenario: str, overrides: Mapping[str, Any], variant: int, seed: int, start: int, end: int) -> pd.DataFrame:
    df = simulate(scenario, runs=end - start, seed=seed, threads=1, overrides=overrides, run_start=start)
    df.insert(0, "variant", variant)
    return df


def _merge(parts: list[pd.DataFrame]) -> pd.DataFrame:
    df = pd.concat(parts, ignore_index=True)
    return df.sort_values(["variant", "run", "jaar", "indicator"], kind="mergesort", ignore_index=True)


def run(
    scenario: str,
    variants: Sequence[Mapping[str, Any]],
    runs: int = 20,
    seed: int = 1,
    shard_runs: int | None = None,
    address: str | None = None,
    max_retries: int = 5,
) -> pd.DataFrame:
    """Runs every variant `runs` times and returns the region metrics of every run and year:
    columns `variant` (index into `variants`), `run`, `jaar`, `indicator`, `waarde`.

    `address` None runs the tasks one after another in this process; otherwise the tasks go
    to the Ray cluster at `address` (``"auto"``, ``"127.0.0.1:6379"``, ``"ray://head:10001"``)
    as Ray tasks of one CPU each, retried up to `max_retries` times when a worker or node
    dies. `shard_runs` (default: all runs of a variant in one task) cuts each variant's runs
    into tasks. The result is the same in every case.
    """
    if not variants:
        raise _core.VeerkrachtError("sweep: no variants")
    if len(variants) > MAX_VARIANTS:
        raise _core.VeerkrachtError(f"sweep: {len(variants)} variants, more than {MAX_VARIANTS}")
    plan = tasks(len(variants), runs, shard_runs or runs)
    if address is None:
        parts = [_task(scenario, variants[v], v, seed, s, e) for v, s, e in plan]
        return _merge(parts)
    import ray

    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False)
    remote = ray.remote(num_cpus=1, max_retries=max_retries, retry_exceptions=False)(_task)
    scenario_ref = ray.put(scenario)
    refs = [remote.remote(scenario_ref, dict(variants[v]), v, seed, s, e) for v, s, e in plan]
    parts = ray.get(refs)
    return _merge(parts)


def write_parquet(result: pd.DataFrame, variants: Sequence[Mapping[str, Any]], path: str) -> None:
    """Writes a sweep's result as one Parquet dataset under `path`, partitioned by variant
    (``variant=K/part-0.parquet``), with the variant's overrides as columns. Same result →
    byte-identical files."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    levers = pd.DataFrame(list(variants))
    levers.insert(0, "variant", range(len(variants)))
    table = pa.Table.from_pandas(result.merge(levers, on="variant", how="left"), preserve_index=False)
    ds.write_dataset(
        table,
        path,
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("variant", pa.int64())]), flavor="hive"),
        existing_data_behavior="delete_matching",
        basename_template="part-{i}.parquet",
        use_threads=False,
    )


def sobol(
    result: pd.DataFrame,
    variants: Sequence[Mapping[str, Any]],
    bounds: Mapping[str, tuple[float, float]],
    indicator: str,
    jaar: int | Sequence[int] | None = None,
    seed: int = 1,
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with 95 % confidence intervals (SALib's
    bootstrap) of one metric from a `saltelli` sweep. The output per variant is the mean over
    runs and over `jaar` (one year, several, or None for the last year) of the metric.
    Returns one row per lever: `lever`, `S1`, `S1_conf`, `ST`, `ST_conf`."""
    from SALib.analyze import sobol as sobol_analyze

    problem = _problem(bounds)
    sel = result[result["indicator"] == indicator]
    if sel.empty:
        raise _core.VeerkrachtError(f"sobol: no metric {indicator!r} in the result")
    years = [int(sel["jaar"].max())] if jaar is None else ([jaar] if isinstance(jaar, int) else list(jaar))
    y = sel[sel["jaar"].isin(years)].groupby("variant")["waarde"].mean().reindex(range(len(variants)))
    if y.isna().any():
        raise _core.VeerkrachtError(f"sobol: {indicator!r} is undefined in {years} for some variants")
    s = sobol_analyze.analyze(problem, y.to_numpy(dtype=float), calc_second_order=False, seed=seed)
    return pd.DataFrame(
        {"lever": problem["names"], "S1": s["S1"], "S1_conf": s["S1_conf"], "ST": s["ST"], "ST_conf": s["ST_conf"]}
    )


_WORKSPACES: dict = {}


def _index_task(workspace: str | None, definition: str | None, level: str | None, edition: int | None, seed: int,
                start: int, end: int):
    from .index import rank_runs
    from .workspace import open as open_workspace

    if workspace not in _WORKSPACES:  # one load per worker process
        _WORKSPACES[workspace] = open_workspace(workspace)
    return rank_runs(_WORKSPACES[workspace], start, end, definition, level, edition, seed)


def index_bands(
    workspace: str | None,
    runs: int,
    seed: int = 1,
    shard_runs: int = 100,
    definition: str | None = None,
    level: str | None = None,
    edition: int | None = None,
    address: str | None = None,
    max_retries: int = 5,
) -> pd.DataFrame:
    """The index's Monte Carlo rank bands with the runs cut into tasks of `shard_runs` (in
    this process, or as Ray tasks at `address`), joined in run order: the same numbers as
    `veerkracht.index.compute(..., runs=runs, seed=seed)` (`workspace`: a .gpkg path, or
    None for the demo region). Columns `code`, `rang`, `rang_p5`, `rang_mediaan`, `rang_p95`."""
    import numpy as np

    from .index import bands_from_ranks, compute
    from .workspace import open as open_workspace

    plan = [(s, min(s + shard_runs, runs)) for s in range(0, runs, shard_runs)]
    args = (workspace, definition, level, edition, seed)
    if address is None:
        parts = [_index_task(*args, s, e) for s, e in plan]
    else:
        import ray

        if not ray.is_initialized():
            ray.init(address=address, log_to_driver=False)
        remote = ray.remote(num_cpus=1, max_retries=max_retries, retry_exceptions=False)(_index_task)
        parts = ray.get([remote.remote(*args, s, e) for s, e in plan])
    codes = parts[0][0]
    if any(p[0] != codes for p in parts):
        raise _core.VeerkrachtError("index shards disagree on the scored areas")
    nominal = compute(open_workspace(workspace), definition, level, edition)
    return bands_from_ranks(codes, np.vstack([p[1] for p in parts]), nominal)
