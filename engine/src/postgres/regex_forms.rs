//! Postgres' regular-expression forms that DataFusion lacks, as the functions it has:
//! - `substring(s FROM 'pattern')`: the first match, or its first parenthesized part, is
//!   `regexp_match(s, 'pattern')[1]` (DataFusion's `substring` took only positions);
//! - `regexp_substr(s, pattern)`: the whole first match, `regexp_match(s, '(' || pattern ||
//!   ')')[1]`;
//! - `regexp_split_to_table(s, pattern)`: the pieces as rows, `unnest(regexp_split_to_array(s,
//!   pattern))`;
//! - `regexp_matches(s, pattern [, flags])`: the matches as rows, `unnest` of
//!   `hangar_regexp_matches` ([`super::regex_matches`]).
//!
//! The patterns are read by Rust's `regex`, which agrees with Postgres' on the common syntax.

use datafusion::sql::sqlparser::ast::{Expr, FunctionArguments, Statement, Value};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites `statement`'s uses of these forms.
pub(crate) fn rewrite_regex_forms(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let replacement = match expr {
            Expr::Substring {
                expr: text,
                substring_from: Some(pattern),
                substring_for: None,
                ..
            } if is_quoted(pattern) => format!("(regexp_match({text}, {pattern}))[1]"),
            Expr::Function(call) => {
                let FunctionArguments::List(list) = &call.args else {
                    return;
                };
                if call.over.is_some() || !list.clauses.is_empty() {
                    return;
                }
                let args = super::from_functions::unnamed_arguments(&list.args);
                let name = super::from_functions::function_name(&call.name);
                match (name.as_deref(), args.as_deref()) {
                    (Some("regexp_substr"), Some([text, pattern])) => {
                        format!("(regexp_match({text}, '(' || ({pattern}) || ')'))[1]")
                    }
                    (Some("regexp_split_to_table"), Some(args @ ([_, _] | [_, _, _]))) => {
                        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                        format!("unnest(regexp_split_to_array({}))", args.join(", "))
                    }
                    (Some("regexp_matches"), Some(args @ ([_, _] | [_, _, _]))) => {
                        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                        format!("unnest(hangar_regexp_matches({}))", args.join(", "))
                    }
                    _ => return,
                }
            }
            _ => return,
        };
        if let Some(rewritten) = parse_expr(&replacement) {
            *expr = rewritten;
        }
    })
}

/// Whether `expr` is a quoted literal: `substring`'s pattern, where a number would be a position.
fn is_quoted(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn regex_forms_become_datafusions_functions() {
        assert_eq!(
            rewritten(
                "SELECT substring(c FROM '^(\\d+)-'), substring(c FROM 2 FOR 3)",
                rewrite_regex_forms
            ),
            "SELECT (regexp_match(c, '^(\\d+)-'))[1], SUBSTRING(c FROM 2 FOR 3)"
        );
        assert_eq!(
            rewritten(
                "SELECT regexp_substr(a, '[^,]+'), regexp_split_to_table(a, '\\s+')",
                rewrite_regex_forms
            ),
            "SELECT (regexp_match(a, '(' || ('[^,]+') || ')'))[1], \
             unnest(regexp_split_to_array(a, '\\s+'))"
        );
    }
}
