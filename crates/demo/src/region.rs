//! The Veerstad region: outline, wijken, buurten, their latent deprivation field, their roles in
//! the storyline (worsening, improving, the "veerkracht signal") and the boundary changes.

use std::collections::BTreeSet;

use geo_types::Coord;

use crate::alloc::allocate;
use crate::geometry::{self, Shape};
use crate::names;
use crate::profile::{FIRST_YEAR, Kind, Sketch, Traits, YearState};
use crate::rng::{self, Draw, Rng, shuffle, tag};

/// Gemeente code digits and name.
pub(crate) const GM_DIGITS: &str = "9001";
pub(crate) const GM_NAME: &str = "Veerstad";
/// Edition years.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = FIRST_YEAR..=2024;
/// Year from which the split buurt is replaced by its two children.
pub(crate) const SPLIT_YEAR: i32 = 2022;
/// Year from which the renamed buurt carries its new name.
pub(crate) const RENAME_YEAR: i32 = 2023;

const CENTRE: Coord<f64> = Coord {
    x: 145_000.0,
    y: 445_000.0,
};
const WIJK_COUNT: usize = 15;
const BUURT_COUNT: usize = 150;
/// Buurten with a corporation share of at least two thirds.
const CORPORATION_BUURTEN: usize = 12;
const SIGNAL_BUURTEN: usize = 5;
const TRENDING_BUURTEN: usize = 12;

/// Storyline of a buurt over the editions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Stable,
    Worsening,
    Improving,
    /// Rising vulnerability together with rising nuisance.
    Signal,
}

/// A wijk.
#[derive(Clone, Debug)]
pub(crate) struct Wijk {
    pub number: usize,
    pub name: String,
    pub shape: Shape,
}

impl Wijk {
    /// Code with prefix, e.g. `WK900103`.
    pub(crate) fn code(&self) -> String {
        format!("WK{GM_DIGITS}{:02}", self.number)
    }
}

/// A buurt, with its validity period and storyline.
#[derive(Clone, Debug)]
pub(crate) struct Buurt {
    pub code: String,
    pub name: String,
    /// New name from [`RENAME_YEAR`] on.
    pub renamed: Option<String>,
    /// Index into [`Region::wijken`].
    pub wijk: usize,
    pub shape: Shape,
    /// First and last edition in which the buurt exists.
    pub from: i32,
    pub to: i32,
    pub traits: Traits,
    pub role: Role,
    /// Deprivation z-score in the first year and its yearly change.
    pub dep0: f64,
    pub dep_trend: f64,
    /// Nuisance level in the first year and its yearly change.
    pub nuisance0: f64,
    pub nuisance_trend: f64,
    /// Yearly change of the corporation share.
    pub corp_trend: f64,
}

impl Buurt {
    /// Whether the buurt exists in the edition `year`.
    pub(crate) fn exists_in(&self, year: i32) -> bool {
        (self.from..=self.to).contains(&year)
    }

    /// The name in the edition `year`.
    pub(crate) fn name_in(&self, year: i32) -> &str {
        match &self.renamed {
            Some(new) if year >= RENAME_YEAR => new,
            _ => &self.name,
        }
    }

    /// Indelingswijziging: 2 in the edition where the buurt first appears after a boundary
    /// change, 1 otherwise.
    pub(crate) fn ind_wbi(&self, year: i32) -> u8 {
        if year == self.from && self.from > FIRST_YEAR {
            2
        } else {
            1
        }
    }

    fn years_since_start(year: i32) -> f64 {
        f64::from(year - FIRST_YEAR)
    }

    /// The year state fed to the profile generator.
    pub(crate) fn state(&self, year: i32) -> YearState {
        let wobble =
            rng::stream(self.traits.noise_seed, &[tag::FIELD, year as u64]).gauss(0.0, 0.03);
        let t = Self::years_since_start(year);
        YearState {
            year,
            dep: self.dep0 + self.dep_trend * t + wobble,
            corp_shift: self.corp_trend * t,
        }
    }

