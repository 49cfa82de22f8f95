//! Each `numeric` value printed with its own scale on the Postgres wire, as Postgres prints it
//! (`10.0 / 4` is `2.5000000000000000`, `7::numeric / 7` is `1.00000000000000000000`,
//! `VALUES (1.5), (2.25)` is `1.5` and `2.25`). A decimal column has one scale; a Postgres value
//! has its own, which Postgres derives from the values (a quotient's from the values divided,
//! [`super::numeric_division`]; a variance's likewise, [`super::numeric_spread`]) and the
//! functions that made it.
//!
//! [`with_display_scales`] takes a query's plan before DataFusion's analyzer, while every cast
//! in it is one the statement wrote, and before the optimizer folds a constant quotient's scale
//! as it folds the quotient. For each `numeric` result column whose scale varies (from row to
//! row, or from one operand of `coalesce` to another), the node that computes it (a projection,
//! a `VALUES` list) also computes each value's scale as a column the nodes above pass on (sorts,
//! limits, filters, aliases, projections), and a projection on top writes the value at that
//! scale (`hangar_numeric_text`): text of the `postgres.numeric` extension type, which the wire
//! reports and sends as a `numeric`. Elsewhere (past an aggregate, a join, a union) a value prints
//! at its column's scale. Arrow Flight clients get the decimals.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::extension::EXTENSION_TYPE_NAME_KEY;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Int32Type};
use datafusion::common::{Column, DFSchema, Result, ScalarValue, plan_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::expr::{Case, ScalarFunction};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, LogicalPlanBuilder, Operator, Projection,
    ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, SubqueryAlias,
    Volatility, cast,
};

use super::{numeric_averages, numeric_casts, numeric_division, numeric_math, numeric_spread};

