//! Parse errors in Postgres' words: the SQL parsers say `Expected: …, found: x`; Postgres says
//! `syntax error at or near "x"`, pointing at where it stopped.

use datafusion::error::DataFusionError;
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};

use super::Error;
use super::anchor::{char_position, find_word};

impl Error {
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
                    let position = at_token.or_else(|| find_word(sql, near));
                    if let Some(refusal) = unsupported_syntax(near) {
                        return Error::NotSupported(refusal.into());
                    }
                    Error::Syntax {
                        message: format!("syntax error at or near \"{near}\""),
                        position,
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

/// Postgres syntax the SQL parser does not know, which Hangar refuses with `0A000` and the
/// workaround rather than a syntax error: a window frame's `EXCLUDE` (the parser stops at it).
fn unsupported_syntax(near: &str) -> Option<&'static str> {
    near.eq_ignore_ascii_case("EXCLUDE").then_some(
        "window frames with EXCLUDE are not supported; aggregate the whole frame and take the \
         excluded rows out (sum(x) OVER w - x for EXCLUDE CURRENT ROW)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let refused = |sql: &str, found: &str| {
            Error::from(ParserError::ParserError(format!(
                "Expected: something, found: {found}"
            )))
            .syntax(sql)
            .sqlstate()
        };
        assert_eq!(
            refused(
                "SELECT sum(x) OVER (ROWS UNBOUNDED PRECEDING EXCLUDE TIES) FROM t",
                "EXCLUDE"
            ),
            "0A000"
        );
        assert_eq!(
            syntax("SELECT * FROM", "EOF"),
            ("syntax error at end of input".into(), Some(14), "42601")
        );
    }
}
