//! Errors of the engine, classified so each frontend can map them to its protocol in one place.

use datafusion::error::DataFusionError;

/// Errors raised while parsing, planning or running a statement.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A catalog change or lookup failed (missing or duplicate schema/table, commit conflict…).
    #[error(transparent)]
    Catalog(#[from] hangar_catalog::Error),
    /// A location was refused by the storage sandbox or could not be parsed.
    #[error(transparent)]
    Storage(#[from] hangar_storage::Error),
    /// DataFusion failed to parse, plan or execute the statement.
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
    /// The statement is valid SQL but Hangar does not support it (yet).
    #[error("{0}")]
    NotSupported(String),
    /// `SHOW` or `current_setting` named a setting that does not exist.
    #[error("unrecognized configuration parameter \"{0}\"")]
    UnknownSetting(String),
    /// A parameter or argument has a wrong value.
    #[error("{0}")]
    InvalidParameter(String),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<datafusion::sql::sqlparser::parser::ParserError> for Error {
    fn from(e: datafusion::sql::sqlparser::parser::ParserError) -> Self {
        Error::DataFusion(DataFusionError::SQL(Box::new(e), None))
    }
}
