//! A row tested against a subquery's rows, `(a, b) IN (SELECT x, y FROM …)` and `(a, b) = ANY
//! (SELECT x, y …)`, which DataFusion refused (`subquery has too many columns`). A test that is a
//! condition of a `WHERE` on its own (one of its `AND`s) becomes `EXISTS` of the subquery's rows
//! that equal the row, which DataFusion plans as a semi-join: there a NULL and a false both leave
//! the row out; the subquery's rows are matched in its own `WHERE` where it is a plain one (so it
//! may refer to the outer query), else as a derived table. Elsewhere, and negated, it is
//! Postgres' three-valued answer, `hangar_row_in` of the row and the subquery's rows gathered into
//! an array: true when a row equals it, else NULL when a row's comparison is NULL (`(1, NULL) =
//! (1, 2)`), else false.

use std::cmp::Ordering;
use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, make_comparator};
use datafusion::arrow::compute::{SortOptions, cast};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, Volatility};
use datafusion::prelude::SessionContext;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Query, Select, SelectItem, SetExpr, Statement, VisitMut,
    VisitorMut, visit_expressions, visit_expressions_mut,
};

use crate::statement::{item_expr, parse_expr};

/// Rewrites the row tests against subqueries of `statement`.
pub(crate) fn rewrite_row_in_subqueries(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Conditions);
    let _ = visit_expressions_mut(&mut statement, |expr| {
        if let Some((row, subquery, negated)) = row_test(expr)
            && let Some(answer) = three_valued(&row, &subquery)
        {
            *expr = match negated {
                true => Expr::UnaryOp {
                    op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                    expr: Box::new(answer),
                },
                false => answer,
            };
        }
        ControlFlow::<()>::Continue(())
    });
    statement
}

/// Turns the row tests that are conditions of a `WHERE` on their own into `EXISTS`.
struct Conditions;

impl VisitorMut for Conditions {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let SetExpr::Select(select) = query.body.as_mut()
            && let Some(condition) = &mut select.selection
        {
            exists_in_conjuncts(condition);
        }
        ControlFlow::Continue(())
    }
}

/// Each of `condition`'s `AND`ed conditions that is a row test, as `EXISTS`.
fn exists_in_conjuncts(condition: &mut Expr) {
    match condition {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            exists_in_conjuncts(left);
            exists_in_conjuncts(right);
        }
        Expr::Nested(inner) => exists_in_conjuncts(inner),
        test => {
            if let Some((row, subquery, false)) = row_test(test)
                && let Some(rows) = matching(&row, &subquery)
                && let Some(exists) = parse_expr(&format!("EXISTS ({rows})"))
            {
                *test = exists;
            }
        }
    }
}

/// The row, the subquery and whether it is negated, of `(a, b) [NOT] IN (subquery)` (`= ANY` and
/// `<> ALL` arrive as `IN` and `NOT IN`, [`super::any_all`]).
fn row_test(expr: &Expr) -> Option<(Vec<Expr>, Query, bool)> {
    let Expr::InSubquery {
        expr: row,
        subquery,
        negated,
    } = expr
    else {
        return None;
    };
    let mut row = row.as_ref();
    while let Expr::Nested(inner) = row {
        row = inner;
    }
    match row {
        Expr::Tuple(values) => Some((values.clone(), subquery.as_ref().clone(), *negated)),
        _ => None,
    }
}

/// Postgres' answer to `row IN (subquery)`: `hangar_row_in` of the row and the subquery's rows
/// gathered into an array.
fn three_valued(row: &[Expr], subquery: &Query) -> Option<Expr> {
    as_wide(row, subquery)?;
    let names: Vec<String> = (1..=row.len()).map(|k| format!("hangar_in_{k}")).collect();
    let values: Vec<String> = row.iter().map(|v| format!("({v})")).collect();
    parse_expr(&format!(
        "hangar_row_in(struct({}), (SELECT array_agg(struct({})) FROM ({subquery}) AS \
         hangar_row_in ({})))",
        values.join(", "),
        names.join(", "),
        names.join(", ")
    ))
}

/// The SQL of a query of the rows of `subquery` that equal `row` (`SELECT 1 FROM … WHERE x = (a)
/// AND y = (b)`); `None` unless the subquery is a `SELECT` of as many columns as the row.
fn matching(row: &[Expr], subquery: &Query) -> Option<String> {
    let (select, items) = as_wide(row, subquery)?;
    if !is_plain(subquery, select, &items) {
        return Some(derived(row, subquery));
    }
    let equal = equalities(items.iter().map(|item| format!("({item})")), row);
    let mut matched = subquery.clone();
    let SetExpr::Select(select) = matched.body.as_mut() else {
        return None;
    };
    select.selection = parse_expr(&match &select.selection {
        Some(existing) => format!("({existing}) AND ({equal})"),
        None => equal,
    });
    select.projection = vec![SelectItem::UnnamedExpr(parse_expr("1")?)];
    select.distinct = None;
    Some(matched.to_string())
}

/// The select and its items of a subquery `SELECT …` of as many columns as `row`.
fn as_wide<'a>(row: &[Expr], subquery: &'a Query) -> Option<(&'a Select, Vec<Expr>)> {
    let SetExpr::Select(select) = subquery.body.as_ref() else {
        return None;
    };
    let items = plain_items(select)?;
    (items.len() == row.len()).then_some((select, items))
}

/// [`matching`] of a subquery taken as a derived table, whose columns it names.
fn derived(row: &[Expr], subquery: &Query) -> String {
    let names: Vec<String> = (1..=row.len()).map(|k| format!("hangar_in_{k}")).collect();
    let equal = equalities(names.iter().cloned(), row);
    format!(
        "SELECT 1 FROM ({subquery}) AS hangar_row_in ({}) WHERE {equal}",
        names.join(", ")
    )
}

