//! The engine shared by all sessions of a server.

use std::sync::Arc;

use datafusion::execution::cache::cache_manager::CacheManagerConfig;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionState;
use hangar_catalog::Catalog;
use hangar_storage::{ObjectStoreRegistry, StoreRegistry};

use super::Session;
use super::views::Views;
use crate::catalog_provider::TableCache;
use crate::clock::Clock;
use crate::lanes::ScanHistory;
use crate::metadata::CatalogMetadata;
use crate::postgres::Dialect;
use crate::{EngineConfig, Result};

/// What every session shares: the runtime, the stores, the catalog and the built table providers.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: EngineConfig,
    pub(crate) runtime: Arc<RuntimeEnv>,
    pub(crate) stores: Arc<StoreRegistry>,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) tables: Arc<TableCache>,
    /// What each plan read when it last ran: which lane it runs in.
    pub(crate) scans: ScanHistory,
    /// Where the time is read: refreshes, their schedules, their history.
    pub(crate) clock: Arc<dyn Clock>,
    /// What runs materialized views' statements.
    pub(crate) views: Arc<dyn Views>,
    /// How every session's Postgres SQL becomes statements DataFusion plans.
    pub(crate) dialect: Dialect,
    /// What each session's state starts as ([`crate::template::session_template`]).
    pub(crate) session_template: SessionState,
}

/// The query engine of one server. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl Engine {
    /// Builds the shared runtime over the given stores and catalog; `clock` times refreshes and
    /// their schedules, and `views` runs materialized views' statements.
    pub fn new(
        config: EngineConfig,
        stores: Arc<StoreRegistry>,
        catalog: Arc<Catalog>,
        clock: Arc<dyn Clock>,
        views: Arc<dyn Views>,
    ) -> Result<Self> {
        let disk = match &config.spill_dir {
            Some(dir) => DiskManagerBuilder::default()
                .with_mode(DiskManagerMode::Directories(vec![dir.clone()])),
            None => DiskManagerBuilder::default(),
        };
        let mut runtime = RuntimeEnvBuilder::new()
            .with_object_store_registry(Arc::clone(&stores) as Arc<dyn ObjectStoreRegistry>)
            .with_disk_manager_builder(disk)
            .with_cache_manager(
                CacheManagerConfig::default()
                    .with_list_files_cache_ttl(Some(config.listing_cache_ttl)),
            );
        if let Some(limit) = config.memory_limit {
            runtime = runtime.with_memory_limit(limit, 1.0);
        }
        let runtime = Arc::new(runtime.build()?);
        let session_template = crate::template::session_template(&config, &runtime)?;
        let shared = Shared {
            tables: Arc::new(TableCache::new(&runtime)),
            runtime,
            config,
            stores,
            catalog,
            scans: ScanHistory::default(),
            clock,
            views,
            dialect: Dialect::new(),
            session_template,
        };
        Ok(Self {
            shared: Arc::new(shared),
        })
    }

    /// Opens a session for a client: its own settings over the shared runtime and catalog.
    pub fn session(&self, user: &str) -> Result<Session> {
        Session::new(Arc::clone(&self.shared), user)
    }

    /// The engine whose shared state this is.
    pub(crate) fn of(shared: &Arc<Shared>) -> Self {
        Self {
            shared: Arc::clone(shared),
        }
    }

    /// The relations of the catalog as clients' metadata shows them (Flight SQL's `GetTables`,
    /// as `pg_catalog` does for Postgres clients), caught up first if the catalog is stale.
    pub async fn metadata(&self) -> Result<CatalogMetadata> {
        Ok(CatalogMetadata::new(
            self.shared.catalog.refresh_if_stale().await?,
        ))
    }

    /// The catalog this engine serves.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.shared.catalog
    }

    /// The object stores, the warehouse first.
    pub fn stores(&self) -> &Arc<StoreRegistry> {
        &self.shared.stores
    }

    /// Where the engine reads the time.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.shared.clock
    }

    /// The engine's settings.
    pub fn config(&self) -> &EngineConfig {
        &self.shared.config
    }
}
