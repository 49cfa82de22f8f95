//! `x IN (subquery)` in a select list or an `ORDER BY`, as Grafana's table list writes it (`CASE
//! WHEN quote_ident(table_schema) IN (SELECT … search path …) THEN … END`). DataFusion plans
//! `IN (subquery)` only in conditions (`WHERE`, `HAVING`, `JOIN … ON`) and refuses it elsewhere.
//! There it becomes a test of membership in the subquery's values gathered into an array, with
//! scalar subqueries that DataFusion plans, correlated or not, and Postgres' answer when NULLs
//! are in play: false when the subquery has no rows; else NULL when `x` is NULL; true when `x` is
//! among the values; else NULL when a value is NULL (it might be `x`), false when none is.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, OrderByKind, Query, SelectItem, SetExpr, Statement, VisitMut, VisitorMut,
    visit_expressions_mut,
};

use crate::statement::parse_expr;

/// Rewrites the `IN (subquery)` tests of `statement`'s select lists and `ORDER BY`s.
pub(crate) fn rewrite_in_subqueries(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let SetExpr::Select(select) = query.body.as_mut() {
            for item in &mut select.projection {
                if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item
                {
                    membership_tests(expr);
                }
            }
        }
        if let Some(order_by) = &mut query.order_by
            && let OrderByKind::Expressions(orderings) = &mut order_by.kind
        {
            for ordering in orderings {
                membership_tests(&mut ordering.expr);
            }
        }
        ControlFlow::Continue(())
    }
}

/// Turns each `IN (subquery)` within `expr` into a membership test of an array.
fn membership_tests(expr: &mut Expr) {
    let _ = visit_expressions_mut(expr, |e| {
        if let Expr::InSubquery {
            expr: value,
            subquery,
            negated,
        } = e
            && let Some(values) = gathered(subquery, "array_agg({})")
            && let Some(rows) = gathered(
                subquery,
                "CASE WHEN count(*) = 0 THEN 'none' WHEN bool_or({} IS NULL) THEN 'null' END",
            )
        {
            let not = if *negated { "NOT " } else { "" };
            if let Some(test) = parse_expr(&format!(
                "{not}(CASE WHEN {rows} = 'none' THEN false WHEN {value} IS NULL THEN NULL \
                 WHEN COALESCE(array_has({values}, {value}), false) THEN true \
                 WHEN {rows} = 'null' THEN NULL ELSE false END)"
            )) {
                *e = test;
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `(SELECT aggregate(v) FROM …)` for a subquery `SELECT v FROM …` that neither groups, orders nor
/// limits (a `DISTINCT` is dropped: it changes no membership); `aggregate` has `{}` for `v`.
fn gathered(subquery: &Query, aggregate: &str) -> Option<Expr> {
    if subquery.order_by.is_some() || subquery.limit_clause.is_some() || subquery.fetch.is_some() {
        return None;
    }
    let mut subquery = subquery.clone();
    let SetExpr::Select(select) = subquery.body.as_mut() else {
        return None;
    };
    let ungrouped = matches!(
        &select.group_by,
        GroupByExpr::Expressions(exprs, modifiers) if exprs.is_empty() && modifiers.is_empty()
    );
    if !ungrouped || select.having.is_some() {
        return None;
    }
    select.distinct = None;
    let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
        select.projection.as_mut_slice()
    else {
        return None;
    };
    *value = parse_expr(&aggregate.replace("{}", &value.to_string()))?;
    Some(Expr::Subquery(Box::new(subquery)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{parse_statement, rewritten};

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_in_subqueries)
    }

    #[test]
    fn select_list_and_order_by_tests_become_array_membership() {
        assert_eq!(
            rewrite(
                "SELECT CASE WHEN s IN (SELECT DISTINCT trim(p) FROM paths) THEN t ELSE s || t END AS name \
                 FROM tables ORDER BY s NOT IN (SELECT p FROM paths WHERE p <> ''), name"
            ),
            "SELECT CASE WHEN (CASE WHEN (SELECT CASE WHEN count(*) = 0 THEN 'none' \
             WHEN bool_or(TRIM(p) IS NULL) THEN 'null' END FROM paths) = 'none' THEN false \
             WHEN s IS NULL THEN NULL \
             WHEN COALESCE(array_has((SELECT array_agg(TRIM(p)) FROM paths), s), false) THEN true \
             WHEN (SELECT CASE WHEN count(*) = 0 THEN 'none' WHEN bool_or(TRIM(p) IS NULL) \
             THEN 'null' END FROM paths) = 'null' THEN NULL ELSE false END) \
             THEN t ELSE s || t END AS name FROM tables \
             ORDER BY NOT (CASE WHEN (SELECT CASE WHEN count(*) = 0 THEN 'none' \
             WHEN bool_or(p IS NULL) THEN 'null' END FROM paths WHERE p <> '') = 'none' \
             THEN false WHEN s IS NULL THEN NULL \
             WHEN COALESCE(array_has((SELECT array_agg(p) FROM paths WHERE p <> ''), s), false) \
             THEN true WHEN (SELECT CASE WHEN count(*) = 0 THEN 'none' WHEN bool_or(p IS NULL) \
             THEN 'null' END FROM paths WHERE p <> '') = 'null' THEN NULL ELSE false END), name"
        );
    }

    #[test]
    fn conditions_and_grouped_or_limited_subqueries_stay() {
        for sql in [
            "SELECT a FROM t WHERE a IN (SELECT b FROM u)",
            "SELECT a IN (SELECT max(b) FROM u GROUP BY c) FROM t",
            "SELECT a IN (SELECT b FROM u LIMIT 3) FROM t",
        ] {
            assert_eq!(rewrite(sql), parse_statement(sql).to_string());
        }
    }
}
