//! Date parts as Postgres extracts them. `EXTRACT(field FROM x)` is a `numeric` (Postgres 14 on):
//! whole for most fields (`2001`), with six decimals for seconds (`40.500000`) and the epoch of a
//! timestamp, three for milliseconds (`28500.000`); `date_part('field', x)` is the same value as a
//! `float8`. DataFusion's `date_part` returns integers (seconds without their fraction, so 40.5
//! seconds read as 40), a float epoch, and knows no century, decade or millennium. Each is
//! computed here from what DataFusion returns exactly: the field as an integer, the year; the
//! seconds as microseconds by `hangar_second_micros` (DataFusion's dropped an interval's
//! fraction), the epoch by `hangar_epoch`, exact to the microsecond. The Julian day, which
//! DataFusion lacks, is `hangar_julian(x, local)`: the days since 4714-11-24 BC of the local time
//! `local` (`x` as a `timestamp`), whole for a date `x`, else with the day's fraction to 20
//! decimals; `date_part`'s is `hangar_julian_float`, summed in floats as Postgres sums it. The
//! year, quarter, decade, century and millennium are `hangar_period`'s, of a date's year (the 21st
//! century starts in 2001, the year before 1 is -1) or of an interval's years and months (`250 years` are in century 2,
//! `7 months` in quarter 3), which DataFusion lacked or took as dates'.
//!
//! `date_trunc` takes Postgres' units: plurals (`'milliseconds'`), and the decade, century and
//! millennium (the first of its years: `2001-01-01` for the 21st century), truncated to the year
//! and moved back by the years into the period; and a time zone in which to truncate a
//! `timestamptz` (`date_trunc('day', x, 'Australia/Sydney')`), taken at that zone's local time and
//! back. Postgres has no `date_trunc` of a `date`: it truncates the date as a `timestamptz` (the
//! date's midnight in the session's zone), and so answers a `timestamptz`
//! ([`truncate_dates_in_zone`]); DataFusion's answered a `timestamp`.

use std::sync::Arc;

use datafusion::arrow::array::Array;
use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Int64Type, IntervalDayTimeType, IntervalMonthDayNanoType, IntervalUnit,
    IntervalYearMonthType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, SimpleScalarUDF,
    Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Value,
};

use super::date_units::{canonical_field, canonical_unit, unknown_unit};
use crate::statement::{parse_expr, rewrite_expressions};

/// `plan` (as the SQL planner builds it) with each `date_trunc` of a `date` taken of the date as a
/// `timestamptz` in the session's zone, `zone`.
pub(crate) fn truncate_dates_in_zone(
    plan: datafusion::logical_expr::LogicalPlan,
    zone: &str,
) -> Result<datafusion::logical_expr::LogicalPlan> {
    use datafusion::common::tree_node::Transformed;
    use datafusion::logical_expr::{Expr as LogicalExpr, ExprSchemable, cast};
    let of_date = |e: &LogicalExpr, schema: &datafusion::common::DFSchema| {
        matches!(e, LogicalExpr::ScalarFunction(f) if f.name() == "date_trunc"
            && f.args.get(1).is_some_and(|a| a.get_type(schema).is_ok_and(|t| t == DataType::Date32)))
    };
    if !super::plan_has(&plan, of_date)? {
        return Ok(plan);
    }
    let timestamptz = DataType::Timestamp(TimeUnit::Nanosecond, Some(zone.into()));
    super::retype_plan(plan, Ok, |e, schema| {
        if !of_date(&e, schema) {
            return Ok(Transformed::no(e));
        }
        let LogicalExpr::ScalarFunction(mut call) = e else {
            return Ok(Transformed::no(e));
        };
        call.args[1] = cast(call.args[1].clone(), timestamptz.clone());
        Ok(Transformed::yes(LogicalExpr::ScalarFunction(call)))
    })
}

