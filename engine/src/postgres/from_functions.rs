//! Functions in `FROM` as Postgres reads them. Postgres lets any function stand in `FROM`: one
//! returning a single value is a one-row table, and a function returning one column names that
//! column after the table's alias. Grafana's table list relies on both:
//! `FROM generate_series(…) AS i, string_to_array(current_setting('search_path'), ',') s` and then
//! `s[i]`. DataFusion knows only table functions there, and names `generate_series`'s column
//! `value`. So:
//! - a function that is not a table function, `f(args) AS a`, becomes `(SELECT f(args) AS a) AS a`
//!   (a column alias list, `AS a(c)`, names the column `c`);
//! - a one-column series, `generate_series(args) AS a` or `range(args) AS a`, becomes
//!   `generate_series(args) AS a(a)`;
//! - a series of `integer`s (`generate_series(1, 10)`: every argument an integer literal that fits
//!   an int4) is a series of `integer`s, as in Postgres, where DataFusion's is of `bigint`s;
//! - a series of number literals with a decimal point is a series of `numeric`s, counted out on a
//!   series of positions.
//!
//! `WITH ORDINALITY` is [`super::ordinality`]'s.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    ObjectName, Statement, TableAlias, TableAliasColumnDef, TableFactor, TableFunctionArgs,
    UnaryOperator, Value, VisitMut, VisitorMut,
};

use super::function_forms::is_null;
use crate::statement::parse_table_factor;

/// DataFusion's table functions whose one column Postgres names after the alias.
const SERIES: &[&str] = &["generate_series", "range"];

/// Rewrites `statement`'s functions in `FROM`; `is_table_function` says which names DataFusion
/// plans as table functions.
pub(crate) fn rewrite_from_functions(
    mut statement: Statement,
    is_table_function: &dyn Fn(&str) -> bool,
) -> Statement {
    let _ = statement.visit(&mut Rewrite { is_table_function });
    statement
}

struct Rewrite<'a> {
    is_table_function: &'a dyn Fn(&str) -> bool,
}

impl VisitorMut for Rewrite<'_> {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        // `unnest(array)`'s one column is named after its alias, or `unnest` without one.
        if let TableFactor::UNNEST {
            alias,
            array_exprs,
            with_offset: false,
            with_ordinality: false,
            ..
        } = factor
            && array_exprs.len() == 1
        {
            name_after_alias(alias, "unnest");
            return ControlFlow::Continue(());
        }
        let TableFactor::Table {
            name,
            alias,
            args: Some(args),
            ..
        } = factor
        else {
            return ControlFlow::Continue(());
        };
        let Some(function) = function_name(name) else {
            return ControlFlow::Continue(());
        };
        if function == "generate_series" {
            dates_as_timestamptz(&mut args.args);
            typed_series_arguments(&mut args.args);
        }
        if (self.is_table_function)(&function) {
            if alias.as_ref().is_some_and(|a| a.name.value == TYPED_SERIES) {
                // The series inside a typed series: already rewritten (a view's stored query is
                // rewritten again each time it is read).
            } else if function == "generate_series"
                && let Some(series) = literal_series(name, args, alias.as_ref())
            {
                *factor = series;
            } else if function == "generate_series"
                && let Some(series) = integer_series(name, args, alias.as_ref())
            {
                *factor = series;
            } else if SERIES.contains(&function.as_str()) {
                name_after_alias(alias, &function);
            }
        } else if let Some(one_row) = one_row_table(name, args, alias.as_ref(), &function) {
            *factor = one_row;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Function(call) = expr
            && function_name(&call.name).as_deref() == Some("generate_series")
            && let FunctionArguments::List(list) = &mut call.args
        {
            dates_as_timestamptz(&mut list.args);
            typed_series_arguments(&mut list.args);
        }
        ControlFlow::Continue(())
    }
}

