//! Scalar subqueries that pick one row without aggregating, as catalog queries write them:
//! Npgsql's type loading has `(SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)`.
//! Postgres runs such a subquery and fails only if it returns more than one row; DataFusion
//! refuses to plan a correlated one that does not aggregate. They are rewritten to aggregate with
//! `first_value`, which gives Postgres's answer whenever Postgres gives one.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, Query, SelectItem, SetExpr, Statement, VisitMut, VisitorMut,
    visit_expressions,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

/// Functions that aggregate: a subquery of one of them already returns one row.
const AGGREGATES: [&str; 15] = [
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "array_agg",
    "string_agg",
    "bool_and",
    "bool_or",
    "every",
    "first_value",
    "last_value",
    "json_agg",
    "jsonb_agg",
    "json_object_agg",
];

/// Rewrites each scalar subquery of `statement` that returns one column without aggregating.
pub(crate) fn aggregate_scalar_subqueries(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Subquery(query) = expr {
            aggregate(query);
        }
        ControlFlow::Continue(())
    }
}

/// Wraps the subquery's one output in `first_value(…)` when it neither aggregates, groups, orders,
/// limits nor deduplicates, and reads from a table.
fn aggregate(query: &mut Query) {
    if query.order_by.is_some() || query.limit_clause.is_some() || query.fetch.is_some() {
        return;
    }
    let SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    let ungrouped = matches!(
        &select.group_by,
        GroupByExpr::Expressions(exprs, modifiers) if exprs.is_empty() && modifiers.is_empty()
    );
    if !ungrouped || select.having.is_some() || select.distinct.is_some() || select.from.is_empty()
    {
        return;
    }
    let [SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }] =
        select.projection.as_mut_slice()
    else {
        return;
    };
    if aggregates(expr) {
        return;
    }
    let wrapped = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&format!("first_value({expr})"))
        .and_then(|mut parser| parser.parse_expr());
    if let Ok(wrapped) = wrapped {
        *expr = wrapped;
    }
}

/// Whether an expression calls an aggregate function.
fn aggregates(expr: &Expr) -> bool {
    visit_expressions(expr, |e| match e {
        Expr::Function(f)
            if f.name.0.last().is_some_and(|part| {
                AGGREGATES.contains(&part.to_string().to_ascii_lowercase().as_str())
            }) =>
        {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(sql: &str) -> String {
        let statement = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .unwrap()
            .pop()
            .unwrap();
        aggregate_scalar_subqueries(statement).to_string()
    }

    #[test]
    fn picks_of_one_row_aggregate() {
        assert_eq!(
            rewrite("SELECT a, (SELECT d.x AS y FROM d WHERE d.k = t.k) FROM t"),
            "SELECT a, (SELECT first_value(d.x) AS y FROM d WHERE d.k = t.k) FROM t"
        );
    }

    #[test]
    fn aggregates_orders_limits_and_constants_stay() {
        for sql in [
            "SELECT (SELECT max(x) FROM d WHERE d.k = t.k) FROM t",
            "SELECT (SELECT x FROM d WHERE d.k = t.k ORDER BY x LIMIT 1) FROM t",
            "SELECT (SELECT x FROM d GROUP BY x) FROM t",
            "SELECT (SELECT 1) FROM t",
            "SELECT * FROM t WHERE EXISTS (SELECT x FROM d WHERE d.k = t.k)",
        ] {
            assert_eq!(rewrite(sql), sql);
        }
    }
}
