//! The JSON functions: the types' input (what a cast runs), constructors (`to_json`,
//! `json_build_object`, `json_build_array`, `json_object`), and what inspects or reshapes a value
//! (`json_typeof`, `json_array_length`, `json_strip_nulls`, `jsonb_pretty`, `jsonb_set`,
//! `jsonb_insert`). Each has a `json` and a `jsonb` form where Postgres has both.

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::{Signature, TypeSignature, Volatility};
use datafusion::prelude::SessionContext;

use super::editing::{Edit, edit_path};
use super::sql_values::{key_text, to_json};
use super::value::{Json, Value, quoted};
use super::{Kind, json_result, parse, text_array, text_of};
use crate::Error;
use crate::postgres::row_function::RowFunction;

/// Registers the functions.
pub(super) fn install(ctx: &SessionContext) {
    for kind in [Kind::Json, Kind::Jsonb] {
        ctx.register_udf(input(kind));
        // `row_to_json(row)` is `to_json` of a row.
        let aliases: &[&str] = if kind == Kind::Json {
            &["row_to_json"]
        } else {
            &[]
        };
        ctx.register_udf(to_json_function(kind).with_aliases(aliases.iter().copied()));
        ctx.register_udf(build_object(kind));
        ctx.register_udf(build_array(kind));
        ctx.register_udf(object(kind));
        ctx.register_udf(type_of(kind));
        ctx.register_udf(array_length(kind));
        ctx.register_udf(strip_nulls(kind));
    }
    ctx.register_udf(pretty());
    ctx.register_udf(set());
    ctx.register_udf(insert());
    for name in [
        "jsonb_path_query",
        "jsonb_path_query_first",
        "jsonb_path_query_array",
        "jsonb_path_exists",
        "jsonb_path_match",
    ] {
        ctx.register_udf(RowFunction::udf(
            name,
            Signature::variadic_any(Volatility::Immutable),
            |_| Kind::Jsonb.field(),
            |_, _| {
                Err(DataFusionError::NotImplemented(
                    "jsonpath is not supported; use the -> and #> operators".into(),
                ))
            },
        ));
    }
}

/// `json`'s name or `jsonb`'s, by kind.
fn named(kind: Kind, json: &'static str, jsonb: &'static str) -> &'static str {
    match kind {
        Kind::Json => json,
        Kind::Jsonb => jsonb,
    }
}

/// A function's result when an argument is NULL, for functions that answer NULL then.
fn any_null(args: &[ScalarValue]) -> bool {
    args.iter().any(ScalarValue::is_null)
}

/// Any number of arguments of any types, none included.
fn any_number() -> Signature {
    Signature::one_of(
        vec![TypeSignature::Nullary, TypeSignature::VariadicAny],
        Volatility::Immutable,
    )
}

/// The `json`/`jsonb` input function a cast runs: checks the text, and normalizes a `jsonb`'s.
fn input(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        super::input_function(kind),
        Signature::any(1, Volatility::Immutable),
        move |_| kind.field(),
        move |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(json_result(None));
            };
            let value = parse(&text)?;
            Ok(json_result(Some(match kind {
                Kind::Json => text.clone(),
                Kind::Jsonb => value.jsonb_text(),
            })))
        },
    )
}

/// `to_json(x)`, `to_jsonb(x)`.
fn to_json_function(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "to_json", "to_jsonb"),
        Signature::any(1, Volatility::Immutable),
        move |_| kind.field(),
        move |args, fields| {
            if any_null(args) {
                return Ok(json_result(None));
            }
            as_kind(kind, to_json(&args[0], &fields[0])).map(|t| json_result(Some(t)))
        },
    )
}

/// JSON text built by a `json` function, as the `jsonb` form of the function answers it.
fn as_kind(kind: Kind, json: String) -> Result<String> {
    match kind {
        Kind::Json => Ok(json),
        Kind::Jsonb => Ok(parse(&json)?.jsonb_text()),
    }
}

