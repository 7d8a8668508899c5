//! The linked-table audit: what a reader who combines *every* published count of a frame
//! can learn about each withheld one (interval disclosure), the way statistical offices
//! audit a suppression pattern (τ-ARGUS's audit, R sdcTable's `attack`).
//!
//! For every count the publication must protect — a withheld published count, or an
//! unpublished helper count from 1 to k − 1 — the audit computes the interval of values
//! consistent with everything published, as two linear programs (minimum and maximum):
//!
//! - variables: every count of the frame the reader does not know (withheld counts and
//!   unpublished helper counts, in every row and in the total row);
//! - fixed: every shown count at its published value, and every unpublished count that is
//!   zero at 0 (the rules may say so: the frame's known zeros);
//! - constraints: every [`crate::Identity`] in every row, every column adding up to its
//!   total, every count ≥ 0.
//!
//! The identities in the total row follow from those of the rows and the column lines, so
//! they are left out; a column whose total is unknown then only defines that total, so its
//! line is left out too and the total is read as the sum of its column. What remains falls
//! apart into blocks (a buurt's counts, tied to other buurten only through the columns
//! whose total is shown); each linear program is solved on the blocks its count touches.
//! The true counts are one feasible point, and every optimum found is another: a count
//! whose feasible points already show it protected needs no linear program of its own.
//!
//! ## The protection rule
//!
//! τ-ARGUS asks of every sensitive cell that the interval a reader can compute reaches its
//! *protection levels* (a lower and an upper distance from the true value). For counts
//! under the minimum-frequency rule k, this crate asks, of the real interval [lower, upper]
//! (tolerance 10⁻⁶):
//!
//! 1. **every protected count**: the interval holds at least two whole numbers
//!    (⌊upper⌋ − ⌈lower⌉ ≥ 1): no count can be recovered exactly, however the reader
//!    combines the tables (a protection level of 1 dwelling, up or down);
//! 2. **a count from 1 to k − 1** (primary, or an unpublished small helper count): the
//!    interval also reaches 0 or k (lower = 0 or upper ≥ k): the reader cannot tell that a
//!    group of 1 to k − 1 dwellings exists — it may be empty, or it may be a group of k or
//!    more. This is the protection level "x down or k − x up" of the threshold rule.
//!
//! The programs are over real numbers, as τ-ARGUS's are; a reader who solves the integer
//! program may find a narrower interval when the frame's constraints are not totally
//! unimodular. A count pinned down by its own row's identities and the known zeros alone
//! (whatever is published, e.g. a segment change in a buurt where nothing improves) is
//! reported with [`CellInterval::by_rules`] and is not a failure: no withholding can
//! protect it, and the reader learns it from the rules, not from the publication.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use crate::{Frame, Options, PublishedFrame, frame::small};

const TOL: f64 = 1e-6;

/// What the reader can learn about one protected count.
#[derive(Debug, Clone, PartialEq)]
pub struct CellInterval {
    /// the count's column in the [`Frame`]
    pub column: usize,
    /// `rows().len()` is the total row
    pub row: usize,
    /// `column[row]`
    pub name: String,
    /// the true count
    pub value: u64,
    /// the interval of values consistent with everything published: exact when `exact`,
    /// else an inner bound proven by feasible points (the true interval is at least this
    /// wide, which is enough to show the rule holds)
    pub lower: f64,
    /// the upper end of that interval (same meaning as `lower`)
    pub upper: f64,
    /// whether `lower`..`upper` is the true interval (both linear programs solved to
    /// optimality) rather than an inner bound
    pub exact: bool,
    /// whether the count is from 1 to k − 1 (the rule's second part applies)
    pub small: bool,
    /// whether the interval meets the protection rule (module documentation)
    pub protected: bool,
    /// not protected, but fixed by the rules alone: the identities of its own row and the
    /// known zeros pin it whatever is published (for example a segment change of a buurt
    /// where no dwelling improves), so withholding more cannot protect it; not a failure
    pub by_rules: bool,
}

