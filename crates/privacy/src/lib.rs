//! # veerkracht-privacy
//!
//! The one suppression layer every figure computed from household- or dwelling-level data
//! (a corporation's own stock and allocation data, simulation microdata) passes through
//! before it reaches a page, an export or the API (issue 8, item 4).
//!
//! A [`Table`] of counts (rows × columns, for example buurten × rent segments) is published
//! with its row totals, column totals and grand total. [`suppress`] withholds:
//!
//! 1. **primary**: every count from 1 to k − 1 (k = 10 by default, [`Options::k`]) — cells
//!    and totals alike; zeros are shown unless [`Options::suppress_zero`];
//! 2. **secondary**: every *line* — a row with its row total, a column with its column
//!    total, the row totals with the grand total, the column totals with the grand total —
//!    is an equation (members sum to the total). A line with exactly one withheld member
//!    would give it away by subtraction, so another member is withheld: the smallest shown
//!    positive count of the line (ties: the first), else a shown zero, else the line's
//!    total. The same happens when a line's total is shown and its withheld members add up
//!    to 1..k − 1 (the subtraction would give a group of fewer than k units). This repeats
//!    until no line gives anything away.
//!
//! Several tables about the same units — the segments, the points bands and the energy
//! labels of one buurt all add up to the buurt's dwellings — must be suppressed *together*,
//! or the total that one table shows gives away a cell that another withholds. A [`Frame`]
//! holds them side by side, one column per count, with [`Identity`]s between columns (the
//! buurt's dwelling count is one slot, a shared margin of all its tables), helper counts
//! that are never published (the joint count of a band and a segment) and [`Pin`]s for
//! what another publication already shows or withholds. [`suppress`] is the frame of one
//! table; see [`frame`] for the rule in full.
//!
//! What holds for every table and frame (`tests/properties.rs`, `tests/frames.rs`): no
//! shown count lies in 1..k; every shown count is the input's; no line has exactly one
//! withheld member, so no withheld count can be solved from the shown ones line by line
//! (the propagation attack finds nothing to start from); no shown total minus shown members
//! leaves a group of 1..k − 1 units; pins are kept; the result is the same for the same
//! input.
//!
//! ## Where it is wired in
//!
//! - the rent mix (`veerkracht-huurmix`: the `/huurmix` page, `/api/v1/rentmix`
//!   JSON and CSV, `veerkracht wws --rent-mix`): one frame for all count tables of the
//!   buurten and the retrofit what-if to every label, suppressed with the audit
//!   ([`Frame::suppress_audited`]), so every answer is a slice of one publication; means
//!   are withheld with the count they are taken over;
//! - the simulation (`veerkracht-sim` `afscherming`: `veerkracht simulate`, `/scenarios`,
//!   `/api/v1/scenarios/run`): per year a frame of the per-buurt counts; every per-buurt
//!   figure is withheld with the count it rests on.
//!
//! k comes from one place: [`Options`] (default 10), set by `AppState::with_privacy` and by
//! `--min-cel N` on `veerkracht serve`, `veerkracht wws --rent-mix` and
//! `veerkracht simulate`; [`Options::with_k`] refuses k < 2.
//!
//! ## The linked-table audit (issue 21)
//!
//! The line walk assumes a reader who solves one line at a time. A reader who combines
//! every published count (subtracts two lines, bounds a count from several) is the
//! [`audit`]'s: for every withheld count, and every unpublished count from 1 to k − 1, it
//! computes the interval of values consistent with *all* published counts of the frame —
//! two linear programs (min and max; variables: every count the reader does not know;
//! shown counts fixed, unpublished zeros fixed at 0, every identity and column line,
//! counts ≥ 0), solved block by block (per buurt, tied only through column lines with a
//! shown total), first on the count's row and its closest partner rows, then on the whole
//! block (one program per block whose objective is switched from count to count by a warm
//! re-solve), with [`microlp`](https://docs.rs/microlp) (pure Rust). The protection rule,
//! after τ-ARGUS's protection levels: the interval holds at least two whole numbers (no
//! count is recovered exactly), and for a count from 1 to k − 1 it reaches 0 or k (the
//! reader cannot tell a group of 1 to k − 1 units exists). [`Frame::suppress_audited`]
//! runs the walk, then the audit, and withholds more until the audit passes. The
//! programs are over the reals (as τ-ARGUS's); an integer program could be narrower.
//!
//! Choices where the issue is silent: k counts units (households or dwellings), not
//! weighted amounts; zeros are shown by default (a zero discloses nothing about a
//! person); an unpublished helper count that is zero is taken to be known to the reader
//! (the rules may say so); secondary suppression prefers the smallest count (least
//! information lost), not an optimal (linear-programming) pattern. [`Frame::suppress`]
//! alone (the simulation uses it) prevents what the line walk finds; interval disclosure
//! beyond that is prevented only where [`Frame::suppress_audited`] is used.

