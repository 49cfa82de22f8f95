//! A view's query: planned in a session through the engine's one way in to planning, as psql's
//! query would be, and the schema its versions are written with.

use std::collections::HashSet;

use datafusion::arrow::datatypes::Schema;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use datafusion::logical_expr::LogicalPlan;
use hangar_engine::{Error, Result, Session};

/// Plans a view's query in `session`.
pub(crate) async fn plan_query(session: &Session, query: &str) -> Result<LogicalPlan> {
    let mut statements = session.parse(query)?;
    let (1, Some(statement)) = (statements.len(), statements.pop()) else {
        return Err(Error::InvalidParameter(
            "a materialized view is defined by exactly one query".into(),
        ));
    };
    if !statement.is_query() {
        return Err(Error::InvalidParameter(
            "a materialized view is defined by a SELECT query".into(),
        ));
    }
    let plan = session.plan_logical(statement).await?;
    // Postgres refuses a view whose columns share a name (`SELECT sum(a), sum(b)`): its table could
    // not tell them apart.
    let mut names = HashSet::new();
    if let Some(field) = plan
        .schema()
        .fields()
        .iter()
        .find(|f| !names.insert(f.name()))
    {
        return Err(Error::DataFusion(DataFusionError::SchemaError(
            Box::new(SchemaError::DuplicateUnqualifiedField {
                name: field.name().clone(),
            }),
            Box::new(None),
        )));
    }
    Ok(plan)
}

/// The schema with the partition columns moved last, as listing tables expect them.
pub(crate) fn partitions_last(schema: Schema, partition_by: &[String]) -> Schema {
    let (partitions, files): (Vec<_>, Vec<_>) = schema
        .fields()
        .iter()
        .cloned()
        .partition(|f| partition_by.contains(f.name()));
    let partitions = partition_by
        .iter()
        .filter_map(|name| partitions.iter().find(|f| f.name() == name).cloned());
    Schema::new(files.into_iter().chain(partitions).collect::<Vec<_>>())
}
