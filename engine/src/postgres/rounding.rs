//! Rounding to integers as Postgres rounds: a `numeric` half away from zero (`2.5::int` is 3,
//! `-2.5::int` is -3), a float to the nearest even on a tie (`2.5::float8::int` is 2, `3.5` is 4,
//! `round(2.5::float8)` is 2). DataFusion truncated casts (`2.6::int` was 2) and rounded floats'
//! ties away from zero. This analyzer rule runs after DataFusion's type coercion, so the casts it
//! adds (an `INSERT` of decimals into an integer column) round too: the cast's operand, and
//! `round`'s float argument, go through `hangar_round_for_cast` first.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::kernels::arity::unary;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float32Type, Float64Type};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::{Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct Rounding;

impl AnalyzerRule for Rounding {
    fn name(&self) -> &str {
        "hangar_rounding"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let round = Arc::new(ScalarUDF::new_from_impl(RoundForCast::new()));
        super::rewrite_plan_expressions(plan, |e, schema| rounded(e, schema, &round))
    }
}

/// A cast of a float or decimal to an integer type, with its operand rounded first; `round(x)` of
/// a float, rounded so.
fn rounded(mut expr: Expr, schema: &DFSchema, round: &Arc<ScalarUDF>) -> Result<Transformed<Expr>> {
    if let Expr::ScalarFunction(call) = &expr
        && call.name() == "round"
        && let [argument] = call.args.as_slice()
        && matches!(
            argument.get_type(schema),
            Ok(DataType::Float32 | DataType::Float64)
        )
    {
        let argument = argument.clone();
        return Ok(Transformed::yes(Expr::ScalarFunction(
            ScalarFunction::new_udf(Arc::clone(round), vec![argument]),
        )));
    }
    let (operand, target) = match &mut expr {
        Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) => {
            (expr, field.data_type())
        }
        _ => return Ok(Transformed::no(expr)),
    };
    let needs_rounding = target.is_integer()
        && matches!(
            operand.get_type(schema),
            Ok(DataType::Float32 | DataType::Float64 | DataType::Decimal128(..))
        );
    if !needs_rounding {
        return Ok(Transformed::no(expr));
    }
    let inner = std::mem::replace(operand.as_mut(), Expr::Literal(ScalarValue::Null, None));
    **operand = Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(round), vec![inner]));
    Ok(Transformed::yes(expr))
}

/// `hangar_round_for_cast(x)`: a float rounded to the nearest integer, ties to even (C's
/// `rint`, as Postgres' float-to-integer casts); a decimal to scale 0, ties away from zero.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RoundForCast {
    signature: Signature,
}

impl RoundForCast {
    fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for RoundForCast {
    fn name(&self) -> &str {
        "hangar_round_for_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match &args[0] {
            // Rounding may carry into one more digit: 9.5 is 10.
            DataType::Decimal128(precision, scale) => {
                DataType::Decimal128((precision - *scale as u8 + 1).clamp(1, 38), 0)
            }
            other => other.clone(),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let return_type = args.return_field.data_type().clone();
        let [value] = args.args.as_slice() else {
            return Err(DataFusionError::Internal("one argument".into()));
        };
        let rows = args.number_rows;
        let array = value.to_array(rows)?;
        let rounded: ArrayRef = match array.data_type() {
            DataType::Float64 => Arc::new(unary::<Float64Type, _, Float64Type>(
                array.as_primitive(),
                f64::round_ties_even,
            )),
            DataType::Float32 => Arc::new(unary::<Float32Type, _, Float32Type>(
                array.as_primitive(),
                f32::round_ties_even,
            )),
            DataType::Decimal128(_, scale) => {
                let divisor = 10_i128.pow(*scale as u32);
                let values: Decimal128Array =
                    unary::<Decimal128Type, _, Decimal128Type>(array.as_primitive(), |v| {
                        let (quotient, remainder) = (v / divisor, v % divisor);
                        if remainder.abs() * 2 >= divisor {
                            quotient + v.signum()
                        } else {
                            quotient
                        }
                    });
                Arc::new(values.with_data_type(return_type))
            }
            other => {
                return Err(DataFusionError::Internal(format!(
                    "hangar_round_for_cast of {other}"
                )));
            }
        };
        Ok(match value {
            ColumnarValue::Scalar(_) => {
                ColumnarValue::Scalar(ScalarValue::try_from_array(&rounded, 0)?)
            }
            ColumnarValue::Array(_) => ColumnarValue::Array(rounded),
        })
    }
}
