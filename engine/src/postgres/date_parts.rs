//! Seconds as Postgres extracts them: with their fraction. `EXTRACT(SECOND FROM ts)` is a
//! `numeric` with six decimals (`40.500000`) and `date_part('second', ts)` a `float8` (`40.5`);
//! DataFusion's `date_part` returns whole seconds as integers, so `40.5` seconds read as 40. Both
//! are computed from the microseconds field (the seconds times a million, fraction included),
//! which DataFusion returns exactly.

use datafusion::sql::sqlparser::ast::{
    DateTimeField, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Value,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every extraction of seconds in `statement`.
pub(crate) fn rewrite_date_parts(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let replacement = match expr {
            Expr::Extract {
                field: DateTimeField::Second | DateTimeField::Seconds,
                expr: source,
                ..
            } => parse_expr(&format!(
                "(CAST(date_part('microsecond', {source}) AS DECIMAL(20, 0)) * 0.000001)"
            )),
            Expr::Function(call) if call.name.to_string().eq_ignore_ascii_case("date_part") => {
                match seconds_of(&call.args) {
                    Some(source) => parse_expr(&format!(
                        "(CAST(date_part('microsecond', {source}) AS DOUBLE PRECISION) / 1000000)"
                    )),
                    None => None,
                }
            }
            _ => None,
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
        }
    })
}

/// The source of `date_part('second', source)`.
fn seconds_of(args: &FunctionArguments) -> Option<&Expr> {
    let FunctionArguments::List(list) = args else {
        return None;
    };
    let [
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(field))),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(source)),
    ] = list.args.as_slice()
    else {
        return None;
    };
    let Value::SingleQuotedString(field) = &field.value else {
        return None;
    };
    matches!(field.to_ascii_lowercase().as_str(), "second" | "seconds").then_some(source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn seconds_keep_their_fraction() {
        assert_eq!(
            rewritten(
                "SELECT EXTRACT(SECOND FROM ts), date_part('second', ts), date_part('hour', ts) FROM t",
                rewrite_date_parts
            ),
            "SELECT (CAST(date_part('microsecond', ts) AS DECIMAL(20,0)) * 0.000001), \
             (CAST(date_part('microsecond', ts) AS DOUBLE PRECISION) / 1000000), \
             date_part('hour', ts) FROM t"
        );
    }
}
