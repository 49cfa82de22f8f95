//! What a server answers to one statement, in the two result formats, as comparable values.

use std::fmt;
use std::time::Duration;

use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{Client, SimpleQueryMessage};

/// How long one statement may take before it counts as a difference.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A server's answer to a statement in one result format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Rows: the result columns (name, and in binary format the type) and each row's values as
    /// `psql -At` prints them (`|` between values, NULL empty), or in binary as hex.
    Rows {
        columns: Vec<String>,
        rows: Vec<String>,
    },
    /// An error: SQLSTATE, primary message and the cursor position it points at.
    Error {
        code: String,
        message: String,
        position: Option<u32>,
    },
    /// No answer in time, or the connection broke.
    Lost(String),
}

impl Outcome {
    /// Whether this is Hangar refusing what it does not support.
    pub(super) fn is_refusal(&self) -> bool {
        matches!(self, Outcome::Error { code, .. } if code == "0A000")
    }

    /// Whether this is an error of any kind.
    pub(super) fn is_error(&self) -> bool {
        !matches!(self, Outcome::Rows { .. })
    }

    /// Whether the connection must be replaced before the next statement.
    pub(super) fn is_lost(&self) -> bool {
        matches!(self, Outcome::Lost(_))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Rows { columns, rows } => {
                write!(f, "[{}]", columns.join(" | "))?;
                for row in rows {
                    write!(f, "\n    {row}")?;
                }
                Ok(())
            }
            Outcome::Error {
                code,
                message,
                position,
            } => {
                write!(f, "ERROR {code}: {message}")?;
                if let Some(position) = position {
                    write!(f, " (at {position})")?;
                }
                Ok(())
            }
            Outcome::Lost(why) => write!(f, "LOST: {why}"),
        }
    }
}

/// The statement through the simple query protocol: text results, as psql gets them.
pub(super) async fn text(client: &Client, sql: &str) -> Outcome {
    let messages = match tokio::time::timeout(TIMEOUT, client.simple_query(sql)).await {
        Err(_) => return Outcome::Lost("timed out".into()),
        Ok(Err(error)) => return error_outcome(&error),
        Ok(Ok(messages)) => messages,
    };
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    for message in messages {
        match message {
            SimpleQueryMessage::RowDescription(described) => {
                columns = described.iter().map(|c| c.name().to_string()).collect();
            }
            SimpleQueryMessage::Row(row) => rows.push(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            _ => {}
        }
    }
    Outcome::Rows { columns, rows }
}

/// The statement prepared and executed through the extended protocol with binary results, as
/// drivers run it: each column's name and type, each value's bytes.
pub(super) async fn binary(client: &Client, sql: &str) -> Outcome {
    let run = async {
        let statement = client.prepare(sql).await?;
        let columns = statement
            .columns()
            .iter()
            .map(|c| format!("{} {}", c.name(), c.type_().name()))
            .collect();
        let rows = client
            .query(&statement, &[])
            .await?
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match row.get::<_, Option<Raw>>(i) {
                        None => "NULL".to_string(),
                        Some(Raw(bytes)) => hex(&bytes),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        Ok::<_, tokio_postgres::Error>(Outcome::Rows { columns, rows })
    };
    match tokio::time::timeout(TIMEOUT, run).await {
        Err(_) => Outcome::Lost("timed out".into()),
        Ok(Err(error)) => error_outcome(&error),
        Ok(Ok(outcome)) => outcome,
    }
}

fn error_outcome(error: &tokio_postgres::Error) -> Outcome {
    match error.as_db_error() {
        Some(db) => Outcome::Error {
            code: db.code().code().to_string(),
            message: db.message().to_string(),
            position: match db.position() {
                Some(tokio_postgres::error::ErrorPosition::Original(at)) => Some(*at),
                _ => None,
            },
        },
        None => Outcome::Lost(error.to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A value's bytes in binary format, whatever its type.
struct Raw(Vec<u8>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw.to_vec()))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}
