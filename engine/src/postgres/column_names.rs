//! Result columns named as Postgres names them: `SELECT count(*)` gives a column `count`,
//! `SELECT 1 + 1` one named `?column?`, `SELECT x::int` one named `x`, `SELECT '1'::int` one named
//! `int4` (the rules of Postgres' `FigureColname`). DataFusion names a column by its expression's
//! text (`count(*)`, `Int64(1) + Int64(1)`); each unnamed item of a select list is given Postgres'
//! name as its alias, which also lets a query refer to a derived table's columns by those names.
//! In the outermost select list names may repeat (`SELECT sum(a), sum(b)`): the planner's
//! fallback for columns that share a name ([`super::duplicate_names`]) keeps them. Elsewhere an
//! item is named only where its name is unique in its list, which DataFusion requires.

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, DataType, ExactNumberInfo, Expr, Ident, Query, Select, SelectItem, SetExpr,
    Statement, TimezoneInfo, TrimWhereField, VisitMut, VisitorMut,
};

/// The name Postgres gives a result column with no alias.
const NO_NAME: &str = "?column?";

/// Names every unnamed expression of the select lists of a query statement as Postgres would.
pub(crate) fn name_columns(mut statement: Statement) -> Statement {
    if matches!(statement, Statement::Query(_)) {
        let _ = statement.visit(&mut Namer { depth: 0 });
    }
    statement
}

/// Walks the queries of a statement, the outermost at depth 1.
struct Namer {
    depth: usize,
}

impl VisitorMut for Namer {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        self.depth += 1;
        name_body(query.body.as_mut(), self.depth == 1);
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
}

/// Names the select lists of a query body: a set operation's branches each.
fn name_body(body: &mut SetExpr, outermost: bool) {
    match body {
        SetExpr::Select(select) => name_select(select, outermost),
        SetExpr::SetOperation { left, right, .. } => {
            // The result takes the left branch's names; the others need only be plannable.
            name_body(left, outermost);
            name_body(right, false);
        }
        _ => {}
    }
}

fn name_select(select: &mut Select, repeats_allowed: bool) {
    let names: Vec<Option<String>> = select.projection.iter().map(item_name).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for name in names.iter().flatten() {
        *counts.entry(name).or_default() += 1;
    }
    let unique: Vec<bool> = names
        .iter()
        .map(|n| n.as_deref().is_some_and(|n| counts[n] == 1))
        .collect();
    for ((item, name), unique) in select.projection.iter_mut().zip(&names).zip(unique) {
        let SelectItem::UnnamedExpr(expr) = item else {
            continue;
        };
        if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
            || !(unique || repeats_allowed)
        {
            continue; // DataFusion names a column reference by its column already
        }
        let Some(name) = name else { continue };
        *item = SelectItem::ExprWithAlias {
            expr: expr.clone(),
            alias: Ident::with_quote('"', name.clone()),
        };
    }
}

/// The name of a select list item's column; `None` for a wildcard's columns.
fn item_name(item: &SelectItem) -> Option<String> {
    match item {
        SelectItem::UnnamedExpr(expr) => Some(figure(expr).0.unwrap_or_else(|| NO_NAME.into())),
        SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
        _ => None,
    }
}

/// How surely a name was figured: a cast's type name gives way to its operand's name.
#[derive(Clone, Copy, PartialEq)]
enum Strength {
    None,
    TypeName,
    Name,
}

/// Postgres' name for an expression, and how surely.
fn figure(expr: &Expr) -> (Option<String>, Strength) {
    let named = |name: &str| (Some(name.to_string()), Strength::Name);
    match expr {
        Expr::Identifier(ident) => (Some(folded(ident)), Strength::Name),
        Expr::CompoundIdentifier(parts) => match parts.last() {
            Some(last) => (Some(folded(last)), Strength::Name),
            None => (None, Strength::None),
        },
        Expr::Function(function) => match function.name.0.last().and_then(|p| p.as_ident()) {
            Some(name) => (Some(folded(name)), Strength::Name),
            None => (None, Strength::None),
        },
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => figure(inner),
        Expr::CompoundFieldAccess { root, .. } => figure(root),
        Expr::Cast {
            expr, data_type, ..
        } => match figure(expr) {
            (Some(name), Strength::Name) => (Some(name), Strength::Name),
            _ => (Some(type_name(data_type)), Strength::TypeName),
        },
        Expr::TypedString(typed) => (Some(type_name(&typed.data_type)), Strength::TypeName),
        Expr::Interval(_) => (Some("interval".into()), Strength::TypeName),
        Expr::Case { .. } => named("case"),
        Expr::Exists { negated: false, .. } => named("exists"),
        Expr::Array(_) => named("array"),
        Expr::Tuple(_) => named("row"),
        // A scalar subquery's column takes the name of the subquery's one column.
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.first().and_then(item_name) {
                Some(name) => (Some(name), Strength::Name),
                None => (None, Strength::None),
            },
            _ => (None, Strength::None),
        },
        Expr::Extract { .. } => named("extract"),
        Expr::Substring {
            shorthand: true, ..
        } => named("substr"),
        Expr::Substring { .. } => named("substring"),
        Expr::Position { .. } => named("position"),
        Expr::Overlay { .. } => named("overlay"),
        Expr::AtTimeZone { .. } => named("timezone"),
        Expr::Trim { trim_where, .. } => named(match trim_where {
            Some(TrimWhereField::Leading) => "ltrim",
            Some(TrimWhereField::Trailing) => "rtrim",
            _ => "btrim",
        }),
        Expr::Ceil { .. } => named("ceil"),
        Expr::Floor { .. } => named("floor"),
        Expr::IsNormalized { .. } => named("is_normalized"),
        _ => (None, Strength::None),
    }
}

