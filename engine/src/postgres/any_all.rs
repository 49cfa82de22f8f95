//! Comparisons with a subquery's rows: `x op ANY (subquery)` and `x op ALL (subquery)`, with
//! Postgres' three-valued answer. `= ANY` is `IN` and `<> ALL` is `NOT IN`, which DataFusion plans;
//! the other comparisons read the subquery's count of rows, of non-NULL values, and its least or
//! greatest value: `x > ALL (S)` is true for no rows, false if `x` is not above the greatest value,
//! NULL if `x` is NULL or `S` has a NULL, else true. DataFusion's own planning of these answered
//! `s_acctbal < ANY (…)` with no rows and `>= ALL (…)` with rows that are not.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Statement};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every comparison with `ANY`/`ALL` of a subquery in `statement`.
pub(crate) fn rewrite_any_all(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let (left, op, right, all) = match expr {
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => (left, compare_op, right, false),
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => (left, compare_op, right, true),
            _ => return,
        };
        let Expr::Subquery(subquery) = right.as_ref() else {
            return;
        };
        if let Some(rewritten) = comparison(left, op, &subquery.to_string(), all) {
            *expr = rewritten;
        }
    })
}

/// The expression Postgres' answer comes from, for `left op ANY|ALL (rows)`.
fn comparison(left: &Expr, op: &BinaryOperator, rows: &str, all: bool) -> Option<Expr> {
    use BinaryOperator::{Eq, Gt, GtEq, Lt, LtEq, NotEq};
    let set = |aggregate: &str| format!("(SELECT {aggregate} FROM ({rows}) AS hangar_set(v))");
    let (least, greatest) = (set("min(v)"), set("max(v)"));
    let x = format!("({left})");
    // The comparison that settles the answer: for ALL, one value fails it (the answer is false);
    // for ANY, one value passes it (true).
    let settles = match (op, all) {
        (Eq, false) => return parse_expr(&format!("{x} IN ({rows})")),
        (NotEq, true) => return parse_expr(&format!("{x} NOT IN ({rows})")),
        (Gt, true) => format!("{x} <= {greatest}"),
        (GtEq, true) => format!("{x} < {greatest}"),
        (Lt, true) => format!("{x} >= {least}"),
        (LtEq, true) => format!("{x} > {least}"),
        (Eq, true) => format!("({x} <> {least} OR {x} <> {greatest})"),
        (Gt, false) => format!("{x} > {least}"),
        (GtEq, false) => format!("{x} >= {least}"),
        (Lt, false) => format!("{x} < {greatest}"),
        (LtEq, false) => format!("{x} <= {greatest}"),
        (NotEq, false) => format!("({x} <> {least} OR {x} <> {greatest})"),
        _ => return None,
    };
    let (empty, settled) = if all {
        ("true", "false")
    } else {
        ("false", "true")
    };
    parse_expr(&format!(
        "(CASE WHEN {count} = 0 THEN {empty} WHEN {x} IS NULL THEN NULL \
         WHEN {settles} THEN {settled} WHEN {nulls} > 0 THEN NULL ELSE {empty} END)",
        count = set("count(*)"),
        nulls = set("count(*) - count(v)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn comparisons_with_rows_answer_as_postgres() {
        assert_eq!(
            rewritten(
                "SELECT * FROM t WHERE a = ANY (SELECT b FROM u) AND a <> ALL (SELECT b FROM u)",
                rewrite_any_all
            ),
            "SELECT * FROM t WHERE (a) IN (SELECT b FROM u) AND (a) NOT IN (SELECT b FROM u)"
        );
        assert_eq!(
            rewritten("SELECT a > ALL (SELECT b FROM u) FROM t", rewrite_any_all),
            "SELECT (CASE WHEN (SELECT count(*) FROM (SELECT b FROM u) AS hangar_set (v)) = 0 \
             THEN true WHEN (a) IS NULL THEN NULL \
             WHEN (a) <= (SELECT max(v) FROM (SELECT b FROM u) AS hangar_set (v)) THEN false \
             WHEN (SELECT count(*) - count(v) FROM (SELECT b FROM u) AS hangar_set (v)) > 0 \
             THEN NULL ELSE true END) FROM t"
        );
    }
}
