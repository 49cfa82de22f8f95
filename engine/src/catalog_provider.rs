//! Hangar's catalog seen through DataFusion's catalog traits.
//!
//! Each session gets a [`HangarCatalog`] over the shared [`Catalog`]: schema and table names come from
//! the catalog version the server knows, tables are DataFusion `ListingTable`s over their Parquet
//! files. Per-session schemas (`pg_catalog`) are kept in memory beside the persisted ones.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{
    CatalogProvider, ScanArgs, ScanResult, SchemaProvider, Session as DfSession, TableProvider,
};
use datafusion::common::Statistics;
use datafusion::config::{ParquetOptions, TableParquetOptions};
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::cache::cache_manager::FileStatisticsCache;
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::logical_expr::dml::InsertOp;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, TableType};
use datafusion::physical_plan::ExecutionPlan;
use hangar_catalog::{Catalog, TableEntry, TableFormat};

use crate::access::Identity;

/// Built providers by (schema, table), with the entry each was built from.
type BuiltTables = HashMap<(String, String), (TableEntry, Arc<dyn TableProvider>)>;

/// Table providers built from catalog entries, shared by all sessions, rebuilt when an entry changes.
#[derive(Debug)]
pub(crate) struct TableCache {
    built: Mutex<BuiltTables>,
    /// The Parquet reading options every session starts with: the shared providers are built with
    /// them, and a session that changed them gets a table built for its own.
    defaults: ParquetOptions,
    /// The runtime's cache of each file's statistics, shared by all tables and sessions.
    statistics: Option<Arc<FileStatisticsCache>>,
}

impl TableCache {
    pub(crate) fn new(runtime: &RuntimeEnv) -> Self {
        Self {
            built: Mutex::default(),
            defaults: crate::config::session_defaults()
                .options()
                .execution
                .parquet
                .clone(),
            statistics: runtime.cache_manager.get_file_statistic_cache(),
        }
    }

    fn get_or_build(
        &self,
        schema: &str,
        name: &str,
        entry: &TableEntry,
    ) -> DfResult<Arc<dyn TableProvider>> {
        let key = (schema.to_string(), name.to_string());
        let mut built = self.built.lock().expect("table cache lock");
        if let Some((cached, provider)) = built.get(&key)
            && cached == entry
        {
            return Ok(Arc::clone(provider));
        }
        let provider: Arc<dyn TableProvider> = Arc::new(ParquetTable {
            data: listing_table(entry, &self.defaults, self.statistics.clone())?,
            defaults: self.defaults.clone(),
            statistics: self.statistics.clone(),
            entry: entry.clone(),
        });
        built.insert(key, (entry.clone(), Arc::clone(&provider)));
        Ok(provider)
    }
}

/// The listing options Hangar uses for a table format, reading with the given Parquet options.
pub(crate) fn listing_options(
    format: TableFormat,
    partition_columns: Vec<(String, datafusion::arrow::datatypes::DataType)>,
    parquet: &ParquetOptions,
) -> ListingOptions {
    match format {
        TableFormat::Parquet => {
            let options = TableParquetOptions {
                global: parquet.clone(),
                ..TableParquetOptions::default()
            };
            ListingOptions::new(Arc::new(ParquetFormat::default().with_options(options)))
                .with_file_extension(".parquet")
                .with_table_partition_cols(partition_columns)
        }
    }
}

/// Builds the DataFusion table over a catalog entry's files.
fn listing_table(
    entry: &TableEntry,
    parquet: &ParquetOptions,
    statistics: Option<Arc<FileStatisticsCache>>,
) -> DfResult<ListingTable> {
    let url = ListingTableUrl::parse(&entry.location)?;
    let (partitions, files): (Vec<_>, Vec<_>) = entry
        .schema
        .fields()
        .iter()
        .partition(|f| entry.partition_columns.contains(f.name()));
    let partition_columns = entry
        .partition_columns
        .iter()
        .filter_map(|name| partitions.iter().find(|f| f.name() == name))
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    let file_schema = Arc::new(datafusion::arrow::datatypes::Schema::new(
        files.into_iter().cloned().collect::<Vec<_>>(),
    ));
    let config = ListingTableConfig::new(url)
        .with_listing_options(listing_options(entry.format, partition_columns, parquet))
        .with_schema(file_schema);
    Ok(ListingTable::try_new(config)?.with_cache(statistics))
}

/// A table's or a materialized view's current files, read with the Parquet options of the session
/// that scans them: `SET datafusion.execution.parquet.…` applies to the next query.
#[derive(Debug)]
struct ParquetTable {
    /// The table as read with the options sessions start with.
    data: ListingTable,
    defaults: ParquetOptions,
    statistics: Option<Arc<FileStatisticsCache>>,
    entry: TableEntry,
}

impl ParquetTable {
    /// The table as the session reads it: the shared one, unless the session changed how Parquet
    /// is read.
    fn for_session(&self, state: &dyn DfSession) -> DfResult<Cow<'_, ListingTable>> {
        let parquet = &state.config_options().execution.parquet;
        if *parquet == self.defaults {
            return Ok(Cow::Borrowed(&self.data));
        }
        listing_table(&self.entry, parquet, self.statistics.clone()).map(Cow::Owned)
    }
}

