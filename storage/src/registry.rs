//! The registry of configured object stores and the location sandbox.

use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::sync::Arc;

use datafusion::error::DataFusionError;
use datafusion::execution::object_store::ObjectStoreRegistry;
use futures::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use url::Url;

use crate::{Error, Result, StorageConfig, StoreConfig};

/// A configured store mounted at a URL prefix.
#[derive(Debug, Clone)]
pub struct Mount {
    /// The URL prefix, always ending with `/`.
    pub url: Url,
    /// The client for the store.
    pub store: Arc<dyn ObjectStore>,
    /// The path inside `store` that `url` designates.
    pub root: Path,
}

impl Mount {
    /// The path in this store of the folder at `url`; `None` for a URL outside this mount.
    pub fn path_of(&self, url: &str) -> Option<Path> {
        let relative = url.strip_prefix(self.url.as_str())?;
        Some(Path::from(format!(
            "{}/{}",
            self.root,
            relative.trim_end_matches('/')
        )))
    }

    /// Best-effort removal of every object under `prefix`; failures are logged, naming `what` the
    /// objects belonged to. Returns whether every object is gone.
    pub async fn remove_all(&self, prefix: &Path, what: &str) -> bool {
        let files: Vec<_> = match self
            .store
            .list(Some(prefix))
            .map_ok(|m| m.location)
            .try_collect()
            .await
        {
            Ok(files) => files,
            Err(e) => {
                tracing::warn!(%prefix, error = %e, "could not list the files of {what}");
                return false;
            }
        };
        let mut all = true;
        for file in files {
            if let Err(e) = self.store.delete(&file).await {
                tracing::warn!(%file, error = %e, "could not remove a file of {what}");
                all = false;
            }
        }
        all
    }
}

/// Every store the server may touch; the first mount is the warehouse.
///
/// It is also DataFusion's [`ObjectStoreRegistry`], so queries can only reach configured stores.
#[derive(Debug)]
pub struct StoreRegistry {
    mounts: Vec<Mount>,
}

impl StoreRegistry {
    /// Builds the clients for the configured stores. A local warehouse directory is created if missing.
    pub fn new(config: &StorageConfig) -> Result<Self> {
        let mounts = std::iter::once(&config.warehouse)
            .chain(&config.extra)
            .map(mount)
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { mounts })
    }

    /// The warehouse store.
    pub fn warehouse(&self) -> &Mount {
        &self.mounts[0]
    }

    /// The URL prefixes of all stores.
    pub fn allowed_prefixes(&self) -> Vec<String> {
        self.mounts.iter().map(|m| m.url.to_string()).collect()
    }

    /// Turns a user-given location (URL or absolute path) into a normalized URL and checks that it lies
    /// inside a configured store. `..` segments are resolved before the check.
    pub fn resolve(&self, location: &str) -> Result<Url> {
        let url = parse_location(location)?;
        let inside = self.mounts.iter().any(|m| {
            let prefix = m.url.as_str();
            url.as_str().starts_with(prefix) || format!("{}/", url.as_str()) == prefix
        });
        if inside {
            Ok(url)
        } else {
            Err(Error::OutsideStores {
                location: url.to_string(),
                allowed: self.allowed_prefixes(),
            })
        }
    }

    fn mount_for(&self, url: &Url) -> Option<&Mount> {
        self.mounts
            .iter()
            .find(|m| m.url.scheme() == url.scheme() && m.url.authority() == url.authority())
    }
}

impl ObjectStoreRegistry for StoreRegistry {
    fn register_store(
        &self,
        url: &Url,
        _store: Arc<dyn ObjectStore>,
    ) -> Option<Arc<dyn ObjectStore>> {
        // Stores come from configuration only; nothing registers one at run time.
        tracing::warn!(%url, "ignored a request to register an object store at run time");
        None
    }

    fn get_store(&self, url: &Url) -> datafusion::error::Result<Arc<dyn ObjectStore>> {
        self.mount_for(url)
            .map(|m| Arc::clone(&m.store))
            .ok_or_else(|| {
                DataFusionError::Execution(format!(
                    "no configured object store for '{url}'; allowed locations start with: {}",
                    self.allowed_prefixes().join(", ")
                ))
            })
    }
}

