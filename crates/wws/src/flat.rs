//! The flat portfolio form: one CSV row per dwelling without rooms (for example the demo
//! region's `veerstad-corporatie-voorraad.csv`), turned into a unit with the assumptions of
//! `[flat]` in `data/wws/parameters.toml`. Results are estimates and carry a warning.
//!
//! Columns (header names, case-insensitive; `;` or `,` separated; decimal comma or point):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `eenheid_id` | yes | id |
//! | `woningtype` | yes | `EGW` / `MGW` |
//! | `bouwjaar` | yes | construction year |
//! | `oppervlakte_m2` | yes | gebruiksoppervlakte (m²) |
//! | `energielabel` | yes | `A++++` … `G` (empty: by bouwjaar) |
//! | `woz_waarde` | yes | euro, taken as the WOZ value on 1 January of (peildatum year − 1) |
//! | `kamers` | no | number of rooms (woonkamer + slaapkamers), 1–50, default 3 |
//! | `buurtcode` | no | for the rent mix |
//! | `kale_huur` | no | actual rent, for the rent mix |
//! | `aanrecht_mm`, `buitenruimte_m2` | no | override the assumptions |
//!
//! Other columns (`eigenaar`, `peildatum`, …) are ignored.

use serde_json::{Value, json};

use crate::model::{
    Date, Eenheid, Element, Energieprestatie, Ruimte, Stelsel, Warning, WozEenheid,
};
use crate::{Options, WwsError};

/// Most rooms a flat row may have (each becomes a room of the unit: a fuzzer's row with
/// 290 million rooms exhausted memory).
const MAX_KAMERS: f64 = 50.0;

/// One row of the flat form.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatUnit {
    /// `eenheid_id` as written (becomes the unit's id)
    pub id: String,
    /// `buurtcode` (for the rent mix), None when the column is missing or empty
    pub buurtcode: Option<String>,
    /// `woningtype`: true for an eengezinswoning (`EGW`), false for a meergezinswoning (`MGW`)
    pub eengezins: bool,
    /// construction year (a whole number)
    pub bouwjaar: i32,
    /// gebruiksoppervlakte in m² (positive)
    pub oppervlakte_m2: f64,
    /// rooms (woonkamer + slaapkamers), 1–50; 3 when the column is missing or empty
    pub kamers: u32,
    /// label display name (`A+`), None = unknown
    pub energielabel: Option<String>,
    /// WOZ value in euro (positive), taken as the value on 1 January of the peildatum's
    /// year − 1
    pub woz_waarde: f64,
    /// the actual kale huur in euro a month, if given (the rent mix compares it with the
    /// maximum rent)
    pub kale_huur: Option<f64>,
    /// kitchen worktop length in mm, overriding `[flat] aanrecht_mm`
    pub aanrecht_mm: Option<f64>,
    /// private outdoor space in m², overriding `[flat] buitenruimte_m2_egw` / `_mgw`
    pub buitenruimte_m2: Option<f64>,
}

fn split(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if q && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => q = !q,
            c if c == sep && !q => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

/// The fields of a line, trimmed; borrowed from the line unless it has a quote.
fn fields<'a>(line: &'a str, sep: char, out: &mut Vec<std::borrow::Cow<'a, str>>) {
    out.clear();
    // one pass over the bytes; a quote anywhere: the quoting reader
    let sep_b = u8::try_from(sep).expect("an ASCII separator");
    let mut start = 0;
    for (i, b) in line.bytes().enumerate() {
        if b == sep_b {
            out.push(std::borrow::Cow::Borrowed(line[start..i].trim()));
            start = i + 1;
        } else if b == b'"' {
            out.clear();
            out.extend(split(line, sep).into_iter().map(std::borrow::Cow::Owned));
            return;
        }
    }
    out.push(std::borrow::Cow::Borrowed(line[start..].trim()));
}

fn number(s: &str, decimal_comma: bool) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // plain digits (most fields): exact as an integer below 2^53, as `parse::<f64>` gives
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t.bytes().fold(0u64, |a, b| a * 10 + u64::from(b - b'0')) as f64);
    }
    if decimal_comma && t.contains(['.', ',']) {
        // thousands points dropped, decimal comma → point (on the stack when short)
        let mut buf = [0u8; 64];
        let mut n = 0;
        for b in t.bytes() {
            let c = match b {
                b'.' => continue,
                b',' => b'.',
                c => c,
            };
            if n == buf.len() {
                let long = t.replace('.', "").replace(',', ".");
                return long.parse().ok().filter(|x: &f64| x.is_finite());
            }
            buf[n] = c;
            n += 1;
        }
        return std::str::from_utf8(&buf[..n])
            .ok()?
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite());
    }
    t.parse().ok().filter(|x: &f64| x.is_finite())
}

