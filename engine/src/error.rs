//! Errors of the engine, classified by SQLSTATE (the SQL standard's error codes) so each frontend
//! maps them to its protocol in one place.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use hangar_catalog::Error as CatalogError;
use hangar_storage::Error as StorageError;

/// Errors raised while parsing, planning or running a statement.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A catalog change or lookup failed (missing or duplicate schema/table, commit conflict…).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A location was refused by the storage sandbox or could not be parsed.
    #[error(transparent)]
    Storage(#[from] StorageError),
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
    /// `FETCH`, `MOVE` or `CLOSE` named a cursor the session has not declared (or has closed).
    #[error("cursor \"{0}\" does not exist")]
    UnknownCursor(String),
    /// `DECLARE` named a cursor that is already open.
    #[error("cursor \"{0}\" already exists")]
    DuplicateCursor(String),
    /// A cursor was asked to move backward; Hangar's cursors only scan forward.
    #[error("cursor \"{0}\" can only scan forward")]
    ForwardOnly(String),
    /// The role lacks a privilege the statement needs, or is not the owner or a superuser.
    #[error("{0}")]
    PermissionDenied(String),
    /// A login failed: wrong password, or no such user (the same error, so names cannot be
    /// probed).
    #[error("password authentication failed for user \"{0}\"")]
    InvalidPassword(String),
    /// The role exists and the password was right, but it may not log in (`NOLOGIN`).
    #[error("role \"{0}\" is not permitted to log in")]
    LoginNotPermitted(String),
    /// The client's address failed to log in too often lately; it waits this many seconds.
    #[error("too many failed login attempts from this address; try again in {0} s")]
    LoginsThrottled(u64),
    /// A `GRANT`/`REVOKE` named a privilege the object does not have.
    #[error("{0}")]
    InvalidGrant(String),
    /// The statement panicked while it ran; the server goes on.
    #[error("internal error: the statement panicked: {0}")]
    Panicked(String),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<datafusion::sql::sqlparser::parser::ParserError> for Error {
    fn from(e: datafusion::sql::sqlparser::parser::ParserError) -> Self {
        Error::DataFusion(DataFusionError::SQL(Box::new(e), None))
    }
}

impl Error {
    /// The SQLSTATE of this error, looking at the root cause of DataFusion errors.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            Error::Catalog(e) => match e {
                CatalogError::SchemaNotFound(_) => "3F000",
                CatalogError::SchemaExists(_) => "42P06",
                CatalogError::SchemaNotEmpty(_) => "2BP01",
                CatalogError::TableNotFound { .. } => "42P01",
                CatalogError::TableExists { .. } => "42P07",
                CatalogError::WrongKind { .. } => "42809",
                CatalogError::HasDependents { .. } => "2BP01",
                CatalogError::Conflict(_) | CatalogError::ViewChanged { .. } => "40001",
                CatalogError::Corrupt { .. } => "XX001",
                CatalogError::RoleNotFound(_) => "42704",
                CatalogError::RoleExists(_) => "42710",
                CatalogError::ReservedRoleName(_) => "42939",
                CatalogError::RoleOwnsObjects { .. } => "2BP01",
                CatalogError::CircularMembership { .. } => "0LP01",
                CatalogError::Store(_) => "58030",
            },
            Error::Storage(e) => match e {
                StorageError::OutsideStores { .. } => "42501",
                StorageError::InvalidLocation { .. } => "22023",
                StorageError::ObjectStore(_) | StorageError::Io { .. } => "58030",
            },
            Error::DataFusion(e) => datafusion_sqlstate(e.find_root()),
            Error::NotSupported(_) => "0A000",
            Error::InvalidParameter(_) => "22023",
            Error::UnknownSetting(_) => "42704",
            Error::UnknownCursor(_) => "34000",
            Error::DuplicateCursor(_) => "42P03",
            Error::ForwardOnly(_) => "55000",
            Error::PermissionDenied(_) => "42501",
            Error::InvalidGrant(_) => "0LP01",
            Error::InvalidPassword(_) => "28P01",
            Error::LoginNotPermitted(_) | Error::LoginsThrottled(_) => "28000",
            Error::Panicked(_) => "XX000",
        }
    }
}

