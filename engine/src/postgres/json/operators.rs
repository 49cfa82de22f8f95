//! The JSON operators, planned as the SQL is planned (an [`ExprPlanner`]) where an operand is
//! `json` or `jsonb`: `->`, `->>`, `#>`, `#>>`, `@>`, `<@`, `?`, `?|`, `?&`, `||`, `-`, `#-`.
//! Arithmetic on a JSON value is refused as Postgres refuses it (`operator does not exist: jsonb
//! + integer`), where DataFusion would have taken the text for a number.

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, ScalarUDF, Signature, Volatility};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::BinaryOperator;

use super::editing::{Edit, Removal, concat, delete, edit_path};
use super::value::{Json, Value};
use super::{Kind, json_result, parse, text_array, text_of};
use crate::Error;
use crate::postgres::row_function::RowFunction;

/// The planner; see the module.
#[derive(Debug)]
pub(crate) struct JsonOperators;

/// The kind of JSON an expression is, if any.
fn kind_of(expr: &Expr, schema: &DFSchema) -> Option<Kind> {
    expr.to_field(schema).ok().and_then(|(_, f)| Kind::of(&f))
}

impl ExprPlanner for JsonOperators {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        let (left, right) = (kind_of(&expr.left, schema), kind_of(&expr.right, schema));
        if left.is_none() && right.is_none() {
            return Ok(PlannerResult::Original(expr));
        }
        let RawBinaryExpr {
            op,
            left: l,
            right: r,
        } = expr;
        let function = match (&op, left) {
            (BinaryOperator::Arrow, Some(_)) => "hangar_json_get",
            (BinaryOperator::LongArrow, Some(_)) => "hangar_json_get_text",
            (BinaryOperator::HashArrow, Some(_)) => "hangar_json_path",
            (BinaryOperator::HashLongArrow, Some(_)) => "hangar_json_path_text",
            (BinaryOperator::AtArrow, _) => "hangar_jsonb_contains",
            (BinaryOperator::ArrowAt, _) => {
                return Ok(PlannerResult::Planned(call("hangar_jsonb_contains", r, l)));
            }
            (BinaryOperator::Question, Some(_)) => "hangar_jsonb_exists",
            (BinaryOperator::QuestionPipe, Some(_)) => "hangar_jsonb_exists_any",
            (BinaryOperator::QuestionAnd, Some(_)) => "hangar_jsonb_exists_all",
            (BinaryOperator::StringConcat, _) => "hangar_jsonb_concat",
            (BinaryOperator::Minus, Some(_)) => "hangar_jsonb_delete",
            (BinaryOperator::HashMinus, Some(_)) => "hangar_jsonb_delete_path",
            (
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide
                | BinaryOperator::Modulo,
                _,
            ) => {
                let name = |kind: Option<Kind>, e: &Expr| match kind {
                    Some(kind) => kind.name().to_string(),
                    None => e
                        .get_type(schema)
                        .map(|t| crate::postgres::functions::regtype_of(&t))
                        .unwrap_or_else(|_| "unknown".into()),
                };
                return Err(Error::UndefinedOperator(format!(
                    "operator does not exist: {} {op} {}",
                    name(left, &l),
                    name(right, &r)
                ))
                .into_datafusion());
            }
            _ => {
                return Ok(PlannerResult::Original(RawBinaryExpr {
                    op,
                    left: l,
                    right: r,
                }));
            }
        };
        Ok(PlannerResult::Planned(call(function, l, r)))
    }
}

/// `name(left, right)`, a function of the session's.
fn call(name: &str, left: Expr, right: Expr) -> Expr {
    Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(
        OPERATOR_FUNCTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, make)| std::sync::Arc::new(make()))
            .expect("an operator's function"),
        vec![left, right],
    ))
}

/// What makes one of the operators' functions.
type MakeFunction = fn() -> ScalarUDF;