/// The columns of a flat CSV (from its header line).
struct Header {
    sep: char,
    decimal_comma: bool,
    cols: Vec<String>,
    c_id: usize,
    c_type: usize,
    c_bj: usize,
    c_opp: usize,
    c_label: usize,
    c_woz: usize,
    c_kamers: Option<usize>,
    c_buurt: Option<usize>,
    c_huur: Option<usize>,
    c_aanrecht: Option<usize>,
    c_buiten: Option<usize>,
}

impl Header {
    fn parse(header: &str) -> Result<Header, WwsError> {
        let header = header.trim_start_matches('\u{feff}');
        let sep = if header.contains(';') { ';' } else { ',' };
        let cols: Vec<String> = split(header, sep)
            .into_iter()
            .map(|c| c.to_lowercase())
            .collect();
        let col = |name: &str| cols.iter().position(|c| c == name);
        let req = |name: &str| {
            col(name).ok_or_else(|| {
                WwsError::Input(format!("flat CSV: required column {name:?} is missing"))
            })
        };
        Ok(Header {
            sep,
            decimal_comma: sep == ';',
            c_id: req("eenheid_id")?,
            c_type: req("woningtype")?,
            c_bj: req("bouwjaar")?,
            c_opp: req("oppervlakte_m2")?,
            c_label: req("energielabel")?,
            c_woz: req("woz_waarde")?,
            c_kamers: col("kamers"),
            c_buurt: col("buurtcode"),
            c_huur: col("kale_huur"),
            c_aanrecht: col("aanrecht_mm"),
            c_buiten: col("buitenruimte_m2"),
            cols,
        })
    }

    /// One data line (`i`: its 0-based line index, for errors); `f` is a field buffer.
    fn row<'a>(
        &self,
        i: usize,
        line: &'a str,
        f: &mut Vec<std::borrow::Cow<'a, str>>,
    ) -> Result<FlatUnit, WwsError> {
        let mut u = FlatUnit {
            id: String::new(),
            buurtcode: None,
            eengezins: false,
            bouwjaar: 0,
            oppervlakte_m2: 0.0,
            kamers: 3,
            energielabel: None,
            woz_waarde: 0.0,
            kale_huur: None,
            aanrecht_mm: None,
            buitenruimte_m2: None,
        };
        self.row_into(i, line, f, &mut u)?;
        Ok(u)
    }

    /// [`Header::row`] into `u`, reusing its texts' allocations.
    fn row_into<'a>(
        &self,
        i: usize,
        line: &'a str,
        f: &mut Vec<std::borrow::Cow<'a, str>>,
        u: &mut FlatUnit,
    ) -> Result<(), WwsError> {
        fields(line, self.sep, f);
        let at = |c: usize| f.get(c).map(|s| s.as_ref()).unwrap_or("");
        let bad = |c: usize, what: &str| {
            WwsError::Input(format!(
                "flat CSV line {}: column {:?} = {:?} is not {what}",
                i + 1,
                self.cols[c],
                at(c)
            ))
        };
        let num = |c: usize| number(at(c), self.decimal_comma);
        let ty = at(self.c_type);
        let eengezins = if ty.eq_ignore_ascii_case("EGW") {
            true
        } else if ty.eq_ignore_ascii_case("MGW") {
            false
        } else {
            return Err(bad(self.c_type, "EGW or MGW"));
        };
        let label = at(self.c_label).trim();
        let bouwjaar = num(self.c_bj)
            .filter(|x| x.fract() == 0.0)
            .ok_or_else(|| bad(self.c_bj, "a year"))? as i32;
        let oppervlakte_m2 = num(self.c_opp)
            .filter(|x| *x > 0.0)
            .ok_or_else(|| bad(self.c_opp, "a positive area"))?;
        let kamers = match self.c_kamers.map(num) {
            Some(Some(k)) if (1.0..=MAX_KAMERS).contains(&k) && k.fract() == 0.0 => k as u32,
            Some(Some(_)) => {
                return Err(bad(
                    self.c_kamers.unwrap_or(0),
                    "a whole number of rooms from 1 to 50",
                ));
            }
            _ => 3,
        };
        let woz_waarde = num(self.c_woz)
            .filter(|x| *x > 0.0)
            .ok_or_else(|| bad(self.c_woz, "a positive amount"))?;
        u.id.clear();
        u.id.push_str(at(self.c_id));
        set_opt(
            &mut u.buurtcode,
            self.c_buurt.map(at).filter(|s| !s.is_empty()),
        );
        u.eengezins = eengezins;
        u.bouwjaar = bouwjaar;
        u.oppervlakte_m2 = oppervlakte_m2;
        u.kamers = kamers;
        set_opt(&mut u.energielabel, Some(label).filter(|s| !s.is_empty()));
        u.woz_waarde = woz_waarde;
        u.kale_huur = self.c_huur.and_then(num);
        u.aanrecht_mm = self.c_aanrecht.and_then(num);
        u.buitenruimte_m2 = self.c_buiten.and_then(num);
        Ok(())
    }
}