/// The SQLSTATE of a DataFusion error (its root cause, for a wrapped one).
pub(crate) fn datafusion_sqlstate(error: &DataFusionError) -> &'static str {
    match error {
        DataFusionError::SQL(..) => "42601",
        DataFusionError::SchemaError(e, _) => match e.as_ref() {
            SchemaError::FieldNotFound { .. } => "42703",
            SchemaError::AmbiguousReference { .. } => "42702",
            SchemaError::DuplicateQualifiedField { .. }
            | SchemaError::DuplicateUnqualifiedField { .. } => "42701",
        },
        DataFusionError::Plan(msg) => plan_sqlstate(msg),
        DataFusionError::NotImplemented(_) => "0A000",
        DataFusionError::ResourcesExhausted(_) => "53200",
        DataFusionError::ArrowError(e, _) => match e.as_ref() {
            ArrowError::DivideByZero => "22012",
            ArrowError::ArithmeticOverflow(_) => "22003",
            ArrowError::CastError(_) | ArrowError::ParseError(_) => "22P02",
            ArrowError::MemoryError(_) => "53200",
            ArrowError::IoError(..) => "58030",
            _ => "XX000",
        },
        DataFusionError::ObjectStore(_) | DataFusionError::IoError(_) => "58030",
        DataFusionError::ParquetError(e) => match e.as_ref() {
            datafusion::parquet::errors::ParquetError::NYI(_) => "0A000",
            _ => "XX001",
        },
        DataFusionError::Execution(msg) if msg.to_ascii_lowercase().contains("divide by zero") => {
            "22012"
        }
        DataFusionError::Execution(_) => "22000",
        DataFusionError::External(e) => match e.downcast_ref::<Error>() {
            Some(inner) => inner.sqlstate(),
            None => "XX000",
        },
        _ => "XX000",
    }
}

/// DataFusion reports most semantic errors as plan errors; tell the common ones apart by message.
fn plan_sqlstate(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("table '") && m.contains("not found") {
        "42P01"
    } else if m.contains("invalid function")
        || m.contains("no function matches")
        || m.contains("function") && m.contains("not found")
    {
        "42883"
    } else if m.contains("schema") && m.contains("not found") {
        "3F000"
    } else {
        "42000"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::parser::ParserError;

    #[test]
    fn errors_map_to_their_sqlstate() {
        let df = |e: DataFusionError| Error::DataFusion(e);
        let cases: Vec<(Error, &str)> = vec![
            (
                df(DataFusionError::SQL(
                    Box::new(ParserError::ParserError("x".into())),
                    None,
                )),
                "42601",
            ),
            (
                df(DataFusionError::Plan(
                    "table 'hangar.public.nope' not found".into(),
                )),
                "42P01",
            ),
            (
                df(DataFusionError::SchemaError(
                    Box::new(SchemaError::FieldNotFound {
                        field: Box::new(datafusion::common::Column::from_name("c")),
                        valid_fields: vec![],
                    }),
                    Box::new(None),
                )),
                "42703",
            ),
            (
                df(DataFusionError::Plan("Invalid function 'nope'".into())),
                "42883",
            ),
            (df(DataFusionError::NotImplemented("x".into())), "0A000"),
            (df(DataFusionError::ResourcesExhausted("x".into())), "53200"),
            (
                df(DataFusionError::ArrowError(
                    Box::new(ArrowError::DivideByZero),
                    None,
                )),
                "22012",
            ),
            (
                df(DataFusionError::Context(
                    "ctx".into(),
                    Box::new(DataFusionError::Plan("table 'x' not found".into())),
                )),
                "42P01",
            ),
            (
                Error::Catalog(CatalogError::SchemaNotFound("s".into())),
                "3F000",
            ),
            (
                Error::Catalog(CatalogError::TableExists {
                    schema: "s".into(),
                    table: "t".into(),
                }),
                "42P07",
            ),
            (Error::Catalog(CatalogError::Conflict(3)), "40001"),
            (
                Error::Storage(StorageError::OutsideStores {
                    location: "file:///etc/".into(),
                    allowed: vec![],
                }),
                "42501",
            ),
            (Error::NotSupported("x".into()), "0A000"),
            (Error::UnknownSetting("x".into()), "42704"),
            (Error::UnknownCursor("c".into()), "34000"),
            (Error::DuplicateCursor("c".into()), "42P03"),
            (Error::ForwardOnly("c".into()), "55000"),
            (Error::PermissionDenied("x".into()), "42501"),
            (Error::InvalidPassword("u".into()), "28P01"),
            (Error::LoginNotPermitted("u".into()), "28000"),
            (
                Error::Catalog(CatalogError::RoleNotFound("r".into())),
                "42704",
            ),
            (
                Error::Catalog(CatalogError::RoleExists("r".into())),
                "42710",
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.sqlstate(), code, "{error}");
        }
    }
}