/// `json_build_object(k, v, …)`: `{"a" : 1, "b" : "two"}`.
fn build_object(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "json_build_object", "jsonb_build_object"),
        any_number(),
        move |_| kind.field(),
        move |args, fields| {
            if !args.len().is_multiple_of(2) {
                return Err(Error::InvalidParameter(
                    "argument list must have even number of elements".into(),
                )
                .into_datafusion());
            }
            let mut members = Vec::with_capacity(args.len() / 2);
            for (i, pair) in args.chunks(2).enumerate() {
                if pair[0].is_null() {
                    return Err(Error::InvalidParameter(format!(
                        "argument {}: key must not be null",
                        2 * i + 1
                    ))
                    .into_datafusion());
                }
                let key = key_text(&pair[0], &fields[2 * i]);
                members.push(format!(
                    "{} : {}",
                    quoted(&key),
                    to_json(&pair[1], &fields[2 * i + 1])
                ));
            }
            as_kind(kind, format!("{{{}}}", members.join(", "))).map(|t| json_result(Some(t)))
        },
    )
}

/// `json_build_array(v, …)`: `[1, "two", null]`.
fn build_array(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "json_build_array", "jsonb_build_array"),
        any_number(),
        move |_| kind.field(),
        move |args, fields| {
            let items: Vec<String> = args
                .iter()
                .zip(fields)
                .map(|(v, f)| to_json(v, f))
                .collect();
            as_kind(kind, format!("[{}]", items.join(", "))).map(|t| json_result(Some(t)))
        },
    )
}

/// `json_object(text[])` of keys and values alternating or in pairs, `json_object(keys, values)`:
/// `{"a" : "1", "b" : null}`.
fn object(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "json_object", "jsonb_object"),
        Signature::one_of(
            vec![TypeSignature::Any(1), TypeSignature::Any(2)],
            Volatility::Immutable,
        ),
        move |_| kind.field(),
        move |args, _| {
            if any_null(args) {
                return Ok(json_result(None));
            }
            let wrong = |message: &str| Error::InvalidParameter(message.into()).into_datafusion();
            let pairs: Vec<(Option<String>, Option<String>)> = match args {
                [both] => {
                    let (items, dims) = text_array::elements(both)?.unwrap_or_default();
                    match dims.as_slice() {
                        [n] if n % 2 == 0 => items
                            .chunks(2)
                            .map(|p| (p[0].clone(), p[1].clone()))
                            .collect(),
                        [_] => return Err(wrong("array must have even number of elements")),
                        [_, 2] => items
                            .chunks(2)
                            .map(|p| (p[0].clone(), p[1].clone()))
                            .collect(),
                        _ => return Err(wrong("array must have two columns")),
                    }
                }
                [keys, values] => {
                    let (keys, _) = text_array::elements(keys)?.unwrap_or_default();
                    let (values, _) = text_array::elements(values)?.unwrap_or_default();
                    if keys.len() != values.len() {
                        return Err(wrong("mismatched array dimensions"));
                    }
                    keys.into_iter().zip(values).collect()
                }
                _ => unreachable!("one or two arguments"),
            };
            let mut members = Vec::with_capacity(pairs.len());
            for (key, value) in pairs {
                let Some(key) = key else {
                    return Err(Error::InvalidParameter(
                        "null value not allowed for object key".into(),
                    )
                    .into_datafusion());
                };
                let value = value.map_or_else(|| "null".to_string(), |v| quoted(&v));
                members.push(format!("{} : {value}", quoted(&key)));
            }
            as_kind(kind, format!("{{{}}}", members.join(", "))).map(|t| json_result(Some(t)))
        },
    )
}

