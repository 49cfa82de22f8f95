//! Hangar's own handling of DDL: catalog changes persisted in the warehouse, and tables whose data
//! Hangar writes as Parquet into the warehouse.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::common::{SchemaReference, TableReference};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::listing::ListingTableUrl;
use datafusion::execution::SessionState;
use datafusion::logical_expr::{CreateExternalTable, CreateMemoryTable, DdlStatement, LogicalPlan};
use hangar_catalog::{Acl, Change, RelationKind, TableEntry, TableFormat};
use object_store::ObjectStoreExt;
use object_store::path::Path;

use super::{Output, Session, write_parquet};
use crate::catalog_provider::listing_options;
use crate::{DATABASE, Error, Result};

/// Runs a DDL statement planned by DataFusion, the Hangar way.
pub(crate) async fn execute(session: &Session, ddl: DdlStatement) -> Result<Output> {
    match ddl {
        DdlStatement::CreateCatalogSchema(create) => {
            let name = schema_name(&create.schema_name)?;
            commit(
                session,
                Change::CreateSchema {
                    name,
                    owner: session.owner(),
                    if_not_exists: create.if_not_exists,
                },
            )
            .await?;
            Ok(Output::command("CREATE SCHEMA"))
        }
        DdlStatement::DropCatalogSchema(drop) => {
            let name = match drop.name {
                SchemaReference::Bare { schema } => schema.to_string(),
                SchemaReference::Full { schema, catalog } => {
                    check_database(&catalog)?;
                    schema.to_string()
                }
            };
            commit(
                session,
                Change::DropSchema {
                    name,
                    if_exists: drop.if_exists,
                    cascade: drop.cascade,
                },
            )
            .await?;
            Ok(Output::command("DROP SCHEMA"))
        }
        DdlStatement::DropTable(drop) => {
            let (schema, name) = table_name(session, &drop.name)?;
            commit(
                session,
                Change::DropTable {
                    schema,
                    name,
                    kind: RelationKind::Table,
                    if_exists: drop.if_exists,
                },
            )
            .await?;
            Ok(Output::command("DROP TABLE"))
        }
        DdlStatement::CreateExternalTable(create) => create_external_table(session, *create).await,
        DdlStatement::CreateMemoryTable(create) => create_table(session, create).await,
        other => Err(Error::NotSupported(format!(
            "{} is not supported yet",
            other.name()
        ))),
    }
}

async fn commit(session: &Session, change: Change) -> Result<()> {
    session.shared.catalog.commit(&change).await?;
    if matches!(change, Change::DropSchema { .. } | Change::DropTable { .. }) {
        // Queries that started before the drop may still read the files.
        session.shared.views.dropped(session);
    }
    Ok(())
}

fn check_database(name: &str) -> Result<()> {
    if name == DATABASE {
        Ok(())
    } else {
        Err(Error::NotSupported(format!(
            "database \"{name}\" does not exist; this server's database is \"{DATABASE}\""
        )))
    }
}

fn schema_name(qualified: &str) -> Result<String> {
    match qualified.split_once('.') {
        Some((catalog, schema)) => {
            check_database(catalog)?;
            Ok(schema.to_string())
        }
        None => Ok(qualified.to_string()),
    }
}

/// Splits a table reference into (schema, table), with the session's default schema.
pub(crate) fn table_name(
    session: &Session,
    reference: &TableReference,
) -> Result<(String, String)> {
    Ok(match reference {
        TableReference::Bare { table } => (session.default_schema(), table.to_string()),
        TableReference::Partial { schema, table } => (schema.to_string(), table.to_string()),
        TableReference::Full {
            catalog,
            schema,
            table,
        } => {
            check_database(catalog)?;
            (schema.to_string(), table.to_string())
        }
    })
}

/// `CREATE EXTERNAL TABLE … STORED AS PARQUET LOCATION '…' [PARTITIONED BY (…)]`: registers files that
/// already exist (one file, a folder, or hive-style partition folders), inferring their schema.
async fn create_external_table(session: &Session, create: CreateExternalTable) -> Result<Output> {
    if !create.file_type.eq_ignore_ascii_case("parquet") {
        return Err(Error::NotSupported(format!(
            "STORED AS {} is not supported; Hangar tables are PARQUET",
            create.file_type
        )));
    }
    if create.or_replace {
        return Err(Error::NotSupported(
            "CREATE OR REPLACE EXTERNAL TABLE is not supported; DROP the table first".into(),
        ));
    }
    let [location] = create.locations.as_slice() else {
        return Err(Error::NotSupported(
            "an external table has exactly one LOCATION".into(),
        ));
    };
    let (schema, name) = table_name(session, &create.name)?;
    let mut url = session.shared.stores.resolve(location)?;
    if !url.path().ends_with('/') && !is_file(session, &url).await? {
        url.set_path(&format!("{}/", url.path()));
    }

    let declared = create.schema.as_arrow();
    let partition_fields: Vec<Field> = create
        .table_partition_cols
        .iter()
        .map(|col| match declared.field_with_name(col) {
            Ok(f) => f.clone(),
            Err(_) => Field::new(col, DataType::Utf8, true),
        })
        .collect();
    let file_fields: Vec<Field> = if declared.fields().len() > partition_fields.len() {
        declared
            .fields()
            .iter()
            .filter(|f| !create.table_partition_cols.contains(f.name()))
            .map(|f| f.as_ref().clone())
            .collect()
    } else {
        let partitions = partition_fields
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect();
        let state = session.ctx.state();
        let parquet = &state.config_options().execution.parquet;
        let options = listing_options(TableFormat::Parquet, partitions, parquet);
        let table_url = ListingTableUrl::parse(url.as_str())?;
        let inferred = options.infer_schema(&state, &table_url).await?;
        inferred
            .fields()
            .iter()
            .map(|f| f.as_ref().clone())
            .collect()
    };
    let table = TableEntry {
        location: url.to_string(),
        format: TableFormat::Parquet,
        partition_columns: create.table_partition_cols.clone(),
        schema: Schema::new([file_fields, partition_fields].concat()),
        managed: false,
        view: None,
        acl: Acl::owned_by(session.owner().as_deref()),
    };
    commit(
        session,
        Change::CreateTable {
            schema,
            name,
            table: Box::new(table),
            if_not_exists: create.if_not_exists,
        },
    )
    .await?;
    Ok(Output::command("CREATE TABLE"))
}