    /// Nuisance level (drives the Leefbaarometer `onv` dimension and crime).
    pub(crate) fn nuisance(&self, year: i32) -> f64 {
        self.nuisance0 + self.nuisance_trend * Self::years_since_start(year)
    }
}

/// The whole region.
#[derive(Clone, Debug)]
pub(crate) struct Region {
    pub outline: Shape,
    pub wijken: Vec<Wijk>,
    /// Buurten grouped by wijk, in code order within each wijk.
    pub buurten: Vec<Buurt>,
}

impl Region {
    /// The buurten of wijk `w` that exist in `year`, as indices into `buurten`.
    pub(crate) fn buurten_in(&self, w: usize, year: i32) -> impl Iterator<Item = usize> + '_ {
        (0..self.buurten.len())
            .filter(move |&i| self.buurten[i].wijk == w && self.buurten[i].exists_in(year))
    }
}

/// Urbanity of a location: 1 in the centre, fading towards the edge.
fn urbanity(p: Coord<f64>) -> f64 {
    (-(distance(p, CENTRE) / 2300.0).powi(2)).exp()
}

fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Clockwise angle from north, in `[0, 2π)`.
fn bearing(p: Coord<f64>) -> f64 {
    (p.x - CENTRE.x)
        .atan2(p.y - CENTRE.y)
        .rem_euclid(std::f64::consts::TAU)
}

/// A buurt cell before it gets traits.
struct Cell {
    wijk: usize,
    number: usize,
    shape: Shape,
    kind: Kind,
    name: String,
    from: i32,
    to: i32,
}

/// Builds Veerstad for `seed`.
pub(crate) fn build(seed: u64) -> Region {
    let mut outline = geometry::outline(
        &mut rng::stream(seed, &[tag::OUTLINE]),
        CENTRE,
        4500.0,
        3500.0,
    );
    let river = geometry::river(&mut rng::stream(seed, &[tag::RIVER]), CENTRE);
    let mut wijken = layout_wijken(seed, &outline, &river);
    let mut cells = layout_buurten(seed, &wijken);
    let mut names_rng = rng::stream(seed, &[tag::NAMES]);
    let mut used_names = BTreeSet::new();
    assign_special_kinds(&mut cells, &river, &wijken, &mut used_names);
    let split = split_buurt(seed, &mut cells, &mut used_names);
    for cell in cells.iter_mut().filter(|c| c.name.is_empty()) {
        cell.name = names::unique_buurt_name(&mut names_rng, &mut used_names);
    }
    {
        let mut shapes: Vec<&mut Shape> = std::iter::once(&mut outline)
            .chain(wijken.iter_mut().map(|w| &mut w.shape))
            .chain(cells.iter_mut().map(|c| &mut c.shape))
            .collect();
        geometry::build_topology(&mut shapes);
    }
    let mut buurten = characterise(seed, cells, &river, split);
    rename_one(&mut buurten, &mut names_rng, &mut used_names);
    buurten.sort_by(|a, b| (a.wijk, &a.code).cmp(&(b.wijk, &b.code)));
    Region {
        outline,
        wijken,
        buurten,
    }
}

/// Wijken: Voronoi cells of well-spread seeds clipped to the outline; `Centrum` in the middle,
/// `Havenkwartier` on the river, the others named and numbered clockwise from the north.
fn layout_wijken(seed: u64, outline: &Shape, river: &Shape) -> Vec<Wijk> {
    let mut r = rng::stream(seed, &[tag::WIJK_SEEDS]);
    let centre = Coord {
        x: CENTRE.x + r.gauss(0.0, 150.0),
        y: CENTRE.y + r.gauss(0.0, 150.0),
    };
    let seeds = geometry::spread_points(outline, WIJK_COUNT, &[centre], &mut r);
    let harbour = (1..seeds.len())
        .filter(|&i| distance(seeds[i], CENTRE) < 3500.0)
        .min_by(|&a, &b| {
            river
                .boundary_distance(seeds[a])
                .total_cmp(&river.boundary_distance(seeds[b]))
        })
        .unwrap_or(1);
    let mut order: Vec<usize> = (1..seeds.len()).collect();
    order.sort_by(|&a, &b| bearing(seeds[a]).total_cmp(&bearing(seeds[b])));
    let mut other_names = names::WIJK_NAMES.iter();
    let named: Vec<(usize, String)> = std::iter::once((0, "Centrum".to_string()))
        .chain(order.into_iter().map(|i| {
            let name = if i == harbour {
                "Havenkwartier"
            } else {
                other_names.next().expect("enough wijk names")
            };
            (i, name.to_string())
        }))
        .collect();
    let shapes = geometry::partition(outline, &seeds);
    named
        .into_iter()
        .enumerate()
        .map(|(number, (i, name))| Wijk {
            number,
            name,
            shape: shapes[i].clone(),
        })
        .collect()
}

