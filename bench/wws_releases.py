"""Compares veerkracht's valuations with a reference release's (bench/wws-releases.sh).

Usage: wws_releases.py OURS.json RELEASE.ndjson LABEL
Prints how many units agree on every stelselgroep, total and maximum rent, then per
(stelsel, stelselgroep) the number of units that differ with three examples
(unit index, ours, release). Units the release cannot value are counted apart.
"""
import collections
import json
import sys

ours = json.load(open(sys.argv[1]))
theirs = [json.loads(line) for line in open(sys.argv[2])]
label = sys.argv[3]
assert len(ours) == len(theirs), (len(ours), len(theirs))
diff = collections.Counter()
examples = collections.defaultdict(list)
equal = valued = failed = 0
for i, (o, t) in enumerate(zip(ours, theirs)):
    if "error" in t:
        failed += 1
        continue
    valued += 1
    stelsel = o["stelsel"]["code"]
    og = {g["criteriumGroep"]["stelselgroep"]["code"]: g.get("punten") or 0.0 for g in o["groepen"]}
    tg = {k: v or 0.0 for k, v in t["groepen"].items()}
    same = True
    pairs = [(k, og.get(k, 0.0), tg.get(k, 0.0)) for k in sorted(set(og) | set(tg))]
    pairs += [("totaal", o["punten"], t["punten"]), ("huur", o["maximaleHuur"], t["huur"])]
    for k, a, b in pairs:
        if abs((a or 0) - (b or 0)) > 1e-6:
            diff[(stelsel, k)] += 1
            examples[(stelsel, k)].append((i, a, b))
            same = False
    equal += same
print(f"{label}: {equal} / {valued} units equal on every group, total and rent "
      f"({failed} the release cannot value)")
for (stelsel, k), c in sorted(diff.items(), key=lambda x: (-x[1], x[0])):
    print(f"  {stelsel} {k:7} {c:4} differ, e.g. {examples[(stelsel, k)][:3]}")
