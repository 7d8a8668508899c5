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
//!    total. This repeats until no line has exactly one withheld member.
//!
//! What holds for every table (`tests/properties.rs`): no shown count lies in 1..k; every
//! shown count is the input's; no line has exactly one withheld member, so no withheld
//! count can be solved from the shown ones line by line (the propagation attack finds
//! nothing to start from); the result is the same for the same table.
//!
//! Choices where the issue is silent: k counts units (households or dwellings), not
//! weighted amounts; zeros are shown by default (a zero discloses nothing about a
//! person); secondary suppression prefers the smallest count (least information lost),
//! not an optimal (linear-programming) pattern; interval disclosure (bounds from several
//! lines together) is not prevented beyond what k and two unknowns per line give.

/// Counts to publish: `cells[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
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

impl Default for Options {
    fn default() -> Self {
        Options {
            k: 10,
            suppress_zero: false,
        }
    }
}

/// Why a count is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// below k
    Small,
    /// would otherwise reveal another withheld count
    Secondary,
}

/// One published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Shown(u64),
    Withheld(Reason),
}

impl Cell {
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(x) => Some(x),
            Cell::Withheld(_) => None,
        }
    }
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
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
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
                Cell::Withheld(Reason::Secondary) => p.1 += 1,
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

/// Applies primary and secondary suppression (see the crate documentation).
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
    let value = |s: Slot| -> u64 {
        match s {
            Slot::Cell(i, j) => t.cells[i][j],
            Slot::Row(i) => t.cells[i].iter().sum(),
            Slot::Column(j) => t.cells.iter().map(|r| r[j]).sum(),
            Slot::Total => t.cells.iter().flatten().sum(),
        }
    };
    let small = |x: u64| (x > 0 && x < opts.k) || (x == 0 && opts.suppress_zero);
    let mut cells: Vec<Vec<Cell>> = t
        .cells
        .iter()
        .map(|r| {
            r.iter()
                .map(|&x| {
                    if small(x) {
                        Cell::Withheld(Reason::Small)
                    } else {
                        Cell::Shown(x)
                    }
                })
                .collect()
        })
        .collect();
    let primary = |x: u64| {
        if small(x) {
            Cell::Withheld(Reason::Small)
        } else {
            Cell::Shown(x)
        }
    };
    let mut row_totals: Vec<Cell> = (0..n).map(|i| primary(value(Slot::Row(i)))).collect();
    let mut column_totals: Vec<Cell> = (0..m).map(|j| primary(value(Slot::Column(j)))).collect();
    let mut total = primary(value(Slot::Total));
    let all_lines = lines(n, m);
    loop {
        let mut changed = false;
        for (members, tot) in &all_lines {
            let get = |s: Slot, c: &Vec<Vec<Cell>>, r: &Vec<Cell>, k: &Vec<Cell>, g: Cell| match s {
                Slot::Cell(i, j) => c[i][j],
                Slot::Row(i) => r[i],
                Slot::Column(j) => k[j],
                Slot::Total => g,
            };
            let withheld = members
                .iter()
                .chain(std::iter::once(tot))
                .filter(|&&s| get(s, &cells, &row_totals, &column_totals, total).is_withheld())
                .count();
            if withheld != 1 {
                continue;
            }
            // the smallest shown positive member, else a shown zero, else the total
            let shown: Vec<(Slot, u64)> = members
                .iter()
                .filter_map(|&s| {
                    get(s, &cells, &row_totals, &column_totals, total)
                        .shown()
                        .map(|x| (s, x))
                })
                .collect();
            let pick = shown
                .iter()
                .filter(|(_, x)| *x > 0)
                .min_by_key(|(_, x)| *x)
                .or_else(|| shown.iter().find(|(_, x)| *x == 0))
                .map(|(s, _)| *s)
                .unwrap_or(*tot);
            let w = Cell::Withheld(Reason::Secondary);
            match pick {
                Slot::Cell(i, j) => cells[i][j] = w,
                Slot::Row(i) => row_totals[i] = w,
                Slot::Column(j) => column_totals[j] = w,
                Slot::Total => total = w,
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
    Published {
        cells,
        row_totals,
        column_totals,
        total,
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
