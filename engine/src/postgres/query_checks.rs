//! What Postgres refuses while it reads a query, and DataFusion accepts or refuses in its own
//! words, checked on the statement as the client wrote it: a `JOIN` without `ON` (DataFusion
//! planned a cross join), a window function in `WHERE`, `GROUP BY` or a join condition, an
//! aggregate in `GROUP BY`, `VALUES` rows of different lengths, set operations whose sides differ
//! in width or ordered by an expression, subqueries of several columns where one is wanted (or
//! of other than a row's columns, `subquery has too few columns`), a
//! quoted `LIMIT` that is not a number, and `array_length` without its dimension. Each error is
//! Postgres' own, pointing where Postgres points.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    DataType, Expr, Function, GroupByExpr, Join, JoinConstraint, JoinOperator, Query, Select,
    SelectItem, SetExpr, SetOperator, Spanned, Statement, Value, ValueWithSpan, Visit, Visitor,
};
use datafusion::sql::sqlparser::tokenizer::{Location, Span};

use crate::{Anchor, Error, Result};

/// Fails with Postgres' error when `statement`, parsed from `sql`, holds what Postgres refuses.
pub(crate) fn check_query(statement: &Statement, sql: &str) -> Result<()> {
    let mut checks = Checks {
        sql,
        row_subqueries: Vec::new(),
    };
    match statement.visit(&mut checks) {
        ControlFlow::Break(error) => Err(error),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Checks<'a> {
    sql: &'a str,
    /// Where the subqueries are that a row is compared with (`(a, b) = ANY (SELECT x, y …)`,
    /// `<> ALL`), which may have as many columns as the row.
    row_subqueries: Vec<Span>,
}

impl Visitor for Checks<'_> {
    type Break = Error;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Error> {
        set_operation_widths(&query.body)?;
        set_operation_order(query)?;
        limit_text(query)
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Error> {
        for from in &select.from {
            for join in &from.joins {
                self.join_constraint(join)?;
                if let Some(condition) = join_condition(join) {
                    no_window_functions(condition, "JOIN conditions")?;
                }
            }
        }
        if let Some(selection) = &select.selection {
            no_window_functions(selection, "WHERE")?;
        }
        if let GroupByExpr::Expressions(expressions, _) = &select.group_by {
            for expression in expressions {
                no_window_functions(expression, "GROUP BY")?;
                no_aggregates(expression, "GROUP BY")?;
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Error> {
        match expr {
            Expr::Function(f) => one_dimension_length(f),
            Expr::Cast {
                expr: value,
                data_type: DataType::Array(_),
                ..
            } => array_literal(value),
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                if let (Expr::Tuple(row), Expr::Subquery(query)) = (left.as_ref(), right.as_ref())
                    && width(&query.body) == Some(row.len())
                {
                    self.row_subqueries.push(query.span());
                }
                ControlFlow::Continue(())
            }
            Expr::Subquery(query)
                if width(&query.body).is_some_and(|w| w > 1)
                    && !self.row_subqueries.contains(&query.span()) =>
            {
                let at = self.position(query.span().start);
                ControlFlow::Break(Error::postgres(
                    "42601",
                    "subquery must return only one column",
                    at.map_or(Anchor::Nowhere, |at| {
                        Anchor::Char(opening_parenthesis(self.sql, at))
                    }),
                ))
            }
            Expr::InSubquery { expr, subquery, .. }
                if let Some(columns) = width(&subquery.body)
                    && columns != row_width(expr) =>
            {
                let at = self.position(expr.span().end);
                let fewer = columns < row_width(expr);
                ControlFlow::Break(Error::postgres(
                    "42601",
                    if fewer {
                        "subquery has too few columns"
                    } else {
                        "subquery has too many columns"
                    },
                    // At `IN`: past a row's closing parenthesis, which its span leaves out.
                    at.map_or(Anchor::Nowhere, |at| {
                        let (at, token) = next_token(self.sql, at);
                        match token.as_str() {
                            ")" => Anchor::Char(next_token(self.sql, at + 1).0),
                            _ => Anchor::Char(at),
                        }
                    }),
                ))
            }
            _ => ControlFlow::Continue(()),
        }
    }
}

impl Checks<'_> {
    /// The 1-based character position of a parser location, if the node has one.
    fn position(&self, location: Location) -> Option<usize> {
        (location.line > 0).then(|| {
            Anchor::At {
                line: location.line,
                column: location.column,
            }
            .position(self.sql)
        })?
    }

    /// A join that needs `ON` or `USING` and has neither: Postgres stops at the token after its
    /// table.
    fn join_constraint(&self, join: &Join) -> ControlFlow<Error> {
        let constraint = match &join.join_operator {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c) => c,
            _ => return ControlFlow::Continue(()),
        };
        if !matches!(constraint, JoinConstraint::None) {
            return ControlFlow::Continue(());
        }
        let Some(end) = self.position(join.relation.span().end) else {
            return ControlFlow::Continue(());
        };
        let (at, token) = next_token(self.sql, end);
        ControlFlow::Break(if token.is_empty() {
            Error::Syntax {
                message: "syntax error at end of input".into(),
                position: Some(at),
            }
        } else {
            Error::Syntax {
                message: format!("syntax error at or near \"{token}\""),
                position: Some(at),
            }
        })
    }
}

/// A join's `ON` condition.
fn join_condition(join: &Join) -> Option<&Expr> {
    match &join.join_operator {
        JoinOperator::Join(JoinConstraint::On(e))
        | JoinOperator::Inner(JoinConstraint::On(e))
        | JoinOperator::Left(JoinConstraint::On(e))
        | JoinOperator::LeftOuter(JoinConstraint::On(e))
        | JoinOperator::Right(JoinConstraint::On(e))
        | JoinOperator::RightOuter(JoinConstraint::On(e))
        | JoinOperator::FullOuter(JoinConstraint::On(e)) => Some(e),
        _ => None,
    }
}

/// Fails when `expr`, outside its subqueries, calls a window function: Postgres' `window
/// functions are not allowed in WHERE` (DataFusion's physical planner failed on it, naming its
/// internals).
fn no_window_functions(expr: &Expr, clause: &str) -> ControlFlow<Error> {
    match first_call(expr, |f| f.over.is_some()) {
        Some(span) => ControlFlow::Break(Error::postgres(
            "42P20",
            format!("window functions are not allowed in {clause}"),
            Anchor::of_span(span),
        )),
        None => ControlFlow::Continue(()),
    }
}

/// The name's span of the first function call in `expr`, outside its subqueries, that `wanted`
/// picks.
fn first_call(expr: &Expr, wanted: impl Fn(&Function) -> bool) -> Option<Span> {
    struct Calls<F> {
        depth: usize,
        wanted: F,
    }
    impl<F: Fn(&Function) -> bool> Visitor for Calls<F> {
        type Break = Span;
        fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<Span> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<Span> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Span> {
            match expr {
                Expr::Function(f) if self.depth == 0 && (self.wanted)(f) => {
                    ControlFlow::Break(f.name.span())
                }
                _ => ControlFlow::Continue(()),
            }
        }
    }
    match expr.visit(&mut Calls { depth: 0, wanted }) {
        ControlFlow::Break(span) => Some(span),
        ControlFlow::Continue(()) => None,
    }
}

/// Aggregates Postgres has that a client may misplace; a grouping expression calling one (outside
/// its subqueries, without `OVER`) is refused.
const AGGREGATES: [&str; 16] = [
    "avg",
    "count",
    "max",
    "min",
    "sum",
    "array_agg",
    "string_agg",
    "bool_and",
    "bool_or",
    "every",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "variance",
    "var_pop",
    "var_samp",
];

/// Fails when `expr`, outside its subqueries, calls an aggregate: Postgres' `aggregate functions
/// are not allowed in GROUP BY` (DataFusion complained of the select list instead).
fn no_aggregates(expr: &Expr, clause: &str) -> ControlFlow<Error> {
    let aggregate = |f: &Function| {
        f.over.is_none()
            && super::from_functions::function_name(&f.name)
                .is_some_and(|n| AGGREGATES.contains(&n.as_str()))
    };
    match first_call(expr, aggregate) {
        Some(span) => ControlFlow::Break(Error::postgres(
            "42803",
            format!("aggregate functions are not allowed in {clause}"),
            Anchor::of_span(span),
        )),
        None => ControlFlow::Continue(()),
    }
}

/// `LIMIT 'abc'`: Postgres reads a quoted limit as a `bigint`, and fails on text that is not one.
fn limit_text(query: &Query) -> ControlFlow<Error> {
    use datafusion::sql::sqlparser::ast::LimitClause;
    let Some(LimitClause::LimitOffset {
        limit: Some(Expr::Value(value)),
        ..
    }) = &query.limit_clause
    else {
        return ControlFlow::Continue(());
    };
    match &value.value {
        Value::SingleQuotedString(text) if text.trim().parse::<i64>().is_err() => {
            ControlFlow::Break(Error::postgres(
                "22P02",
                format!("invalid input syntax for type bigint: \"{text}\""),
                Anchor::of_span(value.span),
            ))
        }
        _ => ControlFlow::Continue(()),
    }
}

/// A quoted array literal cast to an array type must read as one (`'{1,2'::int[]` does not); one
/// with its bounds written (`'[0:2]={7,8,9}'`) is refused: Hangar's arrays start at 1.
fn array_literal(value: &Expr) -> ControlFlow<Error> {
    let Expr::Value(ValueWithSpan {
        value: Value::SingleQuotedString(text),
        span,
    }) = value
    else {
        return ControlFlow::Continue(());
    };
    if text.trim_start().starts_with('[') {
        return ControlFlow::Break(Error::postgres(
            "0A000",
            "array literals with explicit bounds are not supported",
            Anchor::of_span(*span),
        ));
    }
    if super::json::parse_array_literal(text).is_none() {
        return ControlFlow::Break(Error::postgres(
            "22P02",
            format!("malformed array literal: \"{text}\""),
            Anchor::of_span(*span),
        ));
    }
    ControlFlow::Continue(())
}

/// `array_length(a)`: Postgres' takes the dimension too, and has no one-argument form
/// (DataFusion's does, and answered).
fn one_dimension_length(function: &Function) -> ControlFlow<Error> {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    let FunctionArguments::List(list) = &function.args else {
        return ControlFlow::Continue(());
    };
    let is_array_length =
        super::from_functions::function_name(&function.name).is_some_and(|n| n == "array_length");
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] if is_array_length => {
            let written = super::plan_errors::written_type(array).unwrap_or("anyarray".into());
            ControlFlow::Break(Error::postgres(
                "42883",
                format!("function array_length({written}) does not exist"),
                Anchor::Word("array_length".into()),
            ))
        }
        _ => ControlFlow::Continue(()),
    }
}