/// Sets an optional text (None: absent), reusing its allocation.
fn set_opt(s: &mut Option<String>, v: Option<&str>) {
    match v {
        Some(v) => set(s, v),
        None => *s = None,
    }
}

/// Non-blank lines with their 0-based line index.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
}

/// Parses the flat CSV. Errors name the line and column.
pub fn parse_csv(text: &str) -> Result<Vec<FlatUnit>, WwsError> {
    let mut lines = data_lines(text);
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let h = Header::parse(header)?;
    let mut f = Vec::new();
    lines.map(|(i, line)| h.row(i, line, &mut f)).collect()
}

/// Parses and values a flat CSV by the points-only path on `threads` threads and maps
/// every row with `f` (for example to its points, or to an output line). The results are
/// in row order, the same for any number of threads. A row that cannot be read fails the
/// whole text with the error [`parse_csv`] gives.
pub fn waardeer_punten_csv<T, F>(
    text: &str,
    opts: &Options,
    threads: usize,
    f: F,
) -> Result<Vec<T>, WwsError>
where
    T: Send,
    F: Fn(&FlatUnit, Result<crate::Punten, WwsError>) -> T + Sync,
{
    let mut out = Vec::new();
    waardeer_punten_csv_stream(text, opts, threads, f, |mut v| out.append(&mut v))?;
    Ok(out)
}

/// Bytes of the text one thread values per round of [`waardeer_punten_csv_stream`].
const RONDE_BYTES: usize = 2 << 20;

/// [`waardeer_punten_csv`] in rounds of a few megabytes per thread, handing every round's
/// results to `sink` in row order: the memory used does not grow with the portfolio (a
/// national stock can be written out as it is valued). On an unreadable row the rounds
/// before it have been handed over and the error is that of [`parse_csv`] (with its line
/// number). Returns the number of rows.
pub fn waardeer_punten_csv_stream<T, F, S>(
    text: &str,
    opts: &Options,
    threads: usize,
    f: F,
    sink: S,
) -> Result<usize, WwsError>
where
    T: Send,
    F: Fn(&FlatUnit, Result<crate::Punten, WwsError>) -> T + Sync,
    S: FnMut(Vec<T>),
{
    let (rows, _) = rows_csv_stream(
        text,
        threads,
        || FlatWaardeerder::new(opts),
        |w, u| f(u, w.punten(u)),
        sink,
    )?;
    Ok(rows)
}

/// Values every row of a flat CSV twice, under `voor` and under `na` (e.g. today's rules
/// and a policy variant, [`crate::variant`]), on `threads` threads, in rounds as
/// [`waardeer_punten_csv_stream`]; `f` maps a row and its two valuations, `sink` takes
/// every round's results in row order. Returns the number of rows.
pub fn vergelijk_csv_stream<T, F, S>(
    text: &str,
    voor: &Options,
    na: &Options,
    threads: usize,
    f: F,
    sink: S,
) -> Result<usize, WwsError>
where
    T: Send,
    F: Fn(&FlatUnit, Result<crate::Punten, WwsError>, Result<crate::Punten, WwsError>) -> T + Sync,
    S: FnMut(Vec<T>),
{
    let (rows, _) = rows_csv_stream(
        text,
        threads,
        || (FlatWaardeerder::new(voor), FlatWaardeerder::new(na)),
        |(a, b), u| f(u, a.punten(u), b.punten(u)),
        sink,
    )?;
    Ok(rows)
}

