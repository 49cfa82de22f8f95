//! Postgres' data type formatting functions over Arrow values, with Postgres' template patterns
//! ([`super::templates`]): `to_char` of dates, timestamps, intervals and numbers, `to_date`,
//! `to_timestamp` (of text and a template, or of seconds since 1970) and `to_number`. They replace
//! DataFusion's functions of the same names, which read chrono's `%Y` patterns: `to_char(d,
//! 'YYYY-MM')` answered `YYYY-MM`.

use std::str::FromStr;
use std::sync::Arc;

use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Decimal128Array, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Field, FieldRef, IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
};
use datafusion::arrow::temporal_conversions::as_datetime_with_timezone;
use datafusion::common::{ScalarValue, exec_err};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::prelude::SessionContext;

use super::templates;

/// Registers the functions in the template every session is cloned from, over DataFusion's (so
/// after DataFusion's are registered).
pub(crate) fn install(ctx: &SessionContext) {
    for function in [
        Function::Char,
        Function::Date,
        Function::Timestamp,
        Function::Number,
    ] {
        ctx.register_udf(ScalarUDF::new_from_impl(Formatting {
            function,
            signature: Signature::variadic_any(Volatility::Immutable),
        }));
    }
}

/// Which of the functions: `to_char`, `to_date`, `to_timestamp`, `to_number`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Function {
    Char,
    Date,
    Timestamp,
    Number,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Formatting {
    function: Function,
    signature: Signature,
}

/// The scale `to_number` gives when its template is not a literal.
const DEFAULT_SCALE: i8 = 10;

impl ScalarUDFImpl for Formatting {
    fn name(&self) -> &str {
        match self.function {
            Function::Char => "to_char",
            Function::Date => "to_date",
            Function::Timestamp => "to_timestamp",
            Function::Number => "to_number",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Err(DataFusionError::Internal("return_field_from_args".into()))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let arity = args.arg_fields.len();
        let expected = match self.function {
            Function::Timestamp => arity == 1 || arity == 2,
            _ => arity == 2,
        };
        if !expected {
            let types: Vec<String> = args
                .arg_fields
                .iter()
                .map(|f| crate::error::pg_type_name(f.data_type()))
                .collect();
            return Err(crate::Error::postgres(
                "42883",
                format!(
                    "function {}({}) does not exist",
                    self.name(),
                    types.join(", ")
                ),
                crate::Anchor::Word(self.name().into()),
            )
            .into_datafusion());
        }
        let data_type = match self.function {
            Function::Char => DataType::Utf8,
            Function::Date => DataType::Date32,
            Function::Timestamp => {
                DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into()))
            }
            Function::Number => {
                let template = args.scalar_arguments[1].and_then(|t| t.try_as_str().flatten());
                DataType::Decimal128(38, template.map_or(DEFAULT_SCALE, number_scale))
            }
        };
        Ok(Arc::new(Field::new(self.name(), data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let result: ArrayRef = match (self.function, arrays.as_slice()) {
            (Function::Char, [value, template]) => to_char(value, &text(template)?)?,
            (Function::Date, [value, template]) => {
                let parsed = parse_each(&text(value)?, &text(template)?)?;
                Arc::new(
                    parsed
                        .iter()
                        .map(|t| t.map(|t| Date32Type::from_naive_date(t.date())))
                        .collect::<Date32Array>(),
                )
            }
            (Function::Timestamp, [value, template]) => {
                let parsed = parse_each(&text(value)?, &text(template)?)?;
                Arc::new(
                    parsed
                        .iter()
                        .map(|t| t.map(|t| t.and_utc().timestamp_micros()))
                        .collect::<TimestampMicrosecondArray>()
                        .with_timezone("+00:00"),
                )
            }
            (Function::Timestamp, [seconds]) => {
                let seconds = cast(seconds, &DataType::Float64)?;
                let micros: Result<TimestampMicrosecondArray> = seconds
                    .as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                    .iter()
                    .map(|s| s.map(epoch_micros).transpose())
                    .collect();
                Arc::new(micros?.with_timezone("+00:00"))
            }
            (Function::Number, [value, template]) => {
                let DataType::Decimal128(_, scale) = args.return_field.data_type() else {
                    return exec_err!("to_number returns a decimal");
                };
                to_number(&text(value)?, &text(template)?, *scale)?
            }
            _ => return exec_err!("{} called with {} arguments", self.name(), arrays.len()),
        };
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(result)
        })
    }
}