/// Buurten: per wijk, Voronoi cells of well-spread seeds clipped to the wijk; more (smaller)
/// buurten towards the centre; numbered north to south.
fn layout_buurten(seed: u64, wijken: &[Wijk]) -> Vec<Cell> {
    let weights: Vec<f64> = wijken
        .iter()
        .map(|w| w.shape.area_m2() / 1e6 * (1.0 + 3.0 * urbanity(w.shape.centroid()).powi(2)))
        .collect();
    let counts = allocate(BUURT_COUNT, &weights, 5, 16);
    let mut cells = Vec::with_capacity(BUURT_COUNT + 2);
    for (w, wijk) in wijken.iter().enumerate() {
        let mut r = rng::stream(seed, &[tag::BUURT_SEEDS, w as u64]);
        let mut seeds = geometry::spread_points(&wijk.shape, counts[w], &[], &mut r);
        seeds.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let shapes = geometry::partition(&wijk.shape, &seeds);
        cells.extend(shapes.into_iter().enumerate().map(|(number, shape)| Cell {
            wijk: w,
            number,
            shape,
            kind: Kind::Residential,
            name: String::new(),
            from: FIRST_YEAR,
            to: *YEARS.end(),
        }));
    }
    cells
}

/// Marks a business park (outer buurt near the river), a park (mid-town) and a rural buurt.
fn assign_special_kinds(
    cells: &mut [Cell],
    river: &Shape,
    wijken: &[Wijk],
    used: &mut BTreeSet<String>,
) {
    let centroids: Vec<Coord<f64>> = cells.iter().map(|c| c.shape.centroid()).collect();
    let dist = |i: usize| distance(centroids[i], CENTRE);
    let best = |cells: &[Cell], score: &dyn Fn(usize) -> f64| {
        (0..cells.len())
            .filter(|&i| cells[i].kind == Kind::Residential && cells[i].wijk != 0)
            .max_by(|&a, &b| score(a).total_cmp(&score(b)))
            .expect("enough buurten")
    };
    let business = best(cells, &|i| {
        dist(i) / 1000.0 - river.boundary_distance(centroids[i]) / 400.0
    });
    cells[business].kind = Kind::Business;
    cells[business].name = "Bedrijventerrein Veerhaven".into();
    let park = best(cells, &|i| {
        cells[i].shape.area_m2() / 1e4 - (dist(i) - 1900.0).abs() / 20.0
    });
    cells[park].kind = Kind::Park;
    cells[park].name = "Stadspark".into();
    let rural = best(cells, &|i| {
        dist(i) / 1000.0 + cells[i].shape.area_m2() / 4e5
    });
    cells[rural].kind = Kind::Rural;
    cells[rural].name = format!("Buitengebied {}", wijken[cells[rural].wijk].name);
    for i in [business, park, rural] {
        used.insert(cells[i].name.clone());
    }
}

