//! Scalar subqueries that DataFusion refuses to plan but catalog queries write:
//! - Subqueries that pick one row without aggregating. Npgsql's type loading has
//!   `(SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)`. Postgres runs such a
//!   subquery and fails only if it returns more than one row; DataFusion refuses to plan a
//!   correlated one that does not aggregate. They are rewritten to aggregate with
//!   `hangar_subquery_value`, which gives Postgres's answer, or its error for more than one row.
//! - Subqueries over a catalog table that is always empty in Hangar, such as `pg_attrdef` (column
//!   defaults) in psql's `\d` and SQLAlchemy's column inspection. Their correlation (a condition on
//!   the outer row alone, the outer row in the select list, all under `CASE`) is more than
//!   DataFusion's decorrelation handles. Over an empty table such a subquery is NULL, so it is
//!   replaced by NULL.
//!
//! What is left over, such as psql's `\d` collation lookup (a correlated `<>`), is handled by
//! [`null_correlated_catalog_subqueries`], a fallback for statements DataFusion could not
//! decorrelate: their correlated subqueries over `pg_catalog` read as NULL. That loses catalog
//! details, never a user table's data.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, JoinOperator, Query, Select, SelectItem, SetExpr, Statement, TableFactor,
    Value, VisitMut, VisitorMut, visit_expressions,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Functions that aggregate: a subquery of one of them already returns one row.
const AGGREGATES: [&str; 16] = [
    "hangar_subquery_value",
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

/// Catalog tables that Hangar always serves empty: it has no column defaults, sequences,
/// triggers, inheritance, row security policies, extended statistics, declarative partitions or
/// foreign tables. The end-to-end tests hold the engine to it.
pub const EMPTY_CATALOG_TABLES: [&str; 8] = [
    "pg_attrdef",
    "pg_sequence",
    "pg_trigger",
    "pg_inherits",
    "pg_policy",
    "pg_statistic_ext",
    "pg_partitioned_table",
    "pg_foreign_table",
];

/// Rewrites the scalar subqueries of `statement` that DataFusion cannot plan (see the module).
pub(crate) fn rewrite_scalar_subqueries(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut ScalarSubqueries::default());
    statement
}

/// Walks a statement's expressions, rewriting scalar subqueries; a subquery compared with
/// `ANY`/`ALL` is a set of rows, not a scalar, and is left as it is.
#[derive(Default)]
struct ScalarSubqueries {
    /// The subqueries under `ANY`/`ALL` met so far, by address (stable while the walk lasts).
    sets: HashSet<*const Query>,
}

impl VisitorMut for ScalarSubqueries {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::AnyOp { right, .. } | Expr::AllOp { right, .. } = expr
            && let Expr::Subquery(query) = right.as_ref()
        {
            self.sets.insert(&**query as *const Query);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Subquery(query) = expr
            && !self.sets.contains(&(&**query as *const Query))
        {
            if reads_an_empty_catalog_table(query) {
                *expr = Expr::Value(Value::Null.into());
            } else if let Some(pick) = one_row_pick(query) {
                aggregate(pick);
            }
        }
        ControlFlow::Continue(())
    }
}

/// The one output of a subquery that neither aggregates, groups, orders, limits nor deduplicates,
/// and reads from a table or filters (`(SELECT 1 WHERE false)`, which DataFusion typed as never
/// NULL and then failed on for its NULL: `Column … is declared as non-nullable`).
fn one_row_pick(query: &mut Query) -> Option<&mut Expr> {
    if query.order_by.is_some() || query.limit_clause.is_some() || query.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    if !plain(select) || select.from.is_empty() && select.selection.is_none() {
        return None;
    }
    let [SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }] =
        select.projection.as_mut_slice()
    else {
        return None;
    };
    (!aggregates(expr)).then_some(expr)
}

/// Whether a select neither groups, filters groups nor deduplicates.
fn plain(select: &Select) -> bool {
    let ungrouped = matches!(
        &select.group_by,
        GroupByExpr::Expressions(exprs, modifiers) if exprs.is_empty() && modifiers.is_empty()
    );
    ungrouped && select.having.is_none() && select.distinct.is_none()
}

/// Whether a subquery returns no row because it does not aggregate and reads one of
/// [`EMPTY_CATALOG_TABLES`], joined to others only by inner or left joins.
fn reads_an_empty_catalog_table(query: &mut Query) -> bool {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return false;
    };
    let [from] = select.from.as_slice() else {
        return false;
    };
    let TableFactor::Table { name, .. } = &from.relation else {
        return false;
    };
    let parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
    let empty = match parts.as_slice() {
        [table] => EMPTY_CATALOG_TABLES.contains(&table.as_str()),
        [schema, table] if schema == "pg_catalog" => EMPTY_CATALOG_TABLES.contains(&table.as_str()),
        _ => false,
    };
    let keeps_no_row = from.joins.iter().all(|join| {
        matches!(
            join.join_operator,
            JoinOperator::Join(_)
                | JoinOperator::Inner(_)
                | JoinOperator::Left(_)
                | JoinOperator::LeftOuter(_)
                | JoinOperator::CrossJoin(_)
        )
    });
    let aggregating = select.projection.iter().any(|item| match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => aggregates(e),
        _ => false,
    });
    empty && keeps_no_row && plain(select) && !aggregating
}