/// Parses a location: a URL with a scheme, or an absolute local path.
fn parse_location(location: &str) -> Result<Url> {
    let invalid = |reason: String| Error::InvalidLocation {
        location: location.to_string(),
        reason,
    };
    if location.starts_with('/') {
        let mut url = Url::from_file_path(FsPath::new(location))
            .map_err(|()| invalid("not an absolute path".into()))?;
        // Url::from_file_path keeps `..`; re-parsing resolves it.
        url = Url::parse(url.as_str()).map_err(|e| invalid(e.to_string()))?;
        if location.ends_with('/') && !url.path().ends_with('/') {
            url.set_path(&format!("{}/", url.path()));
        }
        return Ok(url);
    }
    match Url::parse(location) {
        Ok(url) => Ok(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => Err(invalid(
            "relative locations are not allowed; give a URL (file:///…, s3://…) or an absolute path".into(),
        )),
        Err(e) => Err(invalid(e.to_string())),
    }
}

/// Builds the client of one configured store.
fn mount(config: &StoreConfig) -> Result<Mount> {
    let mut url = parse_location(&config.url)?;
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }
    if url.scheme() == "file" {
        let dir = url.to_file_path().map_err(|()| Error::InvalidLocation {
            location: config.url.clone(),
            reason: "not a local path".into(),
        })?;
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let options = env_options(url.scheme())
        .into_iter()
        .chain(config.options.clone())
        .collect::<BTreeMap<_, _>>();
    let (store, root) = object_store::parse_url_opts(&url, options)?;
    let store: Arc<dyn ObjectStore> = if url.scheme() == "file" {
        // Deleting a folder's last file deletes the folders it leaves empty, so dropped tables
        // and replaced view versions leave no empty folders behind. The walk up stops at the
        // first folder that holds something else: at the latest, the warehouse's catalog.
        Arc::new(LocalFileSystem::new().with_automatic_cleanup(true))
    } else {
        Arc::from(store)
    };
    Ok(Mount { url, store, root })
}

/// The standard environment variables of a cloud store's clients, as object_store option keys.
fn env_options(scheme: &str) -> BTreeMap<String, String> {
    let prefix = match scheme {
        "s3" | "s3a" => "AWS_",
        "gs" => "GOOGLE_",
        "az" | "abfs" | "abfss" | "azure" => "AZURE_",
        _ => return BTreeMap::new(),
    };
    std::env::vars()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(dir: &std::path::Path) -> StoreRegistry {
        StoreRegistry::new(&StorageConfig {
            warehouse: StoreConfig {
                url: dir.display().to_string(),
                options: BTreeMap::new(),
            },
            extra: vec![],
        })
        .unwrap()
    }

    #[test]
    fn locations_inside_the_warehouse_are_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let inside = format!("{}/tables/t/", dir.path().display());
        assert!(reg.resolve(&inside).is_ok());
        let as_url = format!("file://{}/x.parquet", dir.path().display());
        assert!(reg.resolve(&as_url).is_ok());
        assert!(reg.resolve(&dir.path().display().to_string()).is_ok());
    }

    #[test]
    fn locations_outside_the_stores_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        for bad in [
            "/etc/passwd".to_string(),
            "file:///etc/".to_string(),
            format!("{}/../escape/", dir.path().display()),
            format!("{}-sibling/", dir.path().display()),
            "s3://other-bucket/x/".to_string(),
        ] {
            assert!(
                matches!(reg.resolve(&bad), Err(Error::OutsideStores { .. })),
                "{bad} was not refused"
            );
        }
        assert!(matches!(
            reg.resolve("relative/dir"),
            Err(Error::InvalidLocation { .. })
        ));
    }

    #[test]
    fn datafusion_only_reaches_configured_stores() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        assert!(reg.get_store(&Url::parse("file:///").unwrap()).is_ok());
        assert!(reg.get_store(&Url::parse("s3://bucket/").unwrap()).is_err());
    }
}
