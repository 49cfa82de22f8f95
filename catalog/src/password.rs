//! Passwords as Postgres stores them: salted SCRAM-SHA-256 verifiers (RFC 5802 and RFC 7677), in
//! the text form of `pg_authid.rolpassword`:
//! `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64). A verifier lets a server
//! check a SCRAM proof or a password, and never gives the password back.

use std::fmt;
use std::num::NonZeroU32;

use base64::Engine as _;
use base64::prelude::BASE64_STANDARD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hmac, pbkdf2};

/// The iteration count of new verifiers: Postgres' default (`scram_iterations`).
pub const SCRAM_ITERATIONS: u32 = 4096;

/// A SCRAM-SHA-256 verifier.
#[derive(Clone, PartialEq, Eq)]
pub struct ScramVerifier {
    /// PBKDF2 iterations the client runs.
    pub iterations: u32,
    /// The salt the client hashes its password with.
    pub salt: Vec<u8>,
    /// `H(HMAC(SaltedPassword, "Client Key"))`: what a client proof is checked against.
    pub stored_key: [u8; 32],
    /// `HMAC(SaltedPassword, "Server Key")`: what the server proves itself with.
    pub server_key: [u8; 32],
}

impl fmt::Debug for ScramVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScramVerifier(***)")
    }
}

/// Why a text is not a verifier.
#[derive(Debug, thiserror::Error)]
#[error("not a SCRAM-SHA-256 verifier")]
pub struct NotAVerifier;

impl ScramVerifier {
    /// A verifier of `password` with a fresh random salt.
    pub fn new(password: &str) -> Self {
        let mut salt = vec![0u8; 16];
        SystemRandom::new()
            .fill(&mut salt)
            .expect("the system's random source works");
        Self::with_salt(password, salt, SCRAM_ITERATIONS)
    }

    /// A verifier of `password` with the given salt and iteration count.
    pub fn with_salt(password: &str, salt: Vec<u8>, iterations: u32) -> Self {
        let salted = salted_password(password, &salt, iterations);
        let client_key = hmac_sha256(&salted, b"Client Key");
        Self {
            iterations,
            stored_key: sha256(&client_key),
            server_key: hmac_sha256(&salted, b"Server Key"),
            salt,
        }
    }

    /// Parses the text form (`SCRAM-SHA-256$4096:salt$StoredKey:ServerKey`).
    pub fn parse(text: &str) -> Result<Self, NotAVerifier> {
        let rest = text.strip_prefix("SCRAM-SHA-256$").ok_or(NotAVerifier)?;
        let (params, keys) = rest.split_once('$').ok_or(NotAVerifier)?;
        let (iterations, salt) = params.split_once(':').ok_or(NotAVerifier)?;
        let (stored, server) = keys.split_once(':').ok_or(NotAVerifier)?;
        let key = |b64: &str| -> Result<[u8; 32], NotAVerifier> {
            let bytes = BASE64_STANDARD.decode(b64).map_err(|_| NotAVerifier)?;
            bytes.try_into().map_err(|_| NotAVerifier)
        };
        let iterations: u32 = iterations.parse().map_err(|_| NotAVerifier)?;
        if iterations == 0 {
            return Err(NotAVerifier);
        }
        Ok(Self {
            iterations,
            salt: BASE64_STANDARD.decode(salt).map_err(|_| NotAVerifier)?,
            stored_key: key(stored)?,
            server_key: key(server)?,
        })
    }

    /// Whether `password` is the one this verifier was made from.
    pub fn matches(&self, password: &str) -> bool {
        let other = Self::with_salt(password, self.salt.clone(), self.iterations);
        constant_time_eq(&other.stored_key, &self.stored_key)
    }

    /// Checks a SCRAM client proof over `auth_message`: true when the client knows the password.
    pub fn verify_proof(&self, auth_message: &[u8], proof: &[u8]) -> bool {
        if proof.len() != 32 {
            return false;
        }
        let signature = hmac_sha256(&self.stored_key, auth_message);
        let client_key: Vec<u8> = proof.iter().zip(signature).map(|(p, s)| p ^ s).collect();
        constant_time_eq(&sha256(&client_key), &self.stored_key)
    }

