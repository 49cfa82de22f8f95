//! Postgres functions analysts call that DataFusion lacks: `pg_typeof`, `similar_to_escape`
//! (what `SIMILAR TO` runs, [`super::similar_to`]), and Postgres' names of DataFusion's functions
//! (`ceiling`, `sign`, `every`, `variance`); and `hangar_subquery_value`, the one value of a scalar
//! subquery ([`super::scalar_subquery`]).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, UInt64Type};
use datafusion::common::ScalarValue;
use datafusion::common::cast::as_string_array;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarUDF, Signature,
    SimpleScalarUDF, TypeSignature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::row_function::RowFunction;
pub(super) use crate::error::regtype_of;

/// Registers the functions in the template every session is cloned from, and Postgres' names for
/// DataFusion's functions that Postgres calls otherwise.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(pg_typeof());
    ctx.register_udf(similar_to_escape());
    ctx.register_udaf(AggregateUDF::new_from_impl(SubqueryValue::new()));
    for (postgres, datafusion) in [("ceiling", "ceil"), ("sign", "signum")] {
        if let Ok(function) = ctx.udf(datafusion) {
            ctx.register_udf(function.as_ref().clone().with_aliases([postgres]));
        }
    }
    for (postgres, datafusion) in [("every", "bool_and")] {
        if let Ok(function) = ctx.udaf(datafusion) {
            ctx.register_udaf(function.as_ref().clone().with_aliases([postgres]));
        }
    }
}

/// `pg_typeof(x)`: `x`'s type as a `regtype`, the type's oid, which the wire writes in text as
/// Postgres names it (`integer`, `numeric`, `timestamp with time zone`, `text[]`) and in binary as
/// the oid.
fn pg_typeof() -> ScalarUDF {
    RowFunction::udf(
        "pg_typeof",
        Signature::any(1, Volatility::Immutable),
        |_| {
            Field::new("", DataType::Int32, false).with_metadata(
                [(
                    arrow_pg::datatypes::PG_OID_ALIAS_KEY.to_string(),
                    "regtype".to_string(),
                )]
                .into(),
            )
        },
        |_, fields| {
            let oid = arrow_pg::datatypes::field_into_pg_type(&fields[0])
                .map(|t| t.oid())
                .unwrap_or(postgres_types::Type::UNKNOWN.oid());
            Ok(ScalarValue::Int32(Some(oid as i32)))
        },
    )
}

/// `similar_to_escape(pattern [, escape])`: the POSIX regular expression a `SIMILAR TO` pattern
/// means, as Postgres builds it: anchored, `%` as `.*`, `_` as `.`, `.`, `^`, `$` and `\` taken
/// literally, brackets copied as they are, the escape character (`\` by default) quoting the next
/// one.
fn similar_to_escape() -> ScalarUDF {
    let translate = |args: &[ColumnarValue]| -> DfResult<ColumnarValue> {
        let escape = match args.get(1) {
            None => Some('\\'),
            Some(ColumnarValue::Scalar(value)) => match value.try_as_str().flatten() {
                None => return Ok(ColumnarValue::Scalar(ScalarValue::Utf8(None))),
                Some("") => None,
                Some(text) => {
                    let mut chars = text.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => Some(c),
                        _ => {
                            return Err(DataFusionError::Execution(
                                "invalid escape string: escape string must be empty or one character"
                                    .into(),
                            ));
                        }
                    }
                }
            },
            Some(ColumnarValue::Array(_)) => {
                return Err(DataFusionError::NotImplemented(
                    "SIMILAR TO with an escape character that varies by row".into(),
                ));
            }
        };
        match &args[0] {
            ColumnarValue::Scalar(pattern) => Ok(ColumnarValue::Scalar(ScalarValue::Utf8(
                pattern
                    .try_as_str()
                    .flatten()
                    .map(|p| similar_to_regex(p, escape)),
            ))),
            ColumnarValue::Array(patterns) => {
                let patterns = cast(patterns, &DataType::Utf8)?;
                let regexes: StringArray = as_string_array(&patterns)?
                    .iter()
                    .map(|p| p.map(|p| similar_to_regex(p, escape)))
                    .collect();
                Ok(ColumnarValue::Array(Arc::new(regexes) as Arc<dyn Array>))
            }
        }
    };
    ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "similar_to_escape",
        Signature::one_of(
            vec![
                TypeSignature::Exact(vec![DataType::Utf8]),
                TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8]),
            ],
            Volatility::Immutable,
        ),
        DataType::Utf8,
        Arc::new(translate),
    ))
}

