//! The one place where errors become Postgres errors: the engine's, which the engine classifies
//! by SQLSTATE, and the few this frontend raises itself ([`Refusal`]).

use hangar_engine::Error;
use pgwire::api::{ClientInfo, ErrorHandler};
use pgwire::error::{ErrorInfo, PgWireError};

/// The Postgres error for an engine error: Postgres' wording and, given the text the statement
/// came in, the position it points at (psql draws its `LINE 1: … ^` marker from it); the engine's
/// full error, which may name its internals, goes to the log.
pub fn error_info(error: &Error, sql: Option<&str>) -> ErrorInfo {
    let message = error.message();
    if message != error.to_string() {
        tracing::debug!(%error, "error as the engine gave it");
    }
    let mut info = ErrorInfo::new("ERROR".into(), error.sqlstate().into(), message);
    info.position = sql
        .and_then(|sql| error.position(sql))
        .map(|p| p.to_string());
    info
}

/// An engine error that ends the connection (a failed login).
pub(crate) fn fatal(error: &Error) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new(
        "FATAL".into(),
        error.sqlstate().into(),
        error.to_string(),
    )))
}

/// An engine error as the pgwire error the client receives, for a statement sent as `sql`.
pub(crate) fn engine_error(error: Error, sql: Option<&str>) -> PgWireError {
    PgWireError::UserError(Box::new(error_info(&error, sql)))
}

/// What the frontend refuses before a statement reaches the engine.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    /// The startup message named a database other than Hangar's one.
    #[error("database \"{0}\" does not exist; this server's database is \"{db}\"", db = hangar_engine::DATABASE)]
    UnknownDatabase(String),
    /// A query arrived before the startup phase opened the session.
    #[error("query before startup completed")]
    BeforeStartup,
    /// A prepared statement held more than one statement.
    #[error("cannot insert multiple commands into a prepared statement")]
    MultipleCommands,
    /// The server requires TLS and the client did not negotiate it.
    #[error("this server accepts only TLS connections; connect with sslmode=require or stronger")]
    TlsRequired,
    /// Cleartext passwords are configured, and the client did not negotiate TLS.
    #[error(
        "password authentication needs a TLS connection; connect with sslmode=require or stronger"
    )]
    CleartextNeedsTls,
    /// The client broke the protocol during startup (a malformed SASL message…).
    #[error("protocol violation: {0}")]
    ProtocolViolation(String),
}

impl Refusal {
    /// Its SQLSTATE, and whether it ends the connection (`FATAL`) or only the statement.
    fn classify(&self) -> (&'static str, &'static str) {
        match self {
            Refusal::UnknownDatabase(_) => ("3D000", "FATAL"),
            Refusal::BeforeStartup => ("08P01", "FATAL"),
            Refusal::MultipleCommands => ("42601", "ERROR"),
            Refusal::TlsRequired | Refusal::CleartextNeedsTls => ("28000", "FATAL"),
            Refusal::ProtocolViolation(_) => ("08P01", "FATAL"),
        }
    }
}

/// A refusal as the pgwire error the client receives.
pub(crate) fn refusal(refusal: Refusal) -> PgWireError {
    let (code, severity) = refusal.classify();
    PgWireError::UserError(Box::new(ErrorInfo::new(
        severity.into(),
        code.into(),
        refusal.to_string(),
    )))
}

/// SQLSTATE `XX000`, internal error.
const INTERNAL: &str = "XX000";

/// Maps errors raised while streaming rows (which pgwire carries as API errors) to their SQLSTATE.
#[derive(Debug)]
pub(crate) struct MapErrors;

impl ErrorHandler for MapErrors {
    fn on_error<C: ClientInfo>(&self, _client: &C, error: &mut PgWireError) {
        if let PgWireError::ApiError(inner) = error {
            let info = match inner.downcast_ref::<Error>() {
                Some(e) => error_info(e, None),
                // Not the engine's: pgwire's own, which Postgres would call internal.
                None => ErrorInfo::new("ERROR".into(), INTERNAL.into(), inner.to_string()),
            };
            *error = PgWireError::UserError(Box::new(info));
        }
        tracing::debug!(%error, "sending error to client");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_their_sqlstate_and_severity() {
        let cases = [
            (Refusal::UnknownDatabase("x".into()), "3D000", "FATAL"),
            (Refusal::BeforeStartup, "08P01", "FATAL"),
            (Refusal::MultipleCommands, "42601", "ERROR"),
            (Refusal::TlsRequired, "28000", "FATAL"),
            (Refusal::CleartextNeedsTls, "28000", "FATAL"),
            (Refusal::ProtocolViolation("x".into()), "08P01", "FATAL"),
        ];
        for (refused, code, severity) in cases {
            let PgWireError::UserError(info) = refusal(refused) else {
                panic!("a user error");
            };
            assert_eq!(
                (info.code.as_str(), info.severity.as_str()),
                (code, severity)
            );
        }
    }
}