/// Whether [`null_correlated_catalog_subqueries`] would change `statement`: it has a correlated
/// scalar subquery that reads only `pg_catalog` tables. Only then is the fallback worth checking
/// for, which costs an extra optimization of the plan.
pub(crate) fn has_correlated_catalog_subquery(statement: &Statement) -> bool {
    visit_expressions(statement, |expr| match expr {
        Expr::Subquery(query) if falls_back(query) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Replaces each correlated scalar subquery of `statement` that reads only `pg_catalog` tables by
/// NULL. The fallback for a statement whose subqueries DataFusion could not decorrelate.
pub(crate) fn null_correlated_catalog_subqueries(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Expr::Subquery(query) = expr
            && falls_back(query)
        {
            *expr = Expr::Value(Value::Null.into());
        }
    })
}

/// Whether the fallback replaces this subquery by NULL.
fn falls_back(query: &Query) -> bool {
    reads_only_catalog_tables(query) && correlated(query)
}

/// The relations a subquery's FROM names: (schema, table, alias).
fn relations(query: &Query) -> Vec<(Option<String>, String, Option<String>)> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return vec![];
    };
    let factors = select.from.iter().flat_map(|from| {
        std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation))
    });
    factors
        .filter_map(|factor| match factor {
            TableFactor::Table { name, alias, .. } => {
                let mut parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
                let table = parts.pop()?;
                Some((
                    parts.pop(),
                    table,
                    alias.as_ref().map(|a| a.name.value.clone()),
                ))
            }
            _ => None,
        })
        .collect()
}

/// Whether a subquery reads `pg_catalog` tables and nothing else.
fn reads_only_catalog_tables(query: &Query) -> bool {
    let relations = relations(query);
    !relations.is_empty()
        && relations.iter().all(|(schema, table, _)| match schema {
            Some(schema) => schema == "pg_catalog",
            None => table.starts_with("pg_"),
        })
}

/// Whether a subquery names a column through a relation its FROM does not have: one of the outer
/// query's. Unqualified columns are taken as its own.
fn correlated(query: &Query) -> bool {
    let own: Vec<String> = relations(query)
        .into_iter()
        .flat_map(|(_, table, alias)| std::iter::once(table).chain(alias))
        .collect();
    visit_expressions(query, |expr| match expr {
        Expr::CompoundIdentifier(parts)
            if parts.len() >= 2 && !own.contains(&parts[parts.len() - 2].value) =>
        {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Wraps a subquery's one output in `hangar_subquery_value(…)`.
fn aggregate(expr: &mut Expr) {
    if let Some(wrapped) = parse_expr(&format!("hangar_subquery_value({expr})")) {
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
    use crate::statement::rewritten;

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_scalar_subqueries)
    }

    #[test]
    fn subqueries_under_any_or_all_are_sets() {
        assert_eq!(
            rewrite(
                "SELECT a FROM t WHERE a >= ALL (SELECT d.x FROM d) AND a = ANY (SELECT d.y FROM d)"
            ),
            "SELECT a FROM t WHERE a >= ALL(SELECT d.x FROM d) AND a = ANY(SELECT d.y FROM d)"
        );
    }

    #[test]
    fn picks_of_one_row_aggregate() {
        assert_eq!(
            rewrite("SELECT a, (SELECT d.x AS y FROM d WHERE d.k = t.k) FROM t"),
            "SELECT a, (SELECT hangar_subquery_value(d.x) AS y FROM d WHERE d.k = t.k) FROM t"
        );
    }

    #[test]
    fn subqueries_over_always_empty_catalog_tables_are_null() {
        assert_eq!(
            rewrite(
                "SELECT CASE WHEN a.atthasdef THEN (SELECT pg_get_expr(d.adbin, d.adrelid) \
                 FROM pg_catalog.pg_attrdef d WHERE a.atthasdef AND d.adrelid = a.attrelid) END \
                 FROM pg_attribute a"
            ),
            "SELECT CASE WHEN a.atthasdef THEN NULL END FROM pg_attribute a"
        );
        // Counting rows of an empty table gives 0, not NULL.
        let count =
            "SELECT (SELECT count(*) FROM pg_attrdef d WHERE d.adrelid = a.attrelid) FROM a";
        assert_eq!(rewrite(count), count);
    }

    #[test]
    fn the_fallback_nulls_only_correlated_catalog_subqueries() {
        let fallback = |sql: &str| rewritten(sql, null_correlated_catalog_subqueries);
        assert_eq!(
            fallback(
                "SELECT a.attname, (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t \
                 WHERE c.oid = a.attcollation AND a.attcollation <> t.typcollation) FROM pg_attribute a"
            ),
            "SELECT a.attname, NULL FROM pg_attribute a"
        );
        for kept in [
            // A user table's subquery.
            "SELECT (SELECT r.r_name FROM region r WHERE r.r_regionkey = n.n_regionkey) FROM nation n",
            // An uncorrelated catalog subquery.
            "SELECT (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'x') FROM t",
        ] {
            assert_eq!(fallback(kept), kept);
        }
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
