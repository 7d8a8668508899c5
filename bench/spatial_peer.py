"""esda/libpysal side of bench/spatial.sh: times Queen weights (libpysal 4.14.1, from shapely
geometries already in memory) and Moran_Local (esda 2.9.0, numba, n_jobs=1, warmed up) on the
inputs the bench_spatial example wrote.

Usage: python bench/spatial_peer.py NAME INPUT.json [RUNS]
Prints NAME_key=value lines (milliseconds, median of RUNS after a warm-up).
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
    name, path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    inp = json.load(open(path))
    gj = json.load(open(inp["geojson"]))
    by = {f["properties"][inp["id_property"]]: f for f in gj["features"]}
    codes = inp["codes"]
    geoms = [shape(by[c]["geometry"]) for c in codes]
    y = np.asarray(inp["values"], dtype=float)
    p = int(inp["permutations"])

    def weights():
        w = libpysal.weights.Queen.from_iterable(geoms, ids=codes, silence_warnings=True)
        w.transform = "R"
        return w

    t_w = timed(runs, weights)
    w = weights()
    t_l = timed(runs, lambda: esda.Moran_Local(y, w, permutations=p, seed=1, n_jobs=1))
    print(f"numba={HAVE_NUMBA}")
    print(f"esda={esda.__version__}")
    print(f"{name}_n={len(codes)}")
    print(f"{name}_weights_ms={t_w:.2f}")
    print(f"{name}_lisa_1t_ms={t_l:.2f}")


if __name__ == "__main__":
    main()
