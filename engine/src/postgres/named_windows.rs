//! Windows defined on other windows, as Postgres reads them: `WINDOW w1 AS (ORDER BY x DESC), w2
//! AS (w1)` and `OVER (w1 ROWS …)` take the named window's partitioning and ordering (and add
//! their own ordering or frame). DataFusion dropped the named window's clauses, so `first_value(x)
//! OVER w2` ran over an unordered window. Each such window becomes the whole specification it
//! means.

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, NamedWindowExpr, Select, SelectItem, Statement, VisitMut, VisitorMut, WindowSpec,
    WindowType, visit_expressions_mut,
};

/// Rewrites the windows of each of `statement`'s selects that name another window.
pub(crate) fn rewrite_named_windows(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        let mut windows: HashMap<String, WindowSpec> = HashMap::new();
        for definition in &mut select.named_window {
            let spec = match &definition.1 {
                NamedWindowExpr::WindowSpec(spec) if spec.window_name.is_none() => {
                    Some(spec.clone())
                }
                NamedWindowExpr::WindowSpec(spec) => resolved(spec, &windows),
                NamedWindowExpr::NamedWindow(base) => windows.get(&base.value).cloned(),
            };
            if let Some(spec) = spec {
                definition.1 = NamedWindowExpr::WindowSpec(spec.clone());
                windows.insert(definition.0.value.clone(), spec);
            }
        }
        let mut calls = |expr: &mut Expr| {
            if let Expr::Function(call) = expr
                && let Some(WindowType::WindowSpec(spec)) = &call.over
                && let Some(spec) = resolved(spec, &windows)
            {
                call.over = Some(WindowType::WindowSpec(spec));
            }
            ControlFlow::<()>::Continue(())
        };
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                let _ = visit_expressions_mut(e, &mut calls);
            }
        }
        ControlFlow::Continue(())
    }
}

/// `spec` with the window it names put in: its partitioning, its ordering unless `spec` orders,
/// and `spec`'s frame, else its. `None` when `spec` names no window, or one not defined.
fn resolved(spec: &WindowSpec, windows: &HashMap<String, WindowSpec>) -> Option<WindowSpec> {
    let base = windows.get(&spec.window_name.as_ref()?.value)?;
    Some(WindowSpec {
        window_name: None,
        partition_by: base.partition_by.clone(),
        order_by: if spec.order_by.is_empty() {
            base.order_by.clone()
        } else {
            spec.order_by.clone()
        },
        window_frame: spec
            .window_frame
            .clone()
            .or_else(|| base.window_frame.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn windows_on_windows_take_their_clauses() {
        assert_eq!(
            rewritten(
                "SELECT first_value(x) OVER w2, sum(x) OVER (w1 ROWS UNBOUNDED PRECEDING) FROM t \
                 WINDOW w1 AS (PARTITION BY k ORDER BY x DESC), w2 AS (w1)",
                rewrite_named_windows
            ),
            "SELECT first_value(x) OVER w2, sum(x) OVER (PARTITION BY k ORDER BY x DESC ROWS \
             UNBOUNDED PRECEDING) FROM t WINDOW w1 AS (PARTITION BY k ORDER BY x DESC), \
             w2 AS (PARTITION BY k ORDER BY x DESC)"
        );
    }
}