/// The functions the operators are planned as, by name.
const OPERATOR_FUNCTIONS: [(&str, MakeFunction); 11] = [
    ("hangar_json_get", || {
        getter("hangar_json_get", Getter::Value)
    }),
    ("hangar_json_get_text", || {
        getter("hangar_json_get_text", Getter::Text)
    }),
    ("hangar_json_path", || {
        getter("hangar_json_path", Getter::PathValue)
    }),
    ("hangar_json_path_text", || {
        getter("hangar_json_path_text", Getter::PathText)
    }),
    ("hangar_jsonb_contains", contains),
    ("hangar_jsonb_exists", || {
        exists("hangar_jsonb_exists", Exists::One)
    }),
    ("hangar_jsonb_exists_any", || {
        exists("hangar_jsonb_exists_any", Exists::Any)
    }),
    ("hangar_jsonb_exists_all", || {
        exists("hangar_jsonb_exists_all", Exists::All)
    }),
    ("hangar_jsonb_concat", concatenation),
    ("hangar_jsonb_delete", deletion),
    ("hangar_jsonb_delete_path", path_deletion),
];

/// Registers the operators' functions, for plans that name them (a view's, a cursor's).
pub(super) fn install(ctx: &SessionContext) {
    for (_, make) in OPERATOR_FUNCTIONS {
        ctx.register_udf(make());
    }
}

/// What `->`, `->>`, `#>` and `#>>` answer.
#[derive(Clone, Copy)]
enum Getter {
    Value,
    Text,
    PathValue,
    PathText,
}

fn getter(name: &'static str, getter: Getter) -> ScalarUDF {
    RowFunction::udf(
        name,
        Signature::any(2, Volatility::Immutable),
        move |fields| match getter {
            Getter::Value | Getter::PathValue => Kind::of_first(fields).field(),
            Getter::Text | Getter::PathText => Field::new("", DataType::Utf8, true),
        },
        move |args, fields| {
            let kind = Kind::of_first(fields);
            let (Some(text), false) = (text_of(&args[0]), args[1].is_null()) else {
                return Ok(json_result(None));
            };
            let doc = parse(&text)?;
            let found = match getter {
                Getter::Value | Getter::Text => step(&doc, &args[1]),
                Getter::PathValue | Getter::PathText => {
                    let (path, _) = text_array::elements(&args[1])?.unwrap_or_default();
                    path.iter().try_fold(&doc, |at, key| {
                        key.as_deref().and_then(|k| member(at, k, k.parse().ok()))
                    })
                }
            };
            Ok(json_result(found.and_then(|value| match getter {
                Getter::Value | Getter::PathValue => Some(kind.text(value)),
                Getter::Text | Getter::PathText => value.as_text(kind == Kind::Jsonb),
            })))
        },
    )
}

/// The member of `doc` that `->`'s right operand names: a key of an object, an index of an array.
fn step<'d, 'a>(doc: &'d Json<'a>, key: &ScalarValue) -> Option<&'d Json<'a>> {
    if key.data_type().is_integer() {
        let index = key.cast_to(&DataType::Int64).ok()?;
        let ScalarValue::Int64(Some(index)) = index else {
            return None;
        };
        return match &doc.value {
            Value::Array(_) => member(doc, "", Some(index)),
            _ => None,
        };
    }
    let key = text_of(key)?;
    match &doc.value {
        Value::Object(_) => member(doc, &key, None),
        _ => None,
    }
}

/// An object's member named `key` (the last, if repeated), or an array's element at `index`
/// (from the end, when negative).
fn member<'d, 'a>(doc: &'d Json<'a>, key: &str, index: Option<i64>) -> Option<&'d Json<'a>> {
    match &doc.value {
        Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        Value::Array(items) => {
            let index = index?;
            let len = items.len() as i64;
            let at = if index < 0 { index + len } else { index };
            usize::try_from(at).ok().and_then(|at| items.get(at))
        }
        _ => None,
    }
}

