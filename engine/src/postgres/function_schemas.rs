//! A function named with a schema that does not exist is an error (`3F000`, schema "s" does not
//! exist), as in Postgres: the Postgres-compatibility parser drops a function's schema (DataFusion
//! looks functions up by their last name alone), so `nosuchschema.lower('a')` answered. Checked
//! on the statement as written, before that parser's rewrites.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Statement, Visit, Visitor};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

use crate::{Anchor, Error, Result};

/// Schemas every session has, besides the catalog's.
const SYSTEM_SCHEMAS: [&str; 2] = ["pg_catalog", "information_schema"];

/// Fails with `3F000` when a function of `sql` is named with a schema for which `exists` does not
/// hold (nor is a system schema). Only text that may name one (a name, a dot, a name and a
/// parenthesis) is parsed; text that does not parse is left to the parser's error.
pub(crate) fn check_function_schemas(sql: &str, exists: &dyn Fn(&str) -> bool) -> Result<()> {
    if !may_qualify_a_function(sql) {
        return Ok(());
    }
    let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, sql) else {
        return Ok(());
    };
    statements
        .iter()
        .try_for_each(|statement| check_statement(statement, exists))
}

/// Whether `sql` has a dot between a name and a name followed by a parenthesis.
fn may_qualify_a_function(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'"';
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'.'
            && i > 0
            && is_name(bytes[i - 1])
            && bytes[i + 1..]
                .iter()
                .find(|&&c| !is_name(c))
                .is_some_and(|&c| c == b'(')
    })
}

/// Fails with `3F000` when a function of `statement` is named with a schema for which `exists`
/// does not hold (nor is a system schema).
fn check_statement(statement: &Statement, exists: &dyn Fn(&str) -> bool) -> Result<()> {
    let mut missing = None;
    let _ = statement.visit(&mut Schemas {
        exists,
        missing: &mut missing,
    });
    match missing {
        Some(schema) => Err(Error::postgres(
            "3F000",
            format!("schema \"{schema}\" does not exist"),
            Anchor::Word(schema),
        )),
        None => Ok(()),
    }
}

struct Schemas<'a> {
    exists: &'a dyn Fn(&str) -> bool,
    missing: &'a mut Option<String>,
}

impl Visitor for Schemas<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        let Expr::Function(call) = expr else {
            return ControlFlow::Continue(());
        };
        let parts = &call.name.0;
        let Some(schema) = parts.first().and_then(|p| p.as_ident()) else {
            return ControlFlow::Continue(());
        };
        let name = match schema.quote_style {
            Some(_) => schema.value.clone(),
            None => schema.value.to_lowercase(),
        };
        if parts.len() == 2 && !SYSTEM_SCHEMAS.contains(&name.as_str()) && !(self.exists)(&name) {
            *self.missing = Some(name);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_of_a_missing_schema_is_an_error() {
        let exists = |s: &str| s == "public";
        let check = |sql: &str| check_function_schemas(sql, &exists).is_ok();
        assert!(!check("SELECT x FROM t WHERE nosuchschema.lower(x) = 'a'"));
        assert!(check(
            "SELECT pg_catalog.lower('a'), public.f(1), lower('b')"
        ));
        assert!(check("SELECT t.x FROM t WHERE (t.y) = 1"));
    }
}