/// The regular expression of a `SIMILAR TO` pattern (Postgres' `similar_escape_internal`). The
/// escape character before a double quote separates the pattern's parts: of the three, the
/// middle is captured (what `substring(s SIMILAR pattern ESCAPE e)` returns) and the first
/// matches as little as it can.
fn similar_to_regex(pattern: &str, escape: Option<char>) -> String {
    let mut regex = String::from("^(?:");
    let mut escaped = false;
    let mut bracket_depth = 0usize;
    let mut separators = 0;
    let parted = escape.is_some_and(|e| pattern.contains(&format!("{e}\"")));
    for c in pattern.chars() {
        if escaped {
            if c == '"' {
                regex.push_str(match separators {
                    0 => "){1,1}?(",
                    _ => "){1,1}(?:",
                });
                separators += 1;
            } else {
                // An escaped character stands for itself, or for Postgres' escape.
                regex.push_str(&super::regex_forms::rust_regex(&format!("\\{c}")));
            }
            escaped = false;
        } else if Some(c) == escape {
            escaped = true;
        } else if bracket_depth > 0 {
            if c == ']' {
                bracket_depth -= 1;
            } else if c == '\\' {
                regex.push('\\');
            }
            regex.push(c);
        } else {
            match c {
                '[' => {
                    bracket_depth += 1;
                    regex.push('[');
                }
                '%' if parted && separators == 0 => regex.push_str(".*?"),
                '%' => regex.push_str(".*"),
                '_' => regex.push('.'),
                '(' => regex.push_str("(?:"),
                '\\' | '.' | '^' | '$' => {
                    regex.push('\\');
                    regex.push(c);
                }
                other => regex.push(other),
            }
        }
    }
    regex.push_str(")$");
    regex
}

/// `hangar_subquery_value(x)`: the one value a scalar subquery returns, NULL for none, and
/// Postgres' error (`21000`) for more than one row.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SubqueryValue {
    signature: Signature,
}

impl SubqueryValue {
    fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for SubqueryValue {
    fn name(&self) -> &str {
        "hangar_subquery_value"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> DfResult<DataType> {
        Ok(args[0].clone())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> DfResult<Box<dyn Accumulator>> {
        Ok(Box::new(OneValue {
            value: ScalarValue::try_from(args.return_field.data_type())?,
            rows: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> DfResult<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new(
                "value",
                args.return_field.data_type().clone(),
                true,
            )),
            Arc::new(Field::new("rows", DataType::UInt64, false)),
        ])
    }
}

/// The value seen so far and how many rows carried it.
#[derive(Debug)]
struct OneValue {
    value: ScalarValue,
    rows: u64,
}

impl OneValue {
    fn add(&mut self, values: &ArrayRef, rows: u64) -> DfResult<()> {
        self.rows += rows;
        if self.rows > 1 {
            return Err(DataFusionError::External(Box::new(
                crate::Error::SubqueryRows,
            )));
        }
        if rows > 0 && !values.is_empty() {
            self.value = ScalarValue::try_from_array(values, 0)?;
        }
        Ok(())
    }
}

impl Accumulator for OneValue {
    fn update_batch(&mut self, values: &[ArrayRef]) -> DfResult<()> {
        self.add(&values[0], values[0].len() as u64)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> DfResult<()> {
        let rows = states[1].as_primitive::<UInt64Type>();
        for i in 0..rows.len() {
            let count = rows.value(i);
            if count > 0 {
                self.add(&states[0].slice(i, 1), count)?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> DfResult<Vec<ScalarValue>> {
        Ok(vec![
            self.value.clone(),
            ScalarValue::UInt64(Some(self.rows)),
        ])
    }

    fn evaluate(&mut self) -> DfResult<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.value.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_to_patterns_become_anchored_regexes() {
        assert_eq!(similar_to_regex("%(b|d)%", Some('\\')), "^(?:.*(?:b|d).*)$");
        assert_eq!(similar_to_regex("a_c.", Some('\\')), "^(?:a.c\\.)$");
        assert_eq!(similar_to_regex("a\\%b", Some('\\')), "^(?:a\\%b)$");
        assert_eq!(similar_to_regex("a#_b", Some('#')), "^(?:a\\_b)$");
        assert_eq!(
            similar_to_regex("%#\"o_b#\"%", Some('#')),
            "^(?:.*?){1,1}?(o.b){1,1}(?:.*)$"
        );
        assert_eq!(similar_to_regex("%\\mab", Some('\\')), "^(?:.*\\<ab)$");
        assert_eq!(similar_to_regex("[a-c]+%", Some('\\')), "^(?:[a-c]+.*)$");
    }

    #[test]
    fn types_are_named_as_regtype_prints_them() {
        use datafusion::arrow::datatypes::TimeUnit;
        assert_eq!(regtype_of(&DataType::Int32), "integer");
        let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        assert_eq!(regtype_of(&utc), "timestamp with time zone");
        let floats = DataType::new_list(DataType::Float64, true);
        assert_eq!(regtype_of(&floats), "double precision[]");
        assert_eq!(regtype_of(&DataType::Decimal128(15, 2)), "numeric");
    }
}
