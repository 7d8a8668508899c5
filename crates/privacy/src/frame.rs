//! Linked tables: several count tables about the same units, suppressed together.
//!
//! A [`Frame`] has one row per area (buurt) and one column per count. Columns of several
//! tables live side by side: the segments, the points bands and the energy labels of a
//! buurt are all columns of one frame. An [`Identity`] says that some columns add up to
//! another in every row (the segments add up to the buurt's dwellings; so do the bands, so
//! do the labels): the buurt's dwelling count is then *one* slot shared by all three
//! tables, a shared margin. Every column also has a total over the rows (the portfolio
//! total), and the identities hold in the total row as well.
//!
//! Some columns are never published ([`Column::published`] false): helper counts that make
//! a relation exact, such as "dwellings in no band" or the joint count of a points band and
//! a segment. They are unknowns to a reader, but a reader who knows the rules may know
//! that some of them are zero (a dwelling in the band 144–186 is never social rent), so
//! every unpublished zero is taken to be known.
//!
//! [`Frame::suppress`] withholds, in one go over all linked tables:
//!
//! 1. **primary**: every published count from 1 to k − 1 (zeros too with
//!    [`Options::suppress_zero`]);
//! 2. **secondary**, until nothing below holds: a reader walks the lines (every identity in
//!    every row, every column with its total): a line with exactly one unknown gives it
//!    away. When the walk reaches a withheld count, or an unpublished count from 1 to
//!    k − 1, or when a line with a known total leaves its unknown members a sum from 1 to
//!    k − 1 (a group of fewer than k units, or a mean over them), another count of that
//!    line is withheld: the smallest shown positive count, else a shown zero, else the
//!    line's total; when the line has none left, a count of a line the walk used to get
//!    there. Members come first: a count of the lines the walk used is withheld before any
//!    line's total (a total is a margin many counts rest on, such as a buurt's
//!    dwellings). Each step withholds one more count, so it ends. (When every count the
//!    walk used is pinned or given by the rules, nothing can be done; [`Frame::audit`]
//!    reports it.)
//!
//! [`Frame::suppress_with`] takes [`Pin`]s: counts another publication already shows (known
//! to every reader, never withheld here) or withholds (withheld here too). A second frame
//! that adds columns to a first one (the retrofit what-if beside the rent mix) pins the
//! first frame's columns to what was published, so both publications together leak
//! nothing that the walk can find.

use crate::{Cell, Options, Reason};

/// One count column of a [`Frame`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// unique within the frame; how [`Frame::column`] finds the column
    pub name: String,
    /// false: a helper count that is never published (it only makes a relation exact)
    pub published: bool,
}

/// In every row (and in the total row): the members add up to the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// the member columns (indices into [`Frame::columns`])
    pub members: Vec<usize>,
    /// the column the members add up to
    pub total: usize,
}

/// What another publication already did with a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// shown elsewhere: known to every reader, shown here too and never withheld
    Shown,
    /// withheld elsewhere: withheld here too
    Withheld(Reason),
}

/// Linked count tables: rows × columns with identities between columns (see the module
/// documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    rows: Vec<String>,
    columns: Vec<Column>,
    /// per column, per row
    values: Vec<Vec<u64>>,
    pub(crate) identities: Vec<Identity>,
}

impl Frame {
    /// An empty frame with these rows (areas).
    pub fn new(rows: Vec<String>) -> Frame {
        Frame {
            rows,
            columns: Vec::new(),
            values: Vec::new(),
            identities: Vec::new(),
        }
    }

    /// The row labels (areas), in the order the columns' counts are given.
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// The columns in the order they were added; a column's index is its position here.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The count of a row, or of the total row (`row == rows().len()`).
    pub fn value(&self, row: usize, column: usize) -> u64 {
        let v = &self.values[column];
        if row == v.len() {
            v.iter().sum()
        } else {
            v[row]
        }
    }

    /// Adds a column (one count per row) and returns its index.
    ///
    /// # Panics
    /// When `values` has another length than the rows, or the name is taken.
    pub fn add(&mut self, name: impl Into<String>, published: bool, values: Vec<u64>) -> usize {
        let name = name.into();
        assert_eq!(
            values.len(),
            self.rows.len(),
            "column {name}: one count per row"
        );
        assert!(self.column(&name).is_none(), "column {name} twice");
        self.columns.push(Column { name, published });
        self.values.push(values);
        self.columns.len() - 1
    }

