//! `pg_catalog` for a session: `datafusion-pg-catalog`'s tables, with what that library cannot know
//! about Hangar's catalog filled in. DataFusion has no notion of a materialized view, so the library
//! shows one as a plain view (`relkind = 'v'`) and leaves `pg_matviews` empty; here `pg_class` marks
//! them `'m'` and `pg_matviews` lists them, which is what psql's `\dm` and BI tools read. The
//! functions the library lacks are in [`super::pg_functions`].

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, BooleanArray, Int16Builder, Int32Array, Int32Builder, ListBuilder,
    RecordBatch, StringArray, StringBuilder, new_null_array,
};
use datafusion::arrow::compute::{concat_batches, filter_record_batch};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{
    MemoryCatalogProvider, SchemaProvider, Session as DfSession, TableProvider,
};
use datafusion::common::cast::{as_boolean_array, as_int32_array, as_string_array};
use datafusion::error::Result as DfResult;
use datafusion::physical_plan::collect;
use datafusion::prelude::SessionContext;
use datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_pg_catalog::pg_catalog::{PgCatalogSchemaProvider, PgCatalogStaticTables};
use hangar_catalog::{Catalog, RelationKind};

use super::pg_functions::Relations;
use crate::access::Identity;
use crate::computed_table::{ComputedRows, ComputedTable};
use crate::metadata::{CatalogMetadata, Relation};
use crate::{DATABASE, Error, Result};

const SCHEMA: &str = "pg_catalog";
/// Who `pg_catalog` names as the owner of every relation (as the library does for tables).
const OWNER: &str = "postgres";

/// Installs what `pg_catalog` brings that does not depend on a session: its functions and the
/// Postgres type names (`regclass`, …), into the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) -> Result<()> {
    // The library also registers its schema in the catalog it is given; the template's catalog is
    // a placeholder, and each session registers its own schema ([`register`]).
    ctx.register_catalog(DATABASE, Arc::new(MemoryCatalogProvider::new()));
    datafusion_pg_catalog::setup_pg_catalog(ctx, DATABASE, EmptyContextProvider)
        .map_err(|e| Error::DataFusion(*e))
}

/// Sets up `pg_catalog`'s schema and the functions that read the session's catalogs, in the
/// session of `user` (made from the template [`install`] set up).
pub(crate) fn register(
    ctx: &SessionContext,
    catalog: &Arc<Catalog>,
    identity: &Arc<Identity>,
) -> Result<()> {
    let inner: Arc<dyn SchemaProvider> = Arc::new(PgCatalogSchemaProvider::try_new(
        Arc::clone(ctx.state().catalog_list()),
        PgCatalogStaticTables::shared()?,
        EmptyContextProvider,
    )?);
    let database = ctx
        .catalog(DATABASE)
        .ok_or_else(|| Error::NotSupported(format!("no catalog {DATABASE}")))?;
    let relations = Arc::new(Relations::default());
    database.register_schema(
        SCHEMA,
        Arc::new(PgCatalog {
            inner,
            catalog: Arc::clone(catalog),
            relations: Arc::clone(&relations),
            identity: Arc::clone(identity),
        }),
    )?;
    super::pg_functions::register(ctx, catalog, &relations, identity);
    Ok(())
}

/// The library's `pg_catalog` schema, with `pg_class`, `pg_type`, `pg_database`, `pg_matviews` and the array
/// columns of `pg_proc`, `pg_index` and `pg_constraint` replaced.
#[derive(Debug)]
struct PgCatalog {
    inner: Arc<dyn SchemaProvider>,
    catalog: Arc<Catalog>,
    relations: Arc<Relations>,
    /// Who the session acts as: `pg_matviews` lists what it may see.
    identity: Arc<Identity>,
}

