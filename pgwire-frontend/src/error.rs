//! The one place where engine errors become Postgres errors; the engine classifies them by SQLSTATE.

use hangar_engine::Error;
use pgwire::api::{ClientInfo, ErrorHandler};
use pgwire::error::{ErrorInfo, PgWireError};

/// The Postgres error for an engine error.
pub fn error_info(error: &Error) -> ErrorInfo {
    ErrorInfo::new("ERROR".into(), error.sqlstate().into(), error.to_string())
}

/// An engine error as the pgwire error the client receives.
pub(crate) fn engine_error(error: Error) -> PgWireError {
    PgWireError::UserError(Box::new(error_info(&error)))
}

/// Maps errors raised while streaming rows (which pgwire carries as API errors) to their SQLSTATE.
#[derive(Debug)]
pub(crate) struct MapErrors;

impl ErrorHandler for MapErrors {
    fn on_error<C: ClientInfo>(&self, _client: &C, error: &mut PgWireError) {
        if let PgWireError::ApiError(inner) = error {
            let info = match inner.downcast_ref::<Error>() {
                Some(e) => error_info(e),
                None => ErrorInfo::new("ERROR".into(), "XX000".into(), inner.to_string()),
            };
            *error = PgWireError::UserError(Box::new(info));
        }
        tracing::debug!(%error, "sending error to client");
    }
}
