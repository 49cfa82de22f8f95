//! `user`, the SQL standard's spelling of `current_user` that Postgres accepts (Grafana's table
//! list compares schema names with it). In Postgres it is a
//! reserved word, so an unquoted `user` is always the function (a column so named is `"user"`).
//! It becomes `session_user`, what the Postgres-compatibility layer makes of `current_user`.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArguments, Ident, ObjectName, Statement, VisitMut, VisitorMut,
};

/// Rewrites every unquoted `user` of `statement`.
pub(crate) fn rewrite_user_keyword(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        // sqlparser reads it as a call without parentheses, which DataFusion takes for a column.
        if let Expr::Function(call) = expr
            && matches!(call.args, FunctionArguments::None)
            && let [part] = call.name.0.as_slice()
            && part.as_ident().is_some_and(|name| {
                name.quote_style.is_none() && name.value.eq_ignore_ascii_case("user")
            })
        {
            call.name = ObjectName::from(vec![Ident::new("session_user")]);
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    #[test]
    fn unquoted_user_is_the_current_user() {
        let sql = r#"SELECT USER, "user", t.user FROM t WHERE owner = user"#;
        assert_eq!(
            rewrite_user_keyword(parse_statement(sql)).to_string(),
            r#"SELECT session_user, "user", t.user FROM t WHERE owner = session_user"#
        );
    }
}
