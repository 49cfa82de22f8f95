//! Timestamp literals as Postgres reads them: `TIMESTAMP '2024-07-01 12:00'` and
//! `'2024-07-01 12:00+00'::timestamptz` without seconds, and `'epoch'`. Arrow's parser wants the
//! seconds (`error parsing time`); the literal's text gets `:00` before DataFusion reads it.
//! Only literals written as timestamps change: a text literal stays as written.

use datafusion::sql::sqlparser::ast::{DataType, Expr, ObjectNamePart, Statement, Value};

use crate::statement::rewrite_expressions;

/// Rewrites the timestamp literals of `statement` Arrow cannot read.
pub(crate) fn rewrite_datetime_literals(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
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
        if let (true, Value::SingleQuotedString(text)) = (is_timestamp(data_type), value)
            && let Some(normalized) = normalized(text)
        {
            *text = normalized;
        }
    })
}

/// Whether a type is `timestamp` or `timestamptz`, as the parser spells them.
fn is_timestamp(data_type: &DataType) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

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
