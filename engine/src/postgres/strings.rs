//! `upper` and `lower` as Postgres' `C.UTF-8` locale has them, changing ASCII letters alone
//! (`upper('héllo')` is `HéLLO`; DataFusion's changed every letter). Postgres' string functions
//! that DataFusion lacks: `unistr`, `format` (`%s`, `%I`, `%L`, `%%`, argument
//! positions `%2$s`, widths `%-10s` and `%*s`), `quote_ident`, `quote_literal`, `quote_nullable`.
//! Arguments are taken as text as Arrow casts them. And `to_hex` of an `integer` in 32 bits, as
//! Postgres writes it (`to_hex(-1)` is `ffffffff`; DataFusion's widened it to 64 bits).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF, Signature, SimpleScalarUDF, Volatility};
use datafusion::prelude::SessionContext;

/// Registers the functions in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    // Under Postgres' `C.UTF-8` locale, the case of ASCII letters alone changes.
    ctx.register_udf(text_function(
        "upper",
        Signature::string(1, Volatility::Immutable),
        |args| Ok(args[0].map(str::to_ascii_uppercase)),
    ));
    ctx.register_udf(text_function(
        "lower",
        Signature::string(1, Volatility::Immutable),
        |args| Ok(args[0].map(str::to_ascii_lowercase)),
    ));
    ctx.register_udf(text_function(
        "unistr",
        Signature::string(1, Volatility::Immutable),
        |args| args[0].map(unistr).transpose(),
    ));
    ctx.register_udf(text_function(
        "format",
        Signature::variadic_any(Volatility::Stable),
        |args| {
            let Some((template, values)) = args.split_first() else {
                return Err(DataFusionError::Plan(
                    "function format() does not exist".into(),
                ));
            };
            match template {
                None => Ok(None),
                Some(template) => format(template, values).map(Some),
            }
        },
    ));
    let one = |name: &str, quote: fn(Option<&str>) -> Option<String>| {
        text_function(
            name,
            Signature::any(1, Volatility::Immutable),
            move |args| Ok(quote(args[0])),
        )
    };
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "to_hex",
        Signature::uniform(
            1,
            vec![DataType::Int32, DataType::Int64],
            Volatility::Immutable,
        ),
        DataType::Utf8,
        Arc::new(to_hex),
    )));
    ctx.register_udf(one("quote_ident", |v| v.map(quote_ident)));
    ctx.register_udf(one("quote_literal", |v| v.map(quote_literal)));
    ctx.register_udf(one("quote_nullable", |v| {
        Some(v.map_or_else(|| "NULL".to_string(), quote_literal))
    }));
}

/// A function of text arguments (each cast to text, NULL as `None`) to text, row by row.
fn text_function(
    name: &str,
    signature: Signature,
    f: impl Fn(&[Option<&str>]) -> Result<Option<String>> + Send + Sync + 'static,
) -> ScalarUDF {
    let invoke = move |args: &[ColumnarValue]| -> Result<ColumnarValue> {
        let scalar = args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(args)?;
        let texts = arrays
            .iter()
            .map(|a| Ok(cast(a, &DataType::Utf8)?.as_string::<i32>().clone()))
            .collect::<Result<Vec<StringArray>>>()?;
        let rows = arrays.first().map_or(1, |a| a.len());
        let mut row_args = Vec::with_capacity(texts.len());
        let result: StringArray = (0..rows)
            .map(|row| {
                row_args.clear();
                row_args.extend(
                    texts
                        .iter()
                        .map(|t| (!t.is_null(row)).then(|| t.value(row))),
                );
                f(&row_args)
            })
            .collect::<Result<_>>()?;
        let result: ArrayRef = Arc::new(result);
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(result)
        })
    };
    ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        name,
        signature,
        DataType::Utf8,
        Arc::new(invoke),
    ))
}

