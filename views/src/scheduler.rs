//! The refresh scheduler: refreshes each materialized view at the slots of its cron schedule, then
//! the views that read it, in order.
//!
//! Every server runs one. Each slot is claimed in the warehouse with a conditional put before it
//! runs, so among all servers sharing a warehouse exactly one runs it; if that server dies, the
//! slot is lost and the next slot runs as usual. Only the latest slot that has passed is ever due,
//! so a server that was down runs a missed refresh once, not once per missed slot. Slots the view
//! was refreshed after (by hand, say) and slots before the schedule was set are not due.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hangar_catalog::{Manifest, RefreshRun, RunStatus, Trigger, ViewDefinition};
use hangar_engine::{Engine, Result};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::MaterializedViews;
use crate::cleanup::sweep;
use crate::refresh::{RefreshLocks, now, refresh};
use crate::statements::parse_cron;

/// How the scheduler runs refreshes.
#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// Refreshes of different views that may run at once.
    pub concurrency: usize,
    /// How many times a failed scheduled refresh is tried again.
    pub retries: u32,
    /// Wait before the first retry; doubled before each further one.
    pub retry_backoff: Duration,
    /// How often the scheduler looks for views created or changed by any server.
    pub poll_interval: Duration,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            concurrency: 2,
            retries: 2,
            retry_backoff: Duration::from_secs(10),
            poll_interval: Duration::from_secs(30),
        }
    }
}

/// The scheduler of one server.
#[derive(Debug)]
pub struct Scheduler {
    engine: Engine,
    locks: Arc<RefreshLocks>,
    config: SchedulerConfig,
    permits: Arc<Semaphore>,
}

impl Scheduler {
    /// A scheduler for the engine's views, on the engine's clock; its refreshes and the
    /// statements of `views` take turns on each view.
    pub fn new(engine: &Engine, views: &MaterializedViews, config: SchedulerConfig) -> Self {
        Self {
            engine: engine.clone(),
            locks: Arc::clone(&views.locks),
            permits: Arc::new(Semaphore::new(config.concurrency.max(1))),
            config,
        }
    }

    /// Runs until `stop` turns true; refreshes still running then are abandoned (their files are
    /// cleaned up later, as after a crash).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut jobs = JoinSet::new();
        let mut claimed = HashSet::new();
        let mut versions = self.engine.catalog().versions();
        // The warehouse is swept at start (a crash may have left files behind) and then every grace
        // period, or every poll if that is longer.
        let sweep_every = self
            .engine
            .config()
            .view_version_grace
            .max(self.config.poll_interval);
        let mut next_sweep = self.engine.clock().now();
        loop {
            while jobs.try_join_next().is_some() {}
            if self.engine.clock().now() >= next_sweep {
                let engine = self.engine.clone();
                jobs.spawn(async move { sweep(&engine).await });
                next_sweep = self.engine.clock().now() + sweep_every;
            }
            let next_slot = match self.start_due(&mut jobs, &mut claimed).await {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler could not read the catalog");
                    None
                }
            };
            let poll = self.engine.clock().now() + self.config.poll_interval;
            let wake = next_slot
                .map_or(poll, |slot| slot.min(poll))
                .min(next_sweep);
            tokio::select! {
                _ = self.engine.clock().sleep_until(wake) => {}
                // A view created or rescheduled here counts at once, not at the next poll.
                _ = versions.changed() => {}
                _ = stop.wait_for(|stop| *stop) => break,
            }
        }
        jobs.abort_all();
    }

    /// Claims and starts every slot that is due; returns the earliest future slot.
    async fn start_due(
        &self,
        jobs: &mut JoinSet<()>,
        claimed: &mut HashSet<String>,
    ) -> Result<Option<DateTime<Utc>>> {
        let manifest = self.engine.catalog().refresh().await?;
        let now = self.engine.clock().now();
        let mut next_slot: Option<DateTime<Utc>> = None;
        for (schema, name, _, view) in manifest.views() {
            let Some(expression) = &view.schedule else {
                continue;
            };
            let Ok(cron) = parse_cron(expression) else {
                tracing::warn!(%schema, %name, %expression, "ignoring an unreadable schedule");
                continue;
            };
            if let Ok(next) = cron.find_next_occurrence(&now, false) {
                next_slot = Some(next_slot.map_or(next, |n| n.min(next)));
            }
            let Ok(slot) = cron.find_previous_occurrence(&now, true) else {
                continue;
            };
            if !is_due(view, slot) {
                continue;
            }
            let key = format!("{}/{}", view_id(view), slot.timestamp());
            if claimed.contains(&key) || !self.engine.catalog().claim(&key).await? {
                continue;
            }
            claimed.insert(key);
            tracing::info!(%schema, %name, %slot, "scheduled refresh due");
            let job = Job {
                engine: self.engine.clone(),
                locks: Arc::clone(&self.locks),
                config: self.config.clone(),
                permits: Arc::clone(&self.permits),
            };
            let view = format!("{schema}.{name}");
            jobs.spawn(async move { job.run(view).await });
        }
        Ok(next_slot)
    }
}

