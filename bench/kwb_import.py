#!/usr/bin/env python3
"""pandas baseline for the KWB import benchmark (see bench/README.md).

Reads the national-size synthetic KWB CSV written by the demo generator and times, as the
median of N runs after one warm-up:

  read_csv      pandas.read_csv(sep=';', decimal=',', code/name columns as str,
                na_values=['.', 'x', '-'], keep_default_na=False) and nothing else.
  read+clean    what veerkracht's import does, done the pandas way (vectorised):
                - read_csv with the CBS symbols kept as text (with na_values the three
                  symbols all become NaN and can no longer be told apart; veerkracht keeps
                  why a value is missing, so the cleaning has to see them),
                - area codes stripped and upper-cased, checked (prefix + positions), level
                  derived from the prefix and checked against `recs`, duplicate codes refused,
                - every indicator cell → (value, reason): a number (decimal comma; a '.' in a
                  number is an error), '.' / '?' / blank → not available, 'x' → secret,
                  '-' → nil, sentinels <= -99,999,990 → not available; any other text is an
                  error, as in veerkracht,
                - columns without a number in the whole file → "not yet published", dropped,
                - "rounded" flag for counts at wijk/buurt level when the cell holds a number
                  (counts with declared rounding per data/catalogue/indicators.csv: the `a_`
                  columns except the hectare areas and a_woning; plain `a_` prefix when the
                  catalogue is not found),
                - a long table (area, indicator, value, reason, rounded), one row per cell,
                  like veerkracht's observations.

Prints one `key=value` line per figure (milliseconds: medians, and minima as `*_min_ms`) and the
counts of cells, missing reasons and rounded flags, so that bench/kwb_import.sh can read and
compare them with veerkracht's.

Usage: python bench/kwb_import.py FILE.csv [RUNS]
"""

from __future__ import annotations

import csv
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

# Identity columns of a KWB short-code CSV (veerkracht: ingest::rows::IDENTITY_COLUMNS).
IDENTITY = [
    "id", "jaar", "gwb_code_10", "gwb_code_8", "gwb_code", "regio", "gm_naam", "recs",
    "ind_wbi", "gm_code", "wk_code", "statcode", "statnaam", "naam", "periode", "perioden",
    "wk_naam", "bu_code", "bu_naam", "cbs_tabel", "ind_wijk",
]
TEXT_COLUMNS = ["gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code"]
CODE_COLUMN = "gwb_code_10"

# Missing reasons (veerkracht: dataset::Missing); 0 = the cell holds a number.
NUMBER, NOT_AVAILABLE, SECRET, NIL = 0, 1, 2, 3
REASON_NAMES = ["", "not_available", "secret", "nil"]

LEVEL_OF_PREFIX = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
LEVEL_WORDS = {
    "land": "land", "nederland": "land", "country": "land",
    "gemeente": "gemeente", "gemeenten": "gemeente", "gm": "gemeente", "municipality": "gemeente",
    "wijk": "wijk", "wijken": "wijk", "wk": "wijk", "district": "wijk",
    "buurt": "buurt", "buurten": "buurt", "bu": "buurt", "neighbourhood": "buurt",
}
CODE_PATTERN = r"NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4}"