/// `unistr(text)`: `text` with its Unicode escapes (`\XXXX`, `\+XXXXXX`, `\uXXXX`,
/// `\UXXXXXXXX`, in hexadecimal digits) and `\\` replaced by the characters they stand for.
fn unistr(text: &str) -> Result<String> {
    let invalid = || {
        crate::Error::postgres("22025", "invalid Unicode escape", crate::Anchor::Nowhere)
            .into_datafusion()
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = &rest[at + 1..];
        let (digits, skip) = match escape.chars().next() {
            Some('\\') => {
                out.push('\\');
                rest = &escape[1..];
                continue;
            }
            Some('+') => (6, 1),
            Some('u') => (4, 1),
            Some('U') => (8, 1),
            _ => (4, 0),
        };
        let hex = escape.get(skip..skip + digits).ok_or_else(invalid)?;
        let code = u32::from_str_radix(hex, 16).map_err(|_| invalid())?;
        out.push(char::from_u32(code).ok_or_else(invalid)?);
        rest = &escape[skip + digits..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `format(template, values…)`.
fn format(template: &str, values: &[Option<&str>]) -> Result<String> {
    let error = |message: &str| DataFusionError::Execution(message.to_string());
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        // %[position$][flags][width]type
        let mut digits = String::new();
        let mut position = None;
        let mut left = false;
        let mut width = None;
        loop {
            match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    digits.push(d);
                    chars.next();
                }
                Some('$') if !digits.is_empty() && position.is_none() => {
                    chars.next();
                    position = Some(
                        digits
                            .parse::<usize>()
                            .map_err(|_| error("argument number is out of range"))?,
                    );
                    digits.clear();
                }
                Some('-') if digits.is_empty() => {
                    chars.next();
                    left = true;
                }
                Some('*') if digits.is_empty() => {
                    chars.next();
                    let value = values
                        .get(next)
                        .ok_or_else(|| error("too few arguments for format()"))?;
                    next += 1;
                    let w: i64 = value
                        .unwrap_or("0")
                        .trim()
                        .parse()
                        .map_err(|_| error("width argument must be an integer"))?;
                    left |= w < 0;
                    width = Some(w.unsigned_abs() as usize);
                }
                _ => break,
            }
        }
        if !digits.is_empty() {
            width = Some(
                digits
                    .parse()
                    .map_err(|_| error("number is out of range"))?,
            );
        }
        let kind = chars
            .next()
            .ok_or_else(|| error("unterminated format() type specifier"))?;
        let index = match position {
            Some(0) => {
                return Err(error(
                    "format specifies argument 0, but arguments are numbered from 1",
                ));
            }
            Some(p) => p - 1,
            None => next,
        };
        next = index + 1;
        let value = *values
            .get(index)
            .ok_or_else(|| error("too few arguments for format()"))?;
        let text = match kind {
            's' => value.unwrap_or("").to_string(),
            'I' => quote_ident(
                value
                    .ok_or_else(|| error("null values cannot be formatted as an SQL identifier"))?,
            ),
            'L' => value.map_or_else(|| "NULL".to_string(), quote_literal),
            other => {
                return Err(error(&format!(
                    "unrecognized format() type specifier \"{other}\""
                )));
            }
        };
        let pad = width.unwrap_or(0).saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// Postgres' keywords that are not "unreserved" (reserved, type or function names, column
/// names): an identifier spelled like one must be quoted.
const KEYWORDS: [&str; 146] = [
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlparse",
];

/// An identifier quoted where Postgres would quote it: unless it is lower-case letters, digits
/// and underscores not starting with a digit, and not a keyword.
fn quote_ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A string literal: quotes doubled, and with backslashes an `E'…'` literal with them doubled.
fn quote_literal(text: &str) -> String {
    let quoted = text.replace('\'', "''");
    if text.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}

/// `to_hex(n)`: an `integer` in 32 bits' two's complement, a `bigint` in 64.
fn to_hex(args: &[ColumnarValue]) -> Result<ColumnarValue> {
    let rows = match &args[0] {
        ColumnarValue::Array(a) => a.len(),
        ColumnarValue::Scalar(_) => 1,
    };
    let values = args[0].to_array(rows)?;
    let hex: StringArray = match values.data_type() {
        DataType::Int32 => values
            .as_primitive::<datafusion::arrow::datatypes::Int32Type>()
            .iter()
            .map(|v| v.map(|v| format!("{:x}", v as u32)))
            .collect(),
        _ => cast(&values, &DataType::Int64)?
            .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
            .iter()
            .map(|v| v.map(|v| format!("{:x}", v as u64)))
            .collect(),
    };
    Ok(match &args[0] {
        ColumnarValue::Scalar(_) => ColumnarValue::Scalar(ScalarValue::try_from_array(&hex, 0)?),
        ColumnarValue::Array(_) => ColumnarValue::Array(Arc::new(hex)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_as_postgres() {
        let f = |t: &str, v: &[Option<&str>]| format(t, v).unwrap();
        assert_eq!(f("Hello %s, %s", &[Some("World"), None]), "Hello World, ");
        assert_eq!(
            f("%I.%L", &[Some("My Table"), Some("O'Reilly")]),
            "\"My Table\".'O''Reilly'"
        );
        assert_eq!(f("%L", &[None]), "NULL");
        assert_eq!(f("%2$s %1$s %s", &[Some("a"), Some("b")]), "b a b");
        assert_eq!(f("|%5s|%-5s|", &[Some("ab"), Some("cd")]), "|   ab|cd   |");
        assert_eq!(f("|%*s|", &[Some("4"), Some("x")]), "|   x|");
        assert_eq!(f("100%%", &[]), "100%");
        assert!(format("%s %s", &[Some("a")]).is_err());
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(quote_ident("abc_1"), "abc_1");
        assert_eq!(quote_ident("select"), "\"select\"");
    }
}
