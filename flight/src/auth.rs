//! Handshake and bearer tokens.
//!
//! `Handshake` with Basic credentials returns a bearer token that every later call presents in its
//! `authorization` header. A token is `v1.<user>.<expiry>.<password fingerprint>.<signature>`: the
//! signature is an HMAC-SHA-256 under a key kept in the warehouse, so any server sharing the
//! warehouse accepts a token another one issued, and nothing is remembered between calls. The
//! fingerprint changes with the role's password, so a token dies with a password change or a
//! dropped role, and the expiry bounds it in time.
//!
//! With authentication off (no superuser password configured), the handshake accepts any name
//! and password, and calls without a token run as `anonymous`; a token must still be one a server
//! of this warehouse signed.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::prelude::{BASE64_STANDARD_NO_PAD, BASE64_URL_SAFE_NO_PAD};
use hangar_engine::{Engine, audit, constant_time_eq, hmac_sha256};
use tonic::Status;
use tonic::metadata::MetadataMap;

use crate::error::status;

/// The warehouse key tokens are signed with.
const KEY: &str = "flight-token";
/// The longest credentials a handshake may carry.
const MAX_CREDENTIALS: usize = 4096;

/// Issues and checks bearer tokens.
#[derive(Debug)]
pub(crate) struct Tokens {
    engine: Engine,
    ttl: Duration,
}

impl Tokens {
    pub(crate) fn new(engine: Engine, ttl: Duration) -> Self {
        Self { engine, ttl }
    }

    /// Checks Basic credentials from a handshake and issues a token for the user.
    pub(crate) async fn issue(
        &self,
        metadata: &MetadataMap,
        peer: Option<SocketAddr>,
    ) -> Result<String, Status> {
        let (user, password) = basic_credentials(metadata)?;
        let key = self.key().await?;
        let fingerprint = if self.engine.authentication() {
            let login = self
                .engine
                .login(&user, peer.map(|p| p.ip()))
                .await
                .map_err(|e| status(&e))?;
            let outcome = if password.len() > MAX_CREDENTIALS {
                login.finish(false)
            } else {
                login.check_password(&password)
            };
            audit::authentication("flight", peer, &user, outcome.as_ref().map(|_| ()));
            outcome.map_err(|e| status(&e))?;
            login.password_fingerprint(&key)[..16].to_vec()
        } else {
            Vec::new()
        };
        let expires = now() + self.ttl.as_secs();
        let body = format!(
            "v1.{}.{expires}.{}",
            BASE64_URL_SAFE_NO_PAD.encode(&user),
            BASE64_URL_SAFE_NO_PAD.encode(&fingerprint)
        );
        let signature = hmac_sha256(&key, body.as_bytes());
        Ok(format!(
            "{body}.{}",
            BASE64_URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The user a call runs as: the one its bearer token was issued to, if the token is valid.
    pub(crate) async fn user(&self, metadata: &MetadataMap) -> Result<String, Status> {
        let Some(header) = metadata.get("authorization") else {
            if self.engine.authentication() {
                return Err(Status::unauthenticated(
                    "authentication required: run the handshake with Basic credentials (user and password)",
                ));
            }
            return Ok("anonymous".to_string());
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| Status::unauthenticated("expected a Bearer token from the handshake"))?;
        let forged = || Status::unauthenticated("invalid token; run the handshake again");
        let (body, signature) = token.rsplit_once('.').ok_or_else(forged)?;
        let signature = BASE64_URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| forged())?;
        let key = self.key().await?;
        if !constant_time_eq(&hmac_sha256(&key, body.as_bytes()), &signature) {
            return Err(forged());
        }
        let parts: Vec<&str> = body.split('.').collect();
        let [version, user, expires, fingerprint] = parts.as_slice() else {
            return Err(forged());
        };
        if *version != "v1" {
            return Err(forged());
        }
        let user = BASE64_URL_SAFE_NO_PAD
            .decode(user)
            .ok()
            .and_then(|u| String::from_utf8(u).ok())
            .ok_or_else(forged)?;
        let expires: u64 = expires.parse().map_err(|_| forged())?;
        if now() >= expires {
            return Err(Status::unauthenticated(
                "token expired; run the handshake again",
            ));
        }
        if self.engine.authentication() {
            let fingerprint = BASE64_URL_SAFE_NO_PAD
                .decode(fingerprint)
                .map_err(|_| forged())?;
            let login = self
                .engine
                .login(&user, None)
                .await
                .map_err(|e| status(&e))?;
            if !login.is_valid() || login.password_fingerprint(&key)[..16] != fingerprint[..] {
                return Err(Status::unauthenticated(
                    "token no longer valid: the role was dropped, may not log in, or its password changed",
                ));
            }
        }
        Ok(user)
    }

    async fn key(&self) -> Result<Vec<u8>, Status> {
        self.engine.secret(KEY).await.map_err(|e| status(&e))
    }
}

/// The user and password of a handshake's Basic credentials.
fn basic_credentials(metadata: &MetadataMap) -> Result<(String, String), Status> {
    let header = metadata
        .get("authorization")
        .ok_or_else(|| {
            Status::unauthenticated("handshake needs Basic credentials in the authorization header")
        })?
        .to_str()
        .map_err(|_| Status::unauthenticated("authorization header is not text"))?;
    let encoded = header
        .strip_prefix("Basic ")
        .ok_or_else(|| Status::unauthenticated("handshake expects Basic authorization"))?;
    if encoded.len() > MAX_CREDENTIALS * 2 {
        return Err(Status::unauthenticated("credentials are too long"));
    }
    // Some clients (the Go Flight client under ADBC) leave out base64 padding.
    let decoded = BASE64_STANDARD_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| Status::unauthenticated("Basic credentials are not valid base64"))?;
    let credentials = String::from_utf8(decoded)
        .map_err(|_| Status::unauthenticated("credentials are not UTF-8"))?;
    let (user, password) = credentials
        .split_once(':')
        .ok_or_else(|| Status::unauthenticated("Basic credentials must be user:password"))?;
    Ok((user.to_string(), password.to_string()))
}

/// Seconds since the Unix epoch.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