/// Splits one large outer residential buurt: the old one ends before [`SPLIT_YEAR`], two new
/// buurten with new codes (and names with a compass suffix) tile it from then on.
/// Returns the indices of the old buurt and its two children.
fn split_buurt(seed: u64, cells: &mut Vec<Cell>, used: &mut BTreeSet<String>) -> [usize; 3] {
    let mut r = rng::stream(seed, &[tag::SPLIT]);
    let preference = |i: usize| {
        let outer = (2200.0..3800.0).contains(&distance(cells[i].shape.centroid(), CENTRE));
        (outer, cells[i].shape.area_m2())
    };
    let parent = (0..cells.len())
        .filter(|&i| cells[i].kind == Kind::Residential && cells[i].wijk != 0)
        .max_by(|&a, &b| {
            let (pa, pb) = (preference(a), preference(b));
            pa.0.cmp(&pb.0).then(pa.1.total_cmp(&pb.1))
        })
        .expect("a buurt to split");
    let old = &cells[parent];
    let c = old.shape.centroid();
    let b = old.shape.bbox();
    let wide = b[2] - b[0] > b[3] - b[1];
    let reach = 0.25 * ((b[2] - b[0]).max(b[3] - b[1]) as f64 / 100.0);
    let jitter = r.gauss(0.0, 0.1 * reach);
    let seeds = if wide {
        [
            Coord {
                x: c.x - reach,
                y: c.y + jitter,
            },
            Coord {
                x: c.x + reach,
                y: c.y - jitter,
            },
        ]
    } else {
        [
            Coord {
                x: c.x - jitter,
                y: c.y + reach,
            },
            Coord {
                x: c.x + jitter,
                y: c.y - reach,
            },
        ]
    };
    let suffixes = if wide {
        ["West", "Oost"]
    } else {
        ["Noord", "Zuid"]
    };
    let base_name = names::unique_buurt_name(&mut r, used);
    let next_number = cells
        .iter()
        .filter(|x| x.wijk == old.wijk)
        .map(|x| x.number)
        .max()
        .unwrap_or(0)
        + 1;
    let children: Vec<Cell> = geometry::partition(&old.shape, &seeds)
        .into_iter()
        .zip(suffixes)
        .enumerate()
        .map(|(k, (shape, suffix))| Cell {
            wijk: old.wijk,
            number: next_number + k,
            shape,
            kind: Kind::Residential,
            name: format!("{base_name}-{suffix}"),
            from: SPLIT_YEAR,
            to: *YEARS.end(),
        })
        .collect();
    cells[parent].name = base_name;
    cells[parent].to = SPLIT_YEAR - 1;
    let first_child = cells.len();
    cells.extend(children);
    [parent, first_child, first_child + 1]
}

/// A spatially autocorrelated latent deprivation field: Gaussian bumps plus smooth waves.
struct Field {
    bumps: Vec<(Coord<f64>, f64, f64)>,
    waves: Vec<(f64, f64, f64, f64)>,
}

impl Field {
    fn new(r: &mut Rng) -> Self {
        // (sign, amplitude range, distance range from the centre, sigma range)
        let kinds = [(1.0, (1.0, 1.6), (1200.0, 3600.0), (600.0, 1100.0)); 4]
            .into_iter()
            .chain([(-1.0, (0.7, 1.0), (2500.0, 4200.0), (1100.0, 1600.0)); 2]);
        let bumps = kinds
            .map(|(sign, amp, dist, sigma)| {
                let amp = sign * r.uniform(amp.0, amp.1);
                let (angle, dist) = (
                    r.uniform(0.0, std::f64::consts::TAU),
                    r.uniform(dist.0, dist.1),
                );
                let at = Coord {
                    x: CENTRE.x + dist * angle.sin(),
                    y: CENTRE.y + 0.8 * dist * angle.cos(),
                };
                (at, amp, r.uniform(sigma.0, sigma.1))
            })
            .collect();
        let waves = (0..3)
            .map(|_| {
                let (angle, length) = (
                    r.uniform(0.0, std::f64::consts::PI),
                    r.uniform(3000.0, 6000.0),
                );
                let k = std::f64::consts::TAU / length;
                (k * angle.cos(), k * angle.sin(), r.uniform(0.0, 6.3), 0.25)
            })
            .collect();
        Field { bumps, waves }
    }