    /// Declares that `members` add up to `total` in every row; refused (with the first row
    /// where it fails) when the counts say otherwise.
    pub fn identity(&mut self, members: &[usize], total: usize) -> Result<(), String> {
        let n = self.columns.len();
        if let Some(bad) = members.iter().chain([&total]).find(|&&c| c >= n) {
            return Err(format!("identity: no column {bad}"));
        }
        for (r, name) in self.rows.iter().enumerate() {
            let sum: u64 = members.iter().map(|&c| self.values[c][r]).sum();
            let t = self.values[total][r];
            if sum != t {
                return Err(format!(
                    "row {name}: {} add up to {sum}, not to {} = {t}",
                    members
                        .iter()
                        .map(|&c| self.columns[c].name.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                    self.columns[total].name
                ));
            }
        }
        self.identities.push(Identity {
            members: members.to_vec(),
            total,
        });
        Ok(())
    }

    /// The identities declared with [`Frame::identity`], in declaration order.
    pub fn identities(&self) -> &[Identity] {
        &self.identities
    }

    /// Primary and secondary suppression of every published count (module documentation).
    pub fn suppress(&self, opts: &Options) -> PublishedFrame {
        self.suppress_with(opts, &[])
    }

    /// [`Frame::suppress`] with pins: `(column, one pin per row and then the total)`.
    ///
    /// # Panics
    /// When a pinned column is unpublished or a pin list has the wrong length.
    pub fn suppress_with(
        &self,
        opts: &Options,
        pins: &[(usize, Vec<Option<Pin>>)],
    ) -> PublishedFrame {
        let mut e = Engine::new(self, opts, pins);
        e.run();
        e.published()
    }

    /// A publication with a given pattern: `withheld(row, column)` (row `rows().len()` is
    /// the total row) says which published counts are withheld and why; the rest are shown
    /// as they are. For audits of a pattern made elsewhere (what a reader saw).
    pub fn published_as(
        &self,
        opts: &Options,
        withheld: &dyn Fn(usize, usize) -> Option<Reason>,
    ) -> PublishedFrame {
        let nr = self.rows.len() + 1;
        let cells = (0..self.columns.len())
            .map(|c| {
                (0..nr)
                    .map(|r| match withheld(r, c) {
                        Some(why) if self.columns[c].published => Cell::Withheld(why),
                        _ if !self.columns[c].published => Cell::Withheld(Reason::Secondary),
                        _ => Cell::Shown(self.value(r, c)),
                    })
                    .collect()
            })
            .collect();
        PublishedFrame {
            columns: self.columns.clone(),
            cells,
            options: *opts,
        }
    }

    /// [`Frame::suppress`], then the linked-table audit ([`crate::audit`]): while the
    /// interval of a withheld count (or of an unpublished count from 1 to k − 1) that a
    /// reader can compute from *all* published counts together breaks the protection rule,
    /// another count near it is withheld (the smallest shown positive count of its lines,
    /// else of the lines of the unknown counts next to it), and the line walk runs again.
    /// Each round withholds at least one more count, so it ends. A count the rule fails for
    /// although nothing near it can be withheld (pins, known zeros): when it was withheld
    /// only to protect others (0 or at least k) and the reader computes it exactly anyway,
    /// it is shown (it protected nothing, and showing it adds nothing the reader did not
    /// know); otherwise it is left as it is and [`crate::audit::failures`] reports it.
    pub fn suppress_audited(&self, opts: &Options) -> PublishedFrame {
        self.suppress_audited_with(opts, &[])
    }

    /// [`Frame::suppress_audited`] with pins (as [`Frame::suppress_with`]).
    ///
    /// # Panics
    /// When a pinned column is unpublished or a pin list has the wrong length.
    pub fn suppress_audited_with(
        &self,
        opts: &Options,
        pins: &[(usize, Vec<Option<Pin>>)],
    ) -> PublishedFrame {
        let mut e = Engine::new(self, opts, pins);
        e.run();
        let mut auditor = crate::audit::Auditor::new(e.nr, self.columns.len());
        let mut stuck = vec![false; e.value.len()];
        loop {
            let p = e.snapshot();
            let all: Vec<_> = auditor
                .run(self, &p, false, None)
                .into_iter()
                .filter(|c| !c.protected && !c.by_rules)
                .collect();
            let fails: Vec<usize> = all
                .iter()
                .map(|c| c.column * e.nr + c.row)
                .filter(|&s| !stuck[s])
                .collect();
            if fails.is_empty() {
                return e.reveal_determined(p, &all);
            }
            // one more withheld count per row and round (several failures in a row often
            // share a cause)
            let (known, _, _) = e.closure();
            let mut touched = vec![false; e.nr];
            let mut progressed = false;
            for s in fails {
                if touched[s % e.nr] {
                    continue;
                }
                match e.pick_near(s, &known) {
                    Some(t) => {
                        e.status[t] = St::Secondary;
                        touched[s % e.nr] = true;
                        touched[t % e.nr] = true;
                        progressed = true;
                    }
                    None => stuck[s] = true,
                }
            }
            if progressed {
                e.run();
            }
        }
    }

    /// What a reader who walks the lines learns that they should not: every withheld count
    /// they can solve, every unpublished count from 1 to k − 1 they can solve, every line with
    /// a known total whose unknown members add up to 1..k − 1, every shown count below k.
    /// Empty: nothing leaks.
    pub fn audit(&self, p: &PublishedFrame) -> Vec<String> {
        self.audit_with(p, &[])
    }

    /// [`Frame::audit`] of a publication made with pins: pinned shown counts are known to
    /// the reader (and may be small: another publication showed them).
    pub fn audit_with(
        &self,
        p: &PublishedFrame,
        pins: &[(usize, Vec<Option<Pin>>)],
    ) -> Vec<String> {
        let opts = p.options;
        let mut e = Engine::new(self, &opts, pins);
        // take the published state as given
        for c in 0..self.columns.len() {
            if !self.columns[c].published {
                continue;
            }
            for r in 0..=self.rows.len() {
                let s = e.slot(r, c);
                e.status[s] = match p.cells[c][r] {
                    Cell::Shown(_) => St::Shown,
                    Cell::Withheld(Reason::Small) => St::Small,
                    Cell::Withheld(Reason::Secondary | Reason::Base) => St::Secondary,
                };
            }
        }
        let mut out = Vec::new();
        for c in 0..self.columns.len() {
            if !self.columns[c].published {
                continue;
            }
            for r in 0..=self.rows.len() {
                let s = e.slot(r, c);
                if e.status[s] == St::Shown && small(e.value[s], &opts) && !e.pinned[s] {
                    out.push(format!("{} is shown but small", e.name(s)));
                }
                if let Cell::Shown(x) = p.cells[c][r]
                    && x != e.value[s]
                {
                    out.push(format!("{} is shown as {x}, not {}", e.name(s), e.value[s]));
                }
            }
        }
        let (known, derived, _) = e.closure();
        for (s, d) in derived.iter().enumerate() {
            if d.is_some() && e.protected(s) {
                out.push(format!("{} can be solved", e.name(s)));
            }
        }
        for (li, (members, total)) in e.lines.iter().enumerate() {
            if let Some(sum) = e.unknown_sum(li, &known)
                && small(sum, &opts)
            {
                out.push(format!(
                    "{} minus the known members leaves {sum} for {}",
                    e.name(*total),
                    members
                        .iter()
                        .filter(|&&m| !known[m])
                        .map(|&m| e.name(m))
                        .collect::<Vec<_>>()
                        .join(" + ")
                ));
            }
        }
        out
    }
}

/// Linked tables as they may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFrame {
    columns: Vec<Column>,
    /// per column: the rows, then the total (unpublished columns hold placeholders)
    pub(crate) cells: Vec<Vec<Cell>>,
    /// the rule the frame was suppressed with
    pub options: Options,
}