/// The protection rule of the module documentation for a count `value` whose feasible
/// interval is [lower, upper].
pub fn protected(value: u64, lower: f64, upper: f64, opts: &Options) -> bool {
    let two = (upper + TOL).floor() - (lower - TOL).ceil() >= 1.0;
    let small = value > 0 && value < opts.k;
    two && (!small || lower <= TOL || upper >= opts.k as f64 - TOL)
}

/// The interval of every protected count of a published frame, with the rule applied; the
/// bounds are inner bounds where feasible points already prove the rule (see
/// [`CellInterval::exact`]). Use [`intervals_exact`] for the linear programs' optima.
pub fn intervals(f: &Frame, p: &PublishedFrame) -> Vec<CellInterval> {
    let mut a = Auditor::new(f.rows().len() + 1, f.columns().len());
    a.run(f, p, false, None)
}

/// [`intervals`] with the exact minimum and maximum of every protected count.
pub fn intervals_exact(f: &Frame, p: &PublishedFrame) -> Vec<CellInterval> {
    let mut a = Auditor::new(f.rows().len() + 1, f.columns().len());
    a.run(f, p, true, None)
}

/// The protected counts that the rule does not hold for (empty: the publication passes).
pub fn failures(f: &Frame, p: &PublishedFrame) -> Vec<CellInterval> {
    intervals(f, p)
        .into_iter()
        .filter(|c| !c.protected && !c.by_rules)
        .collect()
}

/// Whether the count in `row`, `column` is pinned down by its row's identities and the known
/// zeros alone (every published count of the row unknown): then nothing a publication
/// withholds can protect it. (Dropping the other rows' constraints only widens the
/// interval, so a count pinned here is pinned in the whole frame too.)
fn by_rules(f: &Frame, row: usize, column: usize, opts: &Options) -> bool {
    let nc = f.columns().len();
    let fixed = |c: usize| !f.columns()[c].published && f.value(row, c) == 0;
    let mut bounds = [0.0, 0.0];
    for (i, maximise) in [false, true].into_iter().enumerate() {
        let mut pb = Problem::new(if maximise {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        });
        let vars: Vec<_> = (0..nc)
            .map(|c| {
                let obj = if c == column { 1.0 } else { 0.0 };
                let hi = if fixed(c) { 0.0 } else { f64::INFINITY };
                pb.add_var(obj, (0.0, hi))
            })
            .collect();
        for id in f.identities() {
            let mut expr: Vec<_> = id.members.iter().map(|&c| (vars[c], 1.0)).collect();
            expr.push((vars[id.total], -1.0));
            pb.add_constraint(expr, ComparisonOp::Eq, 0.0);
        }
        match pb.solve().map(|o| o.into_solution()) {
            Ok(Ok(sol)) => bounds[i] = sol.var_value(vars[column]),
            Err(microlp::Error::Unbounded) => bounds[i] = f64::INFINITY,
            _ => return false,
        }
    }
    !protected(f.value(row, column), bounds[0], bounds[1], opts)
}

/// One linear constraint over the model's variables: Σ coef · x = rhs.
struct Con {
    terms: Vec<(usize, f64)>,
    rhs: f64,
    /// a column line (it ties rows together), not an identity within a row
    column: bool,
}

/// The reader's system for one published frame.
struct Model {
    nr: usize,
    /// per slot (`column * nr + row`): the variable, when the reader does not know it
    var: Vec<Option<usize>>,
    /// per variable: its slot
    slot: Vec<usize>,
    truth: Vec<u64>,
    cons: Vec<Con>,
    /// per variable: its block (`usize::MAX` for a total read as the sum of its column)
    block: Vec<usize>,
    /// per block: its variables and constraints
    blocks: Vec<(Vec<usize>, Vec<usize>)>,
    /// per variable: the constraints it is in
    var_cons: Vec<Vec<usize>>,
    /// per row: its variables
    row_vars: Vec<Vec<usize>>,
}

