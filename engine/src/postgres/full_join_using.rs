//! The columns of `a FULL JOIN b USING (k)` as Postgres reads them: an unqualified `k` is the
//! merged column, `COALESCE(a.k, b.k)`, so a row found only on the right still has its key.
//! DataFusion read `k` as the left side's, NULL for those rows. Each unqualified reference to a
//! `USING` column of a full join in the select list, `WHERE`, `GROUP BY` and `HAVING` becomes the
//! `COALESCE` of the two sides' columns (a bare one in the select list keeps its name), and `*`
//! over such a join alone lists the merged columns first, then each side's others; the sides
//! must be tables or aliased subqueries, whose names qualify their columns.

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, ObjectName, Select,
    SelectItem, SelectItemQualifiedWildcardKind, Statement, TableFactor, VisitMut, VisitorMut,
    WildcardAdditionalOptions, visit_expressions_mut,
};

use crate::statement::parse_expr;

/// Rewrites the references to the merged columns of each full join with `USING` in `statement`.
pub(crate) fn rewrite_full_join_using(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut Rewrite);
    statement
}

struct Rewrite;

impl VisitorMut for Rewrite {
    type Break = ();

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        let (merged, star) = merged_columns(select);
        if merged.is_empty() {
            return ControlFlow::Continue(());
        }
        if let Some(star) = star
            && let Some(at) = select
                .projection
                .iter()
                .position(|item| matches!(item, SelectItem::Wildcard(_)))
        {
            select.projection.splice(at..=at, star);
        }
        let mut replace = |expr: &mut Expr| {
            if let Expr::Identifier(ident) = expr
                && let Some(coalesce) = merged.get(&ident.value.to_lowercase())
            {
                *expr = coalesce.clone();
            }
            ControlFlow::<()>::Continue(())
        };
        for item in &mut select.projection {
            match item {
                SelectItem::UnnamedExpr(Expr::Identifier(ident))
                    if merged.contains_key(&ident.value.to_lowercase()) =>
                {
                    let alias = ident.clone();
                    let expr = merged[&ident.value.to_lowercase()].clone();
                    *item = SelectItem::ExprWithAlias { expr, alias };
                }
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let _ = visit_expressions_mut(e, &mut replace);
                }
                _ => {}
            }
        }
        if let Some(selection) = &mut select.selection {
            let _ = visit_expressions_mut(selection, &mut replace);
        }
        if let GroupByExpr::Expressions(expressions, _) = &mut select.group_by {
            for e in expressions {
                let _ = visit_expressions_mut(e, &mut replace);
            }
        }
        if let Some(having) = &mut select.having {
            let _ = visit_expressions_mut(having, &mut replace);
        }
        ControlFlow::Continue(())
    }
}

/// The merged columns of the select's full joins with `USING`, by lower-cased name, each as the
/// `COALESCE` of the two sides' columns; and, when the select reads one such join alone, what its
/// `*` means: the merged columns, then each side's others.
fn merged_columns(select: &Select) -> (HashMap<String, Expr>, Option<Vec<SelectItem>>) {
    let mut merged = HashMap::new();
    let mut star = None;
    for table in &select.from {
        let mut left = name_of(&table.relation);
        for join in &table.joins {
            let right = name_of(&join.relation);
            if let (JoinOperator::FullOuter(JoinConstraint::Using(columns)), Some(l), Some(r)) =
                (&join.join_operator, &left, &right)
            {
                let mut items = Vec::new();
                for column in columns {
                    let name = column.to_string();
                    let Some(coalesce) = parse_expr(&format!("COALESCE({l}.{name}, {r}.{name})"))
                    else {
                        continue;
                    };
                    if let Some(alias) = column.0.last().and_then(|part| part.as_ident()) {
                        items.push(SelectItem::ExprWithAlias {
                            expr: coalesce.clone(),
                            alias: alias.clone(),
                        });
                    }
                    merged.insert(name.trim_matches('"').to_lowercase(), coalesce);
                }
                for side in [l, r] {
                    items.push(SelectItem::QualifiedWildcard(
                        SelectItemQualifiedWildcardKind::ObjectName(ObjectName::from(vec![
                            side.clone(),
                        ])),
                        WildcardAdditionalOptions {
                            opt_exclude: Some(ExcludeSelectItem::Multiple(columns.clone())),
                            ..Default::default()
                        },
                    ));
                }
                if select.from.len() == 1 && table.joins.len() == 1 {
                    star = Some(items);
                }
            }
            // A side made of several joins has no one name.
            left = None;
        }
    }
    (merged, star)
}

/// The name a `FROM` item's columns are qualified by: its alias, else its table's name.
fn name_of(factor: &TableFactor) -> Option<Ident> {
    match factor {
        TableFactor::Table {
            alias: Some(alias), ..
        }
        | TableFactor::Derived {
            alias: Some(alias), ..
        } => Some(alias.name.clone()),
        TableFactor::Table {
            name, alias: None, ..
        } => name.0.last()?.as_ident().cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn merged_columns_coalesce_both_sides() {
        assert_eq!(
            rewritten(
                "SELECT k, a.v, k + 1 AS next FROM a FULL JOIN b USING (k) WHERE k > 0",
                rewrite_full_join_using
            ),
            "SELECT COALESCE(a.k, b.k) AS k, a.v, COALESCE(a.k, b.k) + 1 AS next \
             FROM a FULL JOIN b USING(k) WHERE COALESCE(a.k, b.k) > 0"
        );
    }

    #[test]
    fn a_star_lists_the_merged_columns_first() {
        assert_eq!(
            rewritten(
                "SELECT * FROM a FULL JOIN b USING (k)",
                rewrite_full_join_using
            ),
            "SELECT COALESCE(a.k, b.k) AS k, a.* EXCLUDE (k), b.* EXCLUDE (k) \
             FROM a FULL JOIN b USING(k)"
        );
    }

    #[test]
    fn other_joins_stay() {
        let sql = "SELECT k FROM a LEFT JOIN b USING(k)";
        assert_eq!(rewritten(sql, rewrite_full_join_using), sql);
    }
}
