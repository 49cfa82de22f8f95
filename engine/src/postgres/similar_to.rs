//! `x SIMILAR TO pattern [ESCAPE e]`, as Postgres runs it: `x ~ similar_to_escape(pattern, e)`,
//! a match of the whole value against the regular expression the SQL pattern means (`%` any
//! text, `_` any character). DataFusion took the pattern for a regular expression as it was
//! written, so `p_type SIMILAR TO '%(TIN|COPPER)'` matched nothing.

use datafusion::sql::sqlparser::ast::{Expr, Statement};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every `SIMILAR TO` of `statement`.
pub(crate) fn rewrite_similar_to(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Expr::SimilarTo {
            negated,
            expr: value,
            pattern,
            escape_char,
        } = expr
        {
            let escape = escape_char
                .as_ref()
                .map(|e| format!(", {e}"))
                .unwrap_or_default();
            let operator = if *negated { "!~" } else { "~" };
            if let Some(rewritten) = parse_expr(&format!(
                "({value}) {operator} similar_to_escape({pattern}{escape})"
            )) {
                *expr = Expr::Nested(Box::new(rewritten));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn similar_to_is_a_regex_match() {
        assert_eq!(
            rewritten(
                "SELECT a SIMILAR TO '%(b|c)', a NOT SIMILAR TO 'x#_' ESCAPE '#' FROM t",
                rewrite_similar_to
            ),
            "SELECT ((a) ~ similar_to_escape('%(b|c)')), ((a) !~ similar_to_escape('x#_', '#')) FROM t"
        );
    }
}
