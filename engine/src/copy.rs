//! `COPY … TO STDOUT`: a query's rows streamed to the client in one of Postgres's copy formats.
//! The engine reads the statement and its options; the frontend encodes the rows.
//!
//! `COPY … TO 'file'` is DataFusion's own statement (planned elsewhere), and `COPY … FROM STDIN`
//! is refused: tables are loaded with `CREATE TABLE … AS` or `INSERT`.

use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, CopyTarget, Query,
    Statement as SqlStatement,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

use crate::{Error, Result};

/// How `COPY … TO STDOUT` lays out its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFormat {
    /// Postgres's text format: `delimiter`-separated values, backslash escapes, `null` for NULL.
    Text {
        /// Column separator (a tab unless set).
        delimiter: char,
        /// How NULL reads (`\N` unless set).
        null: String,
        /// Whether a first line names the columns.
        header: bool,
    },
    /// CSV: values quoted where needed, `null` for NULL.
    Csv {
        /// Column separator (a comma unless set).
        delimiter: char,
        /// How NULL reads (empty unless set).
        null: String,
        /// Whether a first line names the columns.
        header: bool,
        /// The quoting character (`"` unless set).
        quote: char,
        /// What escapes a quote inside a quoted value (the quote itself unless set).
        escape: char,
    },
    /// Postgres's binary copy format: a header, then each row's fields in binary.
    Binary,
}

/// A `COPY … TO STDOUT` read out of its statement: the query to run and the format of its rows.
#[derive(Debug)]
pub(crate) struct CopyToStdout {
    /// The rows to copy, as a query.
    pub(crate) query: Box<Query>,
    pub(crate) format: CopyFormat,
}

/// Whether the statement copies to or from the client (`STDOUT`/`STDIN`), which Hangar plans
/// itself; other COPY statements are DataFusion's.
pub(crate) fn is_client_copy(statement: &SqlStatement) -> bool {
    matches!(
        statement,
        SqlStatement::Copy {
            target: CopyTarget::Stdout | CopyTarget::Stdin,
            ..
        }
    )
}

/// Reads a `COPY … TO STDOUT` statement; `COPY … FROM STDIN` and unknown options are errors.
pub(crate) fn read(statement: &SqlStatement) -> Result<CopyToStdout> {
    let SqlStatement::Copy {
        source,
        to,
        options,
        legacy_options,
        ..
    } = statement
    else {
        return Err(Error::NotSupported(format!("not a COPY: {statement}")));
    };
    if !to {
        return Err(Error::NotSupported(
            "COPY FROM STDIN is not supported: load rows with INSERT or CREATE TABLE … AS".into(),
        ));
    }
    let query = match source {
        CopySource::Query(query) => query.clone(),
        CopySource::Table {
            table_name,
            columns,
        } => {
            let columns: Vec<String> = columns.iter().map(ToString::to_string).collect();
            let columns = if columns.is_empty() {
                "*".to_string()
            } else {
                columns.join(", ")
            };
            Parser::new(&PostgreSqlDialect {})
                .try_with_sql(&format!("SELECT {columns} FROM {table_name}"))?
                .parse_query()?
        }
    };
    Ok(CopyToStdout {
        query,
        format: Options::read(options, legacy_options)?.format()?,
    })
}

/// The options as written, before they are checked against the format.
#[derive(Default)]
struct Options {
    format: Option<String>,
    delimiter: Option<char>,
    null: Option<String>,
    header: bool,
    quote: Option<char>,
    escape: Option<char>,
}

