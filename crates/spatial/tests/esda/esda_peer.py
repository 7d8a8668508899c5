"""The reference side of crates/spatial/tests/esda.rs: libpysal weights and esda statistics on
the same polygons and values as veerkracht.

Usage: python esda_peer.py INPUT.json OUTPUT.json

INPUT: {"geojson": path, "id_property": "wijkcode", "codes": [...], "values": [...],
        "permutations": 999, "seed": 1, "rook": false}
The polygons are the GeoJSON features whose id_property is in codes, in the order of codes,
read with shapely from the raw coordinates (as geopandas would). Prints versions on stderr.
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")

import esda  # noqa: E402
import libpysal  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import shape  # noqa: E402


def main():
    inp = json.load(open(sys.argv[1]))
    gj = json.load(open(inp["geojson"]))
    prop = inp["id_property"]
    by_code = {f["properties"][prop]: f for f in gj["features"]}
    codes = inp["codes"]
    geoms = [shape(by_code[c]["geometry"]) for c in codes]
    y = np.asarray(inp["values"], dtype=float)
    perms = int(inp["permutations"])
    seed = int(inp["seed"])
    t0 = time.perf_counter()
    if inp.get("rook"):
        w = libpysal.weights.Rook.from_iterable(geoms, ids=codes)
    else:
        w = libpysal.weights.Queen.from_iterable(geoms, ids=codes)
    t_w = time.perf_counter() - t0
    neighbours = {c: sorted(w.neighbors[c]) for c in codes}
    w.transform = "R"
    t0 = time.perf_counter()
    np.random.seed(seed)
    m = esda.Moran(y, w, permutations=perms)
    t_m = time.perf_counter() - t0
    t0 = time.perf_counter()
    lm = esda.Moran_Local(y, w, permutations=perms, seed=seed, n_jobs=1)
    t_l = time.perf_counter() - t0
    t0 = time.perf_counter()
    g = esda.G_Local(y, w, transform="R", permutations=perms, star=False, seed=seed, n_jobs=1)
    gs = esda.G_Local(y, w, transform="R", permutations=perms, star=True, seed=seed, n_jobs=1)
    t_g = time.perf_counter() - t0

    def fl(a):
        return [None if not np.isfinite(x) else float(x) for x in np.asarray(a, dtype=float)]

    out = {
        "versions": {"esda": esda.__version__, "libpysal": libpysal.__version__,
                     "numpy": np.__version__, "shapely": shapely.__version__},
        "neighbours": neighbours,
        "islands": list(w.islands),
        "n_components": int(w.n_components),
        "s0": float(w.s0), "s1": float(w.s1), "s2": float(w.s2),
        "moran": {k: float(getattr(m, k)) for k in
                  ["I", "EI", "VI_norm", "seI_norm", "z_norm", "p_norm", "VI_rand",
                   "seI_rand", "z_rand", "p_rand", "p_sim", "EI_sim", "seI_sim", "z_sim",
                   "p_z_sim"]},
        "local": {"Is": fl(lm.Is), "q": [int(x) for x in lm.q], "p_sim": fl(lm.p_sim),
                  "EI_sim": fl(lm.EI_sim), "seI_sim": fl(lm.seI_sim), "z_sim": fl(lm.z_sim)},
        "g": {"Gs": fl(g.Gs), "EGs": fl(g.EGs), "VGs": fl(g.VGs), "Zs": fl(g.Zs),
              "p_norm": fl(g.p_norm), "p_sim": fl(g.p_sim)},
        "g_star": {"Gs": fl(gs.Gs), "EGs": fl(gs.EGs), "VGs": fl(gs.VGs), "Zs": fl(gs.Zs),
                   "p_norm": fl(gs.p_norm), "p_sim": fl(gs.p_sim)},
        "seconds": {"weights": t_w, "moran": t_m, "moran_local": t_l, "g_local_both": t_g},
    }
    json.dump(out, open(sys.argv[2], "w"))
    print(json.dumps(out["versions"]), file=sys.stderr)


if __name__ == "__main__":
    main()
