//! The rows of a `VALUES` list typed as Postgres types them: a quoted literal, of unknown type
//! until then, takes the type another row's cast or typed literal gives its column, so
//! `VALUES ('2024-02-29'::date), ('1999-12-31')` is a column of dates. DataFusion typed the
//! literal as text and refused the mix (`Inconsistent data type across values list … Was Date32
//! but found Utf8`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, Query, SetExpr, Statement, Value, Values, VisitMut, VisitorMut,
};

use crate::statement::cast_in_place;

/// Casts the quoted literals of `statement`'s `VALUES` lists to the types their columns are
/// given elsewhere in the list.
pub(crate) fn rewrite_values_types(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Typing);
    statement
}

struct Typing;

impl VisitorMut for Typing {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        type_body(query.body.as_mut());
        ControlFlow::Continue(())
    }
}

/// Types the `VALUES` lists of a query body, also as a set operation's side.
fn type_body(body: &mut SetExpr) {
    match body {
        SetExpr::Values(values) => type_rows(values),
        SetExpr::SetOperation { left, right, .. } => {
            type_body(left);
            type_body(right);
        }
        _ => {}
    }
}

/// Casts each column's quoted literals to the type the column's first typed row declares.
fn type_rows(values: &mut Values) {
    let width = values
        .rows
        .iter()
        .map(|row| row.content.len())
        .max()
        .unwrap_or(0);
    for column in 0..width {
        let Some(data_type) = values
            .rows
            .iter()
            .find_map(|row| declared_type(row.content.get(column)?))
        else {
            continue;
        };
        for row in &mut values.rows {
            if let Some(expr) = row.content.get_mut(column)
                && matches!(expr, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
            {
                cast_in_place(expr, CastKind::DoubleColon, data_type.clone());
            }
        }
    }
}

/// The type an expression is written as: a cast's or a typed literal's.
pub(super) fn declared_type(expr: &Expr) -> Option<DataType> {
    match expr {
        Expr::Cast { data_type, .. } => Some(data_type.clone()),
        Expr::TypedString(typed) => Some(typed.data_type.clone()),
        Expr::Nested(inner) => declared_type(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn a_quoted_literal_takes_its_columns_declared_type() {
        assert_eq!(
            rewritten(
                "SELECT * FROM (VALUES ('a', '2024-01-01'), ('b', DATE '2024-02-01'), \
                 ('c', NULL)) AS t(k, d)",
                rewrite_values_types
            ),
            "SELECT * FROM (VALUES ('a', '2024-01-01'::DATE), ('b', DATE '2024-02-01'), \
             ('c', NULL)) AS t (k, d)"
        );
    }

    #[test]
    fn untyped_columns_and_other_expressions_stay() {
        let sql = "INSERT INTO t VALUES ('1', 2), ('3', 4 + 1::INT)";
        assert_eq!(rewritten(sql, rewrite_values_types), sql);
    }
}
