//! `varchar` and `char(n)`, as Postgres has them. A cast to `varchar(n)` or `char(n)` keeps the
//! first `n` characters of the value, as Postgres' explicit casts do (`'abcdef'::varchar(3)` is
//! `abc`; DataFusion ignored the length). A `varchar` is reported as `character varying` (by the
//! wire and `pg_typeof`), not as `text`. A `char(n)` is blank-padded: Postgres ignores its
//! trailing spaces in comparisons, `length` and concatenation, and writes it padded to `n`
//! characters; Hangar holds it without them and the wire pads it (`'ab'::char(5)` is `ab   `,
//! `'ab '::char(3) = 'ab'` and `length('ab'::char(5))` is 2), and `octet_length` counts the
//! padding as Postgres does. The types are text tagged as the `postgres.varchar` and
//! `postgres.bpchar` extension types (`arrow-pg`'s patch 13): a function of them gives text.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_pg::datatypes::{BPCHAR_EXTENSION, BPCHAR_LENGTH_KEY, VARCHAR_EXTENSION};
use arrow_schema::extension::EXTENSION_TYPE_NAME_KEY;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::execution::context::SessionContext;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::sql::sqlparser::ast::{
    CharacterLength, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments,
    Statement,
};

use super::from_functions::function_name;
use crate::statement::{cast_parts, parse_expr, rewrite_expressions};

/// Registers `hangar_varchar` and `hangar_bpchar`, which the casts become.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(CharacterType::varchar()));
    ctx.register_udf(ScalarUDF::new_from_impl(CharacterType::bpchar()));
}

/// Rewrites each cast of `statement` to a character type (and each typed literal of one):
/// `x::varchar(n)` becomes `hangar_varchar(left(CAST(x AS TEXT), n))`, `x::char(n)`
/// `hangar_bpchar(left(CAST(x AS TEXT), n), 'n')` (`char` alone is `char(1)`; the length is
/// quoted, which keeps it a constant through the rewrites of integer literals); and the
/// `octet_length` of a `char(n)` counts its padding.
pub(crate) fn rewrite_character_types(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Expr::Function(call) = expr
            && function_name(&call.name).as_deref() == Some("octet_length")
        {
            pad_octet_length(call);
            return;
        }
        let Some((value, data_type)) = cast_parts(expr) else {
            return;
        };
        let rewritten = match data_type {
            DataType::Varchar(length)
            | DataType::CharacterVarying(length)
            | DataType::CharVarying(length) => match length.as_ref().and_then(characters) {
                Some(n) => format!("hangar_varchar(left(CAST({value} AS TEXT), {n}))"),
                None if length.is_none() => format!("hangar_varchar(CAST({value} AS TEXT))"),
                None => return,
            },
            DataType::Char(length) | DataType::Character(length) => {
                let n = match length {
                    None => 1,
                    Some(length) => match characters(&length) {
                        Some(n) => n,
                        None => return,
                    },
                };
                format!("hangar_bpchar(left(CAST({value} AS TEXT), {n}), '{n}')")
            }
            _ => return,
        };
        if let Some(rewritten) = parse_expr(&rewritten) {
            *expr = rewritten;
        }
    })
}

/// A type's length in characters, if it gives one.
fn characters(length: &CharacterLength) -> Option<u64> {
    match length {
        CharacterLength::IntegerLength { length, .. } => Some(*length),
        CharacterLength::Max => None,
    }
}

/// `octet_length(c)` of a `char(n)` `c` (as rewritten) as `octet_length(rpad(c, n))`: Postgres
/// counts the padding.
fn pad_octet_length(call: &mut Function) {
    let FunctionArguments::List(list) = &mut call.args else {
        return;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(argument))] = list.args.as_mut_slice() else {
        return;
    };
    let Expr::Function(bpchar) = &*argument else {
        return;
    };
    if function_name(&bpchar.name).as_deref() != Some("hangar_bpchar") {
        return;
    }
    let FunctionArguments::List(bpchar_args) = &bpchar.args else {
        return;
    };
    let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(length))) = bpchar_args.args.get(1) else {
        return;
    };
    let length = length.to_string();
    let length = length.trim_matches('\'');
    if let Some(padded) = parse_expr(&format!("rpad({argument}, {length})")) {
        *argument = padded;
    }
}

/// `hangar_varchar(text)` and `hangar_bpchar(text, 'n')`: the text as a `varchar`, and as a
/// `char(n)` (without trailing spaces), tagged as such.
#[derive(Debug, PartialEq, Eq, Hash)]
struct CharacterType {
    name: &'static str,
    extension: &'static str,
    signature: Signature,
}

impl CharacterType {
    fn varchar() -> Self {
        Self {
            name: "hangar_varchar",
            extension: VARCHAR_EXTENSION,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }

    fn bpchar() -> Self {
        Self {
            name: "hangar_bpchar",
            extension: BPCHAR_EXTENSION,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for CharacterType {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[ArrowType]) -> Result<ArrowType> {
        Ok(ArrowType::Utf8)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let mut metadata = HashMap::from([(
            EXTENSION_TYPE_NAME_KEY.to_string(),
            self.extension.to_string(),
        )]);
        if self.extension == BPCHAR_EXTENSION {
            let length = match args.scalar_arguments.get(1).copied().flatten() {
                Some(length) => length.cast_to(&ArrowType::Int64)?,
                None => return plan_err!("{} takes a constant length", self.name),
            };
            let ScalarValue::Int64(Some(length)) = length else {
                return plan_err!("{} takes a constant length", self.name);
            };
            metadata.insert(BPCHAR_LENGTH_KEY.to_string(), length.to_string());
        }
        Ok(Arc::new(
            Field::new(self.name, ArrowType::Utf8, true).with_metadata(metadata),
        ))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let blank_padded = self.extension == BPCHAR_EXTENSION;
        make_scalar_function(
            move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
                let text = cast(&arrays[0], &ArrowType::Utf8)?;
                if !blank_padded {
                    return Ok(text);
                }
                let trimmed: StringArray = text
                    .as_string::<i32>()
                    .iter()
                    .map(|value| value.map(|v| v.trim_end_matches(' ')))
                    .collect();
                Ok(Arc::new(trimmed) as Arc<dyn Array>)
            },
            vec![],
        )(&args.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn casts_keep_the_first_characters_and_tag_the_type() {
        assert_eq!(
            rewritten(
                "SELECT 'abcdef'::varchar(3), CAST(d AS char(10)), x::varchar, 'x'::character \
                 FROM t",
                rewrite_character_types
            ),
            "SELECT hangar_varchar(left(CAST('abcdef' AS TEXT), 3)), \
             hangar_bpchar(left(CAST(d AS TEXT), 10), '10'), hangar_varchar(CAST(x AS TEXT)), \
             hangar_bpchar(left(CAST('x' AS TEXT), 1), '1') FROM t"
        );
    }

    #[test]
    fn octet_length_counts_the_padding() {
        assert_eq!(
            rewritten(
                "SELECT octet_length('abc'::char(10)), octet_length(s) FROM t",
                rewrite_character_types
            ),
            "SELECT octet_length(rpad(hangar_bpchar(left(CAST('abc' AS TEXT), 10), '10'), 10)), \
             octet_length(s) FROM t"
        );
    }
}
