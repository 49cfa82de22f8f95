//! Hangar patch 5 (PATCHED.md): floats and timestamps in text as Postgres prints them.
//!
//! Floats: the shortest digits that read back to the same value (`extra_float_digits` ≥ 1, the
//! default) or `%.{15|6 + extra}g` (≤ 0), in fixed notation when the decimal exponent is in
//! [-4, 15) for `float8` and [-4, 6) for `float4`, else as `1.5e+20`; `Infinity`, `-Infinity`,
//! `NaN`, `-0`. Times and intervals without trailing zeros in their fraction; timestamps under an ISO `DateStyle`: fractional seconds without trailing zeros
//! (none when whole), `timestamptz` with its offset as `+00`, `+05:30`, `-03:30:45`, and years
//! before 1 as `… BC`. The differential tests (`tests/tests/semantics`) compare these with
//! PostgreSQL's own output.

use std::fmt::Write;

use bytes::BytesMut;
use chrono::{Datelike, NaiveDateTime, NaiveTime, Timelike};
use postgres_types::{IsNull, ToSql, Type};
use pgwire::types::format::FormatOptions;
use pgwire::types::ToSqlText;

/// A `float8` or `float4` value to print as Postgres does.
#[derive(Debug)]
pub(crate) enum PgFloat {
    Double(Option<f64>),
    Single(Option<f32>),
}

impl ToSqlText for PgFloat {
    fn to_sql_text(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
        format_options: &FormatOptions,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let extra = format_options.extra_float_digits.clamp(-15, 3) as i32;
        let text = match *self {
            PgFloat::Double(Some(v)) => float_text(v, v.is_sign_negative(), 15, extra, || {
                format!("{v:e}")
            }),
            PgFloat::Single(Some(v)) => float_text(v as f64, v.is_sign_negative(), 6, extra, || {
                format!("{v:e}")
            }),
            _ => return Ok(IsNull::Yes),
        };
        out.extend_from_slice(text.as_bytes());
        Ok(IsNull::No)
    }
}

impl ToSql for PgFloat {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            PgFloat::Double(v) => v.to_sql(ty, out),
            PgFloat::Single(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::FLOAT4 | Type::FLOAT8)
    }

    postgres_types::to_sql_checked!();
}

/// A `float8` as Postgres prints it by default (`extra_float_digits` 1): `1e+20`, `0.1`, `NaN`.
pub fn float8_text(value: f64) -> String {
    float_text(value, value.is_sign_negative(), 15, 1, || format!("{value:e}"))
}

/// `value` as Postgres prints it; `digits` is the type's precision (15 or 6), `shortest` the
/// shortest digits in Rust's scientific form (`1.5e20`).
fn float_text(
    value: f64,
    negative: bool,
    digits: i32,
    extra: i32,
    shortest: impl FnOnce() -> String,
) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if negative { "-Infinity" } else { "Infinity" }.into();
    }
    if value == 0.0 {
        return if negative { "-0" } else { "0" }.into();
    }
    let (mantissa, exponent, threshold) = if extra > 0 {
        let text = shortest();
        let (mantissa, exponent) = text.split_once('e').expect("scientific form");
        (mantissa.to_string(), exponent.parse().expect("exponent"), digits)
    } else {
        // %g with `precision` significant digits: trailing zeros dropped.
        let precision = (digits + extra).max(1);
        let text = format!("{:.*e}", (precision - 1) as usize, value);
        let (mantissa, exponent) = text.split_once('e').expect("scientific form");
        let mantissa = match mantissa.split_once('.') {
            Some((whole, fraction)) => {
                let fraction = fraction.trim_end_matches('0');
                if fraction.is_empty() {
                    whole.to_string()
                } else {
                    format!("{whole}.{fraction}")
                }
            }
            None => mantissa.to_string(),
        };
        (mantissa, exponent.parse().expect("exponent"), precision)
    };
    let exponent: i32 = exponent;
    if exponent < -4 || exponent >= threshold {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    // Fixed notation from the digits and the exponent of the first one.
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest.replace('.', "")),
        None => ("", mantissa.replace('.', "")),
    };
    let mut text = String::from(sign);
    if exponent < 0 {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
        text.push_str(&digits);
    } else {
        let whole = exponent as usize + 1;
        if digits.len() <= whole {
            text.push_str(&digits);
            text.extend(std::iter::repeat_n('0', whole - digits.len()));
        } else {
            text.push_str(&digits[..whole]);
            text.push('.');
            text.push_str(&digits[whole..]);
        }
    }
    text
}

