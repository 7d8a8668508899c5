//! Spatial weights: who neighbours whom and with what weight, transformations as libpysal's
//! `W.transform`, the summary an analyst checks first (islands, components), and the
//! building blocks of the statistics (spatial lag, S0/S1/S2).

use serde::Serialize;

/// A weights transformation (libpysal's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Transform {
    /// The weights as built (`O`; `U`, untransformed, is the same).
    Original,
    /// Binary: every neighbour 1.
    Binary,
    /// Row-standardised: each row sums to 1 (the default of esda's statistics).
    Row,
    /// Doubly standardised as libpysal does it: every weight divided by S0 (all sum to 1).
    Double,
    /// Variance-stabilising (Tiefelsdorf): rows scaled to unit length, then by n / Σ.
    Variance,
}

impl Transform {
    /// The one-letter code (`O`, `B`, `R`, `D`, `V`).
    pub fn code(self) -> char {
        match self {
            Transform::Original => 'O',
            Transform::Binary => 'B',
            Transform::Row => 'R',
            Transform::Double => 'D',
            Transform::Variance => 'V',
        }
    }
}

impl std::str::FromStr for Transform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "O" | "U" => Ok(Transform::Original),
            "B" => Ok(Transform::Binary),
            "R" => Ok(Transform::Row),
            "D" => Ok(Transform::Double),
            "V" => Ok(Transform::Variance),
            other => Err(format!(
                "unknown weights transformation '{other}': use R (row-standardised), B (binary), D (doubly standardised), V (variance-stabilising) or O (original)"
            )),
        }
    }
}

/// Sparse spatial weights over `n` units, rows sorted by neighbour index.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Unit identifiers, in the order of the rows.
    pub ids: Vec<String>,
    neighbours: Vec<Vec<u32>>,
    original: Vec<Vec<f64>>,
    weights: Vec<Vec<f64>>,
    transform: Transform,
}

/// What is wrong with a weights specification.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    /// A neighbour index is not a unit (indices are 0-based, below n).
    #[error("unit {unit} lists neighbour index {neighbour}, but there are only {n} units")]
    OutOfRange {
        /// 0-based index of the unit whose list is wrong.
        unit: usize,
        /// The index it lists.
        neighbour: usize,
        /// Number of units.
        n: usize,
    },
    /// A unit is its own neighbour (a non-zero diagonal), which the statistics here do not
    /// allow.
    #[error("unit {unit} lists itself as a neighbour; self-weights are not supported here")]
    SelfNeighbour {
        /// 0-based index of the unit.
        unit: usize,
    },
    /// A neighbour occurs twice in one unit's list.
    #[error("unit {unit} lists neighbour {neighbour} twice")]
    Duplicate {
        /// 0-based index of the unit.
        unit: usize,
        /// 0-based index of the repeated neighbour.
        neighbour: usize,
    },
    /// A unit's weights list is not as long as its neighbour list.
    #[error("unit {unit} has {neighbours} neighbours but {weights} weights")]
    Length {
        /// 0-based index of the unit.
        unit: usize,
        /// Length of its neighbour list.
        neighbours: usize,
        /// Length of its weights list.
        weights: usize,
    },
    /// A weight is NaN or infinite.
    #[error("unit {unit}: weight {weight} for neighbour {neighbour} is not a finite number")]
    NotFinite {
        /// 0-based index of the unit.
        unit: usize,
        /// 0-based index of the neighbour.
        neighbour: usize,
        /// The weight as given.
        weight: f64,
    },
    /// The number of identifiers differs from the number of units (rows).
    #[error("{ids} identifiers for {rows} rows")]
    Ids {
        /// Number of identifiers given.
        ids: usize,
        /// Number of neighbour lists (units).
        rows: usize,
    },
    /// Two units have the same identifier (the identifier is given).
    #[error("identifier '{0}' occurs twice")]
    DuplicateId(String),
}

