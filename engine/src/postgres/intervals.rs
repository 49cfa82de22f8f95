//! Postgres' interval functions that DataFusion lacks: `justify_days` (30-day units as months),
//! `justify_hours` (24-hour units as days), `justify_interval` (both, with the signs made to
//! agree), `isfinite`, which is true for every value Hangar can hold (it has no `infinity`), and
//! `age`, the years, months and days between two timestamps (or from one to today's midnight).

use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDateTime, NaiveTime, Timelike, Utc};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, IntervalMonthDayNanoArray, TimestampNanosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::compute::kernels::arity::binary;
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
    TimestampNanosecondType,
};
use datafusion::common::exec_err;
use datafusion::error::{DataFusionError, Result};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, TypeSignature, Volatility};
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
        let invoke = move |args: &[ArrayRef]| -> Result<ArrayRef> {
            let intervals = args[0].as_primitive::<IntervalMonthDayNanoType>();
            Ok(Arc::new(
                intervals.unary::<_, IntervalMonthDayNanoType>(justify),
            ))
        };
        ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
            name,
            Signature::exact(vec![interval.clone()], Volatility::Immutable),
            interval.clone(),
            Arc::new(make_scalar_function(invoke, vec![])),
        )));
    }
    let finite = |args: &[ArrayRef]| -> Result<ArrayRef> {
        let array = &args[0];
        Ok(Arc::new(
            (0..array.len())
                .map(|row| array.is_valid(row).then_some(true))
                .collect::<BooleanArray>(),
        ))
    };
    let timestamp = DataType::Timestamp(TimeUnit::Nanosecond, None);
    let to_timestamp = timestamp.clone();
    let age = move |args: &[ArrayRef]| -> Result<ArrayRef> {
        let timestamps = |array: &ArrayRef| Ok::<_, DataFusionError>(cast(array, &to_timestamp)?);
        // `age(x)` is the age at today's midnight.
        let (later, earlier) = match args {
            [later, earlier] => (timestamps(later)?, timestamps(earlier)?),
            [earlier] => {
                let earlier = timestamps(earlier)?;
                let midnight = Utc::now().date_naive().and_time(NaiveTime::MIN);
                let nanos = midnight.and_utc().timestamp_nanos_opt().unwrap_or_default();
                let today = TimestampNanosecondArray::from_value(nanos, earlier.len());
                (Arc::new(today) as ArrayRef, earlier)
            }
            _ => return exec_err!("age takes one or two timestamps"),
        };
        let ages: IntervalMonthDayNanoArray = binary::<_, _, _, IntervalMonthDayNanoType>(
            later.as_primitive::<TimestampNanosecondType>(),
            earlier.as_primitive::<TimestampNanosecondType>(),
            |a, b| age(timestamp_of(a), timestamp_of(b)),
        )?;
        Ok(Arc::new(ages) as ArrayRef)
    };
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "age",
        Signature::one_of(
            vec![
                TypeSignature::Exact(vec![timestamp.clone(), timestamp.clone()]),
                TypeSignature::Exact(vec![timestamp.clone()]),
            ],
            Volatility::Stable,
        ),
        interval.clone(),
        Arc::new(make_scalar_function(age, vec![])),
    )));
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "isfinite",
        Signature::any(1, Volatility::Immutable),
        DataType::Boolean,
        Arc::new(make_scalar_function(finite, vec![])),
    )));
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
pub(super) fn justify_hours(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
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

/// A timestamp's nanoseconds since 1970 as a date and time.
fn timestamp_of(nanos: i64) -> NaiveDateTime {
    DateTime::from_timestamp_nanos(nanos).naive_utc()
}

/// `age(later, earlier)` as Postgres computes it: field by field (years, months, days, hours…),
/// each negative field borrowing from the next larger one, a month as long as the earlier
/// timestamp's month; negative when `later` is the earlier one.
fn age(later: NaiveDateTime, earlier: NaiveDateTime) -> IntervalMonthDayNano {
    let negative = later < earlier;
    let (hi, lo) = if negative {
        (earlier, later)
    } else {
        (later, earlier)
    };
    let field = |f: fn(&NaiveDateTime) -> u32| i64::from(f(&hi)) - i64::from(f(&lo));
    let mut micros = i64::from(hi.nanosecond() / 1_000) - i64::from(lo.nanosecond() / 1_000);
    let (mut second, mut minute, mut hour) = (
        field(|t| t.second()),
        field(|t| t.minute()),
        field(|t| t.hour()),
    );
    let (mut day, mut month) = (field(|t| t.day()), field(|t| t.month()));
    let mut year = i64::from(hi.year()) - i64::from(lo.year());
    let borrow = |smaller: &mut i64, larger: &mut i64, unit: i64| {
        while *smaller < 0 {
            *smaller += unit;
            *larger -= 1;
        }
    };
    borrow(&mut micros, &mut second, 1_000_000);
    borrow(&mut second, &mut minute, 60);
    borrow(&mut minute, &mut hour, 60);
    borrow(&mut hour, &mut day, 24);
    let month_days = lo
        .date()
        .with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| i64::from(last.day()));
    borrow(&mut day, &mut month, month_days);
    borrow(&mut month, &mut year, 12);
    let sign = if negative { -1 } else { 1 };
    let time = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
    IntervalMonthDayNano::new(
        (sign * (year * 12 + month)) as i32,
        (sign * day) as i32,
        sign * time * 1_000,
    )
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

    #[test]
    fn age_counts_fields_as_postgres() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let v = IntervalMonthDayNano::new;
        // 43 years 9 mons 27 days
        assert_eq!(
            age(at("2001-04-10 00:00"), at("1957-06-13 00:00")),
            v(43 * 12 + 9, 27, 0)
        );
        assert_eq!(
            age(at("1957-06-13 00:00"), at("2001-04-10 00:00")),
            v(-(43 * 12 + 9), -27, 0)
        );
        // 1 mon 1 day 21:30:00
        assert_eq!(
            age(at("2024-03-31 10:00"), at("2024-02-29 12:30")),
            v(1, 1, (21 * 60 + 30) * 60 * 1_000_000_000)
        );
    }

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
