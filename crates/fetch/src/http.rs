//! One HTTP client for every source: a cache on disk keyed by URL with the body's checksum, so
//! a second fetch sends conditional requests (`If-None-Match`, `If-Modified-Since`) and reads
//! unchanged answers from disk; retries with back-off on 429, 5xx, resets and time-outs,
//! honouring `Retry-After`; requests one at a time (the publishers ask for fair use).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{FetchError, Result};

/// Largest accepted response body (bytes): a CBS page of 10,000 KWB rows is about 10 MB.
pub const MAX_BODY: u64 = 256 * 1024 * 1024;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Cache directory (`~/.cache/veerkracht/fetch` by default); `None`: no cache.
    pub cache: Option<PathBuf>,
    /// Attempts after the first, for 429, 5xx, resets and time-outs (0–10).
    pub retries: u32,
    /// Time-out of one request, whole body included.
    pub timeout: Duration,
    /// First back-off; doubled per attempt.
    pub backoff: Duration,
    /// Longest wait a `Retry-After` may ask for; a longer one is an error.
    pub max_wait: Duration,
    /// The `User-Agent` header (`veerkracht/VERSION`).
    pub user_agent: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            cache: default_cache_dir(),
            retries: 4,
            timeout: Duration::from_secs(120),
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(120),
            user_agent: concat!("veerkracht/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// `$XDG_CACHE_HOME/veerkracht/fetch`, else `~/.cache/veerkracht/fetch`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("veerkracht").join("fetch"))
}

/// What the client did, per source (requests sent, bytes received, answers from the cache).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    /// Requests sent (retries included).
    pub requests: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// Answers read from the cache (304 Not Modified).
    pub cached: u64,
    /// Seconds spent.
    pub seconds: f64,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.requests += o.requests;
        self.bytes += o.bytes;
        self.cached += o.cached;
        self.seconds += o.seconds;
    }
}

/// The HTTP client with its cache.
pub struct Client {
    agent: ureq::Agent,
    opts: ClientOptions,
    stats: Mutex<Stats>,
}

/// What the cache keeps of an answer.
struct Meta {
    etag: Option<String>,
    last_modified: Option<String>,
    sha256: String,
}

fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |x| x.1);
    rest.split('/').next().unwrap_or(rest)
}

