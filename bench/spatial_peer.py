"""esda/libpysal side of bench/spatial.sh: times Queen weights, Moran (999 permutations),
Moran_Local and G_Local (Gi and Gi*) on the input written by the bench_spatial example.

Usage: python bench/spatial_peer.py INPUT.json [RUNS]
Prints key=value lines (milliseconds, median of RUNS after a warm-up that also compiles
numba's functions).
"""
import json
import statistics
import sys
import time
import warnings

warnings.simplefilter("ignore")

import esda  # noqa: E402
import libpysal  # noqa: E402
import numpy as np  # noqa: E402
from shapely.geometry import shape  # noqa: E402

try:
    import numba  # noqa: F401

    HAVE_NUMBA = True
except ImportError:
    HAVE_NUMBA = False


def timed(runs, f):
    f()
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t) * 1e3)
    return statistics.median(ts)


def main():
    inp = json.load(open(sys.argv[1]))
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    gj = json.load(open(inp["geojson"]))
    by = {f["properties"][inp["id_property"]]: f for f in gj["features"]}
    codes = inp["codes"]
    geoms = [shape(by[c]["geometry"]) for c in codes]
    y = np.asarray(inp["values"], dtype=float)
    p = int(inp["permutations"])
    t_w = timed(runs, lambda: libpysal.weights.Queen.from_iterable(geoms, ids=codes, silence_warnings=True))
    w = libpysal.weights.Queen.from_iterable(geoms, ids=codes, silence_warnings=True)
    w.transform = "R"
    t_m = timed(runs, lambda: esda.Moran(y, w, permutations=p))
    t_l = timed(runs, lambda: esda.Moran_Local(y, w, permutations=p, seed=1, n_jobs=1))
    t_g = timed(runs, lambda: (esda.G_Local(y, w, transform="R", permutations=p, star=False, seed=1, n_jobs=1),
                               esda.G_Local(y, w, transform="R", permutations=p, star=True, seed=1, n_jobs=1)))
    print(f"numba={HAVE_NUMBA}")
    print(f"esda={esda.__version__}")
    print(f"weights_ms={t_w:.2f}")
    print(f"moran_ms={t_m:.2f}")
    print(f"lisa_1t_ms={t_l:.2f}")
    print(f"gi_both_1t_ms={t_g:.2f}")


if __name__ == "__main__":
    main()
