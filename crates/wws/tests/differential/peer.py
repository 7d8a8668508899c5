"""Values units with the pinned reference package (woningwaardering==6.202607.3).

Usage: peer.py UNITS.ndjson OUT.ndjson [PEILDATUM [ZEL_TABLE.csv [ONZ_TABLE.csv]]]

Warnings are ignored (the reference's lenient mode) and the network is blocked.

Earlier years: 6.202607.3 implements the stelsel of 2026 and refuses other peildatums. For a
peildatum before 2026 this script opens that date window and replaces the reference's rent
tables (`maximale_huurprijzen.csv`, 2026 amounts) by the tables of the release of that year
(woningwaardering 4.0.0 for 2025, 2.0.6 for 1 July 2024), given as ZEL_TABLE / ONZ_TABLE. The
result is the reference's current reading of the rules, with its own date-keyed tables (WOZ
factors, minimum WOZ values, COROP averages) looked up at the peildatum, and the rent table of
the year. See docs/wws-earlier-years.md for why the old releases' own rules are not the oracle.
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
tables = sys.argv[4:6]
if peildatum.year != 2026:
    if not tables:
        sys.exit(f"peer.py: peildatum {peildatum} needs the rent table(s) of that year")
    import woningwaardering.stelsels.utils as _utils

    _utils.ONDERSTEUNDE_PEILDATUM_VANAF = date(2024, 7, 1)
if tables:
    import pandas as pd
    from woningwaardering.stelsels.stelsel import Stelsel

    _frames = dict(
        zip(["zelfstandige_woonruimten", "onzelfstandige_woonruimten"], map(pd.read_csv, tables))
    )
    _init = Stelsel.__init__

    def _init_with_year_table(self, stelsel, *a, **k):
        _init(self, stelsel, *a, **k)
        if stelsel.name not in _frames:
            raise ValueError(f"no rent table of {peildatum.year} for {stelsel.name}")
        self.df_maximale_huur = _frames[stelsel.name]

    Stelsel.__init__ = _init_with_year_table
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
