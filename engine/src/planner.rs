//! The one way in to planning: every SQL statement the engine plans (a client's query or command,
//! a cursor's or a `COPY`'s query, a Flight SQL prepared statement, a materialized view's query at
//! creation and at each refresh) becomes a plan here, after the same Postgres rewrites
//! ([`crate::postgres::Dialect`]) and with the same fallbacks, so that a query psql can run also
//! refreshes as a view.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchemaRef, TableReference};
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;
use datafusion::optimizer::analyzer::type_coercion::TypeCoercion;
use datafusion::sql::parser::Statement as DfStatement;
use hangar_catalog::Error as CatalogError;

use crate::postgres::duplicate_names::{
    alias_columns, is_duplicate_names, may_share_names, restore_names,
};
use crate::postgres::scalar_subquery::{
    has_correlated_catalog_subquery, null_correlated_catalog_subqueries,
};
use crate::{DATABASE, Error, Result};

/// Plans a parsed and rewritten statement in a session's state. Where DataFusion refuses what
/// Postgres accepts only once it plans, the statement is planned again in a form it takes:
/// result columns that share a name are aliased and named back, and correlated subqueries over
/// always-empty catalog tables that DataFusion cannot decorrelate become NULL. A statement that
/// names a missing table or schema fails with the catalog's own error.
pub(crate) async fn plan(state: &SessionState, statement: DfStatement) -> Result<LogicalPlan> {
    if let DfStatement::Statement(s) = &statement {
        crate::postgres::check_table_names(s)?;
        crate::postgres::check_supported(s)?;
    }
    // The relations it names, for a typed error if one is missing: DataFusion reports that as text.
    let references = state
        .resolve_table_references(&statement)
        .unwrap_or_default();
    // Kept to word DataFusion's planning errors as Postgres does (the argument types of a missing
    // function are in the text only).
    let written = match &statement {
        DfStatement::Statement(s) => Some(s.clone()),
        _ => None,
    };
    // Kept for the fallbacks only when there may be something to fall back from.
    let original = match &statement {
        DfStatement::Statement(s) if has_correlated_catalog_subquery(s) || may_share_names(s) => {
            Some((**s).clone())
        }
        _ => None,
    };
    let mut plan = match state.statement_to_plan(statement).await {
        Ok(plan) => plan,
        Err(error) if is_duplicate_names(&error) => {
            let Some((aliased, aliases)) = original.clone().and_then(alias_columns) else {
                return Err(error.into());
            };
            let aliased = DfStatement::Statement(Box::new(aliased));
            restore_names(state.statement_to_plan(aliased).await?, &aliases)?
        }
        Err(error) => {
            let explained = written.and_then(|s| crate::postgres::explain_plan_error(&s, &error));
            return Err(missing_relation(state, references)
                .or(explained)
                .unwrap_or(error.into()));
        }
    };
    if let Some(s) = original
        && has_correlated_catalog_subquery(&s)
        && !decorrelates(state, &plan)
    {
        let fallback = DfStatement::Statement(Box::new(null_correlated_catalog_subqueries(s)));
        plan = state.statement_to_plan(fallback).await?;
    }
    crate::postgres::check_common_types(&plan)?;
    Ok(crate::postgres::typed_as_postgres(
        plan,
        state.config_options(),
    )?)
}

/// The schema of the rows `plan` gives once DataFusion's analyzer has coerced its types, which is
/// what it runs as: a plan as planned types a `CASE` by its first branch and a `UNION` by its first
/// input (`CASE WHEN c THEN 1 ELSE 2::bigint END` is a `bigint`, not an `integer`). A plan the
/// analyzer cannot coerce (one with parameters of unknown types) keeps its planned schema.
pub(crate) fn coerced_schema(plan: &LogicalPlan) -> DFSchemaRef {
    match TypeCoercion::new().analyze(plan.clone(), &ConfigOptions::default()) {
        Ok(coerced) => Arc::clone(coerced.schema()),
        Err(_) => Arc::clone(plan.schema()),
    }
}

/// The error for the first of `references` that names a schema or table that does not exist in
/// Hangar's database, if one does: a missing table, or a table of a missing schema, named as the
/// statement names it, as Postgres does (`relation "nations" does not exist`).
fn missing_relation(state: &SessionState, references: Vec<TableReference>) -> Option<Error> {
    let defaults = &state.config().options().catalog;
    references.into_iter().find_map(|reference| {
        // `generate_series(…)` in `FROM` is a function, not a relation.
        if reference.schema().is_none() && state.table_functions().contains_key(reference.table()) {
            return None;
        }
        let written_schema = reference.schema().map(str::to_string);
        let resolved = reference.resolve(&defaults.default_catalog, &defaults.default_schema);
        if *resolved.catalog != *DATABASE {
            return None; // another database: DataFusion's own error says so
        }
        let (schema, table) = (resolved.schema.to_string(), resolved.table.to_string());
        let written = match &written_schema {
            Some(schema) => format!("{schema}.{table}"),
            None => table.clone(),
        };
        match state.schema_for_ref(resolved) {
            // Postgres looks the relation up in the schema, and names it as written.
            Err(_) if written_schema.is_some() => Some(Error::UndefinedRelation(written)),
            Err(_) => Some(CatalogError::SchemaNotFound(schema).into()),
            Ok(provider) if !provider.table_exist(&table) => {
                Some(Error::UndefinedRelation(written))
            }
            Ok(_) => None,
        }
    })
}

/// Whether DataFusion's optimizer turns every correlated scalar subquery of `plan` into a join; the
/// physical planner refuses the ones it leaves. Only plans with such a subquery are optimized
/// here, and one the optimizer fails on counts as decorrelated: running it reports that error.
fn decorrelates(state: &SessionState, plan: &LogicalPlan) -> bool {
    let correlated = |plan: &LogicalPlan| {
        let mut found = false;
        let _ = plan.apply_with_subqueries(|node| {
            for expr in node.expressions() {
                found |= expr
                    .exists(|e| {
                        Ok(matches!(e, Expr::ScalarSubquery(s) if !s.outer_ref_columns.is_empty()))
                    })
                    .unwrap_or(false);
            }
            Ok(if found {
                TreeNodeRecursion::Stop
            } else {
                TreeNodeRecursion::Continue
            })
        });
        found
    };
    !correlated(plan)
        || state
            .optimize(plan)
            .is_ok_and(|optimized| !correlated(&optimized))
}
