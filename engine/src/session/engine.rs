//! The engine shared by all sessions of a server.

use std::sync::Arc;

use datafusion::execution::cache::cache_manager::CacheManagerConfig;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionState;
use hangar_catalog::Catalog;
use hangar_storage::{ObjectStoreRegistry, StoreRegistry};

use super::Session;
use std::net::IpAddr;

use super::views::Views;
use crate::access::{Login, LoginThrottle};
use crate::catalog_provider::TableCache;
use crate::clock::Clock;
use crate::lanes::ScanHistory;
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
    /// The warehouse's keys this server has read ([`Engine::secret`]).
    secrets: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
    /// Failed logins by client address.
    throttle: Arc<LoginThrottle>,
}

/// The user the server's own sessions run as.
const INTERNAL_USER: &str = "hangar";

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
            secrets: Default::default(),
            throttle: Arc::default(),
        };
        Ok(Self {
            shared: Arc::new(shared),
        })
    }

    /// Opens a session for a client logged in as `user`: its own settings over the shared
    /// runtime and catalog, its statements checked against the role's privileges when
    /// authentication is on.
    pub fn session(&self, user: &str) -> Result<Session> {
        Session::new(
            Arc::clone(&self.shared),
            user,
            self.shared.config.authentication,
        )
    }

    /// Opens a session for the server's own work (demo data, refreshes of views made before
    /// roles existed): no privilege is checked.
    pub fn internal_session(&self) -> Result<Session> {
        Session::new(Arc::clone(&self.shared), INTERNAL_USER, false)
    }

    /// Whether clients must log in with a password.
    pub fn authentication(&self) -> bool {
        self.shared.config.authentication
    }

    /// What logging in as `user` from `client` is checked against, as the catalog knows the
    /// role now. An address that failed too often lately is refused at once (`28000`); the
    /// login's outcome counts for its address.
    pub async fn login(&self, user: &str, client: Option<IpAddr>) -> Result<Login> {
        if let Some(address) = client {
            self.shared.throttle.check(address)?;
        }
        let manifest = self.shared.catalog.refresh_if_stale().await?;
        let mock_key = self.secret("scram-mock").await?;
        let login = Login::of(&manifest, user, &mock_key);
        Ok(match client {
            Some(address) => login.counted(Arc::clone(&self.shared.throttle), address),
            None => login,
        })
    }

    /// A random 32-byte key of this warehouse, the same on every server that shares it (made by
    /// the first that asks, then cached).
    pub async fn secret(&self, name: &str) -> Result<Vec<u8>> {
        if let Some(key) = self.shared.secrets.lock().expect("secrets lock").get(name) {
            return Ok(key.clone());
        }
        let key = self.shared.catalog.secret(name).await?;
        self.shared
            .secrets
            .lock()
            .expect("secrets lock")
            .insert(name.to_string(), key.clone());
        Ok(key)
    }

    /// The engine whose shared state this is.
    pub(crate) fn of(shared: &Arc<Shared>) -> Self {
        Self {
            shared: Arc::clone(shared),
        }
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
