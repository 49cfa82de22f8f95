//! Each `numeric` value printed with its own scale on the Postgres wire, as Postgres prints it
//! (`10.0 / 4` is `2.5000000000000000`, `7::numeric / 7` is `1.00000000000000000000`, `21::numeric
//! / 7` is `3.0000000000000000`). A decimal column has one scale, but the scale of a Postgres
//! quotient depends on the values divided ([`super::numeric_division`]).
//!
//! [`with_display_scales`] takes a query's optimized plan. For each result column that is a
//! quotient, computed in a projection below the result and passed up through sorts, limits,
//! filters, aliases and projections, that projection also computes the quotient's scale
//! (`hangar_numeric_div_scale`) as a column the nodes above pass on, and a projection on top writes
//! the value at that scale (`hangar_numeric_text`): text of the `postgres.numeric` extension type,
//! which the wire reports and sends as a `numeric`. A quotient that goes on into other
//! arithmetic, an aggregate or a join prints at its column's scale. Arrow Flight clients get the
//! decimals.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::extension::EXTENSION_TYPE_NAME_KEY;
use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Int32Type};
use datafusion::common::tree_node::TreeNode;
use datafusion::common::{Column, Result, ScalarValue, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, LogicalPlan, Projection, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, SubqueryAlias, Volatility,
};

use super::numeric_division;

/// `plan` (a query's, optimized) with its quotient columns written at each value's scale.
pub(crate) fn with_display_scales(plan: LogicalPlan) -> Result<LogicalPlan> {
    if !has_quotient(&plan)? {
        return Ok(plan);
    }
    let schema = Arc::clone(plan.schema());
    let mut scales = Scales::default();
    let mut plan = plan;
    let mut outputs = Vec::with_capacity(schema.fields().len());
    for i in 0..schema.fields().len() {
        let column = Column::from(schema.qualified_field(i));
        let scale = if matches!(schema.field(i).data_type(), DataType::Decimal128(..)) {
            let (rewritten, scale) = scales.companion(plan, &column)?;
            plan = rewritten;
            scale
        } else {
            None
        };
        outputs.push((column, scale));
    }
    if outputs.iter().all(|(_, scale)| scale.is_none()) {
        return Ok(plan);
    }
    let text = Arc::new(ScalarUDF::new_from_impl(NumericText::new()));
    let exprs = outputs
        .into_iter()
        .zip(schema.fields())
        .map(|((column, scale), field)| match scale {
            Some(scale) => Expr::ScalarFunction(ScalarFunction::new_udf(
                Arc::clone(&text),
                vec![Expr::Column(column), Expr::Column(scale)],
            ))
            .alias(field.name()),
            None => Expr::Column(column),
        })
        .collect();
    Ok(LogicalPlan::Projection(Projection::try_new(
        exprs,
        Arc::new(plan),
    )?))
}

/// Whether `plan` divides `numeric`s anywhere.
fn has_quotient(plan: &LogicalPlan) -> Result<bool> {
    plan.exists(|node| {
        Ok(node.expressions().iter().any(|e| {
            e.exists(|e| Ok(matches!(e, Expr::ScalarFunction(f) if f.func.name() == QUOTIENT)))
                .unwrap_or(false)
        }))
    })
}

/// The name of the quotient function.
const QUOTIENT: &str = "hangar_numeric_div";

/// The scale columns added to a plan, numbered.
#[derive(Default)]
struct Scales {
    added: usize,
}