#[async_trait]
impl SchemaProvider for PgCatalog {
    fn table_names(&self) -> Vec<String> {
        let mut names = self.inner.table_names();
        for role_table in super::pg_roles::TABLES {
            if !names.iter().any(|n| n == role_table) {
                names.push(role_table.to_string());
            }
        }
        names
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        let lower = name.to_ascii_lowercase();
        if let Some(role_table) = super::pg_roles::TABLES.iter().find(|t| **t == lower) {
            return Ok(Some(Arc::new(ComputedTable(super::pg_roles::RoleTable {
                name: role_table,
                catalog: Arc::clone(&self.catalog),
            }))));
        }
        match lower.as_str() {
            "pg_class" => {
                let (Some(class), Some(namespace)) = (
                    self.inner.table("pg_class").await?,
                    self.inner.table("pg_namespace").await?,
                ) else {
                    return Ok(None);
                };
                Ok(Some(Arc::new(ComputedTable(PgClass {
                    class,
                    namespace,
                    catalog: Arc::clone(&self.catalog),
                    relations: Arc::clone(&self.relations),
                }))))
            }
            "pg_type" => {
                let (Some(types), Some(procs)) = (
                    self.inner.table("pg_type").await?,
                    self.inner.table("pg_proc").await?,
                ) else {
                    return Ok(None);
                };
                Ok(Some(Arc::new(ComputedTable(PgType { types, procs }))))
            }
            name @ ("pg_proc" | "pg_index" | "pg_constraint") => {
                let arrays = match name {
                    "pg_proc" => PROC_ARRAYS,
                    "pg_index" => INDEX_ARRAYS,
                    _ => CONSTRAINT_ARRAYS,
                };
                Ok(self.inner.table(name).await?.map(|table| {
                    Arc::new(ComputedTable(WithArrays { table, arrays })) as Arc<dyn TableProvider>
                }))
            }
            "pg_database" => Ok(self.inner.table("pg_database").await?.map(|table| {
                Arc::new(ComputedTable(PgDatabase { table })) as Arc<dyn TableProvider>
            })),
            "pg_matviews" => Ok(Some(Arc::new(ComputedTable(PgMatviews {
                catalog: Arc::clone(&self.catalog),
                identity: Arc::clone(&self.identity),
            })))),
            _ => self.inner.table(name).await,
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        super::pg_roles::TABLES.contains(&name) || self.inner.table_exist(name)
    }
}

/// `pg_database` with Hangar's one database: the library adds a `postgres` database, which a
/// client that connected to it would be refused (`3D000`).
#[derive(Debug)]
struct PgDatabase {
    table: Arc<dyn TableProvider>,
}

#[async_trait]
impl ComputedRows for PgDatabase {
    fn schema(&self) -> SchemaRef {
        self.table.schema()
    }

    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch> {
        let rows = read_all(self.table.as_ref(), state).await?;
        let names = as_string_array(rows.column(index(&rows, "datname")?))?;
        let ours: BooleanArray = names
            .iter()
            .map(|name| Some(name == Some(DATABASE)))
            .collect();
        Ok(filter_record_batch(&rows, &ours)?)
    }
}

/// Reads a whole table of the library's `pg_catalog` as one batch.
pub(crate) async fn read_all(
    table: &dyn TableProvider,
    state: &dyn DfSession,
) -> DfResult<RecordBatch> {
    let plan = table.scan(state, None, &[], None).await?;
    let batches = collect(plan, state.task_ctx()).await?;
    Ok(concat_batches(&table.schema(), &batches)?)
}

/// `pg_class` as the library builds it, with `relkind = 'm'` for materialized views,
/// `relispopulated` false for those never refreshed, and the NULL `relacl` and `reloptions` that
/// the library leaves out (SQLAlchemy's index inspection reads `reloptions`). Reading it tells the
/// session's functions which relation each oid is.
#[derive(Debug)]
struct PgClass {
    class: Arc<dyn TableProvider>,
    namespace: Arc<dyn TableProvider>,
    catalog: Arc<Catalog>,
    relations: Arc<Relations>,
}

#[async_trait]
impl ComputedRows for PgClass {
    fn schema(&self) -> SchemaRef {
        let library = self.class.schema();
        let mut fields = library.fields().to_vec();
        let at = library.index_of("relpartbound").unwrap_or(fields.len());
        for name in CLASS_ARRAYS.iter().rev() {
            let list = DataType::new_list(DataType::Utf8, true);
            fields.insert(at, Arc::new(Field::new(*name, list, true)));
        }
        Arc::new(Schema::new(fields))
    }