/// A one-column table function's column named after its alias, or after the function (`function`)
/// without one, as Postgres names it.
fn name_after_alias(alias: &mut Option<TableAlias>, function: &str) {
    let alias = alias.get_or_insert_with(|| TableAlias {
        explicit: true,
        name: Ident::new(function),
        columns: vec![],
        at: None,
    });
    if alias.columns.is_empty() {
        alias.columns = vec![TableAliasColumnDef::from_name(alias.name.value.clone())];
    }
}

/// A series' arguments typed as Postgres types them: a quoted literal bound takes the type of a
/// start written with one (`generate_series('2008-03-01'::timestamp, '2008-03-04', '10 hours')`),
/// a quoted step is an `interval` then, and a typed NULL is NULL, a series of no values
/// (DataFusion's table function took neither a quoted literal nor a typed NULL).
fn typed_series_arguments(args: &mut [FunctionArg]) {
    let start = match args.first() {
        Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(start))) => {
            super::values_types::declared_type(start)
        }
        _ => None,
    };
    for (position, arg) in args.iter_mut().enumerate() {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg else {
            continue;
        };
        let target = match value {
            Expr::Cast { expr, .. } if is_null(expr) => {
                *value = Expr::value(Value::Null);
                continue;
            }
            Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)) => match position {
                1 => start.clone(),
                2 => start.as_ref().map(|start| {
                    match super::datetime_literals::is_timestamp(start) {
                        true => DataType::Interval {
                            fields: None,
                            precision: None,
                        },
                        false => start.clone(),
                    }
                }),
                _ => None,
            },
            _ => None,
        };
        if let Some(data_type) = target {
            crate::statement::cast_in_place(
                value,
                datafusion::sql::sqlparser::ast::CastKind::DoubleColon,
                data_type,
            );
        }
    }
}

/// A series of dates as a series of `timestamptz`s, as Postgres reads it (it has no series of
/// dates; `date` converts to `timestamptz` implicitly): each argument written as a date (`DATE
/// '…'`, `'…'::date`, `current_date`, a date plus or minus a number of days) cast to one.
fn dates_as_timestamptz(args: &mut [FunctionArg]) {
    for arg in args {
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg
            && written_as_date(value)
            && let Some(cast) =
                crate::statement::parse_expr(&format!("CAST({value} AS TIMESTAMPTZ)"))
        {
            *value = cast;
        }
    }
}

/// Whether `expr` is a date by the way it is written.
fn written_as_date(expr: &Expr) -> bool {
    match expr {
        Expr::TypedString(typed) => typed.data_type == DataType::Date,
        Expr::Cast { data_type, .. } => *data_type == DataType::Date,
        Expr::Function(call) => function_name(&call.name).as_deref() == Some("current_date"),
        Expr::Nested(inner) => written_as_date(inner),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Plus | BinaryOperator::Minus,
            right,
        } => {
            written_as_date(left)
                && matches!(right.as_ref(), Expr::Value(v) if matches!(v.value, Value::Number(..)))
        }
        _ => false,
    }
}

/// A function's name as DataFusion looks it up: the last part, lower-cased unless quoted.
pub(super) fn function_name(name: &ObjectName) -> Option<String> {
    let ident = name.0.last()?.as_ident()?;
    Some(match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    })
}

/// A call's arguments when each is an expression written without a name (`f(a, b)`), as the
/// rewrites of particular functions take them; `None` when one is named or `*`.
pub(super) fn unnamed_arguments(args: &[FunctionArg]) -> Option<Vec<&Expr>> {
    args.iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect()
}

/// `(SELECT f(args) AS column) AS alias`: the value of a function that is not a table function as a
/// one-row table.
fn one_row_table(
    name: &ObjectName,
    args: &TableFunctionArgs,
    alias: Option<&TableAlias>,
    function: &str,
) -> Option<TableFactor> {
    if args.settings.is_some() {
        return None;
    }
    // Arguments that name columns of the tables before it (Postgres's implicit LATERAL) are left
    // to DataFusion's error.
    let (table, column) = one_column_names(alias, function)?;
    let args: Vec<String> = args.args.iter().map(ToString::to_string).collect();
    parse_table_factor(&format!(
        "(SELECT {name}({}) AS {column}) AS {table}",
        args.join(", ")
    ))
}

