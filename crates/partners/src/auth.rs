//! Passwords (argon2id), random tokens and their hashes.
//!
//! Passwords are stored as argon2id PHC strings (OWASP parameters: 19 MiB, 2 passes, 1 lane);
//! session ids, CSRF tokens and API tokens are 32 random bytes from the operating system,
//! stored only as their SHA-256 (a leaked database gives no usable session or token).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::model::limits;

/// argon2id parameters; [`HashCost::OWASP`] unless a test asks for a cheaper one.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl HashCost {
    pub const OWASP: HashCost = HashCost {
        memory_kib: 19 * 1024,
        passes: 2,
    };

    fn argon2(self) -> Result<Argon2<'static>, Error> {
        let p = Params::new(self.memory_kib, self.passes, 1, None)
            .map_err(|e| Error::Db(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
    }
}

/// Checks a new password: 12 to 1,024 characters, not all the same character.
pub fn check_password(pw: &str) -> Result<(), Error> {
    let n = pw.chars().count();
    if n < limits::PASSWORD_MIN {
        return Err(Error::invalid(
            "wachtwoord",
            format!(
                "is {n} characters long; use at least {} (a sentence works well)",
                limits::PASSWORD_MIN
            ),
        ));
    }
    if n > limits::PASSWORD_MAX {
        return Err(Error::invalid(
            "wachtwoord",
            format!("is longer than {} characters", limits::PASSWORD_MAX),
        ));
    }
    let first = pw.chars().next();
    if pw.chars().all(|c| Some(c) == first) {
        return Err(Error::invalid(
            "wachtwoord",
            "consists of one repeated character",
        ));
    }
    Ok(())
}

/// An argon2id PHC string for `pw` with a fresh random salt.
pub fn hash_password(pw: &str, cost: HashCost) -> Result<String, Error> {
    let salt = random_bytes::<16>();
    let h = cost
        .argon2()?
        .hash_password_with_salt(pw.as_bytes(), &salt)
        .map_err(|e| Error::Db(format!("argon2: {e}")))?;
    Ok(h.to_string())
}

/// Whether `pw` matches the stored PHC string (parameters are read from the string).
pub fn verify_password(pw: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(pw.as_bytes(), &parsed)
        .is_ok()
}

/// A stored hash to verify against when the user does not exist, so that a wrong user name
/// takes as long as a wrong password.
pub fn dummy_hash(cost: HashCost) -> String {
    hash_password("veerkracht-dummy-wachtwoord", cost).unwrap_or_default()
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

pub fn hex(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}

/// A new random token (64 hex characters) with a prefix (`vk_` for API tokens).
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes::<32>()))
}

/// SHA-256 of a token, hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip_and_format() {
        let cheap = HashCost {
            memory_kib: 1024,
            passes: 1,
        };
        let h = hash_password("een lange zin als wachtwoord", cheap).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{h}");
        assert!(verify_password("een lange zin als wachtwoord", &h));
        assert!(!verify_password("een lange zin als wachtwoorD", &h));
        assert!(!verify_password("x", "not a phc string"));
        // fresh salt each time
        assert_ne!(
            h,
            hash_password("een lange zin als wachtwoord", cheap).unwrap()
        );
    }

    #[test]
    fn passwords_are_checked() {
        assert!(check_password("kort").is_err());
        assert!(check_password("aaaaaaaaaaaaaaaa").is_err());
        assert!(check_password(&"ab".repeat(600)).is_err());
        assert!(check_password("correct paard batterij").is_ok());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token("vk_");
        let b = new_token("vk_");
        assert_ne!(a, b);
        assert_eq!(a.len(), 67);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
    }
}
