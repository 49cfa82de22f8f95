//! `FETCH FIRST n ROWS ONLY`, the SQL standard's `LIMIT n` that BI tools write (`OFFSET m ROWS
//! FETCH NEXT n ROWS ONLY`); DataFusion refused it (`FETCH clause is not supported yet`). It is
//! planned as the `LIMIT` it means. `WITH TIES` and `PERCENT` stay refused.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Fetch, LimitClause, Query, Statement, Value, VisitMut, VisitorMut,
};

/// Rewrites every `FETCH FIRST … ROWS ONLY` of `statement` into a `LIMIT`.
pub(crate) fn rewrite_fetch_first(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut FetchFirst);
    statement
}

struct FetchFirst;

impl VisitorMut for FetchFirst {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let Some(Fetch {
            with_ties: false,
            percent: false,
            quantity,
        }) = &query.fetch
        else {
            return ControlFlow::Continue(());
        };
        // `FETCH FIRST ROW ONLY` fetches one row.
        let limit = quantity
            .clone()
            .unwrap_or_else(|| Expr::value(Value::Number("1".into(), false)));
        let offset = match query.limit_clause.take() {
            None => None,
            Some(LimitClause::LimitOffset {
                limit: None,
                offset,
                limit_by,
            }) if limit_by.is_empty() => offset,
            Some(other) => {
                query.limit_clause = Some(other); // LIMIT and FETCH both: DataFusion says so
                return ControlFlow::Continue(());
            }
        };
        query.fetch = None;
        query.limit_clause = Some(LimitClause::LimitOffset {
            limit: Some(limit),
            offset,
            limit_by: vec![],
        });
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn fetch_first_is_a_limit() {
        assert_eq!(
            rewritten(
                "SELECT a FROM t ORDER BY a OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY",
                rewrite_fetch_first
            ),
            "SELECT a FROM t ORDER BY a LIMIT 3 OFFSET 2 ROWS"
        );
        assert_eq!(
            rewritten("SELECT a FROM t FETCH FIRST ROW ONLY", rewrite_fetch_first),
            "SELECT a FROM t LIMIT 1"
        );
        assert_eq!(
            rewritten(
                "SELECT a FROM t ORDER BY a FETCH FIRST 2 ROWS WITH TIES",
                rewrite_fetch_first
            ),
            "SELECT a FROM t ORDER BY a FETCH FIRST 2 ROWS WITH TIES"
        );
    }
}
