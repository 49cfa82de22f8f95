//! Postgres operators DataFusion does not have, written as the expressions they stand for:
//! - the prefix operators `|/ x` (square root) and `||/ x` (cube root) of a `double precision`,
//!   as `sqrt` and `cbrt` of `x` cast to one; `@ x` (absolute value) as `abs(x)`; `~ x` (bitwise
//!   not) as `x # -1`;
//! - `x BETWEEN SYMMETRIC a AND b` (its low bound marked by [`super::token_forms`]), true when `x`
//!   lies between the bounds in either order: `(x BETWEEN a AND b OR x BETWEEN b AND a)`, and
//!   `NOT BETWEEN SYMMETRIC` its negation, with Postgres' NULLs (`least`/`greatest` would drop a
//!   NULL bound);
//! - `x LIKE p ESCAPE ''` (and `ILIKE`), a pattern without an escape character, as `x LIKE p` with
//!   each backslash of `p` escaped: DataFusion refused the empty escape (`invalid escape string`).

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, UnaryOperator, Value,
};

use super::token_forms::SYMMETRIC_MARK;
use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites `statement`'s uses of these operators.
pub(crate) fn rewrite_operator_forms(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let like = matches!(expr, Expr::Like { .. });
        let replacement = match expr {
            Expr::UnaryOp { op, expr: operand } => match op {
                UnaryOperator::PGSquareRoot => {
                    format!("sqrt(CAST(({operand}) AS double precision))")
                }
                UnaryOperator::PGCubeRoot => format!("cbrt(CAST(({operand}) AS double precision))"),
                UnaryOperator::PGAbs => format!("abs({operand})"),
                UnaryOperator::BitwiseNot => format!("(({operand}) # -1)"),
                _ => return,
            },
            Expr::Between {
                expr: x,
                negated,
                low,
                high,
            } => {
                let Some(low) = symmetric_low_bound(low) else {
                    return;
                };
                let either = format!(
                    "(({x}) BETWEEN ({low}) AND ({high}) OR ({x}) BETWEEN ({high}) AND ({low}))"
                );
                match negated {
                    true => format!("(NOT {either})"),
                    false => either,
                }
            }
            Expr::Like {
                negated,
                any: false,
                expr: x,
                pattern,
                escape_char: Some(escape),
            }
            | Expr::ILike {
                negated,
                any: false,
                expr: x,
                pattern,
                escape_char: Some(escape),
            } if escape.value == Value::SingleQuotedString(String::new()) => {
                let operator = match (like, negated) {
                    (true, false) => "LIKE",
                    (true, true) => "NOT LIKE",
                    (false, false) => "ILIKE",
                    (false, true) => "NOT ILIKE",
                };
                format!(r"(({x}) {operator} replace(({pattern}), '\', '\\'))")
            }
            _ => return,
        };
        if let Some(replacement) = parse_expr(&replacement) {
            *expr = replacement;
        }
    })
}

/// The bound `low` marks as a `BETWEEN SYMMETRIC`'s, if it does.
fn symmetric_low_bound(low: &Expr) -> Option<&Expr> {
    let Expr::Function(call) = low else {
        return None;
    };
    if !call.name.to_string().eq_ignore_ascii_case(SYMMETRIC_MARK) {
        return None;
    }
    let FunctionArguments::List(list) = &call.args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(bound))] => Some(bound),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::token_forms::rewrite_token_forms;
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn prefix_operators_become_functions() {
        assert_eq!(
            rewritten(
                "SELECT |/ 25.0, ||/ x, @ -5.0, ~1 FROM t",
                rewrite_operator_forms
            ),
            "SELECT sqrt(CAST((25.0) AS DOUBLE PRECISION)), cbrt(CAST((x) AS DOUBLE PRECISION)), \
             abs(-5.0), ((1) # -1) FROM t"
        );
    }

    #[test]
    fn between_symmetric_takes_the_bounds_in_either_order() {
        let sql = rewrite_token_forms("SELECT x NOT BETWEEN SYMMETRIC 10 AND 1 FROM t");
        assert_eq!(
            rewritten(&sql, rewrite_operator_forms),
            "SELECT (NOT ((x) BETWEEN (10) AND (1) OR (x) BETWEEN (1) AND (10))) FROM t"
        );
    }

    #[test]
    fn an_empty_escape_escapes_nothing() {
        assert_eq!(
            rewritten(
                "SELECT a LIKE 'x\\y' ESCAPE '', b NOT ILIKE p ESCAPE '' FROM t",
                rewrite_operator_forms
            ),
            "SELECT ((a) LIKE replace(('x\\y'), '\\', '\\\\')), ((b) NOT ILIKE replace((p), '\\', '\\\\')) FROM t"
        );
    }
}