#![warn(missing_docs)]

pub mod audit;
pub mod frame;

pub use frame::{Column, Frame, Identity, Pin, PublishedFrame};

/// Counts to publish: `cells[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Row labels (buurt codes, for example), one per row of `cells`; only carried along
    /// (a missing label reads as empty), they do not affect what is withheld.
    pub rows: Vec<String>,
    /// Column labels (rent segments, for example); `columns.len()` is the number of counts
    /// every row of `cells` must have.
    pub columns: Vec<String>,
    /// The counts of units (households or dwellings), `cells[row][column]`; the row and
    /// column totals are computed from them, not given.
    pub cells: Vec<Vec<u64>>,
}

/// The suppression rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// counts below k (and above 0) are withheld (default 10)
    pub k: u64,
    /// withhold zeros too
    pub suppress_zero: bool,
}

impl Options {
    /// The default rule with minimum cell size `k`; k < 2 is refused (k = 1 would withhold
    /// nothing).
    pub fn with_k(k: u64) -> Result<Options, String> {
        if k < 2 {
            return Err(format!(
                "minimale celgrootte {k} is te klein: kies 2 of meer (standaard 10) / minimum cell size {k} is too small: use 2 or more (default 10)"
            ));
        }
        Ok(Options {
            k,
            ..Options::default()
        })
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            k: 10,
            suppress_zero: false,
        }
    }
}

/// Why a figure is withheld (*afgeschermd*): the one list of reasons for every publication
/// (rent mix, simulation), written in JSON and CSV as [`Reason::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Reason {
    /// a count from 1 to k − 1 (primary suppression): `minder_dan_k`
    #[serde(rename = "minder_dan_k")]
    Small,
    /// would otherwise reveal another withheld count through a total (secondary
    /// suppression): `secundair`
    #[serde(rename = "secundair")]
    Secondary,
    /// a mean or share over a count that is withheld: `basis`. Never given to a count by
    /// the suppression itself; publications use it for the figures derived from counts.
    #[serde(rename = "basis")]
    Base,
}

impl Reason {
    /// The reason as written in JSON and CSV (`afgeschermd`).
    pub fn code(self) -> &'static str {
        match self {
            Reason::Small => "minder_dan_k",
            Reason::Secondary => "secundair",
            Reason::Base => "basis",
        }
    }
}

/// One published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The count may be published as it is.
    Shown(u64),
    /// The count must not be published; the reason says whether it is small itself or
    /// withheld to protect another.
    Withheld(Reason),
}

impl Cell {
    /// The count if it is shown, `None` if it is withheld.
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(x) => Some(x),
            Cell::Withheld(_) => None,
        }
    }
    /// Whether the count is withheld (for either reason).
    pub fn is_withheld(self) -> bool {
        matches!(self, Cell::Withheld(_))
    }
    /// As CBS writes it in a table: the number, or `x` (geheim).
    pub fn cbs(self) -> String {
        match self {
            Cell::Shown(x) => x.to_string(),
            Cell::Withheld(_) => "x".into(),
        }
    }
}

/// A table as it may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The table's counts, `cells[row][column]`, as in the input [`Table`] or withheld.
    pub cells: Vec<Vec<Cell>>,
    /// One total per row (the sum of the row's counts), shown or withheld.
    pub row_totals: Vec<Cell>,
    /// One total per column (the sum of the column's counts), shown or withheld.
    pub column_totals: Vec<Cell>,
    /// The grand total (the sum of all counts), shown or withheld.
    pub total: Cell,
    /// The rule the table was suppressed with (k and whether zeros are withheld).
    pub options: Options,
}

impl Published {
    /// Withheld counts: (primary, secondary).
    pub fn counts(&self) -> (usize, usize) {
        let all = self
            .cells
            .iter()
            .flatten()
            .chain(&self.row_totals)
            .chain(&self.column_totals)
            .chain(std::iter::once(&self.total));
        let mut p = (0, 0);
        for c in all {
            match c {
                Cell::Withheld(Reason::Small) => p.0 += 1,
                Cell::Withheld(Reason::Secondary | Reason::Base) => p.1 += 1,
                Cell::Shown(_) => {}
            }
        }
        p
    }
}

