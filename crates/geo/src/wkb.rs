//! ISO Well-Known Binary (WKB) for polygons and multipolygons.
//!
//! Encoding always writes little-endian 2D geometries (type 3 Polygon, type 6
//! MultiPolygon). Decoding reads both byte orders (per geometry, as the standard
//! allows), accepts ISO Z/M/ZM variants (types 1003/2003/3003 and
//! 1006/2006/3006) by dropping the extra ordinates, accepts a Polygon where a
//! MultiPolygon is expected, and rejects every other type, EWKB flags, truncated
//! input and trailing bytes with [`GeoError::InvalidBlob`]. Decoding never panics
//! and never allocates more than the input size justifies.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use crate::GeoError;

const WKB_POLYGON: u32 = 3;
const WKB_MULTIPOLYGON: u32 = 6;

/// Encodes `polygon` as little-endian ISO WKB (type 3). Rings are written as
/// stored; an empty exterior gives an empty polygon (0 rings).
pub fn encode_polygon(polygon: &Polygon<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(polygon_size(polygon));
    write_polygon(&mut out, polygon);
    out
}

/// Encodes `geometry` as little-endian ISO WKB (type 6), each member polygon
/// with its own header as the standard requires.
pub fn encode_multipolygon(geometry: &MultiPolygon<f64>) -> Vec<u8> {
    let size = 9 + geometry.0.iter().map(polygon_size).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.push(1);
    out.extend_from_slice(&WKB_MULTIPOLYGON.to_le_bytes());
    put_count(&mut out, geometry.0.len());
    for polygon in &geometry.0 {
        write_polygon(&mut out, polygon);
    }
    out
}

/// Decodes a WKB Polygon (2D, Z, M or ZM; either byte order).
///
/// # Errors
/// [`GeoError::InvalidBlob`] when the bytes are truncated, have trailing data, use
/// an unknown byte order or EWKB flags, or hold another geometry type.
pub fn decode_polygon(bytes: &[u8]) -> Result<Polygon<f64>, GeoError> {
    decode_with(bytes, |reader| {
        let header = reader.header()?;
        match header.kind {
            WKB_POLYGON => reader.polygon_body(header),
            other => Err(format!(
                "geometry type {} where a Polygon was expected",
                type_name(other)
            )),
        }
    })
}

/// Decodes a WKB MultiPolygon, or a Polygon promoted to a one-part
/// MultiPolygon (2D, Z, M or ZM; either byte order).
///
/// # Errors
/// [`GeoError::InvalidBlob`] when the bytes are truncated, have trailing data, use
/// an unknown byte order or EWKB flags, or hold another geometry type.
pub fn decode_multipolygon(bytes: &[u8]) -> Result<MultiPolygon<f64>, GeoError> {
    decode_with(bytes, |reader| reader.multipolygon())
}

