//! Text read as a `date` as Postgres' `date_in` reads it, where Arrow's cast reads ISO dates only:
//! spaces around (`' 2024-03-01 '`), one-digit fields (`'2024-3-1'`), `'19990108'`, month names
//! (`'January 8, 1999'`, `'8 Jan 1999'`, `'1999-Jan-08'`), numbers in the session's `DateStyle`
//! order (`'1/8/1999'` is January 8 in `MDY`, August 1 in `DMY`), a time after the date (ignored),
//! `BC`, and `'epoch'`. A date not on the calendar is `22008`, text that is no date `22007`;
//! `'infinity'` is refused (`0A000`: Arrow's dates have none). This analyzer rule runs after
//! DataFusion's type coercion, so a cast it adds (text compared with a date) reads so too; a
//! literal's cast is read once, when the plan is simplified.

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{ArrayRef, AsArray, Date32Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::expr::{Cast, ScalarFunction};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

use super::text_casts::TextStyles;
use crate::{Anchor, Error};

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct DateInput;

impl AnalyzerRule for DateInput {
    fn name(&self) -> &str {
        "hangar_date_input"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let udf = Arc::new(ScalarUDF::new_from_impl(DateIn {
            signature: Signature::any(1, Volatility::Stable),
        }));
        super::rewrite_plan_expressions(plan, |e, schema| read_as_date(e, schema, &udf))
    }
}

/// A cast of text to a date, as `hangar_date_in` of the text.
fn read_as_date(expr: Expr, schema: &DFSchema, udf: &Arc<ScalarUDF>) -> Result<Transformed<Expr>> {
    let Expr::Cast(Cast {
        expr: operand,
        field,
    }) = &expr
    else {
        return Ok(Transformed::no(expr));
    };
    let text = matches!(
        operand.get_type(schema),
        Ok(DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
    );
    if field.data_type() != &DataType::Date32 || !text {
        return Ok(Transformed::no(expr));
    }
    Ok(Transformed::yes(Expr::ScalarFunction(
        ScalarFunction::new_udf(Arc::clone(udf), vec![*operand.clone()]),
    )))
}

/// `hangar_date_in(text)`: the text read as Postgres reads a date, in the session's `DateStyle`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DateIn {
    signature: Signature,
}

impl ScalarUDFImpl for DateIn {
    fn name(&self) -> &str {
        "hangar_date_in"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let styles = args.config_options.extensions.get::<TextStyles>();
        let order = match styles.map(|s| s.date_style.to_ascii_lowercase()) {
            Some(style) if style.contains("dmy") || style.contains("german") => Order::Dmy,
            Some(style) if style.contains("ymd") => Order::Ymd,
            _ => Order::Mdy,
        };
        let read = move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
            let texts = cast(&arrays[0], &DataType::Utf8)?;
            let days: Result<Date32Array> = texts
                .as_string::<i32>()
                .iter()
                .map(|text| text.map(|t| date_in(t, order)).transpose())
                .collect();
            Ok(Arc::new(days?))
        };
        make_scalar_function(read, vec![])(&args.args)
    }
}

/// The order of a date's three numbers, as `DateStyle` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Mdy,
    Dmy,
    Ymd,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `text` read as a date: its days since 1970-01-01, or Postgres' error.
