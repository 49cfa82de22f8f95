//! Interval arithmetic as Postgres does it, planned as the SQL is planned (an [`ExprPlanner`]):
//! - `timestamp - timestamp` is an interval of days and a time (`63 days 15:00:00`), where
//!   DataFusion's was a duration in hours (`1527:00:00`);
//! - intervals compare by their whole span, a month counting 30 days and a day 24 hours
//!   (`interval '1 day' = interval '24 hours'` is true; DataFusion compared months, days and
//!   time one by one);
//! - `interval * number`, `number * interval` and `interval / number` scale an interval as
//!   Postgres' `interval_mul` and `interval_div` do: fractions of months become days, fractions of
//!   days become time (`interval '1 month' * 1.5` is `1 mon 15 days`). DataFusion refused them.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Decimal128Array, IntervalMonthDayNanoArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit,
};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{DFSchema, DataFusionError, Result};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::expr::{BinaryExpr, ScalarFunction};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{
    Expr, ExprSchemable, Operator, ScalarUDF, Signature, SimpleScalarUDF, Volatility,
};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use super::date_arithmetic::comparison;
use super::intervals::justify_hours;
use crate::{Anchor, Error};

/// Nanoseconds in a day.
const DAY: i64 = 86_400_000_000_000;
/// Days in a month, as Postgres counts them for intervals.
const MONTH_DAYS: i64 = 30;

/// The planner; see the module.
#[derive(Debug)]
pub(crate) struct IntervalArithmetic {
    /// An interval's 24-hour periods as days.
    justify_hours: Arc<ScalarUDF>,
    /// An interval's whole span in nanoseconds, what intervals compare by.
    span: Arc<ScalarUDF>,
    /// An interval times a factor.
    times: Arc<ScalarUDF>,
    /// An interval divided by a divisor.
    divided: Arc<ScalarUDF>,
}

impl IntervalArithmetic {
    pub(crate) fn new() -> Self {
        let interval = DataType::Interval(IntervalUnit::MonthDayNano);
        let scaled = [interval.clone(), DataType::Float64];
        Self {
            justify_hours: udf(
                "hangar_justify_hours",
                vec![interval.clone()],
                interval.clone(),
                |args: &[ArrayRef]| {
                    let values = args[0].as_primitive::<IntervalMonthDayNanoType>();
                    Ok(Arc::new(values.unary::<_, IntervalMonthDayNanoType>(justify_hours)) as _)
                },
            ),
            span: udf(
                "hangar_interval_span",
                vec![interval.clone()],
                DataType::Decimal128(38, 0),
                |args: &[ArrayRef]| {
                    let values = args[0].as_primitive::<IntervalMonthDayNanoType>();
                    let spans: Decimal128Array = values.iter().map(|v| v.map(span)).collect();
                    Ok(Arc::new(spans.with_precision_and_scale(38, 0)?) as _)
                },
            ),
            times: udf(
                "hangar_interval_times",
                scaled.to_vec(),
                interval.clone(),
                |args: &[ArrayRef]| scale(args, false),
            ),
            divided: divided(),
        }
    }
}

/// `hangar_interval_divided(interval, float8)`: an interval divided as Postgres' `interval_div`
/// divides it.
pub(super) fn divided() -> Arc<ScalarUDF> {
    let interval = DataType::Interval(IntervalUnit::MonthDayNano);
    udf(
        "hangar_interval_divided",
        vec![interval.clone(), DataType::Float64],
        interval,
        |args: &[ArrayRef]| scale(args, true),
    )
}

/// One of the planner's functions, over whole arrays.
fn udf(
    name: &str,
    args: Vec<DataType>,
    result: DataType,
    f: impl Fn(&[ArrayRef]) -> Result<ArrayRef> + Send + Sync + 'static,
) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        name,
        Signature::exact(args, Volatility::Immutable),
        result,
        Arc::new(make_scalar_function(f, vec![])),
    )))
}

impl ExprPlanner for IntervalArithmetic {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        let (Ok(left), Ok(right)) = (expr.left.get_type(schema), expr.right.get_type(schema))
        else {
            return Ok(PlannerResult::Original(expr));
        };
        let is_interval = |t: &DataType| matches!(t, DataType::Interval(_));
        let call = |udf: &Arc<ScalarUDF>, args: Vec<Expr>| {
            Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(udf), args))
        };
        let interval = |e: Expr| e.cast_to(&DataType::Interval(IntervalUnit::MonthDayNano), schema);
        let factor = |e: Expr| e.cast_to(&DataType::Float64, schema);
        let RawBinaryExpr {
            op,
            left: l,
            right: r,
        } = expr;
        let planned = match (&op, &left, &right) {
            (BinaryOperator::Minus, DataType::Timestamp(..), DataType::Timestamp(..)) => {
                let difference =
                    Expr::BinaryExpr(BinaryExpr::new(Box::new(l), Operator::Minus, Box::new(r)));
                call(&self.justify_hours, vec![interval(difference)?])
            }
            (BinaryOperator::Multiply, a, b) if is_interval(a) && b.is_numeric() => {
                call(&self.times, vec![interval(l)?, factor(r)?])
            }
            (BinaryOperator::Multiply, a, b) if a.is_numeric() && is_interval(b) => {
                call(&self.times, vec![interval(r)?, factor(l)?])
            }
            (BinaryOperator::Divide, a, b) if is_interval(a) && b.is_numeric() => {
                call(&self.divided, vec![interval(l)?, factor(r)?])
            }
            // Postgres has no interval plus or minus a number.
            (BinaryOperator::Plus | BinaryOperator::Minus, a, b)
                if is_interval(a) && b.is_numeric() || a.is_numeric() && is_interval(b) =>
            {
                let name = crate::error::pg_type_name;
                let message = format!("operator does not exist: {} {op} {}", name(a), name(b));
                let anchor = Anchor::Operator(op.to_string());
                return Err(Error::postgres("42883", message, anchor).into_datafusion());
            }
            (_, a, b) if is_interval(a) && is_interval(b) => match comparison(&op) {
                Some(cmp) => Expr::BinaryExpr(BinaryExpr::new(
                    Box::new(call(&self.span, vec![interval(l)?])),
                    cmp,
                    Box::new(call(&self.span, vec![interval(r)?])),
                )),
                None => {
                    return Ok(PlannerResult::Original(RawBinaryExpr {
                        op,
                        left: l,
                        right: r,
                    }));
                }
            },
            _ => {
                return Ok(PlannerResult::Original(RawBinaryExpr {
                    op,
                    left: l,
                    right: r,
                }));
            }
        };
        Ok(PlannerResult::Planned(planned))
    }
}

