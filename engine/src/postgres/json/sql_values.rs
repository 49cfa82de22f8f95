//! SQL values as JSON, as Postgres' `to_json` writes them: numbers and booleans as themselves,
//! text quoted, dates and times in ISO 8601 (`"2024-02-29T13:45:00"`), arrays as arrays, rows as
//! objects, `json`/`jsonb` values as their text.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use datafusion::common::ScalarValue;

use super::Kind;
use super::value::{quoted, write_string};

/// `value` (of a column with `field`) as JSON text; `null` for NULL.
pub(crate) fn to_json(value: &ScalarValue, field: &Field) -> String {
    let mut out = String::new();
    write_value(&mut out, value, field);
    out
}

/// Whether Postgres writes `json_agg`'s elements of this type each on a line (rows and arrays).
pub(crate) fn is_composite(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Struct(_)
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
    )
}

/// A key of a JSON object built from `value`: text as it is, other values as their JSON text.
pub(crate) fn key_text(value: &ScalarValue, field: &Field) -> String {
    match value.try_as_str() {
        Some(Some(text)) => text.to_string(),
        _ => {
            let json = to_json(value, field);
            match json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
                Some(inner) => inner.to_string(),
                None => json,
            }
        }
    }
}

fn write_value(out: &mut String, value: &ScalarValue, field: &Field) {
    if value.is_null() {
        out.push_str("null");
        return;
    }
    if Kind::of(field).is_some()
        && let Some(Some(text)) = value.try_as_str()
    {
        out.push_str(text);
        return;
    }
    match value {
        ScalarValue::Boolean(Some(b)) => out.push_str(if *b { "true" } else { "false" }),
        ScalarValue::Float32(Some(v)) => float(out, f64::from(*v)),
        ScalarValue::Float64(Some(v)) => float(out, *v),
        ScalarValue::Decimal128(..) | ScalarValue::Decimal256(..) => {
            let _ = write!(out, "{value}");
        }
        v if v.data_type().is_integer() => {
            let _ = write!(out, "{v}");
        }
        ScalarValue::Date32(Some(days)) => {
            let date = NaiveDate::from_num_days_from_ce_opt(days + 719_163);
            match date {
                Some(d) => write_string(out, &d.format("%Y-%m-%d").to_string()),
                None => write_string(out, &value.to_string()),
            }
        }
        ScalarValue::TimestampSecond(Some(v), tz) => timestamp(out, *v, TimeUnit::Second, tz),
        ScalarValue::TimestampMillisecond(Some(v), tz) => {
            timestamp(out, *v, TimeUnit::Millisecond, tz)
        }
        ScalarValue::TimestampMicrosecond(Some(v), tz) => {
            timestamp(out, *v, TimeUnit::Microsecond, tz)
        }
        ScalarValue::TimestampNanosecond(Some(v), tz) => {
            timestamp(out, *v, TimeUnit::Nanosecond, tz)
        }
        ScalarValue::Time64Microsecond(Some(us)) => time(out, us * 1_000),
        ScalarValue::Time64Nanosecond(Some(ns)) => time(out, *ns),
        ScalarValue::List(list) => elements(out, list.value(0).as_ref(), list.value_type()),
        ScalarValue::LargeList(list) => elements(out, list.value(0).as_ref(), list.value_type()),
        ScalarValue::FixedSizeList(list) => {
            elements(out, list.value(0).as_ref(), list.value_type())
        }
        ScalarValue::Struct(row) => {
            out.push('{');
            for (i, (column, member)) in row.columns().iter().zip(row.fields()).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, member.name());
                out.push(':');
                match ScalarValue::try_from_array(column, 0) {
                    Ok(v) => write_value(out, &v, member),
                    Err(_) => out.push_str("null"),
                }
            }
            out.push('}');
        }
        other => match other.try_as_str() {
            Some(Some(text)) => write_string(out, text),
            _ => out.push_str(&quoted(&other.to_string())),
        },
    }
}

/// An array's elements, `[1,2,null]`.
fn elements(out: &mut String, array: &dyn Array, element_type: DataType) {
    let field = Field::new("", element_type, true);
    out.push('[');
    for i in 0..array.len() {
        if i > 0 {
            out.push(',');
        }
        match ScalarValue::try_from_array(array, i) {
            Ok(v) => write_value(out, &v, &field),
            Err(_) => out.push_str("null"),
        }
    }
    out.push(']');
}

/// A float as `float8` prints it; `NaN` and the infinities, which JSON lacks, as strings.
fn float(out: &mut String, value: f64) {
    let text = arrow_pg::float8_text(value);
    if value.is_finite() {
        out.push_str(&text);
    } else {
        write_string(out, &text);
    }
}

/// A timestamp in ISO 8601 with the fraction it has; a `timestamptz` in UTC with its offset.
fn timestamp(out: &mut String, value: i64, unit: TimeUnit, tz: &Option<std::sync::Arc<str>>) {
    let nanos = match unit {
        TimeUnit::Second => value.saturating_mul(1_000_000_000),
        TimeUnit::Millisecond => value.saturating_mul(1_000_000),
        TimeUnit::Microsecond => value.saturating_mul(1_000),
        TimeUnit::Nanosecond => value,
    };
    let at: NaiveDateTime = DateTime::from_timestamp_nanos(nanos).naive_utc();
    let mut text = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    fraction(&mut text, at.and_utc().timestamp_subsec_nanos());
    if tz.is_some() {
        text.push_str("+00:00");
    }
    write_string(out, &text);
}

fn time(out: &mut String, nanos: i64) {
    let seconds = (nanos / 1_000_000_000) as u32;
    let sub = (nanos % 1_000_000_000) as u32;
    let at = NaiveTime::from_num_seconds_from_midnight_opt(seconds, sub).unwrap_or_default();
    let mut text = at.format("%H:%M:%S").to_string();
    fraction(&mut text, sub);
    write_string(out, &text);
}

/// Microseconds of `nanos` as a fraction without trailing zeros (none when whole).
fn fraction(text: &mut String, nanos: u32) {
    let micros = nanos / 1_000;
    if micros > 0 {
        let digits = format!("{micros:06}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: ScalarValue) -> String {
        let field = Field::new("x", value.data_type(), true);
        to_json(&value, &field)
    }

    #[test]
    fn values_as_postgres_writes_them() {
        assert_eq!(json(ScalarValue::Int32(Some(42))), "42");
        assert_eq!(json(ScalarValue::Decimal128(Some(-150), 3, 2)), "-1.50");
        assert_eq!(json(ScalarValue::Float64(Some(1e20))), "1e+20");
        assert_eq!(json(ScalarValue::Float64(Some(f64::NAN))), "\"NaN\"");
        assert_eq!(
            json(ScalarValue::from("héllo \"wörld\"")),
            "\"héllo \\\"wörld\\\"\""
        );
        assert_eq!(json(ScalarValue::Date32(Some(19782))), "\"2024-02-29\"");
        assert_eq!(
            json(ScalarValue::TimestampNanosecond(
                Some(1_709_214_300_500_000_000),
                None
            )),
            "\"2024-02-29T13:45:00.5\""
        );
        assert_eq!(
            json(ScalarValue::TimestampNanosecond(
                Some(1_709_214_300_000_000_000),
                Some("UTC".into())
            )),
            "\"2024-02-29T13:45:00+00:00\""
        );
    }
}