/// Reads a flat CSV in rounds of a few megabytes per thread and maps every row with
/// `row(state, unit)`, one `state` per thread (made by `state`); hands every round's results
/// to `sink` in row order and returns the number of rows and the states. On an unreadable
/// row the rounds before it have been handed over and the error is that of [`parse_csv`]
/// (with its line number).
pub fn rows_csv_stream<W, T, M, R, S>(
    text: &str,
    threads: usize,
    state: M,
    row: R,
    mut sink: S,
) -> Result<(usize, Vec<W>), WwsError>
where
    W: Send,
    T: Send,
    M: Fn() -> W,
    R: Fn(&mut W, &FlatUnit) -> T + Sync,
    S: FnMut(Vec<T>),
{
    let mut lines = data_lines(text);
    let Some((hi, header)) = lines.next() else {
        return Ok((0, Vec::new()));
    };
    let h = Header::parse(header)?;
    // the data after the header line
    let start = header.as_ptr() as usize - text.as_ptr() as usize + header.len();
    let body = &text[start..];
    let threads = threads.max(1);
    let mut states: Vec<W> = (0..threads).map(|_| state()).collect();
    let block = |w: &mut W, part: &str| -> Result<Vec<T>, WwsError> {
        let mut out = Vec::with_capacity(part.len() / 48);
        let mut fields = Vec::new();
        let mut u: Option<FlatUnit> = None;
        // line numbers only matter for an error (recomputed then by parse_csv)
        for line in part.lines().filter(|l| !l.trim().is_empty()) {
            let u = match &mut u {
                Some(u) => {
                    h.row_into(hi, line, &mut fields, u)?;
                    &*u
                }
                None => {
                    u = Some(h.row(hi, line, &mut fields)?);
                    u.as_ref().expect("set")
                }
            };
            out.push(row(w, u));
        }
        Ok(out)
    };
    let mut pos = 0;
    let mut rows = 0;
    while pos < body.len() {
        // this round: up to threads × RONDE_BYTES, ending after a newline
        let mut end = (pos + threads * RONDE_BYTES).min(body.len());
        while end < body.len() && !body.is_char_boundary(end) {
            end += 1;
        }
        let end = body[end..].find('\n').map_or(body.len(), |p| end + p + 1);
        let parts = crate::bulk::blocks(&body[pos..end], threads);
        pos = end;
        let results: Vec<Result<Vec<T>, WwsError>> = if parts.len() == 1 {
            vec![block(&mut states[0], parts[0])]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = parts
                    .iter()
                    .zip(states.iter_mut())
                    .map(|(part, w)| {
                        let block = &block;
                        s.spawn(move || block(w, part))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("valuation thread panicked"))
                    .collect()
            })
        };
        for r in results {
            match r {
                Ok(v) => {
                    rows += v.len();
                    sink(v);
                }
                // the error with its line number, as the sequential reader gives it
                Err(_) => return Err(parse_csv(text).expect_err("a row failed")),
            }
        }
    }
    Ok((rows, states))
}

