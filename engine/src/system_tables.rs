//! The `hangar` schema: system tables over state Hangar keeps in the warehouse, read when a query
//! scans them, so both protocols and every server see the same rows.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::{MemorySchemaProvider, SchemaProvider, Session as DfSession};
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::prelude::SessionContext;
use hangar_catalog::{Catalog, RefreshRun, RunStatus, Trigger};

use crate::clock::Clock;
use crate::computed_table::{ComputedRows, ComputedTable};
use crate::{DATABASE, Error, Result};

/// Name of the schema of system tables.
pub(crate) const SYSTEM_SCHEMA: &str = "hangar";

/// Registers the `hangar` schema in a session: tables over `catalog`, whose refresh runs are
/// read as interrupted by `clock` once their `heartbeat` has stopped.
pub(crate) fn register(
    ctx: &SessionContext,
    catalog: &Arc<Catalog>,
    clock: &Arc<dyn Clock>,
    heartbeat: Duration,
) -> Result<()> {
    let schema = MemorySchemaProvider::new();
    schema.register_table(
        "refreshes".into(),
        Arc::new(ComputedTable(Refreshes {
            catalog: Arc::clone(catalog),
            clock: Arc::clone(clock),
            heartbeat,
        })),
    )?;
    let catalog = ctx
        .catalog(DATABASE)
        .ok_or_else(|| Error::NotSupported(format!("no catalog {DATABASE}")))?;
    catalog.register_schema(SYSTEM_SCHEMA, Arc::new(schema))?;
    Ok(())
}

/// `hangar.refreshes`: one row per materialized-view refresh run.
#[derive(Debug)]
struct Refreshes {
    catalog: Arc<Catalog>,
    clock: Arc<dyn Clock>,
    /// How often a running refresh records that it is alive.
    heartbeat: Duration,
}

fn refreshes_schema() -> SchemaRef {
    let timestamp = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("view", DataType::Utf8, false),
        Field::new("version", DataType::Int64, false),
        Field::new("trigger", DataType::Utf8, false),
        Field::new("attempt", DataType::UInt32, false),
        Field::new("started_at", timestamp.clone(), false),
        Field::new("finished_at", timestamp, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("rows", DataType::Int64, true),
        Field::new("bytes", DataType::Int64, true),
        Field::new("error", DataType::Utf8, true),
        Field::new("run_id", DataType::Utf8, false),
    ]))
}

fn millis(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// How a run's status reads: a run still marked running whose heartbeat stopped more than three
/// heartbeats ago was interrupted (its server died).
fn status_name(run: &RefreshRun, refreshes: &Refreshes) -> &'static str {
    match run.status {
        RunStatus::Running => {
            let last_sign = run.heartbeat_at.as_deref().unwrap_or(&run.started_at);
            let silent = millis(last_sign).map(|t| refreshes.clock.now().timestamp_millis() - t);
            let stale = 3 * refreshes.heartbeat.as_millis() as i64;
            if silent.is_some_and(|silent| silent > stale) {
                "interrupted"
            } else {
                "running"
            }
        }
        RunStatus::Succeeded => "succeeded",
        RunStatus::Failed => "failed",
    }
}

fn refreshes_batch(runs: &[RefreshRun], refreshes: &Refreshes) -> DfResult<RecordBatch> {
    let strings = |f: &dyn Fn(&RefreshRun) -> Option<String>| -> ArrayRef {
        Arc::new(runs.iter().map(f).collect::<StringArray>())
    };
    let ints = |f: &dyn Fn(&RefreshRun) -> Option<i64>| -> ArrayRef {
        Arc::new(runs.iter().map(f).collect::<Int64Array>())
    };
    let times = |f: &dyn Fn(&RefreshRun) -> Option<i64>| -> ArrayRef {
        Arc::new(
            runs.iter()
                .map(f)
                .collect::<TimestampMillisecondArray>()
                .with_timezone("UTC"),
        )
    };
    let columns = vec![
        strings(&|r| Some(r.view.clone())),
        ints(&|r| Some(r.version as i64)),
        strings(&|r| Some(trigger_name(r.trigger).to_string())),
        Arc::new(runs.iter().map(|r| r.attempt).collect::<UInt32Array>()) as ArrayRef,
        times(&|r| millis(&r.started_at).or(Some(0))),
        times(&|r| r.finished_at.as_deref().and_then(millis)),
        strings(&|r| Some(status_name(r, refreshes).to_string())),
        ints(&|r| r.rows.map(|n| n as i64)),
        ints(&|r| r.bytes.map(|n| n as i64)),
        strings(&|r| r.error.clone()),
        strings(&|r| Some(r.id.clone())),
    ];
    Ok(RecordBatch::try_new(refreshes_schema(), columns)?)
}

fn trigger_name(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Creation => "creation",
        Trigger::Manual => "manual",
        Trigger::Schedule => "schedule",
        Trigger::Dependency => "dependency",
    }
}

#[async_trait]
impl ComputedRows for Refreshes {
    fn schema(&self) -> SchemaRef {
        refreshes_schema()
    }

    async fn rows(&self, _state: &dyn DfSession) -> DfResult<RecordBatch> {
        let runs = self
            .catalog
            .refreshes()
            .list()
            .await
            .map_err(|e| DataFusionError::External(Box::new(Error::from(e))))?;
        refreshes_batch(&runs, self)
    }
}
