//! The configuration of the multi-user mode (`veerkracht serve --multi-user`): the partner
//! database, cookie settings, the login limiter, password hashing slots, heavy-request slots
//! per user and the trusted reverse proxies. Held by [`crate::AppState`]; the guard that uses
//! it is in `auth`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;

use veerkracht_partners::PartnerDb;

/// The session cookie.
pub const SESSION_COOKIE: &str = "vk_sessie";

/// The login form's own CSRF cookie (double submit; there is no session yet).
pub(crate) const LOGIN_COOKIE: &str = "vk_login";

/// The partner database and its security settings, held by [`crate::AppState`] in multi-user mode.
pub struct Partners {
    pub ws: Arc<PartnerDb>,
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Login attempts allowed per client address per minute.
    pub logins_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`);
    /// from any other peer the header is ignored.
    pub trusted_proxies: Vec<TrustedProxy>,
    limiter: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    /// At most this many password checks at once (argon2id takes 19 MiB and tens of ms).
    pub(crate) hashing: tokio::sync::Semaphore,
    /// Heavy shares (a scenario run) in progress per user.
    heavy: Mutex<HashMap<i64, usize>>,
}

/// Heavy shares (each a full scenario simulation) one user may run at once; more are
/// answered 429 with Retry-After.
pub const HEAVY_PER_USER: usize = 2;

impl Partners {
    pub fn new(ws: PartnerDb, secure_cookies: bool) -> Partners {
        Partners {
            ws: Arc::new(ws),
            secure_cookies,
            logins_per_minute: 10,
            trusted_proxies: Vec::new(),
            limiter: Mutex::default(),
            hashing: tokio::sync::Semaphore::new(4),
            heavy: Mutex::default(),
        }
    }

    /// A place for one heavy job of `user`, released when dropped; None when the user already
    /// runs [`HEAVY_PER_USER`].
    pub(crate) fn heavy_slot(&self, user: i64) -> Option<HeavySlot<'_>> {
        let mut m = self.heavy.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(user).or_insert(0);
        if *n >= HEAVY_PER_USER {
            return None;
        }
        *n += 1;
        Some(HeavySlot { p: self, user })
    }

    /// Counts a login attempt from `ip`; false when the address is over its limit.
    pub(crate) fn allow_login(&self, ip: IpAddr) -> bool {
        let mut m = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if m.len() > 10_000 {
            m.retain(|_, (t, _)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let e = m.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= self.logins_per_minute
    }
}

pub(crate) struct HeavySlot<'a> {
    p: &'a Partners,
    user: i64,
}

impl Drop for HeavySlot<'_> {
    fn drop(&mut self) {
        let mut m = self.p.heavy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.user);
            }
        }
    }
}

/// A reverse proxy (or a network of them) whose `X-Forwarded-For` is believed: an address
/// (`10.0.0.7`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    net: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for TrustedProxy {
    type Err = String;

    fn from_str(s: &str) -> Result<TrustedProxy, String> {
        let bad = || {
            format!(
                "'{}' is not an IP address or CIDR block such as 10.0.0.7, 10.0.0.0/8 or fd00::/8",
                veerkracht_partners::model::clip(s, 60)
            )
        };
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let net = addr.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(TrustedProxy { net, prefix })
    }
}

impl TrustedProxy {
    /// Whether `ip` lies in this address or block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        // both as 128 bits, an IPv4 address in the top 32, so a prefix counts from the top
        let bits = |a: IpAddr| -> u128 {
            match a {
                IpAddr::V4(v) => u128::from(u32::from(v)) << 96,
                IpAddr::V6(v) => u128::from(v),
            }
        };
        let ip = ip.to_canonical();
        let mask = u128::MAX
            .checked_shl(128 - u32::from(self.prefix))
            .unwrap_or(0);
        ip.is_ipv4() == self.net.is_ipv4() && bits(ip) & mask == bits(self.net) & mask
    }
}
