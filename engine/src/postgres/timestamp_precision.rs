//! Casts to `timestamp(p)` and `timestamptz(p)`, rounded to `p` digits of the second as Postgres
//! rounds them (half away from zero, on the microseconds): `'12:00:00.999999'::timestamp(0)` is
//! `12:00:01`. DataFusion truncated to whole seconds for `timestamp(0)` and refused any other
//! precision. Each such cast becomes `hangar_timestamp_precision(CAST(x AS TIMESTAMP), p)`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::datatypes::{
    ArrowTimestampType, DataType as ArrowType, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::execution::context::SessionContext;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::sql::sqlparser::ast::{DataType, Statement};

use crate::statement::{cast_parts, parse_expr, rewrite_expressions};

/// Registers `hangar_timestamp_precision`, which the casts become.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(TimestampPrecision {
        signature: Signature::any(2, Volatility::Immutable),
    }));
}

/// Rewrites each cast of `statement` to a timestamp type of a given precision (and each typed
/// literal of one).
pub(crate) fn rewrite_timestamp_precisions(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Some((value, data_type)) = cast_parts(expr) else {
            return;
        };
        let DataType::Timestamp(Some(precision), zone) = data_type else {
            return;
        };
        let unbounded = DataType::Timestamp(None, zone);
        let precision = precision.min(6);
        if let Some(rounded) = parse_expr(&format!(
            "hangar_timestamp_precision(CAST({value} AS {unbounded}), {precision})"
        )) {
            *expr = rounded;
        }
    })
}

/// `hangar_timestamp_precision(ts, p)`: `ts` rounded to `p` (0 to 6) digits of the second.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TimestampPrecision {
    signature: Signature,
}

impl ScalarUDFImpl for TimestampPrecision {
    fn name(&self) -> &str {
        "hangar_timestamp_precision"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, types: &[ArrowType]) -> Result<ArrowType> {
        match &types[0] {
            t @ ArrowType::Timestamp(..) => Ok(t.clone()),
            other => plan_err!("hangar_timestamp_precision of {other}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let ColumnarValue::Scalar(precision) = &args.args[1] else {
            return exec_err!("a timestamp's precision is a constant");
        };
        let ScalarValue::Int64(Some(precision)) = precision.cast_to(&ArrowType::Int64)? else {
            return exec_err!("a timestamp's precision is a constant");
        };
        make_scalar_function(
            move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
                let ArrowType::Timestamp(unit, _) = arrays[0].data_type() else {
                    return exec_err!("hangar_timestamp_precision of {}", arrays[0].data_type());
                };
                // Postgres holds microseconds: the step to round to, in the array's unit.
                let step = match unit {
                    TimeUnit::Second => 1,
                    TimeUnit::Millisecond => 10i64.pow(3u32.saturating_sub(precision as u32)),
                    TimeUnit::Microsecond => 10i64.pow(6 - precision as u32),
                    TimeUnit::Nanosecond => 10i64.pow(9 - precision as u32),
                };
                Ok(match unit {
                    TimeUnit::Second => rounded::<TimestampSecondType>(&arrays[0], step),
                    TimeUnit::Millisecond => rounded::<TimestampMillisecondType>(&arrays[0], step),
                    TimeUnit::Microsecond => rounded::<TimestampMicrosecondType>(&arrays[0], step),
                    TimeUnit::Nanosecond => rounded::<TimestampNanosecondType>(&arrays[0], step),
                })
            },
            vec![],
        )(&args.args[..1])
    }
}

/// Each timestamp of `array` rounded to a multiple of `step`, half away from zero.
fn rounded<T: ArrowTimestampType>(array: &ArrayRef, step: i64) -> ArrayRef {
    let values: &PrimitiveArray<T> = array.as_primitive::<T>();
    let rounded: PrimitiveArray<T> = values.unary(|v| round_to(v, step));
    Arc::new(rounded.with_timezone_opt(values.timezone()))
}

/// `value` rounded to a multiple of `step`, half away from zero, as Postgres'
/// `AdjustTimestampForTypmod` rounds.
fn round_to(value: i64, step: i64) -> i64 {
    let half = step / 2;
    if value >= 0 {
        (value + half) / step * step
    } else {
        -((-value + half) / step * step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn casts_to_a_precision_round() {
        assert_eq!(
            rewritten(
                "SELECT CAST(t AS TIMESTAMP(0)), '2024-01-31 13:45:30.125'::timestamptz(2), \
                 t::timestamp FROM x",
                rewrite_timestamp_precisions
            ),
            "SELECT hangar_timestamp_precision(CAST(t AS TIMESTAMP), 0), \
             hangar_timestamp_precision(CAST('2024-01-31 13:45:30.125' AS TIMESTAMPTZ), 2), \
             t::TIMESTAMP FROM x"
        );
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round_to(999_999, 1_000_000), 1_000_000);
        assert_eq!(round_to(125_000, 10_000), 130_000);
        assert_eq!(round_to(-1_500_000, 1_000_000), -2_000_000);
        assert_eq!(round_to(1_400_000, 1_000_000), 1_000_000);
    }
}