    /// The library's rows, with the two columns above recomputed.
    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch> {
        let namespaces = read_all(self.namespace.as_ref(), state).await?;
        let class = read_all(self.class.as_ref(), state).await?;
        let schema_of: HashMap<i32, &str> = {
            let oids = as_int32_array(column(&namespaces, "oid")?)?;
            let names = as_string_array(column(&namespaces, "nspname")?)?;
            oids.iter()
                .zip(names.iter())
                .filter_map(|(o, n)| Some((o?, n?)))
                .collect()
        };
        let metadata = CatalogMetadata::of(&self.catalog);
        let relnamespace = as_int32_array(column(&class, "relnamespace")?)?;
        let relname = as_string_array(column(&class, "relname")?)?;
        let relkind = as_string_array(column(&class, "relkind")?)?;
        let populated = as_boolean_array(column(&class, "relispopulated")?)?;
        let oids = as_int32_array(column(&class, "oid")?)?;
        let mut kinds = Vec::with_capacity(class.num_rows());
        let mut populateds = Vec::with_capacity(class.num_rows());
        let mut relations = HashMap::with_capacity(class.num_rows());
        for row in 0..class.num_rows() {
            let schema = schema_of.get(&relnamespace.value(row));
            if let Some(schema) = schema {
                let name = (schema.to_string(), relname.value(row).to_string());
                relations.insert(oids.value(row), name);
            }
            let view = schema
                .and_then(|schema| metadata.relation(schema, relname.value(row)))
                .filter(|relation| relation.kind() == RelationKind::MaterializedView);
            match view {
                Some(view) => {
                    kinds.push("m");
                    populateds.push(view.is_populated());
                }
                None => {
                    kinds.push(relkind.value(row));
                    populateds.push(populated.value(row));
                }
            }
        }
        self.relations.record(relations);
        let mut columns = class.columns().to_vec();
        columns[index(&class, "relkind")?] = Arc::new(StringArray::from(kinds));
        columns[index(&class, "relispopulated")?] = Arc::new(BooleanArray::from(populateds));
        let schema = self.schema();
        for name in CLASS_ARRAYS {
            let field = schema.field_with_name(name)?;
            columns.insert(
                schema.index_of(name)?,
                new_null_array(field.data_type(), class.num_rows()),
            );
        }
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

/// The array columns of Postgres's `pg_class` that the library leaves out; always NULL here.
const CLASS_ARRAYS: [&str; 2] = ["relacl", "reloptions"];

/// The columns of `pg_type` that are `regproc` in Postgres: function oids.
const REGPROC_COLUMNS: [&str; 8] = [
    "typinput",
    "typoutput",
    "typreceive",
    "typsend",
    "typmodin",
    "typmodout",
    "typanalyze",
    "typsubscript",
];

/// `pg_type` as the library builds it, with its `regproc` columns as function oids (0 for none),
/// as Postgres stores them. The library gives function names there, while its own
/// `'name'::regproc` reads an oid: joins such as Npgsql's `pg_proc.oid = typ.typreceive` and
/// comparisons such as DBeaver's `typinput = 'array_in'::regproc` need oids on both sides.
#[derive(Debug)]
struct PgType {
    types: Arc<dyn TableProvider>,
    procs: Arc<dyn TableProvider>,
}

#[async_trait]
impl ComputedRows for PgType {
    fn schema(&self) -> SchemaRef {
        retyped(&self.types.schema(), |name| {
            REGPROC_COLUMNS
                .contains(&name)
                .then(|| Field::new(name, DataType::Int32, false))
        })
    }

    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch> {
        let procs = read_all(self.procs.as_ref(), state).await?;
        let types = read_all(self.types.as_ref(), state).await?;
        let mut oid_of: HashMap<&str, i32> = HashMap::new();
        let oids = as_int32_array(column(&procs, "oid")?)?;
        let names = as_string_array(column(&procs, "proname")?)?;
        for (oid, name) in oids.iter().zip(names.iter()) {
            if let (Some(oid), Some(name)) = (oid, name) {
                let known = oid_of.entry(name).or_insert(oid);
                *known = (*known).min(oid);
            }
        }
        let mut columns = types.columns().to_vec();
        for name in REGPROC_COLUMNS {
            let i = index(&types, name)?;
            let functions = as_string_array(&columns[i])?;
            let oids: Int32Array = functions
                .iter()
                .map(|f| Some(f.and_then(|f| oid_of.get(f).copied()).unwrap_or(0)))
                .collect();
            columns[i] = Arc::new(oids);
        }
        Ok(RecordBatch::try_new(self.schema(), columns)?)
    }
}

/// The array columns of `pg_proc`, with the type of their elements.
const PROC_ARRAYS: &[(&str, DataType)] = &[
    ("proargtypes", DataType::Int32),
    ("proallargtypes", DataType::Int32),
    ("proargmodes", DataType::Utf8),
    ("proargnames", DataType::Utf8),
];

/// The array columns of `pg_index` (`int2vector` and `oidvector` in Postgres).
const INDEX_ARRAYS: &[(&str, DataType)] = &[
    ("indkey", DataType::Int16),
    ("indcollation", DataType::Int32),
    ("indclass", DataType::Int32),
    ("indoption", DataType::Int16),
];

/// The array columns of `pg_constraint`.
const CONSTRAINT_ARRAYS: &[(&str, DataType)] = &[
    ("conkey", DataType::Int16),
    ("confkey", DataType::Int16),
    ("conpfeqop", DataType::Int32),
    ("conppeqop", DataType::Int32),
    ("conffeqop", DataType::Int32),
    ("confdelsetcols", DataType::Int16),
    ("conexclop", DataType::Int32),
];

/// A library table with its array columns as arrays, as in Postgres. The library writes them as
/// text (`'23 23'`, `'[1034, 26]'`, `"['i', 'o']"`), which clients cannot cast to `regtype[]`
/// (pgcli loads function signatures with `proallargtypes::regtype[]`), unnest or subscript
/// (SQLAlchemy reads key columns with `unnest(indkey)` and `generate_subscripts(indkey, 1)`).
#[derive(Debug)]
struct WithArrays {
    table: Arc<dyn TableProvider>,
    arrays: &'static [(&'static str, DataType)],
}

impl WithArrays {
    fn element(&self, column: &str) -> Option<&DataType> {
        let (_, element) = self.arrays.iter().find(|(name, _)| *name == column)?;
        Some(element)
    }
}

#[async_trait]
impl ComputedRows for WithArrays {
    fn schema(&self) -> SchemaRef {
        retyped(&self.table.schema(), |name| {
            let element = self.element(name)?;
            Some(Field::new(
                name,
                DataType::new_list(element.clone(), true),
                true,
            ))
        })
    }

    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch> {
        let rows = read_all(self.table.as_ref(), state).await?;
        let mut columns = rows.columns().to_vec();
        for (name, element) in self.arrays {
            let i = index(&rows, name)?;
            columns[i] = parse_lists(as_string_array(&columns[i])?, element);
        }
        Ok(RecordBatch::try_new(self.schema(), columns)?)
    }
}

/// Arrays the library wrote as text, as lists of `element`: Int16, Int32 or text.
fn parse_lists(texts: &StringArray, element: &DataType) -> ArrayRef {
    fn build<B: ArrayBuilder>(
        texts: &StringArray,
        values: B,
        mut append: impl FnMut(&mut B, &str),
    ) -> ArrayRef {
        let mut lists = ListBuilder::new(values);
        for text in texts {
            match text {
                Some(text) => {
                    elements(text).for_each(|e| append(lists.values(), e));
                    lists.append(true);
                }
                None => lists.append(false),
            }
        }
        Arc::new(lists.finish())
    }
    match element {
        DataType::Int16 => build(texts, Int16Builder::new(), |b, e| {
            b.append_option(e.parse().ok())
        }),
        DataType::Int32 => build(texts, Int32Builder::new(), |b, e| {
            b.append_option(e.parse().ok())
        }),
        _ => build(texts, StringBuilder::new(), |b, e| b.append_value(e)),
    }
}

/// The elements of an array the library wrote as text: `'23 16'` (an oidvector) or `"['a', 'b']"`.
fn elements(text: &str) -> impl Iterator<Item = &str> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    let separator = if inner.contains(',') { ',' } else { ' ' };
    inner
        .split(separator)
        .map(|e| e.trim().trim_matches('\''))
        .filter(|e| !e.is_empty())
}