#[async_trait]
impl TableProvider for ParquetTable {
    fn schema(&self) -> SchemaRef {
        self.data.schema()
    }

    /// A materialized view is listed as a view, with its defining query.
    fn table_type(&self) -> TableType {
        match self.entry.view {
            Some(_) => TableType::View,
            None => TableType::Base,
        }
    }

    fn get_table_definition(&self) -> Option<&str> {
        self.entry.view.as_ref().map(|view| view.query.as_str())
    }

    async fn scan(
        &self,
        state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.for_session(state)?
            .scan(state, projection, filters, limit)
            .await
    }

    async fn scan_with_args<'a>(
        &self,
        state: &dyn DfSession,
        args: ScanArgs<'a>,
    ) -> DfResult<ScanResult> {
        self.for_session(state)?.scan_with_args(state, args).await
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DfResult<Vec<TableProviderFilterPushDown>> {
        self.data.supports_filters_pushdown(filters)
    }

    /// `INSERT` writes new files with the session's Parquet settings. A materialized view changes
    /// only by its refresh (statements that insert into one are refused before planning).
    async fn insert_into(
        &self,
        state: &dyn DfSession,
        input: Arc<dyn ExecutionPlan>,
        insert_op: InsertOp,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        match self.entry.view {
            Some(_) => Err(DataFusionError::Plan(
                "a materialized view changes only by its refresh".into(),
            )),
            None => {
                self.for_session(state)?
                    .insert_into(state, input, insert_op)
                    .await
            }
        }
    }

    fn statistics(&self) -> Option<Statistics> {
        self.data.statistics()
    }
}

/// The `hangar` database of one session.
#[derive(Debug)]
pub(crate) struct HangarCatalog {
    catalog: Arc<Catalog>,
    tables: Arc<TableCache>,
    session_schemas: RwLock<HashMap<String, Arc<dyn SchemaProvider>>>,
    /// Who the session acts as: it lists only the tables it may use.
    identity: Arc<Identity>,
}

impl HangarCatalog {
    /// The database over `catalog`, its tables built (once, for all sessions) by `tables`, as the
    /// session acting as `identity` sees it.
    pub(crate) fn new(
        catalog: Arc<Catalog>,
        tables: Arc<TableCache>,
        identity: Arc<Identity>,
    ) -> Self {
        Self {
            catalog,
            tables,
            session_schemas: RwLock::default(),
            identity,
        }
    }
}

impl CatalogProvider for HangarCatalog {
    fn schema_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.catalog.snapshot().schemas.keys().cloned().collect();
        names.extend(self.session_schemas.read().expect("lock").keys().cloned());
        names
    }

    fn schema(&self, name: &str) -> Option<Arc<dyn SchemaProvider>> {
        if let Some(schema) = self.session_schemas.read().expect("lock").get(name) {
            return Some(Arc::clone(schema));
        }
        self.catalog.snapshot().schemas.contains_key(name).then(|| {
            Arc::new(HangarSchema {
                catalog: Arc::clone(&self.catalog),
                tables: Arc::clone(&self.tables),
                name: name.to_string(),
                identity: Arc::clone(&self.identity),
            }) as Arc<dyn SchemaProvider>
        })
    }

    /// Only session-local schemas (such as `pg_catalog`) are registered this way; persisted schemas
    /// are created by `CREATE SCHEMA` through the catalog.
    fn register_schema(
        &self,
        name: &str,
        schema: Arc<dyn SchemaProvider>,
    ) -> DfResult<Option<Arc<dyn SchemaProvider>>> {
        Ok(self
            .session_schemas
            .write()
            .expect("lock")
            .insert(name.to_string(), schema))
    }
}

/// A persisted schema of the `hangar` database. It lists (for `information_schema` and
/// `pg_catalog`) only the tables the session may use; a query naming another one finds it, and is
/// refused for its privileges.
#[derive(Debug)]
struct HangarSchema {
    catalog: Arc<Catalog>,
    tables: Arc<TableCache>,
    name: String,
    identity: Arc<Identity>,
}

#[async_trait]
impl SchemaProvider for HangarSchema {
    fn table_names(&self) -> Vec<String> {
        let snapshot = self.catalog.snapshot();
        snapshot
            .schemas
            .get(&self.name)
            .map(|s| {
                s.tables
                    .keys()
                    .filter(|table| self.identity.may_see(&snapshot, &self.name, table))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        let snapshot = self.catalog.snapshot();
        let Some(entry) = snapshot.table(&self.name, name) else {
            return Ok(None);
        };
        self.tables.get_or_build(&self.name, name, entry).map(Some)
    }

    fn register_table(
        &self,
        name: String,
        _table: Arc<dyn TableProvider>,
    ) -> DfResult<Option<Arc<dyn TableProvider>>> {
        Err(DataFusionError::NotImplemented(format!(
            "cannot register table \"{name}\" in memory; Hangar tables are created with CREATE TABLE or CREATE EXTERNAL TABLE"
        )))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.catalog.snapshot().table(&self.name, name).is_some()
    }
}