fn decode_with<T>(
    bytes: &[u8],
    parse: impl FnOnce(&mut Reader<'_>) -> Result<T, String>,
) -> Result<T, GeoError> {
    let mut reader = Reader { bytes, pos: 0 };
    let result = parse(&mut reader).and_then(|value| {
        let rest = bytes.len().saturating_sub(reader.pos);
        if rest == 0 {
            Ok(value)
        } else {
            Err(format!(
                "{rest} unexpected trailing bytes after the geometry at byte {}",
                reader.pos
            ))
        }
    });
    result.map_err(|problem| GeoError::InvalidBlob {
        input: "WKB".to_owned(),
        row: None,
        problem,
    })
}

fn polygon_size(polygon: &Polygon<f64>) -> usize {
    9 + rings(polygon).map(|r| 4 + 16 * r.0.len()).sum::<usize>()
}

fn rings(polygon: &Polygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    // A polygon without exterior is empty: its holes are meaningless.
    let count = if polygon.exterior().0.is_empty() {
        0
    } else {
        usize::MAX
    };
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .take(count)
}

fn put_count(out: &mut Vec<u8>, n: usize) {
    // More than u32::MAX rings or points cannot be held in memory as f64 pairs
    // on any realistic machine; saturate rather than panic.
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    out.extend_from_slice(&n.to_le_bytes());
}

fn write_polygon(out: &mut Vec<u8>, polygon: &Polygon<f64>) {
    out.push(1);
    out.extend_from_slice(&WKB_POLYGON.to_le_bytes());
    put_count(out, rings(polygon).count());
    for ring in rings(polygon) {
        put_count(out, ring.0.len());
        for c in &ring.0 {
            out.extend_from_slice(&c.x.to_le_bytes());
            out.extend_from_slice(&c.y.to_le_bytes());
        }
    }
}

fn type_name(code: u32) -> String {
    let name = match code % 1000 {
        1 => "Point",
        2 => "LineString",
        3 => "Polygon",
        4 => "MultiPoint",
        5 => "MultiLineString",
        6 => "MultiPolygon",
        7 => "GeometryCollection",
        8 => "CircularString",
        9 => "CompoundCurve",
        10 => "CurvePolygon",
        11 => "MultiCurve",
        12 => "MultiSurface",
        15 => "PolyhedralSurface",
        16 => "TIN",
        17 => "Triangle",
        _ => "unknown",
    };
    format!("{name} (type code {code})")
}

#[derive(Clone, Copy)]
struct Header {
    little_endian: bool,
    /// Base type code (1–7 …) without dimension offset.
    kind: u32,
    /// Ordinates per position (2, 3 or 4).
    dims: usize,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let end = self.pos.checked_add(N);
        let chunk = end
            .and_then(|end| self.bytes.get(self.pos..end))
            .and_then(|s| <[u8; N]>::try_from(s).ok());
        match chunk {
            Some(array) => {
                self.pos += N;
                Ok(array)
            }
            None => Err(format!(
                "truncated: {what} needs {N} bytes at byte {} but only {} remain",
                self.pos,
                self.remaining()
            )),
        }
    }

    fn u32(&mut self, little_endian: bool, what: &str) -> Result<u32, String> {
        let b = self.take::<4>(what)?;
        Ok(if little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self, little_endian: bool) -> Result<f64, String> {
        let b = self.take::<8>("a coordinate")?;
        Ok(if little_endian {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// Reads a count and checks that `min_item_size` bytes per item remain.
    fn count(&mut self, h: Header, what: &str, min_item_size: usize) -> Result<usize, String> {
        let at = self.pos;
        let n = usize::try_from(self.u32(h.little_endian, what)?).unwrap_or(usize::MAX);
        if n.saturating_mul(min_item_size) > self.remaining() {
            return Err(format!(
                "{what} {n} at byte {at} needs more bytes than the {} remaining",
                self.remaining()
            ));
        }
        Ok(n)
    }

    fn header(&mut self) -> Result<Header, String> {
        let at = self.pos;
        let [order] = self.take::<1>("the byte-order flag")?;
        let little_endian = match order {
            0 => false,
            1 => true,
            other => {
                return Err(format!(
                    "byte-order flag {other} at byte {at}; expected 0 (big-endian) or 1 (little-endian)"
                ));
            }
        };
        let code = self.u32(little_endian, "the geometry type")?;
        if code & 0xE000_0000 != 0 {
            return Err(format!(
                "EWKB type flags in type code {code:#010x} at byte {}; only ISO WKB is supported",
                at + 1
            ));
        }
        let dims = match code / 1000 {
            0 => 2,
            1 | 2 => 3,
            3 => 4,
            _ => {
                return Err(format!(
                    "unknown geometry type code {code} at byte {}",
                    at + 1
                ));
            }
        };
        Ok(Header {
            little_endian,
            kind: code % 1000,
            dims,
        })
    }

    fn polygon_body(&mut self, h: Header) -> Result<Polygon<f64>, String> {
        let n_rings = self.count(h, "ring count", 4)?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n_points = self.count(h, "point count", 8 * h.dims)?;
            let mut coords = Vec::with_capacity(n_points);
            for _ in 0..n_points {
                let x = self.f64(h.little_endian)?;
                let y = self.f64(h.little_endian)?;
                for _ in 2..h.dims {
                    self.f64(h.little_endian)?;
                }
                coords.push(Coord { x, y });
            }
            rings.push(LineString(coords));
        }
        let mut rings = rings.into_iter();
        let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
        Ok(Polygon::new(exterior, rings.collect()))
    }

    fn multipolygon(&mut self) -> Result<MultiPolygon<f64>, String> {
        let h = self.header()?;
        match h.kind {
            WKB_POLYGON => Ok(MultiPolygon(vec![self.polygon_body(h)?])),
            WKB_MULTIPOLYGON => {
                let n = self.count(h, "polygon count", 9)?;
                let mut polygons = Vec::with_capacity(n);
                for part in 0..n {
                    let at = self.pos;
                    let ph = self.header()?;
                    if ph.kind != WKB_POLYGON || ph.dims != h.dims {
                        return Err(format!(
                            "part {part} at byte {at} is a {} ({}D) inside a {}D MultiPolygon; expected a Polygon of the same dimension",
                            type_name(ph.kind),
                            ph.dims,
                            h.dims
                        ));
                    }
                    polygons.push(self.polygon_body(ph)?);
                }
                Ok(MultiPolygon(polygons))
            }
            other => Err(format!(
                "geometry type {} where a Polygon or MultiPolygon was expected",
                type_name(other)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, size: f64) -> LineString<f64> {
        LineString(
            [
                (0.0, 0.0),
                (size, 0.0),
                (size, size),
                (0.0, size),
                (0.0, 0.0),
            ]
            .iter()
            .map(|&(dx, dy)| Coord {
                x: x0 + dx,
                y: y0 + dy,
            })
            .collect(),
        )
    }

    fn sample() -> MultiPolygon<f64> {
        MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 10.0), vec![square(2.0, 2.0, 1.0)]),
            Polygon::new(square(155_000.25, 463_000.5, 3.0), vec![]),
        ])
    }

    /// Re-encodes little-endian WKB as big-endian, for a 2D (multi)polygon.
    fn to_big_endian(le: &[u8]) -> Vec<u8> {
        fn polygon(le: &[u8], pos: &mut usize, out: &mut Vec<u8>) {
            let u32_at = |p: usize| u32::from_le_bytes([le[p], le[p + 1], le[p + 2], le[p + 3]]);
            out.push(0);
            out.extend_from_slice(&u32_at(*pos + 1).to_be_bytes());
            let rings = u32_at(*pos + 5);
            out.extend_from_slice(&rings.to_be_bytes());
            *pos += 9;
            for _ in 0..rings {
                let n = u32_at(*pos);
                out.extend_from_slice(&n.to_be_bytes());
                *pos += 4;
                for _ in 0..2 * n {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&le[*pos..*pos + 8]);
                    out.extend_from_slice(&f64::from_le_bytes(b).to_be_bytes());
                    *pos += 8;
                }
            }
        }
        let mut out = vec![0];
        out.extend_from_slice(&6u32.to_be_bytes());
        let n = u32::from_le_bytes([le[5], le[6], le[7], le[8]]);
        out.extend_from_slice(&n.to_be_bytes());
        let mut pos = 9;
        for _ in 0..n {
            polygon(le, &mut pos, &mut out);
        }
        out
    }

    #[test]
    fn round_trips_both_byte_orders() {
        let geometry = sample();
        let le = encode_multipolygon(&geometry);
        assert_eq!(le.len(), 9 + (9 + 4 + 80 + 4 + 80) + (9 + 4 + 80));
        assert_eq!(decode_multipolygon(&le).ok(), Some(geometry.clone()));
        let be = to_big_endian(&le);
        assert_ne!(be, le);
        assert_eq!(decode_multipolygon(&be).ok(), Some(geometry));
    }

    #[test]
    fn polygon_is_promoted() {
        let polygon = Polygon::new(square(1.0, 2.0, 3.0), vec![]);
        let wkb = encode_polygon(&polygon);
        assert_eq!(decode_polygon(&wkb).ok(), Some(polygon.clone()));
        assert_eq!(
            decode_multipolygon(&wkb).ok(),
            Some(MultiPolygon(vec![polygon]))
        );
        let empty = MultiPolygon::<f64>(vec![]);
        assert_eq!(
            decode_multipolygon(&encode_multipolygon(&empty)).ok(),
            Some(empty)
        );
    }

    #[test]
    fn reads_z_variant() {
        // POLYGON Z ((0 0 1, 1 0 1, 0 1 1, 0 0 1)), little-endian.
        let mut wkb = vec![1];
        wkb.extend_from_slice(&1003u32.to_le_bytes());
        wkb.extend_from_slice(&1u32.to_le_bytes());
        wkb.extend_from_slice(&4u32.to_le_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)] {
            for v in [x, y, 1.0] {
                wkb.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mp = decode_multipolygon(&wkb).ok();
        assert_eq!(mp.map(|m| m.0[0].exterior().0.len()), Some(4));
    }

    #[test]
    fn rejects_other_types() {
        // POINT (1 2)
        let mut point = vec![1];
        point.extend_from_slice(&1u32.to_le_bytes());
        point.extend_from_slice(&1f64.to_le_bytes());
        point.extend_from_slice(&2f64.to_le_bytes());
        let err = decode_multipolygon(&point).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "WKB: invalid geometry blob: geometry type Point (type code 1) where a Polygon or MultiPolygon was expected; expected ISO WKB (in a GeoPackage binary header for GeoPackages) holding a Polygon or MultiPolygon (rewrite the layer, e.g. ogr2ogr -nlt MULTIPOLYGON)"
            )
        );
        let multi = encode_multipolygon(&sample());
        assert!(decode_polygon(&multi).is_err());
        let mut trailing = encode_polygon(&Polygon::new(square(0.0, 0.0, 1.0), vec![]));
        trailing.push(0);
        let err = decode_polygon(&trailing).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("1 unexpected trailing bytes")));
        let mut ewkb = encode_polygon(&Polygon::new(square(0.0, 0.0, 1.0), vec![]));
        ewkb[4] |= 0x20;
        let err = decode_polygon(&ewkb).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("EWKB")));
    }

    #[test]
    fn huge_counts_do_not_allocate() {
        let mut wkb = vec![1];
        wkb.extend_from_slice(&6u32.to_le_bytes());
        wkb.extend_from_slice(&u32::MAX.to_le_bytes());
        let err = decode_multipolygon(&wkb).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("polygon count 4294967295")));
    }
}