impl Scales {
    /// `plan` with a column more giving the scale of each value of its column `column`, and that
    /// column, if `column` is a quotient whose scale varies; otherwise `plan` as it was.
    fn companion(
        &mut self,
        plan: LogicalPlan,
        column: &Column,
    ) -> Result<(LogicalPlan, Option<Column>)> {
        match plan {
            LogicalPlan::Projection(projection) => {
                let Ok(i) = projection.schema.index_of_column(column) else {
                    return Ok((LogicalPlan::Projection(projection), None));
                };
                let (input, scale) =
                    self.scale_of(&projection.expr[i], Arc::clone(&projection.input))?;
                let Some(scale) = scale else {
                    return Ok((LogicalPlan::Projection(projection), None));
                };
                self.added += 1;
                let name = format!("__hangar_scale_{}", self.added);
                let mut exprs = projection.expr;
                exprs.push(scale.alias(&name));
                let projection = Projection::try_new(exprs, input)?;
                Ok((
                    LogicalPlan::Projection(projection),
                    Some(Column::new_unqualified(name)),
                ))
            }
            LogicalPlan::SubqueryAlias(alias) => {
                let Ok(i) = alias.schema.index_of_column(column) else {
                    return Ok((LogicalPlan::SubqueryAlias(alias), None));
                };
                let inner = Column::from(alias.input.schema().qualified_field(i));
                let (input, scale) =
                    self.companion(Arc::unwrap_or_clone(Arc::clone(&alias.input)), &inner)?;
                let Some(scale) = scale else {
                    return Ok((LogicalPlan::SubqueryAlias(alias), None));
                };
                let rewritten = SubqueryAlias::try_new(Arc::new(input), alias.alias.clone())?;
                let scale = Column::new(Some(alias.alias), scale.name);
                Ok((LogicalPlan::SubqueryAlias(rewritten), Some(scale)))
            }
            // These pass their input's columns on as they are.
            LogicalPlan::Sort(_) | LogicalPlan::Limit(_) | LogicalPlan::Filter(_) => {
                let input = plan.inputs()[0].clone();
                let (input, scale) = self.companion(input, column)?;
                if scale.is_none() {
                    return Ok((plan, None));
                }
                let rewritten = plan.with_new_exprs(plan.expressions(), vec![input])?;
                Ok((rewritten, scale))
            }
            other => Ok((other, None)),
        }
    }

    /// The scale of each value of `expr`, an expression over `input`, if it varies, with `input`
    /// as that scale needs it.
    fn scale_of(
        &mut self,
        expr: &Expr,
        input: Arc<LogicalPlan>,
    ) -> Result<(Arc<LogicalPlan>, Option<Expr>)> {
        match expr {
            Expr::Alias(alias) => self.scale_of(&alias.expr, input),
            Expr::ScalarFunction(f) if f.func.name() == QUOTIENT => {
                let scale = Expr::ScalarFunction(ScalarFunction::new_udf(
                    Arc::new(numeric_division::quotient_scale()),
                    f.args.clone(),
                ));
                Ok((input, Some(scale)))
            }
            Expr::Column(column) => {
                let (rewritten, scale) =
                    self.companion(Arc::unwrap_or_clone(Arc::clone(&input)), column)?;
                match scale {
                    Some(scale) => Ok((Arc::new(rewritten), Some(Expr::Column(scale)))),
                    None => Ok((input, None)),
                }
            }
            _ => Ok((input, None)),
        }
    }
}

/// `hangar_numeric_text(value, scale)`: a decimal written at a scale of its own, up to its type's,
/// as text of the `postgres.numeric` extension type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericText {
    signature: Signature,
}

impl NumericText {
    fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for NumericText {
    fn name(&self) -> &str {
        "hangar_numeric_text"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(
            Field::new(self.name(), DataType::Utf8, true).with_metadata(HashMap::from([(
                EXTENSION_TYPE_NAME_KEY.to_string(),
                arrow_pg::datatypes::NUMERIC_EXTENSION.to_string(),
            )])),
        ))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let DataType::Decimal128(_, type_scale) = arrays[0].data_type() else {
            return plan_err!("hangar_numeric_text takes a decimal");
        };
        let values = arrays[0].as_primitive::<Decimal128Type>();
        let scales = arrays[1].as_primitive::<Int32Type>();
        let mut text = StringBuilder::with_capacity(values.len(), values.len() * 24);
        for i in 0..values.len() {
            if values.is_null(i) || scales.is_null(i) {
                text.append_null();
            } else {
                let scale = scales.value(i).clamp(0, *type_scale as i32);
                text.append_value(decimal_text(values.value(i), *type_scale as i32, scale));
            }
        }
        let result: datafusion::arrow::array::ArrayRef = Arc::new(text.finish());
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(result)
        })
    }
}

/// The text of the unscaled `value` of scale `type_scale` with `scale` decimals, which its
/// digits beyond are zeros of.
pub(crate) fn decimal_text(value: i128, type_scale: i32, scale: i32) -> String {
    let value = value / 10i128.pow((type_scale - scale) as u32);
    let digits = format!(
        "{:0>width$}",
        value.unsigned_abs(),
        width = scale as usize + 1
    );
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    let sign = if value < 0 { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::decimal_text;

    #[test]
    fn values_are_written_at_their_own_scale() {
        assert_eq!(
            decimal_text(2_525_550_000_000_000_000_000, 20, 16),
            "25.2555000000000000"
        );
        assert_eq!(decimal_text(-5_000, 4, 1), "-0.5");
        assert_eq!(decimal_text(300, 2, 0), "3");
        assert_eq!(decimal_text(7, 2, 2), "0.07");
    }
}
