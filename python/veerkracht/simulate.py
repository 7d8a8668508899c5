"""The allocation microsimulation: the same engine and numbers as `veerkracht simulate`."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from . import _core

__all__ = ["simulate", "simulate_summary", "compare"]


def simulate(
    scenario: str,
    runs: int = 20,
    seed: int = 1,
    threads: int = 1,
    overrides: Mapping[str, Any] | None = None,
    run_start: int = 0,
) -> pd.DataFrame:
    """Runs `run_start .. run_start + runs` of a scenario and returns its region metrics per run.

    `scenario` is a shipped name (`veerkracht.scenarios()`), a path to a scenario TOML, or the
    TOML text itself. `overrides` sets scenario keys by dotted name before validation, e.g.
    ``{"toewijzing.loting": 0.2, "spreiding.max_aandeel": 0.15, "ingreep.0.aantal": 60}``.
    Run r uses random stream r of `seed`: the rows of run r are the same whatever the
    threads, and whether it is computed alone or with others.

    Returns a long DataFrame: `run`, `jaar`, `indicator`, `waarde` (NA when undefined, e.g. a
    waiting time in a year without placements).
    """
    cols = _core.simulate_runs(scenario, run_start, run_start + runs, seed, threads, dict(overrides or {}))
    df = pd.DataFrame({k: cols[k] for k in ("run", "jaar", "indicator", "waarde")})
    df["waarde"] = df["waarde"].astype("Float64")
    df["run"] = df["run"].astype("int64")
    df["jaar"] = df["jaar"].astype("int64")
    return df


def simulate_summary(
    scenario: str,
    runs: int = 200,
    seed: int = 1,
    threads: int = 1,
    overrides: Mapping[str, Any] | None = None,
    min_cel: int | None = None,
    per_buurt: bool = False,
) -> pd.DataFrame:
    """Quantiles over runs, as `veerkracht simulate --out` writes them: `jaar`, `code`
    (`regio`, or a buurtcode with `per_buurt`), `naam`, `indicator`, `p5`, `p50`, `p95`,
    `gemiddelde`, `afgeschermd`.

    The CLI's small-cell rule applies (`min_cel`, default its `--min-cel`): a figure that rests
    on fewer simulated households, dwellings or lettings has no quantiles and `afgeschermd` says
    why (per-run values of buurten are never handed out).
    """
    rows = _core.simulate_summary(scenario, runs, seed, threads, dict(overrides or {}), min_cel, per_buurt)
    return pd.DataFrame(
        rows, columns=["jaar", "code", "naam", "indicator", "p5", "p50", "p95", "gemiddelde", "afgeschermd"]
    )


def compare(
    a: str,
    b: str,
    runs: int = 200,
    seed: int = 1,
    threads: int = 1,
    overrides_a: Mapping[str, Any] | None = None,
    overrides_b: Mapping[str, Any] | None = None,
    min_cel: int | None = None,
    per_buurt: bool = False,
) -> pd.DataFrame:
    """Scenario B against A with the same runs and seed (common random numbers), as
    `veerkracht simulate compare A B`: `jaar`, `code`, `naam`, `indicator`, `a_p50`, `b_p50`,
    `verschil_p5`, `verschil_p50`, `verschil_p95`, `verschil_gemiddelde` (of the per-run
    difference B − A), `zeker` (its 90 % interval excludes 0), `afgeschermd`."""
    rows = _core.simulate_compare(
        a, b, runs, seed, threads, dict(overrides_a or {}), dict(overrides_b or {}), min_cel, per_buurt
    )
    return pd.DataFrame(
        rows,
        columns=["jaar", "code", "naam", "indicator", "a_p50", "b_p50", "verschil_p5", "verschil_p50",
                 "verschil_p95", "verschil_gemiddelde", "zeker", "afgeschermd"],
    )