    fn at(&self, p: Coord<f64>) -> f64 {
        let bumps: f64 = self
            .bumps
            .iter()
            .map(|(c, amp, sigma)| amp * (-(distance(p, *c) / sigma).powi(2) / 2.0).exp())
            .sum();
        let waves: f64 = self
            .waves
            .iter()
            .map(|(kx, ky, ph, amp)| amp * (kx * p.x + ky * p.y + ph).sin())
            .sum();
        bumps + waves
    }
}

/// Standardised deprivation per cell (over the inhabited cells of the first edition).
fn deprivation(seed: u64, cells: &[Cell], centroids: &[Coord<f64>]) -> Vec<f64> {
    let mut r = rng::stream(seed, &[tag::FIELD]);
    let field = Field::new(&mut r);
    let raw: Vec<f64> = centroids
        .iter()
        .map(|&c| field.at(c) + r.gauss(0.0, 0.2))
        .collect();
    let base: Vec<f64> = (0..cells.len())
        .filter(|&i| cells[i].kind.inhabited() && cells[i].from == FIRST_YEAR)
        .map(|i| raw[i])
        .collect();
    let mean = base.iter().sum::<f64>() / base.len() as f64;
    let sd = (base.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / base.len() as f64).sqrt();
    raw.iter().map(|v| (v - mean) / sd + 0.1).collect()
}

/// Corporation shares: the `CORPORATION_BUURTEN` most deprived (with noise) residential
/// buurten of the newest edition get 70–86 %, the rest follow their rank below 62 %.
fn corporation_shares(r: &mut Rng, cells: &[Cell], dep: &[f64]) -> Vec<f64> {
    let mut shares = vec![0.0; cells.len()];
    let mut ranked: Vec<(f64, usize)> = (0..cells.len())
        .filter(|&i| cells[i].kind == Kind::Residential)
        .map(|i| (dep[i] + r.gauss(0.0, 0.5), i))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let current: Vec<usize> = ranked
        .iter()
        .map(|x| x.1)
        .filter(|&i| cells[i].to == *YEARS.end())
        .collect();
    let rest = current.len() - CORPORATION_BUURTEN;
    for (rank, &i) in current.iter().enumerate() {
        shares[i] = if rank < CORPORATION_BUURTEN {
            r.uniform(0.70, 0.86)
        } else {
            let p = 1.0 - (rank - CORPORATION_BUURTEN) as f64 / rest as f64;
            (0.03 + 0.57 * p.powf(1.3) + r.gauss(0.0, 0.03)).clamp(0.01, 0.62)
        };
    }
    for i in (0..cells.len()).filter(|&i| cells[i].kind == Kind::Rural) {
        shares[i] = r.uniform(0.0, 0.05);
    }
    shares
}

/// Storylines: a few signal buurten among the most deprived, some worsening, some improving.
fn roles(r: &mut Rng, cells: &[Cell], dep: &[f64], corp: &[f64]) -> Vec<Role> {
    let mut roles = vec![Role::Stable; cells.len()];
    let mut residential: Vec<usize> = (0..cells.len())
        .filter(|&i| cells[i].kind == Kind::Residential)
        .collect();
    residential.sort_by(|&a, &b| {
        (dep[b] + corp[b])
            .total_cmp(&(dep[a] + corp[a]))
            .then(a.cmp(&b))
    });
    let mut top: Vec<usize> = residential[..20].to_vec();
    shuffle(r, &mut top);
    for &i in &top[..SIGNAL_BUURTEN] {
        roles[i] = Role::Signal;
    }
    let mut rest: Vec<usize> = residential
        .into_iter()
        .filter(|&i| roles[i] == Role::Stable)
        .collect();
    shuffle(r, &mut rest);
    for &i in &rest[..TRENDING_BUURTEN] {
        roles[i] = Role::Worsening;
    }
    for &i in &rest[TRENDING_BUURTEN..2 * TRENDING_BUURTEN] {
        roles[i] = Role::Improving;
    }
    roles
}

