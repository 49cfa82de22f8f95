//! Errors of the engine, classified by SQLSTATE (the SQL standard's error codes) so each frontend
//! maps them to its protocol in one place.

mod anchor;
mod syntax;
mod words;

use datafusion::arrow::error::ArrowError;
use datafusion::error::DataFusionError;
use datafusion::sql::sqlparser::parser::ParserError;
use hangar_catalog::Error as CatalogError;
use hangar_storage::Error as StorageError;

pub use anchor::Anchor;
use words::postgres_words;
pub(crate) use words::{WINDOW_FUNCTIONS, pg_type_name, regtype_of};

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
    /// Two tables of one `FROM` go by the same name (`FROM nation n, region n`).
    #[error("table name \"{0}\" specified more than once")]
    DuplicateAlias(String),
    /// The statement panicked while it ran; the server goes on.
    #[error("internal error: the statement panicked: {0}")]
    Panicked(String),
    /// The SQL does not parse: Postgres' wording, and the 1-based character position it points at.
    #[error("{message}")]
    Syntax {
        /// `syntax error at or near "x"`, `syntax error at end of input`, …
        message: String,
        /// Where in the statement's text, in characters from 1.
        position: Option<usize>,
    },
    /// A scalar subquery returned more than one row.
    #[error("more than one row returned by a subquery used as an expression")]
    SubqueryRows,
    /// A value's text is not valid input for its type (`invalid input syntax for type json`).
    #[error("{0}")]
    InvalidText(String),
    /// No operator takes the operands' types (`operator does not exist: jsonb + integer`).
    #[error("{0}")]
    UndefinedOperator(String),
    /// A query named a table or view that does not exist, as it named it.
    #[error("relation \"{0}\" does not exist")]
    UndefinedRelation(String),
    /// A date, time or interval beyond its type's range (`interval out of range`).
    #[error("{0}")]
    DatetimeOverflow(String),
    /// An error Hangar words itself as Postgres does (`subquery in FROM must have an alias`),
    /// with Postgres' SQLSTATE and what it points at.
    #[error("{message}")]
    Postgres {
        /// Postgres' SQLSTATE for it.
        sqlstate: &'static str,
        /// Postgres' message.
        message: String,
        /// What in the statement's text it points at.
        anchor: Anchor,
    },
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ParserError> for Error {
    fn from(e: ParserError) -> Self {
        Error::DataFusion(DataFusionError::SQL(Box::new(e), None))
    }
}

impl Error {
    /// An error with Postgres' SQLSTATE and message, pointing at `anchor`.
    pub(crate) fn postgres(
        sqlstate: &'static str,
        message: impl Into<String>,
        anchor: Anchor,
    ) -> Self {
        Error::Postgres {
            sqlstate,
            message: message.into(),
            anchor,
        }
    }

    /// This error raised inside DataFusion (by a function as it runs), keeping its SQLSTATE.
    pub(crate) fn into_datafusion(self) -> DataFusionError {
        DataFusionError::External(Box::new(self))
    }

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
            Error::Syntax { .. } => "42601",
            Error::UndefinedRelation(_) => "42P01",
            Error::InvalidText(_) => "22P02",
            Error::DatetimeOverflow(_) => "22008",
            Error::UndefinedOperator(_) => "42883",
            Error::SubqueryRows => "21000",
            Error::DuplicateAlias(_) => "42712",
            Error::Postgres { sqlstate, .. } => sqlstate,
        }
    }

    /// The message a client gets: Postgres' words for the mistakes Postgres users make
    /// (`column "x" does not exist`, `division by zero`, `invalid input syntax for type integer:
    /// "x"`), DataFusion's own message for the rest, without the wrapping that names its internals
    /// (`Optimizer rule … failed`, `Arrow error:`), which the server logs instead.
    pub fn message(&self) -> String {
        match self {
            Error::DataFusion(e) => {
                let root = e.find_root();
                if let Some(inner) = hangar_error(root) {
                    return inner.message();
                }
                postgres_words(root).map_or_else(|| root.message().into_owned(), |w| w.message)
            }
            other => other.to_string(),
        }
    }

    /// The 1-based character position in `sql`, the text the statement came in, that the error
    /// points at, as Postgres gives it: where the parser stopped, the missing relation or column,
    /// the literal that is not valid input for its type.
    pub fn position(&self, sql: &str) -> Option<usize> {
        match self {
            Error::Syntax { position, .. } => *position,
            Error::UndefinedRelation(name) => Anchor::Word(name.clone()).position(sql),
            Error::UndefinedOperator(message) => {
                let symbol = message.split(' ').rev().nth(1)?;
                Anchor::Operator(symbol.into()).position(sql)
            }
            Error::Postgres { anchor, .. } => anchor.position(sql),
            Error::DataFusion(e) => {
                let root = e.find_root();
                match hangar_error(root) {
                    Some(inner) => inner.position(sql),
                    None => postgres_words(root)?.anchor.position(sql),
                }
            }
            _ => None,
        }
    }
}