impl PublishedFrame {
    /// The published count of a row.
    ///
    /// # Panics
    /// For a column that is never published.
    pub fn cell(&self, row: usize, column: usize) -> Cell {
        assert!(
            self.columns[column].published,
            "column {} is not published",
            self.columns[column].name
        );
        self.cells[column][row]
    }

    /// The published total of a column.
    pub fn total(&self, column: usize) -> Cell {
        let n = self.cells[column].len() - 1;
        self.cell(n, column)
    }

    /// The column with this name (the same index as in the [`Frame`] it was published from).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column's cells as pins for a frame that extends this one (rows, then the total).
    pub fn pins(&self, column: usize) -> Vec<Option<Pin>> {
        self.cells[column]
            .iter()
            .map(|c| {
                Some(match c {
                    Cell::Shown(_) => Pin::Shown,
                    Cell::Withheld(r) => Pin::Withheld(*r),
                })
            })
            .collect()
    }

    /// Pins for every published column (same column indices in the extending frame).
    pub fn all_pins(&self) -> Vec<(usize, Vec<Option<Pin>>)> {
        (0..self.columns.len())
            .filter(|&c| self.columns[c].published)
            .map(|c| (c, self.pins(c)))
            .collect()
    }

    /// Withheld published counts: (primary, secondary).
    pub fn counts(&self) -> (usize, usize) {
        let mut p = (0, 0);
        for (c, col) in self.columns.iter().enumerate() {
            if !col.published {
                continue;
            }
            for x in &self.cells[c] {
                match x {
                    Cell::Withheld(Reason::Small) => p.0 += 1,
                    Cell::Withheld(Reason::Secondary | Reason::Base) => p.1 += 1,
                    Cell::Shown(_) => {}
                }
            }
        }
        p
    }
}