/// `plan` (a query's, as planned from SQL) with its `numeric` columns written at each value's
/// scale where it varies.
pub(crate) fn with_display_scales(plan: LogicalPlan) -> Result<LogicalPlan> {
    // Typed as they will run: `CASE WHEN c THEN 1 ELSE 2.5 END` is a `numeric`, which the plan
    // as planned types by its first branch.
    // Splitting the averages below keeps each column's type.
    let decimal = |f: &Arc<Field>| matches!(f.data_type(), DataType::Decimal128(..));
    let coerced = crate::planner::coerced_schema(&plan);
    if !coerced.fields().iter().any(decimal) {
        return Ok(plan);
    }
    // The averages as the quotients they are.
    let plan = numeric_averages::split_averages(plan)?;
    let schema = Arc::clone(plan.schema());
    let mut scales = Scales::default();
    let mut plan = plan;
    let mut outputs = Vec::with_capacity(schema.fields().len());
    for i in 0..schema.fields().len() {
        let column = Column::from(schema.qualified_field(i));
        let scale = if decimal(coerced.field(i)) {
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
            // Under its qualifier too: columns may share a name ([`super::duplicate_names`]).
            Some(scale) => Expr::ScalarFunction(ScalarFunction::new_udf(
                Arc::clone(&text),
                vec![Expr::Column(column.clone()), Expr::Column(scale)],
            ))
            .alias_qualified(column.relation, field.name()),
            None => Expr::Column(column),
        })
        .collect();
    Ok(LogicalPlan::Projection(Projection::try_new(
        exprs,
        Arc::new(plan),
    )?))
}

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
            LogicalPlan::Values(values) => {
                let Ok(i) = values.schema.index_of_column(column) else {
                    return Ok((LogicalPlan::Values(values), None));
                };
                let column_type = values.schema.field(i).data_type().clone();
                let scales: Option<Vec<i32>> = values
                    .values
                    .iter()
                    .map(|row| literal_scale(&row[i], &column_type))
                    .collect();
                let Some(scales) = scales.filter(|s| s.windows(2).any(|w| w[0] != w[1])) else {
                    return Ok((LogicalPlan::Values(values), None));
                };
                let rows = values
                    .values
                    .into_iter()
                    .zip(scales)
                    .map(|(mut row, scale)| {
                        row.push(Expr::Literal(ScalarValue::Int32(Some(scale)), None));
                        row
                    })
                    .collect::<Vec<_>>();
                let name = format!("column{}", rows[0].len());
                let rewritten = LogicalPlanBuilder::values(rows)?.build()?;
                Ok((rewritten, Some(Column::new_unqualified(name))))
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

    /// The scale of each value of `expr`, an expression over `input`, if it varies (otherwise its
    /// type's), with `input` as that scale needs it. Postgres' rules: a sum or a difference has
    /// the larger scale of its operands, a product their sum; `coalesce`, `greatest`, `least` and
    /// `CASE` the scale of the value they give; `round` and `trunc` the places they keep, `ceil`
    /// and `floor` none.
    fn scale_of(
        &mut self,
        expr: &Expr,
        input: Arc<LogicalPlan>,
    ) -> Result<(Arc<LogicalPlan>, Option<Expr>)> {
        let int = |n: i64| Expr::Literal(ScalarValue::Int32(Some(n as i32)), None);
        match expr {
            Expr::Alias(alias) => self.scale_of(&alias.expr, input),
            Expr::Negative(operand) => self.scale_of(operand, input),
            Expr::Column(column) => {
                let (rewritten, scale) =
                    self.companion(Arc::unwrap_or_clone(Arc::clone(&input)), column)?;
                match scale {
                    Some(scale) => Ok((Arc::new(rewritten), Some(Expr::Column(scale)))),
                    None => Ok((input, None)),
                }
            }
            Expr::ScalarFunction(f) => match (f.func.name(), f.args.as_slice()) {
                // A quotient's, a variance's, a root's… scale, from the same arguments.
                (name, args)
                    if let Some(scale) = numeric_division::scale_function(name)
                        .or_else(|| numeric_spread::scale_function(name))
                        .or_else(|| numeric_math::scale_function(name))
                        .or_else(|| numeric_casts::scale_function(name)) =>
                {
                    let scale = ScalarFunction::new_udf(Arc::new(scale), args.to_vec());
                    Ok((input, Some(Expr::ScalarFunction(scale))))
                }
                ("coalesce", args) => {
                    let (input, scales) = self.operand_scales(args, input, Differ::ByOperand)?;
                    let chosen = args.iter().map(|a| a.clone().is_not_null()).collect();
                    Ok((input, scales.map(|s| case(chosen, s))))
                }
                ("greatest" | "least", args) => {
                    let (input, scales) = self.operand_scales(args, input, Differ::ByOperand)?;
                    let chosen = args.iter().map(|a| expr.clone().eq(a.clone())).collect();
                    Ok((input, scales.map(|s| case(chosen, s))))
                }
                ("round" | "trunc", [_, places]) => Ok((
                    input,
                    Some(match constant_integer(places) {
                        Some(n) => int(n.max(0)),
                        None => greatest(cast(places.clone(), DataType::Int32), int(0)),
                    }),
                )),
                ("round" | "trunc" | "ceil" | "ceiling" | "floor", [_]) => {
                    Ok((input, Some(int(0))))
                }
                ("abs", [operand]) => self.scale_of(operand, input),
                _ => Ok((input, None)),
            },
            Expr::BinaryExpr(binary) => {
                let combine = match binary.op {
                    Operator::Plus | Operator::Minus => greatest,
                    Operator::Multiply => |a: Expr, b: Expr| a + b,
                    _ => return Ok((input, None)),
                };
                // Of operands of one scale each, the type's scale is Postgres'.
                let operands = [(*binary.left).clone(), (*binary.right).clone()];
                let (input, scales) = self.operand_scales(&operands, input, Differ::ByRow)?;
                Ok((input, scales.and_then(|s| s.into_iter().reduce(combine))))
            }
            Expr::Case(case_expr) => {
                let mut results: Vec<Expr> = case_expr
                    .when_then_expr
                    .iter()
                    .map(|(_, then)| (**then).clone())
                    .collect();
                results.extend(case_expr.else_expr.iter().map(|e| (**e).clone()));
                let (input, scales) = self.operand_scales(&results, input, Differ::ByOperand)?;
                let Some(mut scales) = scales else {
                    return Ok((input, None));
                };
                let else_scale = case_expr
                    .else_expr
                    .as_ref()
                    .map(|_| Box::new(scales.pop().expect("an else scale")));
                let when_then = case_expr
                    .when_then_expr
                    .iter()
                    .zip(scales)
                    .map(|((when, _), scale)| (when.clone(), Box::new(scale)))
                    .collect();
                Ok((
                    input,
                    Some(Expr::Case(Case::new(
                        case_expr.expr.clone(),
                        when_then,
                        else_scale,
                    ))),
                ))
            }
            _ => Ok((input, None)),
        }
    }

    /// The scale of each value of each of `operands`, a value's own or its type's, if they can
    /// differ as `differ` says; `None` otherwise.
    fn operand_scales(
        &mut self,
        operands: &[Expr],
        mut input: Arc<LogicalPlan>,
        differ: Differ,
    ) -> Result<(Arc<LogicalPlan>, Option<Vec<Expr>>)> {
        let mut scales = Vec::with_capacity(operands.len());
        let mut varies = false;
        let mut fixed = Vec::new();
        for operand in operands {
            let Some(type_scale) = type_scale(operand, input.schema()) else {
                return Ok((input, None));
            };
            let (rewritten, scale) = self.scale_of(operand, Arc::clone(&input))?;
            input = rewritten;
            match scale {
                Some(scale) => {
                    varies = true;
                    scales.push(scale);
                }
                None => {
                    fixed.push(type_scale);
                    scales.push(Expr::Literal(ScalarValue::Int32(Some(type_scale)), None));
                }
            }
        }
        varies |= differ == Differ::ByOperand && fixed.windows(2).any(|w| w[0] != w[1]);
        Ok((input, varies.then_some(scales)))
    }
}

