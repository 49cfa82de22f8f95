//! `user`, the SQL standard's spelling of `current_user` that Postgres accepts (Grafana's table
//! list compares schema names with it). In Postgres it is a reserved word, so an unquoted `user`
//! is always the function (a column so named is `"user"`). It becomes `current_user`.

use datafusion::sql::sqlparser::ast::{Expr, FunctionArguments, Ident, ObjectName, Statement};

use crate::statement::rewrite_expressions;

/// Rewrites every unquoted `user` of `statement`.
pub(crate) fn rewrite_user_keyword(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        // sqlparser reads it as a call without parentheses, which DataFusion takes for a column.
        if let Expr::Function(call) = expr
            && matches!(call.args, FunctionArguments::None)
            && let [part] = call.name.0.as_slice()
            && part.as_ident().is_some_and(|name| {
                name.quote_style.is_none() && name.value.eq_ignore_ascii_case("user")
            })
        {
            call.name = ObjectName::from(vec![Ident::new("current_user")]);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn unquoted_user_is_the_current_user() {
        let sql = r#"SELECT USER, "user", t.user FROM t WHERE owner = user"#;
        assert_eq!(
            rewritten(sql, rewrite_user_keyword),
            r#"SELECT current_user, "user", t.user FROM t WHERE owner = current_user"#
        );
    }
}