/// The names of a one-column table made of a function in `FROM`, as Postgres gives them: the
/// table's is its alias or the function's; the column's is the alias list's one name, else the
/// table's. `None` for an alias list of several columns.
fn one_column_names(alias: Option<&TableAlias>, function: &str) -> Option<(Ident, Ident)> {
    let table = alias.map_or_else(|| Ident::new(function), |alias| alias.name.clone());
    let column = match alias.map(|alias| alias.columns.as_slice()) {
        Some([column]) => column.name.clone(),
        Some([]) | None => table.clone(),
        Some(_) => return None,
    };
    Some((table, column))
}

/// Whether an argument is an integer literal that fits an int4 (`1`, `-5`, or `CAST(1 AS INT4)`
/// as [`super::integer_literals`] writes one in a select list): Postgres' `integer`.
pub(super) fn is_int4_literal(arg: &FunctionArg) -> bool {
    let FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) = arg else {
        return false;
    };
    let expr = match expr {
        Expr::Cast {
            expr,
            data_type: DataType::Int4(None) | DataType::Integer(None) | DataType::Int(None),
            ..
        } => expr.as_ref(),
        other => other,
    };
    let (negative, literal) = match expr {
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => (true, expr.as_ref()),
        other => (false, other),
    };
    matches!(literal, Expr::Value(v) if matches!(&v.value, Value::Number(n, false)
        if format!("{}{n}", if negative { "-" } else { "" }).parse::<i32>().is_ok()))
}

/// The alias of the series inside a typed series.
const TYPED_SERIES: &str = "hangar_series";

/// `(SELECT CAST(value AS INT4) AS column FROM generate_series(args)) AS alias`: a series whose
/// arguments are all integer literals that fit an int4 (or NULL), whose values are Postgres'
/// `integer`s.
fn integer_series(
    name: &ObjectName,
    args: &TableFunctionArgs,
    alias: Option<&TableAlias>,
) -> Option<TableFactor> {
    // A NULL bound is of the others' type, as Postgres resolves it.
    let null = |arg: &FunctionArg| matches!(arg, FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if is_null(e));
    let integers = args
        .args
        .iter()
        .all(|arg| is_int4_literal(arg) || null(arg));
    if args.settings.is_some() || !integers || !args.args.iter().any(is_int4_literal) {
        return None;
    }
    let (table, column) = one_column_names(alias, "generate_series")?;
    let args: Vec<String> = args.args.iter().map(ToString::to_string).collect();
    parse_table_factor(&format!(
        "(SELECT CAST({TYPED_SERIES}.value AS INT4) AS {column} \
         FROM {name}({}) AS {TYPED_SERIES}) AS {table}",
        args.join(", ")
    ))
}

/// A number written as a literal in a series' arguments (`1.5`, `-2`, `1::numeric`).
#[derive(Debug, Clone, Copy)]
struct LiteralNumber {
    digits: i128,
    scale: i8,
    /// Written as a `numeric`: with a decimal point, or cast to one.
    numeric: bool,
}

fn literal_number(arg: &FunctionArg) -> Option<LiteralNumber> {
    let FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) = arg else {
        return None;
    };
    fn number(expr: &Expr) -> Option<LiteralNumber> {
        match expr {
            Expr::Value(v) => match &v.value {
                Value::Number(n, false) => {
                    let (digits, scale) = super::numeric_casts::numeric_text(n)?;
                    Some(LiteralNumber {
                        digits,
                        scale,
                        numeric: n.contains('.'),
                    })
                }
                _ => None,
            },
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            } => number(expr).map(|n| LiteralNumber {
                digits: -n.digits,
                ..n
            }),
            Expr::Cast {
                expr,
                data_type: DataType::Numeric(_) | DataType::Decimal(_),
                ..
            } => number(expr).map(|n| LiteralNumber { numeric: true, ..n }),
            Expr::Nested(expr) => number(expr),
            _ => None,
        }
    }
    number(expr)
}

