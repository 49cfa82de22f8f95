//! Row comparisons field by field, as Postgres compares rows: `(a, b) = (c, d)` is `a = c AND b
//! = d`, so a NULL field makes it NULL unless another field decides; `(a, b) < (c, d)` is decided
//! by the first pair of fields that differ or are NULL. DataFusion compared the rows as structs,
//! whose NULL fields are equal: `(1, NULL) = (1, NULL)` was true, Postgres' NULL.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Statement};

use crate::statement::rewrite_expressions;

/// Rewrites the comparisons of two row constructors of one width in `statement`.
pub(crate) fn rewrite_row_comparisons(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::BinaryOp { left, op, right } = expr else {
            return;
        };
        let (Some(lefts), Some(rights)) = (fields(left), fields(right)) else {
            return;
        };
        if lefts.len() != rights.len() || lefts.is_empty() {
            return;
        }
        let pairs: Vec<(Expr, Expr)> = lefts.into_iter().zip(rights).collect();
        let compared = match op {
            BinaryOperator::Eq => all(&pairs, BinaryOperator::Eq, BinaryOperator::And),
            BinaryOperator::NotEq => all(&pairs, BinaryOperator::NotEq, BinaryOperator::Or),
            BinaryOperator::Lt => ordered(&pairs, BinaryOperator::Lt, BinaryOperator::Lt),
            BinaryOperator::LtEq => ordered(&pairs, BinaryOperator::Lt, BinaryOperator::LtEq),
            BinaryOperator::Gt => ordered(&pairs, BinaryOperator::Gt, BinaryOperator::Gt),
            BinaryOperator::GtEq => ordered(&pairs, BinaryOperator::Gt, BinaryOperator::GtEq),
            _ => return,
        };
        *expr = Expr::Nested(Box::new(compared));
    })
}

/// The fields of a row constructor: `(a, b)` or `ROW(a, b)`.
fn fields(expr: &Expr) -> Option<Vec<Expr>> {
    match expr {
        Expr::Tuple(fields) => Some(fields.clone()),
        Expr::Nested(inner) => fields(inner),
        _ => None,
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

/// Each pair compared by `op`, joined by `join`.
fn all(pairs: &[(Expr, Expr)], op: BinaryOperator, join: BinaryOperator) -> Expr {
    pairs
        .iter()
        .map(|(l, r)| Expr::Nested(Box::new(binary(l.clone(), op.clone(), r.clone()))))
        .reduce(|acc, next| binary(acc, join.clone(), next))
        .expect("at least one pair")
}

/// `l1 strict r1 OR (l1 = r1 AND (… last_op …))`: the first pair that differs decides.
fn ordered(pairs: &[(Expr, Expr)], strict: BinaryOperator, last: BinaryOperator) -> Expr {
    let ((l, r), rest) = pairs.split_first().expect("at least one pair");
    if rest.is_empty() {
        return Expr::Nested(Box::new(binary(l.clone(), last, r.clone())));
    }
    let decided = binary(l.clone(), strict.clone(), r.clone());
    let tied = binary(l.clone(), BinaryOperator::Eq, r.clone());
    let further = ordered(rest, strict, last);
    Expr::Nested(Box::new(binary(
        decided,
        BinaryOperator::Or,
        Expr::Nested(Box::new(binary(tied, BinaryOperator::And, further))),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn rows_compare_field_by_field() {
        assert_eq!(
            rewritten("SELECT (1, NULL) = (1, NULL)", rewrite_row_comparisons),
            "SELECT ((1 = 1) AND (NULL = NULL))"
        );
        assert_eq!(
            rewritten("SELECT (a, b, c) <= (1, 2, 3)", rewrite_row_comparisons),
            "SELECT ((a < 1 OR (a = 1 AND (b < 2 OR (b = 2 AND (c <= 3))))))"
        );
        assert_eq!(
            rewritten("SELECT (a, b) <> (1, 2)", rewrite_row_comparisons),
            "SELECT ((a <> 1) OR (b <> 2))"
        );
        assert_eq!(
            rewritten("SELECT (a, b) = (SELECT 1, 2)", rewrite_row_comparisons),
            "SELECT (a, b) = (SELECT 1, 2)"
        );
    }
}
