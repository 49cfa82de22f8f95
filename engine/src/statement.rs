//! Statements as the engine receives them: SQL that DataFusion plans, or one of Hangar's own that no
//! parser Hangar uses knows (`REFRESH MATERIALIZED VIEW`, `ALTER MATERIALIZED VIEW … SET (…)`,
//! `MOVE`).
//! Hangar's own are parsed here with sqlparser's building blocks, the way DataFusion's own parser
//! extends sqlparser.

use std::ops::ControlFlow;

use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, FetchDirection, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentList, FunctionArguments, Ident, ObjectName, ObjectNamePart, SelectItem,
    SqlOption, Statement as SqlStatement, TableFactor, Value, visit_expressions_mut,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use crate::access::statements::{self as access, AccessStatement};

/// One parsed statement, ready for [`Session::plan`](crate::Session::plan).
#[derive(Debug, Clone)]
pub struct Statement(pub(crate) Parsed);

impl Statement {
    /// Whether it is a query (`SELECT`, `VALUES`, `WITH …`): what a materialized view is
    /// defined by.
    pub fn is_query(&self) -> bool {
        matches!(&self.0, Parsed::Sql(DfStatement::Statement(s)) if matches!(s.as_ref(), SqlStatement::Query(_)))
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    /// Anything DataFusion plans (Hangar's CREATE/DROP MATERIALIZED VIEW included: sqlparser reads
    /// them, and planning picks them out).
    Sql(DfStatement),
    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name`.
    Refresh(ObjectName),
    /// `ALTER MATERIALIZED VIEW name SET (option = value, …)`.
    AlterView {
        name: ObjectName,
        options: Vec<SqlOption>,
    },
    /// `MOVE [direction] FROM cursor`: `FETCH` without the rows.
    Move {
        cursor: Ident,
        direction: FetchDirection,
    },
    /// A role or privilege statement (`CREATE ROLE`, `GRANT`, `SET ROLE`…).
    Access(AccessStatement),
}

/// A piece of SQL text: Hangar's own statement, or text for the SQL parsers.
pub(crate) enum Piece {
    Own(Parsed),
    Sql(String),
}

/// Parses one Postgres expression: the replacements Hangar's rewrites build as text.
pub(crate) fn parse_expr(sql: &str) -> Option<Expr> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_expr())
        .ok()
}

/// The value (as text) and the type of a cast (`CAST(x AS t)`, `x::t`) or a typed literal
/// (`t 'x'`).
pub(crate) fn cast_parts(expr: &Expr) -> Option<(String, DataType)> {
    match expr {
        Expr::Cast {
            expr: value,
            data_type,
            ..
        } => Some((value.to_string(), data_type.clone())),
        Expr::TypedString(typed) => Some((typed.value.to_string(), typed.data_type.clone())),
        _ => None,
    }
}

/// Parses one item of a `FROM` list, as [`parse_expr`] an expression.
pub(crate) fn parse_table_factor(sql: &str) -> Option<TableFactor> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_table_factor())
        .ok()
}

/// The expression of a select list's item, aliased or not; `None` for a wildcard.
pub(crate) fn item_expr(item: &SelectItem) -> Option<&Expr> {
    match item {
        SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => Some(expr),
        _ => None,
    }
}

/// `name(args…)` as SQL: how rewrites call a function of their own.
pub(crate) fn function_call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![ObjectNamePart::Identifier(Ident::new(name))]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// `expr` cast in place to `data_type`, written as `kind` says (`CAST(x AS t)` or `x::t`).
pub(crate) fn cast_in_place(expr: &mut Expr, kind: CastKind, data_type: DataType) {
    let operand = std::mem::replace(expr, Expr::value(Value::Null));
    *expr = Expr::Cast {
        kind,
        expr: Box::new(operand),
        data_type,
        array: false,
        format: None,
    };
}

/// Applies `rewrite` to every expression of `statement`, the innermost first: how Hangar's SQL
/// rewrites that replace an expression walk a statement.
pub(crate) fn rewrite_expressions(
    mut statement: SqlStatement,
    mut rewrite: impl FnMut(&mut Expr),
) -> SqlStatement {
    let _ = visit_expressions_mut(&mut statement, |expr| {
        rewrite(expr);
        ControlFlow::<()>::Continue(())
    });
    statement
}

/// Parses one Postgres statement; for the rewrites' tests.
#[cfg(test)]
pub(crate) fn parse_statement(sql: &str) -> SqlStatement {
    Parser::parse_sql(&PostgreSqlDialect {}, sql)
        .unwrap()
        .pop()
        .unwrap()
}

/// `sql` after `rewrite`, as text; for the rewrites' tests.
#[cfg(test)]
pub(crate) fn rewritten(sql: &str, rewrite: impl FnOnce(SqlStatement) -> SqlStatement) -> String {
    rewrite(parse_statement(sql)).to_string()
}

/// Splits `sql` into its statements when one of them is Hangar's own; `None` when there is none (or
/// the text does not even tokenize), so the SQL parsers see the text whole, as they always do.
pub(crate) fn split_own(sql: &str) -> Option<Result<Vec<Piece>, ParserError>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize().ok()?;
    let statements: Vec<Vec<Token>> = tokens
        .split(|t| *t == Token::SemiColon)
        .map(<[Token]>::to_vec)
        .filter(|tokens| tokens.iter().any(|t| !matches!(t, Token::Whitespace(_))))
        .collect();
    if !statements.iter().any(|tokens| is_own(tokens)) {
        return None;
    }
    Some(
        statements
            .into_iter()
            .map(|tokens| {
                if is_own(&tokens) {
                    parse_own(tokens).map(Piece::Own)
                } else {
                    Ok(Piece::Sql(tokens.iter().map(Token::to_string).collect()))
                }
            })
            .collect(),
    )
}

/// The keywords that open one of Hangar's own statements.
const OWN_OPENINGS: [&[&str]; 3] = [
    &["REFRESH", "MATERIALIZED", "VIEW"],
    &["ALTER", "MATERIALIZED", "VIEW"],
    &["MOVE"],
];

fn is_own(tokens: &[Token]) -> bool {
    let words = first_words(tokens);
    access::opens(&words)
        || OWN_OPENINGS.iter().any(|opening| {
            opening.len() <= words.len() && opening.iter().zip(&words).all(|(a, b)| a == b)
        })
}

/// The first three words of a statement, upper-cased; anything else is an empty word.
fn first_words(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .take(3)
        .map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
            _ => String::new(),
        })
        .collect()
}

fn parse_own(mut tokens: Vec<Token>) -> Result<Parsed, ParserError> {
    if access::opens(&first_words(&tokens)) {
        return access::parse(tokens).map(Parsed::Access);
    }
    if let Some(Token::Word(first)) = tokens
        .iter_mut()
        .find(|t| !matches!(t, Token::Whitespace(_)))
        && first.value.eq_ignore_ascii_case("MOVE")
    {
        // MOVE takes FETCH's grammar.
        first.value = "FETCH".into();
        first.keyword = Keyword::FETCH;
        let mut parser = Parser::new(&PostgreSqlDialect {}).with_tokens(tokens);
        return match parser.parse_statement()? {
            SqlStatement::Fetch {
                name,
                direction,
                into: None,
                ..
            } => Ok(Parsed::Move {
                cursor: name,
                direction,
            }),
            other => Err(ParserError::ParserError(format!(
                "expected MOVE [direction] FROM cursor, found {other}"
            ))),
        };
    }
    let mut parser = Parser::new(&PostgreSqlDialect {}).with_tokens(tokens);
    let parsed = if parser.parse_keywords(&[Keyword::REFRESH, Keyword::MATERIALIZED, Keyword::VIEW])
    {
        // Refreshes never block readers, so CONCURRENTLY changes nothing.
        let _ = parser.parse_keyword(Keyword::CONCURRENTLY);
        Parsed::Refresh(parser.parse_object_name(false)?)
    } else {
        parser.expect_keywords(&[Keyword::ALTER, Keyword::MATERIALIZED, Keyword::VIEW])?;
        let name = parser.parse_object_name(false)?;
        if !parser.peek_keyword(Keyword::SET) {
            return parser.expected("SET (option = value, …)", parser.peek_token());
        }
        let options = parser.parse_options(Keyword::SET)?;
        Parsed::AlterView { name, options }
    };
    if parser.peek_token().token != Token::EOF {
        return parser.expected("end of statement", parser.peek_token());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_statements_are_split_out_of_a_script() {
        assert!(split_own("SELECT 1; CREATE MATERIALIZED VIEW v AS SELECT 1").is_none());
        let pieces = split_own("select 'a;b'; refresh materialized view s.v; ALTER MATERIALIZED VIEW v SET (schedule = '0 * * * *'); move 5 from \"C\"")
            .unwrap()
            .unwrap();
        assert!(matches!(&pieces[0], Piece::Sql(sql) if sql == "select 'a;b'"));
        assert!(
            matches!(&pieces[1], Piece::Own(Parsed::Refresh(name)) if name.to_string() == "s.v")
        );
        assert!(
            matches!(&pieces[2], Piece::Own(Parsed::AlterView { options, .. }) if options.len() == 1)
        );
        assert!(
            matches!(&pieces[3], Piece::Own(Parsed::Move { cursor, .. }) if cursor.value == "C")
        );
    }

    #[test]
    fn malformed_own_statements_are_syntax_errors() {
        for sql in [
            "REFRESH MATERIALIZED VIEW",
            "REFRESH MATERIALIZED VIEW v extra",
            "ALTER MATERIALIZED VIEW v RENAME TO w",
            "ALTER MATERIALIZED VIEW v SET schedule",
            "MOVE 5",
        ] {
            assert!(split_own(sql).unwrap().is_err(), "{sql}");
        }
    }
}