/// The number of columns a query body returns, where the text says it: a select list without `*`,
/// a `VALUES` list whose rows agree (else Postgres' error for them), a set operation's left side.
/// The columns of the value tested `IN` a subquery: a row's, else one.
fn row_width(expr: &Expr) -> usize {
    match expr {
        Expr::Tuple(row) => row.len(),
        _ => 1,
    }
}

fn width(body: &SetExpr) -> Option<usize> {
    match body {
        SetExpr::Select(select) => {
            let wildcard = select.projection.iter().any(|item| {
                matches!(
                    item,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            });
            (!wildcard).then_some(select.projection.len())
        }
        SetExpr::Values(values) => Some(values.rows.first()?.content.len()),
        SetExpr::Query(query) => width(&query.body),
        SetExpr::SetOperation { left, .. } => width(left),
        _ => None,
    }
}

/// The first expression of a query body's select list, for where a width error points.
fn first_column(body: &SetExpr) -> Option<Span> {
    match body {
        SetExpr::Select(select) => Some(select.projection.first()?.span()),
        SetExpr::Values(values) => Some(values.rows.first()?.content.first()?.span()),
        SetExpr::Query(query) => first_column(&query.body),
        SetExpr::SetOperation { left, .. } => first_column(left),
        _ => None,
    }
}

/// Fails when `VALUES` rows differ in length, or the sides of a set operation in width.
fn set_operation_widths(body: &SetExpr) -> ControlFlow<Error> {
    match body {
        SetExpr::Values(values) => {
            let width = values.rows.first().map_or(0, |row| row.content.len());
            if let Some(row) = values.rows.iter().find(|row| row.content.len() != width) {
                let anchor = row
                    .content
                    .first()
                    .map_or(Anchor::Nowhere, |e| Anchor::of_span(e.span()));
                return ControlFlow::Break(Error::postgres(
                    "42601",
                    "VALUES lists must all be the same length",
                    anchor,
                ));
            }
        }
        SetExpr::SetOperation {
            op, left, right, ..
        } => {
            set_operation_widths(left)?;
            set_operation_widths(right)?;
            if let (Some(l), Some(r)) = (width(left), width(right))
                && l != r
            {
                let name = match op {
                    SetOperator::Union => "UNION",
                    SetOperator::Intersect => "INTERSECT",
                    SetOperator::Except | SetOperator::Minus => "EXCEPT",
                };
                return ControlFlow::Break(Error::postgres(
                    "42601",
                    format!("each {name} query must have the same number of columns"),
                    first_column(right).map_or(Anchor::Nowhere, Anchor::of_span),
                ));
            }
        }
        _ => {}
    }
    ControlFlow::Continue(())
}

/// The result column names of a set operation, from its first select list; `None` when one is
/// not plainly named (a `*`, an expression whose name Postgres derives).
fn output_names(body: &SetExpr) -> Option<Vec<String>> {
    match body {
        SetExpr::Select(select) => select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_lowercase()),
                SelectItem::UnnamedExpr(Expr::Identifier(id)) => Some(id.value.to_lowercase()),
                SelectItem::UnnamedExpr(Expr::CompoundIdentifier(ids)) => {
                    Some(ids.last()?.value.to_lowercase())
                }
                _ => None,
            })
            .collect(),
        SetExpr::Query(query) => output_names(&query.body),
        SetExpr::SetOperation { left, .. } => output_names(left),
        _ => None,
    }
}

