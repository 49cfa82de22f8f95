//! `WITH ORDINALITY` on a function in `FROM`, which DataFusion refuses for `unnest` and ignores
//! for table functions: `f(args) WITH ORDINALITY AS t(a, n)` is the function's rows numbered from
//! 1 in the order it returns them, `(SELECT *, row_number() OVER () AS n FROM f(args) AS t(a)) AS
//! t`. The last column alias names the ordinal when there are more aliases than the function has
//! columns; otherwise it is `ordinality`, as in Postgres.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Ident, Statement, TableAlias, TableFactor, VisitMut, VisitorMut,
};

use crate::statement::parse_table_factor;

/// Table functions of two columns (the rest have one).
const TWO_COLUMNS: [&str; 4] = [
    "json_each",
    "json_each_text",
    "jsonb_each",
    "jsonb_each_text",
];

/// Rewrites `statement`'s functions `WITH ORDINALITY` into numbered rows.
pub(crate) fn rewrite_ordinality(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Numbering);
    statement
}

struct Numbering;

impl VisitorMut for Numbering {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        let columns = match &*factor {
            TableFactor::UNNEST {
                array_exprs,
                with_offset: false,
                with_ordinality: true,
                ..
            } => array_exprs.len(),
            TableFactor::Table {
                name,
                args: Some(_),
                with_ordinality: true,
                ..
            } => {
                let function = super::from_functions::function_name(name).unwrap_or_default();
                1 + usize::from(TWO_COLUMNS.contains(&function.as_str()))
            }
            _ => return ControlFlow::Continue(()),
        };
        let mut function = factor.clone();
        let (TableFactor::UNNEST {
            alias,
            with_ordinality,
            ..
        }
        | TableFactor::Table {
            alias,
            with_ordinality,
            ..
        }) = &mut function
        else {
            return ControlFlow::Continue(());
        };
        *with_ordinality = false;
        let mut inner = alias.take();
        let ordinal = inner
            .as_mut()
            .filter(|a| a.columns.len() > columns)
            .and_then(|a| a.columns.pop())
            .map_or_else(|| Ident::new("ordinality"), |c| c.name);
        let as_alias = |a: TableAlias| {
            let a = TableAlias {
                explicit: true,
                ..a
            };
            format!(" {a}")
        };
        let outer = inner.as_ref().map(|a| TableAlias {
            columns: vec![],
            ..a.clone()
        });
        let inner = inner.map_or_else(String::new, as_alias);
        let outer = outer.map_or_else(String::new, as_alias);
        if let Some(numbered) = parse_table_factor(&format!(
            "(SELECT *, row_number() OVER () AS {ordinal} FROM {function}{inner}){outer}"
        )) {
            *factor = numbered;
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn the_last_extra_alias_names_the_ordinal() {
        assert_eq!(
            rewritten(
                "SELECT * FROM unnest(ARRAY[3, 1]) WITH ORDINALITY AS t(x, n)",
                rewrite_ordinality
            ),
            "SELECT * FROM (SELECT *, row_number() OVER () AS n \
             FROM UNNEST(ARRAY[3, 1]) AS t (x)) AS t"
        );
        assert_eq!(
            rewritten(
                "SELECT * FROM generate_series(1, 2) WITH ORDINALITY",
                rewrite_ordinality
            ),
            "SELECT * FROM (SELECT *, row_number() OVER () AS ordinality \
             FROM generate_series(1, 2))"
        );
    }
}