impl Model {
    /// `known[slot]`: fixed at its true value.
    fn new(f: &Frame, known: &[bool]) -> Model {
        let nr = f.rows().len() + 1;
        let nc = f.columns().len();
        let n = nr - 1;
        let mut truth = vec![0; nr * nc];
        for c in 0..nc {
            for r in 0..nr {
                truth[c * nr + r] = f.value(r, c);
            }
        }
        let mut var = vec![None; nr * nc];
        let mut slot = Vec::new();
        for s in 0..nr * nc {
            if !known[s] {
                var[s] = Some(slot.len());
                slot.push(s);
            }
        }
        let mut cons = Vec::new();
        let mut eliminated = vec![false; slot.len()];
        // the identities of the rows (those of the total row follow from them and the
        // column lines)
        for r in 0..n {
            for id in f.identities() {
                let mut terms = Vec::new();
                let mut rhs = 0.0;
                for (&c, coef) in id
                    .members
                    .iter()
                    .map(|m| (m, 1.0))
                    .chain([(&id.total, -1.0)])
                {
                    let s = c * nr + r;
                    match var[s] {
                        Some(v) => terms.push((v, coef)),
                        None => rhs -= coef * truth[s] as f64,
                    }
                }
                if !terms.is_empty() {
                    cons.push(Con {
                        terms,
                        rhs,
                        column: false,
                    });
                }
            }
        }
        // the column lines whose total is known; an unknown total is the sum of its column
        for c in 0..nc {
            let t = c * nr + n;
            if let Some(v) = var[t] {
                eliminated[v] = true;
                continue;
            }
            let mut terms = Vec::new();
            let mut rhs = truth[t] as f64;
            for r in 0..n {
                let s = c * nr + r;
                match var[s] {
                    Some(v) => terms.push((v, 1.0)),
                    None => rhs -= truth[s] as f64,
                }
            }
            if !terms.is_empty() {
                cons.push(Con {
                    terms,
                    rhs,
                    column: true,
                });
            }
        }
        let mut var_cons = vec![Vec::new(); slot.len()];
        for (i, con) in cons.iter().enumerate() {
            for &(v, _) in &con.terms {
                var_cons[v].push(i);
            }
        }
        // blocks: union-find over the constraints
        let mut parent: Vec<usize> = (0..slot.len()).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for con in &cons {
            for &(v, _) in &con.terms[1..] {
                let a = find(&mut parent, con.terms[0].0);
                let b = find(&mut parent, v);
                if a != b {
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                }
            }
        }
        let mut block = vec![usize::MAX; slot.len()];
        let mut blocks: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        let mut root_block: Vec<usize> = vec![usize::MAX; slot.len()];
        for v in 0..slot.len() {
            if eliminated[v] {
                continue;
            }
            let r = find(&mut parent, v);
            if root_block[r] == usize::MAX {
                root_block[r] = blocks.len();
                blocks.push((Vec::new(), Vec::new()));
            }
            block[v] = root_block[r];
            blocks[root_block[r]].0.push(v);
        }
        for (i, con) in cons.iter().enumerate() {
            blocks[block[con.terms[0].0]].1.push(i);
        }
        let mut row_vars = vec![Vec::new(); nr];
        for (v, &s) in slot.iter().enumerate() {
            row_vars[s % nr].push(v);
        }
        Model {
            nr,
            var,
            slot,
            truth,
            cons,
            block,
            blocks,
            var_cons,
            row_vars,
        }
    }

