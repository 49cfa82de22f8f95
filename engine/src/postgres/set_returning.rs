//! Set-returning functions in a select list, as Postgres runs them: one row per value, zipped
//! with the select list's other set-returning functions. DataFusion has none there besides
//! `unnest`, and planned `generate_series(1, 3)` in a select list as one array (`{1,2,3}`). So:
//! - `generate_series(args)` becomes `unnest(generate_series(args))`, of `integer`s when every
//!   argument is an integer literal that fits an int4 (as in `FROM`, [`super::from_functions`]);
//! - `generate_subscripts(array, dim)`, which SQLAlchemy uses next to `unnest(array)` to number
//!   the columns of a key, becomes `unnest(generate_series(1, array_length(array, dim)))`, as
//!   `integer`s: the same subscripts for arrays that start at 1; `generate_subscripts(array, dim,
//!   reverse)` counts down from the length when `reverse` is true.
//!
//! A call already inside `unnest(…)` stays (a view's stored query is rewritten each time it is
//! read).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, FunctionArguments, Statement, VisitMut, VisitorMut};

use super::from_functions::{function_name, is_int4_literal};
use crate::statement::parse_expr;

/// Rewrites `statement`'s calls of set-returning functions outside `unnest`.
pub(crate) fn rewrite_set_returning(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite { unnest_depth: 0 });
    statement
}

struct Rewrite {
    /// How many `unnest` calls the visit is inside.
    unnest_depth: usize,
}

impl VisitorMut for Rewrite {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if name_of(expr).as_deref() == Some("unnest") {
            self.unnest_depth += 1;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let name = name_of(expr);
        if name.as_deref() == Some("unnest") {
            self.unnest_depth -= 1;
            return ControlFlow::Continue(());
        }
        if self.unnest_depth > 0 {
            return ControlFlow::Continue(());
        }
        let Expr::Function(call) = &*expr else {
            return ControlFlow::Continue(());
        };
        let FunctionArguments::List(list) = &call.args else {
            return ControlFlow::Continue(());
        };
        let arguments = super::from_functions::unnamed_arguments(&list.args);
        let (Some(arguments), None) = (arguments, &call.over) else {
            return ControlFlow::Continue(());
        };
        let rewritten = match (name.as_deref(), arguments.as_slice()) {
            (Some("generate_subscripts"), [array, dimension]) => format!(
                "unnest(CAST(generate_series(1, array_length({array}, {dimension})) AS INTEGER[]))"
            ),
            (Some("generate_subscripts"), [array, dimension, reverse]) => format!(
                "unnest(CAST(CASE WHEN {reverse} \
                 THEN generate_series(array_length({array}, {dimension}), 1, -1) \
                 ELSE generate_series(1, array_length({array}, {dimension})) END AS INTEGER[]))"
            ),
            (Some("generate_series"), [_, _, ..]) if list.args.iter().all(is_int4_literal) => {
                format!("unnest(CAST({call} AS INTEGER[]))")
            }
            (Some("generate_series"), [_, _, ..]) => format!("unnest({call})"),
            _ => return ControlFlow::Continue(()),
        };
        if let Some(rewritten) = parse_expr(&rewritten) {
            *expr = rewritten;
        }
        ControlFlow::Continue(())
    }
}

/// The name of the function an expression calls.
fn name_of(expr: &Expr) -> Option<String> {
    let Expr::Function(call) = expr else {
        return None;
    };
    function_name(&call.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_set_returning)
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
    fn a_series_in_a_select_list_is_unnested_once() {
        assert_eq!(
            rewrite("SELECT generate_series(1, 3) AS n, generate_series(d1, d2, i) FROM t"),
            "SELECT unnest(CAST(generate_series(1, 3) AS INTEGER[])) AS n, \
             unnest(generate_series(d1, d2, i)) FROM t"
        );
        let again = rewrite("SELECT generate_series(1, 3) AS n");
        assert_eq!(rewrite(&again), again);
        // As the integer literals' rewrite writes them.
        assert_eq!(
            rewrite("SELECT generate_series(CAST(1 AS INT4), CAST(3 AS INT4))"),
            "SELECT unnest(CAST(generate_series(CAST(1 AS INT4), CAST(3 AS INT4)) AS INTEGER[]))"
        );
    }

    #[test]
    fn other_calls_stay() {
        let sql = "SELECT generate_subscripts(a), count(*) FROM generate_series(1, 3)";
        assert_eq!(rewrite(sql), sql);
    }

    #[test]
    fn reversed_subscripts_count_down() {
        assert_eq!(
            rewrite("SELECT generate_subscripts(a, 2, r) FROM t"),
            "SELECT unnest(CAST(CASE WHEN r THEN generate_series(array_length(a, 2), 1, -1) \
             ELSE generate_series(1, array_length(a, 2)) END AS INTEGER[])) FROM t"
        );
    }
}
