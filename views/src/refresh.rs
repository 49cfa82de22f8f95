//! Refreshes: a view's query run into a new folder of Parquet files under the view's root, then
//! one catalog commit that makes that folder the view's current version. Readers plan against the
//! version current when they start, so they see the old version or the new one, never a mix. A
//! refresh that fails or dies leaves the current version alone; its folder is removed by a later
//! clean-up, as are old versions once the current one has been current for the grace period.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::common::Column;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::logical_expr::Expr;
use futures::TryStreamExt;
use hangar_catalog::{
    Change, RefreshRun, RelationKind, RunStatus, Trigger, ViewDefinition, ViewVersion,
};
use hangar_engine::{Engine, Result, Session};

use crate::cleanup::{remove_old_versions, remove_prefix};
use crate::query::{partitions_last, plan_query};
use crate::versions::version_folder;

/// One lock per view, so a server runs at most one refresh of a view at a time.
#[derive(Debug, Default)]
pub(crate) struct RefreshLocks(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl RefreshLocks {
    fn of(&self, view: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.0.lock().expect("refresh locks");
        Arc::clone(locks.entry(view.to_string()).or_default())
    }
}

/// Refreshes a view: writes a new version and makes it current, recording the run. Returns the
/// finished run; a failed run is recorded and returned as the error.
pub(crate) async fn refresh(
    engine: &Engine,
    locks: &RefreshLocks,
    schema: &str,
    name: &str,
    trigger: Trigger,
    attempt: u32,
) -> Result<RefreshRun> {
    let qualified = format!("{schema}.{name}");
    let lock = locks.of(&qualified);
    let _one_at_a_time = lock.lock().await;

    let snapshot = engine.catalog().refresh().await?;
    let Some(entry) = snapshot.table(schema, name) else {
        return Err(hangar_catalog::Error::TableNotFound {
            schema: schema.to_string(),
            table: name.to_string(),
        }
        .into());
    };
    let Some(view) = entry.view.clone() else {
        return Err(hangar_catalog::Error::WrongKind {
            relation: qualified,
            found: RelationKind::Table,
            expected: RelationKind::MaterializedView,
        }
        .into());
    };
    let mut run = RefreshRun {
        id: uuid::Uuid::new_v4().simple().to_string(),
        view: qualified,
        version: view.version + 1,
        trigger,
        attempt,
        started_at: now(engine),
        finished_at: None,
        heartbeat_at: None,
        status: RunStatus::Running,
        rows: None,
        bytes: None,
        error: None,
    };
    let log = engine.catalog().refreshes();
    log.record(&run).await?;
    tracing::info!(view = %run.view, version = run.version, ?trigger, "refresh started");

    let location = format!("{}{}/", view.root, version_folder(run.version, &run.id));
    // A refresh reads with its owner's rights, whoever or whatever started it.
    let session = match &entry.acl.owner {
        Some(owner) => engine.session(owner)?,
        None => engine.internal_session()?,
    };
    let work = write_and_commit(
        &session,
        schema,
        name,
        &view,
        &location,
        run.version,
        run.started_at.clone(),
    );
    tokio::pin!(work);
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            _ = tokio::time::sleep(engine.config().refresh_heartbeat) => {
                run.heartbeat_at = Some(now(engine));
                if let Err(e) = log.record(&run).await {
                    tracing::warn!(view = %run.view, error = %e, "could not record a refresh's heartbeat");
                }
            }
        }
    };
    run.finished_at = Some(now(engine));
    match &outcome {
        Ok((rows, bytes)) => {
            run.status = RunStatus::Succeeded;
            run.rows = Some(*rows);
            run.bytes = Some(*bytes);
            tracing::info!(view = %run.view, version = run.version, rows, bytes, "refresh committed");
        }
        Err(e) => {
            run.status = RunStatus::Failed;
            run.error = Some(e.to_string());
            tracing::warn!(view = %run.view, version = run.version, error = %e, "refresh failed");
            remove_prefix(engine, &location).await;
        }
    }
    if let Err(e) = log.record(&run).await {
        tracing::warn!(view = %run.view, error = %e, "could not record the end of a refresh");
    }
    let (engine, root) = (engine.clone(), view.root.clone());
    tokio::spawn(async move { remove_old_versions(&engine, &root).await });
    outcome.map(|_| run)
}

/// Writes the view's query into `location` and commits it as version `version`; returns the rows
/// and bytes written.
async fn write_and_commit(
    session: &Session,
    schema: &str,
    name: &str,
    view: &ViewDefinition,
    location: &str,
    version: u64,
    started_at: String,
) -> Result<(u64, u64)> {
    let plan = plan_query(session, &view.query).await?;
    let output = plan.schema().as_arrow().clone();
    let sort_by = view
        .sort_by
        .iter()
        .map(|c| Expr::Column(Column::new_unqualified(c)).sort(true, false))
        .collect();
    let options = DataFrameWriteOptions::new()
        .with_partition_by(view.partition_by.clone())
        .with_sort_by(sort_by);
    let rows = session.write_parquet(plan, location, options).await?;
    let engine = session.engine();
    let bytes = prefix_size(&engine, location).await?;
    engine
        .catalog()
        .commit(&Change::SetViewVersion {
            schema: schema.to_string(),
            name: name.to_string(),
            version: ViewVersion {
                base_version: version - 1,
                root: view.root.clone(),
                version,
                location: location.to_string(),
                schema: partitions_last(output, &view.partition_by),
                refreshed_at: started_at,
            },
        })
        .await?;
    Ok((rows, bytes))
}

/// The engine clock's time, as the catalog and the refresh history record it.
pub(crate) fn now(engine: &Engine) -> String {
    engine
        .clock()
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn prefix_size(engine: &Engine, url: &str) -> Result<u64> {
    let warehouse = engine.stores().warehouse();
    let Some(prefix) = warehouse.path_of(url) else {
        return Ok(0);
    };
    let sizes: Vec<u64> = warehouse
        .store
        .list(Some(&prefix))
        .map_ok(|meta| meta.size)
        .try_collect()
        .await
        .map_err(hangar_storage::Error::from)?;
    Ok(sizes.iter().sum())
}