/// Rewrites every `EXTRACT` and `date_part` of a field Postgres computes differently.
pub(crate) fn rewrite_date_parts(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let replacement = match expr {
            Expr::Extract {
                field,
                expr: source,
                ..
            } => {
                // `EXTRACT('y' FROM x)` names its field in quotes.
                let written = field.to_string();
                let written = written.trim_matches('\'');
                Some(match canonical_field(written) {
                    Some(field) => numeric_part(field, source),
                    None => unknown_unit(written, source, false),
                })
            }
            Expr::Function(call) if call.name.to_string().eq_ignore_ascii_case("date_part") => {
                part_of(&call.args).map(|(field, source)| match canonical_field(&field) {
                    Some("julian") => {
                        format!("hangar_julian_float({source}, CAST({source} AS TIMESTAMP))")
                    }
                    Some(field) => {
                        format!("CAST({} AS DOUBLE PRECISION)", numeric_part(field, source))
                    }
                    None => unknown_unit(&field, source, false),
                })
            }
            Expr::Function(call) if call.name.to_string().eq_ignore_ascii_case("date_trunc") => {
                truncation(&call.args)
            }
            _ => None,
        };
        if let Some(replacement) = replacement.and_then(|sql| parse_expr(&sql)) {
            *expr = replacement;
        }
    })
}

/// The SQL of `EXTRACT(field FROM source)` as Postgres computes it, of a field as
/// [`canonical_field`] names it.
fn numeric_part(field: &str, source: &Expr) -> String {
    let whole = |part: &str| format!("CAST(date_part('{part}', {source}) AS DECIMAL(20, 0))");
    let micros = format!("hangar_second_micros({source})");
    let year = format!("date_part('year', {source})");
    let offset = format!(
        "CAST(hangar_epoch(CAST({source} AS TIMESTAMP)) - hangar_epoch({source}) AS DECIMAL(20, 0))"
    );
    match field {
        "second" => format!("({micros} * 0.000001)"),
        "millisecond" => format!("({micros} * 0.001)"),
        "microsecond" => micros,
        "epoch" => format!("hangar_epoch({source})"),
        "julian" => format!("hangar_julian({source}, CAST({source} AS TIMESTAMP))"),
        "year" | "quarter" | "decade" | "century" | "millennium" => {
            // The quarter is of the month; the others are of the year.
            let value = match field {
                "quarter" => format!("date_part('month', {source})"),
                _ => year,
            };
            format!("hangar_period('{field}', {source}, {value})")
        }
        // The session zone's offset at that instant, east of Greenwich: the local time's epoch
        // less the instant's. Hours and minutes truncate towards zero, as in Postgres.
        "timezone" => offset,
        "timezone_hour" => format!("CAST(CAST({offset} AS BIGINT) / 3600 AS DECIMAL(20, 0))"),
        "timezone_minute" => {
            format!("CAST(CAST({offset} AS BIGINT) / 60 % 60 AS DECIMAL(20, 0))")
        }
        // The month, day, hour, minute, week, dow, doy, isodow and isoyear.
        other => whole(other),
    }
}

/// `date_trunc(unit, source [, zone])` in units and forms DataFusion has, where it is not one.
fn truncation(args: &FunctionArguments) -> Option<String> {
    let FunctionArguments::List(list) = args else {
        return None;
    };
    let args = super::from_functions::unnamed_arguments(&list.args)?;
    let (unit, source, zone) = match args.as_slice() {
        [Expr::Value(unit), source] => (unit, source, None),
        [Expr::Value(unit), source, zone] => (unit, source, Some(zone)),
        _ => return None,
    };
    let Value::SingleQuotedString(written) = &unit.value else {
        return None;
    };
    let Some(unit) = canonical_unit(written) else {
        return Some(unknown_unit(written, source, true));
    };
    // `{source}` stands for the source until the zone is known. The decade, century and
    // millennium are the year's, less the years since the period's first (`hangar_period`'s
    // `…_start`: a date's 21st century starts in 2001, an interval's in year 2000).
    let truncated = match unit {
        "decade" | "century" | "millennium" => {
            let year = "date_part('year', {source})";
            format!(
                "(date_trunc('year', {{source}}) - make_interval(CAST({year} - \
                 hangar_period('{unit}_start', {{source}}, {year}) AS INT), 0, 0, 0, 0, 0, 0))"
            )
        }
        _ if zone.is_none() && unit == written.as_str() => return None,
        _ => format!("date_trunc('{unit}', {{source}})"),
    };
    Some(match zone {
        None => truncated.replace("{source}", &format!("({source})")),
        Some(zone) => {
            let local = format!("hangar_at_time_zone(({source}), ({zone}))");
            let truncated = truncated.replace("{source}", &local);
            format!("hangar_at_time_zone(({truncated}), ({zone}))")
        }
    })
}

