//! The catalog's log of manifests in object storage.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use crate::{Change, Error, Manifest, RefreshLog, Result};

/// How many times a commit re-reads and retries after losing a race before giving up.
const MAX_COMMIT_ATTEMPTS: usize = 32;

/// The catalog of one warehouse, shared by all sessions of a server.
#[derive(Debug)]
pub struct Catalog {
    store: Arc<dyn ObjectStore>,
    dir: Path,
    current: RwLock<Arc<Manifest>>,
    refresh_interval: Duration,
    last_refresh: Mutex<Instant>,
    refreshes: RefreshLog,
    claims: Path,
    secrets: Path,
    versions: tokio::sync::watch::Sender<u64>,
}

impl Catalog {
    /// Opens the catalog stored under `root/_catalog/` in `store`, reading its latest version.
    /// `refresh_interval` bounds how stale reads may be with respect to other servers' commits.
    pub async fn open(
        store: Arc<dyn ObjectStore>,
        root: &Path,
        refresh_interval: Duration,
    ) -> Result<Self> {
        let dir = root.clone().join("_catalog");
        let latest = store
            .list(Some(&dir))
            .try_filter_map(|meta| async move {
                Ok(meta.location.filename().and_then(parse_version_file))
            })
            .try_fold(0u64, |max, v| async move { Ok(max.max(v)) })
            .await?;
        let catalog = Self {
            refreshes: RefreshLog::new(Arc::clone(&store), root),
            claims: root.clone().join("_claims"),
            secrets: root.clone().join("_secrets"),
            versions: tokio::sync::watch::Sender::new(0),
            store,
            dir,
            current: RwLock::new(Arc::new(Manifest::empty())),
            refresh_interval,
            last_refresh: Mutex::new(Instant::now()),
        };
        if latest > 0 {
            let manifest = catalog
                .read_version(latest)
                .await?
                .ok_or_else(|| Error::Corrupt {
                    path: catalog.version_path(latest).to_string(),
                    reason: "listed but missing".into(),
                })?;
            *catalog.current.write().expect("catalog lock") = Arc::new(manifest);
        }
        tracing::info!(version = latest, "catalog opened");
        Ok(catalog)
    }

    /// The catalog version this server knows, updated as it learns of newer ones.
    pub fn versions(&self) -> tokio::sync::watch::Receiver<u64> {
        self.versions.subscribe()
    }

    /// The history of materialized-view refreshes in this warehouse.
    pub fn refreshes(&self) -> &RefreshLog {
        &self.refreshes
    }

    /// The version this server knows, without touching storage.
    pub fn snapshot(&self) -> Arc<Manifest> {
        Arc::clone(&self.current.read().expect("catalog lock"))
    }

    /// Catches up with versions committed by other servers.
    pub async fn refresh(&self) -> Result<Arc<Manifest>> {
        let mut latest = self.snapshot();
        while let Some(next) = self.read_version(latest.version + 1).await? {
            latest = Arc::new(next);
        }
        *self.last_refresh.lock().expect("catalog lock") = Instant::now();
        let mut current = self.current.write().expect("catalog lock");
        if latest.version > current.version {
            *current = Arc::clone(&latest);
            self.versions.send_replace(latest.version);
        }
        Ok(Arc::clone(&current))
    }

    /// Refreshes when the last refresh is older than the refresh interval; otherwise returns the
    /// known version. Readers call this before planning.
    pub async fn refresh_if_stale(&self) -> Result<Arc<Manifest>> {
        let stale =
            self.last_refresh.lock().expect("catalog lock").elapsed() >= self.refresh_interval;
        if stale {
            self.refresh().await
        } else {
            Ok(self.snapshot())
        }
    }

