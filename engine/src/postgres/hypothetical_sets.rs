//! Postgres' hypothetical-set aggregates, which DataFusion lacks: `rank(v) WITHIN GROUP (ORDER BY
//! x)` is the rank the row `v` would have among the group's rows in that order, and `dense_rank`,
//! `percent_rank` and `cume_dist` likewise. Each is written as counts of the rows that would come
//! before `v` (or be its peers) in the order, nulls placed as the order places them:
//!
//! - `rank` is `1 + count(*) FILTER (WHERE x precedes v)`;
//! - `dense_rank` is 1 plus the distinct values that precede `v` (the NULLs one more), of one
//!   sort key;
//! - `percent_rank` is the rows that precede `v` over the rows in the group (0 with none);
//! - `cume_dist` is the rows that precede `v` or are its peers, plus `v`'s own, over the rows plus
//!   one.
//!
//! The window functions of the same names (`rank() OVER (…)`) are untouched.

use datafusion::sql::sqlparser::ast::{Expr, Function, FunctionArguments, OrderByExpr, Statement};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites `statement`'s hypothetical-set aggregates into counts.
pub(crate) fn rewrite_hypothetical_sets(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Function(call) = expr else {
            return;
        };
        if let Some(replacement) = hypothetical(call).and_then(|sql| parse_expr(&sql)) {
            *expr = replacement;
        }
    })
}

/// The counts that answer `call` when it is a hypothetical-set aggregate, as SQL.
fn hypothetical(call: &Function) -> Option<String> {
    if call.within_group.is_empty() || call.over.is_some() || call.filter.is_some() {
        return None;
    }
    let name = call.name.to_string().to_ascii_lowercase();
    if !["rank", "dense_rank", "percent_rank", "cume_dist"].contains(&name.as_str()) {
        return None;
    }
    let FunctionArguments::List(list) = &call.args else {
        return None;
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
        return None;
    }
    let values = super::from_functions::unnamed_arguments(&list.args)?;
    // Postgres asks for as many values as sort keys; a mismatch is left to fail as it does.
    if values.len() != call.within_group.len() {
        return None;
    }
    let keys: Vec<(&OrderByExpr, &Expr)> = call.within_group.iter().zip(values).collect();
    let precedes = precedes(&keys);
    Some(match name.as_str() {
        "rank" => format!("(1 + count(*) FILTER (WHERE {precedes}))"),
        // Distinct values that precede, the NULLs as one more; of one key only.
        "dense_rank" => {
            let [(key, _)] = keys.as_slice() else {
                return None;
            };
            let x = &key.expr;
            format!(
                "(1 + count(DISTINCT {x}) FILTER (WHERE {precedes}) + \
                 coalesce(max(CASE WHEN ({x}) IS NULL THEN 1 ELSE 0 END) FILTER (WHERE {precedes}), 0))"
            )
        }
        "percent_rank" => format!(
            "CASE WHEN count(*) = 0 THEN 0::float8 ELSE \
             (count(*) FILTER (WHERE {precedes}))::float8 / count(*) END"
        ),
        _ => format!(
            "((count(*) FILTER (WHERE ({precedes}) OR ({})) + 1)::float8 / (count(*) + 1))",
            peers(&keys)
        ),
    })
}

/// Whether a row comes before the hypothetical one: on the first key where they are not peers,
/// the row's value sorts first.
fn precedes(keys: &[(&OrderByExpr, &Expr)]) -> String {
    let terms: Vec<String> = (0..keys.len())
        .map(|i| {
            let mut term = peers(&keys[..i]);
            let before = sorts_before(keys[i].0, keys[i].1);
            term = match term.is_empty() {
                true => before,
                false => format!("{term} AND {before}"),
            };
            format!("({term})")
        })
        .collect();
    format!("({})", terms.join(" OR "))
}

/// Whether a row is a peer of the hypothetical one on each of `keys` (empty for none).
fn peers(keys: &[(&OrderByExpr, &Expr)]) -> String {
    keys.iter()
        .map(|(key, value)| format!("({} IS NOT DISTINCT FROM ({value}))", key.expr))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Whether the row's value of `key` sorts before `value`, NULLs where the order puts them (last
/// ascending, first descending, unless said).
fn sorts_before(key: &OrderByExpr, value: &Expr) -> String {
    let descending = key.options.asc == Some(false);
    let nulls_first = key.options.nulls_first.unwrap_or(descending);
    let x = &key.expr;
    let compare = if descending { ">" } else { "<" };
    format!(
        "CASE WHEN ({x}) IS NULL THEN {nulls_first} AND ({value}) IS NOT NULL \
         WHEN ({value}) IS NULL THEN {} ELSE ({x}) {compare} ({value}) END",
        !nulls_first
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn window_ranks_are_left_alone() {
        let sql = "SELECT rank() OVER (ORDER BY x) FROM t";
        assert_eq!(rewritten(sql, rewrite_hypothetical_sets), sql);
    }

    #[test]
    fn a_hypothetical_rank_counts_the_rows_before() {
        let sql = rewritten(
            "SELECT rank(3) WITHIN GROUP (ORDER BY x DESC) FROM t",
            rewrite_hypothetical_sets,
        );
        assert!(sql.contains("1 + count(*) FILTER (WHERE"), "{sql}");
        assert!(sql.contains("(x) > (3)"), "{sql}");
    }
}