/// The field and the source of `date_part('field', source)`.
fn part_of(args: &FunctionArguments) -> Option<(String, &Expr)> {
    let FunctionArguments::List(list) = args else {
        return None;
    };
    let [
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(field))),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(source)),
    ] = list.args.as_slice()
    else {
        return None;
    };
    let Value::SingleQuotedString(field) = &field.value else {
        return None;
    };
    Some((field.to_ascii_lowercase(), source))
}

/// Registers `hangar_epoch`, `hangar_second_micros`, `hangar_julian`, `hangar_julian_float` and
/// `hangar_period`.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(Period {
        signature: Signature::any(3, Volatility::Immutable),
    }));
    for float in [false, true] {
        ctx.register_udf(ScalarUDF::new_from_impl(Julian {
            float,
            signature: Signature::any(2, Volatility::Immutable),
        }));
    }
    ctx.register_udf(ScalarUDF::new_from_impl(Epoch {
        signature: Signature::any(1, Volatility::Immutable),
    }));
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "hangar_second_micros",
        Signature::any(1, Volatility::Immutable),
        DataType::Decimal128(20, 0),
        Arc::new(make_scalar_function(second_micros, vec![])),
    )));
}

/// `hangar_second_micros(x)`: the seconds field of a timestamp, time or interval in microseconds,
/// its fraction included (`12.345` seconds are 12345000). DataFusion's `date_part('microsecond',
/// interval)` dropped an interval's fraction of a second.
fn second_micros(arrays: &[ArrayRef]) -> Result<ArrayRef> {
    const MINUTE: i128 = 60_000_000;
    let value = &arrays[0];
    macro_rules! micros {
        ($type:ty, $f:expr) => {{
            let micros: Decimal128Array = value.as_primitive::<$type>().unary(|v| {
                let f: fn(_) -> i128 = $f;
                f(v).rem_euclid(MINUTE)
            });
            Ok(Arc::new(micros.with_precision_and_scale(20, 0)?) as ArrayRef)
        }};
    }
    match value.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => {
            micros!(TimestampSecondType, |s| i128::from(s) * 1_000_000)
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            micros!(TimestampMillisecondType, |ms| i128::from(ms) * 1_000)
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            micros!(TimestampMicrosecondType, i128::from)
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            micros!(TimestampNanosecondType, |ns| i128::from(ns)
                .div_euclid(1_000))
        }
        DataType::Time64(TimeUnit::Microsecond) => micros!(Time64MicrosecondType, i128::from),
        DataType::Time64(TimeUnit::Nanosecond) => {
            micros!(Time64NanosecondType, |ns| i128::from(ns) / 1_000)
        }
        // An interval's seconds keep its sign (`-00:01:12.5` has -12.5).
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let micros: Decimal128Array = value
                .as_primitive::<IntervalMonthDayNanoType>()
                .unary(|v| (i128::from(v.nanoseconds) / 1_000) % MINUTE);
            Ok(Arc::new(micros.with_precision_and_scale(20, 0)?))
        }
        DataType::Date32 => Ok(Arc::new(
            Decimal128Array::from(vec![Some(0); value.len()]).with_precision_and_scale(20, 0)?,
        )),
        other => exec_err!("EXTRACT(SECOND FROM …) of {other}"),
    }
}

/// Microseconds in a day, and in Postgres' month (30 days) and year (365.25 days) of an interval.
const DAY: i128 = 86_400_000_000;
const MONTH: i128 = 30 * DAY;
const YEAR: i128 = 365 * DAY + DAY / 4;

/// `hangar_epoch(x)`: the seconds since 1970-01-01 of a date (whole), of a timestamp (six
/// decimals), or in an interval (its years of 365.25 days, months of 30).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Epoch {
    signature: Signature,
}

