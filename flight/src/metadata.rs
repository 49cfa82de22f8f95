//! Catalog metadata for Flight SQL's Get* commands, built from Hangar's catalog with arrow-flight's
//! builders (which apply the commands' filter patterns and produce the schemas the spec declares).

use arrow_flight::error::FlightError;
use std::sync::Arc;

use arrow_flight::sql::metadata::{
    SqlInfoData, SqlInfoDataBuilder, XdbcTypeInfo, XdbcTypeInfoData, XdbcTypeInfoDataBuilder,
};
use arrow_flight::sql::{
    CommandGetCatalogs, CommandGetDbSchemas, CommandGetTableTypes, CommandGetTables, Nullable,
    Searchable, SqlInfo, XdbcDataType, XdbcDatetimeSubcode,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use hangar_engine::{CatalogMetadata, DATABASE, RelationKind};

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
    metadata: &CatalogMetadata,
) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    for schema in metadata.schemas() {
        builder.append(DATABASE, schema);
    }
    builder.build()
}

/// `GetTables`: every table, with its Arrow schema when asked for.
pub(crate) fn tables(
    query: CommandGetTables,
    metadata: &CatalogMetadata,
) -> Result<RecordBatch, FlightError> {
    let mut builder = query.into_builder();
    for relation in metadata.relations() {
        let table_type = match relation.kind() {
            RelationKind::Table => "TABLE",
            RelationKind::MaterializedView => "VIEW",
        };
        builder.append(
            DATABASE,
            relation.schema,
            relation.name,
            table_type,
            relation.columns(),
        )?;
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
    builder.append(SqlInfo::FlightSqlServerCancel, true);
    builder.append(SqlInfo::SqlDdlCatalog, false);
    builder.append(SqlInfo::SqlDdlSchema, true);
    builder.append(SqlInfo::SqlDdlTable, true);
    builder.append(SqlInfo::SqlIdentifierQuoteChar, "\"");
    builder.append(SqlInfo::SqlIdentifierCase, 1i32); // lower case, like Postgres
    builder.append(SqlInfo::SqlQuotedIdentifierCase, 3i32); // case-sensitive
    builder.build().expect("static SqlInfo is valid")
}

/// One SQL type for `GetXdbcTypeInfo`: name, JDBC type, column size, literal quote, and for
/// date/time types the JDBC datetime subcode.
struct SqlType(
    &'static str,
    XdbcDataType,
    Option<i32>,
    Option<&'static str>,
    Option<XdbcDatetimeSubcode>,
);

/// The SQL types Hangar's tables hold, with the names `pg_catalog` reports for them.
const SQL_TYPES: [SqlType; 14] = {
    use XdbcDataType::*;
    use XdbcDatetimeSubcode::*;
    [
        SqlType("boolean", XdbcBit, Some(1), None, None),
        SqlType("smallint", XdbcSmallint, Some(5), None, None),
        SqlType("integer", XdbcInteger, Some(10), None, None),
        SqlType("bigint", XdbcBigint, Some(19), None, None),
        SqlType("real", XdbcReal, Some(24), None, None),
        SqlType("double precision", XdbcDouble, Some(53), None, None),
        SqlType("numeric", XdbcNumeric, Some(38), None, None),
        SqlType("text", XdbcVarchar, None, Some("'"), None),
        SqlType("bytea", XdbcVarbinary, None, Some("'\\x"), None),
        SqlType(
            "date",
            XdbcDate,
            Some(10),
            Some("DATE '"),
            Some(XdbcSubcodeUnknown),
        ),
        SqlType(
            "time",
            XdbcTime,
            Some(15),
            Some("TIME '"),
            Some(XdbcSubcodeTime),
        ),
        SqlType(
            "timestamp",
            XdbcTimestamp,
            Some(26),
            Some("TIMESTAMP '"),
            Some(XdbcSubcodeTimestamp),
        ),
        SqlType(
            "timestamp with time zone",
            XdbcTimestamp,
            Some(32),
            Some("TIMESTAMPTZ '"),
            Some(XdbcSubcodeTimestampWithTimezone),
        ),
        SqlType(
            "interval",
            XdbcInterval,
            None,
            Some("INTERVAL '"),
            Some(XdbcSubcodeUnknown),
        ),
    ]
};

/// What `GetXdbcTypeInfo` reports: one row per SQL type.
pub(crate) fn xdbc_types() -> XdbcTypeInfoData {
    let mut builder = XdbcTypeInfoDataBuilder::new();
    for SqlType(name, data_type, column_size, quote, subcode) in SQL_TYPES {
        let numeric = matches!(
            data_type,
            XdbcDataType::XdbcSmallint
                | XdbcDataType::XdbcInteger
                | XdbcDataType::XdbcBigint
                | XdbcDataType::XdbcReal
                | XdbcDataType::XdbcDouble
                | XdbcDataType::XdbcNumeric
        );
        builder.append(XdbcTypeInfo {
            type_name: name.to_string(),
            data_type,
            column_size,
            literal_prefix: quote.map(str::to_string),
            literal_suffix: quote.map(|_| "'".to_string()),
            create_params: (data_type == XdbcDataType::XdbcNumeric)
                .then(|| vec!["precision".to_string(), "scale".to_string()]),
            nullable: Nullable::NullabilityNullable,
            case_sensitive: data_type == XdbcDataType::XdbcVarchar,
            searchable: Searchable::Full,
            unsigned_attribute: numeric.then_some(false),
            fixed_prec_scale: false,
            auto_increment: numeric.then_some(false),
            local_type_name: Some(name.to_string()),
            minimum_scale: (data_type == XdbcDataType::XdbcNumeric).then_some(0),
            maximum_scale: (data_type == XdbcDataType::XdbcNumeric).then_some(38),
            sql_data_type: if subcode.is_some() && data_type != XdbcDataType::XdbcInterval {
                XdbcDataType::XdbcDatetime
            } else {
                data_type
            },
            datetime_subcode: subcode,
            num_prec_radix: numeric.then_some(if data_type == XdbcDataType::XdbcNumeric {
                10
            } else {
                2
            }),
            interval_precision: None,
        });
    }
    builder.build().expect("static type info is valid")
}

/// The schema of `GetPrimaryKeys` results, as the Flight SQL spec declares it.
pub(crate) fn primary_keys_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("catalog_name", DataType::Utf8, true),
        Field::new("db_schema_name", DataType::Utf8, true),
        Field::new("table_name", DataType::Utf8, false),
        Field::new("column_name", DataType::Utf8, false),
        Field::new("key_name", DataType::Utf8, true),
        Field::new("key_sequence", DataType::Int32, false),
    ]))
}

/// The schema of `GetExportedKeys`, `GetImportedKeys` and `GetCrossReference` results, as the
/// Flight SQL spec declares it.
pub(crate) fn foreign_keys_schema() -> SchemaRef {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        utf8("pk_catalog_name", true),
        utf8("pk_db_schema_name", true),
        utf8("pk_table_name", false),
        utf8("pk_column_name", false),
        utf8("fk_catalog_name", true),
        utf8("fk_db_schema_name", true),
        utf8("fk_table_name", false),
        utf8("fk_column_name", false),
        Field::new("key_sequence", DataType::Int32, false),
        utf8("fk_key_name", true),
        utf8("pk_key_name", true),
        Field::new("update_rule", DataType::UInt8, false),
        Field::new("delete_rule", DataType::UInt8, false),
    ]))
}
