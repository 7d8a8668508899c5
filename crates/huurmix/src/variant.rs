//! A policy variant of the WWS ([`veerkracht_wws::variant::Variant`]) against today's rules,
//! per buurt of the voorraad: dwellings per segment before and after, the moves between
//! segments (the dwellings that cross 143/144 or 186/187 points), dwellings whose maximum
//! rent rises or falls, mean points and maximum rents before and after, and for the whole
//! portfolio the distribution of maximum rents.
//!
//! ## Privacy
//! The counts per buurt are one [`Frame`]: the dwellings, the segments before and after, and
//! the dwellings whose maximum rent rises or falls (each table adds up to the dwellings).
//! The dwellings and the segments before are the rent mix's own cells of the same stock
//! ([`crate::segment_pins`]): where the counts are the same they are *pinned* to what
//! `/huurmix` publishes (shown there: shown here; withheld there: withheld here), and a
//! segment after is withheld wherever the same segment before is: a segment's count after
//! is its count before plus the moves, so a shown count after next to a withheld one before
//! gives the one before away whenever the moves are known (a variant that moves nothing).
//! Suppression and the linked-table audit then run on the frame with those pins, as for the
//! simulation's segment counts. The moves between segments (the dwellings that cross 143/144
//! or 186/187 points) are published for the portfolio only, each when 0 or at least k: per
//! buurt they would tie every cell before to one after, and the audit then withholds
//! nearly everything (tried: 40 s and every move withheld on the demo stock). Means are
//! shown only with their count; the portfolio's quantiles of maximum rent only over at
//! least 10·k dwellings. What two publications audited apart cannot rule out: a reader who
//! intersects the intervals of a withheld segment count from `/huurmix` and from here.
//!
//! Sums are kept in whole cents and whole points (the totals are whole numbers), so the
//! answer is the same for any number of threads and any order of the rows.

use std::collections::BTreeMap;

use serde::Serialize;
use veerkracht_privacy::{Cell, Frame, Pin, PublishedFrame, Reason};
use veerkracht_wws::flat::FlatUnit;
use veerkracht_wws::variant::Variant;
use veerkracht_wws::{Options, Punten, WwsError};

use crate::{Mix, PublishedMix, segment_index};

/// Segment names in frame order (index of `segment_index`); the fourth is "no segment".
pub const SEGMENTEN: [&str; 3] = ["sociaal", "middenhuur", "vrije_sector"];

/// Counts and sums of one buurt (or the portfolio).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Telling {
    /// dwellings valued under both rules
    pub woningen: u64,
    /// dwellings valued today but not under the variant (left out of every other count)
    pub fouten: u64,
    /// Σ total points today
    pub som_punten_voor: i64,
    /// Σ total points under the variant
    pub som_punten_na: i64,
    /// Σ maximum rent incl. surcharges today, in cents
    pub som_max_voor: i64,
    /// Σ maximum rent incl. surcharges under the variant, in cents
    pub som_max_na: i64,
    /// dwellings per (segment today, segment under the variant), `segment_index` order
    pub wissels: [[u64; 4]; 4],
    /// dwellings whose maximum rent rises
    pub omhoog: u64,
    /// dwellings whose maximum rent falls
    pub omlaag: u64,
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

impl Telling {
    fn add(&mut self, voor: &Punten, na: &Punten) {
        self.woningen += 1;
        self.som_punten_voor += voor.punten as i64;
        self.som_punten_na += na.punten as i64;
        let (a, b) = (
            cents(voor.maximale_huur_inclusief_opslag),
            cents(na.maximale_huur_inclusief_opslag),
        );
        self.som_max_voor += a;
        self.som_max_na += b;
        self.wissels[segment_index(voor.segment)][segment_index(na.segment)] += 1;
        if b > a {
            self.omhoog += 1;
        } else if b < a {
            self.omlaag += 1;
        }
    }

    fn merge(&mut self, o: &Telling) {
        self.woningen += o.woningen;
        self.fouten += o.fouten;
        self.som_punten_voor += o.som_punten_voor;
        self.som_punten_na += o.som_punten_na;
        self.som_max_voor += o.som_max_voor;
        self.som_max_na += o.som_max_na;
        for (r, q) in self.wissels.iter_mut().zip(&o.wissels) {
            for (x, y) in r.iter_mut().zip(q) {
                *x += y;
            }
        }
        self.omhoog += o.omhoog;
        self.omlaag += o.omlaag;
    }

