//! `information_schema` as Postgres clients read it: DataFusion's, with `columns.data_type` naming
//! each type as Postgres does (`bigint`, `text`, `numeric`, `timestamp without time zone`) rather
//! than as Arrow does (`Int64`, `Utf8View`). Grafana's query editor reads it to tell time and number
//! columns apart. The type is the one the Postgres wire sends for the column (the same as
//! `pg_attribute.atttypid`), named by `format_type`.
//!
//! DataFusion serves its `information_schema` ahead of any catalog's when the session enables it,
//! so the session leaves it disabled and registers this schema in Hangar's catalog instead.

use std::sync::{Arc, Weak};

use async_trait::async_trait;
use datafusion::arrow::array::{Array, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, SchemaRef};
use datafusion::catalog::information_schema::{INFORMATION_SCHEMA, InformationSchemaProvider};
use datafusion::catalog::{
    CatalogProviderList, SchemaProvider, Session as DfSession, TableProvider,
};
use datafusion::common::ScalarValue;
use datafusion::common::cast::as_string_array;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs};
use datafusion::prelude::SessionContext;
use postgres_types::Type;

use super::pg_catalog::{index, read_all, retyped};
use crate::computed_table::{ComputedRows, ComputedTable};
use crate::{DATABASE, Error, Result};

/// Registers `information_schema` in the session's catalog.
pub(crate) fn register(ctx: &SessionContext) -> Result<()> {
    let catalog = ctx
        .catalog(DATABASE)
        .ok_or_else(|| Error::NotSupported(format!("no catalog {DATABASE}")))?;
    let catalogs = Arc::downgrade(ctx.state().catalog_list());
    catalog.register_schema(INFORMATION_SCHEMA, Arc::new(InformationSchema { catalogs }))?;
    Ok(())
}

/// DataFusion's `information_schema` over the session's catalogs, with `columns` replaced. It
/// holds the catalogs weakly: they hold it.
#[derive(Debug)]
struct InformationSchema {
    catalogs: Weak<dyn CatalogProviderList>,
}

impl InformationSchema {
    fn inner(&self) -> Option<InformationSchemaProvider> {
        Some(InformationSchemaProvider::new(self.catalogs.upgrade()?))
    }
}

#[async_trait]
impl SchemaProvider for InformationSchema {
    fn table_names(&self) -> Vec<String> {
        self.inner()
            .map(|inner| inner.table_names())
            .unwrap_or_default()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        let Some(inner) = self.inner() else {
            return Ok(None);
        };
        let table = inner.table(name).await?;
        Ok(match (name.to_ascii_lowercase().as_str(), table) {
            ("columns", Some(table)) => Some(Arc::new(ComputedTable(Columns { table }))),
            (_, table) => table,
        })
    }

    fn table_exist(&self, name: &str) -> bool {
        self.inner().is_some_and(|inner| inner.table_exist(name))
    }
}

/// `information_schema.columns` with Postgres's type names in `data_type`.
#[derive(Debug)]
struct Columns {
    table: Arc<dyn TableProvider>,
}

#[async_trait]
impl ComputedRows for Columns {
    fn schema(&self) -> SchemaRef {
        retyped(&self.table.schema(), |name| {
            (name == "data_type").then(|| Field::new(name, DataType::Utf8, false))
        })
    }

    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch> {
        let rows = read_all(self.table.as_ref(), state).await?;
        let mut columns = rows.columns().to_vec();
        let i = index(&rows, "data_type")?;
        columns[i] = postgres_type_names(as_string_array(&columns[i])?)?;
        Ok(RecordBatch::try_new(self.schema(), columns)?)
    }
}

/// Postgres's names for Arrow types written as Arrow writes them (`Int64`).
fn postgres_type_names(arrow_types: &StringArray) -> DfResult<Arc<dyn Array>> {
    let oids: Int32Array = arrow_types
        .iter()
        .map(|name| {
            // What the wire sends for a type it has no Postgres type for: text.
            let pg_type = name
                .and_then(|name| name.parse::<DataType>().ok())
                .and_then(|data_type| arrow_pg::datatypes::into_pg_type(&data_type).ok())
                .unwrap_or(Type::TEXT);
            i32::try_from(pg_type.oid()).ok()
        })
        .collect();
    let format_type = datafusion_pg_catalog::pg_catalog::format_type::create_format_type_udf();
    let rows = oids.len();
    let names = format_type.invoke_with_args(ScalarFunctionArgs {
        args: vec![
            ColumnarValue::Array(Arc::new(oids)),
            ColumnarValue::Scalar(ScalarValue::Int32(None)),
        ],
        arg_fields: vec![
            Arc::new(Field::new("oid", DataType::Int32, true)),
            Arc::new(Field::new("typmod", DataType::Int32, true)),
        ],
        number_rows: rows,
        return_field: Arc::new(Field::new("name", DataType::Utf8, true)),
        config_options: Arc::default(),
    })?;
    names.into_array(rows)
}
