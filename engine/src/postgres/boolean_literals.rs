//! Quoted literals compared with booleans, as Postgres reads them: `indisprimary = 'f'` (in
//! SQLAlchemy 1.4's index inspection, which Superset runs). Postgres gives a quoted literal the
//! type of what it is compared with; DataFusion keeps it text and refuses `Boolean = Utf8`. This
//! analyzer rule runs before DataFusion's type coercion and turns such a literal into a boolean.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::BinaryExpr;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct BooleanLiterals;

impl AnalyzerRule for BooleanLiterals {
    fn name(&self) -> &str {
        "hangar_boolean_literals"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            let schema = merge_schema(&node.inputs());
            node.map_expressions(|expr| expr.transform_up(|e| retype(e, &schema)))
        })
        .map(|t| t.data)
    }
}

/// `x op 'text'` (or `'text' op x`) with a boolean `x` and a comparison `op`, the text read as a
/// boolean.
fn retype(expr: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::BinaryExpr(BinaryExpr {
        mut left,
        op,
        mut right,
    }) = expr
    else {
        return Ok(Transformed::no(expr));
    };
    let comparison = super::float_resolution::is_comparison(op);
    let mut changed = false;
    if comparison {
        if let Some(literal) = as_boolean(&left, &right, schema) {
            *left = literal;
            changed = true;
        } else if let Some(literal) = as_boolean(&right, &left, schema) {
            *right = literal;
            changed = true;
        }
    }
    let expr = Expr::BinaryExpr(BinaryExpr { left, op, right });
    Ok(if changed {
        Transformed::yes(expr)
    } else {
        Transformed::no(expr)
    })
}

/// `side` as a boolean literal, when it is text that spells one and `other` is boolean.
fn as_boolean(side: &Expr, other: &Expr, schema: &DFSchema) -> Option<Expr> {
    let value = boolean(text_literal(side)?)?;
    matches!(other.get_type(schema), Ok(DataType::Boolean))
        .then(|| Expr::Literal(ScalarValue::Boolean(Some(value)), None))
}

fn text_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Literal(
            ScalarValue::Utf8(Some(s))
            | ScalarValue::Utf8View(Some(s))
            | ScalarValue::LargeUtf8(Some(s)),
            _,
        ) => Some(s),
        _ => None,
    }
}

/// A boolean as Postgres spells one in text: a prefix of `true`, `false`, `yes` or `no`, or `on`,
/// `off`, `1`, `0`, in any case and with surrounding spaces.
fn boolean(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_lowercase();
    let prefix_of = |word: &str| !t.is_empty() && word.starts_with(t.as_str());
    if prefix_of("true") || prefix_of("yes") || t == "on" || t == "1" {
        Some(true)
    } else if prefix_of("false") || prefix_of("no") || t == "off" || t == "0" {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_read_as_postgres_reads_them() {
        for (text, value) in [
            ("f", Some(false)),
            ("t", Some(true)),
            (" TRUE ", Some(true)),
            ("no", Some(false)),
            ("y", Some(true)),
            ("off", Some(false)),
            ("1", Some(true)),
            ("o", None),
            ("", None),
            ("maybe", None),
        ] {
            assert_eq!(boolean(text), value, "{text:?}");
        }
    }
}