impl Client {
    /// A client with `opts`.
    pub fn new(opts: ClientOptions) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(opts.user_agent.as_str())
            .build()
            .into();
        Client {
            agent,
            opts,
            stats: Mutex::new(Stats::default()),
        }
    }

    /// What the client did so far; resets the counters.
    pub fn take_stats(&self) -> Stats {
        self.stats
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }

    fn count(&self, f: impl FnOnce(&mut Stats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }

    fn paths(&self, url: &str) -> Option<(PathBuf, PathBuf)> {
        let dir = self.opts.cache.as_ref()?;
        let key = &sha256_hex(url.as_bytes())[..32];
        Some((
            dir.join(format!("{key}.body")),
            dir.join(format!("{key}.meta")),
        ))
    }

    /// The cached answer of `url`, when its body still has its checksum.
    fn cached(&self, url: &str) -> Option<(Meta, Vec<u8>)> {
        let (body_path, meta_path) = self.paths(url)?;
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(meta_path).ok()?).ok()?;
        if meta["url"].as_str() != Some(url) {
            return None;
        }
        let body = std::fs::read(body_path).ok()?;
        let sha = meta["sha256"].as_str()?.to_string();
        if sha256_hex(&body) != sha {
            return None;
        }
        let text = |k: &str| meta[k].as_str().map(str::to_string);
        Some((
            Meta {
                etag: text("etag"),
                last_modified: text("last_modified"),
                sha256: sha,
            },
            body,
        ))
    }

    /// Stores an answer: body first, then its description, each written whole (a file in
    /// the cache is complete or absent, so an interrupted run resumes from it).
    fn store(&self, url: &str, meta: &Meta, body: &[u8]) {
        let Some((body_path, meta_path)) = self.paths(url) else {
            return;
        };
        let write = |p: &Path, b: &[u8]| -> std::io::Result<()> {
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d)?;
            }
            let tmp = p.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&tmp, b)?;
            std::fs::rename(&tmp, p)
        };
        let m = serde_json::json!({
            "url": url, "etag": meta.etag, "last_modified": meta.last_modified, "sha256": meta.sha256,
        });
        // a cache that cannot be written only costs a download next time
        let _ = write(&body_path, body).and_then(|_| write(&meta_path, m.to_string().as_bytes()));
    }

    /// GETs `url` and checks the body with `check` (the protocol's promise: JSON of the right
    /// shape); only a body that passes is cached. `offline_hint` names the option that points
    /// to another host (`--cbs-url`).
    pub fn get(
        &self,
        url: &str,
        accept: &str,
        offline_hint: &str,
        check: impl Fn(&[u8]) -> std::result::Result<(), String>,
    ) -> Result<Vec<u8>> {
        let started = Instant::now();
        let out = self.get_inner(url, accept, offline_hint, &check);
        let secs = started.elapsed().as_secs_f64();
        self.count(|s| s.seconds += secs);
        out
    }

    fn get_inner(
        &self,
        url: &str,
        accept: &str,
        offline_hint: &str,
        check: &dyn Fn(&[u8]) -> std::result::Result<(), String>,
    ) -> Result<Vec<u8>> {
        let cached = self.cached(url);
        let mut attempt = 0u32;
        loop {
            let mut req = self.agent.get(url).header("Accept", accept);
            if let Some((m, _)) = &cached {
                if let Some(e) = &m.etag {
                    req = req.header("If-None-Match", e.as_str());
                }
                if let Some(l) = &m.last_modified {
                    req = req.header("If-Modified-Since", l.as_str());
                }
            }
            self.count(|s| s.requests += 1);
            let retry_in = match req.call() {
                Err(e) => {
                    let offline = matches!(
                        e,
                        ureq::Error::HostNotFound
                            | ureq::Error::ConnectionFailed
                            | ureq::Error::Timeout(_)
                    ) || matches!(&e, ureq::Error::Io(io) if matches!(io.kind(),
                        std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::TimedOut | std::io::ErrorKind::UnexpectedEof));
                    if attempt >= self.opts.retries {
                        let mut err = FetchError::new(
                            url,
                            format!("no answer after {} attempts: {e}", attempt + 1),
                            "try again later",
                        );
                        if offline {
                            err.offline = true;
                            err.message = format!(
                                "geen verbinding met {} — werk offline met veerkracht import BESTAND, of geef {offline_hint}",
                                host_of(url)
                            );
                        }
                        return Err(err);
                    }
                    None
                }
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let header = |n: &str| {
                        resp.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let etag = header("etag");
                    let last_modified = header("last-modified");
                    let retry_after = header("retry-after");
                    let content_type = header("content-type").unwrap_or_default();
                    match status {
                        304 => {
                            if let Some((_, body)) = cached {
                                self.count(|s| s.cached += 1);
                                return Ok(body);
                            }
                            return Err(FetchError::new(
                                url,
                                "the server answered 304 Not Modified to a request without a condition",
                                "clear the cache directory (--cache) and fetch again",
                            ));
                        }
                        200 => {
                            let body = resp.body_mut().with_config().limit(MAX_BODY).read_to_vec();
                            match body {
                                Err(e) if attempt < self.opts.retries => {
                                    // a body cut off mid-way: ask again
                                    let _ = e;
                                    None
                                }
                                Err(e) => {
                                    return Err(FetchError::new(
                                        url,
                                        format!("the answer broke off: {e}"),
                                        "try again later",
                                    ));
                                }
                                Ok(body) => {
                                    let n = body.len() as u64;
                                    self.count(|s| s.bytes += n);
                                    let html = content_type.contains("text/html")
                                        || body
                                            .iter()
                                            .find(|b| !b.is_ascii_whitespace())
                                            .is_some_and(|b| *b == b'<');
                                    if html {
                                        return Err(FetchError::new(
                                            url,
                                            "the server sent an HTML page where the protocol promises JSON",
                                            "check the URL (--cbs-url, --pdok-url) or try again later; the service may be down for maintenance",
                                        ));
                                    }
                                    check(&body).map_err(|m| {
                                        FetchError::new(
                                            url,
                                            m,
                                            "try again later; if it stays so, the publisher changed the table",
                                        )
                                    })?;
                                    let meta = Meta {
                                        etag,
                                        last_modified,
                                        sha256: sha256_hex(&body),
                                    };
                                    self.store(url, &meta, &body);
                                    return Ok(body);
                                }
                            }
                        }
                        429 | 500..=599 if attempt < self.opts.retries => {
                            let wait = retry_after
                                .as_deref()
                                .and_then(|s| s.trim().parse::<u64>().ok())
                                .map(Duration::from_secs);
                            if let Some(w) = wait
                                && w > self.opts.max_wait
                            {
                                return Err(FetchError::new(
                                    url,
                                    format!(
                                        "HTTP {status}: the server asks to wait {} s (Retry-After)",
                                        w.as_secs()
                                    ),
                                    "try again later",
                                ));
                            }
                            wait
                        }
                        404 => {
                            return Err(FetchError::new(
                                url,
                                "HTTP 404: not published (the table or edition does not exist on this host)",
                                "check the table id in data/catalogue/tables.toml",
                            ));
                        }
                        s => {
                            return Err(FetchError::new(
                                url,
                                format!("HTTP {s} after {} attempts", attempt + 1),
                                "try again later",
                            ));
                        }
                    }
                }
            };
            let wait = retry_in.unwrap_or_else(|| {
                self.opts
                    .backoff
                    .saturating_mul(2u32.saturating_pow(attempt))
                    .min(self.opts.max_wait)
            });
            std::thread::sleep(wait);
            attempt += 1;
        }
    }
}

/// Whether an error is the 404 of a table that is not (yet) published.
pub fn is_not_found(e: &FetchError) -> bool {
    e.message.starts_with("HTTP 404")
}