    /// Dwellings per segment today (sociaal, middenhuur, vrije sector, none).
    pub fn voor(&self) -> [u64; 4] {
        std::array::from_fn(|s| self.wissels[s].iter().sum())
    }

    /// Dwellings per segment under the variant.
    pub fn na(&self) -> [u64; 4] {
        std::array::from_fn(|t| self.wissels.iter().map(|r| r[t]).sum())
    }

    fn mean(&self, sum: i64, scale: f64) -> Option<f64> {
        (self.woningen > 0).then(|| sum as f64 / scale / self.woningen as f64)
    }
}

/// Maximum rents above this many euro share the histogram's last bucket.
const EURO_MAX: usize = 10_000;

/// What the variant does to a voorraad (before suppression).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vergelijking {
    /// the variants applied, in order: (naam, file, geldig_vanaf)
    pub varianten: Vec<(String, String, String)>,
    /// the peildatum both valuations use
    pub peildatum: String,
    /// per buurtcode ("onbekend" without one)
    pub buurten: BTreeMap<String, Telling>,
    /// over every dwelling
    pub totaal: Telling,
    /// rows that could not be valued today (as the rent mix's `errors`)
    pub fouten_voor: u64,
    /// dwellings per whole euro of maximum rent today (the last bucket: that and more)
    #[serde(skip)]
    histogram_voor: Vec<u64>,
    /// the same under the variant
    #[serde(skip)]
    histogram_na: Vec<u64>,
}

impl Vergelijking {
    /// An empty comparison of `varianten` at `peildatum`.
    pub fn new(varianten: &[Variant], peildatum: String) -> Vergelijking {
        Vergelijking {
            varianten: varianten
                .iter()
                .map(|v| {
                    (
                        v.naam.clone(),
                        v.bestand.clone(),
                        v.geldig_vanaf.to_string(),
                    )
                })
                .collect(),
            peildatum,
            buurten: BTreeMap::new(),
            totaal: Telling::default(),
            fouten_voor: 0,
            histogram_voor: vec![0; EURO_MAX + 1],
            histogram_na: vec![0; EURO_MAX + 1],
        }
    }

    /// Adds a dwelling valued today (`voor`) and under the variant (`na`).
    pub fn add(
        &mut self,
        buurt: Option<&str>,
        voor: &Result<Punten, WwsError>,
        na: &Result<Punten, WwsError>,
    ) {
        let b = buurt.unwrap_or("onbekend");
        let t = match self.buurten.get_mut(b) {
            Some(t) => t,
            None => self.buurten.entry(b.to_string()).or_default(),
        };
        match (voor, na) {
            (Ok(v), Ok(n)) => {
                t.add(v, n);
                self.totaal.add(v, n);
                let e = |x: f64| (x.max(0.0) as usize).min(EURO_MAX);
                self.histogram_voor[e(v.maximale_huur_inclusief_opslag)] += 1;
                self.histogram_na[e(n.maximale_huur_inclusief_opslag)] += 1;
            }
            (Ok(_), Err(_)) => {
                t.fouten += 1;
                self.totaal.fouten += 1;
            }
            (Err(_), _) => self.fouten_voor += 1,
        }
    }

    /// Adds another part of the same voorraad (the order does not change the result).
    pub fn merge(&mut self, o: Vergelijking) {
        for (k, t) in o.buurten {
            self.buurten.entry(k).or_default().merge(&t);
        }
        self.totaal.merge(&o.totaal);
        self.fouten_voor += o.fouten_voor;
        for (x, y) in self.histogram_voor.iter_mut().zip(&o.histogram_voor) {
            *x += y;
        }
        for (x, y) in self.histogram_na.iter_mut().zip(&o.histogram_na) {
            *x += y;
        }
    }

    /// The maximum rent (whole euro) below which a share `q` of the dwellings lies, today
    /// and under the variant.
    pub fn kwantiel(&self, q: f64) -> Option<(u64, u64)> {
        let n = self.totaal.woningen;
        if n == 0 {
            return None;
        }
        let at = |h: &[u64]| {
            let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
            let mut seen = 0;
            h.iter()
                .position(|c| {
                    seen += c;
                    seen >= rank
                })
                .unwrap_or(EURO_MAX) as u64
        };
        Some((at(&self.histogram_voor), at(&self.histogram_na)))
    }
}

