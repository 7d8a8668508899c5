//! PDOK's OGC API Features (docs/bronnen.md §4.1): `…/collections/{collection}/items?f=json`,
//! at most 1,000 features a page, paged by the `links` entry with `rel: next`, filtered per
//! gemeente with the queryable `gemeentecode`. Every feature returned for a gemeente is
//! checked to belong to it (one client reports a filter that was silently ignored).

use std::collections::HashSet;

use serde_json::Value;

use crate::error::{FetchError, Result};
use crate::http::Client;

/// Features per page asked for (PDOK's maximum).
pub const PAGE: usize = 1000;

fn check_page(body: &[u8]) -> std::result::Result<(), String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the answer is not complete JSON ({e}); OGC API Features promises a FeatureCollection"
        )
    })?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection")
        || !v.get("features").is_some_and(Value::is_array)
    {
        return Err("the answer is not a GeoJSON FeatureCollection with \"features\"".into());
    }
    Ok(())
}

/// All features of `collection` below the landing page `landing`, of gemeente `gm` when given.
pub fn features(
    client: &Client,
    landing: &str,
    collection: &str,
    gm: Option<&str>,
    table: &str,
    hint: &str,
) -> Result<Vec<Value>> {
    let mut url = format!("{landing}/collections/{collection}/items?f=json&limit={PAGE}");
    if let Some(g) = gm {
        url.push_str(&format!("&gemeentecode={g}"));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    loop {
        if !seen.insert(url.clone()) {
            return Err(FetchError::new(
                &url,
                "the next link repeats a page already read (the server pages in a loop)",
                "try again later",
            )
            .for_table(table));
        }
        let body = client
            .get(
                &url,
                "application/geo+json, application/json",
                hint,
                check_page,
            )
            .map_err(|e| e.for_table(table))?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| {
            FetchError::new(&url, format!("not JSON: {e}"), "try again").for_table(table)
        })?;
        for f in v["features"].as_array().into_iter().flatten() {
            if let Some(g) = gm {
                let code = f["properties"]["gemeentecode"].as_str().unwrap_or("");
                if code.trim() != g {
                    return Err(FetchError::new(
                        &url,
                        format!(
                            "a feature of gemeente '{}' came back for the filter gemeentecode={g} (the filter was not applied)",
                            code.trim()
                        ),
                        "use --heel-nederland, or try again later",
                    )
                    .for_table(table));
                }
            }
            out.push(f.clone());
        }
        let next = v["links"].as_array().and_then(|ls| {
            ls.iter()
                .find(|l| l["rel"].as_str() == Some("next"))
                .and_then(|l| l["href"].as_str())
        });
        match next {
            Some(n) => url = n.to_string(),
            None => return Ok(out),
        }
    }
}

/// Features as one GeoJSON FeatureCollection (the form `veerkracht import` reads).
pub fn collection(features: Vec<Value>) -> Vec<u8> {
    serde_json::json!({"type": "FeatureCollection", "features": features})
        .to_string()
        .into_bytes()
}
