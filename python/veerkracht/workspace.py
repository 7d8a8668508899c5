"""The workspace: areas, indicator values and shapes per edition, as (Geo)DataFrames."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import _core

__all__ = ["Workspace", "open", "import_files"]

MISSING_SUFFIX = "__ontbreekt"
RELIABILITY_SUFFIX = "__betrouwbaarheid"


class Workspace:
    """A loaded workspace (`veerkracht.gpkg`) or the embedded demo region.

    >>> ws = veerkracht.workspace.open()            # the demo region Veerstad (synthetic)
    >>> ws.table("buurt", 2024)                     # one row per buurt, NA where CBS has no number
    """

    def __init__(self, inner: _core.Workspace):
        self._inner = inner

    @property
    def origin(self) -> str:
        """`demo` or the file it was opened from."""
        return self._inner.origin

    @property
    def synthetic(self) -> bool:
        """True when any source is synthetic demo data."""
        return self._inner.synthetic

    def editions(self) -> list[int]:
        """The editions (years) present."""
        return list(self._inner.editions())

    def table(self, level: str = "buurt", edition: int | None = None, indicators: Sequence[str] | None = None,
              reasons: bool = True) -> pd.DataFrame:
        """One row per area of `level` in `edition` (default: the latest with that level).

        Columns: `code`, `naam`, `gemeente`, then each indicator as a nullable float (NA
        where there is no number — never 0) and, with `reasons`, `{id}__ontbreekt` (why, the
        workspace's stable names: `not_available` for CBS `.`, `secret` for `x`, `nil` for `-`,
        `not_yet_published`, `suppressed`) and `{id}__betrouwbaarheid` (`afgerond`,
        `kleine_noemer`). `df.attrs` holds `edition`, `level` and `synthetic`.
        """
        ed, cols = self._inner.table(level, edition, list(indicators) if indicators else None)
        df = pd.DataFrame(cols)
        for c in df.columns:
            if c in ("code", "naam", "gemeente") or c.endswith(MISSING_SUFFIX) or c.endswith(RELIABILITY_SUFFIX):
                continue
            df[c] = df[c].astype("Float64")
        if not reasons:
            df = df[[c for c in df.columns if not (c.endswith(MISSING_SUFFIX) or c.endswith(RELIABILITY_SUFFIX))]]
        df.attrs.update(edition=ed, level=level, synthetic=self.synthetic)
        return df

    def geojson(self, level: str = "buurt", edition: int | None = None, indicators: Sequence[str] | None = None) -> dict[str, Any]:
        """The areas with their indicators as a GeoJSON FeatureCollection (WGS84), as
        `veerkracht export --format geojson` writes it."""
        return json.loads(self._inner.geojson(level, edition, list(indicators) if indicators else None))

    def geodataframe(self, level: str = "buurt", edition: int | None = None, indicators: Sequence[str] | None = None,
                     crs: str = "EPSG:28992"):
        """A geopandas GeoDataFrame of the areas: the `table` columns plus `geometry`, in RD
        New (EPSG:28992, metres; the default) or WGS84 (`crs="EPSG:4326"`). Needs geopandas."""
        import geopandas as gpd

        fc = self.geojson(level, edition, indicators)
        shapes = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")[["code", "geometry"]]
        df = self.table(level, edition, indicators)
        gdf = gpd.GeoDataFrame(df.merge(shapes, on="code", how="left"), geometry="geometry", crs="EPSG:4326")
        gdf.attrs.update(df.attrs)
        return gdf if crs == "EPSG:4326" else gdf.to_crs(crs)

    def __repr__(self) -> str:
        return f"Workspace({self.origin!r}, editions={self.editions()})"


def open(path: str | None = None) -> Workspace:  # noqa: A001 - mirrors the CLI's --workspace
    """Opens a workspace file, or the embedded demo region when `path` is None."""
    return Workspace(_core.Workspace.open(path))


def import_files(path: str, files: Sequence[str], edition: int | None = None) -> list[dict[str, Any]]:
    """Imports files into the workspace file `path` (made when missing), as `veerkracht import`;
    returns what each source added. Same file twice: nothing changes."""
    return [json.loads(o) for o in _core.Workspace.import_files(path, [str(f) for f in files], edition)]
