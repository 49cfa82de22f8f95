//! `LIKE … ESCAPE 'c'` for any escape character. DataFusion's LIKE kernel only knows the backslash,
//! and clients such as SQLAlchemy escape with `/`; this optimizer rule rewrites constant patterns
//! (parameters are constants once bound) into backslash escapes.

use datafusion::common::ScalarValue;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::error::Result;
use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};

/// The optimizer rule; it runs after constant folding, so `$1 || '%'` is a literal by then.
#[derive(Debug, Default)]
pub struct LikeEscape;

impl OptimizerRule for LikeEscape {
    fn name(&self) -> &str {
        "hangar_like_escape"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        plan.map_expressions(|expr| expr.transform_up(|e| Ok(rewrite_like(e))))
    }
}

fn rewrite_like(expr: Expr) -> Transformed<Expr> {
    let Expr::Like(like) = expr else {
        return Transformed::no(expr);
    };
    let escape = match like.escape_char {
        Some(c) if c != '\\' => c,
        _ => return Transformed::no(Expr::Like(like)),
    };
    // The rewritten pattern keeps the literal's string type, which the physical LIKE checks.
    let pattern = match like.pattern.as_ref() {
        Expr::Literal(ScalarValue::Utf8(Some(p)), _) => {
            ScalarValue::Utf8(Some(backslash_escaped(p, escape)))
        }
        Expr::Literal(ScalarValue::Utf8View(Some(p)), _) => {
            ScalarValue::Utf8View(Some(backslash_escaped(p, escape)))
        }
        Expr::Literal(ScalarValue::LargeUtf8(Some(p)), _) => {
            ScalarValue::LargeUtf8(Some(backslash_escaped(p, escape)))
        }
        _ => return Transformed::no(Expr::Like(like)),
    };
    Transformed::yes(Expr::Like(Like {
        pattern: Box::new(Expr::Literal(pattern, None)),
        escape_char: None,
        ..like
    }))
}

/// `pattern` with `escape` as its escape character, rewritten to escape with backslashes.
fn backslash_escaped(pattern: &str, escape: char) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c == escape => match chars.next() {
                Some(next @ ('%' | '_' | '\\')) => {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => {}
            },
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::backslash_escaped;

    #[test]
    fn escapes_become_backslashes() {
        assert_eq!(backslash_escaped("pg/_%", '/'), "pg\\_%");
        assert_eq!(backslash_escaped("a//b/%c", '/'), "a/b\\%c");
        assert_eq!(backslash_escaped("x\\y_", '#'), "x\\\\y_");
    }
}