/// A `timestamp` (no offset) or `timestamptz` (the offset in seconds east of UTC of its local
/// time) to print in the ISO style.
#[derive(Debug)]
pub(crate) struct IsoTimestamp(pub(crate) Option<(NaiveDateTime, Option<i32>)>);

impl ToSqlText for IsoTimestamp {
    fn to_sql_text(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
        _format_options: &FormatOptions,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let Some((local, offset)) = self.0 else {
            return Ok(IsNull::Yes);
        };
        let mut text = String::with_capacity(32);
        let year = local.year();
        let (year, bc) = if year <= 0 { (1 - year, true) } else { (year, false) };
        let _ = write!(
            text,
            "{year:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second()
        );
        push_fraction(&mut text, local.nanosecond());
        if let Some(offset) = offset {
            let sign = if offset < 0 { '-' } else { '+' };
            let offset = offset.unsigned_abs();
            let (hours, minutes, seconds) = (offset / 3600, offset / 60 % 60, offset % 60);
            let _ = write!(text, "{sign}{hours:02}");
            if minutes != 0 || seconds != 0 {
                let _ = write!(text, ":{minutes:02}");
            }
            if seconds != 0 {
                let _ = write!(text, ":{seconds:02}");
            }
        }
        if bc {
            text.push_str(" BC");
        }
        out.extend_from_slice(text.as_bytes());
        Ok(IsNull::No)
    }
}

/// Fractional seconds as Postgres prints them: microseconds without trailing zeros, none when 0.
fn push_fraction(text: &mut String, nanoseconds: u32) {
    let micros = nanoseconds / 1000;
    if micros > 0 {
        let fraction = format!("{micros:06}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
}

/// A `time` value to print as Postgres does: `12:34:56`, `12:34:56.5`.
#[derive(Debug)]
pub(crate) struct PgTime(pub(crate) Option<NaiveTime>);

impl ToSqlText for PgTime {
    fn to_sql_text(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
        _format_options: &FormatOptions,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let Some(time) = self.0 else {
            return Ok(IsNull::Yes);
        };
        let mut text = format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second());
        push_fraction(&mut text, time.nanosecond());
        out.extend_from_slice(text.as_bytes());
        Ok(IsNull::No)
    }
}

impl ToSql for PgTime {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.to_sql(ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIME
    }

    postgres_types::to_sql_checked!();
}

impl ToSql for IsoTimestamp {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.map(|(local, _)| local).to_sql(ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::TIMESTAMP | Type::TIMESTAMPTZ)
    }

    postgres_types::to_sql_checked!();
}

/// An `interval` to print as Postgres does: its seconds' fraction without trailing zeros
/// (`05:06:07.5`, where `pg_interval` printed `05:06:07.500000`).
#[derive(Debug)]
pub(crate) struct PgIntervalText(pub(crate) pg_interval::Interval);

impl ToSqlText for PgIntervalText {
    fn to_sql_text(
        &self,
        ty: &Type,
        out: &mut BytesMut,
        format_options: &FormatOptions,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let mut text = BytesMut::new();
        self.0.to_sql_text(ty, &mut text, format_options)?;
        let text = String::from_utf8_lossy(&text);
        let trimmed = match text.rsplit_once('.') {
            Some((whole, fraction))
                if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let fraction = fraction.trim_end_matches('0');
                if fraction.is_empty() {
                    whole.to_string()
                } else {
                    format!("{whole}.{fraction}")
                }
            }
            _ => text.into_owned(),
        };
        out.extend_from_slice(trimmed.as_bytes());
        Ok(IsNull::No)
    }
}

impl ToSql for PgIntervalText {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        ToSql::to_sql(&self.0, ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }

    postgres_types::to_sql_checked!();
}
