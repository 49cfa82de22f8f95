//! Postgres functions that DataFusion has as operators or expressions: `mod(a, b)` is `a % b`;
//! `num_nulls(…)` and `num_nonnulls(…)` count their NULL and non-NULL arguments, whatever their
//! types (which a function's signature could not take).

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites `statement`'s calls of these functions.
pub(crate) fn rewrite_function_forms(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Function(call) = expr else {
            return;
        };
        let FunctionArguments::List(list) = &call.args else {
            return;
        };
        if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || call.over.is_some() {
            return;
        }
        let args: Option<Vec<&Expr>> = list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect();
        let Some(args) = args else {
            return;
        };
        let count = |test: &str| {
            let terms: Vec<String> = args
                .iter()
                .map(|a| format!("CASE WHEN ({a}) {test} THEN 1 ELSE 0 END"))
                .collect();
            format!("({})", terms.join(" + "))
        };
        let replacement = match (
            call.name.to_string().to_ascii_lowercase().as_str(),
            args.as_slice(),
        ) {
            ("mod", [a, b]) => format!("(({a}) % ({b}))"),
            ("num_nulls", [_, ..]) => count("IS NULL"),
            ("num_nonnulls", [_, ..]) => count("IS NOT NULL"),
            _ => return,
        };
        if let Some(replacement) = parse_expr(&replacement) {
            *expr = replacement;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn functions_become_their_expressions() {
        assert_eq!(
            rewritten(
                "SELECT mod(9, -4), num_nulls(1, NULL), num_nonnulls(a) FROM t",
                rewrite_function_forms
            ),
            "SELECT ((9) % (-4)), (CASE WHEN (1) IS NULL THEN 1 ELSE 0 END + \
             CASE WHEN (NULL) IS NULL THEN 1 ELSE 0 END), \
             (CASE WHEN (a) IS NOT NULL THEN 1 ELSE 0 END) FROM t"
        );
    }
}
