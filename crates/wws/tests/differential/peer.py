"""Values units with the pinned reference package (woningwaardering==6.202607.3).

Usage: peer.py UNITS.ndjson OUT.ndjson [PEILDATUM]

Warnings are ignored (the reference's lenient mode) and the network is blocked.
"""
import json, sys, warnings, socket
from datetime import date


def _blocked(*a, **k):
    raise OSError("network disabled for the differential test")


socket.socket.connect = _blocked
from loguru import logger  # noqa: E402

logger.remove()
from woningwaardering import Woningwaardering  # noqa: E402
from woningwaardering.vera.bvg.generated import EenhedenEenheid  # noqa: E402

peildatum = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else date(2026, 7, 1)
ww = Woningwaardering(peildatum=peildatum)
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                e = EenhedenEenheid.model_validate_json(line)
                r = ww.waardeer(e)
            out.write(r.model_dump_json(by_alias=True, exclude_none=True) + "\n")
        except Exception as ex:  # noqa: BLE001
            out.write(json.dumps({"error": f"{type(ex).__name__}: {ex}"[:300]}) + "\n")
