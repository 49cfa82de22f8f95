//! Grouping sets that DataFusion does not take written as the list of sets they stand for, as
//! Postgres expands them: a `ROLLUP` or `CUBE` of composite elements (`ROLLUP (a, (b, c))` is
//! `GROUPING SETS ((a, b, c), (a), ())`), and `ROLLUP`, `CUBE` or `GROUPING SETS` nested in
//! `GROUPING SETS` (`GROUPING SETS (ROLLUP (a, b), CUBE (c))` is `GROUPING SETS ((a, b), (a), (),
//! (c), ())`). DataFusion refused both. A position inside a grouping set (`ROLLUP (1)`) is the
//! select list's item there, as in a plain `GROUP BY 1`; DataFusion took it for the number.
//! `GROUP BY DISTINCT` (marked by [`super::token_forms`]) lists the sets its elements combine
//! into, each once.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArguments, GroupByExpr, Query, SetExpr, Statement, Value, VisitMut, VisitorMut,
};

use super::token_forms::DISTINCT_SETS_MARK;
use crate::statement::{item_expr, rewrite_expressions};

/// Rewrites `statement`'s grouping sets that DataFusion does not take.
pub(crate) fn rewrite_grouping_sets(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Positions);
    rewrite_expressions(statement, |expr| {
        let unsupported = match &*expr {
            Expr::Rollup(groups) | Expr::Cube(groups) => groups.iter().any(|g| g.len() > 1),
            Expr::GroupingSets(sets) => sets.iter().flatten().any(is_grouping),
            _ => false,
        };
        if unsupported {
            *expr = Expr::GroupingSets(sets_of(expr));
        }
    })
}

/// Puts the select list's items in place of the positions inside grouping sets.
struct Positions;

impl VisitorMut for Positions {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let GroupByExpr::Expressions(groups, _) = &mut select.group_by else {
            return ControlFlow::Continue(());
        };
        let items: Vec<Option<Expr>> = select
            .projection
            .iter()
            .map(|item| item_expr(item).cloned())
            .collect();
        let item_at = |expr: &mut Expr| {
            if let Expr::Value(v) = expr
                && let Value::Number(n, _) = &v.value
                && let Ok(position) = n.parse::<usize>()
                && let Some(Some(item)) = position.checked_sub(1).and_then(|i| items.get(i))
            {
                *expr = item.clone();
            }
        };
        let distinct = groups.iter().position(is_distinct_mark);
        for group in groups.iter_mut() {
            match group {
                Expr::Rollup(sets) | Expr::Cube(sets) => {
                    sets.iter_mut().flatten().for_each(item_at);
                }
                Expr::GroupingSets(sets) => sets.iter_mut().flatten().for_each(item_at),
                // A plain position too, since it goes into the sets.
                plain if distinct.is_some() => item_at(plain),
                _ => {}
            }
        }
        if let Some(mark) = distinct {
            groups.remove(mark);
            *groups = vec![Expr::GroupingSets(distinct_sets(std::mem::take(groups)))];
        }
        ControlFlow::Continue(())
    }
}

/// Whether `expr` is the mark of a `GROUP BY DISTINCT` ([`DISTINCT_SETS_MARK`]).
fn is_distinct_mark(expr: &Expr) -> bool {
    matches!(expr, Expr::Function(call)
        if call.name.to_string().eq_ignore_ascii_case(DISTINCT_SETS_MARK))
}

/// The grouping sets that `groups` of a `GROUP BY DISTINCT` combine into, each once, as Postgres
/// takes them: a set's repeated elements once, and sets of the same elements the same.
fn distinct_sets(groups: Vec<Expr>) -> Vec<Vec<Expr>> {
    let mut seen = HashSet::new();
    sets_of(&Expr::GroupingSets(vec![groups]))
        .into_iter()
        .filter_map(|set| {
            let mut elements: Vec<Expr> = Vec::new();
            for expr in set {
                if !elements.contains(&expr) {
                    elements.push(expr);
                }
            }
            let mut key: Vec<String> = elements.iter().map(ToString::to_string).collect();
            key.sort();
            seen.insert(key).then_some(elements)
        })
        .collect()
}

