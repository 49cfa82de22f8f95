//! A `numeric` becomes the float nearest it, as Postgres converts one (through its text, read as
//! `strtod` reads it). Arrow's cast scaled the integer by a power of ten in floating point, one
//! unit in the last place off where the digits do not fit a float exactly: `1e15::float8` was
//! `999999999999999.9`, `1.23456789012345678901::float8` was `1.234567890123457`. This analyzer
//! rule runs after DataFusion's type coercion, so the casts it adds (a `numeric` compared with a
//! `float8`) convert so too.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float32Array, Float64Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::{Cast, ScalarFunction};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct DecimalFloats;

impl AnalyzerRule for DecimalFloats {
    fn name(&self) -> &str {
        "hangar_decimal_floats"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let f64_udf = Arc::new(ScalarUDF::new_from_impl(NearestFloat::new(
            DataType::Float64,
        )));
        let f32_udf = Arc::new(ScalarUDF::new_from_impl(NearestFloat::new(
            DataType::Float32,
        )));
        super::rewrite_plan_expressions(plan, |e, schema| converted(e, schema, &f64_udf, &f32_udf))
    }
}

/// A cast of a decimal to a float, as `hangar_float8`/`hangar_float4` of it.
fn converted(
    expr: Expr,
    schema: &DFSchema,
    f64_udf: &Arc<ScalarUDF>,
    f32_udf: &Arc<ScalarUDF>,
) -> Result<Transformed<Expr>> {
    let Expr::Cast(Cast {
        expr: operand,
        field,
    }) = &expr
    else {
        return Ok(Transformed::no(expr));
    };
    let udf = match field.data_type() {
        DataType::Float64 => f64_udf,
        DataType::Float32 => f32_udf,
        _ => return Ok(Transformed::no(expr)),
    };
    if !matches!(operand.get_type(schema), Ok(DataType::Decimal128(..))) {
        return Ok(Transformed::no(expr));
    }
    Ok(Transformed::yes(Expr::ScalarFunction(
        ScalarFunction::new_udf(Arc::clone(udf), vec![*operand.clone()]),
    )))
}

/// `hangar_float8(d)` / `hangar_float4(d)`: the float nearest a decimal.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NearestFloat {
    target: DataType,
    signature: Signature,
}

impl NearestFloat {
    fn new(target: DataType) -> Self {
        Self {
            target,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for NearestFloat {
    fn name(&self) -> &str {
        match self.target {
            DataType::Float32 => "hangar_float4",
            _ => "hangar_float8",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [value] = args.args.as_slice() else {
            return Err(DataFusionError::Internal("one argument".into()));
        };
        let array = value.to_array(args.number_rows)?;
        let DataType::Decimal128(_, scale) = array.data_type() else {
            return Err(DataFusionError::Internal(format!(
                "{} of {}",
                self.name(),
                array.data_type()
            )));
        };
        let scale = *scale;
        let decimals = array.as_primitive::<Decimal128Type>();
        let floats: ArrayRef = match self.target {
            DataType::Float32 => Arc::new(
                decimals
                    .iter()
                    .map(|v| v.map(|v| decimal_text(v, scale).parse().unwrap_or(f32::NAN)))
                    .collect::<Float32Array>(),
            ),
            _ => Arc::new(
                decimals
                    .iter()
                    .map(|v| v.map(|v| nearest(v, scale)))
                    .collect::<Float64Array>(),
            ),
        };
        Ok(ColumnarValue::Array(floats))
    }
}

/// The `f64` nearest `value × 10^-scale`: a division of two exact floats is rounded correctly;
/// beyond them, the decimal's text read as a float is.
fn nearest(value: i128, scale: i8) -> f64 {
    const EXACT: i128 = 1 << 53;
    if value.abs() <= EXACT && (0..=22).contains(&scale) {
        return value as f64 / 10f64.powi(i32::from(scale));
    }
    decimal_text(value, scale).parse().unwrap_or(f64::NAN)
}

/// A decimal as text a float parser reads exactly (`12345e-2`).
fn decimal_text(value: i128, scale: i8) -> String {
    format!("{value}e{}", -i32::from(scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_the_nearest_float() {
        assert_eq!(nearest(1_000_000_000_000_000 * 10_i128.pow(10), 10), 1e15);
        assert_eq!(
            nearest(123_456_789_012_345_678_901, 20),
            1.234_567_890_123_456_7
        );
        assert_eq!(nearest(-25, 1), -2.5);
        assert_eq!(nearest(1, -3), 1000.0);
    }
}
