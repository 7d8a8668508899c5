"""Values units with an earlier reference release under its own rules (bench/wws-releases.sh).

Usage: wws_release_peer.py UNITS.ndjson OUT.ndjson PEILDATUM
Runs under the virtualenv of woningwaardering 4.0.0 (.ci/venv-ww2025) or 2.0.6
(.ci/venv-ww2024). Inputs are converted to what the release reads: 4.0.0 and 2.0.6 know the
shared count only as `gedeeldMetAantalEenheden`; 2.0.6 wants timezone-aware
`prijscomponenten[].begindatum` and string energie-index values.
Output per line: {"groepen": {code: punten}, "punten": .., "huur": ..} or {"error": ..}.
"""
import json, sys, warnings, socket
from datetime import date
def _blocked(*a, **k):
    raise OSError("network disabled")
socket.socket.connect = _blocked
from loguru import logger
logger.remove()
import woningwaardering
from woningwaardering._version import __version__ as V
peildatum = date.fromisoformat(sys.argv[3])
from woningwaardering.vera.bvg.generated import EenhedenEenheid
if V.startswith("2."):
    from woningwaardering.stelsels.zelfstandige_woonruimten.zelfstandige_woonruimten import ZelfstandigeWoonruimten
    ww = ZelfstandigeWoonruimten(peildatum=peildatum)
    def run(e): return ww.bereken(e)
else:
    from woningwaardering import Woningwaardering
    ww = Woningwaardering(peildatum=peildatum)
    def run(e): return ww.waardeer(e)

def convert(d):
    # 4.0.0 reads gedeeldMetAantalEenheden only
    def walk(x):
        if isinstance(x, dict):
            if "gedeeldMetAantalAdressen" in x and not V.startswith("6"):
                x["gedeeldMetAantalEenheden"] = x.pop("gedeeldMetAantalAdressen")
            for v in x.values(): walk(v)
        elif isinstance(x, list):
            for v in x: walk(v)
    walk(d)
    if V.startswith("2."):
        for pc in d.get("prijscomponenten") or []:
            b = pc.get("begindatum")
            if b and "T" not in b: pc["begindatum"] = b + "T00:00:00+00:00"
        for ep in d.get("energieprestaties") or []:
            if ep.get("waarde") is not None: ep["waarde"] = str(ep["waarde"])
    return d

with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        try:
            d = convert(json.loads(line))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                e = EenhedenEenheid.model_validate(d)
                r = run(e)
            j = json.loads(r.model_dump_json(by_alias=True, exclude_none=True))
            groepen = {}
            for g in j.get("groepen", []):
                groepen[g["criteriumGroep"]["stelselgroep"]["code"]] = g.get("punten")
            out.write(json.dumps({"groepen": groepen, "punten": j.get("punten"), "huur": j.get("maximaleHuur")}) + "\n")
        except Exception as ex:
            out.write(json.dumps({"error": f"{type(ex).__name__}: {ex}"[:300]}) + "\n")
