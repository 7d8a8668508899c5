//! Login back-off (OWASP ASVS 2.2.1): failed password checks slow further attempts down
//! instead of locking the account, so nobody can lock another user out.
//!
//! - per (user name, client address): the first [`Backoff::free_failures`] failures are free;
//!   each further one makes that address wait, twice as long as the time before
//!   ([`Backoff::base`] up to [`Backoff::max`]). The same user at another address is not
//!   affected; a successful login from the address forgets its failures.
//! - per user name over all addresses: at most [`Backoff::account_failures_per_minute`]
//!   failed checks per minute; beyond that every address waits for the minute to end.
//!
//! Keys are user names as typed (normalised), whether or not the user exists, so an unknown
//! name is answered exactly like a known one. The state lives in the server's memory (a
//! restart forgets it) and is bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The back-off settings (part of [`crate::Options`]).
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Failures per (user, address) before that address has to wait.
    pub free_failures: u32,
    /// The first wait; doubled with every further failure.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
    /// Failed checks per user name per minute over all addresses.
    pub account_failures_per_minute: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            free_failures: 5,
            base: Duration::from_secs(30),
            max: Duration::from_secs(15 * 60),
            account_failures_per_minute: 20,
        }
    }
}

const MINUTE: Duration = Duration::from_secs(60);
/// Entries kept at most; beyond this, those no longer waiting are forgotten.
const MAX_ENTRIES: usize = 100_000;
/// Longest user name kept as a key (longer names cannot exist).
const MAX_KEY: usize = 128;

#[derive(Debug)]
struct Pair {
    failures: u32,
    last: Instant,
    until: Instant,
}

#[derive(Debug)]
struct Account {
    since: Instant,
    failures: u32,
}

#[derive(Debug, Default)]
struct State {
    pairs: HashMap<(String, IpAddr), Pair>,
    accounts: HashMap<String, Account>,
}

/// An attempt that [`Throttle::begin`] let through: counted as a failure until
/// [`Throttle::succeeded`] says otherwise (so parallel attempts cannot slip past).
#[derive(Debug)]
pub struct Attempt {
    key: (String, IpAddr),
    /// Failures of this (user, address) including this attempt.
    pub failures: u32,
    /// The wait this attempt starts when it fails (None: still free).
    pub wait: Option<Duration>,
}

#[derive(Debug)]
pub struct Throttle {
    cfg: Backoff,
    state: Mutex<State>,
}

fn key(user: &str) -> String {
    let mut k = user.trim().to_lowercase();
    if k.len() > MAX_KEY {
        let mut cut = MAX_KEY;
        while !k.is_char_boundary(cut) {
            cut -= 1;
        }
        k.truncate(cut);
    }
    k
}