/// The numbers an analyst checks before trusting a weights matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Units.
    pub n: usize,
    /// Mean number of neighbours per unit.
    pub mean_neighbours: f64,
    /// Smallest number of neighbours of any unit (0 when there are islands).
    pub min_neighbours: usize,
    /// Largest number of neighbours of any unit.
    pub max_neighbours: usize,
    /// Number of non-zero weights (links).
    pub nonzero: usize,
    /// Non-zero weights as a percentage of n² (0–100).
    pub pct_nonzero: f64,
    /// Units without neighbours (identifiers).
    pub islands: Vec<String>,
    /// Connected components (islands count as components), treating links as undirected.
    pub components: usize,
    /// Whether some link i→j has no j→i.
    pub asymmetric: bool,
    /// The transformation in force.
    pub transform: char,
    /// S0 of the transformed weights: the sum of all weights.
    pub s0: f64,
    /// S1: ½ Σᵢⱼ (wᵢⱼ + wⱼᵢ)².
    pub s1: f64,
    /// S2: Σᵢ (Σⱼ wᵢⱼ + Σⱼ wⱼᵢ)².
    pub s2: f64,
}

impl Weights {
    /// Weights from neighbour lists and (optionally) their weights; binary when `weights` is
    /// `None`. Rows are sorted by neighbour index. The result has the original transformation.
    pub fn new(
        ids: Vec<String>,
        neighbours: Vec<Vec<usize>>,
        weights: Option<Vec<Vec<f64>>>,
    ) -> Result<Weights, WeightsError> {
        let n = neighbours.len();
        if ids.len() != n {
            return Err(WeightsError::Ids {
                ids: ids.len(),
                rows: n,
            });
        }
        let mut seen = std::collections::HashSet::with_capacity(n);
        for id in &ids {
            if !seen.insert(id.as_str()) {
                return Err(WeightsError::DuplicateId(id.clone()));
            }
        }
        let mut nb = Vec::with_capacity(n);
        let mut wt = Vec::with_capacity(n);
        for (i, row) in neighbours.into_iter().enumerate() {
            let w_row = match &weights {
                Some(w) => {
                    if w[i].len() != row.len() {
                        return Err(WeightsError::Length {
                            unit: i,
                            neighbours: row.len(),
                            weights: w[i].len(),
                        });
                    }
                    w[i].clone()
                }
                None => vec![1.0; row.len()],
            };
            let mut pairs: Vec<(usize, f64)> = row.into_iter().zip(w_row).collect();
            pairs.sort_by_key(|p| p.0);
            for (k, &(j, w)) in pairs.iter().enumerate() {
                if j >= n {
                    return Err(WeightsError::OutOfRange {
                        unit: i,
                        neighbour: j,
                        n,
                    });
                }
                if j == i {
                    return Err(WeightsError::SelfNeighbour { unit: i });
                }
                if k > 0 && pairs[k - 1].0 == j {
                    return Err(WeightsError::Duplicate {
                        unit: i,
                        neighbour: j,
                    });
                }
                if !w.is_finite() {
                    return Err(WeightsError::NotFinite {
                        unit: i,
                        neighbour: j,
                        weight: w,
                    });
                }
            }
            nb.push(pairs.iter().map(|p| p.0 as u32).collect());
            wt.push(pairs.iter().map(|p| p.1).collect());
        }
        Ok(Weights {
            ids,
            neighbours: nb,
            original: wt.clone(),
            weights: wt,
            transform: Transform::Original,
        })
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.neighbours.len()
    }