impl ScalarUDFImpl for Epoch {
    fn name(&self) -> &str {
        "hangar_epoch"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match &args[0] {
            DataType::Date32 => DataType::Decimal128(38, 0),
            _ => DataType::Decimal128(38, 6),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let return_type = args.return_field.data_type().clone();
        let epochs = |arrays: &[ArrayRef]| -> Result<ArrayRef> {
            let value = &arrays[0];
            macro_rules! epoch {
                ($type:ty, $f:expr) => {{
                    let seconds: Decimal128Array = value.as_primitive::<$type>().unary($f);
                    Ok(Arc::new(seconds.with_data_type(return_type.clone())))
                }};
            }
            match value.data_type() {
                DataType::Date32 => epoch!(Date32Type, |d| i128::from(d) * 86_400),
                DataType::Timestamp(TimeUnit::Second, _) => {
                    epoch!(TimestampSecondType, |s| i128::from(s) * 1_000_000)
                }
                DataType::Timestamp(TimeUnit::Millisecond, _) => {
                    epoch!(TimestampMillisecondType, |ms| i128::from(ms) * 1_000)
                }
                DataType::Timestamp(TimeUnit::Microsecond, _) => {
                    epoch!(TimestampMicrosecondType, i128::from)
                }
                DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                    epoch!(TimestampNanosecondType, |ns| i128::from(ns)
                        .div_euclid(1_000))
                }
                DataType::Interval(IntervalUnit::MonthDayNano) => {
                    epoch!(IntervalMonthDayNanoType, |v| interval(
                        v.months,
                        v.days,
                        i128::from(v.nanoseconds) / 1_000
                    ))
                }
                DataType::Interval(IntervalUnit::DayTime) => {
                    epoch!(IntervalDayTimeType, |v| interval(
                        0,
                        v.days,
                        i128::from(v.milliseconds) * 1_000
                    ))
                }
                DataType::Interval(IntervalUnit::YearMonth) => {
                    epoch!(IntervalYearMonthType, |months| interval(months, 0, 0))
                }
                other => exec_err!("EXTRACT(EPOCH FROM …) of {other}"),
            }
        };
        make_scalar_function(epochs, vec![])(&args.args)
    }
}

/// `hangar_period(field, x, value)`: the year, quarter, decade, century or millennium of `x`, a
/// date, time stamp or interval, from its month (for the quarter) or its year (the others).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Period {
    signature: Signature,
}

impl ScalarUDFImpl for Period {
    fn name(&self) -> &str {
        "hangar_period"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(20, 0))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let of_interval = matches!(args.arg_fields[1].data_type(), DataType::Interval(_));
        let ColumnarValue::Scalar(ScalarValue::Utf8(Some(field))) = &args.args[0] else {
            return exec_err!("hangar_period takes its field as a literal");
        };
        let period: fn(i64) -> i64 = match (field.as_str(), of_interval) {
            ("quarter", false) => |month| (month - 1) / 3 + 1,
            ("quarter", true) => |month| month / 3 + 1,
            ("year", true) => |year| year,
            ("decade", true) => |year| year / 10,
            ("century", true) => |year| year / 100,
            ("millennium", true) => |year| year / 1000,
            // A date's year is the calendar's, 0 for 1 BC: Postgres counts backwards from -1
            // there, as its `timestamp_part` does.
            ("year", false) => |year| if year > 0 { year } else { year - 1 },
            ("decade", false) => |year| match year >= 0 {
                true => year / 10,
                false => -((8 - (year - 1)) / 10),
            },
            ("century", false) => |year| match year > 0 {
                true => (year + 99) / 100,
                false => -((99 - (year - 1)) / 100),
            },
            ("millennium", false) => |year| match year > 0 {
                true => (year + 999) / 1000,
                false => -((999 - (year - 1)) / 1000),
            },
            // The first year of the period, as Postgres' `date_trunc` finds it.
            ("decade_start", true) => |year| year / 10 * 10,
            ("century_start", true) => |year| year / 100 * 100,
            ("millennium_start", true) => |year| year / 1000 * 1000,
            ("decade_start", false) => |year| match year > 0 {
                true => year / 10 * 10,
                false => -((8 - (year - 1)) / 10) * 10,
            },
            ("century_start", false) => |year| match year > 0 {
                true => (year + 99) / 100 * 100 - 99,
                false => -((99 - (year - 1)) / 100) * 100 + 1,
            },
            ("millennium_start", false) => |year| match year > 0 {
                true => (year + 999) / 1000 * 1000 - 999,
                false => -((999 - (year - 1)) / 1000) * 1000 + 1,
            },
            (other, _) => return exec_err!("hangar_period of {other}"),
        };
        let periods = move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
            let value = cast(&arrays[2], &DataType::Int64)?;
            let periods: Decimal128Array = value
                .as_primitive::<Int64Type>()
                .unary(|v| i128::from(period(v)));
            Ok(Arc::new(periods.with_precision_and_scale(20, 0)?))
        };
        make_scalar_function(periods, vec![])(&args.args)
    }
}

