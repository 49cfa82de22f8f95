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

/// A timestamp in a `DateStyle` other than ISO, its seconds' fraction without trailing zeros, as
/// Postgres prints it (`04.03.2024 05:06:07`, where pgwire wrote `05:06:07.000000`; Hangar patch
/// 10).
#[derive(Debug)]
pub(crate) struct TrimmedSeconds<T>(pub(crate) T);

impl<T: ToSqlText> ToSqlText for TrimmedSeconds<T> {
    fn to_sql_text(
        &self,
        ty: &Type,
        out: &mut BytesMut,
        format_options: &FormatOptions,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let mut text = BytesMut::new();
        if let IsNull::Yes = self.0.to_sql_text(ty, &mut text, format_options)? {
            return Ok(IsNull::Yes);
        }
        out.extend_from_slice(trim_seconds(&String::from_utf8_lossy(&text)).as_bytes());
        Ok(IsNull::No)
    }
}

impl<T: ToSql> ToSql for TrimmedSeconds<T> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.to_sql(ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        T::accepts(ty)
    }

    postgres_types::to_sql_checked!();
}

/// `text` with the fraction of its seconds (the digits after `:ss.`) rid of trailing zeros, and of
/// the point when nothing is left.
fn trim_seconds(text: &str) -> String {
    let bytes = text.as_bytes();
    let point = (3..bytes.len()).find(|&i| {
        bytes[i] == b'.'
            && bytes[i - 3] == b':'
            && bytes[i - 2].is_ascii_digit()
            && bytes[i - 1].is_ascii_digit()
    });
    trim_after(text, point)
}

/// `text` with the first fraction (digits after a point after a digit: `05:06:07.500000`,
/// `6.500000S`) rid of trailing zeros, and of the point when nothing is left.
fn trim_fraction(text: &str) -> String {
    let bytes = text.as_bytes();
    let point = (1..bytes.len()).find(|&i| bytes[i] == b'.' && bytes[i - 1].is_ascii_digit());
    trim_after(text, point)
}

/// `text` with the digits after the point at byte `point` rid of trailing zeros.
fn trim_after(text: &str, point: Option<usize>) -> String {
    let bytes = text.as_bytes();
    let Some(point) = point else {
        return text.to_string();
    };
    let end = (point + 1..bytes.len())
        .find(|&i| !bytes[i].is_ascii_digit())
        .unwrap_or(bytes.len());
    let digits = text[point + 1..end].trim_end_matches('0');
    let fraction = if digits.is_empty() {
        String::new()
    } else {
        format!(".{digits}")
    };
    format!("{}{fraction}{}", &text[..point], &text[end..])
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
        if format_options.interval_style.eq_ignore_ascii_case("postgres") {
            out.extend_from_slice(postgres_interval(&self.0).as_bytes());
            return Ok(IsNull::No);
        }
        if format_options
            .interval_style
            .eq_ignore_ascii_case("postgres_verbose")
        {
            out.extend_from_slice(verbose_interval(&self.0).as_bytes());
            return Ok(IsNull::No);
        }
        let mut text = BytesMut::new();
        self.0.to_sql_text(ty, &mut text, format_options)?;
        let text = String::from_utf8_lossy(&text);
        let trimmed = trim_fraction(&text);
        out.extend_from_slice(trimmed.as_bytes());
        Ok(IsNull::No)
    }
}

