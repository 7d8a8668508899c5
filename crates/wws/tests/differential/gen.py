"""Seeded random VERA units for the differential test (tests/differential.rs).

Usage: gen.py FIXTURES_DATA_DIR N SEED OUT.ndjson

Takes the reference fixture inputs as seeds and perturbs them towards rule boundaries:
areas near the 2 / 4 / 12 m² thresholds and half square metres, labels and energie-index
values (also at class edges and in the 2015-2020 window), WOZ values up to the 33 % cap,
new-build years 2015-2022, monuments, zorgwoningen, shared spaces (addresses and rooms),
outdoor-space dimensions, parking types, charging points, kitchen and sanitary fixtures.
"""
import json, random, glob, sys, copy
root = sys.argv[1]
N = int(sys.argv[2])
random.seed(int(sys.argv[3]))
OUT = sys.argv[4]
seeds = []
for st in ['zelfstandige_woonruimten', 'onzelfstandige_woonruimten']:
    for p in sorted(glob.glob(f'{root}/{st}/**/input/*.json', recursive=True)):
        d = json.load(open(p))
        d.pop('woningwaarderingstelsel', None)
        if True:
            d['Woningwaarderingstelsel'] = {'code': 'ZEL' if st.startswith('zel') else 'ONZ'}
        seeds.append(d)
LABELS = ['A', 'AP', 'APP', 'AP3', 'AP4', 'B', 'C', 'D', 'E', 'F', 'G']
INST = ['STO', 'HTO', 'WAS', 'MPW', 'DOU', 'BAD', 'BDO', 'DRD', 'DOW', 'EHM', 'TME', 'HRA', 'STW', 'IKW', 'BUB', 'KAS',
        'IKO', 'IKV', 'IVA', 'IMA', 'IOE', 'IKI', 'IAF', 'ABF']
def perturb(u):
    u = copy.deepcopy(u)
    r = random.random
    if r() < 0.3: u['bouwjaar'] = random.choice([1960, 1965, 1976, 1977, 1983, 1990, 1999, 2001, 2002, 2014, 2015, 2017, 2019, 2020, 2021, 2022, 2023])
    if r() < 0.2: u['monumenten'] = random.choice([[], [{'code': 'RIJ'}], [{'code': 'GEM'}], [{'code': 'SGR'}], [{'code': 'RIJ'}, {'code': 'SGR'}]])
    if 'monumenten' not in u or u.get('monumenten') is None: u['monumenten'] = []
    if r() < 0.3 and u.get('energieprestaties'):
        for ep in u['energieprestaties']:
            if ep.get('label'): ep['label'] = {'code': random.choice(LABELS)}
    if r() < 0.3:
        u['wozEenheden'] = [{'vastgesteldeWaarde': random.choice([60000, 150000, 250000, 400000, 700000, 1200000]), 'waardepeildatum': random.choice(['2025-01-01', '2024-01-01', '2023-01-01'])}]
    if r() < 0.15: u['doelgroep'] = {'code': 'ZOR'}
    if r() < 0.15:
        u['beginBouwdatum'] = '2023-01-01'; u['inExploitatiedatum'] = random.choice(['2024-06-01', '2025-03-01'])
    if r() < 0.1: u['panden'] = [{'soort': {'code': random.choice(['EGW', 'MGW'])}}]
    for rm in u.get('ruimten') or []:
        if r() < 0.3 and isinstance(rm.get('oppervlakte'), (int, float)):
            rm['oppervlakte'] = round(max(0.5, rm['oppervlakte'] * random.choice([0.3, 0.5, 0.9, 1.1, 1.7, 3]) + random.choice([0, 0.005, 0.125, 0.5])), 2)
        if r() < 0.1: rm['verwarmd'] = not rm.get('verwarmd', False)
        if r() < 0.05: rm['verkoeld'] = not rm.get('verkoeld', False)
        if r() < 0.08: rm['gedeeldMetAantalAdressen'] = random.choice([1, 2, 3, 5])
        if r() < 0.08 and u['Woningwaarderingstelsel']['code'] == 'ONZ': rm['gedeeldMetAantalOnzelfstandigeWoonruimten'] = random.choice([1, 2, 4, 8])
        if r() < 0.15:
            rm.setdefault('installaties', [])
            rm['installaties'] = (rm['installaties'] or []) + [{'code': random.choice(INST)}]
        if r() < 0.05:
            rm['bouwkundigeElementen'] = (rm.get('bouwkundigeElementen') or []) + [{'id': 'x%d' % random.randint(0, 999), 'detailSoort': {'code': random.choice(['AAN', 'LAA', 'TRA', 'VTR', 'CLO', 'WAS'])}, 'lengte': random.choice([500, 999, 1000, 1999, 2000, 3001, 5001])}]
    if r() < 0.2:
        u['energieprestaties'] = [{'soort': {'code': 'EI'}, 'status': {'code': 'DEF'}, 'begindatum': '2016-05-01', 'einddatum': '2026-12-01',
                                   'waarde': random.choice(['0.55', '0.6', '1.2', '1.45', '2.1', '2.71', 3.0, '1,4']), 'label': {'code': random.choice(LABELS)}}]
    if r() < 0.1:
        u['prijscomponenten'] = [{'detailSoort': {'code': 'EPV'}, 'begindatum': '2024-01-01'}]
    if r() < 0.15:
        u['gebruiksoppervlakte'] = random.choice([25, 39, 40, 60]); u['adres'] = {'woonplaats': {'code': random.choice(['3594', '3295', '3086', '9999'])}}
    if r() < 0.1:
        u['adresseerbaarObjectBasisregistratie'] = {'bagGebruikersOppervlakte': random.choice([0, 30, 58, 120])}
    if r() < 0.2:
        u['wozEenheden'] = [{'vastgesteldeWaarde': random.choice([900000, 1500000, 2500000, 5000000]), 'waardepeildatum': '2025-01-01'}]
        if r() < 0.5:
            for rm in u.get('ruimten') or []:
                if isinstance(rm.get('oppervlakte'), (int, float)): rm['oppervlakte'] = round(rm['oppervlakte'] * 4, 2)
    rs = u.get('ruimten') or []
    for rm in rs:
        if r() < 0.15:
            rm['oppervlakte'] = random.choice([1.99, 2.0, 3.99, 4.0, 11.99, 12.0, 10.5, 0.125, 7.625, 20.495, 33.3333])
        if r() < 0.1:
            rm['lengte'] = random.choice([1000, 1500, 2000]); rm['breedte'] = random.choice([1400, 1500]); rm['hoogte'] = random.choice([1900, 2000])
        if r() < 0.05: rm['aantal'] = random.choice([1, 2, 3])
        if r() < 0.05:
            rm['detailSoort'] = {'code': random.choice(['ZOL', 'ZVT', 'PIP', 'PUP', 'PBD', 'PBC', 'CAR', 'PAR', 'GAR', 'BER', 'TOI', 'WOK', 'SER'])}
        if r() < 0.04: rm['soort'] = {'code': random.choice(['VTK', 'OVR', 'BTR', 'VRK', 'GEM'])}
        if r() < 0.05:
            rm['verbondenRuimten'] = [{'id': 'kast%d' % random.randint(0, 99), 'soort': {'code': 'OVR'}, 'detailSoort': {'code': 'KAS'}, 'oppervlakte': random.choice([0.4, 1.0, 2.5])}]
    return u
units = []
for i in range(N):
    u = perturb(random.choice(seeds))
    u['id'] = u.get('id') or f'u{i}'
    units.append(u)
with open(OUT, 'w') as f:
    for u in units: f.write(json.dumps(u) + '\n')
