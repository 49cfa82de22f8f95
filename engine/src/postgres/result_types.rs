//! Functions whose results DataFusion types otherwise than Postgres: the ranking window functions
//! count in unsigned 64-bit integers, which have no Postgres type (the wire sent them as
//! `numeric`), and the array and regular-expression functions that Postgres answers in `integer`
//! give `bigint` or unsigned integers; `regr_count` counts in a `bigint`. Each call becomes a cast of itself to Postgres' type, so
//! clients are told `bigint` for `row_number()` and `integer` for `array_length(a, 1)`; and
//! `array_length` of an empty array is NULL, as Postgres' (DataFusion's was 0).

use datafusion::sql::sqlparser::ast::{Expr, Statement};

use super::from_functions::function_name;
use crate::statement::{parse_expr, rewrite_expressions};

/// Postgres' result type of each function DataFusion types otherwise.
const RESULT_TYPES: &[(&str, &str)] = &[
    ("row_number", "BIGINT"),
    ("rank", "BIGINT"),
    ("dense_rank", "BIGINT"),
    ("ntile", "INTEGER"),
    ("cardinality", "INTEGER"),
    ("array_length", "INTEGER"),
    ("array_ndims", "INTEGER"),
    ("array_position", "INTEGER"),
    ("array_positions", "INTEGER[]"),
    ("regexp_count", "INTEGER"),
    ("regexp_instr", "INTEGER"),
    ("regr_count", "BIGINT"),
];

/// Rewrites each call of these functions in `statement` into a cast of it to Postgres' type.
pub(crate) fn rewrite_result_types(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Function(call) = expr else {
            return;
        };
        let name = function_name(&call.name);
        let Some((_, pg_type)) = RESULT_TYPES
            .iter()
            .find(|(function, _)| name.as_deref() == Some(*function))
        else {
            return;
        };
        // An empty array has no dimensions in Postgres, so no length in any (DataFusion: 0).
        let value = match name.as_deref() {
            Some("array_length") => format!("NULLIF({call}, 0)"),
            _ => call.to_string(),
        };
        if let Some(cast) = parse_expr(&format!("CAST({value} AS {pg_type})")) {
            *expr = cast;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn ranking_and_array_functions_answer_in_postgres_types() {
        assert_eq!(
            rewritten(
                "SELECT row_number() OVER (ORDER BY x) AS rn, array_length(a, 1) FROM t",
                rewrite_result_types
            ),
            "SELECT CAST(row_number() OVER (ORDER BY x) AS BIGINT) AS rn, \
             CAST(NULLIF(array_length(a, 1), 0) AS INTEGER) FROM t"
        );
    }

    #[test]
    fn other_functions_stay() {
        let sql = "SELECT count(*), length(s) FROM t";
        assert_eq!(rewritten(sql, rewrite_result_types), sql);
    }
}