impl Throttle {
    pub fn new(cfg: Backoff) -> Throttle {
        Throttle {
            cfg,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts an attempt for `user` from `client`; Err(how long to wait) when the address
    /// or the account has to wait (then nothing is counted and no password is checked).
    pub fn begin(&self, user: &str, client: IpAddr) -> Result<Attempt, Duration> {
        let now = Instant::now();
        let user = key(user);
        let mut s = self.state();
        if s.pairs.len() + s.accounts.len() > MAX_ENTRIES {
            let quiet = self.cfg.max;
            s.pairs
                .retain(|_, p| p.until > now || now.duration_since(p.last) < quiet);
            s.accounts
                .retain(|_, a| now.duration_since(a.since) < MINUTE);
        }
        let acc = s.accounts.entry(user.clone()).or_insert(Account {
            since: now,
            failures: 0,
        });
        if now.duration_since(acc.since) >= MINUTE {
            *acc = Account {
                since: now,
                failures: 0,
            };
        }
        if acc.failures >= self.cfg.account_failures_per_minute {
            return Err(MINUTE.saturating_sub(now.duration_since(acc.since)));
        }
        let k = (user, client);
        let pair = s.pairs.entry(k.clone()).or_insert(Pair {
            failures: 0,
            last: now,
            until: now,
        });
        // a long quiet spell after the last wait forgets the failures
        if pair.until <= now && now.duration_since(pair.last) > self.cfg.max {
            pair.failures = 0;
        }
        if pair.until > now {
            return Err(pair.until - now);
        }
        pair.failures += 1;
        pair.last = now;
        let over = pair.failures.saturating_sub(self.cfg.free_failures.max(1));
        let wait = (pair.failures >= self.cfg.free_failures.max(1)).then(|| {
            self.cfg
                .base
                .saturating_mul(1u32 << over.min(20))
                .min(self.cfg.max)
        });
        if let Some(w) = wait {
            pair.until = now + w;
        }
        let failures = pair.failures;
        if let Some(a) = s.accounts.get_mut(&k.0) {
            a.failures += 1;
        }
        Ok(Attempt {
            key: k,
            failures,
            wait,
        })
    }

    /// The attempt's password was right: its address starts afresh and it does not count
    /// against the account.
    pub fn succeeded(&self, a: Attempt) {
        let mut s = self.state();
        s.pairs.remove(&a.key);
        if let Some(acc) = s.accounts.get_mut(&a.key.0) {
            acc.failures = acc.failures.saturating_sub(1);
        }
    }

    /// Forgets every failure for `user` (a beheerder's reset, a new password).
    pub fn reset(&self, user: &str) {
        let user = key(user);
        let mut s = self.state();
        s.pairs.retain(|(u, _), _| *u != user);
        s.accounts.remove(&user);
    }

    /// How long the longest current wait for `user` still lasts (any address).
    pub fn waiting(&self, user: &str) -> Option<Duration> {
        let now = Instant::now();
        let user = key(user);
        let s = self.state();
        let pairs = s
            .pairs
            .iter()
            .filter(|((u, _), p)| *u == user && p.until > now)
            .map(|(_, p)| p.until - now);
        let account = s
            .accounts
            .get(&user)
            .filter(|a| {
                a.failures >= self.cfg.account_failures_per_minute
                    && now.duration_since(a.since) < MINUTE
            })
            .map(|a| MINUTE - now.duration_since(a.since));
        pairs.chain(account).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Backoff {
        Backoff {
            free_failures: 3,
            base: Duration::from_millis(200),
            max: Duration::from_millis(700),
            account_failures_per_minute: 5,
        }
    }

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    #[test]
    fn an_address_waits_longer_after_each_failure_and_others_do_not() {
        let t = Throttle::new(cfg());
        for i in 1..=3 {
            let a = t.begin("Piet ", A).unwrap();
            assert_eq!(a.failures, i);
            assert_eq!(a.wait.is_some(), i == 3);
        }
        let w = t.begin("piet", A).unwrap_err();
        assert!(w <= Duration::from_millis(200) && w > Duration::from_millis(100));
        // another address is free, and its success does not clear the first
        t.succeeded(t.begin("piet", B).unwrap());
        assert!(t.begin("piet", A).is_err());
        assert!(t.waiting("PIET").is_some());
        std::thread::sleep(Duration::from_millis(210));
        assert_eq!(
            t.begin("piet", A).unwrap().wait,
            Some(Duration::from_millis(400))
        );
        std::thread::sleep(Duration::from_millis(410));
        assert_eq!(
            t.begin("piet", A).unwrap().wait,
            Some(Duration::from_millis(700)),
            "capped"
        );
        t.reset("piet");
        assert!(t.waiting("piet").is_none());
        t.succeeded(t.begin("piet", A).unwrap());
    }

    #[test]
    fn an_account_gets_a_limited_number_of_failed_checks_per_minute() {
        let t = Throttle::new(cfg());
        for i in 0..5u8 {
            t.begin("jan", IpAddr::from([192, 0, 2, i])).unwrap();
        }
        let w = t.begin("jan", B).unwrap_err();
        assert!(w > Duration::from_secs(55), "{w:?}");
        assert!(
            t.begin("klaas", B).is_ok(),
            "other accounts are not affected"
        );
        // successes do not count
        let t = Throttle::new(cfg());
        for _ in 0..10 {
            t.succeeded(t.begin("jan", B).unwrap());
        }
    }
}
