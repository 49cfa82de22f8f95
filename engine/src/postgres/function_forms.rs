//! Postgres functions that DataFusion has as operators or expressions: `mod(a, b)` is `a % b`;
//! `div(a, b)` is `trunc(a::numeric / b::numeric)`; `trim_scale(x)` is `round(x, min_scale(x))`;
//! `trim_array(a, n)` is `array_slice(a, 1, array_length(a, 1) - n)`; `regexp_replace`'s
//! reference to the whole match, `\&`, is DataFusion's `\0`;
//! `num_nulls(…)` and `num_nonnulls(…)` count their NULL and non-NULL arguments, whatever their
//! types (which a function's signature could not take); `ROW(a, b)` is a row whose fields are
//! named `f1`, `f2` as Postgres names an anonymous row's (`to_json(ROW(1, 'x'))` is
//! `{"f1":1,"f2":"x"}`), where DataFusion's `struct` names them `c0`, `c1`, and is NULL when
//! every field is (`ROW(NULL, NULL) IS NULL`); `x = ANY (array)` (which the Postgres-compatibility
//! parser writes `array_contains(array, x)`) is NULL, not false, when `x` is not found and the
//! array holds a NULL; `concat` and `concat_ws` write each argument as its type's output function
//! does (`t` for true, a timestamp with a space), through `hangar_text`; `make_date` of a
//! negative year is a date BC; `array_cat` of a NULL literal is the other array, where
//! DataFusion could not type the NULL. And `make_interval`'s named arguments
//! (`make_interval(days => 10)`), put in their places with the others' defaults. An aggregate
//! that gathers `DISTINCT` values (`array_agg`, `string_agg`, `json_agg`) gathers them in order,
//! as Postgres' sort does.

use datafusion::sql::sqlparser::ast::{
    DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, OrderByExpr, OrderByOptions, Statement, Value,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Whether `expr` is the literal NULL.
pub(super) fn is_null(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if v.value == Value::Null)
}

/// The aggregates that gather their values, whose order shows.
const GATHERING: [&str; 4] = ["array_agg", "string_agg", "json_agg", "jsonb_agg"];

/// `call`, an aggregate gathering `DISTINCT` values in no order, gathering them in order: Postgres
/// removes the duplicates by sorting (`array_agg(DISTINCT x)` is `{0,1,2}`), DataFusion by
/// hashing, in whatever order.
fn order_distinct_values(call: &mut Function) {
    let FunctionArguments::List(list) = &mut call.args else {
        return;
    };
    let name = call.name.to_string().to_ascii_lowercase();
    if !GATHERING.contains(&name.as_str())
        || list.duplicate_treatment != Some(DuplicateTreatment::Distinct)
        || list
            .clauses
            .iter()
            .any(|c| matches!(c, FunctionArgumentClause::OrderBy(_)))
    {
        return;
    }
    let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(value))) = list.args.first() else {
        return;
    };
    list.clauses
        .push(FunctionArgumentClause::OrderBy(vec![OrderByExpr {
            expr: value.clone(),
            options: OrderByOptions {
                asc: None,
                nulls_first: None,
            },
            with_fill: None,
        }]));
}

