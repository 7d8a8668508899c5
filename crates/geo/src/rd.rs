//! Conversion between RD New (Rijksdriehoeksmeting, EPSG:28992) and WGS84.
//!
//! Uses the approximation series published by F.H. Schreutelkamp and
//! G.L. Strang van Hees, "Benaderingsformules voor de transformatie tussen RD- en
//! WGS84-kaartcoördinaten" (2001). Within the Netherlands the series agree with
//! the official RDNAPTRANS™ transformation to a few decimetres (better than 1 m),
//! which is ample for neighbourhood maps. Converting RD → WGS84 → RD returns the
//! original coordinates to within a centimetre over the whole RD domain.
//!
//! Outside the Netherlands the results quickly become meaningless; callers that
//! need to guard against that should check coordinates with
//! [`Crs::from_coordinate_range`](crate::Crs::from_coordinate_range) first.

use geo_types::{Coord, MultiPolygon};

/// RD x of the base point (Onze Lieve Vrouwetoren, Amersfoort), metres.
pub const X0: f64 = 155_000.0;
/// RD y of the base point, metres.
pub const Y0: f64 = 463_000.0;
/// WGS84 latitude of the base point, degrees.
pub const PHI0: f64 = 52.155_174_40;
/// WGS84 longitude of the base point, degrees.
pub const LAM0: f64 = 5.387_206_21;

/// Coefficients `(p, q, K_pq)`: latitude offset in arc seconds from
/// `dX = (x − X0)·10⁻⁵`, `dY = (y − Y0)·10⁻⁵`.
const K: [(i32, i32, f64); 11] = [
    (0, 1, 3235.65389),
    (2, 0, -32.58297),
    (0, 2, -0.24750),
    (2, 1, -0.84978),
    (0, 3, -0.06550),
    (2, 2, -0.01709),
    (1, 0, -0.00738),
    (4, 0, 0.00530),
    (2, 3, -0.00039),
    (4, 1, 0.00033),
    (1, 1, -0.00012),
];

/// Coefficients `(p, q, L_pq)`: longitude offset in arc seconds.
const L: [(i32, i32, f64); 12] = [
    (1, 0, 5260.52916),
    (1, 1, 105.94684),
    (1, 2, 2.45656),
    (3, 0, -0.81885),
    (1, 3, 0.05594),
    (3, 1, -0.05607),
    (0, 1, 0.01199),
    (3, 2, -0.00256),
    (1, 4, 0.00128),
    (0, 2, 0.00022),
    (2, 0, -0.00022),
    (5, 0, 0.00026),
];

/// Coefficients `(p, q, R_pq)`: RD x offset in metres from
/// `dφ = 0.36·(φ − φ0)`, `dλ = 0.36·(λ − λ0)` (units of 10⁴ arc seconds).
const R: [(i32, i32, f64); 9] = [
    (0, 1, 190094.945),
    (1, 1, -11832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
];

/// Coefficients `(p, q, S_pq)`: RD y offset in metres.
const S: [(i32, i32, f64); 10] = [
    (1, 0, 309056.544),
    (0, 2, 3638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
];

fn series(coefficients: &[(i32, i32, f64)], a: f64, b: f64) -> f64 {
    coefficients
        .iter()
        .map(|&(p, q, c)| c * a.powi(p) * b.powi(q))
        .sum()
}

/// Converts RD New coordinates (`x` easting, `y` northing, metres) to WGS84,
/// returning `(longitude, latitude)` in decimal degrees. Never fails; non-finite
/// input gives non-finite output.
pub fn rd_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let dx = (x - X0) * 1e-5;
    let dy = (y - Y0) * 1e-5;
    let lat = PHI0 + series(&K, dx, dy) / 3600.0;
    let lon = LAM0 + series(&L, dx, dy) / 3600.0;
    (lon, lat)
}

/// Converts WGS84 `(longitude, latitude)` in decimal degrees to RD New,
/// returning `(x, y)` in metres. Never fails; non-finite input gives non-finite
/// output.
pub fn wgs84_to_rd(lon: f64, lat: f64) -> (f64, f64) {
    let dphi = 0.36 * (lat - PHI0);
    let dlam = 0.36 * (lon - LAM0);
    let x = X0 + series(&R, dphi, dlam);
    let y = Y0 + series(&S, dphi, dlam);
    (x, y)
}

/// Converts every coordinate of an RD New multipolygon to WGS84 lon/lat with
/// [`rd_to_wgs84`]. Never fails.
pub fn multipolygon_rd_to_wgs84(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    map_coords(geometry, rd_to_wgs84)
}

/// Converts every coordinate of a WGS84 lon/lat multipolygon to RD New with
/// [`wgs84_to_rd`]. Never fails.
pub fn multipolygon_wgs84_to_rd(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    map_coords(geometry, wgs84_to_rd)
}

fn map_coords(geometry: &MultiPolygon<f64>, f: fn(f64, f64) -> (f64, f64)) -> MultiPolygon<f64> {
    use geo::MapCoords;
    geometry.map_coords(|c| {
        let (x, y) = f(c.x, c.y);
        Coord { x, y }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_point_maps_exactly() {
        assert_eq!(rd_to_wgs84(X0, Y0), (LAM0, PHI0));
        assert_eq!(wgs84_to_rd(LAM0, PHI0), (X0, Y0));
    }
}
