//! Catalog metadata for Flight SQL's Get* commands, built from Hangar's catalog with arrow-flight's
//! builders (which apply the commands' filter patterns and produce the schemas the spec declares).

use arrow_flight::error::FlightError;
use arrow_flight::sql::metadata::{SqlInfoData, SqlInfoDataBuilder};
use arrow_flight::sql::{
    CommandGetCatalogs, CommandGetDbSchemas, CommandGetTableTypes, CommandGetTables, SqlInfo,
};
use datafusion::arrow::record_batch::RecordBatch;
use hangar_catalog::Manifest;
use hangar_engine::DATABASE;

/// The table types Hangar has.
const TABLE_TYPES: [&str; 2] = ["TABLE", "VIEW"];

/// `GetCatalogs`: the one database.
pub(crate) fn catalogs(query: CommandGetCatalogs) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    builder.append(DATABASE);
    builder.build()
}

/// `GetDbSchemas`: the persisted schemas.
pub(crate) fn schemas(
    query: CommandGetDbSchemas,
    manifest: &Manifest,
) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    for schema in manifest.schemas.keys() {
        builder.append(DATABASE, schema);
    }
    builder.build()
}

/// `GetTables`: every table, with its Arrow schema when asked for.
pub(crate) fn tables(
    query: CommandGetTables,
    manifest: &Manifest,
) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    for (schema_name, schema) in &manifest.schemas {
        for (table_name, table) in &schema.tables {
            builder.append(DATABASE, schema_name, table_name, "TABLE", &table.schema)?;
        }
    }
    builder.build()
}

/// `GetTableTypes`.
pub(crate) fn table_types(query: CommandGetTableTypes) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    for table_type in TABLE_TYPES {
        builder.append(table_type);
    }
    builder.build()
}

/// What `GetSqlInfo` reports about the server.
pub(crate) fn sql_info() -> SqlInfoData {
    let mut builder = SqlInfoDataBuilder::new();
    builder.append(SqlInfo::FlightSqlServerName, "Hangar");
    builder.append(SqlInfo::FlightSqlServerVersion, env!("CARGO_PKG_VERSION"));
    builder.append(
        SqlInfo::FlightSqlServerArrowVersion,
        datafusion::arrow::ARROW_VERSION,
    );
    builder.append(SqlInfo::FlightSqlServerReadOnly, false);
    builder.append(SqlInfo::FlightSqlServerSql, true);
    builder.append(SqlInfo::FlightSqlServerSubstrait, false);
    builder.append(SqlInfo::FlightSqlServerTransaction, 0i32);
    builder.append(SqlInfo::FlightSqlServerCancel, false);
    builder.append(SqlInfo::SqlDdlCatalog, false);
    builder.append(SqlInfo::SqlDdlSchema, true);
    builder.append(SqlInfo::SqlDdlTable, true);
    builder.append(SqlInfo::SqlIdentifierQuoteChar, "\"");
    builder.append(SqlInfo::SqlIdentifierCase, 1i32); // lower case, like Postgres
    builder.append(SqlInfo::SqlQuotedIdentifierCase, 3i32); // case-sensitive
    builder.build().expect("static SqlInfo is valid")
}
