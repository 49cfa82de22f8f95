//! Array literals read as Postgres' `array_in` reads them: `'{"a b", c, NULL, "NULL"}'::text[]` has
//! the elements `a b`, `c`, a NULL and the text `NULL` (quotes and backslashes escape, an unquoted
//! `NULL` is NULL); a malformed literal (`'{1,2'::int[]`) fails with `malformed array literal`
//! (22P02, [`super::query_checks`]). The library's parser splits the simplest literals itself and leaves these (its patch
//! 11). Each element becomes a cast of its text to the element type, as `array_in` reads each
//! with the type's input function: `ARRAY[CAST('a b' AS TEXT), CAST('c' AS TEXT), NULL, …]`.

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, DataType, Expr, Statement, Value, ValueWithSpan,
};

use super::json::parse_array_literal;
use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites each cast of a quoted array literal in `statement` to an array of its elements.
pub(crate) fn rewrite_array_literals(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Cast {
            expr: value,
            data_type,
            ..
        } = &*expr
        else {
            return;
        };
        let DataType::Array(element) = data_type else {
            return;
        };
        let Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(text),
            ..
        }) = value.as_ref()
        else {
            return;
        };
        let element_type = match element {
            ArrayElemTypeDef::AngleBracket(t)
            | ArrayElemTypeDef::SquareBracket(t, _)
            | ArrayElemTypeDef::Parenthesis(t) => t.to_string(),
            ArrayElemTypeDef::None => return,
        };
        // A malformed literal has failed already (`query_checks`).
        let Some((items, dims)) = parse_array_literal(text) else {
            return;
        };
        let items: Vec<String> = items
            .iter()
            .map(|item| match item {
                Some(item) => format!("CAST('{}' AS {element_type})", item.replace('\'', "''")),
                None => "NULL".into(),
            })
            .collect();
        let array = match dims.as_slice() {
            // Cast as a whole too, which types an array of NULLs.
            [_] => format!("CAST(ARRAY[{}] AS {data_type})", items.join(", ")),
            [_, width] if *width > 0 => {
                let rows: Vec<String> = items
                    .chunks(*width)
                    .map(|row| format!("ARRAY[{}]", row.join(", ")))
                    .collect();
                format!("ARRAY[{}]", rows.join(", "))
            }
            _ => return,
        };
        if let Some(array) = parse_expr(&array) {
            *expr = array;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn elements_are_read_as_array_in_reads_them() {
        assert_eq!(
            rewritten(
                r#"SELECT '{"a b", c, NULL, "NULL", "q\"x"}'::text[], '{{1,2},{3,4}}'::int[]"#,
                rewrite_array_literals
            ),
            "SELECT CAST(ARRAY[CAST('a b' AS TEXT), CAST('c' AS TEXT), NULL, \
             CAST('NULL' AS TEXT), CAST('q\"x' AS TEXT)] AS TEXT[]), \
             ARRAY[ARRAY[CAST('1' AS INT), CAST('2' AS INT)], \
             ARRAY[CAST('3' AS INT), CAST('4' AS INT)]]"
        );
    }
}
