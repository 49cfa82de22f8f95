//! Configuration of the object stores, as read from the server's config file, environment and flags.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One object store: a URL prefix (`file:///srv/warehouse/`, `s3://bucket/prefix/`, `gs://…`, `az://…`)
/// and the options its client needs (endpoint, region, credentials, `allow_http`…). Options use
/// object_store's configuration keys (`aws_endpoint`, `aws_region`, `aws_access_key_id`,
/// `aws_allow_http`, `google_service_account`, `azure_storage_account_name`, …). For cloud stores the
/// standard environment variables (`AWS_*`, `GOOGLE_*`, `AZURE_*`) are read too; explicit options win.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StoreConfig {
    /// URL prefix of the store; every location under it is allowed.
    pub url: String,
    /// Client options for the store.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// All stores the server may touch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageConfig {
    /// The warehouse: where the catalog, created tables and materialized views live.
    pub warehouse: StoreConfig,
    /// Further stores that external tables may point into.
    pub extra: Vec<StoreConfig>,
}