def rounded_counts() -> frozenset[str] | None:
    """Columns that are counts with declared rounding, from veerkracht's own catalogue
    (data/catalogue/indicators.csv: unit `count` and a `rounding`), so that both sides flag the
    same cells; veerkracht embeds the catalogue at build time, so this is read once, untimed.
    None when the catalogue is not found: then every column starting with `a_` counts."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "data", "catalogue", "indicators.csv")
    if not os.path.exists(path):
        return None
    names = set()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["unit"] == "count" and row["rounding"].strip():
                names.add(row["kwb"])
                names.update(a for a in row["aliases"].split("|") if a)
    return frozenset(names)


ROUNDED_COUNTS = rounded_counts()


class CleaningError(Exception):
    pass


def read_only(path: str) -> pd.DataFrame:
    """The plain pandas read the issue asks for: CBS symbols become NaN."""
    return pd.read_csv(
        path,
        sep=";",
        decimal=",",
        dtype={c: str for c in TEXT_COLUMNS},
        na_values=[".", "x", "-"],
        keep_default_na=False,
        low_memory=False,  # one type per column (chunked inference can mix int and str)
    )


def read_keeping_symbols(path: str) -> pd.DataFrame:
    """One read for the cleaning: numeric columns are parsed by the C parser; columns holding a
    CBS symbol or a blank stay text (decimal comma not applied there) and are parsed below."""
    return pd.read_csv(
        path,
        sep=";",
        decimal=",",
        dtype={c: str for c in TEXT_COLUMNS},
        keep_default_na=False,
        na_values=[],
        low_memory=False,  # one type per column (chunked inference would mix int and str)
    )


def read_values(path: str) -> pd.DataFrame:
    """The cleaning's first read: like read_only, with blank, '?' and 'X' (also CBS symbols)
    added to na_values, so the C parser turns every clean indicator column into numbers."""
    return pd.read_csv(
        path,
        sep=";",
        decimal=",",
        dtype={c: str for c in TEXT_COLUMNS},
        na_values=[".", "x", "X", "-", "?", ""],
        keep_default_na=False,
        low_memory=False,
    )


def read_raw(path: str, columns: list[str]) -> pd.DataFrame:
    """The cleaning's second read: the raw text of the columns that hold a missing value, to
    tell '.', 'x' and '-' apart (na_values turned them all into NaN)."""
    return pd.read_csv(
        path,
        sep=";",
        usecols=columns,
        dtype=str,
        na_values=[],
        keep_default_na=False,
        low_memory=False,
    )


def reasons_of(text: pd.Series) -> np.ndarray:
    """Missing reasons of cells that read_values made NaN (few cells: plain string ops)."""
    s = text.str.strip()
    reasons = np.full(len(s), -1, dtype=np.int8)
    reasons[s.isin([".", "?", ""]).to_numpy()] = NOT_AVAILABLE
    reasons[s.isin(["x", "X"]).to_numpy()] = SECRET
    reasons[s.isin(["-"]).to_numpy()] = NIL
    return reasons


def clean_column(name: str, col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values float64, reasons int8) of one indicator column."""
    if col.dtype != object:
        values = col.to_numpy(dtype=np.float64)
        reasons = np.zeros(len(values), dtype=np.int8)
    else:
        s = col.str.strip()
        reasons = np.full(len(s), NUMBER, dtype=np.int8)
        reasons[s.isin([".", "?", ""]).to_numpy()] = NOT_AVAILABLE
        reasons[s.isin(["x", "X"]).to_numpy()] = SECRET
        reasons[s.isin(["-"]).to_numpy()] = NIL
        is_number = reasons == NUMBER
        text = s[is_number]
        if text.str.contains(".", regex=False).any():
            raise CleaningError(f"column {name}: a number uses '.' but this file uses a decimal comma")
        parsed = pd.to_numeric(text.str.replace(",", ".", n=1, regex=False), errors="coerce").to_numpy(
            dtype=np.float64
        )
        if np.isnan(parsed).any():
            row = int(np.flatnonzero(is_number)[np.flatnonzero(np.isnan(parsed))[0]])
            raise CleaningError(f"column {name}, data row {row + 1}: '{s.iloc[row]}' is not a number")
        values = np.full(len(s), np.nan)
        values[is_number] = parsed
    if not np.isfinite(values[reasons == NUMBER]).all():
        raise CleaningError(f"column {name}: a value is not a finite number")
    sentinel = values <= -99_999_990.0
    if sentinel.any():
        reasons[sentinel] = NOT_AVAILABLE
    values[reasons != NUMBER] = np.nan
    return values, reasons