/// A set operation's `ORDER BY` names result columns, or gives their numbers: Postgres refuses
/// other names (`column "x" does not exist`) and expressions (`invalid UNION/INTERSECT/EXCEPT
/// ORDER BY clause`), which DataFusion resolved against the first side's input.
fn set_operation_order(query: &Query) -> ControlFlow<Error> {
    use datafusion::sql::sqlparser::ast::OrderByKind;
    let (SetExpr::SetOperation { .. }, Some(order_by)) = (query.body.as_ref(), &query.order_by)
    else {
        return ControlFlow::Continue(());
    };
    let OrderByKind::Expressions(items) = &order_by.kind else {
        return ControlFlow::Continue(());
    };
    let names = output_names(&query.body);
    for item in items {
        match &item.expr {
            Expr::Identifier(id) => {
                if let Some(names) = &names
                    && !names.contains(&id.value.to_lowercase())
                {
                    return ControlFlow::Break(Error::postgres(
                        "42703",
                        format!("column \"{}\" does not exist", id.value),
                        Anchor::of_span(id.span),
                    ));
                }
            }
            Expr::Value(_) | Expr::CompoundIdentifier(_) => {}
            other => {
                return ControlFlow::Break(Error::postgres(
                    "0A000",
                    "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
                    Anchor::of_span(other.span()),
                ));
            }
        }
    }
    ControlFlow::Continue(())
}