/// Rewrites `statement`'s calls of these functions.
pub(crate) fn rewrite_function_forms(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        if let Some(test) = row_null_test(expr) {
            *expr = test;
            return;
        }
        let Expr::Function(call) = expr else {
            return;
        };
        order_distinct_values(call);
        let FunctionArguments::List(list) = &call.args else {
            return;
        };
        if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || call.over.is_some() {
            return;
        }
        if call.name.to_string().eq_ignore_ascii_case("make_interval") {
            if let Some(replacement) = make_interval(&list.args).and_then(|sql| parse_expr(&sql)) {
                *expr = replacement;
            }
            return;
        }
        let args = super::from_functions::unnamed_arguments(&list.args);
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
        let name = call.name.to_string().to_ascii_lowercase();
        let replacement = match (name.as_str(), args.as_slice()) {
            ("mod", [a, b]) => format!("(({a}) % ({b}))"),
            // DataFusion's forms: `regexp_replace` from a start is Hangar's, which reads `\&`.
            ("regexp_replace", [text, pattern, Expr::Value(v), rest @ ..])
                if rest.len() <= 1
                    && matches!(&v.value, Value::SingleQuotedString(r) if r.contains("\\&"))
                    && rest.iter().all(|a| is_text_literal(a)) =>
            {
                let Value::SingleQuotedString(replacement) = &v.value else {
                    return;
                };
                let rest: String = rest.iter().map(|a| format!(", {a}")).collect();
                let replacement = whole_match_references(replacement).replace('\'', "''");
                format!("regexp_replace({text}, {pattern}, '{replacement}'{rest})")
            }
            ("div", [a, b]) => format!("trunc(({a})::numeric / ({b})::numeric)"),
            ("trim_scale", [x]) => format!("round({x}, min_scale({x}))"),
            ("trim_array", [a, n]) => format!("array_slice({a}, 1, array_length({a}, 1) - ({n}))"),
            ("concat" | "concat_ws", [_, ..]) if !args.iter().all(|a| is_text_literal(a)) => {
                let skip = usize::from(name == "concat_ws");
                let written: Vec<String> = args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| match i < skip || is_text_literal(a) {
                        true => a.to_string(),
                        false => format!("hangar_text({a})"),
                    })
                    .collect();
                format!("{name}({})", written.join(", "))
            }
            // `x = ANY (array)`, as the Postgres-compatibility parser writes it.
            ("array_contains", [array, x]) if !is_null_free_literal_array(array) => format!(
                "(CASE WHEN array_has({array}, {x}) THEN true \
                 WHEN ({x}) IS NULL OR ({array}) IS NULL OR array_position({array}, NULL) IS NOT NULL \
                 THEN NULL ELSE false END)"
            ),
            // A negative year is a year BC, and there is no year 0: `make_date(-44, 3, 15)` is
            // 44 BC, the proleptic calendar's year -43.
            ("make_date", [year, month, day]) if !matches!(year, Expr::Case { .. }) => format!(
                "make_date(CASE WHEN ({year}) < 0 THEN ({year}) + 1 ELSE ({year}) END, {month}, {day})"
            ),
            // A NULL literal is an array of the other's type, and NULL adds nothing.
            ("array_cat", [a, b]) if is_null(a) || is_null(b) => match (is_null(a), is_null(b)) {
                (true, true) => "NULL".into(),
                (true, false) => format!("({b})"),
                _ => format!("({a})"),
            },
            ("num_nulls", [_, ..]) => count("IS NULL"),
            ("num_nonnulls", [_, ..]) => count("IS NOT NULL"),
            ("row", [_, ..]) => {
                let fields: Vec<String> = args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| format!("'f{}', ({a})", i + 1))
                    .collect();
                format!("named_struct({})", fields.join(", "))
            }
            _ => return,
        };
        if let Some(replacement) = parse_expr(&replacement) {
            *expr = replacement;
        }
    })
}

/// Whether `expr` is a quoted literal, text as written (or already one of `hangar_text`'s).
fn is_text_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, Value::SingleQuotedString(_)),
        Expr::Function(call) => call.name.to_string() == "hangar_text",
        _ => false,
    }
}

/// A `regexp_replace` replacement with Postgres' reference to the whole match, `\&`, written as
/// DataFusion's, `\0` (a backslash before it, `\\&`, is a backslash and an ampersand).
fn whole_match_references(replacement: &str) -> String {
    let mut written = String::with_capacity(replacement.len());
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('&')) => {
                chars.next();
                written.push_str("\\0");
            }
            ('\\', Some(next)) => {
                chars.next();
                written.push(c);
                written.push(next);
            }
            _ => written.push(c),
        }
    }
    written
}

/// Whether `expr` is `ARRAY[…]` of literals none of which is NULL: `x = ANY` of it is never NULL
/// for a non-NULL `x`, and DataFusion plans it as `x = a OR x = b`, which scans can prune by.
fn is_null_free_literal_array(expr: &Expr) -> bool {
    let Expr::Array(array) = expr else {
        return false;
    };
    array.elem.iter().all(|element| {
        let literal = match element {
            Expr::UnaryOp { expr, .. } => expr.as_ref(),
            other => other,
        };
        matches!(literal, Expr::Value(v) if !matches!(v.value, Value::Null))
    })
}

