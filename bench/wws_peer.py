"""Throughput of the reference package woningwaardering (pinned 6.202607.3) on one core.

Usage: wws_peer.py UNITS.ndjson [LIMIT]

Times, per unit, `EenhedenEenheid.model_validate_json(line)` + `Woningwaardering.waardeer`
(parsing included, as veerkracht's `parse_and_value`) and, separately, `waardeer` alone on
units parsed beforehand. Warnings are silenced (lenient mode) and the network is blocked.
Prints one JSON object.
"""
import json, socket, sys, time, warnings
from datetime import date


def _blocked(*a, **k):
    raise OSError("network disabled for the benchmark")


socket.socket.connect = _blocked
from loguru import logger  # noqa: E402

logger.remove()
from woningwaardering import Woningwaardering  # noqa: E402
from woningwaardering.vera.bvg.generated import EenhedenEenheid  # noqa: E402

lines = [l for l in open(sys.argv[1]) if l.strip()]
if len(sys.argv) > 2:
    lines = lines[: int(sys.argv[2])]
ww = Woningwaardering(peildatum=date(2026, 7, 1))
warnings.simplefilter("ignore")


def value(e):
    try:
        return ww.waardeer(e).punten or 0.0
    except Exception:  # noqa: BLE001
        return 0.0


# warm-up (imports, table loading)
for l in lines[:50]:
    value(EenhedenEenheid.model_validate_json(l))

t0 = time.perf_counter()
check = 0.0
for l in lines:
    check += value(EenhedenEenheid.model_validate_json(l))
t_full = time.perf_counter() - t0

parsed = [EenhedenEenheid.model_validate_json(l) for l in lines]
t0 = time.perf_counter()
for e in parsed:
    check += value(e)
t_value = time.perf_counter() - t0

n = len(lines)
print(json.dumps({
    "units": n,
    "parse_and_value_per_s": n / t_full,
    "value_parsed_per_s": n / t_value,
    "checksum": check,
}))