/// Yearly changes of deprivation and nuisance for a role.
fn trends(r: &mut Rng, role: Role) -> (f64, f64) {
    match role {
        Role::Stable => (r.gauss(0.0, 0.015), r.gauss(0.0, 0.01)),
        Role::Worsening => (r.uniform(0.06, 0.10), r.gauss(0.0, 0.01)),
        Role::Improving => (-r.uniform(0.06, 0.10), -r.uniform(0.0, 0.02)),
        Role::Signal => (r.uniform(0.10, 0.14), r.uniform(0.12, 0.18)),
    }
}

/// Two wijken (not the centre) with district heating.
fn heat_net_wijken(r: &mut Rng) -> [usize; 2] {
    let a = 1 + r.index(WIJK_COUNT - 1);
    let b = 1 + (a + r.index(WIJK_COUNT - 2)) % (WIJK_COUNT - 1);
    [a, b]
}

/// Turns cells into buurten: geometry facts, deprivation, corporation share, storyline, traits.
fn characterise(seed: u64, cells: Vec<Cell>, river: &Shape, split: [usize; 3]) -> Vec<Buurt> {
    let mut r = rng::stream(seed, &[tag::TRAITS]);
    let centroids: Vec<Coord<f64>> = cells.iter().map(|c| c.shape.centroid()).collect();
    let dep = deprivation(seed, &cells, &centroids);
    let mut corp = corporation_shares(&mut r, &cells, &dep);
    corp[split[0]] = (corp[split[1]] + corp[split[2]]) / 2.0;
    let mut role_rng = rng::stream(seed, &[tag::ROLES]);
    let roles = roles(&mut role_rng, &cells, &dep, &corp);
    let heated = heat_net_wijken(&mut role_rng);
    let mut traits: Vec<Traits> = cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let sketch = sketch(&mut r, cell, centroids[i], corp[i], river);
            let mut t = Traits::derive(&sketch, &mut r);
            if heated.contains(&cell.wijk) {
                t.heat_net = r.uniform(0.25, 0.7);
            }
            t.postcode = 8900 + 4 * cell.wijk as u16 + (cell.number % 4) as u16;
            t
        })
        .collect();
    shape_split_children(&mut traits, split);
    cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| {
            let (dep_trend, nuisance_trend) = trends(&mut role_rng, roles[i]);
            let corp_trend = if corp[i] >= 0.67 || roles[i] == Role::Signal {
                0.0
            } else {
                -0.003
            };
            Buurt {
                code: format!("BU{GM_DIGITS}{:02}{:02}", cell.wijk, cell.number),
                name: cell.name,
                renamed: None,
                wijk: cell.wijk,
                from: cell.from,
                to: cell.to,
                role: roles[i],
                dep0: dep[i],
                dep_trend,
                nuisance0: 0.5 * dep[i] + 0.4 * traits[i].urban + role_rng.gauss(0.0, 0.25),
                nuisance_trend,
                corp_trend,
                traits: traits[i].clone(),
                shape: cell.shape,
            }
        })
        .collect()
}

/// The sketch of one cell: urbanity from the distance to the centre, building era in rings
/// (post-war where corporations dominate), density by urbanity.
fn sketch(r: &mut Rng, cell: &Cell, centroid: Coord<f64>, corp: f64, river: &Shape) -> Sketch {
    let area_ha = cell.shape.area_m2() / 1e4;
    let water_ha = cell.shape.intersection_area(river) / 1e4;
    let d = distance(centroid, CENTRE);
    let urban = (urbanity(centroid) + r.gauss(0.0, 0.05)).clamp(0.0, 1.0);
    let ring_era = if d < 900.0 {
        r.uniform(1880.0, 1935.0)
    } else {
        1925.0 + 80.0 * (d / 4500.0).min(1.1)
    };
    let era = if corp > 0.5 {
        0.5 * ring_era + 0.5 * 1962.0
    } else {
        ring_era
    };
    let density = match cell.kind {
        Kind::Rural => 16.0 / (area_ha - water_ha).max(1.0),
        _ => (4.0 + 40.0 * urban.powf(1.5)) * (1.0 + 0.35 * corp) * r.factor(0.2),
    };
    Sketch {
        kind: cell.kind,
        urban,
        corp,
        era: (era + r.gauss(0.0, 7.0)).clamp(1880.0, 2018.0),
        land_ha: (area_ha - water_ha).max(0.1),
        water_ha,
        density,
    }
}