/// An interval's whole span in nanoseconds, a month counting 30 days (Postgres'
/// `interval_cmp_value`).
fn span(v: IntervalMonthDayNano) -> i128 {
    let days = i128::from(v.days) + i128::from(v.months) * i128::from(MONTH_DAYS);
    days * i128::from(DAY) + i128::from(v.nanoseconds)
}

/// Intervals times (or divided by) factors, row by row.
fn scale(args: &[ArrayRef], divide: bool) -> Result<ArrayRef> {
    let intervals = args[0].as_primitive::<IntervalMonthDayNanoType>();
    let factors = cast(&args[1], &DataType::Float64)?;
    let factors = factors.as_primitive::<Float64Type>();
    let scaled = (0..intervals.len())
        .map(|row| {
            if intervals.is_null(row) || factors.is_null(row) {
                return Ok(None);
            }
            scaled(intervals.value(row), factors.value(row), divide).map(Some)
        })
        .collect::<Result<IntervalMonthDayNanoArray>>()?;
    Ok(Arc::new(scaled))
}

/// Postgres' `interval_mul` (or `interval_div`): months and days scaled and truncated, their
/// fractions carried down as days and then as time, rounded to the microsecond.
pub(super) fn scaled(
    v: IntervalMonthDayNano,
    factor: f64,
    divide: bool,
) -> Result<IntervalMonthDayNano> {
    if divide && factor == 0.0 {
        return Err(DataFusionError::ArrowError(
            Box::new(ArrowError::DivideByZero),
            None,
        ));
    }
    let by = |x: f64| if divide { x / factor } else { x * factor };
    let out_of_range = || Error::DatetimeOverflow("interval out of range".into()).into_datafusion();
    let whole = |x: f64| {
        if x.is_nan() || x > f64::from(i32::MAX) || x < f64::from(i32::MIN) {
            Err(out_of_range())
        } else {
            Ok(x as i32)
        }
    };
    let round_micros = |x: f64| (x * 1e6).round_ties_even() / 1e6;
    let (months, days) = (by(f64::from(v.months)), by(f64::from(v.days)));
    let (result_months, mut result_days) = (whole(months)?, whole(days)?);
    let month_remainder_days =
        round_micros((months - f64::from(result_months)) * MONTH_DAYS as f64);
    let mut seconds = round_micros(
        (days - f64::from(result_days) + month_remainder_days - month_remainder_days.trunc())
            * 86_400.0,
    );
    if seconds.abs() >= 86_400.0 {
        let carried = (seconds / 86_400.0).trunc();
        result_days += carried as i32;
        seconds -= carried * 86_400.0;
    }
    result_days += month_remainder_days as i32;
    let micros = (by(v.nanoseconds as f64 / 1_000.0) + seconds * 1e6).round_ties_even();
    // In nanoseconds the time must fit an i64 (9.2e18).
    if !micros.is_finite() || micros.abs() > 9.2e15 {
        return Err(out_of_range());
    }
    Ok(IntervalMonthDayNano::new(
        result_months,
        result_days,
        micros as i64 * 1_000,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000_000_000;

    fn v(months: i32, days: i32, nanos: i64) -> IntervalMonthDayNano {
        IntervalMonthDayNano::new(months, days, nanos)
    }

    #[test]
    fn intervals_scale_as_postgres_scales_them() {
        // '1 month' * 1.5 = 1 mon 15 days; '1 day' * 1.5 = 1 day 12:00:00; '1 hour' / 1.5 = 00:40:00
        assert_eq!(scaled(v(1, 0, 0), 1.5, false).unwrap(), v(1, 15, 0));
        assert_eq!(scaled(v(0, 1, 0), 1.5, false).unwrap(), v(0, 1, 12 * HOUR));
        assert_eq!(
            scaled(v(0, 0, HOUR), 1.5, true).unwrap(),
            v(0, 0, 40 * 60_000_000_000)
        );
        assert_eq!(scaled(v(0, 1, 0), 3.0, true).unwrap(), v(0, 0, 8 * HOUR));
        assert!(scaled(v(0, 1, 0), 0.0, true).is_err());
    }

    #[test]
    fn intervals_compare_by_their_span() {
        assert_eq!(span(v(0, 1, 0)), span(v(0, 0, 24 * HOUR)));
        assert_eq!(span(v(1, 0, 0)), span(v(0, 30, 0)));
        assert!(span(v(0, 1, HOUR)) > span(v(0, 0, 24 * HOUR)));
    }
}
