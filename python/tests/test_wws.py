"""WWS from Python: the 337 reference fixtures, the CLI's numbers, variants, errors."""
import json
import subprocess

import pandas as pd

import pytest

import veerkracht as vk
from conftest import REPO, cli, shared


def fixture_pairs():
    root = shared("peers/woningwaardering/fixtures/tests/data")
    pairs = []
    for st in ("zelfstandige_woonruimten", "onzelfstandige_woonruimten"):
        for out in sorted((root / st).glob("**/output/*.json")):
            inp = out.parent.parent / "input" / out.name
            if inp.exists():
                pairs.append((st, out.parent.parent != root / st, inp, out))
    return pairs


def test_the_337_reference_fixtures():
    pairs = fixture_pairs()
    assert len(pairs) == 337
    bad = []
    for st, per_group, inp, out in pairs:
        unit = json.loads(inp.read_text())
        unit.setdefault("woningwaarderingstelsel", {"code": "ONZ" if st.startswith("onz") else "ZEL"})
        [r] = vk.wws.value(unit, peildatum="2026-07-01")
        expected = json.loads(out.read_text())
        if isinstance(r, Exception):
            bad.append(f"{inp}: {r}")
            continue
        ours = {g["criteriumGroep"]["stelselgroep"]["code"]: g.get("punten") for g in r["groepen"]}
        for g in expected["groepen"]:
            code = g["criteriumGroep"]["stelselgroep"]["code"]
            if ours.get(code) != pytest.approx(g.get("punten"), abs=1e-6) and not (
                ours.get(code) is None and g.get("punten") is None
            ):
                bad.append(f"{inp} {code}: ours {ours.get(code)} expected {g.get('punten')}")
        if not per_group:
            for k in ("punten", "maximaleHuur", "maximaleHuurInclusiefOpslag"):
                if r[k] != pytest.approx(expected[k], abs=1e-6):
                    bad.append(f"{inp} {k}: ours {r[k]} expected {expected[k]}")
    assert not bad, f"{len(bad)} differences:\n" + "\n".join(bad[:20])


def test_frame_equals_the_cli(tmp_path):
    pairs = fixture_pairs()
    units = []
    for st, per_group, inp, out in pairs:
        if not per_group:
            u = json.loads(inp.read_text())
            u.setdefault("woningwaarderingstelsel", {"code": "ONZ" if st.startswith("onz") else "ZEL"})
            units.append(u)
    f = tmp_path / "units.ndjson"
    f.write_text("\n".join(json.dumps(u) for u in units))
    cli_out = json.loads(
        subprocess.run([cli(), "wws", f, "--json"], check=True, capture_output=True, text=True).stdout
    )
    df = vk.wws.value_frame(units)
    assert len(df) == len(cli_out) == len(units)
    assert df["punten"].tolist() == [c["punten"] for c in cli_out]
    assert df["maximale_huur"].tolist() == [c["maximaleHuur"] for c in cli_out]
    assert df["fout"].isna().all()


def test_a_variant_changes_what_the_cli_says_it_changes(tmp_path):
    root = shared("peers/woningwaardering/fixtures/tests/data")
    inp = sorted((root / "zelfstandige_woonruimten" / "input").glob("*.json"))[0]
    unit = json.loads(inp.read_text())
    unit.setdefault("woningwaarderingstelsel", {"code": "ZEL"})
    f = tmp_path / "u.json"
    f.write_text(json.dumps(unit))
    [today] = vk.wws.value(unit)
    changed = 0
    for variant in vk.wws.variants():
        cli_out = json.loads(
            subprocess.run(
                [cli(), "wws", f, "--variant", variant, "--json"], check=True, capture_output=True, text=True
            ).stdout
        )
        [r] = vk.wws.value(unit, variants=[variant])
        assert cli_out["puntenVoor"] == today["punten"]
        assert r["punten"] == cli_out["puntenNa"], variant
        assert r["maximaleHuur"] == cli_out["maximaleHuurNa"], variant
        changed += r["maximaleHuur"] != today["maximaleHuur"]
    assert changed >= 1, "no shipped variant changes this unit: pick another"
    text = (REPO / "data/wws/varianten/woz-cap-25.toml").read_text()
    assert vk.wws.value(unit, variants=[text])[0]["punten"] == vk.wws.value(unit, variants=["woz-cap-25"])[0]["punten"]


def test_bad_input_is_a_clear_error_per_unit():
    good = {"woningwaarderingstelsel": {"code": "ZEL"}, "bouwjaar": 1990}
    # one unit that cannot be valued (no ONZ rent table of 1 July 2024) does not stop the others
    onz = {"woningwaarderingstelsel": {"code": "ONZ"}, "bouwjaar": 1990}
    res = vk.wws.value([good, onz], peildatum="2024-07-01")
    assert not isinstance(res[0], Exception)
    assert isinstance(res[1], vk.VeerkrachtError)
    assert "no ONZ rent table" in str(res[1])
    df = vk.wws.value_frame([good, onz], peildatum="2024-07-01")
    assert df["fout"].isna().tolist() == [True, False]
    # input the CLI refuses as a whole is refused as a whole, with the CLI's message
    with pytest.raises(vk.VeerkrachtError, match="invalid JSON: line 1"):
        vk.wws.value('{"bouwjaar": 1990')
    with pytest.raises(vk.VeerkrachtError, match='stelsel "XYZ" is not supported'):
        vk.wws.value({"woningwaarderingstelsel": {"code": "XYZ"}})
    with pytest.raises(vk.VeerkrachtError, match="peildatum"):
        vk.wws.value(good, peildatum="1-7-2026")
    with pytest.raises(vk.VeerkrachtError, match="not a shipped variant"):
        vk.wws.value(good, variants=["woz-cap-26"])
    with pytest.raises(vk.VeerkrachtError, match="onbekend|unknown"):
        vk.wws.value(good, variants=['[variant]\nnaam = "x"\nomschrijving = "y"\ngeldig_vanaf = 2026-01-01\n[nope]\nx = 1\n'])


def test_flat_rows_equal_the_cli(tmp_path):
    subprocess.run([cli(), "demo", "--out", tmp_path / "demo"], check=True, capture_output=True)
    stock = next((tmp_path / "demo").rglob("*voorraad*.csv"))
    out = tmp_path / "punten.csv"
    subprocess.run([cli(), "wws", "--bulk", stock, "--out", out], check=True, capture_output=True)
    theirs = pd.read_csv(out)
    ours = vk.wws.value_flat(stock.read_text(), threads=2)
    assert len(ours) == len(theirs) > 10_000
    assert ours["id"].astype(str).tolist() == theirs[theirs.columns[0]].astype(str).tolist()
    assert ours["punten"].astype(float).tolist() == theirs["punten"].astype(float).tolist()
    assert ours["maximale_huur"].astype(float).round(2).tolist() == theirs["maximale_huur"].astype(float).round(2).tolist()
    df = pd.read_csv(stock, sep=";", dtype=str, keep_default_na=False)
    cut = vk.wws.value_flat(df.head(50), variants=["woz-cap-25"])
    assert len(cut) == 50 and cut["fout"].isna().all()
    with pytest.raises(vk.VeerkrachtError, match="line 3.*bouwjaar"):
        bad = stock.read_text().splitlines()
        fields = bad[2].split(";")
        fields[3] = "oud"  # bouwjaar
        bad[2] = ";".join(fields)
        vk.wws.value_flat("\n".join(bad[:5]))