/// `a @> b`: whether `a` contains `b`.
fn contains() -> ScalarUDF {
    RowFunction::udf(
        "hangar_jsonb_contains",
        Signature::any(2, Volatility::Immutable),
        |_| Field::new("", DataType::Boolean, true),
        |args, _| {
            let (Some(a), Some(b)) = (text_of(&args[0]), text_of(&args[1])) else {
                return Ok(ScalarValue::Boolean(None));
            };
            Ok(ScalarValue::Boolean(Some(
                parse(&a)?.contains(&parse(&b)?, true),
            )))
        },
    )
}

/// Which keys `?`, `?|` and `?&` ask for.
#[derive(Clone, Copy)]
enum Exists {
    One,
    Any,
    All,
}

fn exists(name: &'static str, exists: Exists) -> ScalarUDF {
    RowFunction::udf(
        name,
        Signature::any(2, Volatility::Immutable),
        |_| Field::new("", DataType::Boolean, true),
        move |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(ScalarValue::Boolean(None));
            };
            let doc = parse(&text)?;
            let has = |key: &str| match &doc.value {
                Value::Object(members) => members.iter().any(|(k, _)| k == key),
                Value::Array(items) => items
                    .iter()
                    .any(|i| matches!(&i.value, Value::String(s) if s == key)),
                Value::String(s) => s == key,
                _ => false,
            };
            let answer = match exists {
                Exists::One => match text_of(&args[1]) {
                    Some(key) => has(&key),
                    None => return Ok(ScalarValue::Boolean(None)),
                },
                Exists::Any | Exists::All => {
                    let Some((keys, _)) = text_array::elements(&args[1])? else {
                        return Ok(ScalarValue::Boolean(None));
                    };
                    let mut keys = keys.iter().flatten();
                    match exists {
                        Exists::Any => keys.any(|k| has(k)),
                        _ => keys.all(|k| has(k)),
                    }
                }
            };
            Ok(ScalarValue::Boolean(Some(answer)))
        },
    )
}

/// `a || b` of `jsonb` values.
fn concatenation() -> ScalarUDF {
    RowFunction::udf(
        "hangar_jsonb_concat",
        Signature::any(2, Volatility::Immutable),
        |_| Kind::Jsonb.field(),
        |args, _| {
            let (Some(a), Some(b)) = (text_of(&args[0]), text_of(&args[1])) else {
                return Ok(json_result(None));
            };
            Ok(json_result(Some(
                concat(parse(&a)?, parse(&b)?).jsonb_text(),
            )))
        },
    )
}

/// `doc - key`, `doc - index`, `doc - keys`.
fn deletion() -> ScalarUDF {
    RowFunction::udf(
        "hangar_jsonb_delete",
        Signature::any(2, Volatility::Immutable),
        |_| Kind::Jsonb.field(),
        |args, _| {
            let (Some(text), false) = (text_of(&args[0]), args[1].is_null()) else {
                return Ok(json_result(None));
            };
            let removal = match &args[1] {
                key if key.data_type().is_integer() => match key.cast_to(&DataType::Int64)? {
                    ScalarValue::Int64(Some(index)) => Removal::Index(index),
                    _ => return Ok(json_result(None)),
                },
                ScalarValue::List(_)
                | ScalarValue::LargeList(_)
                | ScalarValue::FixedSizeList(_) => {
                    let (keys, _) = text_array::elements(&args[1])?.unwrap_or_default();
                    Removal::Keys(keys.into_iter().flatten().collect())
                }
                key => Removal::Keys(text_of(key).into_iter().collect()),
            };
            Ok(json_result(Some(
                delete(parse(&text)?, &removal)?.jsonb_text(),
            )))
        },
    )
}

/// `doc #- path`.
fn path_deletion() -> ScalarUDF {
    RowFunction::udf(
        "hangar_jsonb_delete_path",
        Signature::any(2, Volatility::Immutable),
        |_| Kind::Jsonb.field(),
        |args, _| {
            let Some(text) = text_of(&args[0]) else {
                return Ok(json_result(None));
            };
            let Some((path, _)) = text_array::elements(&args[1])? else {
                return Ok(json_result(None));
            };
            let edited = edit_path(parse(&text)?, &path, None, Edit::Delete)?;
            Ok(json_result(Some(edited.jsonb_text())))
        },
    )
}
