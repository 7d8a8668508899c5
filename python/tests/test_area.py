"""Areas from Python: the workspace's tables (NA with the reason), the index equal to the
CLI on the demo region and the real partial KWB 2024, rank bands in shards, spatial
statistics equal to esda."""
import csv
import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import veerkracht as vk
from conftest import cli, shared


@pytest.fixture(scope="module")
def demo():
    return vk.workspace.open()


@pytest.fixture(scope="module")
def real_ws(tmp_path_factory):
    kwb = shared("data/real/cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv")
    ben = shared("data/real/cbs-uitkeringen-buurt-2024-partial/uitkeringen_buurt_2024_partial.csv")
    path = tmp_path_factory.mktemp("ws") / "real.gpkg"
    out = vk.workspace.import_files(str(path), [str(kwb), str(ben)])
    assert len(out) >= 2 and all(o["imported"] for o in out)
    # the same files again change nothing
    assert not any(o["imported"] for o in vk.workspace.import_files(str(path), [str(kwb)]))
    return path, vk.workspace.open(str(path))


def cli_csv(args, tmp_path):
    out = tmp_path / "out.csv"
    subprocess.run([cli(), *args, "--out", out], check=True, capture_output=True)
    return list(csv.DictReader(out.open()))


def same_index(ours: pd.DataFrame, rows: list[dict]):
    assert len(ours) == len(rows)
    by = {r["code"]: r for r in rows}
    for _, a in ours.iterrows():
        r = by[a["code"]]
        assert a["status"] == r["status"]
        for col, theirs in (("score", "score"), ("percentiel", "percentile")):
            if r[theirs] == "":
                assert pd.isna(a[col])
            else:
                assert a[col] == pytest.approx(float(r[theirs]), abs=1e-9)
        assert (pd.isna(a["rang"]) and r["rank"] == "") or int(a["rang"]) == int(r["rank"])


def test_demo_table_and_index_equal_the_cli(demo, tmp_path):
    t = demo.table("buurt", 2024)
    assert t.attrs["synthetic"] and len(t) == 151
    rows = cli_csv(["index", "--edition", "2024"], tmp_path)
    same_index(vk.index.compute(demo, edition=2024), rows)


def test_real_kwb_2024_table_keeps_cbs_missing_apart_and_index_equals_the_cli(real_ws, tmp_path):
    path, ws = real_ws
    t = ws.table("buurt", 2024)
    assert len(t) == 8021
    reasons = pd.concat([t[c] for c in t.columns if c.endswith("__ontbreekt")]).dropna().value_counts()
    # CBS `.` and `x` are not zeros: they arrive as NA with the reason
    assert reasons.get("not_available", 0) > 1000 and reasons.get("suppressed", 0) > 100
    num = [c for c in t.columns if c + "__ontbreekt" in t.columns]
    for c in num[:40]:
        miss = t[c + "__ontbreekt"].notna()
        assert t.loc[miss, c].isna().all(), c
    ours = vk.index.compute(ws, edition=2024)
    assert (ours["status"] == "gescoord").sum() == 1949
    rows = cli_csv(["--workspace", path, "index", "--edition", "2024"], tmp_path)
    same_index(ours, rows)


def test_index_rank_bands_in_shards_equal_one_batch(demo):
    whole = vk.index.compute(demo, edition=2024, runs=40, seed=5)
    parts = [vk.index.rank_runs(demo, s, e, edition=2024, seed=5) for s, e in ((0, 13), (13, 40))]
    assert parts[0][0] == parts[1][0]
    ranks = np.vstack([p[1] for p in parts])
    b = vk.index.bands_from_ranks(parts[0][0], ranks, whole)
    m = whole.dropna(subset=["rang_mediaan"]).merge(b, on="code", suffixes=("", "_shards"))
    assert len(m) == len(b) > 100
    for c in ("rang_p5", "rang_mediaan", "rang_p95"):
        np.testing.assert_allclose(m[c].astype(float), m[c + "_shards"].astype(float), rtol=0, atol=1e-9)


def test_signal_and_compare_equal_the_cli(demo, tmp_path):
    s = vk.index.signal(demo, 2022, 2024)
    cli_json = json.loads(
        subprocess.run([cli(), "--json", "signal", "--from", "2022", "--to", "2024"], check=True,
                       capture_output=True, text=True).stdout
    )
    assert len(s) == len(cli_json["areas"]) > 100
    assert [None if pd.isna(q) else q for q in s["quadrant"]] == [a["quadrant"] for a in cli_json["areas"]]
    c = vk.index.compare(demo, edition=2024)
    cli_c = json.loads(
        subprocess.run([cli(), "--json", "compare", "corporatie", "--edition", "2024"], check=True,
                       capture_output=True, text=True).stdout
    )
    assert c["n_corp"] == cli_c["n_corp"] > 0
    assert c["variables"] == cli_c["variables"]


def test_spatial_equals_esda(demo):
    if os.environ.get("CI"):
        import esda
        import libpysal
    else:
        esda = pytest.importorskip("esda")
        libpysal = pytest.importorskip("libpysal")
    gdf = demo.geodataframe("buurt", 2024, ["a_inw", "p_wcorpw"])
    gdf = gdf[gdf["p_wcorpw"].notna() & gdf.geometry.notna()].reset_index(drop=True)
    w = vk.spatial.Weights.from_dataframe(gdf, ids="code")
    wq = libpysal.weights.Queen.from_dataframe(gdf, ids="code", use_index=False)
    assert [sorted(w.id_order[j] for j in nb) for nb in w.neighbours] == [
        sorted(wq.neighbors[i]) for i in w.id_order
    ]
    wq.transform = "R"
    y = gdf["p_wcorpw"].astype(float).to_numpy()
    ours, theirs = vk.spatial.Moran(y, w), esda.Moran(y, wq, permutations=0)
    for k in ("I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand"):
        assert getattr(ours, k) == pytest.approx(getattr(theirs, k), rel=1e-9, abs=1e-12), k
    lisa = vk.spatial.Moran_Local(y, w, permutations=0)
    el = esda.Moran_Local(y, wq, permutations=0)
    np.testing.assert_allclose(lisa.Is, el.Is, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(lisa.q, el.q)
    g = vk.spatial.G_Local(y, w, permutations=0)
    eg = esda.G_Local(y, wq, permutations=0)
    np.testing.assert_allclose(g.Gs, eg.Gs, rtol=1e-9)
    np.testing.assert_allclose(g.Zs, eg.Zs, rtol=1e-9)


def test_area_errors_are_clear(demo):
    with pytest.raises(vk.VeerkrachtError, match="level 'gebied'|level \"gebied\""):
        demo.table("gebied")
    with pytest.raises(vk.VeerkrachtError, match="edition 1999 has no buurten"):
        demo.table("buurt", 1999)
    with pytest.raises(vk.VeerkrachtError, match="cannot read"):
        vk.index.compute(demo, definition="geen-definitie.toml")
    with pytest.raises(vk.VeerkrachtError, match="not finite"):
        vk.spatial.Moran([1.0, float("nan")], vk.spatial.Weights([[1], [0]], ["a", "b"]))
