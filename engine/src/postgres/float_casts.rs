//! Casts to `float8` and `real` as Postgres makes them. A `numeric` becomes the float nearest it
//! (Postgres converts through its text, read as `strtod` reads it): Arrow's cast scaled the
//! integer by a power of ten in floating point, one unit in the last place off where the digits
//! do not fit a float exactly (`1e15::float8` was `999999999999999.9`). Text beyond the type's
//! range is refused (`"1e400" is out of range for type double precision`), where Arrow's cast
//! read it as infinity or zero. This analyzer rule runs after DataFusion's type coercion, so the
//! casts it adds (a `numeric` compared with a `float8`) convert so too.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float32Array, Float64Array};
use datafusion::arrow::compute::cast;
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

use crate::{Anchor, Error};

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct FloatCasts;

impl AnalyzerRule for FloatCasts {
    fn name(&self) -> &str {
        "hangar_float_casts"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let udfs = [DataType::Float64, DataType::Float32]
            .map(|t| Arc::new(ScalarUDF::new_from_impl(PostgresFloat::new(t))));
        super::rewrite_plan_expressions(plan, |e, schema| converted(e, schema, &udfs))
    }
}

/// A cast of a decimal or of text to a float, as `hangar_float8`/`hangar_float4` of it.
fn converted(
    expr: Expr,
    schema: &DFSchema,
    udfs: &[Arc<ScalarUDF>; 2],
) -> Result<Transformed<Expr>> {
    let Expr::Cast(Cast {
        expr: operand,
        field,
    }) = &expr
    else {
        return Ok(Transformed::no(expr));
    };
    let udf = match field.data_type() {
        DataType::Float64 => &udfs[0],
        DataType::Float32 => &udfs[1],
        _ => return Ok(Transformed::no(expr)),
    };
    let converts = matches!(
        operand.get_type(schema),
        Ok(DataType::Decimal128(..) | DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
    );
    if !converts {
        return Ok(Transformed::no(expr));
    }
    Ok(Transformed::yes(Expr::ScalarFunction(
        ScalarFunction::new_udf(Arc::clone(udf), vec![*operand.clone()]),
    )))
}

/// `hangar_float8(x)` / `hangar_float4(x)`: the float nearest a decimal, or text read as
/// Postgres reads a float.
#[derive(Debug, PartialEq, Eq, Hash)]
struct PostgresFloat {
    target: DataType,
    signature: Signature,
}

impl PostgresFloat {
    fn new(target: DataType) -> Self {
        Self {
            target,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for PostgresFloat {
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
        let float8 = self.target == DataType::Float64;
        let floats: ArrayRef = match array.data_type() {
            DataType::Decimal128(_, scale) => {
                let scale = *scale;
                let decimals = array.as_primitive::<Decimal128Type>();
                if float8 {
                    Arc::new(
                        decimals
                            .iter()
                            .map(|v| v.map(|v| nearest(v, scale)))
                            .collect::<Float64Array>(),
                    )
                } else {
                    Arc::new(
                        decimals
                            .iter()
                            .map(|v| v.map(|v| decimal_text(v, scale).parse().unwrap_or(f32::NAN)))
                            .collect::<Float32Array>(),
                    )
                }
            }
            _ => {
                let texts = cast(&array, &DataType::Utf8)?;
                let texts = texts.as_string::<i32>();
                if float8 {
                    Arc::new(
                        texts
                            .iter()
                            .map(|t| {
                                t.map(|t| float_in::<f64>(t, "double precision"))
                                    .transpose()
                            })
                            .collect::<Result<Float64Array>>()?,
                    )
                } else {
                    Arc::new(
                        texts
                            .iter()
                            .map(|t| t.map(|t| float_in::<f32>(t, "real")).transpose())
                            .collect::<Result<Float32Array>>()?,
                    )
                }
            }
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

/// Text read as Postgres' `float8in` reads it: `NaN`, `Infinity` and `inf` in any case, else a
/// number within the type's range (`1e400` and `1e-400` are refused with `22003`, where a parser
/// rounds them to infinity and zero); not a number is `22P02`.
fn float_in<F>(text: &str, type_name: &str) -> Result<F>
where
    F: std::str::FromStr + Into<f64> + Copy,
{
    let trimmed = text.trim();
    let invalid = || {
        Error::postgres(
            "22P02",
            format!("invalid input syntax for type {type_name}: \"{text}\""),
            Anchor::Literal(text.into()),
        )
        .into_datafusion()
    };
    let value: F = trimmed.parse().map_err(|_| invalid())?;
    let wide: f64 = value.into();
    let unsigned = trimmed.trim_start_matches(['+', '-']).to_ascii_lowercase();
    let named = matches!(unsigned.as_str(), "inf" | "infinity" | "nan");
    let underflow = wide == 0.0
        && unsigned
            .chars()
            .take_while(|c| *c != 'e')
            .any(|c| matches!(c, '1'..='9'));
    if (wide.is_infinite() && !named) || underflow {
        return Err(Error::postgres(
            "22003",
            format!("\"{text}\" is out of range for type {type_name}"),
            Anchor::Literal(text.into()),
        )
        .into_datafusion());
    }
    Ok(value)
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

    #[test]
    fn text_reads_as_postgres_reads_a_float() {
        let read = |t: &str| float_in::<f64>(t, "double precision").map_err(|e| e.to_string());
        assert_eq!(read(" 1.5 "), Ok(1.5));
        assert_eq!(read("-Infinity"), Ok(f64::NEG_INFINITY));
        assert!(read("NaN").unwrap().is_nan());
        assert_eq!(read("0.0e5"), Ok(0.0));
        assert!(read("1e400").unwrap_err().contains("is out of range"));
        assert!(read("1e-400").unwrap_err().contains("is out of range"));
        assert!(read("abc").unwrap_err().contains("invalid input syntax"));
        assert!(float_in::<f32>("1e39", "real").is_err());
    }
}
