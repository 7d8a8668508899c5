"""Spatial weights and statistics with esda's attribute names, so code can switch.

>>> w = veerkracht.spatial.Weights.from_dataframe(gdf, ids="code")      # queen contiguity
>>> m = veerkracht.spatial.Moran(gdf["wmo_per_1000"], w)                 # m.I, m.p_sim, m.z_sim …
>>> lisa = veerkracht.spatial.Moran_Local(gdf["wmo_per_1000"], w)        # lisa.Is, lisa.q, lisa.p_sim …
"""
from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

from . import _core

__all__ = ["Weights", "Moran", "Moran_Local", "G_Local"]


class Weights:
    """Spatial weights: ids and neighbour lists (binary), transformed on use (`transform`,
    default "R" row-standardised, as esda's statistics set it)."""

    def __init__(self, neighbours: Sequence[Sequence[int]], ids: Sequence[str], transform: str = "R"):
        self.neighbours = [list(map(int, nb)) for nb in neighbours]
        self.id_order = [str(i) for i in ids]
        self.transform = transform
        if len(self.neighbours) != len(self.id_order):
            raise _core.VeerkrachtError(f"{len(self.id_order)} ids for {len(self.neighbours)} neighbour lists")

    @property
    def n(self) -> int:
        return len(self.id_order)

    @property
    def islands(self) -> list[str]:
        return [i for i, nb in zip(self.id_order, self.neighbours) if not nb]

    @classmethod
    def from_dataframe(cls, gdf, ids: str | None = None, rule: str = "queen", tolerance: float = 0.0) -> "Weights":
        """Contiguity weights of a GeoDataFrame's polygons: `rule` queen (a shared vertex) or
        rook (a shared edge), exactly as libpysal's `Queen/Rook.from_dataframe`, or within
        `tolerance` metres (give a projected CRS such as EPSG:28992)."""
        import shapely

        wkb = [bytes(b) for b in shapely.to_wkb(gdf.geometry.values)]
        labels = gdf[ids].astype(str).tolist() if ids else [str(i) for i in gdf.index]
        return cls(_core.contiguity(wkb, rule, tolerance), labels)


def _y(y) -> list[float]:
    a = np.asarray(y, dtype=np.float64)
    return a.tolist()


class Moran:
    """Global Moran's I with esda's attributes: `I`, `EI`, `VI_norm`, `seI_norm`, `z_norm`,
    `p_norm`, `VI_rand`, `seI_rand`, `z_rand`, `p_rand`, `p_sim`, `EI_sim`, `VI_sim`,
    `seI_sim`, `z_sim`, `p_z_sim`, `permutations`, `n`."""

    def __init__(self, y, w: Weights, transform: str | None = None, permutations: int = 999, seed: int = 12345):
        r = json.loads(_core.moran(_y(y), w.id_order, w.neighbours, transform or w.transform, permutations, seed))
        for k, v in r.items():
            setattr(self, k, np.nan if v is None else v)


class Moran_Local:  # noqa: N801 - esda's name
    """Local Moran (LISA) with esda's attributes: `Is`, `q` (1 HH, 2 LH, 3 LL, 4 HL),
    `p_sim`, `EI_sim`, `seI_sim`, `VI_sim`, `z_sim`, `p_z_sim`, `z`, `permutations`; plus
    `significant` and `island`."""

    def __init__(self, y, w: Weights, transform: str | None = None, permutations: int = 999, seed: int = 12345,
                 alpha: float = 0.05):
        r = json.loads(_core.moran_local(_y(y), w.id_order, w.neighbours, transform or w.transform, permutations, seed, alpha))
        self.n = r["n"]
        self.permutations = r["permutations"]
        self.Is = np.asarray(r["is"], dtype=float)
        self.q = np.asarray(r["q"], dtype=int)
        self.z = np.asarray(r["z"], dtype=float)
        self.lag = np.asarray(r["lag"], dtype=float)
        sim = r["sim"]
        f = lambda k: np.asarray([np.nan if s[k] is None else s[k] for s in sim], dtype=float)  # noqa: E731
        self.p_sim, self.EI_sim, self.seI_sim, self.z_sim, self.p_z_sim = (f(k) for k in ("p_sim", "e_sim", "se_sim", "z_sim", "p_z_sim"))
        self.VI_sim = self.seI_sim ** 2
        self.significant = np.asarray(r["significant"], dtype=bool)
        self.island = np.asarray(r["island"], dtype=bool)


class G_Local:  # noqa: N801 - esda's name
    """Local G (Getis-Ord; `star=True` for G*) with esda's attributes: `Gs`, `EGs`, `VGs`,
    `Zs`, `p_norm`, `p_sim`, `z_sim`, `p_z_sim`."""

    def __init__(self, y, w: Weights, transform: str = "R", star: bool = False, permutations: int = 999,
                 seed: int = 12345, alpha: float = 0.05):
        r = json.loads(_core.g_local(_y(y), w.id_order, w.neighbours, transform, star, permutations, seed, alpha))
        for k, name in (("gs", "Gs"), ("egs", "EGs"), ("vgs", "VGs"), ("zs", "Zs"), ("p_norm", "p_norm")):
            setattr(self, name, np.asarray([np.nan if v is None else v for v in r[k]], dtype=float))
        sim = r["sim"]
        f = lambda k: np.asarray([np.nan if s[k] is None else s[k] for s in sim], dtype=float)  # noqa: E731
        self.p_sim, self.z_sim, self.p_z_sim = f("p_sim"), f("z_sim"), f("p_z_sim")
        self.significant = np.asarray(r["significant"], dtype=bool)
