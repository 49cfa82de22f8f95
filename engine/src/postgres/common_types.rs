//! The branches of a `UNION`, a `CASE` and a `COALESCE` must have types Postgres can resolve to
//! one: the same category (numbers, text, dates and times, intervals, booleans), a quoted literal
//! (of unknown type until then) taking the type the others resolve to. DataFusion coerced
//! anything to text instead, so `SELECT 1 UNION SELECT 'a'` answered `1` and `a` in a column it
//! described as `integer`, and `CASE WHEN … THEN 1 ELSE 'x'::text END` answered. Checked on the
//! plan as the SQL planner builds it, before DataFusion's type coercion.

use datafusion::arrow::array::{Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};

use crate::{Anchor, Error, Result};

/// Fails as Postgres does when a `UNION`, `CASE` or `COALESCE` of `plan` mixes types it cannot
/// resolve to one.
pub(crate) fn check_common_types(plan: &LogicalPlan) -> Result<()> {
    let mut failure = None;
    let _ = plan.apply_with_subqueries(|node| {
        failure = match node {
            LogicalPlan::Union(union) => (0..union.schema.fields().len())
                .find_map(|column| union_column(&union.inputs, column).err()),
            _ => None,
        }
        .or_else(|| node_expressions(node).err());
        Ok(if failure.is_some() {
            TreeNodeRecursion::Stop
        } else {
            TreeNodeRecursion::Continue
        })
    });
    failure.map_or(Ok(()), Err)
}

/// The types of one column of a union's inputs, in order.
fn union_column(inputs: &[std::sync::Arc<LogicalPlan>], column: usize) -> Result<()> {
    let branches: Vec<Branch> = inputs
        .iter()
        .map(|input| {
            let data_type = input.schema().field(column).data_type().clone();
            let expr = match input.as_ref() {
                LogicalPlan::Projection(p) => p.expr.get(column).cloned(),
                _ => None,
            };
            Branch { data_type, expr }
        })
        .collect();
    resolve("UNION", &branches)
}

/// The `CASE` and `COALESCE` expressions of a plan node.
fn node_expressions(node: &LogicalPlan) -> Result<()> {
    let inputs = node.inputs();
    let schema: &DFSchema = match inputs.as_slice() {
        [input] => input.schema(),
        _ => node.schema(),
    };
    for expr in node.expressions() {
        let mut failure = None;
        let _ = expr.apply(|e| {
            let branches = match e {
                Expr::Case(Case {
                    when_then_expr,
                    else_expr,
                    ..
                }) => Some((
                    "CASE",
                    // Postgres resolves the ELSE branch first.
                    else_expr
                        .iter()
                        .map(|e| e.as_ref())
                        .chain(when_then_expr.iter().map(|(_, then)| then.as_ref()))
                        .collect::<Vec<_>>(),
                )),
                Expr::ScalarFunction(f) if f.name() == "coalesce" => {
                    Some(("COALESCE", f.args.iter().collect()))
                }
                _ => None,
            };
            if let Some((construct, exprs)) = branches {
                let branches: Option<Vec<Branch>> = exprs
                    .into_iter()
                    .map(|e| {
                        Some(Branch {
                            data_type: e.get_type(schema).ok()?,
                            expr: Some(e.clone()),
                        })
                    })
                    .collect();
                if let Some(branches) = branches {
                    failure = resolve(construct, &branches).err();
                }
            }
            Ok(if failure.is_some() {
                TreeNodeRecursion::Stop
            } else {
                TreeNodeRecursion::Continue
            })
        });
        if let Some(error) = failure {
            return Err(error);
        }
    }
    Ok(())
}

/// One branch: its type and, where the plan shows it, its expression.
struct Branch {
    data_type: DataType,
    expr: Option<Expr>,
}

impl Branch {
    /// The text of a quoted literal, whose type Postgres leaves unknown until the other branches
    /// resolve it.
    fn unknown_literal(&self) -> Option<&str> {
        match self.expr.as_ref().map(unaliased)? {
            Expr::Literal(ScalarValue::Utf8(Some(text)), _) => Some(text),
            _ => None,
        }
    }