/// When the scales of operands matter: when one varies from row to row, or also when two
/// operands' types have different scales (for a function that gives one of its operands).
#[derive(PartialEq, Eq, Clone, Copy)]
enum Differ {
    ByRow,
    ByOperand,
}

/// The scale of `expr`'s type over `schema`, if it is a number: a decimal's, an integer's 0; a
/// `NULL`'s 0.
fn type_scale(expr: &Expr, schema: &DFSchema) -> Option<i32> {
    match expr.get_type(schema).ok()? {
        DataType::Decimal128(_, scale) => Some(scale as i32),
        t if t.is_integer() || t.is_null() => Some(0),
        _ => None,
    }
}

/// The scale of a value of a `VALUES` list's column of `column_type` as written: a literal's own
/// (under the cast to the column's type that planning adds), another number's type's.
fn literal_scale(value: &Expr, column_type: &DataType) -> Option<i32> {
    match value {
        Expr::Negative(operand) => literal_scale(operand, column_type),
        Expr::Cast(cast) if cast.field.data_type() == column_type => {
            literal_scale(&cast.expr, column_type)
        }
        Expr::Literal(ScalarValue::Decimal128(_, _, scale), _) => Some(*scale as i32),
        other => type_scale(other, &DFSchema::empty()),
    }
}

/// The value of `expr` if it is an integer constant (under casts, as literals are planned).
fn constant_integer(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Literal(value, _) => match value.cast_to(&DataType::Int64).ok()? {
            ScalarValue::Int64(n) => n,
            _ => None,
        },
        Expr::Cast(cast) => constant_integer(&cast.expr),
        Expr::Negative(operand) => constant_integer(operand).map(|n| -n),
        _ => None,
    }
}

/// `CASE WHEN chosen[0] THEN scales[0] … END`: the scale of the value chosen.
fn case(chosen: Vec<Expr>, scales: Vec<Expr>) -> Expr {
    let when_then = chosen
        .into_iter()
        .zip(scales)
        .map(|(when, then)| (Box::new(when), Box::new(then)))
        .collect();
    Expr::Case(Case::new(None, when_then, None))
}

/// The larger of two scales.
fn greatest(a: Expr, b: Expr) -> Expr {
    datafusion::functions::core::expr_fn::greatest(vec![a, b])
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
        make_scalar_function(numeric_texts, vec![])(&args.args)
    }
}

/// Each decimal of `arrays[0]` written at the scale beside it in `arrays[1]`.
fn numeric_texts(arrays: &[ArrayRef]) -> Result<ArrayRef> {
    let DataType::Decimal128(_, type_scale) = arrays[0].data_type() else {
        return plan_err!("hangar_numeric_text takes a decimal");
    };
    let values = arrays[0].as_primitive::<Decimal128Type>();
    let scales = datafusion::arrow::compute::cast(&arrays[1], &DataType::Int32)?;
    let scales = scales.as_primitive::<Int32Type>();
    let mut text = StringBuilder::with_capacity(values.len(), values.len() * 24);
    for i in 0..values.len() {
        if values.is_null(i) || scales.is_null(i) {
            text.append_null();
        } else {
            let scale = scales.value(i).clamp(0, MAX_SCALE);
            text.append_value(decimal_text(values.value(i), *type_scale as i32, scale));
        }
    }
    Ok(Arc::new(text.finish()))
}

/// The most decimals a value is written with: a decimal's.
const MAX_SCALE: i32 = 38;

/// The text of the unscaled `value` of scale `type_scale` with `scale` decimals: digits beyond
/// `scale` are zeros, which it leaves out; `scale` beyond `type_scale`, zeros it adds.
pub(crate) fn decimal_text(value: i128, type_scale: i32, scale: i32) -> String {
    let magnitude = value.unsigned_abs();
    let digits = if scale <= type_scale {
        magnitude / 10u128.pow((type_scale - scale) as u32)
    } else {
        magnitude * 10u128.pow((scale - type_scale) as u32)
    };
    let digits = format!("{digits:0>width$}", width = scale as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    let sign = if value < 0 && digits.bytes().any(|d| d != b'0') {
        "-"
    } else {
        ""
    };
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
        assert_eq!(decimal_text(-42, -1, 0), "-420");
        assert_eq!(decimal_text(15, 1, 3), "1.500");
    }
}