pub(crate) fn small(x: u64, o: &Options) -> bool {
    (x > 0 && x < o.k) || (x == 0 && o.suppress_zero)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Shown,
    Small,
    Secondary,
    /// an unpublished count
    Hidden,
}

/// Slot `c * nr + r`: column c, row r (r = rows is the total row).
struct Engine<'a> {
    f: &'a Frame,
    opts: Options,
    nr: usize,
    value: Vec<u64>,
    status: Vec<St>,
    pinned: Vec<bool>,
    /// solvable from the unpublished zeros and the pinned shown counts alone: known to a
    /// reader of the rules and the other publication whatever this one shows, so neither
    /// protected nor worth withholding
    apriori: Vec<bool>,
    lines: Vec<(Vec<usize>, usize)>,
    slot_lines: Vec<Vec<usize>>,
}

impl<'a> Engine<'a> {
    fn new(f: &'a Frame, opts: &Options, pins: &[(usize, Vec<Option<Pin>>)]) -> Engine<'a> {
        let nr = f.rows.len() + 1;
        let nc = f.columns.len();
        let mut value = vec![0; nr * nc];
        let mut status = vec![St::Hidden; nr * nc];
        for c in 0..nc {
            for r in 0..nr {
                let s = c * nr + r;
                value[s] = f.value(r, c);
                if f.columns[c].published {
                    status[s] = if small(value[s], opts) {
                        St::Small
                    } else {
                        St::Shown
                    };
                }
            }
        }
        let mut pinned = vec![false; nr * nc];
        for (c, ps) in pins {
            assert!(
                f.columns[*c].published,
                "pinned column {} is not published",
                f.columns[*c].name
            );
            assert_eq!(ps.len(), nr, "one pin per row and the total");
            for (r, p) in ps.iter().enumerate() {
                let s = c * nr + r;
                match p {
                    None => {}
                    Some(Pin::Shown) => {
                        status[s] = St::Shown;
                        pinned[s] = true;
                    }
                    Some(Pin::Withheld(Reason::Small)) => status[s] = St::Small,
                    // (a count small here stays withheld as small)
                    Some(Pin::Withheld(Reason::Secondary | Reason::Base))
                        if status[s] == St::Shown =>
                    {
                        status[s] = St::Secondary;
                    }
                    Some(Pin::Withheld(Reason::Secondary | Reason::Base)) => {}
                }
            }
        }
        let mut lines: Vec<(Vec<usize>, usize)> = Vec::new();
        for r in 0..nr {
            for id in &f.identities {
                lines.push((
                    id.members.iter().map(|&c| c * nr + r).collect(),
                    id.total * nr + r,
                ));
            }
        }
        for c in 0..nc {
            lines.push(((0..nr - 1).map(|r| c * nr + r).collect(), c * nr + nr - 1));
        }
        let mut slot_lines = vec![Vec::new(); nr * nc];
        for (li, (members, total)) in lines.iter().enumerate() {
            for &s in members.iter().chain([total]) {
                slot_lines[s].push(li);
            }
        }
        let mut e = Engine {
            f,
            opts: *opts,
            nr,
            value,
            status,
            pinned,
            apriori: vec![false; nr * nc],
            lines,
            slot_lines,
        };
        let start: Vec<bool> = (0..nr * nc)
            .map(|s| (e.status[s] == St::Hidden && e.value[s] == 0) || e.pinned[s])
            .collect();
        e.apriori = e.walk(start).0;
        e
    }

    fn slot(&self, r: usize, c: usize) -> usize {
        c * self.nr + r
    }

    fn name(&self, s: usize) -> String {
        let (c, r) = (s / self.nr, s % self.nr);
        let row = self.f.rows.get(r).map_or("totaal", String::as_str);
        format!("{}[{row}]", self.f.columns[c].name)
    }

    /// A count the reader must not learn: a withheld one, or an unpublished one below k.
    fn protected(&self, s: usize) -> bool {
        if self.apriori[s] {
            return false;
        }
        match self.status[s] {
            St::Small | St::Secondary => true,
            St::Hidden => self.value[s] > 0 && self.value[s] < self.opts.k,
            St::Shown => false,
        }
    }

    /// What the reader knows after walking the lines, which line gave each solved count, and
    /// the solved counts in the order the walk found them.
    fn closure(&self) -> (Vec<bool>, Vec<Option<usize>>, Vec<usize>) {
        let known: Vec<bool> = (0..self.value.len())
            .map(|s| {
                self.apriori[s]
                    || match self.status[s] {
                        St::Shown => true,
                        St::Hidden => self.value[s] == 0,
                        St::Small | St::Secondary => false,
                    }
            })
            .collect();
        self.walk(known)
    }

    /// Walks the lines from what is known.
    fn walk(&self, mut known: Vec<bool>) -> (Vec<bool>, Vec<Option<usize>>, Vec<usize>) {
        let mut derived = vec![None; self.value.len()];
        let mut order = Vec::new();
        let mut unknown: Vec<usize> = self
            .lines
            .iter()
            .map(|(m, t)| m.iter().chain([t]).filter(|&&s| !known[s]).count())
            .collect();
        let mut queue: Vec<usize> = (0..self.lines.len())
            .filter(|&l| unknown[l] == 1)
            .rev()
            .collect();
        while let Some(l) = queue.pop() {
            if unknown[l] != 1 {
                continue;
            }
            let (m, t) = &self.lines[l];
            let Some(&u) = m.iter().chain([t]).find(|&&s| !known[s]) else {
                continue;
            };
            known[u] = true;
            derived[u] = Some(l);
            order.push(u);
            for &l2 in &self.slot_lines[u] {
                unknown[l2] -= 1;
                if unknown[l2] == 1 {
                    queue.push(l2);
                }
            }
        }
        (known, derived, order)
    }

    /// The sum of a line's unknown members when its total is known and some member is not.
    /// (Nothing when the subtraction uses only what the rules give.)
    fn unknown_sum(&self, l: usize, known: &[bool]) -> Option<u64> {
        let (m, t) = &self.lines[l];
        if !known[*t] || m.iter().all(|&s| known[s]) {
            return None;
        }
        if self.apriori[*t] && m.iter().all(|&s| !known[s] || self.apriori[s]) {
            return None;
        }
        Some(
            m.iter()
                .filter(|&&s| !known[s])
                .map(|&s| self.value[s])
                .sum(),
        )
    }

    /// The line that gives something away first: the first protected count the walk solves
    /// (fixing the start of a chain often fixes the chain), else the first line that leaves
    /// a small group.
    fn violation(
        &self,
        known: &[bool],
        derived: &[Option<usize>],
        order: &[usize],
        fixed: &[bool],
    ) -> Option<usize> {
        if let Some(l) = order
            .iter()
            .filter(|&&s| self.protected(s))
            .filter_map(|&s| derived[s])
            .find(|&l| !fixed[l])
        {
            return Some(l);
        }
        (0..self.lines.len()).find(|&l| {
            !fixed[l]
                && self
                    .unknown_sum(l, known)
                    .is_some_and(|sum| small(sum, &self.opts))
        })
    }

    fn free(&self, s: usize) -> bool {
        self.status[s] == St::Shown && !self.pinned[s] && !self.apriori[s]
    }

    /// The count of line `l` to withhold: the smallest shown positive member, else a shown
    /// zero, else (when `total`) the total.
    fn pick_in(&self, l: usize, total: bool) -> Option<usize> {
        let (m, t) = &self.lines[l];
        let mut best: Option<usize> = None;
        for &s in m {
            if self.free(s)
                && self.value[s] > 0
                && best.is_none_or(|b| self.value[s] < self.value[b])
            {
                best = Some(s);
            }
        }
        best.or_else(|| {
            m.iter()
                .copied()
                .find(|&s| self.free(s) && self.value[s] == 0)
        })
        .or_else(|| (total && self.free(*t)).then_some(*t))
    }

    fn pick(&self, l: usize, derived: &[Option<usize>]) -> Option<usize> {
        // a member of the line itself, then of the lines the walk used to solve its members
        // (breadth first); a total only when none of them has a member left (a total is a
        // margin that many counts rest on, such as a buurt's dwellings)
        self.pick_bfs(l, derived, false)
            .or_else(|| self.pick_bfs(l, derived, true))
    }

    fn pick_bfs(&self, l: usize, derived: &[Option<usize>], total: bool) -> Option<usize> {
        let mut seen = vec![false; self.lines.len()];
        let mut queue = std::collections::VecDeque::from([l]);
        seen[l] = true;
        while let Some(l) = queue.pop_front() {
            if let Some(s) = self.pick_in(l, total) {
                return Some(s);
            }
            let (m, t) = &self.lines[l];
            for &s in m.iter().chain([t]) {
                if let Some(l2) = derived[s]
                    && !seen[l2]
                {
                    seen[l2] = true;
                    queue.push_back(l2);
                }
            }
        }
        // every count the walk used is fixed (pinned, or given by the rules): nothing here
        // can hide it
        None
    }

    fn run(&mut self) {
        // violations no withholding can mend (only pinned counts and the rules give them)
        let mut fixed: Vec<bool> = vec![false; self.lines.len()];
        loop {
            let (known, derived, order) = self.closure();
            let Some(l) = self.violation(&known, &derived, &order, &fixed) else {
                break;
            };
            match self.pick(l, &derived) {
                Some(s) => self.status[s] = St::Secondary,
                None => fixed[l] = true,
            }
        }
    }

    fn published(self) -> PublishedFrame {
        self.snapshot()
    }

    /// A count to withhold near the protected count `s` that the audit found pinned down:
    /// the best of [`Engine::pick_in`] over the lines of `s`, else over the lines of the
    /// unknown counts in those lines (breadth first). Smallest positive count first, then
    /// zeros, then totals.
    fn pick_near(&self, s: usize, known: &[bool]) -> Option<usize> {
        let mut seen_line = vec![false; self.lines.len()];
        let mut seen = vec![false; self.value.len()];
        seen[s] = true;
        let mut frontier = vec![s];
        let key = |x: usize| (self.value[x] == 0, self.value[x], x);
        while !frontier.is_empty() {
            let mut best: Option<usize> = None;
            let mut next = Vec::new();
            for &x in &frontier {
                for &l in &self.slot_lines[x] {
                    if seen_line[l] {
                        continue;
                    }
                    seen_line[l] = true;
                    if let Some(c) = self.pick_in(l, true)
                        && best.is_none_or(|b| key(c) < key(b))
                    {
                        best = Some(c);
                    }
                    let (m, t) = &self.lines[l];
                    for &y in m.iter().chain([t]) {
                        if !known[y] && !seen[y] {
                            seen[y] = true;
                            next.push(y);
                        }
                    }
                }
            }
            if best.is_some() {
                return best;
            }
            frontier = next;
        }
        None
    }

    /// The publication `p` with every withheld count shown that protects nothing: a count
    /// withheld to protect others (not from 1 to k − 1, not pinned) whose value a reader
    /// already computes exactly from `p` (its interval in `fails`, the audit's failures of
    /// `p`, is a single point). Showing it tells the reader nothing new (every value
    /// consistent with `p` stays consistent), so the audit of every other count is
    /// unchanged; withholding it would only leave a failure nothing near can cure.
    fn reveal_determined(
        &mut self,
        p: PublishedFrame,
        fails: &[crate::audit::CellInterval],
    ) -> PublishedFrame {
        let mut revealed = false;
        for c in fails {
            let s = c.column * self.nr + c.row;
            if c.exact
                && !c.small
                && c.upper - c.lower < 1e-6
                && self.status[s] == St::Secondary
                && !self.pinned[s]
                && self.f.columns[c.column].published
            {
                self.status[s] = St::Shown;
                revealed = true;
            }
        }
        if revealed { self.snapshot() } else { p }
    }

    fn snapshot(&self) -> PublishedFrame {
        let nc = self.f.columns.len();
        let cells = (0..nc)
            .map(|c| {
                (0..self.nr)
                    .map(|r| {
                        let s = c * self.nr + r;
                        match self.status[s] {
                            St::Shown => Cell::Shown(self.value[s]),
                            St::Small => Cell::Withheld(Reason::Small),
                            // unpublished columns: placeholders, never handed out
                            St::Secondary | St::Hidden => Cell::Withheld(Reason::Secondary),
                        }
                    })
                    .collect()
            })
            .collect();
        PublishedFrame {
            columns: self.f.columns.clone(),
            cells,
            options: self.opts,
        }
    }
}