    /// Where Postgres points for this branch: its column, number or quoted literal.
    fn anchor(&self) -> Anchor {
        let mut expr = match &self.expr {
            Some(e) => unaliased(e),
            None => return Anchor::Nowhere,
        };
        while let Expr::Cast(cast) = expr {
            expr = &cast.expr;
        }
        match expr {
            Expr::Column(column) => Anchor::Word(column.name.clone()),
            Expr::Literal(value, _) => match value.try_as_str() {
                Some(Some(text)) => Anchor::Literal(text.into()),
                _ if !value.is_null() => Anchor::Word(value.to_string()),
                _ => Anchor::Nowhere,
            },
            _ => Anchor::Nowhere,
        }
    }
}

fn unaliased(expr: &Expr) -> &Expr {
    match expr {
        Expr::Alias(alias) => unaliased(&alias.expr),
        other => other,
    }
}

/// Postgres' type categories, for the types that have one here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Numeric,
    String,
    DateTime,
    Timespan,
    Boolean,
}

fn category(data_type: &DataType) -> Option<Category> {
    Some(match data_type {
        t if t.is_numeric() => Category::Numeric,
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => Category::String,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => Category::DateTime,
        DataType::Interval(_) | DataType::Duration(_) => Category::Timespan,
        DataType::Boolean => Category::Boolean,
        _ => return None,
    })
}

/// Resolves the branches' types as Postgres does: the first typed branch sets the category, the
/// others must share it (`UNION types integer and text cannot be matched`, 42804); a quoted
/// literal must read as the resolved type (`invalid input syntax for type integer: "a"`).
fn resolve(construct: &str, branches: &[Branch]) -> Result<()> {
    let typed = || {
        branches
            .iter()
            .filter(|b| b.unknown_literal().is_none() && b.data_type != DataType::Null)
    };
    let Some(first) = typed().next() else {
        return Ok(());
    };
    let Some(resolved) = category(&first.data_type) else {
        return Ok(());
    };
    for branch in typed().skip(1) {
        if category(&branch.data_type).is_some_and(|c| c != resolved) {
            return Err(Error::postgres(
                "42804",
                format!(
                    "{construct} types {} and {} cannot be matched",
                    crate::error::pg_type_name(&first.data_type),
                    crate::error::pg_type_name(&branch.data_type)
                ),
                branch.anchor(),
            ));
        }
    }
    if resolved == Category::String {
        return Ok(());
    }
    for text in branches.iter().filter_map(Branch::unknown_literal) {
        let value = StringArray::from(vec![text]);
        let read = cast(&value, &first.data_type)
            .map_err(|e| Error::DataFusion(DataFusionError::ArrowError(Box::new(e), None)))?;
        if read.is_null(0) {
            return Err(Error::DataFusion(DataFusionError::ArrowError(
                Box::new(datafusion::arrow::error::ArrowError::CastError(format!(
                    "Cannot cast string '{text}' to value of {} type",
                    first.data_type
                ))),
                None,
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branch(data_type: DataType, expr: Expr) -> Branch {
        Branch {
            data_type,
            expr: Some(expr),
        }
    }

    #[test]
    fn branches_resolve_as_in_postgres() {
        let int = || {
            branch(
                DataType::Int32,
                Expr::Literal(ScalarValue::Int32(Some(1)), None),
            )
        };
        let text = |t: &str| {
            branch(
                DataType::Utf8,
                Expr::Literal(ScalarValue::Utf8(Some(t.into())), None),
            )
        };
        let column = || branch(DataType::Utf8View, datafusion::prelude::col("n_name"));
        let error = |branches: &[Branch], sql: &str| {
            let e = resolve("UNION", branches).unwrap_err();
            (e.sqlstate(), e.message(), e.position(sql))
        };
        assert_eq!(
            error(
                &[int(), column()],
                "SELECT 1 UNION SELECT n_name FROM nation"
            ),
            (
                "42804",
                "UNION types integer and text cannot be matched".to_string(),
                Some(23)
            )
        );
        assert_eq!(
            error(&[int(), text("a")], "SELECT 1 UNION SELECT 'a'"),
            (
                "22P02",
                "invalid input syntax for type integer: \"a\"".to_string(),
                Some(23)
            )
        );
        assert!(resolve("UNION", &[int(), text("2")]).is_ok());
        assert!(resolve("UNION", &[column(), text("x")]).is_ok());
        assert!(resolve("CASE", &[text("x"), text("y")]).is_ok());
        let null = branch(DataType::Null, Expr::Literal(ScalarValue::Null, None));
        assert!(resolve("CASE", &[null, int()]).is_ok());
    }
}