def clean(df: pd.DataFrame, path: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Returns (areas, observations, unpublished columns).

    With `path`, `df` comes from read_values (symbols are NaN) and the raw text of the columns
    with NaN is read again to recover the reasons; without, `df` comes from
    read_keeping_symbols and every text column is parsed with string operations."""
    if CODE_COLUMN not in df.columns:
        raise CleaningError(f"no area code column {CODE_COLUMN}")
    codes = df[CODE_COLUMN].str.strip().str.upper()
    bad = ~codes.str.fullmatch(CODE_PATTERN, na=False)
    if bad.any():
        raise CleaningError(f"bad area code '{df[CODE_COLUMN][bad].iloc[0]}'")
    level = codes.str[:2].map(LEVEL_OF_PREFIX)
    if "recs" in df.columns:
        stated = df["recs"].str.strip().str.lower()
        stated_level = stated.map(LEVEL_WORDS)
        unknown = stated.ne("") & stated_level.isna()
        if unknown.any():
            raise CleaningError(f"unknown level '{df['recs'][unknown].iloc[0]}'")
        mismatch = stated.ne("") & stated_level.ne(level)
        if mismatch.any():
            raise CleaningError(f"level does not match code {codes[mismatch].iloc[0]}")
    dup = codes.duplicated()
    if dup.any():
        raise CleaningError(f"area {codes[dup].iloc[0]} appears twice")
    change = pd.to_numeric(df["ind_wbi"], errors="coerce") if "ind_wbi" in df.columns else None
    areas = pd.DataFrame(
        {
            "code": codes,
            "name": df["regio"].str.strip() if "regio" in df.columns else "",
            "level": pd.Categorical(level, categories=["land", "gemeente", "wijk", "buurt"]),
            "change": change,
        }
    )

    identity = {c.lower() for c in IDENTITY}
    indicator_cols = [c for c in df.columns if c.strip().lower() not in identity and c.strip()]
    raw = None
    if path is not None:
        with_nan = [c for c in indicator_cols if df[c].dtype == object or df[c].isna().any()]
        raw = read_raw(path, with_nan) if with_nan else None
    kept, values, reasons, unpublished = [], [], [], []
    for c in indicator_cols:
        col = df[c]
        if raw is not None and col.dtype != object:
            v = col.to_numpy(dtype=np.float64, copy=True)
            r = np.zeros(len(v), dtype=np.int8)
            nan = np.isnan(v)
            if nan.any():
                r[nan] = reasons_of(raw[c][nan])
                if (r < 0).any():  # NaN written as text: not a CBS symbol
                    row = int(np.flatnonzero(r < 0)[0])
                    raise CleaningError(f"column {c}, data row {row + 1}: '{raw[c].iloc[row]}' is not a number")
            if np.isinf(v).any():
                raise CleaningError(f"column {c}: a value is not a finite number")
            sentinel = v <= -99_999_990.0
            if sentinel.any():
                r[sentinel] = NOT_AVAILABLE
                v[sentinel] = np.nan
        else:
            # Text column (stray spaces, or a bad cell to report): the string path on raw text.
            v, r = clean_column(c, raw[c] if raw is not None else col)
        if not (r == NUMBER).any() and not (r == SECRET).any() and not (r == NIL).any():
            unpublished.append(c)  # only '.' and blanks: not yet published
            continue
        kept.append(c)
        values.append(v)
        reasons.append(r)

    n_areas, n_ind = len(df), len(kept)
    value_matrix = np.column_stack(values)  # areas × indicators
    reason_matrix = np.column_stack(reasons)
    if ROUNDED_COUNTS is None:
        is_count = np.array([c.startswith("a_") for c in kept])
    else:
        is_count = np.array([c in ROUNDED_COUNTS for c in kept])
    sub_gemeente = level.isin(["wijk", "buurt"]).to_numpy()
    rounded = sub_gemeente[:, None] & is_count[None, :] & (reason_matrix == NUMBER)

    # Long table, area-major (the order of veerkracht's observations).
    observations = pd.DataFrame(
        {
            # Area codes as a categorical (veerkracht's AreaCode is a small Copy value too).
            "area": pd.Categorical.from_codes(np.repeat(np.arange(n_areas), n_ind), categories=codes),
            "indicator": pd.Categorical.from_codes(np.tile(np.arange(n_ind), n_areas), categories=kept),
            "value": value_matrix.ravel(),
            "reason": pd.Categorical.from_codes(reason_matrix.ravel(), categories=REASON_NAMES),
            "rounded": rounded.ravel(),
        }
    )
    return areas, observations, unpublished


def median_ms(fn, runs: int) -> tuple[float, list[float], object]:
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), times, result


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: kwb_import.py FILE.csv [RUNS]", file=sys.stderr)
        return 2
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    if runs < 7:
        print("RUNS must be at least 7", file=sys.stderr)
        return 2

    read_med, read_times, df = median_ms(lambda: read_only(path), runs)
    rows, cols = df.shape

    try:
        # Main figure: read with na_values (C parser) + raw text of the columns with NaN.
        full_med, full_times, (areas, obs, unpublished) = median_ms(
            lambda: clean(read_values(path), path), runs
        )
        # Variant: one read keeping the symbols as text, string operations on those columns.
        text_med, text_times, (_, obs_text, _) = median_ms(
            lambda: clean(read_keeping_symbols(path)), runs
        )
    except CleaningError as e:
        print(f"cleaning failed: {e}", file=sys.stderr)
        return 1
    # Both cleaning paths must give the same long table.
    same = (
        len(obs) == len(obs_text)
        and (obs["reason"].cat.codes.to_numpy() == obs_text["reason"].cat.codes.to_numpy()).all()
        and np.array_equal(obs["value"].to_numpy(), obs_text["value"].to_numpy(), equal_nan=True)
        and (obs["rounded"].to_numpy() == obs_text["rounded"].to_numpy()).all()
    )
    if not same:
        print("the two cleaning paths disagree", file=sys.stderr)
        return 1

    counts = obs["reason"].value_counts()
    print(
        f"pandas {pd.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}; "
        f"{runs} runs after a warm-up",
        file=sys.stderr,
    )
    print(
        f"{rows} rows x {cols} columns -> {len(areas)} areas, {len(obs)} observations "
        f"({counts.get('not_available', 0)} not available, {counts.get('secret', 0)} secret, "
        f"{counts.get('nil', 0)} nil, {int(obs['rounded'].sum())} rounded), "
        f"{len(unpublished)} unpublished column(s)",
        file=sys.stderr,
    )
    for label, times in [
        ("read_csv", read_times),
        ("read+clean", full_times),
        ("read+clean (string ops)", text_times),
    ]:
        print(f"{label} runs ms: {' '.join(f'{t:.0f}' for t in times)}", file=sys.stderr)
    print(f"rows={rows}")
    print(f"cols={cols}")
    print(f"observations={len(obs)}")
    print(f"not_available={counts.get('not_available', 0)}")
    print(f"secret={counts.get('secret', 0)}")
    print(f"nil={counts.get('nil', 0)}")
    print(f"rounded={int(obs['rounded'].sum())}")
    print(f"read_csv_ms={read_med:.1f}")
    print(f"read_clean_ms={full_med:.1f}")
    print(f"read_clean_string_ops_ms={text_med:.1f}")
    print(f"read_csv_min_ms={min(read_times):.1f}")
    print(f"read_clean_min_ms={min(full_times):.1f}")
    print(f"read_clean_string_ops_min_ms={min(text_times):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
