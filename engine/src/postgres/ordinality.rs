//! `WITH ORDINALITY` in `FROM`, which DataFusion refuses for `unnest` and ignores for table
//! functions. Each form numbers its rows from what the rows are, never from the order they happen
//! to arrive in (DataFusion spreads a function's batches over partitions and gathers them in any
//! order):
//! - `unnest(a [, b …]) WITH ORDINALITY AS t(x [, y …], n)` is each position of the arrays,
//!   `(SELECT a[i] AS x, …, i AS n FROM positions 1 to the longest array's length) AS t`;
//! - `regexp_split_to_table(s, pattern) WITH ORDINALITY` is the `unnest` of
//!   `regexp_split_to_array(s, pattern)`;
//! - `generate_series(…) WITH ORDINALITY AS t(v, n)` numbers the values in the series' order
//!   (`row_number() OVER (ORDER BY v)`, descending for a negative step written as a literal).
//!
//! The last column alias names the ordinal; without one it is `ordinality`, as in Postgres. Other
//! functions `WITH ORDINALITY` are refused ([`super::unsupported`]).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Ident, Statement, TableAlias, TableAliasColumnDef, TableFactor, UnaryOperator, Value,
    VisitMut, VisitorMut,
};

use crate::statement::parse_table_factor;

/// Rewrites `statement`'s functions `WITH ORDINALITY` into numbered rows.
pub(crate) fn rewrite_ordinality(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Numbering);
    statement
}

struct Numbering;