/// The Hangar error a function raised inside DataFusion, if `root` is one.
fn hangar_error(root: &DataFusionError) -> Option<&Error> {
    match root {
        DataFusionError::External(e) => e.downcast_ref::<Error>(),
        _ => None,
    }
}

/// The SQLSTATE of a DataFusion error (its root cause, for a wrapped one): Postgres' where
/// Hangar words the error, else by its kind.
pub(crate) fn datafusion_sqlstate(error: &DataFusionError) -> &'static str {
    if let Some(inner) = hangar_error(error) {
        return inner.sqlstate();
    }
    if let Some(words) = postgres_words(error) {
        return words.sqlstate;
    }
    match error {
        DataFusionError::SQL(..) => "42601",
        DataFusionError::SchemaError(..) => "42701",
        DataFusionError::Plan(msg) => plan_sqlstate(msg),
        DataFusionError::NotImplemented(_) => "0A000",
        DataFusionError::ResourcesExhausted(_) => "53200",
        DataFusionError::ArrowError(e, _) => match e.as_ref() {
            ArrowError::CastError(_) | ArrowError::ParseError(_) => "22P02",
            ArrowError::ArithmeticOverflow(_) => "22003",
            ArrowError::MemoryError(_) => "53200",
            ArrowError::IoError(..) => "58030",
            _ => "XX000",
        },
        DataFusionError::ObjectStore(_) | DataFusionError::IoError(_) => "58030",
        DataFusionError::ParquetError(e) => match e.as_ref() {
            datafusion::parquet::errors::ParquetError::NYI(_) => "0A000",
            _ => "XX001",
        },
        DataFusionError::Execution(_) => "22000",
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
    use datafusion::common::SchemaError;

    use super::*;

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

    #[test]
    fn datafusion_errors_read_in_postgres_words() {
        let arrow = |e: ArrowError| {
            Error::DataFusion(DataFusionError::Context(
                "Optimizer rule 'simplify_expressions' failed".into(),
                Box::new(DataFusionError::ArrowError(Box::new(e), None)),
            ))
        };
        let cast = arrow(ArrowError::CastError(
            "Cannot cast string 'abc' to value of Int32 type".into(),
        ));
        assert_eq!(
            cast.message(),
            "invalid input syntax for type integer: \"abc\""
        );
        assert_eq!(cast.position("SELECT 'abc'::integer"), Some(8));
        assert_eq!(
            arrow(ArrowError::DivideByZero).message(),
            "division by zero"
        );
        let missing = Error::DataFusion(DataFusionError::SchemaError(
            Box::new(SchemaError::FieldNotFound {
                field: Box::new(datafusion::common::Column::from_name("n_nam")),
                valid_fields: vec![],
            }),
            Box::new(None),
        ));
        assert_eq!(missing.message(), "column \"n_nam\" does not exist");
        assert_eq!(
            missing.position("SELECT n_name, n_nam FROM nation"),
            Some(16)
        );
        let relation = Error::UndefinedRelation("nations".into());
        assert_eq!(relation.position("SELECT * FROM nations"), Some(15));
    }
}
