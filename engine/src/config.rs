//! Settings of the engine.

use std::path::PathBuf;
use std::time::Duration;

/// Settings that shape the shared runtime and every session.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Memory pool limit in bytes for query execution; `None` means unbounded.
    pub memory_limit: Option<usize>,
    /// Directory for spill files; `None` uses the OS temporary directory.
    pub spill_dir: Option<PathBuf>,
    /// How long a table's file listing is cached: files that land in a table's location appear in
    /// queries at most this long after.
    pub listing_cache_ttl: Duration,
    /// Number of partitions a query is split into; `None` uses the number of cores.
    pub target_partitions: Option<usize>,
    /// How long a materialized view's version stays readable after a refresh replaced it (queries
    /// that started on it finish on it), and how long the files of a failed refresh are left alone.
    pub view_version_grace: Duration,
    /// How often a running refresh records that it is still running. A run silent for three of
    /// these is shown as interrupted: its server died.
    pub refresh_heartbeat: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            memory_limit: None,
            spill_dir: None,
            listing_cache_ttl: Duration::from_secs(10),
            target_partitions: None,
            view_version_grace: Duration::from_secs(15 * 60),
            refresh_heartbeat: Duration::from_secs(30),
        }
    }
}
