//! `generate_subscripts(array, dim)`, the set-returning function SQLAlchemy uses next to
//! `unnest(array)` to number the columns of a key. DataFusion has no set-returning functions in a
//! select list besides `unnest`, so the call becomes `unnest(generate_series(1, array_length(array,
//! dim)))`, as `integer`s: the same subscripts for arrays that start at 1, zipped with any other `unnest` of the
//! select list as Postgres zips them.

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every `generate_subscripts(array, dim)` call of `statement`.
pub(crate) fn rewrite_generate_subscripts(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Function(call) = expr else {
            return;
        };
        let named = call
            .name
            .0
            .last()
            .is_some_and(|part| part.to_string().eq_ignore_ascii_case("generate_subscripts"));
        let FunctionArguments::List(list) = &call.args else {
            return;
        };
        let arguments: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect();
        if let (true, [array, dimension]) = (named, arguments.as_slice()) {
            let series = format!(
                "unnest(CAST(generate_series(1, array_length({array}, {dimension})) AS INTEGER[]))"
            );
            if let Some(rewritten) = parse_expr(&series) {
                *expr = rewritten;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_generate_subscripts)
    }

    #[test]
    fn subscripts_become_an_unnested_series() {
        assert_eq!(
            rewrite(
                "SELECT unnest(i.indkey), pg_catalog.generate_subscripts(i.indkey, 1) AS ord FROM i"
            ),
            "SELECT unnest(i.indkey), unnest(CAST(generate_series(1, array_length(i.indkey, 1)) AS INTEGER[])) AS ord FROM i"
        );
    }

    #[test]
    fn other_calls_stay() {
        let sql = "SELECT generate_subscripts(a), generate_series(1, 3) FROM t";
        assert_eq!(rewrite(sql), sql);
    }
}