/// An interval in `IntervalStyle` `postgres`, as Postgres' `EncodeInterval` writes it: years,
/// months and days as counted units (`-1 years -2 mons +3 days`), a positive field after a
/// negative one marked `+` (Hangar patch 9), then the time without the fraction's trailing zeros.
fn postgres_interval(interval: &pg_interval::Interval) -> String {
    let mut out = String::new();
    let (mut is_zero, mut is_before) = (true, false);
    let mut field = |value: i64, unit: &str, out: &mut String| {
        if value == 0 {
            return;
        }
        let separator = if is_zero { "" } else { " " };
        let sign = if is_before && value > 0 { "+" } else { "" };
        let plural = if value != 1 { "s" } else { "" };
        out.push_str(&format!("{separator}{sign}{value} {unit}{plural}"));
        is_before = value < 0;
        is_zero = false;
    };
    let months = i64::from(interval.months);
    field(months / 12, "year", &mut out);
    field(months % 12, "mon", &mut out);
    field(i64::from(interval.days), "day", &mut out);
    let micros = interval.microseconds;
    if is_zero || micros != 0 {
        let sign = if micros < 0 {
            "-"
        } else if is_before {
            "+"
        } else {
            ""
        };
        let separator = if is_zero { "" } else { " " };
        let total = micros.unsigned_abs();
        let (hours, rest) = (total / 3_600_000_000, total % 3_600_000_000);
        let (minutes, rest) = (rest / 60_000_000, rest % 60_000_000);
        let (seconds, fraction) = (rest / 1_000_000, rest % 1_000_000);
        out.push_str(&format!("{separator}{sign}{hours:02}:{minutes:02}:{seconds:02}"));
        if fraction != 0 {
            let digits = format!("{fraction:06}");
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
    }
    out
}

/// An interval in `IntervalStyle` `postgres_verbose`, as Postgres' `EncodeInterval` writes it
/// (Hangar patch 14): `@`, then each field as a counted unit, signed against the first one's
/// sign, which a trailing `ago` gives (`@ 1 day -2 hours ago` is minus a day plus two hours);
/// `pg_interval` wrote each field's own sign and lost the others'.
fn verbose_interval(interval: &pg_interval::Interval) -> String {
    let mut out = String::from("@");
    let (mut is_zero, mut is_before) = (true, false);
    let mut field = |value: i64, unit: &str, out: &mut String| {
        if value == 0 {
            return;
        }
        let value = if is_zero {
            is_before = value < 0;
            value.abs()
        } else if is_before {
            -value
        } else {
            value
        };
        let plural = if value != 1 { "s" } else { "" };
        out.push_str(&format!(" {value} {unit}{plural}"));
        is_zero = false;
    };
    let months = i64::from(interval.months);
    field(months / 12, "year", &mut out);
    field(months % 12, "mon", &mut out);
    field(i64::from(interval.days), "day", &mut out);
    let micros = interval.microseconds;
    field(micros / 3_600_000_000, "hour", &mut out);
    field(micros / 60_000_000 % 60, "min", &mut out);
    let (seconds, fraction) = (micros / 1_000_000 % 60, micros % 1_000_000);
    if seconds != 0 || fraction != 0 {
        out.push(' ');
        if seconds < 0 || (seconds == 0 && fraction < 0) {
            if is_zero {
                is_before = true;
            } else if !is_before {
                out.push('-');
            }
        } else if is_before {
            out.push('-');
        }
        out.push_str(&seconds.abs().to_string());
        if fraction != 0 {
            let digits = format!("{:06}", fraction.abs());
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
        let plural = if seconds.abs() != 1 || fraction != 0 { "s" } else { "" };
        out.push_str(&format!(" sec{plural}"));
        is_zero = false;
    }
    if is_zero {
        out.push_str(" 0");
    }
    if is_before {
        out.push_str(" ago");
    }
    out
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

/// Hangar patch 11: the binary format of the `numeric` whose text is `text` (`-123.4500`): the
/// count of base-10,000 digits, the first one's weight, the sign, the scale the text shows, then
/// the digits, without leading or trailing zero digits, as Postgres' `numeric_send` writes them.
pub(crate) fn numeric_binary(text: &str) -> Vec<u8> {
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = magnitude.split_once('.').unwrap_or((magnitude, ""));
    let scale = fraction.len();
    let lead = (4 - whole.len() % 4) % 4;
    let trail = (4 - fraction.len() % 4) % 4;
    let digits: String = std::iter::repeat_n('0', lead)
        .chain(whole.chars())
        .chain(fraction.chars())
        .chain(std::iter::repeat_n('0', trail))
        .collect();
    let mut groups: Vec<i16> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).ok().and_then(|c| c.parse().ok()).unwrap_or(0))
        .collect();
    let mut weight = ((lead + whole.len()) / 4) as i16 - 1;
    let leading = groups.iter().take_while(|d| **d == 0).count();
    groups.drain(..leading);
    weight -= leading as i16;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    let sign: u16 = if negative && !groups.is_empty() { 0x4000 } else { 0 };
    let mut bytes = Vec::with_capacity(8 + 2 * groups.len());
    bytes.extend_from_slice(&(groups.len() as i16).to_be_bytes());
    bytes.extend_from_slice(&weight.to_be_bytes());
    bytes.extend_from_slice(&sign.to_be_bytes());
    bytes.extend_from_slice(&(scale as i16).to_be_bytes());
    for group in groups {
        bytes.extend_from_slice(&group.to_be_bytes());
    }
    bytes
}

