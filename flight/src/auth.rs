//! Handshake and bearer tokens.
//!
//! `Handshake` with Basic credentials returns a bearer token that every later call presents in its
//! `authorization` header. Until users are configured, any user name and password are accepted and
//! calls without a token run as `anonymous`; a token the server did not issue is refused.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use base64::prelude::BASE64_STANDARD_NO_PAD;
use tonic::Status;
use tonic::metadata::MetadataMap;

/// The tokens this server issued, and the user each stands for.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: Mutex<HashMap<String, String>>,
}

impl Tokens {
    /// Checks Basic credentials from a handshake and issues a token for the user.
    pub(crate) fn issue(&self, metadata: &MetadataMap) -> Result<String, Status> {
        let header = metadata
            .get("authorization")
            .ok_or_else(|| {
                Status::unauthenticated(
                    "handshake needs Basic credentials in the authorization header",
                )
            })?
            .to_str()
            .map_err(|_| Status::unauthenticated("authorization header is not text"))?;
        let encoded = header
            .strip_prefix("Basic ")
            .ok_or_else(|| Status::unauthenticated("handshake expects Basic authorization"))?;
        // Some clients (the Go Flight client under ADBC) leave out base64 padding.
        let decoded = BASE64_STANDARD_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .map_err(|_| Status::unauthenticated("Basic credentials are not valid base64"))?;
        let credentials = String::from_utf8(decoded)
            .map_err(|_| Status::unauthenticated("credentials are not UTF-8"))?;
        let (user, _password) = credentials
            .split_once(':')
            .ok_or_else(|| Status::unauthenticated("Basic credentials must be user:password"))?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.issued
            .lock()
            .expect("tokens lock")
            .insert(token.clone(), user.to_string());
        Ok(token)
    }

    /// The user a call runs as: the owner of its bearer token, or `anonymous` without one.
    pub(crate) fn user(&self, metadata: &MetadataMap) -> Result<String, Status> {
        let Some(header) = metadata.get("authorization") else {
            return Ok("anonymous".to_string());
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| Status::unauthenticated("expected a Bearer token from the handshake"))?;
        self.issued
            .lock()
            .expect("tokens lock")
            .get(token)
            .cloned()
            .ok_or_else(|| {
                Status::unauthenticated("unknown or expired token; run the handshake again")
            })
    }
}
