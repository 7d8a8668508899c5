"""WWS (woningwaarderingsstelsel) valuation: the same engine and numbers as `veerkracht wws`."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from . import _core

__all__ = ["value", "value_frame", "value_flat", "variants"]


def _text(units: str | Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str:
    if isinstance(units, str):
        return units
    if isinstance(units, Mapping):
        return json.dumps(units)
    return "\n".join(json.dumps(u) for u in units)


def variants() -> list[str]:
    """The names of the shipped policy variants (data/wws/varianten/)."""
    return _core.wws_variants()


def value(
    units: str | Mapping[str, Any] | Iterable[Mapping[str, Any]],
    peildatum: str | None = None,
    variants: list[str] | None = None,
) -> list[dict[str, Any] | Exception]:
    """Values VERA units (`EenhedenEenheid`: JSON text, one dict or a list of dicts).

    Returns one result per unit, in order: the result as a dict (the reference package's
    `WoningwaarderingResultatenWoningwaarderingResultaat` shape, camelCase keys), or a
    `VeerkrachtError` for a unit that cannot be valued (the others still are).
    `peildatum` (YYYY-MM-DD, default 2026-07-01) picks the rules and tables; `variants`
    (shipped names or TOML texts) change the rules as `veerkracht wws --variant` does.
    """
    out: list[dict[str, Any] | Exception] = []
    for ok, payload in _core.wws_value(_text(units), peildatum, list(variants or [])):
        out.append(json.loads(payload) if ok else _core.VeerkrachtError(payload))
    return out


def value_frame(
    units: str | Mapping[str, Any] | Iterable[Mapping[str, Any]],
    peildatum: str | None = None,
    variants: list[str] | None = None,
) -> pd.DataFrame:
    """`value` as a DataFrame: one row per unit with `stelsel`, `punten`, `maximale_huur`,
    `huurprijsopslag`, one column of points per stelselgroep (`OVZ`, `OOZ`, … as the
    reference names them) and `fout` (the message, for a unit that could not be valued).
    """
    rows = []
    for r in value(units, peildatum, variants):
        if isinstance(r, Exception):
            rows.append({"fout": str(r)})
            continue
        row: dict[str, Any] = {
            "stelsel": r["stelsel"]["code"],
            "punten": r.get("punten"),
            "maximale_huur": r.get("maximaleHuur"),
            "huurprijsopslag": r.get("huurprijsopslag"),
            "fout": None,
        }
        for g in r.get("groepen", []):
            row[g["criteriumGroep"]["stelselgroep"]["code"]] = g.get("punten")
        rows.append(row)
    return pd.DataFrame(rows)


def value_flat(
    stock: "pd.DataFrame | str",
    peildatum: str | None = None,
    variants: list[str] | None = None,
    threads: int = 1,
) -> pd.DataFrame:
    """Values the flat portfolio form (one row per dwelling: the columns of
    `veerkracht wws --bulk FLAT.csv`, see docs/wws-schema.md) given as a DataFrame or CSV
    text, by the fast points-only path: `id`, `stelsel`, `punten`, `maximale_huur`,
    `huurprijsopslag`, `segment`, `fout`, and one column per stelselgroep. A row that cannot
    be read raises `VeerkrachtError` naming its line and column."""
    text = stock if isinstance(stock, str) else stock.to_csv(index=False)
    cols = _core.wws_flat(text, peildatum, list(variants or []), threads)
    df = pd.DataFrame(cols)
    for c in df.columns:
        if c not in ("id", "stelsel", "segment", "fout"):
            df[c] = df[c].astype("Float64")
    return df
