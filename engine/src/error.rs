//! Errors of the engine, classified by SQLSTATE (the SQL standard's error codes) so each frontend
//! maps them to its protocol in one place.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
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
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ParserError> for Error {
    fn from(e: ParserError) -> Self {
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
            Error::Syntax { .. } => "42601",
            Error::UndefinedRelation(_) => "42P01",
            Error::InvalidText(_) => "22P02",
            Error::DatetimeOverflow(_) => "22008",
            Error::UndefinedOperator(_) => "42883",
            Error::SubqueryRows => "21000",
            Error::DuplicateAlias(_) => "42712",
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
                postgres_message(root).unwrap_or_else(|| root.message().into_owned())
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
            Error::UndefinedRelation(name) => find_word(sql, name),
            Error::DataFusion(e) => match e.find_root() {
                DataFusionError::SchemaError(e, _) => match e.as_ref() {
                    SchemaError::FieldNotFound { field, .. } => match &field.relation {
                        Some(relation) => find_word(sql, &format!("{relation}.{}", field.name)),
                        None => find_word(sql, &field.name),
                    },
                    SchemaError::AmbiguousReference { field } => find_word(sql, &field.name),
                    _ => None,
                },
                DataFusionError::ArrowError(e, _) => match e.as_ref() {
                    ArrowError::CastError(text) | ArrowError::ParseError(text) => {
                        let (value, _) = invalid_value(text)?;
                        find_text(sql, &format!("'{value}'"))
                    }
                    _ => None,
                },
                DataFusionError::Plan(text) => {
                    let column = ungrouped_column(text)?;
                    find_word(sql, column.rsplit('.').next()?)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A parse error of `sql` in Postgres' words, pointing at where the parser stopped: the SQL
    /// parsers say `Expected: …, found: x`; Postgres says `syntax error at or near "x"`.
    pub(crate) fn syntax(self, sql: &str) -> Error {
        let Error::DataFusion(DataFusionError::SQL(parser_error, _)) = &self else {
            return self;
        };
        let text = match parser_error.as_ref() {
            ParserError::TokenizerError(text) | ParserError::ParserError(text) => text.clone(),
            ParserError::RecursionLimitExceeded => return self,
        };
        // The Postgres-compatibility parser's errors carry no location; Postgres' grammar as
        // sqlparser reads it says where it stopped.
        let located = match Parser::parse_sql(&PostgreSqlDialect {}, sql) {
            Err(ParserError::TokenizerError(t) | ParserError::ParserError(t)) => t,
            _ => text,
        };
        let (message, location) = match located.rsplit_once(" at Line: ") {
            Some((message, location)) => (message.to_string(), Some(location.to_string())),
            None => (located, None),
        };
        let position = location.and_then(|l| {
            let (line, column) = l.split_once(", Column: ")?;
            char_position(sql, line.trim().parse().ok()?, column.trim().parse().ok()?)
        });
        if let Some(found) = message.split(", found: ").nth(1) {
            return match found.trim() {
                "EOF" => Error::Syntax {
                    message: "syntax error at end of input".into(),
                    position: Some(sql.trim_end().chars().count() + 1),
                },
                near => {
                    // The location when it points at the token, else the token's first place.
                    let at_token = position.filter(|p| {
                        let rest: String = sql
                            .chars()
                            .skip(p.saturating_sub(1))
                            .take(near.len())
                            .collect();
                        rest.eq_ignore_ascii_case(near)
                    });
                    Error::Syntax {
                        message: format!("syntax error at or near \"{near}\""),
                        position: at_token.or_else(|| find_word(sql, near)),
                    }
                }
            };
        }
        if message.starts_with("Unterminated string literal") {
            let near: String = position
                .map(|p| sql.chars().skip(p.saturating_sub(1)).collect())
                .unwrap_or_default();
            return Error::Syntax {
                message: format!("unterminated quoted string at or near \"{near}\""),
                position,
            };
        }
        Error::Syntax { message, position }
    }
}

/// The character offset (from 1) of a 1-based line and column of `sql`.
fn char_position(sql: &str, line: usize, column: usize) -> Option<usize> {
    let before: usize = sql
        .split('\n')
        .take(line.checked_sub(1)?)
        .map(|l| l.chars().count() + 1)
        .sum();
    Some(before + column)
}

/// Postgres' message for a DataFusion error, where Hangar knows its wording.
fn postgres_message(error: &DataFusionError) -> Option<String> {
    match error {
        DataFusionError::SchemaError(e, _) => match e.as_ref() {
            SchemaError::FieldNotFound { field, .. } => Some(match &field.relation {
                Some(relation) => format!("column {relation}.{} does not exist", field.name),
                None => format!("column \"{}\" does not exist", field.name),
            }),
            SchemaError::AmbiguousReference { field } => {
                Some(format!("column reference \"{}\" is ambiguous", field.name))
            }
            SchemaError::DuplicateUnqualifiedField { name } => {
                Some(format!("column \"{name}\" specified more than once"))
            }
            _ => None,
        },
        DataFusionError::ArrowError(e, _) => match e.as_ref() {
            ArrowError::DivideByZero => Some("division by zero".into()),
            // Hangar's checked integer operators say it as Postgres does.
            ArrowError::ArithmeticOverflow(text) if text.ends_with(" out of range") => {
                Some(text.clone())
            }
            ArrowError::CastError(text) | ArrowError::ParseError(text) => {
                bad_input(text).map(|(message, _)| message)
            }
            ArrowError::InvalidArgumentError(text) if is_numeric_overflow(text) => {
                Some("numeric field overflow".into())
            }
            _ => None,
        },
        DataFusionError::Execution(text)
            if text.to_ascii_lowercase().contains("divide by zero") =>
        {
            Some("division by zero".into())
        }
        DataFusionError::Plan(text) => ungrouped_column(text).map(|column| {
            format!(
                "column \"{column}\" must appear in the GROUP BY clause or be used in an \
                 aggregate function"
            )
        }),
        _ => None,
    }
}

/// The column DataFusion's `… column "nation.n_name" must appear in the GROUP BY clause …` names.
fn ungrouped_column(text: &str) -> Option<&str> {
    let (before, _) = text.split_once("\" must appear in the GROUP BY clause")?;
    before.rsplit_once("column \"").map(|(_, column)| column)
}

/// Postgres' message and SQLSTATE for input its type refuses, from Arrow's cast and parse
/// errors (`Cannot cast string 'x' to value of Int32 type`, `Can't cast value 40000 to type
/// Int16`, `Error parsing timestamp from 'x': …`):
/// - an integer that does not fit: `value "3000000000" is out of range for type integer` for
///   text, `smallint out of range` for a number (22003);
/// - a date or time well formed but not on the calendar or the clock: `date/time field value out
///   of range: "2024-02-30"` (22008);
/// - else `invalid input syntax for type date: "x"` (22007 for dates and times, else 22P02).
fn bad_input(text: &str) -> Option<(String, &'static str)> {
    if let Some(arrow_type) = text
        .strip_prefix("Can't cast value ")
        .and_then(|rest| rest.rsplit_once(" to type "))
        .map(|(_, t)| t)
    {
        let pg_type = pg_type_name(arrow_type).filter(|t| is_integer(t))?;
        return Some((format!("{pg_type} out of range"), "22003"));
    }
    let (value, pg_type) = invalid_value(text)?;
    let value = value.trim();
    Some(if is_integer(pg_type) && value.parse::<i128>().is_ok() {
        (
            format!("value \"{value}\" is out of range for type {pg_type}"),
            "22003",
        )
    } else if matches!(pg_type, "date" | "timestamp") && looks_like_date_time(value) {
        (
            format!("date/time field value out of range: \"{value}\""),
            "22008",
        )
    } else {
        let code = if matches!(pg_type, "date" | "timestamp") {
            "22007"
        } else {
            "22P02"
        };
        (
            format!("invalid input syntax for type {pg_type}: \"{value}\""),
            code,
        )
    })
}

fn is_integer(pg_type: &str) -> bool {
    matches!(pg_type, "smallint" | "integer" | "bigint")
}

/// Whether `value` is written as a date (`2024-02-30`), perhaps with a time (`… 25:00:00`).
fn looks_like_date_time(value: &str) -> bool {
    let shape: String = value
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    let (date, time) = shape.split_once(' ').unwrap_or((&shape, ""));
    date == "9999-99-99" && (time.is_empty() || time.starts_with("99:99"))
}

/// The text and the Postgres type of Arrow's cast and parse errors: `Cannot cast string 'x' to
/// value of Int32 type`, `Cannot cast value 'x' to value of Boolean type`, `Error parsing
/// timestamp from 'x': …`.
fn invalid_value(text: &str) -> Option<(&str, &'static str)> {
    if let Some(rest) = text.strip_prefix("Error parsing timestamp from '") {
        return Some((rest.rsplit_once("': ")?.0, "timestamp"));
    }
    let rest = text
        .strip_prefix("Cannot cast string '")
        .or_else(|| text.strip_prefix("Cannot cast value '"))?;
    let (value, rest) = rest.rsplit_once("' to value of ")?;
    Some((value, pg_type_name(rest.strip_suffix(" type")?)?))
}

/// The Postgres name of an Arrow type as Arrow's cast errors write it (`Int32`).
fn pg_type_name(arrow_type: &str) -> Option<&'static str> {
    Some(match arrow_type {
        "Int16" => "smallint",
        "Int32" => "integer",
        "Int64" => "bigint",
        "Float32" => "real",
        "Float64" => "double precision",
        "Boolean" => "boolean",
        "Date32" => "date",
        t if t.starts_with("Decimal") => "numeric",
        _ => return None,
    })
}

/// The 1-based character position of the first occurrence of `text` in `sql`.
fn find_text(sql: &str, text: &str) -> Option<usize> {
    let at = sql.find(text)?;
    Some(sql[..at].chars().count() + 1)
}

/// The 1-based character position of the first place `word` stands in `sql` as a token of its
/// own (case-insensitive; a quoted identifier as quoted).
fn find_word(sql: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let lower = sql.to_lowercase();
    let quoted = format!("\"{word}\"");
    if word.chars().any(char::is_uppercase)
        && let Some(at) = find_text(sql, &quoted)
    {
        return Some(at);
    }
    let needle = word.to_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let before = lower[..start].chars().next_back();
        let after = lower[end..].chars().next();
        let alone = |c: Option<char>| !c.is_some_and(is_ident) || !needle.starts_with(is_ident);
        if alone(before) && (!after.is_some_and(is_ident) || !needle.ends_with(is_ident)) {
            return Some(lower[..start].chars().count() + 1);
        }
        from = end;
    }
    None
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
            ArrowError::CastError(text) | ArrowError::ParseError(text) => {
                bad_input(text).map_or("22P02", |(_, code)| code)
            }
            ArrowError::InvalidArgumentError(text) if is_numeric_overflow(text) => "22003",
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

/// Arrow's words for a decimal too large for its precision (`1000.00 is too large to store in a
/// Decimal128 of precision 5`), which Postgres calls a numeric field overflow.
fn is_numeric_overflow(text: &str) -> bool {
    text.contains(" is too large to store in a Decimal")
}

/// DataFusion reports most semantic errors as plan errors; tell the common ones apart by message.
fn plan_sqlstate(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if ungrouped_column(message).is_some() {
        "42803"
    } else if m.contains("table '") && m.contains("not found") {
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
    fn parse_errors_read_as_postgres_syntax_errors() {
        let syntax = |sql: &str, found: &str| {
            let error = Error::from(ParserError::ParserError(format!(
                "Expected: an expression, found: {found}"
            )))
            .syntax(sql);
            (error.message(), error.position(sql), error.sqlstate())
        };
        assert_eq!(
            syntax("selec 1", "selec"),
            ("syntax error at or near \"selec\"".into(), Some(1), "42601")
        );
        assert_eq!(
            syntax("SELECT n_name, FROM nation", "FROM"),
            ("syntax error at or near \"FROM\"".into(), Some(16), "42601")
        );
        assert_eq!(
            syntax("SELECT * FROM", "EOF"),
            ("syntax error at end of input".into(), Some(14), "42601")
        );
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