/// A library table's schema with some of its columns given another type by `replace`.
pub(crate) fn retyped(library: &Schema, replace: impl Fn(&str) -> Option<Field>) -> SchemaRef {
    let fields = library.fields().iter().map(|f| match replace(f.name()) {
        Some(field) => Arc::new(field),
        None => Arc::clone(f),
    });
    Arc::new(Schema::new(fields.collect::<Vec<_>>()))
}

pub(crate) fn index(batch: &RecordBatch, name: &str) -> DfResult<usize> {
    Ok(batch.schema().index_of(name)?)
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> DfResult<&'a ArrayRef> {
    Ok(batch.column(index(batch, name)?))
}

/// `pg_matviews`: one row per materialized view of the warehouse.
#[derive(Debug)]
struct PgMatviews {
    catalog: Arc<Catalog>,
    identity: Arc<Identity>,
}

fn pg_matviews_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("schemaname", DataType::Utf8, false),
        Field::new("matviewname", DataType::Utf8, false),
        Field::new("matviewowner", DataType::Utf8, false),
        Field::new("tablespace", DataType::Utf8, true),
        Field::new("hasindexes", DataType::Boolean, false),
        Field::new("ispopulated", DataType::Boolean, false),
        Field::new("definition", DataType::Utf8, false),
    ]))
}

