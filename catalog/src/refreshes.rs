//! The history of materialized-view refreshes: one small JSON object per run under `_refreshes/`,
//! written when the run starts and rewritten when it ends, so every server (and SQL, through the
//! engine's `hangar.refreshes` table) sees the same history.

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What started a refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// `CREATE MATERIALIZED VIEW` populating the view.
    Creation,
    /// `REFRESH MATERIALIZED VIEW`.
    Manual,
    /// The view's cron schedule.
    Schedule,
    /// A scheduled refresh of a view this one reads.
    Dependency,
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Still running, or its server died before it could record the end (its heartbeat tells).
    Running,
    /// Its version became current.
    Succeeded,
    /// It failed; the view kept its previous version.
    Failed,
}

/// One refresh run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefreshRun {
    /// Unique id of the run.
    pub id: String,
    /// The view, as `schema.name`.
    pub view: String,
    /// The version the run produced (or tried to produce).
    pub version: u64,
    /// What started it.
    pub trigger: Trigger,
    /// Attempt number, from 1, when failed runs are retried.
    pub attempt: u32,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339).
    pub finished_at: Option<String>,
    /// When a running run last recorded that it is still running (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_at: Option<String>,
    /// Where it stands.
    pub status: RunStatus,
    /// Rows written.
    pub rows: Option<u64>,
    /// Bytes of Parquet written.
    pub bytes: Option<u64>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The refresh history of one warehouse.
#[derive(Debug, Clone)]
pub struct RefreshLog {
    store: Arc<dyn ObjectStore>,
    dir: Path,
}

impl RefreshLog {
    /// The history stored under `root/_refreshes/`.
    pub fn new(store: Arc<dyn ObjectStore>, root: &Path) -> Self {
        Self {
            store,
            dir: root.clone().join("_refreshes"),
        }
    }

    /// Records a run (again, as it progresses); names sort by start time.
    pub async fn record(&self, run: &RefreshRun) -> Result<()> {
        let body = serde_json::to_vec(run).expect("refresh run serializes");
        let name = format!("{}-{}.json", run.started_at, run.id);
        self.store
            .put(&self.dir.clone().join(name), PutPayload::from(body))
            .await?;
        Ok(())
    }

    /// Every recorded run, oldest first.
    pub async fn list(&self) -> Result<Vec<RefreshRun>> {
        let mut paths: Vec<Path> = self
            .store
            .list(Some(&self.dir))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await?;
        paths.sort();
        let store = &self.store;
        let mut runs: Vec<RefreshRun> = futures::stream::iter(paths)
            .map(|path| async move {
                let bytes = store.get(&path).await?.bytes().await?;
                serde_json::from_slice(&bytes).map_err(|e| Error::Corrupt {
                    path: path.to_string(),
                    reason: e.to_string(),
                })
            })
            .buffered(16)
            .try_collect()
            .await?;
        runs.sort_by(|a, b| a.started_at.cmp(&b.started_at));
        Ok(runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    #[tokio::test]
    async fn a_run_is_recorded_then_updated() {
        let log = RefreshLog::new(Arc::new(InMemory::new()), &Path::from("wh"));
        let mut run = RefreshRun {
            id: "r1".into(),
            view: "public.v".into(),
            version: 1,
            trigger: Trigger::Manual,
            attempt: 1,
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: None,
            heartbeat_at: None,
            status: RunStatus::Running,
            rows: None,
            bytes: None,
            error: None,
        };
        log.record(&run).await.unwrap();
        run.status = RunStatus::Succeeded;
        run.rows = Some(3);
        log.record(&run).await.unwrap();
        assert_eq!(log.list().await.unwrap(), [run]);
    }
}
