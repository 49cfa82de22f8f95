//! Postgres' regular-expression forms that DataFusion lacks, as the functions it has:
//! - `substring(s FROM 'pattern')`: the first match, or its first parenthesized part, is
//!   `regexp_match(s, 'pattern')[1]` (DataFusion's `substring` took only positions);
//! - `substring(s FROM 'pattern' FOR 'escape')` (and `substring(s SIMILAR 'pattern' ESCAPE
//!   'escape')`, [`super::token_forms`]): the part of a `SIMILAR TO` match between the escaped
//!   double quotes, `regexp_match(s, similar_to_escape('pattern', 'escape'))[1]`;
//! - `regexp_split_to_table(s, pattern)`: the pieces as rows, `unnest(regexp_split_to_array(s,
//!   pattern))`;
//! - `regexp_matches(s, pattern [, flags])`: the matches as rows, `unnest` of
//!   `hangar_regexp_matches` ([`super::regex_matches`]);
//! - `regexp_replace` from a start position, `hangar_regexp_replace` ([`super::regex_positions`]).
//!
//! The patterns are read by Rust's `regex`, which agrees with Postgres' on the common syntax;
//! Postgres' word-boundary escapes are written as Rust's ([`rust_regex`]): in a pattern written
//! as a literal here, and by Hangar's own functions for the rest.

use std::borrow::Cow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Value,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites `statement`'s uses of these forms.
pub(crate) fn rewrite_regex_forms(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        translate_literal_pattern(expr);
        let replacement = match expr {
            Expr::Substring {
                expr: text,
                substring_from: Some(pattern),
                substring_for,
                ..
            } if is_quoted(pattern) => match substring_for {
                None => format!("(regexp_match({text}, {pattern}))[1]"),
                Some(escape) if is_quoted(escape) => {
                    format!("(regexp_match({text}, similar_to_escape({pattern}, {escape})))[1]")
                }
                Some(_) => return,
            },
            Expr::Function(call) => {
                let FunctionArguments::List(list) = &call.args else {
                    return;
                };
                if call.over.is_some() || !list.clauses.is_empty() {
                    return;
                }
                let args = super::from_functions::unnamed_arguments(&list.args);
                let name = super::from_functions::function_name(&call.name);
                let joined = |args: &[&Expr]| {
                    args.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (name.as_deref(), args.as_deref()) {
                    (Some("regexp_split_to_table"), Some(args @ ([_, _] | [_, _, _]))) => {
                        format!("unnest(regexp_split_to_array({}))", joined(args))
                    }
                    (Some("regexp_matches"), Some(args @ ([_, _] | [_, _, _]))) => {
                        format!("unnest(hangar_regexp_matches({}))", joined(args))
                    }
                    // A start position, where DataFusion's takes flags.
                    (Some("regexp_replace"), Some(args @ ([_, _, _, _] | [_, _, _, _, _, ..])))
                        if args.len() > 4 || !is_quoted(args[3]) =>
                    {
                        format!("hangar_regexp_replace({})", joined(args))
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

/// The pattern of a regular-expression operator (`~`, `~*`, `!~`, `!~*`) or function, written as
/// a literal, in Rust's syntax.
fn translate_literal_pattern(expr: &mut Expr) {
    let pattern = match expr {
        Expr::BinaryOp {
            op:
                BinaryOperator::PGRegexMatch
                | BinaryOperator::PGRegexIMatch
                | BinaryOperator::PGRegexNotMatch
                | BinaryOperator::PGRegexNotIMatch,
            right,
            ..
        } => right.as_mut(),
        Expr::Substring {
            substring_from: Some(pattern),
            substring_for: None,
            ..
        } => pattern.as_mut(),
        Expr::Function(call)
            if super::from_functions::function_name(&call.name)
                .is_some_and(|name| name.starts_with("regexp_")) =>
        {
            let FunctionArguments::List(list) = &mut call.args else {
                return;
            };
            match list.args.get_mut(1) {
                Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(pattern))) => pattern,
                _ => return,
            }
        }
        _ => return,
    };
    if let Expr::Value(value) = pattern
        && let Value::SingleQuotedString(text) = &mut value.value
        && let Cow::Owned(translated) = rust_regex(text)
    {
        *text = translated;
    }
}

/// `pattern` with Postgres' word-boundary escapes written as Rust's: `\m` (a word's start) as
/// `\<`, `\M` (its end) as `\>`, `\y` as `\b` and `\Y` as `\B`.
pub(super) fn rust_regex(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains('\\') {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut changed = false;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let next = chars.next();
        let rust = match next {
            Some('m') => "\\<",
            Some('M') => "\\>",
            Some('y') => "\\b",
            Some('Y') => "\\B",
            _ => {
                out.push(c);
                out.extend(next);
                continue;
            }
        };
        out.push_str(rust);
        changed = true;
    }
    match changed {
        true => Cow::Owned(out),
        false => Cow::Borrowed(pattern),
    }
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
                "SELECT substring(c FROM '^(\\d+)-'), substring(c FROM 2 FOR 3), \
                 substring(c FROM '#\"x#\"' FOR '#')",
                rewrite_regex_forms
            ),
            "SELECT (regexp_match(c, '^(\\d+)-'))[1], SUBSTRING(c FROM 2 FOR 3), \
             (regexp_match(c, similar_to_escape('#\"x#\"', '#')))[1]"
        );
        assert_eq!(
            rewritten(
                "SELECT regexp_split_to_table(a, '\\s+'), regexp_replace(a, 'x', 'y', 2), \
                 regexp_replace(a, 'x', 'y', 'g'), a ~ '\\mx\\M\\\\m'",
                rewrite_regex_forms
            ),
            "SELECT unnest(regexp_split_to_array(a, '\\s+')), \
             hangar_regexp_replace(a, 'x', 'y', 2), regexp_replace(a, 'x', 'y', 'g'), \
             a ~ '\\<x\\>\\\\m'"
        );
    }
}