/// The Julian day of 1970-01-01.
const UNIX_JULIAN_DAY: i64 = 2_440_588;

/// `hangar_julian(x, local)` and `hangar_julian_float(x, local)` (see the module).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Julian {
    float: bool,
    signature: Signature,
}

impl ScalarUDFImpl for Julian {
    fn name(&self) -> &str {
        match self.float {
            false => "hangar_julian",
            true => "hangar_julian_float",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match (self.float, &args[0]) {
            (true, _) => DataType::Float64,
            (false, DataType::Date32) => DataType::Decimal128(38, 0),
            (false, _) => DataType::Decimal128(38, 20),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let whole = args.arg_fields[0].data_type() == &DataType::Date32;
        let float = self.float;
        let days = move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
            let micros = cast(
                &arrays[1],
                &DataType::Timestamp(TimeUnit::Microsecond, None),
            )?;
            let micros = micros.as_primitive::<TimestampMicrosecondType>();
            let day = |m: i64| {
                (
                    m.div_euclid(86_400_000_000) + UNIX_JULIAN_DAY,
                    m.rem_euclid(86_400_000_000),
                )
            };
            if float {
                let days: Float64Array = micros.unary(|m| {
                    let (day, of_day) = day(m);
                    let (seconds, fraction) = (of_day / 1_000_000, of_day % 1_000_000);
                    day as f64 + (seconds as f64 + fraction as f64 / 1e6) / 86_400.0
                });
                return Ok(Arc::new(days));
            }
            let days: Decimal128Array = micros.unary(|m| {
                let (day, of_day) = day(m);
                match whole {
                    true => i128::from(day),
                    // The day's fraction to 20 decimals, rounded half up.
                    false => {
                        let scale = 10i128.pow(20);
                        i128::from(day) * scale + (i128::from(of_day) * scale + DAY / 2) / DAY
                    }
                }
            });
            let scale = if whole { 0 } else { 20 };
            Ok(Arc::new(days.with_precision_and_scale(38, scale)?))
        };
        make_scalar_function(days, vec![])(&args.args)
    }
}

/// The microseconds in an interval, as Postgres counts them for its epoch.
fn interval(months: i32, days: i32, micros: i128) -> i128 {
    let months = i128::from(months);
    YEAR * (months / 12) + MONTH * (months % 12) + DAY * i128::from(days) + micros
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn truncation_takes_postgres_units() {
        assert_eq!(
            rewritten(
                "SELECT date_trunc('Milliseconds', t), date_trunc('century', t), \
                 date_trunc('day', z, 'Australia/Sydney'), date_trunc('month', d)",
                rewrite_date_parts
            ),
            "SELECT date_trunc('millisecond', (t)), (date_trunc('year', (t)) - \
             make_interval(CAST(date_part('year', (t)) - hangar_period('century_start', (t), \
             date_part('year', (t))) AS INT), 0, 0, 0, 0, 0, 0)), \
             hangar_at_time_zone((date_trunc('day', hangar_at_time_zone((z), ('Australia/Sydney')))), \
             ('Australia/Sydney')), date_trunc('month', d)"
        );
    }

    #[test]
    fn parts_are_numeric_and_date_part_a_float() {
        assert_eq!(
            rewritten(
                "SELECT EXTRACT(SECOND FROM ts), date_part('hour', ts), EXTRACT(EPOCH FROM ts) FROM t",
                rewrite_date_parts
            ),
            "SELECT (hangar_second_micros(ts) * 0.000001), \
             CAST(CAST(date_part('hour', ts) AS DECIMAL(20,0)) AS DOUBLE PRECISION), \
             hangar_epoch(ts) FROM t"
        );
    }

    #[test]
    fn an_interval_counts_years_of_365_and_a_quarter_days() {
        assert_eq!(interval(12, 0, 0), 31_557_600_000_000);
        assert_eq!(interval(1, 1, 5), 2_592_000_000_000 + 86_400_000_000 + 5);
    }

    #[test]
    fn seconds_keep_their_fraction() {
        use datafusion::arrow::array::{IntervalMonthDayNanoArray, TimestampMicrosecondArray};
        use datafusion::arrow::datatypes::IntervalMonthDayNano;
        let seconds = |array: ArrayRef| {
            let micros = second_micros(&[array]).unwrap();
            micros
                .as_primitive::<datafusion::arrow::datatypes::Decimal128Type>()
                .value(0)
        };
        // 1 minute 12.345 seconds; minus that; 20:38:28.000123
        let interval = |nanos| {
            Arc::new(IntervalMonthDayNanoArray::from(vec![
                IntervalMonthDayNano::new(0, 0, nanos),
            ]))
        };
        assert_eq!(seconds(interval(72_345_000_000)), 12_345_000);
        assert_eq!(seconds(interval(-72_345_000_000)), -12_345_000);
        let at = Arc::new(TimestampMicrosecondArray::from(vec![982_355_908_000_123]));
        assert_eq!(seconds(at), 28_000_123);
    }

    #[tokio::test]
    async fn a_date_truncates_as_a_timestamptz_of_the_session_zone() {
        use datafusion::arrow::array::TimestampNanosecondArray;
        use datafusion::prelude::{SessionConfig, SessionContext};
        let zone = "America/New_York";
        let mut config = SessionConfig::new();
        config.options_mut().execution.time_zone = Some(zone.into());
        let context = SessionContext::new_with_config(config);
        let plan = context
            .state()
            .create_logical_plan("SELECT date_trunc('month', CAST('2024-02-29' AS DATE))")
            .await
            .unwrap();
        let plan = truncate_dates_in_zone(plan, zone).unwrap();
        let batches = context
            .execute_logical_plan(plan)
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let column = batches[0].column(0);
        assert_eq!(
            column.data_type(),
            &DataType::Timestamp(TimeUnit::Nanosecond, Some(zone.into()))
        );
        // 2024-02-01 00:00 in New York is 05:00 UTC.
        let expected =
            TimestampNanosecondArray::from(vec![1_706_763_600_000_000_000]).with_timezone(zone);
        assert_eq!(column.as_primitive::<TimestampNanosecondType>(), &expected);
    }

    #[tokio::test]
    async fn julian_days_and_periods_as_postgres_counts_them() {
        let context = SessionContext::new();
        install(&context);
        let sql = rewritten(
            "SELECT EXTRACT(JULIAN FROM DATE '2024-01-01') AS d, \
             EXTRACT(JULIAN FROM TIMESTAMP '1969-12-31 23:00:00') AS t, \
             date_part('julian', TIMESTAMP '2006-01-01 12:00:00.5') AS f, \
             EXTRACT(CENTURY FROM INTERVAL '250 years') AS i, \
             EXTRACT(CENTURY FROM DATE '2000-12-31') AS c",
            rewrite_date_parts,
        );
        let batches = context.sql(&sql).await.unwrap().collect().await.unwrap();
        let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)
            .unwrap()
            .to_string();
        let row = text.lines().nth(3).unwrap();
        assert_eq!(
            row,
            "| 2460311 | 2440587.95833333333333333333 | 2453737.5000057872 | 2 | 20 |"
        );
    }
}