/// The name Postgres' grammar gives a type written in a cast: its internal name for the SQL
/// standard's types (`integer` is `int4`), else the name as written.
fn type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::SmallInt(_) | DataType::Int2(_) => "int2".into(),
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => "int4".into(),
        DataType::BigInt(_) | DataType::Int8(_) => "int8".into(),
        DataType::Real | DataType::Float4 => "float4".into(),
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => "float4".into(),
        DataType::Float(_) | DataType::Float8 | DataType::Double(_) | DataType::DoublePrecision => {
            "float8".into()
        }
        DataType::Numeric(_) | DataType::Decimal(_) | DataType::Dec(_) => "numeric".into(),
        DataType::Boolean | DataType::Bool => "bool".into(),
        DataType::Varchar(_) | DataType::CharacterVarying(_) | DataType::CharVarying(_) => {
            "varchar".into()
        }
        DataType::Char(_) | DataType::Character(_) => "bpchar".into(),
        DataType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => {
            "timestamptz".into()
        }
        DataType::Timestamp(..) => "timestamp".into(),
        DataType::Time(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => "timetz".into(),
        DataType::Time(..) => "time".into(),
        DataType::Interval { .. } => "interval".into(),
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::Parenthesis(inner),
        ) => type_name(inner),
        DataType::Custom(name, _) => match name.0.last().and_then(|p| p.as_ident()) {
            Some(ident) => folded(ident),
            None => name.to_string().to_lowercase(),
        },
        other => other
            .to_string()
            .split(['(', ' '])
            .next()
            .unwrap_or_default()
            .to_lowercase(),
    }
}

/// An identifier as Postgres folds it: unquoted ones lower-cased.
fn folded(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    fn named(sql: &str) -> String {
        rewritten(sql, name_columns)
    }

    #[test]
    fn unnamed_items_get_postgres_names() {
        assert_eq!(
            named("SELECT count(*), COUNT(x), 1 + 1, x, t.y, 2 AS two FROM t"),
            "SELECT count(*) AS \"count\", COUNT(x) AS \"count\", 1 + 1 AS \"?column?\", x, t.y, 2 AS two FROM t"
        );
        assert_eq!(
            named(
                "SELECT x::int, '1'::int, CAST(1 AS bigint), '1'::double precision, DATE '2024-01-01'"
            ),
            "SELECT x::INT AS \"x\", '1'::INT AS \"int4\", CAST(1 AS BIGINT) AS \"int8\", '1'::DOUBLE PRECISION AS \"float8\", DATE '2024-01-01' AS \"date\""
        );
        assert_eq!(
            named(
                "SELECT CASE WHEN a THEN 1 END, coalesce(a, b), (SELECT max(x) FROM t), EXISTS (SELECT 1), trim(leading 'x' from s), extract(year from d)"
            ),
            "SELECT CASE WHEN a THEN 1 END AS \"case\", coalesce(a, b) AS \"coalesce\", (SELECT max(x) AS \"max\" FROM t) AS \"max\", EXISTS (SELECT 1 AS \"?column?\") AS \"exists\", TRIM(LEADING 'x' FROM s) AS \"ltrim\", EXTRACT(YEAR FROM d) AS \"extract\""
        );
        assert_eq!(
            named("SELECT substr(s, 2), substring(s FROM 2)"),
            "SELECT SUBSTR(s, 2) AS \"substr\", SUBSTRING(s FROM 2) AS \"substring\""
        );
    }

    #[test]
    fn inner_lists_name_only_unique_items() {
        assert_eq!(
            named("SELECT * FROM (SELECT 1, 2, sum(x) FROM t) AS s"),
            "SELECT * FROM (SELECT 1, 2, sum(x) AS \"sum\" FROM t) AS s"
        );
    }

    #[test]
    fn only_queries_are_named() {
        assert_eq!(named("INSERT INTO t SELECT 1"), "INSERT INTO t SELECT 1");
    }
}
