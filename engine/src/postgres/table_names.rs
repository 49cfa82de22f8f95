//! Each table of a `FROM` goes by one name, as Postgres requires: `FROM nation n, region n` is an
//! error (42712, table name "n" specified more than once), where DataFusion planned it and left
//! `n.x` to mean either table. A table's name is its alias, else its name as written.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Select, Statement, TableFactor, Visit, Visitor};

use crate::{Error, Result};

/// The first name two tables of one `FROM` in `statement` share, as an error.
pub(crate) fn check_table_names(statement: &Statement) -> Result<()> {
    match statement.visit(&mut Names) {
        ControlFlow::Break(name) => Err(Error::DuplicateAlias(name)),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Names;

impl Visitor for Names {
    type Break = String;

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<String> {
        let mut seen = HashSet::new();
        let factors = select
            .from
            .iter()
            .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
        for factor in factors {
            if let Some(name) = name_of(factor)
                && !seen.insert(name.clone())
            {
                return ControlFlow::Break(name);
            }
        }
        ControlFlow::Continue(())
    }
}

/// The name a table of a `FROM` goes by: its alias, else a table's name as written.
fn name_of(factor: &TableFactor) -> Option<String> {
    let alias = match factor {
        TableFactor::Table { alias, .. }
        | TableFactor::Derived { alias, .. }
        | TableFactor::Function { alias, .. }
        | TableFactor::UNNEST { alias, .. } => alias.as_ref(),
        _ => None,
    };
    match (alias, factor) {
        (Some(alias), _) => Some(alias.name.value.clone()),
        (
            None,
            TableFactor::Table {
                name, args: None, ..
            },
        ) => Some(name.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    #[test]
    fn tables_of_one_from_need_names_of_their_own() {
        let check = |sql: &str| {
            check_table_names(&parse_statement(sql))
                .err()
                .map(|e| e.to_string())
        };
        assert_eq!(
            check("SELECT * FROM nation n, region n"),
            Some("table name \"n\" specified more than once".into())
        );
        assert_eq!(
            check("SELECT * FROM t JOIN t ON true"),
            Some("table name \"t\" specified more than once".into())
        );
        for sql in [
            "SELECT * FROM t a JOIN t b ON true",
            "SELECT * FROM t WHERE x IN (SELECT x FROM t)",
            "SELECT * FROM (SELECT 1) AS s, (SELECT 2) AS u",
        ] {
            assert_eq!(check(sql), None, "{sql}");
        }
    }
}
