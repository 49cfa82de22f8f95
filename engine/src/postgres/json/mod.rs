//! Postgres' `json` and `jsonb`: the types, their operators (`->`, `->>`, `#>`, `@>`, `?`, `||`,
//! `-`…), functions (`json_build_object`, `to_jsonb`, `jsonb_set`…), aggregates (`json_agg`,
//! `jsonb_object_agg`…) and set-returning functions in `FROM` (`json_each`,
//! `jsonb_array_elements`…).
//!
//! A JSON value is its text in a UTF-8 column whose field is of an Arrow extension type,
//! `arrow.json` or `postgres.jsonb` ([`Kind`]): clients are told the type, and the functions and operators read the tag to answer
//! as the type does. A `json` value is its text as written; a `jsonb` value is in its canonical
//! form ([`value::Json::jsonb_text`]), so equal values have equal texts. Casts to the types
//! (`'…'::jsonb`, `JSON '…'`) become the functions that check and normalize the text
//! ([`rewrite_json_types`]). `jsonpath` is not supported: its functions are refused.

mod aggregates;
mod editing;
mod functions;
mod operators;
mod sql_values;
mod table_functions;
mod text_array;

pub(crate) use text_array::parse_literal as parse_array_literal;
mod value;

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::extension::EXTENSION_TYPE_NAME_KEY;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::ScalarValue;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{DataType as SqlType, Expr, Statement, Value as SqlValue};

use crate::Error;
use crate::statement::{function_call, rewrite_expressions};
pub(crate) use value::Json;

/// Which of Postgres' two JSON types a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Json,
    Jsonb,
}

impl Kind {
    /// The type's name, as the field's tag and as Postgres names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Json => "json",
            Kind::Jsonb => "jsonb",
        }
    }

    /// The kind a field is tagged with, if any.
    pub(crate) fn of(field: &Field) -> Option<Kind> {
        match field.extension_type_name()? {
            arrow_pg::datatypes::JSON_EXTENSION => Some(Kind::Json),
            arrow_pg::datatypes::JSONB_EXTENSION => Some(Kind::Jsonb),
            _ => None,
        }
    }

    /// A nullable UTF-8 field of this kind: of its Arrow extension type, which a cast drops.
    pub(crate) fn field(self) -> Field {
        let extension = match self {
            Kind::Json => arrow_pg::datatypes::JSON_EXTENSION,
            Kind::Jsonb => arrow_pg::datatypes::JSONB_EXTENSION,
        };
        Field::new("", DataType::Utf8, true).with_metadata(HashMap::from([(
            EXTENSION_TYPE_NAME_KEY.to_string(),
            extension.to_string(),
        )]))
    }

    /// `value`'s text as a value of this kind: as written for `json`, canonical for `jsonb`.
    pub(crate) fn text(self, value: &Json<'_>) -> String {
        match self {
            Kind::Json => value.json_text(),
            Kind::Jsonb => value.jsonb_text(),
        }
    }

    /// The kind of a function's first argument; `jsonb` for text.
    fn of_first(fields: &[FieldRef]) -> Kind {
        fields
            .first()
            .and_then(|f| Kind::of(f))
            .unwrap_or(Kind::Jsonb)
    }
}

/// Registers the JSON functions, aggregates, table functions and operators.
pub(crate) fn install(ctx: &SessionContext) -> datafusion::common::Result<()> {
    functions::install(ctx);
    operators::install(ctx);
    aggregates::install(ctx);
    table_functions::install(ctx);
    ctx.state_ref()
        .write()
        .register_expr_planner(Arc::new(operators::JsonOperators))
}

/// The function a cast to `json` or `jsonb` is planned as.
fn input_function(kind: Kind) -> &'static str {
    match kind {
        Kind::Json => "hangar_json_in",
        Kind::Jsonb => "hangar_jsonb_in",
    }
}

/// Rewrites casts to `json`/`jsonb` (`x::jsonb`, `CAST(x AS json)`, `JSONB '…'`) as the
/// functions that check and normalize the text, and refuses `jsonpath` functions.
pub(crate) fn rewrite_json_types(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let (kind, value) = match expr {
            Expr::Cast {
                data_type, expr, ..
            } => match json_kind(data_type) {
                Some(kind) => (
                    kind,
                    std::mem::replace(expr.as_mut(), Expr::value(SqlValue::Null)),
                ),
                None => return,
            },
            Expr::TypedString(typed) => match json_kind(&typed.data_type) {
                Some(kind) => (kind, Expr::Value(typed.value.clone())),
                None => return,
            },
            _ => return,
        };
        *expr = function_call(input_function(kind), vec![value]);
    })
}

/// The JSON kind a SQL type names.
fn json_kind(data_type: &SqlType) -> Option<Kind> {
    match data_type {
        SqlType::JSON => Some(Kind::Json),
        SqlType::JSONB => Some(Kind::Jsonb),
        _ => None,
    }
}

/// Parses `text` as JSON, or fails as Postgres does: `invalid input syntax for type json`.
pub(crate) fn parse(text: &str) -> datafusion::common::Result<Json<'_>> {
    Json::parse(text).map_err(|e| {
        tracing::debug!(detail = %e.0, "invalid JSON");
        // Postgres points at the text when a literal wrote it.
        Error::postgres(
            "22P02",
            "invalid input syntax for type json",
            crate::Anchor::Literal(text.into()),
        )
        .into_datafusion()
    })
}

/// A value's text, for arguments read as text (JSON texts, keys, paths); `None` for NULL.
pub(crate) fn text_of(value: &ScalarValue) -> Option<String> {
    if value.is_null() {
        return None;
    }
    match value.try_as_str() {
        Some(text) => text.map(str::to_string),
        None => Some(value.to_string()),
    }
}

/// A `json` or `jsonb` result: the text, tagged by the field of the function's result.
fn json_result(text: Option<String>) -> ScalarValue {
    ScalarValue::Utf8(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn casts_become_input_functions() {
        assert_eq!(
            rewritten(
                "SELECT '{\"a\": 1}'::jsonb -> 'a', CAST(x AS json), JSON '[1]' FROM t",
                rewrite_json_types
            ),
            "SELECT hangar_jsonb_in('{\"a\": 1}') -> 'a', hangar_json_in(x), hangar_json_in('[1]') FROM t"
        );
    }
}