/// The options of today (`voor`) with the variants' tables (`na`).
pub fn options_with(voor: &Options, varianten: &[Variant]) -> Result<Options, WwsError> {
    let mut t = voor.tabellen().clone();
    for v in varianten {
        t = v.apply(&t)?;
    }
    Ok(Options {
        tabellen: Some(std::sync::Arc::new(t)),
        ..voor.clone()
    })
}

/// Compares `units` under `voor` and under `varianten` (points-only with the flat form's
/// memo, one thread).
pub fn vergelijk(
    units: &[FlatUnit],
    voor: &Options,
    varianten: &[Variant],
) -> Result<Vergelijking, WwsError> {
    let na = options_with(voor, varianten)?;
    let mut v = Vergelijking::new(varianten, voor.peildatum.to_string());
    let mut a = veerkracht_wws::flat::FlatWaardeerder::new(voor);
    let mut b = veerkracht_wws::flat::FlatWaardeerder::new(&na);
    for u in units {
        v.add(u.buurtcode.as_deref(), &a.punten(u), &b.punten(u));
    }
    Ok(v)
}

/// [`vergelijk`] of a flat CSV text on `threads` threads, without holding the rows: each
/// thread sums its rows; the sums are exact, so the answer equals the one-thread answer.
pub fn vergelijk_csv(
    text: &str,
    voor: &Options,
    varianten: &[Variant],
    threads: usize,
) -> Result<Vergelijking, WwsError> {
    use veerkracht_wws::flat::FlatWaardeerder;
    let na = options_with(voor, varianten)?;
    let peildatum = voor.peildatum.to_string();
    let (_, states) = veerkracht_wws::flat::rows_csv_stream(
        text,
        threads,
        || {
            (
                FlatWaardeerder::new(voor),
                FlatWaardeerder::new(&na),
                Vergelijking::new(varianten, peildatum.clone()),
            )
        },
        |(a, b, v), u| v.add(u.buurtcode.as_deref(), &a.punten(u), &b.punten(u)),
        |_| {},
    )?;
    let mut out = Vergelijking::new(varianten, peildatum);
    for (_, _, v) in states {
        out.merge(v);
    }
    Ok(out)
}

/// One buurt (or the portfolio) as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedTelling {
    /// counts by frame column name (`aantal`, `voor.sociaal`, `na.middenhuur`,
    /// `sociaal_naar_middenhuur`, `omhoog`, …); `None`: withheld (reason in `afgeschermd`)
    pub aantallen: BTreeMap<String, Option<u64>>,
    /// mean total points today
    pub gemiddelde_punten_voor: Option<f64>,
    /// mean total points under the variant
    pub gemiddelde_punten_na: Option<f64>,
    /// mean maximum rent incl. surcharges today, euro a month
    pub gemiddelde_maximale_huur_voor: Option<f64>,
    /// the same under the variant
    pub gemiddelde_maximale_huur_na: Option<f64>,
    /// mean Δ points
    pub delta_punten_gemiddeld: Option<f64>,
    /// mean Δ maximum rent, euro a month
    pub delta_maximale_huur_gemiddeld: Option<f64>,
    /// why a figure is withheld, by field
    pub afgeschermd: BTreeMap<String, Reason>,
}

impl PublishedTelling {
    /// A published count by column name (`None`: withheld or unknown name).
    pub fn aantal(&self, name: &str) -> Option<u64> {
        self.aantallen.get(name).copied().flatten()
    }
}

/// The comparison as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedVergelijking {
    /// the variants applied: (naam, file, geldig_vanaf)
    pub varianten: Vec<(String, String, String)>,
    /// the peildatum
    pub peildatum: String,
    /// per buurt
    pub buurten: BTreeMap<String, PublishedTelling>,
    /// the portfolio
    pub totaal: PublishedTelling,
    /// the portfolio's maximum rents (whole euro) at the 10th, 25th, 50th, 75th and 90th
    /// percentile, today and under the variant; `None` under 10·k dwellings
    pub kwantielen: Option<Vec<(u32, u64, u64)>>,
    /// the portfolio's moves between segments (`sociaal_naar_middenhuur`, …: the dwellings
    /// that cross 143/144 or 186/187 points), each shown when 0 or at least k
    pub wissels: BTreeMap<String, Option<u64>>,
    /// dwellings valued today but not under the variant
    pub fouten: u64,
    /// the suppression rule used
    #[serde(skip)]
    pub options: veerkracht_privacy::Options,
    /// the frame and its publication (for audits)
    #[serde(skip)]
    pub frame: (Frame, PublishedFrame),
}

