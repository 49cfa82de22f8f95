//! `generate_subscripts(array, dim)`, the set-returning function SQLAlchemy uses next to
//! `unnest(array)` to number the columns of a key. DataFusion has no set-returning functions in a
//! select list besides `unnest`, so the call becomes `unnest(generate_series(1, array_length(array,
//! dim)))`: the same subscripts for arrays that start at 1, zipped with any other `unnest` of the
//! select list as Postgres zips them.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, VisitMut, VisitorMut,
};

use crate::statement::parse_expr;

/// Rewrites every `generate_subscripts(array, dim)` call of `statement`.
pub(crate) fn rewrite_generate_subscripts(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Function(call) = expr else {
            return ControlFlow::Continue(());
        };
        let named = call
            .name
            .0
            .last()
            .is_some_and(|part| part.to_string().eq_ignore_ascii_case("generate_subscripts"));
        let FunctionArguments::List(list) = &call.args else {
            return ControlFlow::Continue(());
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
            let series = format!("unnest(generate_series(1, array_length({array}, {dimension})))");
            if let Some(rewritten) = parse_expr(&series) {
                *expr = rewritten;
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    fn rewrite(sql: &str) -> String {
        rewrite_generate_subscripts(parse_statement(sql)).to_string()
    }

    #[test]
    fn subscripts_become_an_unnested_series() {
        assert_eq!(
            rewrite(
                "SELECT unnest(i.indkey), pg_catalog.generate_subscripts(i.indkey, 1) AS ord FROM i"
            ),
            "SELECT unnest(i.indkey), unnest(generate_series(1, array_length(i.indkey, 1))) AS ord FROM i"
        );
    }

    #[test]
    fn other_calls_stay() {
        let sql = "SELECT generate_subscripts(a), generate_series(1, 3) FROM t";
        assert_eq!(rewrite(sql), sql);
    }
}
