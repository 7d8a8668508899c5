# %% [markdown]
# # veerkracht in Python: a quick start
#
# A notebook saved as a plain script (jupytext percent format: open it in Jupyter with
# jupytext, or run it with `python`). CI runs it on the embedded demo region.

# %%
import json
import pathlib
import sys

import veerkracht as vk

print("veerkracht", vk.__version__)
print("shipped scenarios:", vk.scenarios())
print("shipped WWS variants:", vk.wws.variants())

# %% [markdown]
# ## WWS: points per rubriek and the maximum rent of a dwelling
# Any VERA `EenhedenEenheid` works; the reference package's fixtures are a good start.

# %%
fixtures = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/peers/woningwaardering/fixtures/tests/data")
units = []
for p in sorted((fixtures / "zelfstandige_woonruimten" / "input").glob("*.json"))[:5]:
    u = json.loads(p.read_text())
    u.setdefault("woningwaarderingstelsel", {"code": "ZEL"})
    units.append(u)
today = vk.wws.value_frame(units)
print(today[["punten", "maximale_huur", "OVZ", "ENE", "WOZ"]])
capped = vk.wws.value_frame(units, variants=["woz-cap-25"])
print("Δ maximum rent with a 25 % WOZ cap:", (capped["maximale_huur"] - today["maximale_huur"]).round(2).tolist())

# %% [markdown]
# ## A scenario: region metrics per run and year

# %%
runs = vk.simulate("spreiding", runs=8, seed=1)
top = runs[runs.indicator == "hoogste_buurtaandeel_kwetsbaar"].groupby("jaar")["waarde"].median()
print(top.round(3))
print(vk.simulate_summary("spreiding", runs=8, seed=1).head())

# %% [markdown]
# ## A small sweep: the spreading cap × the lottery share (one process; give `address=` for Ray)

# %%
variants = vk.sweep.grid({"spreiding.max_aandeel": [0.1, 0.3], "toewijzing.loting": [0.0, 0.2]})
result = vk.sweep.run("spreiding", variants, runs=4, seed=1)
last = result[(result.indicator == "hoogste_buurtaandeel_kwetsbaar") & (result.jaar == result.jaar.max())]
print(last.groupby("variant")["waarde"].mean().round(3))
out = pathlib.Path("target/quickstart-sweep")
vk.sweep.write_parquet(result, variants, str(out))
print("written:", sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet")))