    /// The neighbours of unit `i` (sorted indices).
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[i]
    }

    /// The (transformed) weights of unit `i`, aligned with [`Weights::neighbours`].
    pub fn weights(&self, i: usize) -> &[f64] {
        &self.weights[i]
    }

    /// The transformation in force.
    pub fn transform(&self) -> Transform {
        self.transform
    }

    /// Number of neighbours of unit `i`.
    pub fn cardinality(&self, i: usize) -> usize {
        self.neighbours[i].len()
    }

    /// Applies a transformation to the original weights (as libpysal: transforming twice does
    /// not compound). Islands keep an empty row.
    pub fn set_transform(&mut self, t: Transform) {
        self.transform = t;
        self.weights = match t {
            Transform::Original => self.original.clone(),
            Transform::Binary => self.original.iter().map(|r| vec![1.0; r.len()]).collect(),
            Transform::Row => self
                .original
                .iter()
                .map(|r| {
                    let s: f64 = r.iter().sum();
                    r.iter().map(|w| w / s).collect()
                })
                .collect(),
            Transform::Double => {
                let s0: f64 = self.original.iter().flatten().sum();
                self.original
                    .iter()
                    .map(|r| r.iter().map(|w| w * (1.0 / s0)).collect())
                    .collect()
            }
            Transform::Variance => {
                let scaled: Vec<Vec<f64>> = self
                    .original
                    .iter()
                    .map(|r| {
                        let q = r.iter().map(|w| w * w).sum::<f64>().sqrt();
                        r.iter().map(|w| w / q).collect()
                    })
                    .collect();
                let big_q: f64 = scaled.iter().map(|r| r.iter().sum::<f64>()).sum();
                let nq = self.n() as f64 / big_q;
                scaled
                    .into_iter()
                    .map(|r| r.into_iter().map(|w| w * nq).collect())
                    .collect()
            }
        };
    }

    /// This weights matrix with the given transformation.
    pub fn transformed(mut self, t: Transform) -> Weights {
        self.set_transform(t);
        self
    }

    /// Units without neighbours.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|&i| self.neighbours[i].is_empty())
            .collect()
    }

    /// The weight of the link i → j (0 when there is none).
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        match self.neighbours[i].binary_search(&(j as u32)) {
            Ok(k) => self.weights[i][k],
            Err(_) => 0.0,
        }
    }

    /// Spatial lag Σⱼ wᵢⱼ yⱼ of every unit (0 for islands, as esda with island_weight 0).
    pub fn lag(&self, y: &[f64]) -> Vec<f64> {
        (0..self.n())
            .map(|i| {
                self.neighbours[i]
                    .iter()
                    .zip(&self.weights[i])
                    .map(|(&j, w)| w * y[j as usize])
                    .sum()
            })
            .collect()
    }

    /// S0 = Σᵢ Σⱼ wᵢⱼ.
    pub fn s0(&self) -> f64 {
        self.weights.iter().flatten().sum()
    }

    /// S1 = ½ Σᵢ Σⱼ (wᵢⱼ + wⱼᵢ)².
    pub fn s1(&self) -> f64 {
        let mut s = 0.0;
        for i in 0..self.n() {
            for (&j, &w) in self.neighbours[i].iter().zip(&self.weights[i]) {
                let j = j as usize;
                match self.neighbours[j].binary_search(&(i as u32)) {
                    // (i, j) and (j, i) both appear: each adds its own term.
                    Ok(k) => s += (w + self.weights[j][k]).powi(2),
                    // only (i, j) appears: the (j, i) term is the same value.
                    Err(_) => s += 2.0 * w * w,
                }
            }
        }
        s / 2.0
    }

    /// S2 = Σᵢ (Σⱼ wᵢⱼ + Σⱼ wⱼᵢ)².
    pub fn s2(&self) -> f64 {
        let n = self.n();
        let mut row = vec![0.0; n];
        let mut col = vec![0.0; n];
        for i in 0..n {
            for (&j, &w) in self.neighbours[i].iter().zip(&self.weights[i]) {
                row[i] += w;
                col[j as usize] += w;
            }
        }
        row.iter().zip(&col).map(|(r, c)| (r + c).powi(2)).sum()
    }

    /// Whether some link i → j has no j → i.
    pub fn is_asymmetric(&self) -> bool {
        (0..self.n()).any(|i| {
            self.neighbours[i].iter().any(|&j| {
                self.neighbours[j as usize]
                    .binary_search(&(i as u32))
                    .is_err()
            })
        })
    }

    /// Connected components (links taken as undirected; an island is its own component).
    /// Returns the component of every unit, numbered from 0 in order of first appearance.
    pub fn component_labels(&self) -> Vec<usize> {
        let n = self.n();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for i in 0..n {
            for &j in &self.neighbours[i] {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j as usize));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut label = vec![usize::MAX; n];
        let mut next = 0;
        let mut out = vec![0; n];
        for i in 0..n {
            let r = find(&mut parent, i);
            if label[r] == usize::MAX {
                label[r] = next;
                next += 1;
            }
            out[i] = label[r];
        }
        out
    }

    /// The summary (n, neighbours, islands, components, S0–S2).
    pub fn summary(&self) -> Summary {
        let n = self.n();
        let cards: Vec<usize> = self.neighbours.iter().map(Vec::len).collect();
        let nonzero: usize = cards.iter().sum();
        Summary {
            n,
            mean_neighbours: if n > 0 {
                nonzero as f64 / n as f64
            } else {
                0.0
            },
            min_neighbours: cards.iter().copied().min().unwrap_or(0),
            max_neighbours: cards.iter().copied().max().unwrap_or(0),
            nonzero,
            pct_nonzero: if n > 0 {
                100.0 * nonzero as f64 / (n * n) as f64
            } else {
                0.0
            },
            islands: self
                .islands()
                .into_iter()
                .map(|i| self.ids[i].clone())
                .collect(),
            components: self
                .component_labels()
                .into_iter()
                .max()
                .map_or(0, |m| m + 1),
            asymmetric: self.is_asymmetric(),
            transform: self.transform.code(),
            s0: self.s0(),
            s1: self.s1(),
            s2: self.s2(),
        }
    }

    /// The weights restricted to the units `keep` (in that order), as libpysal's `w_subset`:
    /// links to units outside are dropped, original weights kept, the transformation
    /// re-applied.
    pub fn subset(&self, keep: &[usize]) -> Weights {
        let mut new_index = vec![u32::MAX; self.n()];
        for (k, &i) in keep.iter().enumerate() {
            new_index[i] = k as u32;
        }
        let mut neighbours = Vec::with_capacity(keep.len());
        let mut original = Vec::with_capacity(keep.len());
        for &i in keep {
            let mut pairs: Vec<(u32, f64)> = self.neighbours[i]
                .iter()
                .zip(&self.original[i])
                .filter(|(j, _)| new_index[**j as usize] != u32::MAX)
                .map(|(&j, &w)| (new_index[j as usize], w))
                .collect();
            pairs.sort_by_key(|p| p.0);
            neighbours.push(pairs.iter().map(|p| p.0).collect());
            original.push(pairs.iter().map(|p| p.1).collect());
        }
        let mut w = Weights {
            ids: keep.iter().map(|&i| self.ids[i].clone()).collect(),
            neighbours,
            weights: original.clone(),
            original,
            transform: Transform::Original,
        };
        w.set_transform(self.transform);
        w
    }

    /// Adds links (both directions, weight 1 in the original weights) and re-applies the
    /// transformation. Used to attach islands to their nearest units.
    pub fn with_links(&self, links: &[(usize, usize)]) -> Weights {
        let mut neighbours: Vec<Vec<u32>> = self.neighbours.clone();
        let mut original = self.original.clone();
        for &(a, b) in links {
            for (x, y) in [(a, b), (b, a)] {
                if x != y
                    && let Err(pos) = neighbours[x].binary_search(&(y as u32))
                {
                    neighbours[x].insert(pos, y as u32);
                    original[x].insert(pos, 1.0);
                }
            }
        }
        let mut w = Weights {
            ids: self.ids.clone(),
            neighbours,
            weights: original.clone(),
            original,
            transform: Transform::Original,
        };
        w.set_transform(self.transform);
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> Weights {
        let nb = (0..n)
            .map(|i| {
                let mut v = Vec::new();
                if i > 0 {
                    v.push(i - 1);
                }
                if i + 1 < n {
                    v.push(i + 1);
                }
                v
            })
            .collect();
        Weights::new((0..n).map(|i| i.to_string()).collect(), nb, None).unwrap()
    }

    #[test]
    fn transforms_as_libpysal() {
        let mut w = line(3);
        assert_eq!(w.s0(), 4.0);
        w.set_transform(Transform::Row);
        assert_eq!(w.weights(0), &[1.0]);
        assert_eq!(w.weights(1), &[0.5, 0.5]);
        assert!((w.s0() - 3.0).abs() < 1e-15);
        w.set_transform(Transform::Double);
        assert_eq!(w.weights(1), &[0.25, 0.25]);
        w.set_transform(Transform::Binary);
        assert_eq!(w.weights(1), &[1.0, 1.0]);
        // V: libpysal gives {0: [0.8786796564403575], 1: [0.6213203435596426, ...]}.
        w.set_transform(Transform::Variance);
        assert!((w.weights(0)[0] - 0.878_679_656_440_357_5).abs() < 1e-15);
        assert!((w.weights(1)[1] - 0.621_320_343_559_642_6).abs() < 1e-15);
    }

    #[test]
    fn s1_s2_by_definition_including_asymmetric_links() {
        // 0 → 1 (2.0), 1 → 0 (1.0), 1 → 2 (3.0) only one way.
        let w = Weights::new(
            vec!["a".into(), "b".into(), "c".into()],
            vec![vec![1], vec![0, 2], vec![]],
            Some(vec![vec![2.0], vec![1.0, 3.0], vec![]]),
        )
        .unwrap();
        let dense: [[f64; 3]; 3] = [[0.0, 2.0, 0.0], [1.0, 0.0, 3.0], [0.0, 0.0, 0.0]];
        let mut s1 = 0.0f64;
        let mut s2 = 0.0f64;
        for i in 0..3 {
            let (mut r, mut c) = (0.0f64, 0.0f64);
            for j in 0..3 {
                s1 += (dense[i][j] + dense[j][i]).powi(2);
                r += dense[i][j];
                c += dense[j][i];
            }
            s2 += (r + c).powi(2);
        }
        assert_eq!(w.s1(), s1 / 2.0);
        assert_eq!(w.s2(), s2);
        assert!(w.is_asymmetric());
        assert_eq!(w.summary().islands, vec!["c".to_string()]);
        assert_eq!(w.summary().components, 1);
    }

    #[test]
    fn bad_specifications_are_errors() {
        let ids = || vec!["a".to_string(), "b".to_string()];
        assert!(matches!(
            Weights::new(ids(), vec![vec![2], vec![]], None),
            Err(WeightsError::OutOfRange { .. })
        ));
        assert!(matches!(
            Weights::new(ids(), vec![vec![0], vec![]], None),
            Err(WeightsError::SelfNeighbour { unit: 0 })
        ));
        assert!(matches!(
            Weights::new(ids(), vec![vec![1, 1], vec![]], None),
            Err(WeightsError::Duplicate { .. })
        ));
        assert!(matches!(
            Weights::new(vec!["a".into(), "a".into()], vec![vec![], vec![]], None),
            Err(WeightsError::DuplicateId(_))
        ));
    }

    #[test]
    fn subset_and_components() {
        let w = line(5).transformed(Transform::Row);
        let s = w.subset(&[0, 1, 3, 4]);
        assert_eq!(s.ids, vec!["0", "1", "3", "4"]);
        assert_eq!(s.neighbours(1), &[0]);
        assert_eq!(s.weights(1), &[1.0]);
        assert_eq!(s.summary().components, 2);
        let joined = s.with_links(&[(1, 2)]);
        assert_eq!(joined.summary().components, 1);
        assert_eq!(joined.weights(1), &[0.5, 0.5]);
    }
}