/// `c1 = (v1) AND c2 = (v2) …` of the subquery's `columns` and the row's values.
fn equalities(columns: impl Iterator<Item = String>, row: &[Expr]) -> String {
    columns
        .zip(row)
        .map(|(column, value)| format!("{column} = ({value})"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The expressions of `select`'s list; `None` with a wildcard.
fn plain_items(select: &Select) -> Option<Vec<Expr>> {
    select
        .projection
        .iter()
        .map(|item| item_expr(item).cloned())
        .collect()
}

/// Whether the rows of `subquery` are its `FROM`'s rows that its `WHERE` keeps, one for each: it
/// has a `FROM` and neither groups, aggregates, orders nor limits, so a condition on its columns
/// can join its `WHERE`.
fn is_plain(subquery: &Query, select: &Select, items: &[Expr]) -> bool {
    let ungrouped = matches!(
        &select.group_by,
        GroupByExpr::Expressions(exprs, modifiers) if exprs.is_empty() && modifiers.is_empty()
    );
    let unlimited = subquery.order_by.is_none()
        && subquery.limit_clause.is_none()
        && subquery.fetch.is_none()
        && subquery.with.is_none();
    ungrouped
        && unlimited
        && !select.from.is_empty()
        && select.having.is_none()
        && !items.iter().any(aggregates)
}

/// Whether `expr` calls an aggregate or a window function (by Postgres' aggregates' names).
fn aggregates(expr: &Expr) -> bool {
    const AGGREGATES: [&str; 16] = [
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "array_agg",
        "string_agg",
        "bool_and",
        "bool_or",
        "every",
        "json_agg",
        "jsonb_agg",
        "stddev",
        "variance",
        "mode",
        "percentile_cont",
    ];
    visit_expressions(expr, |e| match e {
        Expr::Function(call)
            if call.over.is_some()
                || AGGREGATES.contains(&call.name.to_string().to_ascii_lowercase().as_str()) =>
        {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Registers `hangar_row_in`.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "hangar_row_in",
        Signature::any(2, Volatility::Immutable),
        DataType::Boolean,
        Arc::new(make_scalar_function(rows_in, vec![])),
    )));
}

/// `hangar_row_in(row, rows)`: whether the struct `row` is among `rows`, an array of structs of
/// as many fields (NULL for no rows), as Postgres compares rows: one row equal field by field is
/// true; else one whose comparison is NULL (no field unequal, one NULL) makes it NULL; else false.
fn rows_in(args: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = args[0].as_struct();
    let DataType::List(_) = args[1].data_type() else {
        return exec_err!("hangar_row_in takes an array of rows");
    };
    let lists = args[1].as_list::<i32>();
    let candidates = lists.values().as_struct();
    if rows.num_columns() != candidates.num_columns() {
        return exec_err!("hangar_row_in compares rows of different widths");
    }
    // Each field of the row and of the candidates, in a type both take.
    let mut fields = Vec::with_capacity(rows.num_columns());
    for (left, right) in rows.columns().iter().zip(candidates.columns()) {
        let common = comparison_coercion(left.data_type(), right.data_type())
            .unwrap_or_else(|| left.data_type().clone());
        let (left, right) = (cast(left, &common)?, cast(right, &common)?);
        let compare = make_comparator(&left, &right, SortOptions::default())?;
        fields.push((left, right, compare));
    }
    let answers: BooleanArray = (0..rows.len())
        .map(|i| {
            if lists.is_null(i) {
                return Some(false);
            }
            let offsets = lists.value_offsets();
            let mut unknown = false;
            for j in offsets[i] as usize..offsets[i + 1] as usize {
                let mut comparison = Some(true);
                for (left, right, compare) in &fields {
                    if left.is_null(i) || right.is_null(j) {
                        comparison = None;
                    } else if compare(i, j) != Ordering::Equal {
                        comparison = Some(false);
                        break;
                    }
                }
                match comparison {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        })
        .collect();
    Ok(Arc::new(answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_row_in_subqueries)
    }

    #[test]
    fn a_where_condition_becomes_exists() {
        assert_eq!(
            rewrite("SELECT a FROM t WHERE k > 0 AND (a, b) IN (SELECT x, y FROM u WHERE z)"),
            "SELECT a FROM t WHERE k > 0 AND EXISTS (SELECT 1 FROM u WHERE (z) AND ((x) = (a) AND (y) = (b)))"
        );
        assert_eq!(
            rewrite("SELECT a FROM t WHERE ((a, b)) IN (SELECT x, max(y) FROM u GROUP BY x)"),
            "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM (SELECT x, max(y) FROM u GROUP BY x) \
             AS hangar_row_in (hangar_in_1, hangar_in_2) WHERE hangar_in_1 = (a) AND hangar_in_2 = (b))"
        );
    }

    #[test]
    fn elsewhere_the_answer_has_three_values() {
        assert_eq!(
            rewrite("SELECT (a, b) NOT IN (SELECT x, y FROM u) FROM t"),
            "SELECT NOT hangar_row_in(struct((a), (b)), (SELECT array_agg(struct(hangar_in_1, \
             hangar_in_2)) FROM (SELECT x, y FROM u) AS hangar_row_in (hangar_in_1, hangar_in_2))) \
             FROM t"
        );
    }

    #[test]
    fn rows_of_another_width_and_single_values_stay() {
        for sql in [
            "SELECT a FROM t WHERE (a, b) IN (SELECT x FROM u)",
            "SELECT a FROM t WHERE a IN (SELECT x FROM u)",
        ] {
            assert_eq!(rewrite(sql), sql);
        }
    }
}