/// `row IS NULL` as Postgres tests a row: every field NULL (and `IS NOT NULL`, every field not
/// NULL), for a row written as `ROW(…)` (a `named_struct` by now) or `(a, b)`. DataFusion tested
/// the struct itself, which is never NULL.
fn row_null_test(expr: &Expr) -> Option<Expr> {
    let (row, test) = match expr {
        Expr::IsNull(row) => (row, "IS NULL"),
        Expr::IsNotNull(row) => (row, "IS NOT NULL"),
        _ => return None,
    };
    let fields: Vec<String> = match row.as_ref() {
        Expr::Tuple(fields) => fields.iter().map(ToString::to_string).collect(),
        Expr::Function(call) if call.name.to_string().eq_ignore_ascii_case("named_struct") => {
            let FunctionArguments::List(list) = &call.args else {
                return None;
            };
            list.args
                .iter()
                .skip(1)
                .step_by(2)
                .map(ToString::to_string)
                .collect()
        }
        _ => return None,
    };
    let tests: Vec<String> = fields.iter().map(|f| format!("({f}) {test}")).collect();
    parse_expr(&format!("({})", tests.join(" AND ")))
}

/// The parameters of `make_interval`, in order; each defaults to 0.
const INTERVAL_PARTS: [&str; 7] = ["years", "months", "weeks", "days", "hours", "mins", "secs"];

/// `make_interval(…)` with every argument in its place (`days => 10` is the fourth), as Hangar's
/// `make_interval` takes them.
fn make_interval(args: &[FunctionArg]) -> Option<String> {
    let mut parts = INTERVAL_PARTS.map(|_| "0".to_string());
    for (position, arg) in args.iter().enumerate() {
        let (at, value) = match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) => (position, value),
            FunctionArg::Named {
                name,
                arg: FunctionArgExpr::Expr(value),
                ..
            }
            | FunctionArg::ExprNamed {
                name: Expr::Identifier(name),
                arg: FunctionArgExpr::Expr(value),
                ..
            } => {
                let name = name.value.to_ascii_lowercase();
                (INTERVAL_PARTS.iter().position(|p| *p == name)?, value)
            }
            _ => return None,
        };
        *parts.get_mut(at)? = value.to_string();
    }
    Some(format!("make_interval({})", parts.join(", ")))
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
        assert_eq!(
            rewritten(
                "SELECT make_interval(days => 10), make_interval(1, 2), make_interval()",
                rewrite_function_forms
            ),
            "SELECT make_interval(0, 0, 0, 10, 0, 0, 0), make_interval(1, 2, 0, 0, 0, 0, 0), \
             make_interval(0, 0, 0, 0, 0, 0, 0)"
        );
        assert_eq!(
            rewritten("SELECT to_json(ROW(1, 'x'))", rewrite_function_forms),
            "SELECT to_json(named_struct('f1', (1), 'f2', ('x')))"
        );
    }

    #[test]
    fn whole_match_references_are_datafusions() {
        assert_eq!(
            rewritten(
                r"SELECT regexp_replace(s, '(b)', '[\&]\\&', 'g') FROM t",
                rewrite_function_forms
            ),
            r"SELECT regexp_replace(s, '(b)', '[\0]\\&', 'g') FROM t"
        );
    }

    #[test]
    fn any_of_an_array_that_may_hold_null_is_three_valued() {
        let kept = "SELECT array_contains(ARRAY[1, -2], x) FROM t";
        assert_eq!(rewritten(kept, rewrite_function_forms), kept);
        assert_eq!(
            rewritten(
                "SELECT array_contains(ARRAY[1, NULL], 5)",
                rewrite_function_forms
            ),
            "SELECT (CASE WHEN array_has(ARRAY[1, NULL], 5) THEN true WHEN (5) IS NULL OR \
             (ARRAY[1, NULL]) IS NULL OR array_position(ARRAY[1, NULL], NULL) IS NOT NULL \
             THEN NULL ELSE false END)"
        );
    }
}
