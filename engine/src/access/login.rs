//! Logging in: what a frontend checks a password or a SCRAM proof against.

use std::net::IpAddr;
use std::sync::Arc;

use hangar_catalog::{Manifest, ScramVerifier, hmac_sha256};

use super::LoginThrottle;
use crate::{Error, Result};

/// What logging in as a role is checked against. A role that does not exist or has no password
/// gets a made-up verifier that nothing matches, so the exchange looks the same and fails the
/// same way: a client cannot tell unknown users from wrong passwords.
#[derive(Debug)]
pub struct Login {
    user: String,
    verifier: ScramVerifier,
    /// The role exists and has a password.
    known: bool,
    /// The role may log in (`LOGIN`).
    can_login: bool,
    /// Where the outcome is counted, for the client's address.
    throttle: Option<(Arc<LoginThrottle>, IpAddr)>,
}

impl Login {
    /// The login of `user` in `manifest`; `mock_key` makes the made-up verifiers (the same for a
    /// name each time, as a real one would be).
    pub(crate) fn of(manifest: &Manifest, user: &str, mock_key: &[u8]) -> Self {
        let role = manifest.role(user);
        let verifier = role
            .and_then(|r| r.password.as_deref())
            .and_then(|text| ScramVerifier::parse(text).ok());
        let known = verifier.is_some();
        let verifier = verifier.unwrap_or_else(|| ScramVerifier {
            iterations: hangar_catalog::SCRAM_ITERATIONS,
            salt: hmac_sha256(mock_key, format!("salt {user}").as_bytes())[..16].to_vec(),
            stored_key: hmac_sha256(mock_key, format!("stored {user}").as_bytes()),
            server_key: hmac_sha256(mock_key, format!("server {user}").as_bytes()),
        });
        Self {
            user: user.to_string(),
            verifier,
            known,
            can_login: role.is_some_and(|r| r.login),
            throttle: None,
        }
    }

    /// Counts this login's outcome for `address` in `throttle`.
    pub(crate) fn counted(mut self, throttle: Arc<LoginThrottle>, address: IpAddr) -> Self {
        self.throttle = Some((throttle, address));
        self
    }

    /// The user logging in.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The verifier a SCRAM exchange runs against.
    pub fn verifier(&self) -> &ScramVerifier {
        &self.verifier
    }

    /// Whether the role exists, has a password and may log in: what a bearer token issued to it
    /// is checked against on each call.
    pub fn is_valid(&self) -> bool {
        self.known && self.can_login
    }

    /// Ends the login once the client proved that it knows the password, or failed to:
    /// `28P01` for a wrong password or an unknown user (the same message for both), `28000` for
    /// a role that may not log in.
    pub fn finish(&self, proved: bool) -> Result<()> {
        if let Some((throttle, address)) = &self.throttle {
            throttle.record(*address, proved && self.known);
        }
        if !proved || !self.known {
            return Err(Error::InvalidPassword(self.user.clone()));
        }
        if !self.can_login {
            return Err(Error::LoginNotPermitted(self.user.clone()));
        }
        Ok(())
    }

    /// Checks a password sent in the clear (Flight SQL's Basic credentials, `--pg-auth password`).
    pub fn check_password(&self, password: &str) -> Result<()> {
        self.finish(self.verifier.matches(password))
    }

    /// A keyed fingerprint of the role's password: it changes when the password does, and tells
    /// nothing of it without the key.
    pub fn password_fingerprint(&self, key: &[u8]) -> [u8; 32] {
        hmac_sha256(key, self.verifier.to_text().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_catalog::{Change, RoleEntry};

    fn manifest() -> Manifest {
        let mut m = Manifest::empty();
        for (name, login) in [("alice", true), ("group", false)] {
            let role = RoleEntry {
                login,
                password: Some(ScramVerifier::new("pw").to_text()),
                ..RoleEntry::default()
            };
            m = m
                .apply(&Change::CreateRole {
                    name: name.into(),
                    role,
                })
                .unwrap()
                .unwrap();
        }
        m
    }

    #[test]
    fn unknown_users_and_wrong_passwords_fail_alike() {
        let m = manifest();
        let code = |login: Login, pw: &str| login.check_password(pw).err().map(|e| e.sqlstate());
        assert_eq!(code(Login::of(&m, "alice", b"k"), "pw"), None);
        assert_eq!(code(Login::of(&m, "alice", b"k"), "nope"), Some("28P01"));
        assert_eq!(code(Login::of(&m, "nobody", b"k"), "pw"), Some("28P01"));
        assert_eq!(code(Login::of(&m, "group", b"k"), "pw"), Some("28000"));
        assert_eq!(code(Login::of(&m, "group", b"k"), "nope"), Some("28P01"));
        // An unknown user's made-up salt is stable, as a real one is.
        assert_eq!(
            Login::of(&m, "nobody", b"k").verifier().salt,
            Login::of(&m, "nobody", b"k").verifier().salt
        );
        let messages: Vec<String> = ["alice", "nobody"]
            .iter()
            .map(|u| {
                Login::of(&m, u, b"k")
                    .check_password("x")
                    .unwrap_err()
                    .to_string()
            })
            .collect();
        assert_eq!(
            messages[0].replace("alice", "U"),
            messages[1].replace("nobody", "U")
        );
    }
}