/// The position of the `(` that opens what starts at `at`: a subquery's span starts at its
/// `SELECT`; Postgres points at the parenthesis.
fn opening_parenthesis(sql: &str, at: usize) -> usize {
    let before: Vec<char> = sql.chars().take(at.saturating_sub(1)).collect();
    let mut position = before.len();
    while position > 0 && before[position - 1].is_whitespace() {
        position -= 1;
    }
    if position > 0 && before[position - 1] == '(' {
        position
    } else {
        at
    }
}

/// The first token at or after the 1-based position `from` (skipping spaces), with its position:
/// a word, or one other character; an empty token at the end of the text.
fn next_token(sql: &str, from: usize) -> (usize, String) {
    let chars: Vec<char> = sql.chars().collect();
    let mut at = from.saturating_sub(1).min(chars.len());
    while at < chars.len() && chars[at].is_whitespace() {
        at += 1;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let end = if at < chars.len() && is_word(chars[at]) {
        (at..chars.len())
            .find(|&i| !is_word(chars[i]))
            .unwrap_or(chars.len())
    } else {
        (at + 1).min(chars.len())
    };
    (at + 1, chars[at..end].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    fn error(sql: &str) -> Option<(String, String, Option<usize>)> {
        let error = check_query(&parse_statement(sql), sql).err()?;
        Some((
            error.sqlstate().to_string(),
            error.message(),
            error.position(sql),
        ))
    }

    fn expect(sql: &str, code: &str, message: &str, position: usize) {
        assert_eq!(
            error(sql),
            Some((code.to_string(), message.to_string(), Some(position))),
            "{sql}"
        );
    }

    #[test]
    fn postgres_refusals_point_where_postgres_points() {
        expect(
            "SELECT n_name FROM nation n JOIN region r WHERE n.n_regionkey = r.r_regionkey",
            "42601",
            "syntax error at or near \"WHERE\"",
            43,
        );
        expect(
            "SELECT n_name FROM nation WHERE row_number() OVER (ORDER BY n_name) = 1",
            "42P20",
            "window functions are not allowed in WHERE",
            33,
        );
        expect(
            "VALUES (1, 2), (3)",
            "42601",
            "VALUES lists must all be the same length",
            17,
        );
        expect(
            "SELECT 1, 2 UNION SELECT 1",
            "42601",
            "each UNION query must have the same number of columns",
            26,
        );
        expect(
            "SELECT n_name FROM nation UNION SELECT r_name FROM region ORDER BY n_regionkey",
            "42703",
            "column \"n_regionkey\" does not exist",
            68,
        );
        expect(
            "SELECT n_name FROM nation UNION SELECT r_name FROM region ORDER BY lower(n_name)",
            "0A000",
            "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
            68,
        );
        expect(
            "SELECT n_regionkey FROM nation GROUP BY sum(n_nationkey)",
            "42803",
            "aggregate functions are not allowed in GROUP BY",
            41,
        );
        expect(
            "SELECT * FROM nation LIMIT 'abc'",
            "22P02",
            "invalid input syntax for type bigint: \"abc\"",
            28,
        );
        expect(
            "SELECT array_length(ARRAY[1, 2])",
            "42883",
            "function array_length(integer[]) does not exist",
            8,
        );
        expect(
            "SELECT (SELECT n_name, n_nationkey FROM nation LIMIT 1)",
            "42601",
            "subquery must return only one column",
            8,
        );
        expect(
            "SELECT n_name FROM nation WHERE n_nationkey IN (SELECT n_nationkey, n_name FROM \
             nation)",
            "42601",
            "subquery has too many columns",
            45,
        );
    }

    #[test]
    fn what_postgres_accepts_passes() {
        for sql in [
            "SELECT * FROM nation n JOIN region r ON n.n_regionkey = r.r_regionkey",
            "SELECT * FROM nation CROSS JOIN region",
            "SELECT * FROM nation NATURAL JOIN region",
            "SELECT * FROM (SELECT 1) AS t",
            // Postgres 16 and later take a subquery in FROM without an alias; 15 refused it.
            "SELECT * FROM (SELECT 1)",
            "SELECT x FROM t WHERE x IN (SELECT row_number() OVER () FROM t)",
            "SELECT n_name AS a FROM nation UNION SELECT r_name FROM region ORDER BY a DESC, 1",
            "SELECT * FROM nation UNION SELECT * FROM nation ORDER BY n_name",
            "VALUES (1, 2), (3, 4)",
            "SELECT (SELECT max(x) FROM t)",
            "SELECT count(*) FROM t GROUP BY (SELECT max(x) FROM u)",
            "SELECT * FROM nation LIMIT '5'",
            "SELECT array_length(ARRAY[1, 2], 1)",
        ] {
            assert_eq!(error(sql), None, "{sql}");
        }
    }
}