/// Whether a location names an existing object (a file) rather than a folder.
async fn is_file(session: &Session, url: &url::Url) -> Result<bool> {
    let store = session
        .shared
        .runtime
        .object_store(ListingTableUrl::parse(url.as_str())?)?;
    let path = Path::from_url_path(url.path()).map_err(object_store_error)?;
    match store.head(&path).await {
        Ok(_) => Ok(true),
        Err(_) => Ok(false),
    }
}

fn object_store_error(e: object_store::path::Error) -> Error {
    Error::InvalidParameter(e.to_string())
}

/// `CREATE TABLE name (…)` and `CREATE TABLE name AS SELECT …`: writes the rows as Parquet into a
/// fresh folder of the warehouse, then commits the table. A failed commit removes the files again.
async fn create_table(session: &Session, create: CreateMemoryTable) -> Result<Output> {
    create_table_with_state(session, create, session.ctx.state()).await
}

/// [`create_table`], writing the rows with `state` (its settings shape the write).
async fn create_table_with_state(
    session: &Session,
    create: CreateMemoryTable,
    state: SessionState,
) -> Result<Output> {
    if create.or_replace {
        return Err(Error::NotSupported(
            "CREATE OR REPLACE TABLE is not supported; DROP the table first".into(),
        ));
    }
    let (schema, name) = table_name(session, &create.name)?;
    let snapshot = session.shared.catalog.refresh().await?;
    if !snapshot.schemas.contains_key(&schema) {
        return Err(hangar_catalog::Error::SchemaNotFound(schema).into());
    }
    if snapshot.table(&schema, &name).is_some() {
        if create.if_not_exists {
            return Ok(Output::command("CREATE TABLE"));
        }
        return Err(hangar_catalog::Error::TableExists {
            schema,
            table: name,
        }
        .into());
    }

    let warehouse = session.shared.stores.warehouse();
    let folder = format!("tables/{schema}/{name}-{}/", uuid::Uuid::new_v4().simple());
    let url = warehouse
        .url
        .join(&folder)
        .map_err(|e| Error::InvalidParameter(e.to_string()))?;
    let is_plain_create =
        matches!(create.input.as_ref(), LogicalPlan::EmptyRelation(e) if !e.produce_one_row);
    let input = Arc::unwrap_or_clone(create.input);
    let table_schema = input.schema().as_arrow().clone();

    let rows = if is_plain_create {
        0
    } else {
        write_parquet(state, input, url.as_str(), DataFrameWriteOptions::new()).await? as usize
    };

    let table = TableEntry {
        location: url.to_string(),
        format: TableFormat::Parquet,
        partition_columns: vec![],
        schema: table_schema,
        managed: true,
        view: None,
        acl: Acl::owned_by(session.owner().as_deref()),
    };
    let change = Change::CreateTable {
        schema,
        name,
        table: Box::new(table),
        if_not_exists: create.if_not_exists,
    };
    if let Err(e) = commit(session, change).await {
        if let Some(prefix) = warehouse.path_of(url.as_str()) {
            warehouse.remove_all(&prefix, "a failed CREATE TABLE").await;
        }
        return Err(e);
    }
    Ok(if is_plain_create {
        Output::command("CREATE TABLE")
    } else {
        Output::Command {
            tag: "SELECT",
            rows: Some(rows),
        }
    })
}

/// Creates a managed table from batches already in memory (the demo data generator uses this),
/// writing the rows in the order given.
pub(crate) async fn create_table_from_batches(
    session: &Session,
    name: &str,
    batches: Vec<datafusion::arrow::record_batch::RecordBatch>,
) -> Result<Output> {
    let input = session.ctx.read_batches(batches)?.into_unoptimized_plan();
    let create = CreateMemoryTable {
        name: TableReference::bare(name),
        constraints: Default::default(),
        input: Arc::new(input),
        if_not_exists: false,
        or_replace: false,
        column_defaults: vec![],
        temporary: false,
    };
    // The TPC-H generators emit rows in key order. With one partition from end to end (no
    // round-robin repartition) they reach the file in that order, so each row group covers a narrow
    // key range and its statistics prune: `WHERE l_orderkey = …` reads one row group of lineitem.
    let mut state = session.ctx.state();
    state.config_mut().options_mut().execution.target_partitions = 1;
    create_table_with_state(session, create, state).await
}