/// The children of the split buurt take over its stock: the first keeps the old houses, the
/// second adds new-build (later era, growth). Each keeps its own corporation share.
fn shape_split_children(traits: &mut [Traits], [parent, a, b]: [usize; 3]) {
    let p = traits[parent].clone();
    let land = traits[a].land_ha + traits[b].land_ha;
    for (child, extra) in [(a, 1.0), (b, 1.15)] {
        let t = &mut traits[child];
        let seed = t.noise_seed;
        let (land_ha, water_ha, postcode, corp) = (t.land_ha, t.water_ha, t.postcode, t.corp);
        *t = p.clone();
        t.noise_seed = seed;
        t.corp = corp;
        t.land_ha = land_ha;
        t.water_ha = water_ha;
        t.postcode = postcode;
        t.dwellings = p.dwellings * land_ha / land * extra;
    }
    let nieuwbouw = &mut traits[b];
    nieuwbouw.era = (nieuwbouw.era + 2021.0) / 2.0;
    nieuwbouw.growth = 0.04;
}

/// Gives one ordinary buurt a new name from [`RENAME_YEAR`] on (same code).
fn rename_one(buurten: &mut [Buurt], r: &mut Rng, used: &mut BTreeSet<String>) {
    let candidates: Vec<usize> = (0..buurten.len())
        .filter(|&i| {
            let b = &buurten[i];
            b.traits.kind == Kind::Residential && b.from == FIRST_YEAR && b.to == *YEARS.end()
        })
        .collect();
    let i = candidates[r.index(candidates.len())];
    buurten[i].renamed = Some(names::unique_buurt_name(r, used));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storyline_is_present() {
        let region = build(crate::DEFAULT_SEED);
        let count = |role| region.buurten.iter().filter(|b| b.role == role).count();
        assert_eq!(count(Role::Signal), SIGNAL_BUURTEN);
        assert_eq!(count(Role::Worsening), TRENDING_BUURTEN);
        for b in region.buurten.iter().filter(|b| b.role == Role::Signal) {
            assert!(b.state(2024).dep > b.state(2019).dep);
            assert!(b.nuisance(2024) > b.nuisance(2019));
        }
    }

    /// Geometry soundness over many seeds (slow in debug: run with `--release --ignored`).
    #[test]
    #[ignore]
    fn many_seeds_are_sound() {
        use geo::Validation;
        for seed in 0..60 {
            let region = build(seed);
            for (w, wijk) in region.wijken.iter().enumerate() {
                assert!(wijk.shape.to_geo().is_valid(), "seed {seed} wijk {w}");
                for year in [2021, 2024] {
                    let parts: Vec<usize> = region.buurten_in(w, year).collect();
                    let sum: f64 = parts
                        .iter()
                        .map(|&i| region.buurten[i].shape.area_m2())
                        .sum();
                    let whole = wijk.shape.area_m2();
                    assert!(
                        (sum - whole).abs() / whole < 1e-4,
                        "seed {seed} wijk {w} {year}: {sum} vs {whole}"
                    );
                }
            }
            for b in &region.buurten {
                let geom = b.shape.to_geo();
                assert!(
                    geom.is_valid(),
                    "seed {seed} {}: {:?}",
                    b.code,
                    geom.validation_errors()
                );
                assert!(b.shape.area_m2() > 1000.0, "seed {seed} {}", b.code);
            }
        }
    }

    #[test]
    fn one_split_and_one_rename() {
        let region = build(crate::DEFAULT_SEED);
        assert_eq!(
            region
                .buurten
                .iter()
                .filter(|b| b.to == SPLIT_YEAR - 1)
                .count(),
            1
        );
        assert_eq!(
            region
                .buurten
                .iter()
                .filter(|b| b.from == SPLIT_YEAR)
                .count(),
            2
        );
        assert_eq!(
            region
                .buurten
                .iter()
                .filter(|b| b.renamed.is_some())
                .count(),
            1
        );
    }
}