/// The published count columns per buurt, in frame order: `aantal`, the segments before
/// and after, `omhoog`, `omlaag`.
pub fn kolommen() -> Vec<String> {
    let mut out = vec!["aantal".to_string()];
    for s in SEGMENTEN {
        out.push(format!("voor.{s}"));
    }
    for s in SEGMENTEN {
        out.push(format!("na.{s}"));
    }
    out.push("omhoog".into());
    out.push("omlaag".into());
    out
}

/// Suppresses the comparison with the rent mix of the same voorraad under today's rules
/// (`mix`, and its publication `published` with the same options), whose dwelling and segment
/// cells pin this frame's.
pub fn publish(
    v: &Vergelijking,
    mix: &Mix,
    published: &PublishedMix,
    opts: &veerkracht_privacy::Options,
) -> PublishedVergelijking {
    let codes: Vec<&String> = v.buurten.keys().collect();
    let col = |f: &dyn Fn(&Telling) -> u64| -> Vec<u64> {
        codes.iter().map(|c| f(&v.buurten[*c])).collect()
    };
    let mut f = Frame::new(codes.iter().map(|c| c.to_string()).collect());
    let aantal = f.add("aantal", true, col(&|t| t.woningen));
    let name = |s: usize| SEGMENTEN.get(s).copied().unwrap_or("geen");
    let voor: [usize; 4] =
        std::array::from_fn(|s| f.add(format!("voor.{}", name(s)), s < 3, col(&|t| t.voor()[s])));
    let na: [usize; 4] =
        std::array::from_fn(|s| f.add(format!("na.{}", name(s)), s < 3, col(&|t| t.na()[s])));
    let omhoog = f.add("omhoog", true, col(&|t| t.omhoog));
    let omlaag = f.add("omlaag", true, col(&|t| t.omlaag));
    let gelijk = f.add("gelijk", false, col(&|t| t.woningen - t.omhoog - t.omlaag));
    let mut ids: Vec<(Vec<usize>, usize)> = vec![(voor.to_vec(), aantal), (na.to_vec(), aantal)];
    ids.push((vec![omhoog, omlaag, gelijk], aantal));
    for (members, total) in ids {
        f.identity(&members, total)
            .expect("the comparison adds up (built with Vergelijking::add)");
    }

    // pins: the rent mix's cells of the same dwellings
    let pins_of = crate::segment_pins(mix, published);
    let nb = codes.len();
    let mut pins: Vec<(usize, Vec<Option<Pin>>)> = Vec::new();
    let pin = |c: Cell| match c {
        Cell::Shown(_) => Pin::Shown,
        Cell::Withheld(w) => Pin::Withheld(w),
    };
    let totaal_cells = [
        published.totaal.aantal,
        published.totaal.sociaal,
        published.totaal.middenhuur,
        published.totaal.vrije_sector,
    ];
    let totaal_raw = [
        mix.mix.totaal.aantal as u64,
        mix.mix.totaal.sociaal as u64,
        mix.mix.totaal.middenhuur as u64,
        mix.mix.totaal.vrije_sector as u64,
    ];
    let totaal_here = [
        v.totaal.woningen,
        v.totaal.voor()[0],
        v.totaal.voor()[1],
        v.totaal.voor()[2],
    ];
    for (i, c) in [aantal, voor[0], voor[1], voor[2]].into_iter().enumerate() {
        let mut p: Vec<Option<Pin>> = vec![None; nb + 1];
        for (b, code) in codes.iter().enumerate() {
            let here = if i == 0 {
                v.buurten[*code].woningen
            } else {
                v.buurten[*code].voor()[i - 1]
            };
            if let Some(cells) = pins_of.get(*code)
                && cells[i].0 == here
            {
                p[b] = Some(pin(cells[i].1));
            }
        }
        if totaal_raw[i] == totaal_here[i] {
            p[nb] = Some(match totaal_cells[i] {
                Some(_) => Pin::Shown,
                None => Pin::Withheld(Reason::Secondary),
            });
        }
        pins.push((c, p));
    }
    // the after-picture is hidden where the before-picture is: a segment's count after is
    // its count before plus the moves, so a shown count after next to a withheld one
    // before (with the moves) gives the one before away (the audit finds each such case,
    // one round at a time; seeding them is the same answer, rounds faster)
    let mirror: Vec<(usize, Vec<Option<Pin>>)> = pins
        .iter()
        .skip(1)
        .zip(na)
        .map(|((_, p), c)| {
            let m = p
                .iter()
                .map(|x| match x {
                    Some(Pin::Withheld(_)) => Some(Pin::Withheld(Reason::Secondary)),
                    _ => None,
                })
                .collect();
            (c, m)
        })
        .collect();
    pins.extend(mirror);
    let p = f.suppress_audited_with(opts, &pins);

    let names = kolommen();
    let read = |row: usize, t: &Telling| {
        let mut afg = BTreeMap::new();
        let mut aantallen = BTreeMap::new();
        for name in &names {
            let c = f.column(name).expect("a published column");
            let x = match p.cell(row, c) {
                Cell::Shown(x) => Some(x),
                Cell::Withheld(r) => {
                    afg.insert(name.clone(), r);
                    None
                }
            };
            aantallen.insert(name.clone(), x);
        }
        let shown = aantallen["aantal"].is_some();
        let mut mean = |field: &str, x: Option<f64>| {
            if shown {
                x.map(|x| (x * 100.0).round() / 100.0)
            } else {
                afg.insert(field.to_string(), Reason::Base);
                None
            }
        };
        PublishedTelling {
            gemiddelde_punten_voor: mean("gemiddelde_punten_voor", t.mean(t.som_punten_voor, 1.0)),
            gemiddelde_punten_na: mean("gemiddelde_punten_na", t.mean(t.som_punten_na, 1.0)),
            gemiddelde_maximale_huur_voor: mean(
                "gemiddelde_maximale_huur_voor",
                t.mean(t.som_max_voor, 100.0),
            ),
            gemiddelde_maximale_huur_na: mean(
                "gemiddelde_maximale_huur_na",
                t.mean(t.som_max_na, 100.0),
            ),
            delta_punten_gemiddeld: mean(
                "delta_punten_gemiddeld",
                t.mean(t.som_punten_na - t.som_punten_voor, 1.0),
            ),
            delta_maximale_huur_gemiddeld: mean(
                "delta_maximale_huur_gemiddeld",
                t.mean(t.som_max_na - t.som_max_voor, 100.0),
            ),
            aantallen,
            afgeschermd: afg,
        }
    };
    let buurten = codes
        .iter()
        .enumerate()
        .map(|(r, c)| ((*c).clone(), read(r, &v.buurten[*c])))
        .collect();
    let totaal = read(nb, &v.totaal);
    let kwantielen = (v.totaal.woningen >= 10 * opts.k).then(|| {
        [10u32, 25, 50, 75, 90]
            .iter()
            .filter_map(|q| v.kwantiel(f64::from(*q) / 100.0).map(|(a, b)| (*q, a, b)))
            .collect()
    });
    let wissels = SEGMENTEN
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            SEGMENTEN
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(move |(j, b)| {
                    let x = v.totaal.wissels[i][j];
                    (
                        format!("{a}_naar_{b}"),
                        (x == 0 || x >= opts.k).then_some(x),
                    )
                })
        })
        .collect();
    PublishedVergelijking {
        wissels,
        varianten: v.varianten.clone(),
        peildatum: v.peildatum.clone(),
        buurten,
        totaal,
        kwantielen,
        fouten: v.totaal.fouten,
        options: *opts,
        frame: (f, p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3,000 dwellings over 12 buurten: every type, label and a wide range of WOZ values.
    fn stock() -> String {
        let labels = ["A++", "A+", "A", "B", "C", "D", "E", "F", "G", ""];
        let mut s = String::from(
            "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur\n",
        );
        for i in 0..3000u64 {
            let h = i.wrapping_mul(2_654_435_761) % 1_000_003;
            s.push_str(&format!(
                "V{i};BU{:04};{};{};{};{};{};{};{}\n",
                h % 12,
                if h % 3 == 0 { "EGW" } else { "MGW" },
                1930 + h % 95,
                30 + h % 110,
                1 + h % 6,
                labels[(h % 10) as usize],
                90_000 + (h * 7) % 700_000,
                400 + h % 700,
            ));
        }
        s
    }

    fn variant(file: &str) -> Variant {
        Variant::meegeleverd(file).unwrap().unwrap()
    }

    #[test]
    fn threads_and_order_do_not_change_the_answer() {
        let text = stock();
        let units = veerkracht_wws::flat::parse_csv(&text).unwrap();
        let v = [variant("woz-cap-25.toml"), variant("label-a-plafond.toml")];
        let one = vergelijk(&units, &Options::default(), &v).unwrap();
        for threads in [1, 2, 3] {
            let csv = vergelijk_csv(&text, &Options::default(), &v, threads).unwrap();
            assert_eq!(csv, one, "{threads} threads");
        }
        let mut rev = units.clone();
        rev.reverse();
        assert_eq!(vergelijk(&rev, &Options::default(), &v).unwrap(), one);
        assert_eq!(one.totaal.woningen, 3000);
        assert!(one.totaal.omlaag > 0, "{:?}", one.totaal);
    }

    #[test]
    fn counts_add_up_and_match_a_direct_valuation() {
        let units = veerkracht_wws::flat::parse_csv(&stock()).unwrap();
        let v = [variant("label-a-plafond.toml")];
        let c = vergelijk(&units, &Options::default(), &v).unwrap();
        let na = options_with(&Options::default(), &v).unwrap();
        let (mut down, mut dp) = (0u64, 0i64);
        for u in &units {
            let a = u.waardeer_punten(&Options::default()).unwrap();
            let b = u.waardeer_punten(&na).unwrap();
            if b.maximale_huur_inclusief_opslag < a.maximale_huur_inclusief_opslag {
                down += 1;
            }
            dp += (b.punten - a.punten) as i64;
        }
        assert_eq!(c.totaal.omlaag, down);
        assert_eq!(c.totaal.som_punten_na - c.totaal.som_punten_voor, dp);
        // only labels A+ and better lose points: nothing rises
        assert_eq!(c.totaal.omhoog, 0);
        let per_buurt: u64 = c.buurten.values().map(|t| t.woningen).sum();
        assert_eq!(per_buurt, c.totaal.woningen);
        assert_eq!(c.totaal.voor().iter().sum::<u64>(), c.totaal.woningen);
        assert_eq!(c.totaal.na().iter().sum::<u64>(), c.totaal.woningen);
    }

    #[test]
    fn the_publication_is_pinned_to_the_rent_mix_and_leaks_nothing() {
        let units = veerkracht_wws::flat::parse_csv(&stock()).unwrap();
        let opts = veerkracht_privacy::Options::default();
        let mix = crate::mix_of(&units, &Options::default());
        let published = crate::publish(&mix, None, &opts);
        for file in ["woz-cap-vanaf-144.toml", "woz-vrijstelling.toml"] {
            let c = vergelijk(&units, &Options::default(), &[variant(file)]).unwrap();
            let p = publish(&c, &mix, &published, &opts);
            let (f, pf) = &p.frame;
            assert!(f.audit(pf).is_empty(), "{file}: {:?}", f.audit(pf));
            for (code, b) in &p.buurten {
                let m = &published.buurten[code];
                assert_eq!(b.aantal("aantal"), m.aantal, "{file} {code}");
                assert_eq!(b.aantal("voor.sociaal"), m.sociaal, "{file} {code}");
                assert_eq!(b.aantal("voor.middenhuur"), m.middenhuur, "{file} {code}");
                for (k, x) in &b.aantallen {
                    assert!(
                        x.is_none_or(|x| x == 0 || x >= opts.k),
                        "{file} {code} {k} = {x:?}"
                    );
                }
                if b.aantal("aantal").is_none() {
                    assert!(b.delta_maximale_huur_gemiddeld.is_none());
                }
            }
            assert!(p.kwantielen.is_some());
        }
    }
}