/// Whether `expr` is itself a `ROLLUP`, `CUBE` or `GROUPING SETS`.
fn is_grouping(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Rollup(_) | Expr::Cube(_) | Expr::GroupingSets(_)
    ) || called_grouping(expr).is_some()
}

/// A `ROLLUP (…)` or `CUBE (…)` that the parser read as a call of a function (as it reads them
/// inside `GROUPING SETS`), as the expression it is.
fn called_grouping(expr: &Expr) -> Option<Expr> {
    let Expr::Function(call) = expr else {
        return None;
    };
    let args = super::from_functions::unnamed_arguments(match &call.args {
        FunctionArguments::List(list) => &list.args,
        _ => return None,
    })?;
    let groups = args
        .into_iter()
        .map(|a| match a {
            Expr::Tuple(items) => items.clone(),
            other => vec![other.clone()],
        })
        .collect();
    match super::from_functions::function_name(&call.name)?
        .to_ascii_lowercase()
        .as_str()
    {
        "rollup" => Some(Expr::Rollup(groups)),
        "cube" => Some(Expr::Cube(groups)),
        _ => None,
    }
}

/// The grouping sets `expr` stands for: a plain expression, the one set of it.
fn sets_of(expr: &Expr) -> Vec<Vec<Expr>> {
    match expr {
        Expr::Rollup(groups) => (0..=groups.len())
            .rev()
            .map(|k| groups[..k].concat())
            .collect(),
        Expr::Cube(groups) => (0..1usize << groups.len())
            .rev()
            .map(|mask| {
                let chosen = groups
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (groups.len() - 1 - i)) != 0);
                chosen.flat_map(|(_, g)| g.clone()).collect()
            })
            .collect(),
        Expr::GroupingSets(sets) => sets
            .iter()
            .flat_map(|set| {
                // A set's elements combine: each of one's sets with each of the next's.
                set.iter().fold(vec![Vec::new()], |combined, element| {
                    let element_sets = sets_of(element);
                    combined
                        .iter()
                        .flat_map(|c| {
                            element_sets
                                .iter()
                                .map(move |s| [c.clone(), s.clone()].concat())
                        })
                        .collect()
                })
            })
            .collect(),
        other => match called_grouping(other) {
            Some(grouping) => sets_of(&grouping),
            None => vec![vec![other.clone()]],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn composite_and_nested_sets_are_listed() {
        assert_eq!(
            rewritten(
                "SELECT 1 FROM t GROUP BY ROLLUP (a, (b, c))",
                rewrite_grouping_sets
            ),
            "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b, c), (a), ())"
        );
        assert_eq!(
            rewritten(
                "SELECT 1 FROM t GROUP BY GROUPING SETS (ROLLUP (a, b), CUBE (c))",
                rewrite_grouping_sets
            ),
            "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), (a), (), (c), ())"
        );
        let plain = "SELECT 1 FROM t GROUP BY ROLLUP (a, b)";
        assert_eq!(rewritten(plain, rewrite_grouping_sets), plain);
    }

    #[test]
    fn distinct_grouping_lists_each_set_once() {
        assert_eq!(
            rewritten(
                "SELECT a, b FROM t GROUP BY hangar_distinct_sets(), ROLLUP (a, b), ROLLUP (1)",
                rewrite_grouping_sets
            ),
            "SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), ())"
        );
    }

    #[test]
    fn positions_in_sets_are_the_select_lists_items() {
        assert_eq!(
            rewritten(
                "SELECT a, b + 1 AS c, count(*) FROM t GROUP BY ROLLUP (1, 2), GROUPING SETS ((2), ())",
                rewrite_grouping_sets
            ),
            "SELECT a, b + 1 AS c, count(*) FROM t GROUP BY ROLLUP (a, b + 1), GROUPING SETS ((b + 1), ())"
        );
    }
}
