//! Postgres' constructors of intervals and timestamps that DataFusion lacks:
//! `make_interval(years, months, weeks, days, hours, mins, secs)` (its named arguments are put in
//! place by [`super::function_forms`]), `make_timestamp(year, month, day, hour, min, sec)`, and
//! `make_timestamptz(…, sec [, zone])`, a local time in the session's zone or the one named
//! (shown in the session's zone, [`super::time_zones::SessionZone`]); and `make_time(hour, min,
//! sec)` with a fraction of a second (`make_time(8, 15, 23.5)`), where DataFusion's took whole
//! seconds only.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, IntervalMonthDayNanoBuilder, StringArray, Time64MicrosecondArray,
    TimestampNanosecondBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, Int64Type, IntervalMonthDayNano, IntervalUnit, TimeUnit,
};
use datafusion::common::{Result, exec_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature,
    Volatility,
};
use datafusion::prelude::SessionContext;

use crate::{Anchor, Error};

/// Registers the functions in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    for maker in [
        Maker::Interval,
        Maker::Timestamp,
        Maker::TimestampTz,
        Maker::Time,
    ] {
        ctx.register_udf(ScalarUDF::new_from_impl(Function::new(maker)));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Maker {
    Interval,
    Timestamp,
    TimestampTz,
    Time,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Function {
    maker: Maker,
    signature: Signature,
}

impl Function {
    fn new(maker: Maker) -> Self {
        let (int, float, text) = (DataType::Int64, DataType::Float64, DataType::Utf8);
        let fields = |ints: usize| {
            let mut types = vec![int.clone(); ints];
            types.push(float.clone());
            types
        };
        let signature = match maker {
            Maker::Interval => Signature::exact(fields(6), Volatility::Immutable),
            Maker::Timestamp => Signature::exact(fields(5), Volatility::Immutable),
            Maker::Time => Signature::exact(fields(2), Volatility::Immutable),
            Maker::TimestampTz => {
                let mut zoned = fields(5);
                zoned.push(text);
                Signature::one_of(
                    vec![TypeSignature::Exact(fields(5)), TypeSignature::Exact(zoned)],
                    Volatility::Stable,
                )
            }
        };
        Self { maker, signature }
    }
}

impl ScalarUDFImpl for Function {
    fn name(&self) -> &str {
        match self.maker {
            Maker::Interval => "make_interval",
            Maker::Timestamp => "make_timestamp",
            Maker::TimestampTz => "make_timestamptz",
            Maker::Time => "make_time",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.maker {
            Maker::Interval => DataType::Interval(IntervalUnit::MonthDayNano),
            Maker::Timestamp => DataType::Timestamp(TimeUnit::Nanosecond, None),
            Maker::TimestampTz => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            Maker::Time => DataType::Time64(TimeUnit::Microsecond),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let session_zone = args.config_options.execution.time_zone.clone();
        let make = |arrays: &[ArrayRef]| self.make(arrays, session_zone.as_deref());
        make_scalar_function(make, vec![])(&args.args)
    }
}

impl Function {
    /// The values made of a batch of arguments; a zone-less `make_timestamptz` reads its local
    /// times in `session_zone`.
    fn make(&self, arrays: &[ArrayRef], session_zone: Option<&str>) -> Result<ArrayRef> {
        let fields = arrays.len() - usize::from(arrays.len() > 6 && self.maker != Maker::Interval);
        let ints: Vec<_> = arrays[..fields - 1]
            .iter()
            .map(|a| a.as_primitive::<Int64Type>())
            .collect();
        let seconds = arrays[fields - 1].as_primitive::<Float64Type>();
        let zones = match arrays.get(fields) {
            Some(zones) => Some(cast(zones, &DataType::Utf8)?),
            None => None,
        };
        let zones: Option<&StringArray> = zones.as_ref().map(|z| z.as_string::<i32>());
        let rows = arrays[0].len();
        let null = |row: usize| {
            ints.iter().any(|a| a.is_null(row))
                || seconds.is_null(row)
                || zones.is_some_and(|z| z.is_null(row))
        };
        let field = |row: usize| -> Vec<i64> { ints.iter().map(|a| a.value(row)).collect() };
        let result: ArrayRef = if self.maker == Maker::Time {
            let times: Result<Time64MicrosecondArray> = (0..rows)
                .map(|row| {
                    (!null(row))
                        .then(|| time(&field(row), seconds.value(row)))
                        .transpose()
                })
                .collect();
            Arc::new(times?)
        } else if self.maker == Maker::Interval {
            let mut built = IntervalMonthDayNanoBuilder::with_capacity(rows);
            for row in 0..rows {
                if null(row) {
                    built.append_null();
                } else {
                    built.append_value(interval(&field(row), seconds.value(row))?);
                }
            }
            Arc::new(built.finish())
        } else {
            let mut built = TimestampNanosecondBuilder::with_capacity(rows);
            for row in 0..rows {
                if null(row) {
                    built.append_null();
                    continue;
                }
                let local = timestamp(&field(row), seconds.value(row))?;
                let at = match (self.maker, zones) {
                    (Maker::Timestamp, _) => local.and_utc(),
                    (_, Some(zones)) => in_zone(local, zones.value(row))?,
                    (_, None) => in_zone(local, session_zone.unwrap_or("UTC"))?,
                };
                match at.timestamp_nanos_opt() {
                    Some(nanos) => built.append_value(nanos),
                    None => return exec_err!("timestamp out of range"),
                }
            }
            let built = built.finish();
            match self.maker {
                Maker::TimestampTz => Arc::new(built.with_timezone("UTC")),
                _ => Arc::new(built),
            }
        };
        Ok(result)
    }
}

/// Years, months, weeks, days, hours and minutes, and seconds, as an interval.
fn interval(parts: &[i64], seconds: f64) -> Result<IntervalMonthDayNano> {
    let [years, months, weeks, days, hours, minutes] = parts else {
        return exec_err!("make_interval takes seven parts");
    };
    let micros = ((hours * 60 + minutes) * 60) as f64 * 1e6 + (seconds * 1e6).round();
    let (Ok(months), Ok(days)) = (
        i32::try_from(years * 12 + months),
        i32::try_from(weeks * 7 + days),
    ) else {
        return exec_err!("interval out of range");
    };
    Ok(IntervalMonthDayNano::new(
        months,
        days,
        micros as i64 * 1_000,
    ))
}

/// A time of day in microseconds, as Postgres' `make_time` checks it. Postgres' `24:00:00`, which
/// an Arrow time cannot hold, is refused (`0A000`).
fn time(parts: &[i64], seconds: f64) -> Result<i64> {
    let [hour, minute] = parts else {
        return exec_err!("make_time takes three parts");
    };
    let micros = ((hour * 60 + minute) * 60) as f64 * 1e6 + (seconds * 1e6).round();
    let day = 86_400e6;
    if micros == day && (0..60).contains(minute) && (0.0..=60.0).contains(&seconds) {
        let message = "the time 24:00:00 is not supported";
        return Err(Error::postgres("0A000", message, Anchor::Nowhere).into_datafusion());
    }
    if !(0..24).contains(hour)
        || !(0..60).contains(minute)
        || !(0.0..=60.0).contains(&seconds)
        || micros > day
    {
        return Err(Error::postgres(
            "22008",
            format!("time field value out of range: {hour}:{minute:02}:{seconds:02}"),
            Anchor::Nowhere,
        )
        .into_datafusion());
    }
    Ok(micros as i64)
}

/// A date and a time of day, as Postgres' `make_timestamp` checks them.
fn timestamp(parts: &[i64], seconds: f64) -> Result<NaiveDateTime> {
    let [year, month, day, hour, minute] = parts else {
        return exec_err!("make_timestamp takes six parts");
    };
    let small = |v: i64| u32::try_from(v).ok();
    let date = i32::try_from(*year)
        .ok()
        .zip(small(*month).zip(small(*day)))
        .and_then(|(y, (m, d))| NaiveDate::from_ymd_opt(y, m, d));
    let Some(date) = date else {
        return exec_err!("date field value out of range: {year}-{month:02}-{day:02}");
    };
    let micros = (seconds * 1e6).round();
    let time = (0.0..60e6)
        .contains(&micros)
        .then(|| {
            let micros = micros as u32;
            NaiveTime::from_hms_micro_opt(
                small(*hour)?,
                small(*minute)?,
                micros / 1_000_000,
                micros % 1_000_000,
            )
        })
        .flatten();
    let Some(time) = time else {
        return exec_err!("time field value out of range: {hour}:{minute:02}:{seconds}");
    };
    Ok(date.and_time(time))
}

/// A local date and time in the named zone (`Europe/Berlin`, `+05:30`), as an instant.
fn in_zone(local: NaiveDateTime, zone: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    let Ok(tz) = zone.parse::<Tz>() else {
        return exec_err!("time zone \"{zone}\" not recognized");
    };
    match tz.from_local_datetime(&local).earliest() {
        Some(at) => Ok(at.with_timezone(&chrono::Utc)),
        None => exec_err!("timestamp out of range"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_make_intervals_and_timestamps() {
        // 1 year 2 mons 25 days 05:06:07.5
        assert_eq!(
            interval(&[1, 2, 3, 4, 5, 6], 7.5).unwrap(),
            IntervalMonthDayNano::new(14, 25, (5 * 3600 + 6 * 60) * 1_000_000_000 + 7_500_000_000)
        );
        let at = timestamp(&[2024, 12, 31, 23, 59], 59.999999).unwrap();
        assert_eq!(at.to_string(), "2024-12-31 23:59:59.999999");
        assert!(timestamp(&[2024, 2, 30, 0, 0], 0.0).is_err());
        let zoned = in_zone(timestamp(&[2024, 1, 1, 0, 0], 0.0).unwrap(), "+05:30").unwrap();
        assert_eq!(zoned.to_string(), "2023-12-31 18:30:00 UTC");
    }

    #[test]
    fn times_take_fractions_of_a_second_within_a_day() {
        assert_eq!(
            time(&[8, 15], 23.5).unwrap(),
            (8 * 3600 + 15 * 60) * 1_000_000 + 23_500_000
        );
        assert_eq!(
            time(&[8, 15], 59.9999999).unwrap(),
            (8 * 3600 + 16 * 60) * 1_000_000
        );
        assert!(time(&[25, 0], 0.0).is_err());
        assert!(time(&[1, 60], 0.0).is_err());
        assert!(time(&[24, 0], 0.0).is_err());
    }
}
