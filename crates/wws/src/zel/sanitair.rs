//! Rubriek 6: sanitair

#[allow(unused_imports)]
use super::*;

pub(crate) const BADKAMERACHTIG: [&str; 3] = ["BAD", "BAT", "DOU"];

/// Installation counts per code (few codes per room: a short list on the stack, not a
/// map; three-letter codes compare as numbers, other codes as text).
pub(crate) struct Aantallen<'a> {
    kort: [(u32, u32); 16],
    n: usize,
    /// codes of another length, or more than 16 kinds
    rest: Vec<(&'a str, u32)>,
}

impl<'a> Aantallen<'a> {
    pub(crate) fn is_empty(&self) -> bool {
        self.n == 0 && self.rest.is_empty()
    }
    pub(crate) fn get(&self, k: &str) -> Option<&u32> {
        let c = c3(k);
        if c != 0
            && let Some(x) = self.kort[..self.n].iter().find(|x| x.0 == c)
        {
            return Some(&x.1);
        }
        self.rest.iter().find(|x| x.0 == k).map(|x| &x.1)
    }
    fn entry(&mut self, k: &'a str) -> &mut u32 {
        let c = c3(k);
        if c != 0 {
            if let Some(i) = self.kort[..self.n].iter().position(|x| x.0 == c) {
                return &mut self.kort[i].1;
            }
            if self.n < self.kort.len() && !self.rest.iter().any(|x| x.0 == k) {
                self.kort[self.n] = (c, 0);
                self.n += 1;
                return &mut self.kort[self.n - 1].1;
            }
        }
        let i = match self.rest.iter().position(|x| x.0 == k) {
            Some(i) => i,
            None => {
                self.rest.push((k, 0));
                self.rest.len() - 1
            }
        };
        &mut self.rest[i].1
    }
}

/// Installation counts of a room: `installaties` united (per kind the maximum, not the
/// sum) with the sanitary bouwkundige elementen.
pub(crate) fn installatie_aantallen(r: &Ruimte) -> Aantallen<'_> {
    let mut inst = Aantallen {
        kort: [(0, 0); 16],
        n: 0,
        rest: Vec::new(),
    };
    for c in &r.installaties {
        *inst.entry(c.as_str()) += 1;
    }
    // per kind the count of elements, then the maximum with the installaties
    let mut el = [0u32; 5];
    const KINDS: [&str; 5] = ["WAS", "DOU", "BAD", "KAS", "STO"];
    for e in &r.bouwkundige_elementen {
        let k = match e.code.as_deref() {
            Some("WAS") | Some("FON") => 0,
            Some("DOU") => 1,
            Some("BAD") => 2,
            Some("KAS") => 3,
            Some("CLO") => 4,
            _ => continue,
        };
        el[k] += 1;
    }
    for (k, n) in KINDS.iter().zip(el) {
        if n > 0 {
            let v = inst.entry(k);
            *v = (*v).max(n);
        }
    }
    inst
}

pub(crate) fn korte_aanrechten(r: &Ruimte) -> u32 {
    r.bouwkundige_elementen
        .iter()
        .filter(|e| e.code.as_deref() == Some("AAN") && e.lengte.is_some_and(|l| l < 1000.0))
        .count() as u32
}