/// Seconds since 1970 as microseconds, or Postgres' error: NaN is no time, a time stamp holds
/// about 292,000 years either side (Postgres' own range ends at 294276), and an infinity is
/// refused, as Hangar's time stamps have none. A float cast to an integer would have saturated.
fn epoch_micros(seconds: f64) -> Result<i64> {
    let micros = (seconds * 1_000_000.0).round();
    let error = |code: &'static str, message: String| {
        Err(crate::Error::postgres(code, message, crate::Anchor::Nowhere).into_datafusion())
    };
    if seconds.is_nan() {
        error("22008", "timestamp cannot be NaN".into())
    } else if seconds.is_infinite() {
        error(
            "0A000",
            "infinite values of type timestamp with time zone are not supported".into(),
        )
    } else if micros.abs() >= 9.2e18 {
        // Written as C's `%g` writes a number this large: `1e+20`, `-1.23457e+15`.
        let written = format!("{seconds:.5e}");
        let (mantissa, exponent) = written.split_once('e').unwrap_or((&written, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exponent: i32 = exponent.parse().unwrap_or(0);
        error(
            "22008",
            format!("timestamp out of range: \"{mantissa}e{exponent:+03}\""),
        )
    } else {
        Ok(micros as i64)
    }
}

/// An argument as text.
fn text(array: &ArrayRef) -> Result<StringArray> {
    Ok(cast(array, &DataType::Utf8)?.as_string::<i32>().clone())
}

/// `to_char(value, template)` for each row.
fn to_char(values: &ArrayRef, templates: &StringArray) -> Result<ArrayRef> {
    let template = |row: usize| (!templates.is_null(row)).then(|| templates.value(row));
    let texts: StringArray = match values.data_type() {
        DataType::Date32 => {
            let dates = values.as_primitive::<Date32Type>();
            (0..values.len())
                .map(|row| {
                    let date = dates.value_as_date(row).filter(|_| dates.is_valid(row))?;
                    let midnight = date.and_hms_opt(0, 0, 0)?;
                    Some(templates::format_datetime(
                        midnight,
                        None,
                        None,
                        template(row)?,
                    ))
                })
                .collect()
        }
        DataType::Timestamp(_, zone) => {
            let micros = cast(values, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
            let micros =
                micros.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
            // The zone's abbreviations, where it is a named zone (`EDT` in New York's summer).
            let named = zone
                .as_deref()
                .and_then(|z| z.parse::<chrono_tz::Tz>().ok());
            let zone = zone.as_deref().map(Tz::from_str).transpose()?;
            (0..values.len())
                .map(|row| {
                    if micros.is_null(row) {
                        return None;
                    }
                    let utc = micros.value_as_datetime(row)?;
                    let template = template(row)?;
                    Some(match zone {
                        None => templates::format_datetime(utc, None, None, template),
                        Some(zone) => {
                            let local = as_datetime_with_timezone::<
                                datafusion::arrow::datatypes::TimestampMicrosecondType,
                            >(micros.value(row), zone)?;
                            let offset = chrono::Offset::fix(local.offset()).local_minus_utc();
                            let name = match named {
                                Some(named) => {
                                    use chrono::TimeZone;
                                    use chrono_tz::OffsetName;
                                    // A zone with no letters for the time is named
                                    // by its offset, as Postgres names it (`-03`).
                                    Some(
                                        named
                                            .offset_from_utc_datetime(&utc)
                                            .abbreviation()
                                            .map_or_else(|| offset_name(offset), str::to_owned),
                                    )
                                }
                                None => (offset == 0).then(|| "UTC".to_owned()),
                            };
                            templates::format_datetime(
                                local.naive_local(),
                                Some(offset),
                                name.as_deref(),
                                template,
                            )
                        }
                    })
                })
                .collect()
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let intervals = values.as_primitive::<IntervalMonthDayNanoType>();
            (0..values.len())
                .map(|row| {
                    if intervals.is_null(row) {
                        return None;
                    }
                    let v = intervals.value(row);
                    Some(templates::format_interval(
                        v.months,
                        v.days,
                        v.nanoseconds / 1000,
                        template(row)?,
                    ))
                })
                .collect()
        }
        data_type if data_type.is_numeric() => {
            let digits = match data_type {
                DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                    let floats = cast(values, &DataType::Float64)?;
                    floats
                        .as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                        .iter()
                        .map(|f| f.filter(|f| f.is_finite()).map(|f| f.to_string()))
                        .collect::<StringArray>()
                }
                _ => text(values)?,
            };
            (0..values.len())
                .map(|row| {
                    if digits.is_null(row) {
                        return None;
                    }
                    Some(templates::format_number(digits.value(row), template(row)?))
                })
                .collect()
        }
        other => {
            return Err(DataFusionError::Plan(format!(
                "function to_char({}, text) does not exist",
                super::functions::regtype_of(other)
            )));
        }
    };
    Ok(Arc::new(texts))
}

/// `parse_datetime` of each row, failing with Postgres' message on the first that does not parse.
fn parse_each(
    values: &StringArray,
    templates: &StringArray,
) -> Result<Vec<Option<chrono::NaiveDateTime>>> {
    (0..values.len())
        .map(|row| {
            if values.is_null(row) || templates.is_null(row) {
                return Ok(None);
            }
            templates::parse_datetime(values.value(row), templates.value(row))
                .map(Some)
                .map_err(DataFusionError::Execution)
        })
        .collect()
}

/// `to_number(value, template)` of each row as a decimal of `scale` digits after the point.
fn to_number(values: &StringArray, templates: &StringArray, scale: i8) -> Result<ArrayRef> {
    let numbers = (0..values.len())
        .map(|row| {
            if values.is_null(row) || templates.is_null(row) {
                return Ok(None);
            }
            match templates::parse_number(values.value(row), templates.value(row)) {
                Ok(digits) => Ok(Some(scaled(&digits, scale)?)),
                Err(message) if message.is_empty() => Ok(None),
                Err(message) => Err(DataFusionError::Execution(message)),
            }
        })
        .collect::<Result<Decimal128Array>>()?;
    Ok(Arc::new(numbers.with_precision_and_scale(38, scale)?))
}

/// Decimal text (`-12454.8`) as an integer of `scale` decimals, rounded half away from zero.
fn scaled(digits: &str, scale: i8) -> Result<i128> {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let scale = scale.max(0) as usize;
    let mut kept: String = fraction.chars().take(scale).collect();
    kept.extend(std::iter::repeat_n('0', scale - kept.len()));
    let overflow = || DataFusionError::Execution("numeric field overflow".into());
    let joined = format!("{whole}{kept}");
    let mut value: i128 = match joined.is_empty() {
        true => 0,
        false => joined.parse().map_err(|_| overflow())?,
    };
    if fraction.chars().nth(scale).is_some_and(|d| d >= '5') {
        value = value.checked_add(1).ok_or_else(overflow)?;
    }
    Ok(if negative { -value } else { value })
}

/// The digits after the decimal point a `to_number` template reads (`999.99` → 2).
fn number_scale(template: &str) -> i8 {
    let upper = template.to_ascii_uppercase();
    let Some(point) = upper.find(['.', 'D']) else {
        return 0;
    };
    upper[point + 1..]
        .chars()
        .filter(|c| matches!(c, '9' | '0'))
        .count()
        .min(38) as i8
}

/// An offset east of Greenwich in seconds as the time zone database names a zone's time that
/// has no letters: `-03`, `+0545`.
fn offset_name(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let (hours, minutes) = (offset.abs() / 3600, offset.abs() % 3600 / 60);
    match minutes {
        0 => format!("{sign}{hours:02}"),
        _ => format!("{sign}{hours:02}{minutes:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_without_letters_are_named_by_their_offsets() {
        assert_eq!(offset_name(-3 * 3600), "-03");
        assert_eq!(offset_name(5 * 3600 + 45 * 60), "+0545");
        assert_eq!(offset_name(0), "+00");
    }

    #[test]
    fn to_number_scales() {
        assert_eq!(number_scale("99G999D9S"), 1);
        assert_eq!(number_scale("999"), 0);
        assert_eq!(number_scale("9.999"), 3);
        assert_eq!(scaled("-12454.8", 1).unwrap(), -124548);
        assert_eq!(scaled("1.25", 1).unwrap(), 13);
        assert_eq!(scaled("0.5", 0).unwrap(), 1);
        assert_eq!(scaled("7", 2).unwrap(), 700);
    }

    #[test]
    fn seconds_since_1970_are_a_time_stamp_or_postgres_error() {
        assert_eq!(epoch_micros(1.5).unwrap(), 1_500_000);
        for bad in [f64::NAN, f64::INFINITY, 1e20, -1.234567e15] {
            assert!(epoch_micros(bad).is_err(), "{bad}");
        }
        let message = epoch_micros(-1.234567e15).unwrap_err().to_string();
        assert!(message.contains("\"-1.23457e+15\""), "{message}");
    }
}