    /// The server's signature over `auth_message`, proving to the client that it knows the
    /// verifier.
    pub fn server_signature(&self, auth_message: &[u8]) -> [u8; 32] {
        hmac_sha256(&self.server_key, auth_message)
    }

    /// The text form, as `pg_authid.rolpassword` holds it.
    pub fn to_text(&self) -> String {
        format!(
            "SCRAM-SHA-256${}:{}${}:{}",
            self.iterations,
            BASE64_STANDARD.encode(&self.salt),
            BASE64_STANDARD.encode(self.stored_key),
            BASE64_STANDARD.encode(self.server_key)
        )
    }
}

/// `Hi(Normalize(password), salt, i)` of RFC 5802; a password SASLprep refuses is used as is, as
/// Postgres does.
fn salted_password(password: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let normalized = stringprep::saslprep(password)
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| password.to_string());
    let mut out = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN),
        salt,
        normalized.as_bytes(),
        &mut out,
    );
    out
}

/// Whether two byte strings are equal, in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// HMAC-SHA-256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message);
    tag.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

fn sha256(data: &[u8]) -> [u8; 32] {
    digest::digest(&digest::SHA256, data)
        .as_ref()
        .try_into()
        .expect("SHA-256 is 32 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_verifier_postgres_stores() {
        // PostgreSQL 15's `rolpassword` after `CREATE ROLE r PASSWORD 'secret'`.
        let postgres = "SCRAM-SHA-256$4096:taBkJJaxQQtkwUwxnKpnIw==$sTsoWSc7UAUZIaxh1o3XE52dpfW8hP8AXcYOjvejH1U=:IP+YWcFyVTnIjXi0axxf2QGbsoreNIdp+50jrfaZLHo=";
        let parsed = ScramVerifier::parse(postgres).unwrap();
        assert_eq!(parsed.to_text(), postgres);
        assert!(parsed.matches("secret"));
        assert!(!parsed.matches("Secret"));
        let again = ScramVerifier::with_salt("secret", parsed.salt.clone(), 4096);
        assert_eq!(again.to_text(), postgres);
    }

    #[test]
    fn a_verifier_checks_its_password_only() {
        let v = ScramVerifier::new("correct horse");
        assert!(v.matches("correct horse"));
        assert!(!v.matches("correct horse "));
        let round = ScramVerifier::parse(&v.to_text()).unwrap();
        assert_eq!(round, v);
        assert!(round.matches("correct horse"));
        assert_eq!(format!("{v:?}"), "ScramVerifier(***)");
    }

    #[test]
    fn malformed_texts_are_not_verifiers() {
        for text in [
            "",
            "md5abc",
            "SCRAM-SHA-256$",
            "SCRAM-SHA-256$0:AA==$AA==:AA==",
            "SCRAM-SHA-256$4096:AA==$AA==:AA==",
            "SCRAM-SHA-256$x:AA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ] {
            assert!(ScramVerifier::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_client_proof_is_checked_against_the_stored_key() {
        let v = ScramVerifier::with_salt("pw", b"salt".to_vec(), 4096);
        let auth = b"n=u,r=abc,r=abcdef,s=c2FsdA==,i=4096,c=biws,r=abcdef";
        // What a client with the password computes (RFC 5802 section 3).
        let salted = salted_password("pw", b"salt", 4096);
        let client_key = hmac_sha256(&salted, b"Client Key");
        let signature = hmac_sha256(&sha256(&client_key), auth);
        let proof: Vec<u8> = client_key
            .iter()
            .zip(signature)
            .map(|(k, s)| k ^ s)
            .collect();
        assert!(v.verify_proof(auth, &proof));
        let mut wrong = proof.clone();
        wrong[0] ^= 1;
        assert!(!v.verify_proof(auth, &wrong));
        assert!(!v.verify_proof(auth, &proof[..31]));
    }
}
