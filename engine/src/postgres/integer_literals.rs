//! Integer literals typed as Postgres types them: an `integer` (int4) when the value fits in one,
//! else a `bigint`. DataFusion reads every integer literal as an Int64, so `2 * 3`, `ARRAY[1, 2]`
//! and `VALUES (1)` were `bigint`s where Postgres' clients read `integer`s. Each literal that fits
//! becomes `CAST(n AS INT4)`, which DataFusion folds back into a literal.
//!
//! Literals that are not values stay as written: `LIMIT`/`OFFSET`/`FETCH` counts, the positions of
//! `ORDER BY 1` and `GROUP BY 1`, window frame offsets, the items of a row constructor
//! (`(1, 2) < (1, 3)`, which DataFusion plans only over literals), and the arguments of functions in
//! `FROM` (DataFusion's `generate_series` reads them as bigint literals).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, GroupByExpr, LimitClause,
    NamedWindowExpr, OrderByKind, Query, Select, Statement, TableFactor, Value, VisitMut,
    VisitorMut, WindowFrameBound, WindowSpec, WindowType,
};

/// Rewrites the integer literals of the queries in `statement`.
pub(crate) fn rewrite_integer_literals(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut IntegerLiterals { queries: 0 });
    statement
}

/// The visitor; `queries` counts the queries it is inside of (a `SET` or `SHOW` has none, and
/// its values stay as written).
struct IntegerLiterals {
    queries: usize,
}

impl VisitorMut for IntegerLiterals {
    type Break = ();

    fn pre_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
        self.queries += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        self.queries -= 1;
        if let Some(order_by) = &mut query.order_by
            && let OrderByKind::Expressions(items) = &mut order_by.kind
        {
            items.iter_mut().for_each(|item| as_written(&mut item.expr));
        }
        match &mut query.limit_clause {
            Some(LimitClause::LimitOffset { limit, offset, .. }) => {
                limit.iter_mut().for_each(as_written);
                if let Some(offset) = offset {
                    as_written(&mut offset.value);
                }
            }
            Some(LimitClause::OffsetCommaLimit { offset, limit }) => {
                as_written(offset);
                as_written(limit);
            }
            None => {}
        }
        if let Some(fetch) = &mut query.fetch {
            fetch.quantity.iter_mut().for_each(as_written);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        if let GroupByExpr::Expressions(items, _) = &mut select.group_by {
            items.iter_mut().for_each(as_written);
        }
        for window in &mut select.named_window {
            if let NamedWindowExpr::WindowSpec(spec) = &mut window.1 {
                frame_as_written(spec);
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        let args = match factor {
            TableFactor::Table {
                args: Some(args), ..
            } => args.args.iter_mut().collect(),
            TableFactor::Function { args, .. } => args.iter_mut().collect(),
            _ => Vec::new(),
        };
        for arg in args {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(expr))
            | FunctionArg::Named {
                arg: FunctionArgExpr::Expr(expr),
                ..
            } = arg
            {
                as_written(expr);
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if self.queries == 0 {
            return ControlFlow::Continue(());
        }
        match expr {
            Expr::Value(value)
                if matches!(&value.value, Value::Number(text, false)
                    if text.parse::<i32>().is_ok()) =>
            {
                crate::statement::cast_in_place(expr, CastKind::Cast, DataType::Int4(None));
            }
            // The planner takes only literals and names in a row constructor.
            Expr::Tuple(items) => items.iter_mut().for_each(as_written),
            Expr::Function(call) => {
                if let Some(WindowType::WindowSpec(spec)) = &mut call.over {
                    frame_as_written(spec);
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// A window frame's offsets (`ROWS 2 PRECEDING`) as written.
fn frame_as_written(spec: &mut WindowSpec) {
    if let Some(frame) = &mut spec.window_frame {
        for bound in std::iter::once(&mut frame.start_bound).chain(frame.end_bound.as_mut()) {
            if let WindowFrameBound::Preceding(Some(offset))
            | WindowFrameBound::Following(Some(offset)) = bound
            {
                as_written(offset);
            }
        }
    }
}

/// `expr` as written when it is a literal this rewrite typed.
fn as_written(expr: &mut Expr) {
    if let Expr::Cast {
        kind: CastKind::Cast,
        expr: literal,
        data_type: DataType::Int4(None),
        format: None,
        ..
    } = expr
        && matches!(literal.as_ref(), Expr::Value(v) if matches!(v.value, Value::Number(..)))
    {
        *expr = std::mem::replace(literal.as_mut(), Expr::value(Value::Null));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn literals_that_fit_are_integers() {
        assert_eq!(
            rewritten(
                "SELECT 2 * 3, 3000000000, 1.5, -7 FROM t WHERE a IN (1, 2)",
                rewrite_integer_literals
            ),
            "SELECT CAST(2 AS INT4) * CAST(3 AS INT4), 3000000000, 1.5, -CAST(7 AS INT4) FROM t \
             WHERE a IN (CAST(1 AS INT4), CAST(2 AS INT4))"
        );
    }

    #[test]
    fn counts_and_positions_stay_as_written() {
        assert_eq!(
            rewritten(
                "SELECT a, sum(b) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) \
                 FROM generate_series(1, 3) GROUP BY 1 ORDER BY 2 LIMIT 5 OFFSET 1",
                rewrite_integer_literals
            ),
            "SELECT a, sum(b) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) \
             FROM generate_series(1, 3) GROUP BY 1 ORDER BY 2 LIMIT 5 OFFSET 1"
        );
    }

    #[test]
    fn settings_stay_as_written() {
        assert_eq!(
            rewritten("SET extra_float_digits = 3", rewrite_integer_literals),
            "SET extra_float_digits = 3"
        );
    }
}