/// A member of a line: a cell, a row total, a column total or the grand total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Cell(usize, usize),
    Row(usize),
    Column(usize),
    Total,
}

/// Every line: (members, total) — the members sum to the total.
fn lines(n: usize, m: usize) -> Vec<(Vec<Slot>, Slot)> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(((0..m).map(|j| Slot::Cell(i, j)).collect(), Slot::Row(i)));
    }
    for j in 0..m {
        out.push(((0..n).map(|i| Slot::Cell(i, j)).collect(), Slot::Column(j)));
    }
    out.push(((0..n).map(Slot::Row).collect(), Slot::Total));
    out.push(((0..m).map(Slot::Column).collect(), Slot::Total));
    out
}

/// Applies primary and secondary suppression (see the crate documentation): the table is a
/// [`Frame`] whose columns are the table's columns plus the row totals, with one identity
/// (the cells of a row add up to its total).
///
/// # Panics
/// When a row of `cells` has another length than `columns`.
pub fn suppress(t: &Table, opts: &Options) -> Published {
    let n = t.cells.len();
    let m = t.columns.len();
    assert!(
        t.cells.iter().all(|r| r.len() == m),
        "every row needs one count per column"
    );
    let mut f = Frame::new(
        (0..n)
            .map(|i| t.rows.get(i).cloned().unwrap_or_default())
            .collect(),
    );
    for j in 0..m {
        let name = format!("{j}:{}", t.columns[j]);
        f.add(name, true, t.cells.iter().map(|r| r[j]).collect());
    }
    let sum = f.add(
        "rijtotaal",
        true,
        t.cells.iter().map(|r| r.iter().sum()).collect(),
    );
    f.identity(&(0..m).collect::<Vec<_>>(), sum)
        .expect("a row adds up to its total");
    let p = f.suppress(opts);
    Published {
        cells: (0..n)
            .map(|i| (0..m).map(|j| p.cell(i, j)).collect())
            .collect(),
        row_totals: (0..n).map(|i| p.cell(i, m)).collect(),
        column_totals: (0..m).map(|j| p.total(j)).collect(),
        total: p.total(m),
        options: *opts,
    }
}

/// Whether any withheld count can be solved from the shown counts by walking the lines: a
/// line with exactly one unknown member gives it; repeat. `true` means the table leaks.
pub fn leaks(t: &Table, p: &Published) -> bool {
    let n = t.cells.len();
    let m = t.columns.len();
    let mut known: Vec<Vec<bool>> = p
        .cells
        .iter()
        .map(|r| r.iter().map(|c| !c.is_withheld()).collect())
        .collect();
    let mut rk: Vec<bool> = p.row_totals.iter().map(|c| !c.is_withheld()).collect();
    let mut ck: Vec<bool> = p.column_totals.iter().map(|c| !c.is_withheld()).collect();
    let mut tk = !p.total.is_withheld();
    let all = lines(n, m);
    loop {
        let mut solved = false;
        for (members, tot) in &all {
            let is_known =
                |s: Slot, known: &Vec<Vec<bool>>, rk: &Vec<bool>, ck: &Vec<bool>, tk: bool| match s
                {
                    Slot::Cell(i, j) => known[i][j],
                    Slot::Row(i) => rk[i],
                    Slot::Column(j) => ck[j],
                    Slot::Total => tk,
                };
            let unknown: Vec<Slot> = members
                .iter()
                .chain(std::iter::once(tot))
                .copied()
                .filter(|&s| !is_known(s, &known, &rk, &ck, tk))
                .collect();
            if let [s] = unknown.as_slice() {
                match *s {
                    Slot::Cell(i, j) => known[i][j] = true,
                    Slot::Row(i) => rk[i] = true,
                    Slot::Column(j) => ck[j] = true,
                    Slot::Total => tk = true,
                }
                solved = true;
            }
        }
        if !solved {
            break;
        }
    }
    // a count withheld in `p` that the walk now knows is a leak
    p.cells.iter().enumerate().any(|(i, r)| {
        r.iter()
            .enumerate()
            .any(|(j, c)| c.is_withheld() && known[i][j])
    }) || p
        .row_totals
        .iter()
        .zip(&rk)
        .any(|(c, k)| c.is_withheld() && *k)
        || p.column_totals
            .iter()
            .zip(&ck)
            .any(|(c, k)| c.is_withheld() && *k)
        || (p.total.is_withheld() && tk)
}