impl Options {
    fn read(options: &[CopyOption], legacy: &[CopyLegacyOption]) -> Result<Self> {
        let mut read = Options::default();
        for option in options {
            match option {
                CopyOption::Format(name) => read.format = Some(name.value.to_ascii_lowercase()),
                CopyOption::Delimiter(c) => read.delimiter = Some(*c),
                CopyOption::Null(s) => read.null = Some(s.clone()),
                CopyOption::Header(on) => read.header = *on,
                CopyOption::Quote(c) => read.quote = Some(*c),
                CopyOption::Escape(c) => read.escape = Some(*c),
                CopyOption::Encoding(e)
                    if e.eq_ignore_ascii_case("utf8") || e.eq_ignore_ascii_case("utf-8") => {}
                other => return Err(unsupported(other)),
            }
        }
        for option in legacy {
            match option {
                CopyLegacyOption::Binary => read.format = Some("binary".into()),
                CopyLegacyOption::Delimiter(c) => read.delimiter = Some(*c),
                CopyLegacyOption::Null(s) => read.null = Some(s.clone()),
                CopyLegacyOption::Header => read.header = true,
                CopyLegacyOption::Csv(csv) => {
                    read.format = Some("csv".into());
                    for option in csv {
                        match option {
                            CopyLegacyCsvOption::Header => read.header = true,
                            CopyLegacyCsvOption::Quote(c) => read.quote = Some(*c),
                            CopyLegacyCsvOption::Escape(c) => read.escape = Some(*c),
                            other => return Err(unsupported(other)),
                        }
                    }
                }
                other => return Err(unsupported(other)),
            }
        }
        Ok(read)
    }

    fn format(self) -> Result<CopyFormat> {
        let csv_only = |set: bool, name: &str| {
            if set {
                Err(Error::InvalidParameter(format!(
                    "COPY {name} is available only in CSV mode"
                )))
            } else {
                Ok(())
            }
        };
        match self.format.as_deref().unwrap_or("text") {
            "text" => {
                csv_only(self.quote.is_some(), "QUOTE")?;
                csv_only(self.escape.is_some(), "ESCAPE")?;
                Ok(CopyFormat::Text {
                    delimiter: self.delimiter.unwrap_or('\t'),
                    null: self.null.unwrap_or_else(|| "\\N".into()),
                    header: self.header,
                })
            }
            "csv" => {
                let quote = self.quote.unwrap_or('"');
                Ok(CopyFormat::Csv {
                    delimiter: self.delimiter.unwrap_or(','),
                    null: self.null.unwrap_or_default(),
                    header: self.header,
                    quote,
                    escape: self.escape.unwrap_or(quote),
                })
            }
            "binary" => {
                if self.delimiter.is_some() || self.null.is_some() || self.header {
                    return Err(Error::InvalidParameter(
                        "COPY BINARY takes no DELIMITER, NULL or HEADER".into(),
                    ));
                }
                csv_only(self.quote.is_some(), "QUOTE")?;
                Ok(CopyFormat::Binary)
            }
            other => Err(Error::InvalidParameter(format!(
                "COPY format \"{other}\" not recognized"
            ))),
        }
    }
}

fn unsupported(option: &dyn std::fmt::Display) -> Error {
    Error::NotSupported(format!("COPY option {option} is not supported"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(sql: &str) -> Result<CopyToStdout> {
        let statement = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .unwrap()
            .pop()
            .unwrap();
        assert!(is_client_copy(&statement), "{sql}");
        read(&statement)
    }

    #[test]
    fn formats_and_their_defaults() {
        let text = copy("COPY (SELECT 1) TO STDOUT").unwrap();
        assert_eq!(text.query.to_string(), "SELECT 1");
        assert_eq!(
            text.format,
            CopyFormat::Text {
                delimiter: '\t',
                null: "\\N".into(),
                header: false
            }
        );
        let csv =
            copy("COPY t (a, \"B\") TO STDOUT WITH (FORMAT csv, HEADER, QUOTE '''')").unwrap();
        assert_eq!(csv.query.to_string(), "SELECT a, \"B\" FROM t");
        assert_eq!(
            csv.format,
            CopyFormat::Csv {
                delimiter: ',',
                null: String::new(),
                header: true,
                quote: '\'',
                escape: '\''
            }
        );
        let legacy = copy("COPY t TO STDOUT WITH CSV HEADER").unwrap();
        assert!(matches!(
            legacy.format,
            CopyFormat::Csv { header: true, .. }
        ));
        assert_eq!(
            copy("COPY t TO STDOUT (FORMAT binary)").unwrap().format,
            CopyFormat::Binary
        );
    }

    #[test]
    fn what_copy_cannot_do_is_an_error() {
        for sql in [
            "COPY t FROM STDIN",
            "COPY t TO STDOUT (FORMAT xml)",
            "COPY t TO STDOUT (QUOTE '\"')",
            "COPY t TO STDOUT (FORMAT binary, HEADER)",
            "COPY t TO STDOUT (FORCE_NOT_NULL (a))",
        ] {
            assert!(copy(sql).is_err(), "{sql}");
        }
    }
}
