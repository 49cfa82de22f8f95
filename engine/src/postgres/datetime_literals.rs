//! Date and time literals as Postgres reads them, rewritten into the forms Arrow's parsers read
//! before DataFusion sees them: timestamps without seconds (`TIMESTAMP '2024-07-01 12:00'`,
//! `'… 12:00+00'::timestamptz`) and `'epoch'`; intervals in Postgres' input forms
//! (`'1 day 02:03:04'`, `'1-2'`, `'@ 1 year 2 mons ago'`, `'P1Y2M3DT4H'`, `'1.5 days'`,
//! `'1 millennium'`), read into months, days and microseconds as Postgres stores them, where
//! Arrow cannot read them as they are; and a negated interval literal as `0 - interval`. Only
//! literals written as timestamps or intervals change: a text literal stays as written.

use datafusion::sql::sqlparser::ast::{
    DataType, Expr, Interval, ObjectNamePart, Statement, UnaryOperator, Value,
};

use datafusion::arrow::compute::kernels::cast_utils::parse_interval_month_day_nano;

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites the timestamp literals of `statement` Arrow cannot read.
pub(crate) fn rewrite_datetime_literals(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        // A negated interval literal as a difference: DataFusion negated such a literal's months
        // only (`-interval '1 mon 2 days'` was `-1 mons +2 days`).
        if let Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: operand,
        } = expr
            && interval_text(operand).is_some()
            && let Some(difference) = parse_expr(&format!("(INTERVAL '0 seconds' - {operand})"))
        {
            *expr = difference;
            return;
        }
        if let Some(text) = interval_text(expr)
            && parse_interval_month_day_nano(text).is_err()
            && let Some(normalized) = interval(text)
        {
            *text = normalized;
            return;
        }
        let (data_type, value) = match expr {
            Expr::TypedString(typed) => (&typed.data_type, &mut typed.value.value),
            Expr::Cast {
                data_type, expr, ..
            } => match expr.as_mut() {
                Expr::Value(value) => (&*data_type, &mut value.value),
                _ => return,
            },
            _ => return,
        };
        if let (true, Value::SingleQuotedString(text)) = (is_timestamp(data_type), value) {
            if let Some(normalized) = normalized(text) {
                *text = normalized;
            }
            if let Some(rounded) = rounded_to_microseconds(text) {
                *text = rounded;
            }
        }
    })
}

/// Whether a type is `timestamp` or `timestamptz`, as the parser spells them.
pub(super) fn is_timestamp(data_type: &DataType) -> bool {
    match data_type {
        DataType::Timestamp(..) => true,
        DataType::Custom(name, _) => name.0.last().is_some_and(|part| {
            matches!(part, ObjectNamePart::Identifier(ident) if ident.value.eq_ignore_ascii_case("timestamptz"))
        }),
        _ => false,
    }
}

/// The text with seconds where a time has only hours and minutes, or `'epoch'` spelled out.
fn normalized(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("epoch") {
        return Some("1970-01-01 00:00:00+00:00".into());
    }
    // YYYY-MM-DD, a space or `T`, H:MM or HH:MM, then the end or what follows a time.
    let bytes = trimmed.as_bytes();
    let date = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !date || !matches!(bytes.get(10), Some(b' ' | b'T')) {
        return None;
    }
    let time = &trimmed[11..];
    let colon = time.find(':')?;
    let (hours, rest) = (&time[..colon], &time[colon + 1..]);
    let minutes_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let valid = (1..=2).contains(&hours.len())
        && hours.bytes().all(|b| b.is_ascii_digit())
        && minutes_end == 2;
    if !valid || rest[minutes_end..].starts_with(':') {
        return None;
    }
    let at = 11 + colon + 1 + minutes_end;
    Some(format!("{}:00{}", &trimmed[..at], &trimmed[at..]))
}