/// Whether `slot` still needs running: the schedule was set before it and the view was not
/// refreshed since.
fn is_due(view: &ViewDefinition, slot: DateTime<Utc>) -> bool {
    let after = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| t >= slot)
    };
    !after(&view.schedule_since) && !after(&view.refreshed_at)
}

/// A view's identity across drops and re-creations: its root folder's name.
fn view_id(view: &ViewDefinition) -> String {
    view.root
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// One scheduled refresh and the refreshes of its dependents.
struct Job {
    engine: Engine,
    locks: Arc<RefreshLocks>,
    config: SchedulerConfig,
    permits: Arc<Semaphore>,
}

impl Job {
    /// Refreshes `view`, then the views downstream of it in order; a view whose source failed is
    /// not refreshed, and that is recorded.
    async fn run(self, view: String) {
        let mut failed = HashSet::new();
        if !self.refresh_with_retries(&view, Trigger::Schedule).await {
            failed.insert(view.clone());
        }
        let Ok(manifest) = self.engine.catalog().refresh().await else {
            return;
        };
        for dependent in downstream(&manifest, &view) {
            let sources = &manifest_sources(&manifest, &dependent);
            if let Some(source) = sources.iter().find(|s| failed.contains(*s)) {
                self.record_skipped(&dependent, source).await;
                failed.insert(dependent);
            } else if !self
                .refresh_with_retries(&dependent, Trigger::Dependency)
                .await
            {
                failed.insert(dependent);
            }
        }
    }

    /// Refreshes one view, trying again with backoff; true once a try succeeded.
    async fn refresh_with_retries(&self, view: &str, trigger: Trigger) -> bool {
        let Some((schema, name)) = view.split_once('.') else {
            return false;
        };
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let mut backoff = self.config.retry_backoff;
        for attempt in 1..=self.config.retries + 1 {
            match refresh(&self.engine, &self.locks, schema, name, trigger, attempt).await {
                Ok(_) => return true,
                Err(e) if attempt <= self.config.retries => {
                    tracing::info!(%view, attempt, error = %e, ?backoff, "retrying a failed refresh");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
                Err(_) => {}
            }
        }
        false
    }

    /// Records that a dependent was not refreshed because a source failed.
    async fn record_skipped(&self, view: &str, source: &str) {
        let manifest = self.engine.catalog().snapshot();
        let version = view
            .split_once('.')
            .and_then(|(s, n)| manifest.view(s, n))
            .map_or(0, |(_, v)| v.version + 1);
        let now = now(&self.engine);
        let run = RefreshRun {
            id: uuid::Uuid::new_v4().simple().to_string(),
            view: view.to_string(),
            version,
            trigger: Trigger::Dependency,
            attempt: 0,
            started_at: now.clone(),
            finished_at: Some(now),
            heartbeat_at: None,
            status: RunStatus::Failed,
            rows: None,
            bytes: None,
            error: Some(format!(
                "not refreshed: its source {source} failed to refresh"
            )),
        };
        tracing::warn!(%view, %source, "dependent not refreshed because its source failed");
        if let Err(e) = self.engine.catalog().refreshes().record(&run).await {
            tracing::warn!(%view, error = %e, "could not record a skipped refresh");
        }
    }
}

/// The sources of a view, as `schema.name`.
fn manifest_sources(manifest: &Manifest, view: &str) -> Vec<String> {
    view.split_once('.')
        .and_then(|(s, n)| manifest.view(s, n))
        .map(|(_, v)| v.sources.clone())
        .unwrap_or_default()
}

/// Every view that reads `view`, directly or through other views, each after all of its sources
/// among them.
fn downstream(manifest: &Manifest, view: &str) -> Vec<String> {
    let mut reached = HashSet::new();
    let mut queue = vec![view.to_string()];
    while let Some(current) = queue.pop() {
        let Some((schema, name)) = current.split_once('.') else {
            continue;
        };
        for dependent in manifest.dependents(schema, name) {
            if reached.insert(dependent.clone()) {
                queue.push(dependent);
            }
        }
    }
    // Kahn's algorithm over the reached views; sources outside them are already fresh.
    let mut waiting: HashMap<String, usize> = reached
        .iter()
        .map(|v| {
            let pending = manifest_sources(manifest, v)
                .iter()
                .filter(|s| reached.contains(*s))
                .count();
            (v.clone(), pending)
        })
        .collect();
    let mut order = Vec::new();
    let mut ready: Vec<String> = waiting
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(v, _)| v.clone())
        .collect();
    ready.sort();
    while let Some(next) = ready.pop() {
        waiting.remove(&next);
        let (schema, name) = next.split_once('.').expect("qualified");
        for dependent in manifest.dependents(schema, name) {
            if let Some(n) = waiting.get_mut(&dependent) {
                *n -= 1;
                if *n == 0 {
                    ready.push(dependent);
                }
            }
        }
        order.push(next);
    }
    order
}
