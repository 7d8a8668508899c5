"""veerkracht's engines in Python: WWS rent points and allocation scenarios, with sweeps on Ray.

>>> import veerkracht as vk
>>> ws = vk.workspace.open()                                 # the demo region (or a .gpkg path)
>>> vk.index.compute(ws, runs=200)                           # scores, contributions, rank bands
>>> vk.wws.value_frame(open("woning.json").read())          # punten per rubriek, maximale huur
>>> vk.simulate("spreiding", runs=20, seed=1)                # region metrics per run and year
>>> vk.sweep.run("spreiding", vk.sweep.grid({"spreiding.max_aandeel": [0.1, 0.2]}), runs=20)

Errors in the input raise `VeerkrachtError` with the message the `veerkracht` CLI prints.
"""
from ._core import VeerkrachtError, __version__, scenarios
from . import index, spatial, sweep, workspace, wws
from .simulate import compare, simulate, simulate_summary

__all__ = ["VeerkrachtError", "__version__", "compare", "index", "scenarios", "simulate", "simulate_summary", "spatial",
           "sweep", "workspace", "wws"]