/// (bad+douche, bad, douche, drempelloze inrijdouche) points: ZEL 7/6/4/4, ONZ 6/5/3/3
/// (`[sanitair]` in data/wws/parameters.toml).
pub(crate) fn bad_douche_punten(
    stelsel: Stelsel,
    s: &crate::tables::Sanitair,
) -> [(&'static str, &'static str, &'static str, f64); 4] {
    let z = stelsel == Stelsel::Zelfstandig;
    let kies = |p: (f64, f64)| if z { p.0 } else { p.1 };
    [
        (
            "BDO",
            "bad_en_douche",
            "Bad en douche",
            kies(s.bad_en_douche),
        ),
        ("BAD", "bad", "Bad", kies(s.bad)),
        ("DOU", "douche", "Douche", kies(s.douche)),
        (
            "DRD",
            "drempelloze_inrijdouche",
            "Drempelloze inrijdouche",
            kies(s.drempelloze_inrijdouche),
        ),
    ]
}

/// Extra sanitary facilities: VERA code, criterium id, name (their points: `[sanitair.extra]`
/// in data/wws/parameters.toml).
pub(crate) const SANITAIR_EXTRA: [(&str, &str, &str); 8] = [
    (
        "BUB",
        "bubbelfunctie_van_het_bad",
        "Bubbelfunctie van het bad",
    ),
    ("DOW", "douchewand", "Douchewand"),
    ("HRA", "handdoekenradiator", "Handdoekenradiator"),
    (
        "IKW",
        "ingebouwd_kastje_met_in_of_opgebouwde_wastafel",
        "Ingebouwd kastje met in- of opgebouwde wastafel",
    ),
    ("KAS", "kastruimte", "Kastruimte"),
    (
        "STW",
        "stopcontact_bij_wastafel",
        "Stopcontact bij wastafel",
    ),
    ("EHM", "eenhandsmengkraan", "Éénhandsmengkraan"),
    (
        "TME",
        "thermostatische_mengkraan",
        "Thermostatische mengkraan",
    ),
];

/// Values the sanitary fixtures of one room under `parent` (a group line id or None);
/// `deler` divides every point (shared rooms); `uitzondering`: this room keeps all its
/// wastafels (ONZ, ≥ 8 rooms). Returns true when anything was valued.
pub(crate) fn sanitair_ruimte(
    ctx: &mut Ctx,
    g: &mut Groep,
    r: &Ruimte,
    stelsel: Stelsel,
    parent: Option<&LineId>,
    deler: f64,
    uitzondering: bool,
) -> bool {
    let mut lines = Vec::new();
    sanitair_regels(ctx, r, stelsel, uitzondering, g.is_lean(), &mut lines);
    if lines.is_empty() {
        return false;
    }
    let rid = match parent {
        Some(p) => g.add_under(p, &r.criterium_seg(), Lazy(|| r.weergavenaam())),
        None => g.add(&r.criterium_seg(), Lazy(|| r.weergavenaam())),
    };
    let xid = g.child_id(&rid, "extra_voorzieningen");
    for (seg, naam, aantal, pts, extra) in lines {
        if extra {
            if !g.has(&xid) {
                g.add_under(&rid, "extra_voorzieningen", "Extra voorzieningen");
            }
            g.add_under(&xid, &seg, naam);
        } else {
            g.add_under(&rid, &seg, naam);
        }
        let w = g.last();
        if let Some(a) = aantal {
            w.aantal = Some(a);
            w.meeteenheid = Some(Meeteenheid::Stuks);
        }
        w.punten = Some(pts / deler);
    }
    true
}

/// A sanitary line of a room: (segment under the room, naam, aantal (stuks), points before
/// the division by the sharers, under "extra voorzieningen"?).
pub(crate) type SanitairRegel = (Cow<'static, str>, Cow<'static, str>, Option<f64>, f64, bool);

/// The sanitary lines of one room, in output order, into `lines` (emptied first); the
/// warnings go to `ctx`. `lean`: no names.
pub(crate) fn sanitair_regels(
    ctx: &mut Ctx,
    r: &Ruimte,
    stelsel: Stelsel,
    uitzondering: bool,
    lean: bool,
    lines: &mut Vec<SanitairRegel>,
) {
    lines.clear();
    let Some(d) = r.detail_soort.as_deref() else {
        return;
    };
    if r.installaties.is_empty() && r.bouwkundige_elementen.is_empty() {
        // nothing to count: no lines and no warnings below
        return;
    }
    let inst = installatie_aantallen(r);
    let kort = korte_aanrechten(r);
    if inst.is_empty() && kort == 0 {
        // every count below is 0: no lines, no warnings
        return;
    }
    let n = |k: &str| inst.get(k).copied().unwrap_or(0);
    let badkamer = BADKAMERACHTIG.contains(&d);
    let gedeeld = !is_prive(r);
    // names are built only when the lines keep texts
    let tekst = |f: &dyn Fn() -> String| -> Cow<'static, str> {
        if lean {
            Cow::Borrowed("")
        } else {
            Cow::Owned(f())
        }
    };
    // the tables outlive the context: no borrow of ctx (it warns below), no copy
    let tables: &Tables = ctx.t;
    let tabel = &tables.beleid(ctx.peildatum).sanitair;
    let toilet = if d == "TOI" {
        Some(tabel.toilet_toiletruimte)
    } else if badkamer {
        Some(tabel.toilet_badkamer)
    } else {
        None
    };
    if let Some((hangend, staand)) = toilet {
        for (k, seg, naam, p) in [
            ("HTO", "hangend_toilet", "Hangend toilet", hangend),
            ("STO", "staand_toilet", "Staand Toilet", staand),
        ] {
            if n(k) > 0 {
                lines.push((
                    Cow::Borrowed(seg),
                    Cow::Borrowed(naam),
                    Some(n(k) as f64),
                    p * n(k) as f64,
                    false,
                ));
            }
        }
    }
    for (k, seg, max_seg, naam, per) in [
        (
            "WAS",
            "wastafel",
            "max_punten_wastafel",
            "Wastafel",
            tabel.wastafel,
        ),
        (
            "MPW",
            "meerpersoonswastafel",
            "max_punten_meerpersoonswastafel",
            "Meerpersoonswastafel",
            tabel.meerpersoonswastafel,
        ),
    ] {
        let aantal = n(k);
        let spoel = if k == "WAS" { kort } else { 0 };
        let totaal = f64::from(aantal + spoel) * per;
        if spoel > 0 {
            lines.push((
                Cow::Borrowed(seg),
                tekst(&|| format!("{naam} (spoelbak in aanrecht < 1m)")),
                Some(f64::from(spoel)),
                f64::from(spoel) * per,
                false,
            ));
        }
        if aantal > 0 {
            lines.push((
                Cow::Borrowed(seg),
                Cow::Borrowed(naam),
                Some(f64::from(aantal)),
                f64::from(aantal) * per,
                false,
            ));
        }
        if totaal > per && !badkamer && !uitzondering {
            let naam = tekst(&|| {
                if gedeeld {
                    format!("Maximering voor {naam}")
                } else {
                    format!("Max {per:?} punt voor {naam}")
                }
            });
            lines.push((Cow::Borrowed(max_seg), naam, None, per - totaal, false));
        }
    }
    if n("WAS") + n("MPW") < n("IKW") {
        ctx.warn(
            format!("ruimte {}", r.criterium_id()),
            "meer ingebouwde kastjes met wastafel dan wastafels",
        );
    }
    // bad + douche in one room count as bad en douche
    let mut bd = [n("BDO"), n("BAD"), n("DOU"), n("DRD")];
    for i in [2, 3] {
        let k = bd[1].min(bd[i]);
        bd[1] -= k;
        bd[i] -= k;
        bd[0] += k;
    }
    let mut bad_douche_pts = 0.0;
    for (i, (_, seg, naam, p)) in bad_douche_punten(stelsel, tabel).iter().enumerate() {
        if bd[i] > 0 {
            let pts = f64::from(bd[i]) * p;
            bad_douche_pts += pts;
            lines.push((
                Cow::Borrowed(*seg),
                Cow::Borrowed(*naam),
                Some(f64::from(bd[i])),
                pts,
                false,
            ));
        }
    }
    if badkamer {
        let wastafels = n("WAS") + n("MPW");
        let bad_of_douche = ["BAD", "DOU", "DRD", "BDO"].iter().any(|k| n(k) > 0);
        let extra = SANITAIR_EXTRA.iter().any(|x| n(x.0) > 0);
        if extra && wastafels == 0 {
            ctx.warn(
                format!("ruimte {}", r.criterium_id()),
                "extra sanitaire voorzieningen zonder wastafel: niet gewaardeerd",
            );
        } else if extra && !bad_of_douche {
            ctx.warn(
                format!("ruimte {}", r.criterium_id()),
                "extra sanitaire voorzieningen zonder bad of douche: niet gewaardeerd",
            );
        } else if extra {
            let mut tot = 0.0;
            for (k, seg, naam) in SANITAIR_EXTRA {
                let p = tabel.extra(k);
                let a = n(k);
                if a == 0 {
                    continue;
                }
                let pts = f64::from(a) * p;
                tot += pts;
                lines.push((
                    Cow::Borrowed(seg),
                    Cow::Borrowed(naam),
                    Some(f64::from(a)),
                    pts,
                    true,
                ));
                if k == "KAS" && pts > 0.75 {
                    let c = 0.75 - pts;
                    tot += c;
                    let naam = if gedeeld {
                        "Maximering voor Kastruimte"
                    } else {
                        "Max 0.75 punten voor Kastruimte"
                    };
                    lines.push((
                        Cow::Borrowed("max_punten_kastruimte"),
                        Cow::Borrowed(naam),
                        None,
                        c,
                        true,
                    ));
                }
                if k == "STW" {
                    let c = ((f64::from(wastafels) * 2.0 - f64::from(a)) * 0.25).min(0.0);
                    if c < 0.0 {
                        tot += c;
                        lines.push((
                            Cow::Borrowed("max_stopcontact_bij_wastafel"),
                            Cow::Borrowed("Max 2 stopcontacten per wastafel"),
                            None,
                            c,
                            true,
                        ));
                    }
                }
            }
            let m = (bad_douche_pts - tot).min(0.0);
            if m < 0.0 {
                lines.push((
                    Cow::Borrowed("maximering_punten_voorzieningen"),
                    Cow::Borrowed("Max verdubbeling punten bad en douche"),
                    None,
                    m,
                    true,
                ));
            }
        }
    }
}

pub(crate) fn san(ctx: &mut Ctx, g: &mut Groep) {
    let e = ctx.e;
    for r in e.ruimten.iter().filter(|r| !gedeeld_met_adressen(r)) {
        if r.detail_soort.is_none() {
            continue;
        }
        sanitair_ruimte(ctx, g, r, Stelsel::Zelfstandig, None, 1.0, false);
    }
    finish(g);
}