fn date_in(text: &str, order: Order) -> Result<i32> {
    let invalid = |code: &'static str, message: &str| {
        Err(Error::postgres(
            code,
            format!("{message}: \"{text}\""),
            Anchor::Literal(text.into()),
        )
        .into_datafusion())
    };
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "epoch" => return Ok(0),
        "infinity" | "+infinity" | "-infinity" => {
            let message = "infinite values of type date are not supported".to_string();
            return Err(
                Error::postgres("0A000", message, Anchor::Literal(text.into())).into_datafusion(),
            );
        }
        _ => {}
    }
    let mut fields: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.' | ','))
        .filter(|f| !f.is_empty())
        .collect();
    let bc = fields.last() == Some(&"bc");
    fields.retain(|f| !matches!(*f, "bc" | "ad"));
    // A time after the date (`2024-01-01 10:00`, `2024-01-01T10:00`) is read and left.
    for (position, field) in fields.iter_mut().enumerate() {
        if let Some((date, _)) = field.split_once('t')
            && !date.is_empty()
            && date.bytes().all(|b| b.is_ascii_digit())
        {
            *field = date;
            fields.truncate(position + 1);
            break;
        }
        if field.contains(':') {
            fields.truncate(position);
            break;
        }
    }
    let month_name = |field: &str| {
        (field.len() >= 3 && field.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| MONTHS.iter().position(|m| m.starts_with(field)))
            .flatten()
            .map(|m| m as u32 + 1)
    };
    let number = |field: &str| {
        field
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| field.parse::<i64>().ok())
            .flatten()
    };
    // A year of one or two digits is the one nearest 2020, as Postgres reads it.
    let year = |field: &str, value: i64| match field.len() {
        1 | 2 if value < 70 => value + 2000,
        1 | 2 => value + 1900,
        _ => value,
    };
    let (y, m, d) = match fields.as_slice() {
        [one] if one.len() == 8 && number(one).is_some() => {
            let n = number(one).unwrap_or_default();
            (n / 10_000, n / 100 % 100, n % 100)
        }
        [a, b, c] => match (month_name(a), month_name(b), month_name(c)) {
            (None, None, None) => {
                let (Some(x), Some(y), Some(z)) = (number(a), number(b), number(c)) else {
                    return invalid("22007", "invalid input syntax for type date");
                };
                if a.len() >= 3 || order == Order::Ymd {
                    (year(a, x), y, z)
                } else if order == Order::Dmy {
                    (year(c, z), y, x)
                } else {
                    (year(c, z), x, y)
                }
            }
            (Some(month), None, None) => match (number(b), number(c)) {
                (Some(x), Some(z)) if b.len() >= 3 => (year(b, x), i64::from(month), z),
                (Some(x), Some(z)) => (year(c, z), i64::from(month), x),
                _ => return invalid("22007", "invalid input syntax for type date"),
            },
            (None, Some(month), None) => match (number(a), number(c)) {
                (Some(x), Some(z)) if a.len() >= 3 => (year(a, x), i64::from(month), z),
                (Some(x), Some(z)) => (year(c, z), i64::from(month), x),
                _ => return invalid("22007", "invalid input syntax for type date"),
            },
            (None, None, Some(month)) => match (number(a), number(b)) {
                (Some(x), Some(z)) if a.len() >= 3 => (year(a, x), i64::from(month), z),
                (Some(x), Some(z)) => (year(b, z), i64::from(month), x),
                _ => return invalid("22007", "invalid input syntax for type date"),
            },
            _ => return invalid("22007", "invalid input syntax for type date"),
        },
        _ => return invalid("22007", "invalid input syntax for type date"),
    };
    // Year 1 BC is the calendar's year 0.
    let y = if bc { 1 - y } else { y };
    let date = i32::try_from(y)
        .ok()
        .zip(u32::try_from(m).ok().zip(u32::try_from(d).ok()))
        .and_then(|(y, (m, d))| NaiveDate::from_ymd_opt(y, m, d));
    match date {
        // There is no year 0 BC.
        Some(date) if !bc || y <= 0 => Ok(Date32Type::from_naive_date(date)),
        _ => invalid("22008", "date/time field value out of range"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, order: Order) -> Option<String> {
        let days = date_in(text, order).ok()?;
        let date = NaiveDate::from_ymd_opt(1970, 1, 1)? + chrono::Duration::days(days.into());
        Some(date.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn dates_in_postgres_forms() {
        for text in [
            "1999-01-08",
            " 1999-1-8 ",
            "19990108",
            "January 8, 1999",
            "8 Jan 1999",
            "1999-Jan-08",
            "1/8/1999",
            "1999-01-08 04:05:06",
            "1999-01-08T04:05",
        ] {
            assert_eq!(
                read(text, Order::Mdy).as_deref(),
                Some("1999-01-08"),
                "{text}"
            );
        }
        assert_eq!(read("1/8/1999", Order::Dmy).as_deref(), Some("1999-08-01"));
        assert_eq!(read("1/8/99", Order::Mdy).as_deref(), Some("1999-01-08"));
        assert_eq!(read("epoch", Order::Mdy).as_deref(), Some("1970-01-01"));
        assert_eq!(
            read("0001-01-01 BC", Order::Mdy).as_deref(),
            Some("0000-01-01")
        );
    }

    #[test]
    fn postgres_errors_for_others() {
        for (text, code) in [
            ("2024-02-30", "22008"),
            ("31/01/2024", "22008"),
            ("nonsense", "22007"),
            ("2024-01", "22007"),
            ("infinity", "0A000"),
        ] {
            let error = Error::from(date_in(text, Order::Mdy).unwrap_err());
            assert_eq!(error.sqlstate(), code, "{text}");
        }
    }
}
