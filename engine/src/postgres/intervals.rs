//! Postgres' interval functions that DataFusion lacks: `justify_days` (30-day units as months),
//! `justify_hours` (24-hour units as days), `justify_interval` (both, with the signs made to
//! agree), and `isfinite`, which is true for every value Hangar can hold (it has no `infinity`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit,
};
use datafusion::common::ScalarValue;
use datafusion::error::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF, Signature, SimpleScalarUDF, Volatility};
use datafusion::prelude::SessionContext;

/// Nanoseconds in a day.
const DAY: i64 = 86_400_000_000_000;
/// Days in a month, as Postgres counts them for intervals.
const MONTH: i32 = 30;

/// Registers the functions in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    let interval = DataType::Interval(IntervalUnit::MonthDayNano);
    for (name, justify) in [
        (
            "justify_days",
            justify_days as fn(IntervalMonthDayNano) -> IntervalMonthDayNano,
        ),
        ("justify_hours", justify_hours),
        ("justify_interval", justify_interval),
    ] {
        let invoke = move |args: &[ColumnarValue]| -> Result<ColumnarValue> {
            map(&args[0], |array| {
                let intervals = array.as_primitive::<IntervalMonthDayNanoType>();
                Arc::new(intervals.unary::<_, IntervalMonthDayNanoType>(justify)) as ArrayRef
            })
        };
        ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
            name,
            Signature::exact(vec![interval.clone()], Volatility::Immutable),
            interval.clone(),
            Arc::new(invoke),
        )));
    }
    let finite = |args: &[ColumnarValue]| -> Result<ColumnarValue> {
        map(&args[0], |array| {
            Arc::new(
                (0..array.len())
                    .map(|row| array.is_valid(row).then_some(true))
                    .collect::<BooleanArray>(),
            ) as ArrayRef
        })
    };
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "isfinite",
        Signature::any(1, Volatility::Immutable),
        DataType::Boolean,
        Arc::new(finite),
    )));
}

/// `f` over an argument, a scalar staying a scalar.
pub(super) fn map(
    value: &ColumnarValue,
    f: impl Fn(&ArrayRef) -> ArrayRef,
) -> Result<ColumnarValue> {
    Ok(match value {
        ColumnarValue::Array(array) => ColumnarValue::Array(f(array)),
        ColumnarValue::Scalar(scalar) => {
            let result = f(&scalar.to_array()?);
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        }
    })
}

/// Whole 30-day periods as months, the sign of days made to agree with the months'.
fn justify_days(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let (months, days) = (v.months + v.days / MONTH, v.days % MONTH);
    let (months, days) = agree(
        months.into(),
        days.into(),
        days.signum().into(),
        MONTH.into(),
    );
    IntervalMonthDayNano::new(months as i32, days as i32, v.nanoseconds)
}

/// Whole 24-hour periods as days, the sign of the time made to agree with the days'.
fn justify_hours(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let days = i64::from(v.days) + v.nanoseconds / DAY;
    let (days, time) = agree(days, v.nanoseconds % DAY, v.nanoseconds.signum(), DAY);
    IntervalMonthDayNano::new(v.months, days as i32, time)
}

/// Both justifications, every part's sign made to agree (Postgres' `justify_interval`).
fn justify_interval(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let (mut months, mut days, time) = (i64::from(v.months), i64::from(v.days), v.nanoseconds);
    if days.signum() * time.signum() > 0 {
        months += days / i64::from(MONTH);
        days %= i64::from(MONTH);
    }
    days += time / DAY;
    let time = time % DAY;
    months += days / i64::from(MONTH);
    days %= i64::from(MONTH);
    // The days' sign is the time's when there are none.
    let sign = if days != 0 {
        days.signum()
    } else {
        time.signum()
    };
    let (months, days) = agree(months, days, sign, MONTH.into());
    let (days, time) = agree(days, time, time.signum(), DAY);
    IntervalMonthDayNano::new(months as i32, days as i32, time)
}

/// A larger unit and a smaller one (`unit` of them make one larger) with the smaller's sign
/// (`sign`) made to agree with the larger's, one larger unit moved across where they disagree.
fn agree(larger: i64, smaller: i64, sign: i64, unit: i64) -> (i64, i64) {
    if larger > 0 && sign < 0 {
        (larger - 1, smaller + unit)
    } else if larger < 0 && sign > 0 {
        (larger + 1, smaller - unit)
    } else {
        (larger, smaller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = DAY / 24;

    #[test]
    fn intervals_justify_as_postgres() {
        let v = IntervalMonthDayNano::new;
        // justify_days('35 days') = 1 mon 5 days; justify_hours('27 hours') = 1 day 03:00:00
        assert_eq!(justify_days(v(0, 35, 0)), v(1, 5, 0));
        assert_eq!(justify_hours(v(0, 0, 27 * HOUR)), v(0, 1, 3 * HOUR));
        // justify_interval('1 mon -1 hour') = 29 days 23:00:00
        assert_eq!(justify_interval(v(1, 0, -HOUR)), v(0, 29, 23 * HOUR));
        // justify_days('-35 days') = -1 mons -5 days
        assert_eq!(justify_days(v(0, -35, 0)), v(-1, -5, 0));
    }
}