    /// Applies `change` on top of the latest version and commits the result as the next version.
    /// A lost race re-reads the winner's version and re-applies the change; a change that no longer
    /// applies (the table exists now) fails with the corresponding error.
    pub async fn commit(&self, change: &Change) -> Result<Arc<Manifest>> {
        for attempt in 0..MAX_COMMIT_ATTEMPTS {
            let base = self.refresh().await?;
            let Some(next) = base.apply(change)? else {
                return Ok(base);
            };
            let body = serde_json::to_vec_pretty(&next).expect("manifest serializes");
            let opts = PutOptions::from(PutMode::Create);
            match self
                .store
                .put_opts(
                    &self.version_path(next.version),
                    PutPayload::from(body),
                    opts,
                )
                .await
            {
                Ok(_) => {
                    let next = Arc::new(next);
                    let mut current = self.current.write().expect("catalog lock");
                    if next.version > current.version {
                        *current = Arc::clone(&next);
                        self.versions.send_replace(next.version);
                    }
                    tracing::info!(version = next.version, "catalog committed");
                    tracing::debug!(version = next.version, ?change, "catalog change");
                    return Ok(next);
                }
                Err(object_store::Error::AlreadyExists { .. }) => {
                    tracing::debug!(
                        attempt,
                        version = next.version,
                        "catalog commit lost a race; retrying"
                    );
                    tokio::time::sleep(Duration::from_millis(2 * attempt as u64)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::Conflict(MAX_COMMIT_ATTEMPTS))
    }

    /// Claims `key` for this server, once per warehouse: true for the first caller only, on any
    /// server (a conditional put under `_claims/`). The scheduler claims each slot of a schedule.
    pub async fn claim(&self, key: &str) -> Result<bool> {
        let path = key
            .split('/')
            .fold(self.claims.clone(), |path, part| path.join(part));
        let body = PutPayload::from(chrono::Utc::now().to_rfc3339().into_bytes());
        match self
            .store
            .put_opts(&path, body, PutOptions::from(PutMode::Create))
            .await
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// A random 32-byte secret of this warehouse, made by the first server that asks (a conditional
    /// put under `_secrets/`): every replica signs and checks with the same key.
    pub async fn secret(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.secrets.clone().join(name);
        loop {
            match self.store.get(&path).await {
                Ok(found) => return Ok(found.bytes().await?.to_vec()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
            let mut key = vec![0u8; 32];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key)
                .expect("the system's random source works");
            let made = self
                .store
                .put_opts(
                    &path,
                    PutPayload::from(key.clone()),
                    PutOptions::from(PutMode::Create),
                )
                .await;
            match made {
                Ok(_) => return Ok(key),
                // Another server made it first: read theirs.
                Err(object_store::Error::AlreadyExists { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn version_path(&self, version: u64) -> Path {
        self.dir.clone().join(format!("{version:020}.json"))
    }

    async fn read_version(&self, version: u64) -> Result<Option<Manifest>> {
        let path = self.version_path(version);
        let bytes = match self.store.get(&path).await {
            Ok(result) => result.bytes().await?,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let corrupt = |reason: String| Error::Corrupt {
            path: path.to_string(),
            reason,
        };
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if manifest.format_version > crate::FORMAT_VERSION || manifest.version != version {
            return Err(corrupt(format!(
                "format {} / version {} (this server reads format {} and expected version {version})",
                manifest.format_version,
                manifest.version,
                crate::FORMAT_VERSION
            )));
        }
        Ok(Some(manifest))
    }
}

fn parse_version_file(name: &str) -> Option<u64> {
    name.strip_suffix(".json")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    fn create_schema(name: &str) -> Change {
        Change::CreateSchema {
            name: name.into(),
            owner: None,
            if_not_exists: false,
        }
    }

    #[tokio::test]
    async fn reopening_reads_the_latest_version() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let root = Path::from("wh");
        let cat = Catalog::open(Arc::clone(&store), &root, Duration::ZERO)
            .await
            .unwrap();
        cat.commit(&create_schema("a")).await.unwrap();
        cat.commit(&create_schema("b")).await.unwrap();
        let again = Catalog::open(store, &root, Duration::ZERO).await.unwrap();
        let snap = again.snapshot();
        assert_eq!(snap.version, 2);
        assert!(snap.schemas.contains_key("a") && snap.schemas.contains_key("b"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writers_lose_nothing() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let root = Path::from("wh");
        let a = Arc::new(
            Catalog::open(Arc::clone(&store), &root, Duration::ZERO)
                .await
                .unwrap(),
        );
        let b = Arc::new(
            Catalog::open(Arc::clone(&store), &root, Duration::ZERO)
                .await
                .unwrap(),
        );
        let mut tasks = Vec::new();
        for i in 0..20 {
            let cat = Arc::clone(if i % 2 == 0 { &a } else { &b });
            tasks.push(tokio::spawn(async move {
                cat.commit(&create_schema(&format!("s{i}"))).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let snap = a.refresh().await.unwrap();
        assert_eq!(snap.version, 20);
        assert_eq!(snap.schemas.len(), 21, "20 schemas plus public");
    }

    #[tokio::test]
    async fn every_server_of_a_warehouse_reads_the_same_secret() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let root = Path::from("wh");
        let a = Catalog::open(Arc::clone(&store), &root, Duration::ZERO)
            .await
            .unwrap();
        let b = Catalog::open(store, &root, Duration::ZERO).await.unwrap();
        let (ka, kb) = tokio::join!(a.secret("k"), b.secret("k"));
        assert_eq!(ka.unwrap(), kb.unwrap());
        assert_ne!(
            a.secret("k").await.unwrap(),
            a.secret("other").await.unwrap()
        );
    }

    #[tokio::test]
    async fn a_refused_change_reports_the_conflict() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let root = Path::from("wh");
        let a = Catalog::open(Arc::clone(&store), &root, Duration::from_secs(3600))
            .await
            .unwrap();
        let b = Catalog::open(store, &root, Duration::from_secs(3600))
            .await
            .unwrap();
        a.commit(&create_schema("x")).await.unwrap();
        // b has not seen a's commit, but commits always re-read first.
        assert!(matches!(
            b.commit(&create_schema("x")).await,
            Err(Error::SchemaExists(_))
        ));
    }
}
