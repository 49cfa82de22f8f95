//! Casts to `varchar(n)` and `char(n)` keep the first `n` characters of the value, as Postgres'
//! explicit casts do (`'abcdef'::varchar(3)` is `abc`); DataFusion ignored the length. `char(n)`
//! is not padded with spaces: Postgres' blank-padded type ignores its trailing spaces in
//! comparisons, `length` and concatenation, which plain text would not (a documented difference).

use datafusion::sql::sqlparser::ast::{CharacterLength, DataType, Expr, Statement};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites each cast of `statement` to a character type of a given length.
pub(crate) fn rewrite_character_types(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Cast {
            expr: value,
            data_type,
            ..
        } = expr
        else {
            return;
        };
        let (DataType::Varchar(Some(length))
        | DataType::CharacterVarying(Some(length))
        | DataType::CharVarying(Some(length))
        | DataType::Char(Some(length))
        | DataType::Character(Some(length))) = data_type
        else {
            return;
        };
        let CharacterLength::IntegerLength { length, .. } = length else {
            return;
        };
        if let Some(kept) = parse_expr(&format!("left(CAST({value} AS TEXT), {length})")) {
            *expr = kept;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn lengths_keep_the_first_characters() {
        assert_eq!(
            rewritten(
                "SELECT 'abcdef'::varchar(3), CAST(d AS char(10)), x::varchar FROM t",
                rewrite_character_types
            ),
            "SELECT left(CAST('abcdef' AS TEXT), 3), left(CAST(d AS TEXT), 10), x::VARCHAR FROM t"
        );
    }
}