impl VisitorMut for Numbering {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        let numbered = match &*factor {
            TableFactor::UNNEST {
                alias,
                array_exprs,
                with_offset: false,
                with_ordinality: true,
                ..
            } => {
                let arrays: Vec<String> = array_exprs.iter().map(ToString::to_string).collect();
                numbered_positions(&arrays, alias.as_ref(), "unnest")
            }
            TableFactor::Table {
                name,
                alias,
                args: Some(args),
                with_ordinality: true,
                ..
            } => {
                let function = super::from_functions::function_name(name).unwrap_or_default();
                let args = super::from_functions::unnamed_arguments(&args.args);
                match (function.as_str(), args.as_deref()) {
                    ("regexp_split_to_table", Some(args @ ([_, _] | [_, _, _]))) => {
                        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                        let array = format!("regexp_split_to_array({})", args.join(", "));
                        numbered_positions(&[array], alias.as_ref(), &function)
                    }
                    ("generate_series", Some(args)) => {
                        numbered_series(factor, args, alias.as_ref())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(numbered) = numbered {
            *factor = numbered;
        }
        ControlFlow::Continue(())
    }
}

/// The column names an alias gives a function of `columns` columns and its ordinal, and the
/// table's name; `None` when a column would have no name (several arrays without aliases).
fn names(
    alias: Option<&TableAlias>,
    columns: usize,
    function: &str,
) -> Option<(Vec<Ident>, Ident, Option<Ident>)> {
    let given: Vec<Ident> = alias
        .map(|a| a.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let table = alias.map(|a| a.name.clone());
    let mut named: Vec<Ident> = given.iter().take(columns).cloned().collect();
    if named.len() < columns {
        if columns > 1 {
            return None;
        }
        // One column is named after the table, or the function.
        named.push(table.clone().unwrap_or_else(|| Ident::new(function)));
    }
    let ordinal = given
        .get(columns)
        .cloned()
        .unwrap_or_else(|| Ident::new("ordinality"));
    Some((named, ordinal, table))
}

/// Each position of `arrays` (up to the longest one's length) as a row of their elements there
/// and the position.
fn numbered_positions(
    arrays: &[String],
    alias: Option<&TableAlias>,
    function: &str,
) -> Option<TableFactor> {
    let (columns, ordinal, table) = names(alias, arrays.len(), function)?;
    let array = |k: usize| format!("hangar_array_{k}");
    let elements: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(k, column)| format!("{}[hangar_position] AS {column}", array(k)))
        .collect();
    let values: Vec<String> = arrays
        .iter()
        .enumerate()
        .map(|(k, a)| format!("{a} AS {}", array(k)))
        .collect();
    let lengths: Vec<String> = (0..arrays.len())
        .map(|k| format!("coalesce(cardinality({}), 0)", array(k)))
        .collect();
    let length = match lengths.as_slice() {
        [one] => one.clone(),
        many => format!("greatest({})", many.join(", ")),
    };
    let arrays: Vec<String> = (0..arrays.len()).map(array).collect();
    parse_table_factor(&format!(
        "(SELECT {}, hangar_position AS {ordinal} FROM (SELECT {}, \
         unnest(generate_series(1, {length})) AS hangar_position \
         FROM (SELECT {}) AS hangar_arrays) AS hangar_positions){}",
        elements.join(", "),
        arrays.join(", "),
        values.join(", "),
        table.map_or_else(String::new, |t| format!(" AS {t}")),
    ))
}

/// A series numbered in its order: ascending, or descending for a step written as a negative
/// literal; `None` for a step that is not a literal.
fn numbered_series(
    factor: &TableFactor,
    args: &[&Expr],
    alias: Option<&TableAlias>,
) -> Option<TableFactor> {
    let descending = match args {
        [_, _] => false,
        [_, _, step] => is_negative_literal(step)?,
        _ => return None,
    };
    let (columns, ordinal, table) = names(alias, 1, "generate_series")?;
    let column = &columns[0];
    let mut series = factor.clone();
    if let TableFactor::Table {
        alias,
        with_ordinality,
        ..
    } = &mut series
    {
        *with_ordinality = false;
        *alias = Some(TableAlias {
            explicit: true,
            name: table
                .clone()
                .unwrap_or_else(|| Ident::new("generate_series")),
            columns: vec![TableAliasColumnDef {
                name: column.clone(),
                data_type: None,
            }],
            at: None,
        });
    }
    let order = if descending { "DESC" } else { "ASC" };
    parse_table_factor(&format!(
        "(SELECT *, row_number() OVER (ORDER BY {column} {order}) AS {ordinal} FROM {series}){}",
        table.map_or_else(String::new, |t| format!(" AS {t}")),
    ))
}

/// Whether a step written as a literal (a number, an interval, a quoted text) is negative;
/// `None` when it is not a literal.
fn is_negative_literal(step: &Expr) -> Option<bool> {
    match step {
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => is_negative_literal(expr).map(|negative| !negative),
        Expr::Nested(inner) => is_negative_literal(inner),
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.starts_with('-')),
            Value::SingleQuotedString(s) => Some(s.trim_start().starts_with('-')),
            _ => None,
        },
        Expr::Interval(interval) => is_negative_literal(&interval.value),
        Expr::Cast { expr, .. } => is_negative_literal(expr),
        Expr::TypedString(typed) => match &typed.value.value {
            Value::SingleQuotedString(s) => Some(s.trim_start().starts_with('-')),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn ordinals_come_from_positions_and_the_series_order() {
        assert_eq!(
            rewritten(
                "SELECT * FROM unnest(ARRAY[3, 1]) WITH ORDINALITY AS t(x, n)",
                rewrite_ordinality
            ),
            "SELECT * FROM (SELECT hangar_array_0[hangar_position] AS x, hangar_position AS n \
             FROM (SELECT hangar_array_0, unnest(generate_series(1, \
             coalesce(cardinality(hangar_array_0), 0))) AS hangar_position \
             FROM (SELECT ARRAY[3, 1] AS hangar_array_0) AS hangar_arrays) AS hangar_positions) \
             AS t"
        );
        assert_eq!(
            rewritten(
                "SELECT * FROM generate_series(5, 1, -2) WITH ORDINALITY",
                rewrite_ordinality
            ),
            "SELECT * FROM (SELECT *, row_number() OVER (ORDER BY generate_series DESC) \
             AS ordinality FROM generate_series(5, 1, -2) AS generate_series (generate_series))"
        );
        // A step that is not a literal leaves the direction unknown: refused later.
        let computed = "SELECT * FROM generate_series(1, 5, s) WITH ORDINALITY";
        assert!(rewritten(computed, rewrite_ordinality).contains("WITH ORDINALITY"));
    }
}