/// A timestamp's text with more than six digits of a second rounded to six, as Postgres rounds
/// them (half to even; `12:00:00.1234567` is `12:00:00.123457`): Arrow's parser truncated them.
fn rounded_to_microseconds(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let point = (3..bytes.len())
        .find(|&i| bytes[i] == b'.' && bytes[i - 3] == b':' && bytes[i - 1].is_ascii_digit())?;
    let end = (point + 1..bytes.len())
        .find(|&i| !bytes[i].is_ascii_digit())
        .unwrap_or(bytes.len());
    let digits = &text[point + 1..end];
    if digits.len() <= 6 {
        return None;
    }
    let (kept, dropped) = digits.split_at(6);
    let half = format!("5{}", "0".repeat(dropped.len() - 1));
    let last_odd = kept.as_bytes()[5] % 2 == 1;
    let up = dropped > half.as_str() || (dropped == half && last_odd);
    let whole = format!("{}.{kept}", &text[..point]);
    let parsed = chrono::NaiveDateTime::parse_from_str(whole.trim(), "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(whole.trim(), "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()?;
    let rounded = if up {
        parsed + chrono::TimeDelta::microseconds(1)
    } else {
        parsed
    };
    Some(format!(
        "{}{}",
        rounded.format("%Y-%m-%d %H:%M:%S%.6f"),
        &text[end..]
    ))
}

/// The text of an interval literal: `INTERVAL '…'` without a unit, or `'…'::interval`.
fn interval_text(expr: &mut Expr) -> Option<&mut String> {
    let value = match expr {
        Expr::Interval(Interval {
            value,
            leading_field: None,
            last_field: None,
            ..
        }) => value.as_mut(),
        Expr::Cast {
            data_type: DataType::Interval { .. },
            expr,
            ..
        } => expr.as_mut(),
        _ => return None,
    };
    match value {
        Expr::Value(v) => match &mut v.value {
            Value::SingleQuotedString(text) => Some(text),
            _ => None,
        },
        _ => None,
    }
}

/// Microseconds in a second, minute, hour and day.
const SECOND: f64 = 1_000_000.0;

/// An interval in Postgres' input syntax as months, days and microseconds, spelled for Arrow;
/// `None` when it is not one this reads (Arrow then says what it makes of it).
fn interval(text: &str) -> Option<String> {
    let (months, days, micros) = interval_parts(text)?;
    let seconds = micros as f64 / SECOND;
    Some(format!("{months} months {days} days {seconds} seconds"))
}

/// Months, days and microseconds of a Postgres interval literal.
fn interval_parts(text: &str) -> Option<(i64, i64, i64)> {
    let mut text = text.trim().to_ascii_lowercase();
    if let Some(rest) = text.strip_prefix('@') {
        text = rest.trim().to_string();
    }
    let ago = text.ends_with(" ago");
    if ago {
        text.truncate(text.len() - 4);
    }
    let mut parts = Parts::default();
    if let Some(iso) = text.strip_prefix('p') {
        parts.iso(iso)?;
    } else {
        parts.words(&text)?;
    }
    let sign = if ago { -1 } else { 1 };
    Some((
        sign * parts.months.trunc() as i64,
        sign * parts.days.trunc() as i64,
        sign * parts.micros.round() as i64,
    ))
}

/// An interval being read: fractions of a unit cascade to the next, as Postgres does.
#[derive(Default)]
struct Parts {
    months: f64,
    days: f64,
    micros: f64,
}

impl Parts {
    /// Adds `amount` of `unit`.
    fn add(&mut self, amount: f64, unit: &str) -> Option<()> {
        // `ms` and `us` before plurals are trimmed: `m` is a minute.
        let unit = match unit {
            "ms" => "msec",
            "us" => "usec",
            other => other.trim_end_matches('s'),
        };
        let (months, days, micros) = match unit {
            "millennium" | "millennia" => (12_000.0, 0.0, 0.0),
            "century" | "centurie" | "c" => (1_200.0, 0.0, 0.0),
            "decade" | "dec" => (120.0, 0.0, 0.0),
            "year" | "y" | "yr" => (12.0, 0.0, 0.0),
            "month" | "mon" => (1.0, 0.0, 0.0),
            "week" | "w" => (0.0, 7.0, 0.0),
            "day" | "d" => (0.0, 1.0, 0.0),
            "hour" | "h" | "hr" => (0.0, 0.0, 3600.0 * SECOND),
            "minute" | "min" | "m" => (0.0, 0.0, 60.0 * SECOND),
            "second" | "sec" | "" => (0.0, 0.0, SECOND),
            "millisecond" | "msec" => (0.0, 0.0, 1000.0),
            "microsecond" | "usec" => (0.0, 0.0, 1.0),
            _ => return None,
        };
        let total_months = amount * months;
        self.months += total_months.trunc();
        let total_days = amount * days + total_months.fract() * 30.0;
        self.days += total_days.trunc();
        self.micros += amount * micros + total_days.fract() * 86_400.0 * SECOND;
        Some(())
    }

    /// `H:MM[:SS[.f]]` with an optional sign.
    fn time(&mut self, text: &str) -> Option<()> {
        let (sign, text) = match text.strip_prefix('-') {
            Some(rest) => (-1.0, rest),
            None => (1.0, text.strip_prefix('+').unwrap_or(text)),
        };
        let mut fields = text.split(':');
        let hours: f64 = fields.next()?.parse().ok()?;
        let minutes: f64 = fields.next()?.parse().ok()?;
        let seconds: f64 = fields.next().map_or(Some(0.0), |s| s.parse().ok())?;
        if fields.next().is_some() {
            return None;
        }
        self.micros += sign * ((hours * 60.0 + minutes) * 60.0 + seconds) * SECOND;
        Some(())
    }

    /// Words: `1 year 2 mons -3 days 04:05:06`, `1-2` (years-months), `3 4:05:06` (days and a
    /// time), a number alone (seconds).
    fn words(&mut self, text: &str) -> Option<()> {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let mut i = 0;
        while i < tokens.len() {
            let token = tokens[i];
            if token.contains(':') {
                self.time(token)?;
            } else if let Some((years, months)) = year_month(token) {
                self.months += years * 12.0 + months;
            } else {
                let split = token
                    .find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(token.len());
                let amount: f64 = token[..split].parse().ok()?;
                let attached = &token[split..];
                if !attached.is_empty() {
                    self.add(amount, attached)?;
                } else if let Some(unit) = tokens
                    .get(i + 1)
                    .filter(|t| t.starts_with(char::is_alphabetic))
                {
                    self.add(amount, unit)?;
                    i += 1;
                } else if tokens.get(i + 1).is_some_and(|t| t.contains(':')) {
                    self.add(amount, "day")?;
                } else {
                    self.add(amount, "second")?;
                }
            }
            i += 1;
        }
        Some(())
    }

    /// ISO 8601 after its `P`: `1Y2M3W4DT5H6M7S`, or the alternative `0001-02-03T04:05:06`.
    fn iso(&mut self, text: &str) -> Option<()> {
        let (date, time) = text.split_once('t').unwrap_or((text, ""));
        if date.contains('-') {
            let mut fields = date.split('-');
            self.add(fields.next()?.parse().ok()?, "year")?;
            self.add(fields.next().unwrap_or("0").parse().ok()?, "month")?;
            self.add(fields.next().unwrap_or("0").parse().ok()?, "day")?;
            return if time.is_empty() {
                Some(())
            } else {
                self.time(time)
            };
        }
        for (part, units) in [
            (date, ["year", "month", "week", "day"]),
            (time, ["hour", "minute", "", ""]),
        ] {
            let mut number = String::new();
            for c in part.chars() {
                if c.is_ascii_digit() || c == '.' || c == '-' {
                    number.push(c);
                    continue;
                }
                let unit = match (c, units) {
                    ('y', _) => units[0],
                    ('m', _) => units[1],
                    ('w', _) => units[2],
                    ('d', _) => units[3],
                    ('h', _) => "hour",
                    ('s', _) => "second",
                    _ => return None,
                };
                self.add(number.parse().ok()?, unit)?;
                number.clear();
            }
            if !number.is_empty() {
                return None;
            }
        }
        Some(())
    }
}

/// `Y-M`, the SQL standard's years and months.
fn year_month(token: &str) -> Option<(f64, f64)> {
    let (sign, body) = match token.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, token),
    };
    let (years, months) = body.split_once('-')?;
    let years: f64 = years.parse().ok()?;
    let months: f64 = months.parse().ok()?;
    Some((sign * years, sign * months))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn intervals_read_as_postgres_reads_them() {
        let parts = |t: &str| interval_parts(t).unwrap();
        let hour = 3_600_000_000;
        assert_eq!(parts("1 day 02:03:04"), (0, 1, 2 * hour + 184_000_000));
        assert_eq!(parts("1-2"), (14, 0, 0));
        assert_eq!(parts("@ 1 year 2 mons ago"), (-14, 0, 0));
        assert_eq!(parts("P1Y2M3DT4H5M6S"), (14, 3, 4 * hour + 306_000_000));
        assert_eq!(parts("PT36H"), (0, 0, 36 * hour));
        assert_eq!(
            parts("P0001-02-03T04:05:06"),
            (14, 3, 4 * hour + 306_000_000)
        );
        assert_eq!(parts("1.5 days"), (0, 1, 12 * hour));
        assert_eq!(parts("1 millennium"), (12_000, 0, 0));
        assert_eq!(parts("3 4:05:06"), (0, 3, 4 * hour + 306_000_000));
        assert_eq!(parts("-1 day +2 hours"), (0, -1, 2 * hour));
        assert_eq!(parts("00:00:00.5"), (0, 0, 500_000));
        assert_eq!(parts("5 ms 3 mins"), (0, 0, 180_005_000));
        assert!(interval_parts("1 fortnight").is_none());
    }

    #[test]
    fn seconds_round_to_microseconds_half_to_even() {
        let round = |t: &str| rounded_to_microseconds(t);
        assert_eq!(
            round("2024-01-01 12:00:00.1234567").as_deref(),
            Some("2024-01-01 12:00:00.123457")
        );
        assert_eq!(
            round("2024-12-31 23:59:59.99999951+00").as_deref(),
            Some("2025-01-01 00:00:00.000000+00")
        );
        assert_eq!(
            round("2024-01-01 12:00:00.0000025").as_deref(),
            Some("2024-01-01 12:00:00.000002")
        );
        assert_eq!(round("2024-01-01 12:00:00.123456"), None);
    }

    #[test]
    fn times_without_seconds_get_them() {
        assert_eq!(
            normalized("2024-07-01 12:00").as_deref(),
            Some("2024-07-01 12:00:00")
        );
        assert_eq!(
            normalized("2024-07-01 9:05+00").as_deref(),
            Some("2024-07-01 9:05:00+00")
        );
        assert_eq!(normalized("2024-07-01 12:00:30"), None);
        assert_eq!(normalized("2024-07-01"), None);
        assert_eq!(
            rewritten(
                "SELECT TIMESTAMP '2024-07-01 12:00', '2024-07-01 12:00'::timestamptz, '2024-07-01 12:00'",
                rewrite_datetime_literals
            ),
            "SELECT TIMESTAMP '2024-07-01 12:00:00', '2024-07-01 12:00:00'::TIMESTAMPTZ, '2024-07-01 12:00'"
        );
    }
}