/// A series of number literals one of which has a decimal point: of `numeric`s, as in Postgres
/// (`generate_series(0.0, 1.0, 0.25)` is `0.00`, `0.25`, …, at the largest scale of its
/// arguments; DataFusion refused decimals). Built on a series of the values' positions:
/// `(SELECT start + step * n AS column FROM generate_series(0, count))`.
fn literal_series(
    name: &ObjectName,
    args: &TableFunctionArgs,
    alias: Option<&TableAlias>,
) -> Option<TableFactor> {
    if args.settings.is_some() {
        return None;
    }
    let numbers: Vec<LiteralNumber> = args
        .args
        .iter()
        .map(literal_number)
        .collect::<Option<_>>()?;
    let scale = numbers.iter().map(|n| n.scale).max()?;
    let decimal = numbers.iter().any(|n| n.numeric);
    if !decimal {
        return None;
    }
    let at_scale = |n: LiteralNumber| {
        n.digits
            .checked_mul(10_i128.checked_pow((scale - n.scale) as u32)?)
    };
    let (start, stop, step) = match numbers.as_slice() {
        [start, stop] => (
            at_scale(*start)?,
            at_scale(*stop)?,
            10_i128.checked_pow(scale as u32)?,
        ),
        [start, stop, step] => (at_scale(*start)?, at_scale(*stop)?, at_scale(*step)?),
        _ => return None,
    };
    if step == 0 {
        return None; // DataFusion's error: the step cannot be zero
    }
    // The last position: how many whole steps fit between start and stop, in the step's direction.
    let last = match (step > 0, stop.cmp(&start)) {
        (true, std::cmp::Ordering::Less) | (false, std::cmp::Ordering::Greater) => -1,
        (true, _) => (stop - start) / step,
        (false, _) => (start - stop) / -step,
    };
    let text = |digits: i128| {
        let sign = if digits < 0 { "-" } else { "" };
        let digits = digits.unsigned_abs().to_string();
        let scale = scale as usize;
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        format!("{sign}{whole}.{fraction}")
    };
    let table = alias.map_or_else(|| Ident::new("generate_series"), |a| a.name.clone());
    let columns: Vec<Ident> = alias
        .map(|a| a.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let column = match columns.as_slice() {
        [] => table.clone(),
        [column] => column.clone(),
        _ => return None,
    };
    parse_table_factor(&format!(
        "(SELECT CAST({} + {} * {TYPED_SERIES}.value AS NUMERIC(38, {scale})) AS {column} \
         FROM {name}(0, {last}) AS {TYPED_SERIES}) AS {table}",
        text(start),
        text(step),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{parse_statement, rewritten};

    fn rewrite(sql: &str) -> String {
        let is_table_function =
            |name: &str| ["generate_series", "range", "pg_get_keywords"].contains(&name);
        rewritten(sql, |statement| {
            rewrite_from_functions(statement, &is_table_function)
        })
    }

    #[test]
    fn a_value_function_is_a_one_row_table() {
        assert_eq!(
            rewrite("SELECT s[1] FROM string_to_array('a,b', ',') s"),
            "SELECT s[1] FROM (SELECT string_to_array('a,b', ',') AS s) AS s"
        );
        assert_eq!(
            rewrite("SELECT * FROM pg_catalog.upper('x') AS u(v), lower('Y')"),
            "SELECT * FROM (SELECT pg_catalog.upper('x') AS v) AS u, \
             (SELECT lower('Y') AS lower) AS lower"
        );
    }

    #[test]
    fn a_series_column_is_named_after_its_alias() {
        assert_eq!(
            rewrite("SELECT i FROM generate_series(1, 3000000000) AS i, range(2) r(x)"),
            "SELECT i FROM generate_series(1, 3000000000) AS i (i), range(2) r (x)"
        );
    }

    #[test]
    fn a_series_of_small_integers_is_of_integers() {
        assert_eq!(
            rewrite("SELECT * FROM generate_series(-3, 3) AS g, generate_series(1, 9, 2) s(n)"),
            "SELECT * FROM (SELECT CAST(hangar_series.value AS INT4) AS g \
             FROM generate_series(-3, 3) AS hangar_series) AS g, \
             (SELECT CAST(hangar_series.value AS INT4) AS n \
             FROM generate_series(1, 9, 2) AS hangar_series) AS s"
        );
        // Rewriting the rewritten statement (a view's stored query) changes nothing.
        let once = rewrite("SELECT * FROM generate_series(1, 3)");
        assert_eq!(rewrite(&once), once);
    }

    #[test]
    fn series_of_decimals_count_positions() {
        assert_eq!(
            rewrite("SELECT * FROM generate_series(0.0, 1.0, 0.25) AS q"),
            "SELECT * FROM (SELECT CAST(0.00 + 0.25 * hangar_series.value AS NUMERIC(38,2)) AS q \
             FROM generate_series(0, 4) AS hangar_series) AS q"
        );
        assert_eq!(
            rewrite("SELECT * FROM generate_series(1.5, 0, -0.5)"),
            "SELECT * FROM (SELECT CAST(1.5 + -0.5 * hangar_series.value AS NUMERIC(38,1)) \
             AS generate_series FROM generate_series(0, 3) AS hangar_series) AS generate_series"
        );
        assert!(
            rewrite("SELECT * FROM generate_series(1.0, 0.5)").contains("generate_series(0, -1)")
        );
    }

    #[test]
    fn tables_and_other_table_functions_stay() {
        for sql in [
            "SELECT * FROM t AS s",
            "SELECT * FROM pg_get_keywords() AS k",
        ] {
            assert_eq!(rewrite(sql), parse_statement(sql).to_string());
        }
    }

    #[test]
    fn a_series_without_an_alias_is_named_after_the_function() {
        assert_eq!(
            rewrite("SELECT * FROM t AS s, generate_series(1, x)"),
            "SELECT * FROM t AS s, generate_series(1, x) AS generate_series (generate_series)"
        );
    }

    #[test]
    fn unnest_is_named_after_its_alias_or_itself() {
        assert_eq!(
            rewrite("SELECT * FROM unnest(ARRAY[1, 2]), unnest(ARRAY[3]) AS u"),
            "SELECT * FROM UNNEST(ARRAY[1, 2]) AS unnest (unnest), UNNEST(ARRAY[3]) AS u (u)"
        );
    }

    #[test]
    fn a_series_of_dates_is_of_timestamptz() {
        assert_eq!(
            rewrite(
                "SELECT generate_series(current_date, current_date + 7, '1 day'), d FROM \
                 generate_series(DATE '2024-01-01', '2024-03-01'::date, interval '1 month') AS d"
            ),
            "SELECT generate_series(CAST(current_date AS TIMESTAMPTZ), \
             CAST(current_date + 7 AS TIMESTAMPTZ), '1 day'::INTERVAL), d FROM \
             generate_series(CAST(DATE '2024-01-01' AS TIMESTAMPTZ), \
             CAST('2024-03-01'::DATE AS TIMESTAMPTZ), INTERVAL '1 month') AS d (d)"
        );
    }

    #[test]
    fn quoted_bounds_take_the_starts_type() {
        assert_eq!(
            rewrite(
                "SELECT * FROM generate_series('2008-03-01'::timestamp, '2008-03-04', '10 hours'), \
                 generate_series(1::int, '9', '2') AS n, generate_series(1, NULL::int) AS e"
            ),
            "SELECT * FROM generate_series('2008-03-01'::TIMESTAMP, '2008-03-04'::TIMESTAMP, \
             '10 hours'::INTERVAL) AS generate_series (generate_series), \
             generate_series(1::INT, '9'::INT, '2'::INT) AS n (n), \
             (SELECT CAST(hangar_series.value AS INT4) AS e \
             FROM generate_series(1, NULL) AS hangar_series) AS e"
        );
    }
}