    /// A protected count as parts per block (variables of one block each) plus a known
    /// constant: a variable alone, or an unknown total as the sum of its column.
    fn parts(&self, s: usize) -> (Vec<Vec<usize>>, f64) {
        let Some(v) = self.var[s] else {
            return (Vec::new(), self.truth[s] as f64);
        };
        if self.block[v] != usize::MAX {
            return (vec![vec![v]], 0.0);
        }
        let c = s / self.nr;
        let mut konst = 0.0;
        let mut by_block: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for r in 0..self.nr - 1 {
            let s2 = c * self.nr + r;
            match self.var[s2] {
                Some(v2) => by_block.entry(self.block[v2]).or_default().push(v2),
                None => konst += self.truth[s2] as f64,
            }
        }
        (by_block.into_values().collect(), konst)
    }

    /// The rows that share the most row-tying column lines with the variables of row `r`
    /// (a rectangle of withheld counts shares two), best first, at most `m`, with `r` first.
    fn partners(&self, r: usize, m: usize) -> Vec<usize> {
        let mut score: std::collections::BTreeMap<usize, usize> = Default::default();
        for &v in &self.row_vars[r] {
            for &ci in &self.var_cons[v] {
                let con = &self.cons[ci];
                if !con.column {
                    continue;
                }
                for &(w, _) in &con.terms {
                    let r2 = self.slot[w] % self.nr;
                    if r2 != r {
                        *score.entry(r2).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(usize, usize)> = score.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        std::iter::once(r)
            .chain(ranked.into_iter().take(m).map(|(r2, _)| r2))
            .collect()
    }

    /// Minimises or maximises the sum of `part` (variables of one block), over the whole
    /// block (`rows` None: exact) or with every row outside `rows` fixed at its true counts
    /// (a smaller program whose optimum is a feasible point of the whole, so an inner
    /// bound). The optimum as a point (slot, value − truth) where it differs from the
    /// truth; `None` when unbounded.
    fn solve(
        &self,
        part: &[usize],
        rows: Option<&[usize]>,
        maximise: bool,
    ) -> Result<Option<Vec<(usize, f64)>>, ()> {
        let b = self.block[part[0]];
        let (vars, cons): (Vec<usize>, Vec<usize>) = match rows {
            None => self.blocks[b].clone(),
            Some(rows) => {
                let vars: Vec<usize> = rows
                    .iter()
                    .flat_map(|&r| self.row_vars[r].iter().copied())
                    .filter(|&v| self.block[v] == b)
                    .collect();
                let mut cons: Vec<usize> = vars
                    .iter()
                    .flat_map(|&v| self.var_cons[v].iter().copied())
                    .collect();
                cons.sort_unstable();
                cons.dedup();
                (vars, cons)
            }
        };
        let mut local = std::collections::HashMap::with_capacity(vars.len());
        let dir = if maximise {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        };
        let mut pb = Problem::new(dir);
        let mut handles = Vec::with_capacity(vars.len());
        for &v in &vars {
            let obj = if part.contains(&v) { 1.0 } else { 0.0 };
            local.insert(v, handles.len());
            handles.push(pb.add_var(obj, (0.0, f64::INFINITY)));
        }
        for &ci in &cons {
            let con = &self.cons[ci];
            let mut rhs = con.rhs;
            let mut expr = Vec::with_capacity(con.terms.len());
            for &(v, k) in &con.terms {
                match local.get(&v) {
                    Some(&i) => expr.push((handles[i], k)),
                    // a row left out: at its true count
                    None => rhs -= k * self.truth[self.slot[v]] as f64,
                }
            }
            if !expr.is_empty() {
                pb.add_constraint(expr, ComparisonOp::Eq, rhs);
            }
        }
        match pb.solve() {
            Ok(out) => {
                let Ok(sol) = out.into_solution() else {
                    return Err(());
                };
                let mut point = Vec::new();
                for (i, &v) in vars.iter().enumerate() {
                    let x = sol.var_value(handles[i]);
                    let s = self.slot[v];
                    let d = x - self.truth[s] as f64;
                    if d.abs() > 1e-9 {
                        point.push((s, d));
                    }
                }
                Ok(Some(point))
            }
            Err(microlp::Error::Unbounded) => Ok(None),
            Err(_) => Err(()),
        }
    }

    /// Minimises (or maximises) the sum of each of `objectives` (variables of block `b`)
    /// over the whole block, one after the other on one program: `min z` with, per
    /// objective, `z − Σ part − e = 0` where `e` is free except for the objective at hand
    /// (fixed at 0); switching objective is a warm re-solve. The optima as points.
    #[allow(clippy::type_complexity)]
    fn solve_many(
        &self,
        b: usize,
        objectives: &[&[usize]],
        maximise: bool,
    ) -> Vec<Result<Option<Vec<(usize, f64)>>, ()>> {
        let (vars, cons) = &self.blocks[b];
        let mut local = std::collections::HashMap::with_capacity(vars.len());
        // a bound far above any count of the frame: reaching it means unbounded
        let big = 4.0 * (self.truth.iter().map(|&x| x as f64).sum::<f64>() + 1000.0);
        let build = || {
            let dir = if maximise {
                OptimizationDirection::Maximize
            } else {
                OptimizationDirection::Minimize
            };
            let mut pb = Problem::new(dir);
            let mut handles = Vec::with_capacity(vars.len());
            for _ in vars {
                handles.push(pb.add_var(0.0, (0.0, f64::INFINITY)));
            }
            let z = pb.add_var(1.0, (0.0, big));
            let es: Vec<_> = objectives
                .iter()
                .map(|_| pb.add_var(0.0, (f64::NEG_INFINITY, f64::INFINITY)))
                .collect();
            (pb, handles, z, es)
        };
        for (i, &v) in vars.iter().enumerate() {
            local.insert(v, i);
        }
        let (mut pb, handles, z, es) = build();
        for &ci in cons {
            let con = &self.cons[ci];
            let expr: Vec<_> = con
                .terms
                .iter()
                .map(|&(v, k)| (handles[local[&v]], k))
                .collect();
            pb.add_constraint(expr, ComparisonOp::Eq, con.rhs);
        }
        for (part, &e) in objectives.iter().zip(&es) {
            let mut expr = vec![(z, 1.0), (e, -1.0)];
            expr.extend(part.iter().map(|v| (handles[local[v]], -1.0)));
            pb.add_constraint(expr, ComparisonOp::Eq, 0.0);
        }
        let mut sol = pb.solve().ok().and_then(|o| o.into_solution().ok());
        let mut out = Vec::with_capacity(objectives.len());
        for &e in &es {
            let Some(s0) = sol.take() else {
                out.push(Err(()));
                continue;
            };
            let fixed = s0.fix_var(e, 0.0).ok().and_then(|o| o.into_solution().ok());
            let Some(s1) = fixed else {
                out.push(Err(()));
                continue;
            };
            let zv = s1.var_value(z);
            if maximise && zv >= big - 1.0 {
                out.push(Ok(None));
            } else {
                let mut point = Vec::new();
                for (i, &v) in vars.iter().enumerate() {
                    let s = self.slot[v];
                    let d = s1.var_value(handles[i]) - self.truth[s] as f64;
                    if d.abs() > 1e-9 {
                        point.push((s, d));
                    }
                }
                out.push(Ok(Some(point)));
            }
            sol = s1
                .unfix_var(e)
                .ok()
                .and_then(|(o, _)| o.into_solution().ok());
        }
        out
    }
}

/// Feasible points (as differences from the true counts) found so far; they stay feasible
/// when more counts are withheld, so the suppression keeps one `Auditor` while it adds
/// secondary suppressions.
pub(crate) struct Auditor {
    /// per slot: (point, value − truth)
    by_slot: Vec<Vec<(u32, f64)>>,
    points: u32,
    /// solve over whole blocks when the smaller programs do not show a count protected
    /// (false: such a count is reported unprotected, which may be a false alarm)
    pub(crate) full: bool,
}

impl Auditor {
    pub(crate) fn new(nr: usize, nc: usize) -> Auditor {
        Auditor {
            by_slot: vec![Vec::new(); nr * nc],
            points: 0,
            full: true,
        }
    }

    fn add(&mut self, point: &[(usize, f64)]) {
        let id = self.points;
        self.points += 1;
        for &(s, d) in point {
            self.by_slot[s].push((id, d));
        }
    }

    /// The least and greatest sum of a part over the points (the truth, difference 0, is
    /// one of them).
    fn range(&self, m: &Model, part: &[usize]) -> (f64, f64) {
        if let [v] = part {
            return self.by_slot[m.slot[*v]]
                .iter()
                .fold((0.0_f64, 0.0_f64), |(lo, hi), &(_, d)| {
                    (lo.min(d), hi.max(d))
                });
        }
        let mut sums: std::collections::BTreeMap<u32, f64> = Default::default();
        for &v in part {
            for &(id, d) in &self.by_slot[m.slot[v]] {
                *sums.entry(id).or_default() += d;
            }
        }
        sums.values()
            .fold((0.0_f64, 0.0_f64), |(lo, hi), &d| (lo.min(d), hi.max(d)))
    }

    /// The protected counts of `p` (all of them, or only those in `only`) with their
    /// intervals; `exact`: solve both programs for every count, else only until the rule is
    /// shown to hold or not.
    pub(crate) fn run(
        &mut self,
        f: &Frame,
        p: &PublishedFrame,
        exact: bool,
        only: Option<&[usize]>,
    ) -> Vec<CellInterval> {
        let nr = f.rows().len() + 1;
        let opts = p.options;
        let mut known = vec![true; nr * f.columns().len()];
        let mut targets = Vec::new();
        for (c, col) in f.columns().iter().enumerate() {
            for r in 0..nr {
                let s = c * nr + r;
                let x = f.value(r, c);
                if col.published {
                    if p.cells[c][r].is_withheld() {
                        known[s] = false;
                        targets.push(s);
                    }
                } else if x > 0 {
                    known[s] = false;
                    if small(x, &opts) {
                        targets.push(s);
                    }
                }
            }
        }
        if let Some(only) = only {
            targets.retain(|s| only.contains(s));
        }
        let m = Model::new(f, &known);
        let mut ts: Vec<Target> = targets
            .iter()
            .map(|&s| {
                let (parts, konst) = m.parts(s);
                let empty = parts.is_empty();
                Target {
                    s,
                    parts,
                    konst,
                    unbounded: false,
                    exact: [empty, empty],
                    failed: false,
                }
            })
            .collect();
        // phase 1: the points found so far, then small programs on the target's row and
        // its closest partner rows (the rest fixed at the truth)
        for t in &mut ts {
            let r0 = t.s % nr;
            if t.parts.len() != 1 || r0 == nr - 1 {
                continue;
            }
            for rows in [m.partners(r0, 4), m.partners(r0, 24)] {
                for maximise in [false, true] {
                    if !exact && self.decide(&m, t, &opts) {
                        break;
                    }
                    match m.solve(&t.parts[0], Some(&rows), maximise) {
                        Ok(Some(point)) => self.add(&point),
                        Ok(None) => t.unbounded = true,
                        Err(()) => {}
                    }
                }
            }
        }
        // phase 2: the whole block, for what is not shown protected yet (one program per
        // block and direction, its objective switched from count to count)
        if exact || self.full {
            for maximise in [false, true] {
                let mut pending: std::collections::BTreeMap<usize, Vec<(usize, usize)>> =
                    Default::default();
                for (i, t) in ts.iter().enumerate() {
                    if t.exact[maximise as usize] || (!exact && self.decide(&m, t, &opts)) {
                        continue;
                    }
                    for (j, part) in t.parts.iter().enumerate() {
                        pending.entry(m.block[part[0]]).or_default().push((i, j));
                    }
                }
                for (b, list) in pending {
                    let objectives: Vec<&[usize]> = list
                        .iter()
                        .map(|&(i, j)| ts[i].parts[j].as_slice())
                        .collect();
                    let results = m.solve_many(b, &objectives, maximise);
                    for (&(i, _), res) in list.iter().zip(results) {
                        match res {
                            Ok(Some(point)) => self.add(&point),
                            Ok(None) => ts[i].unbounded = true,
                            Err(()) => ts[i].failed = true,
                        }
                    }
                    for &(i, _) in &list {
                        ts[i].exact[maximise as usize] = !ts[i].failed;
                    }
                }
            }
        }
        let mut out: Vec<CellInterval> = ts
            .iter()
            .map(|t| {
                let (lo, hi) = self.bounds(&m, t);
                let (c, r) = (t.s / nr, t.s % nr);
                let value = m.truth[t.s];
                CellInterval {
                    column: c,
                    row: r,
                    name: format!(
                        "{}[{}]",
                        f.columns()[c].name,
                        f.rows().get(r).map_or("totaal", String::as_str)
                    ),
                    value,
                    lower: lo,
                    upper: hi,
                    exact: t.exact[0] && t.exact[1],
                    small: value > 0 && value < opts.k,
                    protected: !t.failed && protected(value, lo, hi, &opts),
                    by_rules: false,
                }
            })
            .collect();
        for c in &mut out {
            if !c.protected && c.row < nr - 1 {
                c.by_rules = by_rules(f, c.row, c.column, &opts);
            }
        }
        out
    }

    /// The interval the points found so far prove for a target.
    fn bounds(&self, m: &Model, t: &Target) -> (f64, f64) {
        let (lo, hi) = t.parts.iter().fold((t.konst, t.konst), |(lo, hi), part| {
            let (l, h) = self.range(m, part);
            let x: f64 = part.iter().map(|&v| m.truth[m.slot[v]] as f64).sum();
            (lo + x + l, hi + x + h)
        });
        (lo, if t.unbounded { f64::INFINITY } else { hi })
    }

    /// Whether the points found so far prove the rule for a target.
    fn decide(&self, m: &Model, t: &Target, opts: &Options) -> bool {
        let (lo, hi) = self.bounds(m, t);
        protected(m.truth[t.s], lo, hi, opts)
    }
}

/// A protected count being audited.
struct Target {
    s: usize,
    /// its variables per block, and the known rest
    parts: Vec<Vec<usize>>,
    konst: f64,
    unbounded: bool,
    /// [minimum, maximum] solved on the whole block
    exact: [bool; 2],
    /// a program failed (numerically): not shown protected
    failed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reason;

    /// A table as a frame: its columns plus the row totals, one identity.
    fn table(cells: &[&[u64]]) -> Frame {
        let m = cells[0].len();
        let mut f = Frame::new((0..cells.len()).map(|i| format!("r{i}")).collect());
        for j in 0..m {
            f.add(format!("c{j}"), true, cells.iter().map(|r| r[j]).collect());
        }
        let t = f.add("t", true, cells.iter().map(|r| r.iter().sum()).collect());
        f.identity(&(0..m).collect::<Vec<_>>(), t).unwrap();
        f
    }

    fn withhold(f: &Frame, slots: &[(usize, usize)]) -> PublishedFrame {
        f.published_as(&Options::default(), &|r, c| {
            slots.contains(&(r, c)).then_some(Reason::Small)
        })
    }

    fn find(v: &[CellInterval], r: usize, c: usize) -> &CellInterval {
        v.iter().find(|x| x.row == r && x.column == c).unwrap()
    }

    #[test]
    fn one_withheld_cell_of_a_2x2_table_is_recovered_exactly() {
        let f = table(&[&[12, 3], &[20, 30]]);
        let v = intervals_exact(&f, &withhold(&f, &[(0, 1)]));
        assert_eq!(v.len(), 1);
        let c = &v[0];
        assert!(c.exact && !c.protected, "{c:?}");
        assert!((c.lower - 3.0).abs() < 1e-6 && (c.upper - 3.0).abs() < 1e-6);
        assert_eq!(failures(&f, &withhold(&f, &[(0, 1)])).len(), 1);
    }

    #[test]
    fn a_rectangle_of_four_withheld_cells_is_not_recoverable() {
        // x01 = 3 can move by t with x00 + t, x10 − t, x11 + t: t from −3 to +12
        let f = table(&[&[12, 3, 40], &[15, 20, 50], &[30, 30, 30]]);
        let p = withhold(&f, &[(0, 0), (0, 1), (1, 0), (1, 1)]);
        let v = intervals_exact(&f, &p);
        assert_eq!(v.len(), 4);
        let x01 = find(&v, 0, 1);
        assert!(x01.exact && x01.protected, "{x01:?}");
        assert!(x01.lower.abs() < 1e-6, "{x01:?}");
        assert!((x01.upper - 15.0).abs() < 1e-6, "{x01:?}");
        let x00 = find(&v, 0, 0);
        assert!((x00.lower - 0.0).abs() < 1e-6 && (x00.upper - 15.0).abs() < 1e-6);
        assert!(v.iter().all(|c| c.protected));
        assert!(failures(&f, &p).is_empty());
        // the fast form proves the same without solving every bound
        assert!(intervals(&f, &p).iter().all(|c| c.protected));
    }

    #[test]
    fn a_rectangle_of_small_cells_leaves_a_range_inside_1_to_k() {
        // x01 = 3 from 3 − 2 = 1 to 3 + 4 = 7: not exact, but surely a group of 1..9
        let f = table(&[&[5, 3, 40], &[2, 4, 50], &[30, 30, 30]]);
        let p = withhold(&f, &[(0, 0), (0, 1), (1, 0), (1, 1)]);
        let v = intervals_exact(&f, &p);
        let x01 = find(&v, 0, 1);
        assert!((x01.lower - 1.0).abs() < 1e-6 && (x01.upper - 7.0).abs() < 1e-6);
        assert!(!x01.protected && x01.small);
        // (the line walk's group rule flags this pattern too: lines leave groups of 1..9);
        // the audited suppression withholds until both hold
        let q = f.suppress_audited(&Options::default());
        assert!(failures(&f, &q).is_empty(), "{:?}", failures(&f, &q));
        assert!(f.audit(&q).is_empty());
    }

    #[test]
    fn a_withheld_total_is_read_as_the_sum_of_its_column() {
        let f = table(&[&[12, 3], &[20, 30]]);
        // column 1 and its total withheld, the rest shown: the total is 3 + 30 = 33 exactly
        let p = f.published_as(&Options::default(), &|r, c| {
            (c == 1 && (r == 0 || r == 2)).then_some(Reason::Secondary)
        });
        let v = intervals_exact(&f, &p);
        assert!(v.iter().all(|c| !c.protected), "{v:?}");
        let tot = find(&v, 2, 1);
        assert!((tot.lower - 33.0).abs() < 1e-6 && (tot.upper - 33.0).abs() < 1e-6);
    }

    #[test]
    fn the_rule() {
        let o = Options::default();
        assert!(!protected(3, 3.0, 3.0, &o));
        assert!(!protected(3, 2.5, 3.5, &o), "one whole number");
        assert!(!protected(3, 1.0, 9.0, &o), "inside 1..9");
        assert!(protected(3, 0.0, 1.0, &o));
        assert!(protected(3, 2.0, 10.0, &o));
        assert!(protected(30, 29.0, 30.0, &o));
        assert!(protected(3, 0.0, f64::INFINITY, &o));
    }
}
