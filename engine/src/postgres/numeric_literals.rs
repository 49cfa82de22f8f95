//! Numeric literals beyond what a decimal holds. Literals with a decimal point or an exponent are
//! exact decimals (`datafusion.sql_parser.parse_float_as_decimal`, as Postgres reads them as
//! `numeric`), but DataFusion's decimals hold 38 digits and scales down to -128, so `1e300` failed
//! to plan. Postgres' `numeric` holds such a value; the nearest Hangar has is a `float8`, which
//! is what such literals meet in practice (`1e300::float8`).

use datafusion::sql::sqlparser::ast::{CastKind, DataType, Expr, Statement, Value};

use crate::statement::rewrite_expressions;

/// The largest decimal exponent a literal keeps as a decimal.
const LARGEST_EXPONENT: i64 = 38;

/// Rewrites every numeric literal of `statement` too large or small for a decimal into a
/// `float8` cast of its text.
pub(crate) fn rewrite_numeric_literals(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Expr::Value(value) = expr
            && let Value::Number(text, _) = &value.value
            && exponent(text).is_some_and(|e| e.abs() > LARGEST_EXPONENT)
        {
            *expr = Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: Box::new(Expr::value(Value::SingleQuotedString(text.clone()))),
                data_type: DataType::DoublePrecision,
                format: None,
                array: false,
            };
        }
    })
}

/// The exponent written in a literal such as `1.5e-300`.
fn exponent(text: &str) -> Option<i64> {
    let (_, exponent) = text.split_once(['e', 'E'])?;
    exponent.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn huge_literals_are_floats() {
        assert_eq!(
            rewritten("SELECT 1e300, 1.5e-39, 1e38, 2.5", rewrite_numeric_literals),
            "SELECT '1e300'::DOUBLE PRECISION, '1.5e-39'::DOUBLE PRECISION, 1e38, 2.5"
        );
    }
}