fn pg_matviews_rows(metadata: &CatalogMetadata) -> DfResult<RecordBatch> {
    let views: Vec<Relation<'_>> = metadata.views().collect();
    let strings = |f: &dyn Fn(&Relation<'_>) -> Option<String>| -> ArrayRef {
        Arc::new(views.iter().map(f).collect::<StringArray>())
    };
    let columns = vec![
        strings(&|view| Some(view.schema.to_string())),
        strings(&|view| Some(view.name.to_string())),
        strings(&|view| Some(view.owner().unwrap_or(OWNER).to_string())),
        strings(&|_| None),
        Arc::new(BooleanArray::from(vec![false; views.len()])) as ArrayRef,
        Arc::new(
            views
                .iter()
                .map(|view| Some(view.is_populated()))
                .collect::<BooleanArray>(),
        ),
        strings(&|view| view.view_query().map(str::to_string)),
    ];
    Ok(RecordBatch::try_new(pg_matviews_schema(), columns)?)
}

#[async_trait]
impl ComputedRows for PgMatviews {
    fn schema(&self) -> SchemaRef {
        pg_matviews_schema()
    }

    async fn rows(&self, _state: &dyn DfSession) -> DfResult<RecordBatch> {
        let metadata =
            CatalogMetadata::seen_by(self.catalog.snapshot(), Arc::clone(&self.identity));
        pg_matviews_rows(&metadata)
    }
}
