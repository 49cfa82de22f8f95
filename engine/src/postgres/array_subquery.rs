//! `ARRAY(SELECT x FROM … [ORDER BY …])`, Postgres' array of a subquery's rows (psql's `\du` lists
//! each role's groups so). DataFusion has no such constructor; the subquery is rewritten to
//! aggregate its one column with `array_agg` (in the subquery's order), and an empty result to
//! an empty array, as Postgres gives.

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArguments, GroupByExpr, OrderByKind, Query, SelectItem, SetExpr, Statement,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every `ARRAY(subquery)` of `statement` that selects one column without grouping.
pub(crate) fn rewrite_array_subqueries(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Expr::Function(call) = expr
            && call.name.to_string().eq_ignore_ascii_case("array")
            && let FunctionArguments::Subquery(query) = &call.args
            && let Some(rewritten) = aggregated(query)
        {
            *expr = rewritten;
        }
    })
}

/// `COALESCE((SELECT array_agg(x ORDER BY …) FROM …), make_array())`.
fn aggregated(query: &Query) -> Option<Expr> {
    let mut query = query.clone();
    if query.limit_clause.is_some() || query.with.is_some() {
        return None;
    }
    let order = match query.order_by.take().map(|o| o.kind) {
        None => String::new(),
        Some(OrderByKind::Expressions(items)) => format!(
            " ORDER BY {}",
            items
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(OrderByKind::All(_)) => return None,
    };
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
    let [SelectItem::UnnamedExpr(item) | SelectItem::ExprWithAlias { expr: item, .. }] =
        select.projection.as_slice()
    else {
        return None;
    };
    if grouped || select.distinct.is_some() {
        return None;
    }
    let aggregate = parse_expr(&format!("array_agg({item}{order})"))?;
    select.projection = vec![SelectItem::UnnamedExpr(aggregate)];
    parse_expr(&format!("coalesce(({query}), make_array())"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn array_of_a_subquery_aggregates_its_column_in_order() {
        assert_eq!(
            rewritten(
                "SELECT r.rolname, ARRAY(SELECT b.rolname FROM m JOIN b ON m.roleid = b.oid WHERE m.member = r.oid ORDER BY 1) AS memberof FROM r",
                rewrite_array_subqueries
            ),
            "SELECT r.rolname, coalesce((SELECT array_agg(b.rolname ORDER BY 1) FROM m JOIN b ON m.roleid = b.oid WHERE m.member = r.oid), make_array()) AS memberof FROM r"
        );
        // Forms it does not know stay as they are.
        let grouped = "SELECT ARRAY(SELECT a FROM t GROUP BY a)";
        assert_eq!(rewritten(grouped, rewrite_array_subqueries), grouped);
    }
}
