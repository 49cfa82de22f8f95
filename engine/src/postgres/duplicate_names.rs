//! Result columns that share a name, as Postgres allows: `SELECT 1, 1`, `SELECT n_name, n_name`,
//! `SELECT x AS a, y AS a`, `SELECT session_user, session_user`.
//! DataFusion refuses a projection whose expressions share a name. A statement it refused so is
//! planned again with its select list aliased by position (`hangar_column_1`, …), and a last
//! projection gives each column back the name it would have had: the same name more than once,
//! each under a qualifier of its own (DataFusion keeps qualified names apart; clients see only the
//! name).

use std::collections::{HashMap, HashSet};

use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{Result as DfResult, TableReference};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
use datafusion::sql::sqlparser::ast::{
    Expr as SqlExpr, Ident, Query, SelectItem, SetExpr, Statement,
};

/// The aliases Hangar gives the columns, followed by their position.
const PREFIX: &str = "hangar_column_";

/// Whether `error` is DataFusion's refusal of a select list whose columns share a name.
pub(crate) fn is_duplicate_names(error: &DataFusionError) -> bool {
    error
        .to_string()
        .contains("Projections require unique expression names")
}

/// Whether the outermost select list of `statement` may have columns that share a name: two of
/// its items read alike by alias, last name part or text. Says when a statement is worth keeping
/// for [`alias_columns`].
pub(crate) fn may_share_names(statement: &Statement) -> bool {
    let Some(items) = select_items(statement) else {
        return false;
    };
    let mut seen = HashSet::new();
    items
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(normalized(alias)),
            SelectItem::UnnamedExpr(SqlExpr::Identifier(ident)) => Some(normalized(ident)),
            SelectItem::UnnamedExpr(SqlExpr::CompoundIdentifier(parts)) => {
                parts.last().map(normalized)
            }
            SelectItem::UnnamedExpr(expr) => Some(expr.to_string().to_lowercase()),
            _ => None,
        })
        .any(|name| !seen.insert(name))
}

/// `statement` with each item of its outermost select list aliased by position, and the names
/// its own aliases gave (`None` for an unaliased item); `None` when the select list is not a
/// plain one or has a wildcard.
pub(crate) fn alias_columns(mut statement: Statement) -> Option<(Statement, Vec<Option<String>>)> {
    let Statement::Query(query) = &mut statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let mut aliases = Vec::new();
    for (i, item) in select.projection.iter_mut().enumerate() {
        let (expr, alias) = match std::mem::replace(item, SelectItem::Wildcard(Default::default()))
        {
            SelectItem::UnnamedExpr(expr) => (expr, None),
            SelectItem::ExprWithAlias { expr, alias } => (expr, Some(normalized(&alias))),
            _ => return None,
        };
        aliases.push(alias);
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: Ident::new(format!("{PREFIX}{}", i + 1)),
        };
    }
    Some((statement, aliases))
}

/// The plan of [`alias_columns`]' statement, with each column named as it would have been:
/// by `aliases` where the statement had one, else as DataFusion names the expression.
pub(crate) fn restore_names(
    plan: LogicalPlan,
    aliases: &[Option<String>],
) -> DfResult<LogicalPlan> {
    let mut planned_names = HashMap::new();
    plan.apply(|node| {
        if let LogicalPlan::Projection(projection) = node {
            for expr in &projection.expr {
                if let Expr::Alias(alias) = expr
                    && alias.name.starts_with(PREFIX)
                {
                    let name = match alias.expr.as_ref() {
                        Expr::Column(column) => column.name.clone(),
                        other => other.schema_name().to_string(),
                    };
                    planned_names.insert(alias.name.clone(), name);
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    let columns: Vec<Expr> = plan
        .schema()
        .columns()
        .into_iter()
        .enumerate()
        .map(|(i, column)| {
            let name = aliases
                .get(i)
                .cloned()
                .flatten()
                .or_else(|| planned_names.get(&column.name).cloned())
                .unwrap_or_else(|| column.name.clone());
            Expr::Column(column)
                .alias_qualified(Some(TableReference::bare((i + 1).to_string())), name)
        })
        .collect();
    LogicalPlanBuilder::from(plan).project(columns)?.build()
}

/// The outermost select list of a query statement.
fn select_items(statement: &Statement) -> Option<&[SelectItem]> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let Query { body, .. } = query.as_ref();
    match body.as_ref() {
        SetExpr::Select(select) => Some(&select.projection),
        _ => None,
    }
}

/// An identifier as the SQL planner reads it: unquoted ones lower-cased.
fn normalized(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    #[test]
    fn select_lists_that_may_share_names() {
        for (sql, may) in [
            ("SELECT 1, 1", true),
            ("SELECT n.n_name, n_name FROM n", true),
            ("SELECT a AS x, b AS X FROM t", true),
            ("SELECT a, b, count(*) FROM t", false),
            ("SELECT *, a FROM t", false),
        ] {
            assert_eq!(may_share_names(&parse_statement(sql)), may, "{sql}");
        }
    }

    #[test]
    fn columns_are_aliased_by_position() {
        let (statement, aliases) =
            alias_columns(parse_statement("SELECT a, b AS Total FROM t ORDER BY 1")).unwrap();
        assert_eq!(
            statement.to_string(),
            "SELECT a AS hangar_column_1, b AS hangar_column_2 FROM t ORDER BY 1"
        );
        assert_eq!(aliases, [None, Some("total".to_string())]);
        assert!(alias_columns(parse_statement("SELECT *, a FROM t")).is_none());
    }

    #[test]
    fn the_fallback_is_for_refused_names_only() {
        let refused =
            DataFusionError::Plan("Projections require unique expression names but …".to_string());
        assert!(is_duplicate_names(&refused));
        assert!(!is_duplicate_names(&DataFusionError::Plan("other".into())));
    }
}
