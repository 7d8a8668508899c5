//! Peer groups ("vergelijkbare buurten"): the k nearest areas on standardised
//! context — urbanity (`ste_mvs`, `ste_oad`), size (log inhabitants) and stock
//! mix (`p_koopw`, `p_wcorpw`, `p_mgezw`) — so a buurt is compared with buurten
//! like it, not with the whole country. Each variable is z-scored over the
//! level and edition; the distance is Euclidean over the variables both areas
//! have (scaled to the full set); areas with fewer than half the variables get
//! no peers.

use veerkracht_dataset::{AreaCode, Dataset, Edition, Level};

/// Context variables: (catalogue id, log-transform).
pub const CONTEXT: &[(&str, bool)] = &[
    ("ste_mvs", false),
    ("ste_oad", true),
    ("a_inw", true),
    ("p_koopw", false),
    ("p_wcorpw", false),
    ("p_mgezw", false),
];

/// A peer with its distance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Peer {
    /// Code.
    pub code: AreaCode,
    /// Distance in standard deviations.
    pub distance: f64,
}

/// The k nearest peers of every area (code order), empty for areas with too little context.
pub fn peer_groups(
    ds: &Dataset,
    edition: Edition,
    level: Level,
    k: usize,
) -> Vec<(AreaCode, Vec<Peer>)> {
    let areas = ds.areas(edition, level);
    let raw: Vec<Vec<Option<f64>>> = areas
        .iter()
        .map(|a| {
            CONTEXT
                .iter()
                .map(|&(id, log)| {
                    ds.number(edition, &a.code, id).and_then(|v| {
                        if log {
                            (v > 0.0).then(|| v.ln())
                        } else {
                            Some(v)
                        }
                    })
                })
                .collect()
        })
        .collect();
    let nv = CONTEXT.len();
    let stats: Vec<(f64, f64)> = (0..nv)
        .map(|j| {
            let v: Vec<f64> = raw.iter().filter_map(|r| r[j]).collect();
            crate::method::mean_sd(&v)
        })
        .collect();
    let z: Vec<Vec<Option<f64>>> = raw
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(j, x)| {
                    x.and_then(|x| (stats[j].1 > 0.0).then(|| (x - stats[j].0) / stats[j].1))
                })
                .collect()
        })
        .collect();
    let enough = |r: &[Option<f64>]| r.iter().filter(|x| x.is_some()).count() * 2 >= nv;
    areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if !enough(&z[i]) {
                return (a.code, Vec::new());
            }
            let mut d: Vec<Peer> = (0..areas.len())
                .filter(|&j| j != i && enough(&z[j]))
                .filter_map(|j| {
                    let (mut s, mut n) = (0.0, 0);
                    for v in 0..nv {
                        if let (Some(x), Some(y)) = (z[i][v], z[j][v]) {
                            s += (x - y).powi(2);
                            n += 1;
                        }
                    }
                    (n * 2 >= nv).then(|| Peer {
                        code: areas[j].code,
                        distance: (s * nv as f64 / n as f64).sqrt(),
                    })
                })
                .collect();
            d.sort_by(|x, y| x.distance.total_cmp(&y.distance).then(x.code.cmp(&y.code)));
            d.truncate(k);
            (a.code, d)
        })
        .collect()
}