/// `json_typeof(j)`: `object`, `array`, `string`, `number`, `boolean` or `null`.
fn type_of(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "json_typeof", "jsonb_typeof"),
        Signature::any(1, Volatility::Immutable),
        |_| Field::new("", DataType::Utf8, true),
        |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(ScalarValue::Utf8(None));
            };
            Ok(ScalarValue::from(parse(&text)?.type_name()))
        },
    )
}

/// `json_array_length(j)`: the number of elements of an array.
fn array_length(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        named(kind, "json_array_length", "jsonb_array_length"),
        Signature::any(1, Volatility::Immutable),
        |_| Field::new("", DataType::Int32, true),
        |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(ScalarValue::Int32(None));
            };
            match parse(&text)?.value {
                Value::Array(items) => Ok(ScalarValue::Int32(Some(items.len() as i32))),
                Value::Object(_) => Err(Error::InvalidParameter(
                    "cannot get array length of a non-array".into(),
                )
                .into_datafusion()),
                _ => Err(
                    Error::InvalidParameter("cannot get array length of a scalar".into())
                        .into_datafusion(),
                ),
            }
        },
    )
}

/// `json_strip_nulls(j)`: the value without object members whose value is `null`, at any depth.
fn strip_nulls(kind: Kind) -> datafusion::logical_expr::ScalarUDF {
    fn strip(value: Json<'_>) -> Json<'_> {
        Json::built(match value.value {
            Value::Array(items) => Value::Array(items.into_iter().map(strip).collect()),
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .filter(|(_, v)| !matches!(v.value, Value::Null))
                    .map(|(k, v)| (k, strip(v)))
                    .collect(),
            ),
            other => other,
        })
    }
    RowFunction::udf(
        named(kind, "json_strip_nulls", "jsonb_strip_nulls"),
        Signature::any(1, Volatility::Immutable),
        move |_| kind.field(),
        move |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(json_result(None));
            };
            let stripped = strip(parse(&text)?);
            Ok(json_result(Some(kind.text(&stripped))))
        },
    )
}

/// `jsonb_pretty(j)`: one member or element per line, indented by four spaces.
fn pretty() -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        "jsonb_pretty",
        Signature::any(1, Volatility::Immutable),
        |_| Field::new("", DataType::Utf8, true),
        |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(ScalarValue::Utf8(None));
            };
            Ok(ScalarValue::Utf8(Some(parse(&text)?.pretty_text())))
        },
    )
}

/// `jsonb_set(target, path, new [, create_if_missing])`.
fn set() -> datafusion::logical_expr::ScalarUDF {
    path_editor("jsonb_set", |flag| Edit::Set {
        create: flag.unwrap_or(true),
    })
}

/// `jsonb_insert(target, path, new [, insert_after])`.
fn insert() -> datafusion::logical_expr::ScalarUDF {
    path_editor("jsonb_insert", |flag| Edit::Insert {
        after: flag.unwrap_or(false),
    })
}

/// A function that puts a `jsonb` value at a path of another, as `edit` (given the optional
/// fourth argument) says.
fn path_editor(
    name: &'static str,
    edit: fn(Option<bool>) -> Edit,
) -> datafusion::logical_expr::ScalarUDF {
    RowFunction::udf(
        name,
        Signature::one_of(
            vec![TypeSignature::Any(3), TypeSignature::Any(4)],
            Volatility::Immutable,
        ),
        |_| Kind::Jsonb.field(),
        move |args, _| {
            if any_null(args) {
                return Ok(json_result(None));
            }
            let target = text_of(&args[0]).unwrap_or_default();
            let new = text_of(&args[2]).unwrap_or_default();
            let (path, _) = text_array::elements(&args[1])?.unwrap_or_default();
            let flag = match args.get(3) {
                Some(ScalarValue::Boolean(b)) => *b,
                _ => None,
            };
            let edited = edit_path(parse(&target)?, &path, Some(parse(&new)?), edit(flag))?;
            Ok(json_result(Some(edited.jsonb_text())))
        },
    )
}
