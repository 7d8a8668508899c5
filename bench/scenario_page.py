"""The scenario page's "Doorrekenen" (issue 17): time from pressing the button to the first
picture and to the full answer, as the page's script sees it (POST /api/v1/scenarios/jobs,
then its state every 10 ms), on the demo region. As a user does, it first opens the page
(GET /scenarios, which starts making the demo region's simulation inputs, ~3 s of CPU) and
presses the button 4 s later ("na paginabezoek"); the later rows find everything ready
("warm"). Also the batch run (POST /api/v1/scenarios/run) with the same runs and seed, and
whether its answer is byte for byte the progressive one's last.

    python3 bench/scenario_page.py URL [REPEAT]
"""
import json
import sys
import time
import urllib.request

url = sys.argv[1].rstrip("/")
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def progressive(scenario, runs, seed):
    t0 = time.perf_counter()
    job = call("POST", "/api/v1/scenarios/jobs", {"scenario": scenario, "runs": runs, "seed": seed})
    first = None
    while True:
        s = call("GET", "/api/v1/scenarios/jobs/" + job["id"])
        if first is None and s["resultaat"] is not None:
            first = (time.perf_counter() - t0, s["runs_klaar"])
        if s["status"] != "bezig":
            return first, time.perf_counter() - t0, s
        time.sleep(0.01)


def batch(scenario, runs, seed):
    t0 = time.perf_counter()
    v = call("POST", "/api/v1/scenarios/run", {"scenario": scenario, "runs": runs, "seed": seed})
    return time.perf_counter() - t0, v


with urllib.request.urlopen(url + "/scenarios") as r:
    r.read()
time.sleep(4)
print("scenario    runs  kind             first picture (runs)  full     server first/full  batch    same")
for k in range(repeat):
    for scenario, runs in [("spreiding", 100), ("spreiding", 200), ("middenhuur", 200)]:
        (tf, rf), tt, s = progressive(scenario, runs, 1)
        kind = "na paginabezoek" if k == 0 and (scenario, runs) == ("spreiding", 100) else "warm           "
        tb, v = batch(scenario, runs, 1)
        same = json.dumps(v, sort_keys=True) == json.dumps(s["resultaat"], sort_keys=True)
        print(f"{scenario:<11} {runs:>4}  {kind}  {tf:6.3f} s ({rf:>3})          {tt:6.3f} s  "
              f"{s['seconden_eerste']:.3f}/{s['seconden']:.3f} s    {tb:6.3f} s  {'ja' if same else 'NEE'}")
        if s["status"] != "klaar" or not same:
            sys.exit(f"not done or not equal: {s['status']}")
