//! What Hangar refuses before planning because DataFusion would answer it otherwise than
//! Postgres: `EXCEPT ALL` and `INTERSECT ALL`, which DataFusion plans as their set forms' joins
//! without the counting (`{1, 2, 2, 3} EXCEPT ALL {2}` gave `{1, 3}`, Postgres `{1, 2, 3}`), and
//! `WITH ORDINALITY` on a function [`super::ordinality`] does not number (DataFusion ignored it).
//! Documented in `docs/compatibility.md` with the workaround.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Query, SetExpr, SetOperator, SetQuantifier, Statement, TableFactor, Visit, Visitor,
};

use crate::{Error, Result};

/// Fails with `0A000` when `statement` holds what Hangar refuses.
pub(crate) fn check_supported(statement: &Statement) -> Result<()> {
    match statement.visit(&mut Refusals) {
        ControlFlow::Break(what) => Err(Error::NotSupported(what)),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Refusals;

impl Visitor for Refusals {
    type Break = String;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<String> {
        counted_set_operation(&query.body)
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<String> {
        match factor {
            TableFactor::Table {
                with_ordinality: true,
                ..
            }
            | TableFactor::UNNEST {
                with_ordinality: true,
                ..
            } => ControlFlow::Break(
                "WITH ORDINALITY is supported on unnest, regexp_split_to_table and \
                 generate_series with a literal step; number the rows with row_number() OVER \
                 (ORDER BY …) instead"
                    .into(),
            ),
            _ => ControlFlow::Continue(()),
        }
    }
}

/// `EXCEPT ALL` or `INTERSECT ALL` in a query's body, with the workaround.
fn counted_set_operation(body: &SetExpr) -> ControlFlow<String> {
    let SetExpr::SetOperation {
        op,
        set_quantifier,
        left,
        right,
    } = body
    else {
        return ControlFlow::Continue(());
    };
    let name = match op {
        SetOperator::Except | SetOperator::Minus => "EXCEPT ALL",
        SetOperator::Intersect => "INTERSECT ALL",
        SetOperator::Union => "",
    };
    if !name.is_empty() && matches!(set_quantifier, SetQuantifier::All) {
        return ControlFlow::Break(format!(
            "{name} is not supported; number the duplicates with row_number() OVER (PARTITION BY \
             every column) on both sides and use {}",
            name.trim_end_matches(" ALL")
        ));
    }
    counted_set_operation(left)?;
    counted_set_operation(right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    #[test]
    fn counted_set_operations_are_refused() {
        let check = |sql: &str| check_supported(&parse_statement(sql)).is_ok();
        assert!(!check("SELECT 1 EXCEPT ALL SELECT 2"));
        assert!(!check(
            "SELECT * FROM (SELECT 1 INTERSECT ALL SELECT 1) AS t"
        ));
        assert!(check("SELECT 1 EXCEPT SELECT 2 UNION ALL SELECT 3"));
        assert!(!check("SELECT * FROM json_each('{}') WITH ORDINALITY"));
    }
}