/// A small fast hash for the memo keys of [`FlatWaardeerder`] (integers only; not
/// for keys an attacker chooses to collide: the memo is capped, see [`MEMO_MAX`]).
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u64(u64::from(i as u32));
    }
    fn write_u64(&mut self, i: u64) {
        // FxHash's step
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

type Memo<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Entries a memo of [`FlatWaardeerder`] keeps at most; when full it starts again (a
/// stock with many distinct fractional areas stays bounded in memory).
pub const MEMO_MAX: usize = 1 << 17;

/// No value (an `f64`'s bits that [`number`] never gives: a NaN).
const GEEN: u64 = u64::MAX;

fn bits(x: Option<f64>) -> u64 {
    x.map_or(GEEN, f64::to_bits)
}

/// What a flat row's rooms are made from: type, area, rooms, worktop, outdoor space.
type RuimteKey = (bool, u64, u32, u64, u64);
/// What ENE depends on in the flat form: type, label (packed), bouwjaar.
type EneKey = (bool, u64, i32);

/// A label of ≤ 7 bytes packed with its length (0: none); `None`: longer (not a label the
/// tables know).
fn pack_label(l: Option<&str>) -> Option<u64> {
    let Some(l) = l else { return Some(0) };
    if l.len() > 7 {
        return None;
    }
    let mut x = l.len() as u64;
    for b in l.bytes() {
        x = (x << 8) | u64::from(b);
    }
    Some(x)
}

/// Values flat rows by the points-only path, fast: the rubrieken that depend only on what a
/// row's rooms are made from (OVZ, OOZ, VKV, BUI, KEU, SAN and the WOZ area: type, area,
/// rooms, worktop, outdoor space) and ENE (type, label, bouwjaar) are computed once per
/// distinct key by the same code as [`crate::waardeer_punten`] and remembered; per row only
/// the WOZ rubriek, the total, the maximum rent and the segment are computed (again by the
/// same code). Rows the shortcut does not cover (strict mode,
/// the COROP rule for small new-build, WOZ factors older than the value, an unknown label)
/// take [`FlatUnit::waardeer_punten`]'s way. Warnings of the remembered rubrieken are
/// remembered with them and given again in the same order. The result equals
/// [`FlatUnit::waardeer_punten`] bit for bit, warnings included (`tests/points_only.rs`).
///
/// One per thread (it keeps its memo and a scratch unit).
pub struct FlatWaardeerder<'o> {
    opts: &'o Options,
    factor: Option<crate::tables::WozFactor>,
    ruimten: Memo<RuimteKey, Option<(crate::kern::RuimtenDelen, Vec<Warning>)>>,
    ene: Memo<EneKey, Option<(f64, Vec<Warning>)>>,
    e: Eenheid,
    snel: usize,
    /// the COROP rule's bouwjaar range and area bound at the peildatum
    corop: (i32, i32, f64),
}

impl<'o> FlatWaardeerder<'o> {
    /// A valuer for rows under `opts` (its peildatum picks the tables), with empty memos.
    pub fn new(opts: &'o Options) -> Self {
        let t = opts.tabellen();
        let wpd = Date::new(opts.peildatum.year - 1, 1, 1);
        let factor = t
            .woz_factor_op(wpd, opts.peildatum)
            .filter(|f| f.waardepeildatum.year >= wpd.year);
        FlatWaardeerder {
            opts,
            factor,
            ruimten: Memo::default(),
            ene: Memo::default(),
            e: Eenheid::default(),
            snel: 0,
            corop: {
                let b = t.beleid(opts.peildatum).woz;
                (b.corop_bouwjaar_van, b.corop_bouwjaar_tot, b.corop_max_m2)
            },
        }
    }

    /// Points, maximum rent and segment of a row ([`FlatUnit::waardeer_punten`]).
    pub fn punten(&mut self, u: &FlatUnit) -> Result<crate::Punten, WwsError> {
        match self.snel(u) {
            Some(p) => {
                self.snel += 1;
                p
            }
            None => {
                u.fill(self.opts, &mut self.e);
                crate::waardeer_punten(&self.e, self.opts)
            }
        }
    }

    /// How many rows took the shortcut so far (for tests and benchmarks).
    #[doc(hidden)]
    pub fn shortcut_count(&self) -> usize {
        self.snel
    }

    /// The shortcut (`None`: not covered).
    fn snel(&mut self, u: &FlatUnit) -> Option<Result<crate::Punten, WwsError>> {
        let opts = self.opts;
        let factor = self.factor?;
        if opts.strict
            || !(u.woz_waarde.is_finite() && u.woz_waarde != 0.0)
            // zel::corop_regel would warn about the missing woonplaats
            || ((self.corop.0..=self.corop.1).contains(&u.bouwjaar)
                && u.oppervlakte_m2.round() < self.corop.2)
        {
            return None;
        }
        let rk: RuimteKey = (
            u.eengezins,
            u.oppervlakte_m2.to_bits(),
            u.kamers,
            bits(u.aanrecht_mm),
            bits(u.buitenruimte_m2),
        );
        let ek: EneKey = (
            u.eengezins,
            pack_label(u.energielabel.as_deref())?,
            u.bouwjaar,
        );
        if !self.ruimten.contains_key(&rk) {
            u.fill(opts, &mut self.e);
            let r = crate::kern::ruimten_delen(&self.e, opts);
            if self.ruimten.len() >= MEMO_MAX {
                self.ruimten.clear();
            }
            self.ruimten.insert(rk, r);
        }
        let mut warnings = match self.ene.get(&ek) {
            Some(x) => {
                let (ene, w) = x.as_ref()?;
                (*ene, w.clone())
            }
            None => {
                u.fill(opts, &mut self.e);
                let x = crate::kern::ene_met_warnings(&self.e, opts);
                let out = x.clone();
                if self.ene.len() >= MEMO_MAX {
                    self.ene.clear();
                }
                self.ene.insert(ek, x);
                out?
            }
        };
        let (r, kamer_warnings) = self.ruimten.get(&rk).and_then(Option::as_ref)?;
        // after ENE's, once each (as Ctx::warn)
        for w in kamer_warnings {
            if !warnings.1.contains(w) {
                warnings.1.push(w.clone());
            }
        }
        let ene = warnings.0;
        let prior = [r.ovz, r.ooz, r.vkv, r.bui, ene, r.keu, r.san, 0.0, 0.0];
        let woz = crate::kern::Woz {
            waarde: u.woz_waarde,
            factor,
            opp: r.woz_opp,
            corop: false,
            bouwjaar: Some(u.bouwjaar),
        };
        Some(crate::kern::woz_en_totaal(
            prior,
            &woz,
            false,
            opts.peildatum,
            opts.tabellen(),
            &mut warnings.1,
        ))
    }
}

/// The warning every valuation of a flat row carries: it is an estimate.
pub fn schatting() -> Warning {
    Warning {
        field: "flat".into(),
        message: "estimate from the flat portfolio form ([flat] assumptions for rooms, kitchen, sanitary and outdoor space)".into(),
    }
}

/// VERA label code of a display name (`A++` → `APP`).
fn label_code(naam: &str) -> String {
    label_code_str(naam).to_string()
}

fn label_code_str(naam: &str) -> &str {
    match naam {
        "A+" => "AP",
        "A++" => "APP",
        "A+++" => "AP3",
        "A++++" => "AP4",
        x => x,
    }
}

/// Sets an optional text, reusing its allocation.
fn set(s: &mut Option<String>, v: &str) {
    match s {
        Some(x) => {
            x.clear();
            x.push_str(v);
        }
        None => *s = Some(v.to_string()),
    }
}

/// Sets a list of texts, reusing the allocations.
fn set_list(l: &mut Vec<String>, v: &[&str]) {
    l.truncate(v.len());
    for (i, x) in v.iter().enumerate() {
        match l.get_mut(i) {
            Some(s) => {
                s.clear();
                s.push_str(x);
            }
            None => l.push(x.to_string()),
        }
    }
}

impl FlatUnit {
    /// The VERA unit this row stands for under the `[flat]` assumptions.
    pub fn to_vera(&self, opts: &Options) -> Value {
        let a = &opts.tabellen().flat;
        let pd = opts.peildatum;
        let vertrekken = self.oppervlakte_m2 * a.aandeel_vertrekken;
        let overige = self.oppervlakte_m2 * a.aandeel_overige;
        // woonkamer 40 % of the vertrekken, keuken 12 %, badkamer 8 %, the rest over the
        // bedrooms (the split does not change the points, only the names)
        let slaapkamers = self.kamers.saturating_sub(1).max(1);
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        let mut ruimten = vec![
            json!({"id": "woonkamer", "naam": "Woonkamer", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "WOO"}, "oppervlakte": r2(vertrekken * 0.40), "verwarmd": true}),
            json!({"id": "keuken", "naam": "Keuken", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "KEU"}, "oppervlakte": r2(vertrekken * 0.12), "verwarmd": true,
                   "bouwkundigeElementen": [{"id": "aanrecht", "detailSoort": {"code": "AAN"},
                                              "lengte": self.aanrecht_mm.unwrap_or(a.aanrecht_mm)}]}),
            json!({"id": "badkamer", "naam": "Badkamer", "soort": {"code": "VTK"},
                   "detailSoort": {"code": "BAD"}, "oppervlakte": r2(vertrekken * 0.08), "verwarmd": true,
                   "installaties": a.sanitair.iter().map(|c| json!({"code": c})).collect::<Vec<_>>()}),
        ];
        // the rest of the vertrekken so that the rounded parts add up to the total
        let used: f64 = [0.40, 0.12, 0.08].iter().map(|f| r2(vertrekken * f)).sum();
        let rest = r2(vertrekken) - used;
        for k in 0..slaapkamers {
            let opp = if k + 1 == slaapkamers {
                r2(rest - r2(rest / f64::from(slaapkamers)) * f64::from(slaapkamers - 1))
            } else {
                r2(rest / f64::from(slaapkamers))
            };
            ruimten.push(json!({"id": format!("slaapkamer{}", k + 1), "naam": "Slaapkamer",
                "soort": {"code": "VTK"}, "detailSoort": {"code": "SLA"}, "oppervlakte": opp, "verwarmd": true}));
        }
        if a.apart_toilet {
            ruimten.push(json!({"id": "toilet", "naam": "Toilet", "soort": {"code": "OVR"},
                "detailSoort": {"code": "TOI"}, "oppervlakte": 1.2, "installaties": [{"code": "STO"}]}));
        }
        if overige > 0.0 {
            ruimten.push(
                json!({"id": "berging", "naam": "Berging", "soort": {"code": "OVR"},
                "detailSoort": {"code": "BER"}, "oppervlakte": r2(overige)}),
            );
        }
        let buiten = self.buitenruimte_m2.unwrap_or(if self.eengezins {
            a.buitenruimte_m2_egw
        } else {
            a.buitenruimte_m2_mgw
        });
        if buiten > 0.0 {
            let (code, naam) = if self.eengezins {
                ("TUI", "Tuin")
            } else {
                ("BAL", "Balkon")
            };
            ruimten.push(
                json!({"id": "buiten", "naam": naam, "soort": {"code": "BTR"},
                "detailSoort": {"code": code}, "oppervlakte": buiten}),
            );
        }
        let mut u = json!({
            "id": self.id,
            "Woningwaarderingstelsel": {"code": "ZEL"},
            "bouwjaar": self.bouwjaar,
            "panden": [{"soort": {"code": if self.eengezins { "EGW" } else { "MGW" }}}],
            "monumenten": [],
            "gebruiksoppervlakte": self.oppervlakte_m2.round(),
            "wozEenheden": [{"vastgesteldeWaarde": self.woz_waarde,
                             "waardepeildatum": format!("{}-01-01", pd.year - 1)}],
            "ruimten": ruimten,
        });
        if let Some(l) = &self.energielabel {
            u["energieprestaties"] = json!([{
                "soort": {"code": "NTA"}, "status": {"code": "DEF"},
                "label": {"code": label_code(l), "naam": l},
                "begindatum": format!("{}-01-01", pd.year - 1),
                "einddatum": format!("{}-01-01", pd.year + 9),
            }]);
        }
        u
    }

    /// The unit of [`FlatUnit::to_vera`] built directly (no JSON): equal to parsing
    /// `to_vera` (`tests/points_only.rs` checks it), which gives no warnings.
    pub fn to_eenheid(&self, opts: &Options) -> Eenheid {
        let mut e = Eenheid::default();
        self.fill(opts, &mut e);
        e
    }

    /// [`FlatUnit::to_eenheid`] into `e`, reusing its allocations (for bulk runs).
    pub fn fill(&self, opts: &Options, e: &mut Eenheid) {
        let a = &opts.tabellen().flat;
        let pd = opts.peildatum;
        let vertrekken = self.oppervlakte_m2 * a.aandeel_vertrekken;
        let overige = self.oppervlakte_m2 * a.aandeel_overige;
        let slaapkamers = self.kamers.saturating_sub(1).max(1);
        let r2 = |x: f64| (x * 100.0).round() / 100.0;

        set(&mut e.id, &self.id);
        e.stelsel = Some(Stelsel::Zelfstandig);
        e.bouwjaar = Some(self.bouwjaar);
        e.begin_bouwdatum = None;
        e.in_exploitatiedatum = None;
        e.datum_afsluiten_huurovereenkomst = None;
        e.doelgroep = None;
        match &mut e.monumenten {
            Some(m) => m.clear(),
            None => e.monumenten = Some(Vec::new()),
        }
        set_list(&mut e.panden, &[if self.eengezins { "EGW" } else { "MGW" }]);
        e.prijscomponenten.clear();
        e.gebruiksoppervlakte = Some(self.oppervlakte_m2.round());
        e.bag_gebruikers_oppervlakte = None;
        e.woonplaats_code = None;
        e.adres = false;
        e.adres_postcode_huisnummer = false;
        e.woz_eenheden.clear();
        e.woz_eenheden.push(WozEenheid {
            vastgestelde_waarde: Some(self.woz_waarde),
            waardepeildatum: Some(Date::new(pd.year - 1, 1, 1)),
        });
        match &self.energielabel {
            Some(l) => {
                e.energieprestaties.resize_with(1, Default::default);
                let ep: &mut Energieprestatie = &mut e.energieprestaties[0];
                set(&mut ep.soort, "NTA");
                set(&mut ep.status, "DEF");
                ep.begindatum = Some(Date::new(pd.year - 1, 1, 1));
                ep.einddatum = Some(Date::new(pd.year + 9, 1, 1));
                set(&mut ep.label_code, label_code_str(l));
                set(&mut ep.label_naam, l);
                ep.waarde = None;
            }
            None => e.energieprestaties.clear(),
        }

        // rooms in the order of to_vera
        let mut n = 0;
        let mut room =
            |e: &mut Eenheid, id: &str, naam: &str, soort: &str, detail: &str, opp: f64| {
                if e.ruimten.len() == n {
                    e.ruimten.push(Ruimte::default());
                }
                let r = &mut e.ruimten[n];
                n += 1;
                set(&mut r.id, id);
                set(&mut r.naam, naam);
                set(&mut r.soort, soort);
                set(&mut r.detail_soort, detail);
                r.detail_soort_naam = None;
                r.oppervlakte = Some(opp);
                r.verwarmd = (soort == "VTK").then_some(true);
                r.lengte = None;
                r.breedte = None;
                r.hoogte = None;
                r.verkoeld = None;
                r.gedeeld_met_aantal_adressen = None;
                r.gedeeld_met_aantal_onzelfstandige_woonruimten = None;
                r.aantal = None;
                r.installaties.clear();
                if detail != "KEU" {
                    r.bouwkundige_elementen.clear();
                }
                r.verbonden_ruimten.clear();
                n - 1
            };
        room(
            e,
            "woonkamer",
            "Woonkamer",
            "VTK",
            "WOO",
            r2(vertrekken * 0.40),
        );
        let k = room(e, "keuken", "Keuken", "VTK", "KEU", r2(vertrekken * 0.12));
        let els = &mut e.ruimten[k].bouwkundige_elementen;
        els.resize_with(1, Element::default);
        let el = &mut els[0];
        set(&mut el.id, "aanrecht");
        el.naam = None;
        set(&mut el.code, "AAN");
        el.lengte = Some(self.aanrecht_mm.unwrap_or(a.aanrecht_mm));
        let b = room(
            e,
            "badkamer",
            "Badkamer",
            "VTK",
            "BAD",
            r2(vertrekken * 0.08),
        );
        let sanitair: Vec<&str> = a.sanitair.iter().map(String::as_str).collect();
        set_list(&mut e.ruimten[b].installaties, &sanitair);
        let used: f64 = [0.40, 0.12, 0.08].iter().map(|f| r2(vertrekken * f)).sum();
        let rest = r2(vertrekken) - used;
        let mut id = String::new();
        for k in 0..slaapkamers {
            let opp = if k + 1 == slaapkamers {
                r2(rest - r2(rest / f64::from(slaapkamers)) * f64::from(slaapkamers - 1))
            } else {
                r2(rest / f64::from(slaapkamers))
            };
            id.clear();
            id.push_str("slaapkamer");
            let mut digits = [0u8; 10];
            let mut i = digits.len();
            let mut x = k + 1;
            loop {
                i -= 1;
                digits[i] = b'0' + (x % 10) as u8;
                x /= 10;
                if x == 0 {
                    break;
                }
            }
            id.push_str(std::str::from_utf8(&digits[i..]).expect("digits"));
            room(e, &id, "Slaapkamer", "VTK", "SLA", opp);
        }
        if a.apart_toilet {
            let t = room(e, "toilet", "Toilet", "OVR", "TOI", 1.2);
            set_list(&mut e.ruimten[t].installaties, &["STO"]);
        }
        if overige > 0.0 {
            room(e, "berging", "Berging", "OVR", "BER", r2(overige));
        }
        let buiten = self.buitenruimte_m2.unwrap_or(if self.eengezins {
            a.buitenruimte_m2_egw
        } else {
            a.buitenruimte_m2_mgw
        });
        if buiten > 0.0 {
            let (code, naam) = if self.eengezins {
                ("TUI", "Tuin")
            } else {
                ("BAL", "Balkon")
            };
            room(e, "buiten", naam, "BTR", code, buiten);
        }
        e.ruimten.truncate(n);
    }

    /// Points, maximum rent and segment of the row (the numbers of [`FlatUnit::waardeer`],
    /// by the points-only path).
    pub fn waardeer_punten(&self, opts: &Options) -> Result<crate::Punten, WwsError> {
        crate::waardeer_punten(&self.to_eenheid(opts), opts)
    }

    /// Values the row (an estimate: the result carries a warning saying so).
    pub fn waardeer(&self, opts: &Options) -> Result<crate::Resultaat, WwsError> {
        let e = self.to_eenheid(opts);
        let mut r = crate::waardeer(&e, opts)?;
        let mut all = vec![schatting()];
        all.append(&mut r.warnings);
        r.warnings = all;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = "eenheid_id;buurtcode;woningtype;bouwjaar;oppervlakte_m2;kamers;energielabel;woz_waarde;kale_huur;eigenaar;peildatum\n\
VS000001;BU99990101;MGW;1968;62;3;D;187000;612,40;Woonstichting Veerstad;2024-01-01\n\
VS000002;BU99990101;EGW;2004;104;5;A;312000;901,15;Veerstad Wonen;2024-01-01\n";

    #[test]
    fn parses_demo_stock_format() {
        let u = parse_csv(DEMO).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].kale_huur, Some(612.40));
        assert!(!u[0].eengezins && u[1].eengezins);
        assert_eq!(u[1].energielabel.as_deref(), Some("A"));
        let err = parse_csv("eenheid_id;woningtype\nx;MGW\n").unwrap_err();
        assert!(err.to_string().contains("bouwjaar"));
        let err = parse_csv(&DEMO.replace(";MGW;", ";FLAT;")).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn values_flat_rows() {
        let opts = Options::default();
        for u in parse_csv(DEMO).unwrap() {
            let r = u.waardeer(&opts).unwrap();
            // the area of the vertrekken is 75 % of the gebruiksoppervlakte
            let ovz = r.groep("OVZ").unwrap().punten.unwrap();
            assert_eq!(ovz, (u.oppervlakte_m2 * 0.75).round(), "{}", u.id);
            assert!(r.warnings.iter().any(|w| w.field == "flat"));
            assert!(r.punten > 40.0);
        }
    }
}
