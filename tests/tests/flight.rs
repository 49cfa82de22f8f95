//! Arrow Flight SQL through arrow-flight's own `FlightSqlServiceClient`: queries, updates, metadata,
//! the handshake and tokens, error codes, and results equal to the Postgres wire's.

use arrow_flight::decode::FlightRecordBatchStream;
use arrow_flight::error::FlightError;
use arrow_flight::sql::client::FlightSqlServiceClient;
use arrow_flight::sql::{
    CommandGetCrossReference, CommandGetDbSchemas, CommandGetExportedKeys, CommandGetImportedKeys,
    CommandGetPrimaryKeys, CommandGetTables, CommandGetXdbcTypeInfo, SqlInfo, XdbcDataType,
};
use arrow_flight::{
    Action, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, FlightInfo,
};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::concat_batches;
use futures::TryStreamExt;
use hangar_server::RunningServer;
use prost::Message;
use tonic::Code;
use tonic::transport::Channel;

use crate::common::{connect, server, text_rows, tpch_query, tpch_warehouse};

async fn client(server: &RunningServer) -> FlightSqlServiceClient<Channel> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", server.flight_addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    FlightSqlServiceClient::new(channel)
}

/// Fetches every endpoint of a `FlightInfo` and concatenates the batches.
async fn fetch(client: &mut FlightSqlServiceClient<Channel>, info: FlightInfo) -> RecordBatch {
    let schema = std::sync::Arc::new(info.clone().try_decode_schema().unwrap());
    let mut batches = Vec::new();
    for endpoint in info.endpoint {
        let stream = client.do_get(endpoint.ticket.unwrap()).await.unwrap();
        batches.extend(stream.try_collect::<Vec<_>>().await.unwrap());
    }
    for batch in &batches {
        assert_eq!(
            batch.schema(),
            schema,
            "FlightInfo and DoGet schemas differ"
        );
    }
    concat_batches(&schema, &batches).unwrap()
}

async fn query(client: &mut FlightSqlServiceClient<Channel>, sql: &str) -> RecordBatch {
    let info = client
        .execute(sql.to_string(), None)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    fetch(client, info).await
}

fn column_names(batch: &RecordBatch) -> Vec<String> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<String> {
    column_strings(batch, batch.schema().index_of(column).unwrap())
}

/// A column's values as text, NULL as `NULL`.
fn column_strings(batch: &RecordBatch, column: usize) -> Vec<String> {
    let array = datafusion::arrow::compute::cast(
        batch.column(column),
        &datafusion::arrow::datatypes::DataType::Utf8,
    )
    .unwrap();
    array
        .as_string::<i32>()
        .iter()
        .map(|v| v.unwrap_or("NULL").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_updates_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let mut c = client(&s).await;

    assert_eq!(
        c.execute_update("CREATE TABLE t (id BIGINT, name VARCHAR)".into(), None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        c.execute_update("INSERT INTO t VALUES (1, 'a'), (2, NULL)".into(), None)
            .await
            .unwrap(),
        2
    );
    let batch = query(&mut c, "SELECT id, name FROM t ORDER BY id").await;
    assert_eq!(batch.num_rows(), 2);
    assert_eq!(strings(&batch, "id"), ["1", "2"]);
    assert_eq!(strings(&batch, "name"), ["a", "NULL"]);
    // The schema in the FlightInfo is the real one.
    let info = c
        .execute("SELECT id, name FROM t".into(), None)
        .await
        .unwrap();
    let schema = info.try_decode_schema().unwrap();
    assert_eq!(schema.field(0).name(), "id");
    assert_eq!(
        schema.field(0).data_type(),
        &datafusion::arrow::datatypes::DataType::Int64
    );

    let cases = [
        ("SELEC 1", Code::InvalidArgument),
        ("SELECT * FROM nope", Code::NotFound),
        ("SELECT nope FROM t", Code::InvalidArgument),
        (
            "CREATE EXTERNAL TABLE x STORED AS PARQUET LOCATION '/etc/'",
            Code::PermissionDenied,
        ),
    ];
    for (sql, code) in cases {
        let err = match c.execute(sql.to_string(), None).await {
            Err(arrow_flight::error::FlightError::Tonic(status)) => *status,
            Ok(info) => {
                // DDL plans fine; it fails when run.
                match c.do_get(info.endpoint[0].ticket.clone().unwrap()).await {
                    Err(arrow_flight::error::FlightError::Tonic(status)) => *status,
                    other => panic!("{sql}: expected an error, got {other:?}"),
                }
            }
            Err(other) => panic!("{sql}: {other:?}"),
        };
        assert_eq!(err.code(), code, "{sql}: {err:?}");
        assert!(err.message().contains("SQLSTATE"), "{err:?}");
    }
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_runs_again_and_on_any_server() {
    let dir = tempfile::tempdir().unwrap();
    let first = server(dir.path(), &[]).await;
    let second = server(dir.path(), &[]).await;
    let mut c = client(&first).await;
    c.execute_update(
        "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)".into(),
        None,
    )
    .await
    .unwrap();
    let info = c
        .execute("SELECT name FROM t ORDER BY id".into(), None)
        .await
        .unwrap();
    // The server that planned the query runs its plan; a second DoGet of the ticket plans again;
    // another server over the same warehouse runs it from the SQL the ticket carries.
    assert_eq!(
        strings(&fetch(&mut c, info.clone()).await, "name"),
        ["a", "b"]
    );
    assert_eq!(
        strings(&fetch(&mut c, info.clone()).await, "name"),
        ["a", "b"]
    );
    let mut other = client(&second).await;
    assert_eq!(strings(&fetch(&mut other, info).await, "name"), ["a", "b"]);
    first.shutdown().await.unwrap();
    second.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_issues_a_token_that_later_calls_present() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let mut c = client(&s).await;
    let token = c.handshake("analyst", "secret").await.unwrap();
    assert!(!token.is_empty());
    assert!(c.token().is_some());
    assert_eq!(query(&mut c, "SELECT 1 AS one").await.num_rows(), 1);

    let mut forged = client(&s).await;
    forged.set_token("not-a-token".into());
    let err = forged.execute("SELECT 1".into(), None).await.unwrap_err();
    assert!(
        matches!(&err, arrow_flight::error::FlightError::Tonic(s) if s.code() == Code::Unauthenticated),
        "{err:?}"
    );
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_commands_describe_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let mut c = client(&s).await;
    c.execute_update("CREATE SCHEMA sales".into(), None)
        .await
        .unwrap();
    c.execute_update(
        "CREATE TABLE sales.orders AS SELECT 1 AS id, 'x' AS note".into(),
        None,
    )
    .await
    .unwrap();
    c.execute_update("CREATE TABLE public.other AS SELECT 1 AS id".into(), None)
        .await
        .unwrap();
    c.execute_update(
        "CREATE MATERIALIZED VIEW sales.totals AS SELECT count(*) AS n FROM sales.orders".into(),
        None,
    )
    .await
    .unwrap();
    c.execute_update("REFRESH MATERIALIZED VIEW sales.totals".into(), None)
        .await
        .unwrap();
    let info = c
        .get_tables(CommandGetTables {
            catalog: None,
            db_schema_filter_pattern: None,
            table_name_filter_pattern: None,
            table_types: vec!["VIEW".into()],
            include_schema: false,
        })
        .await
        .unwrap();
    assert_eq!(
        strings(&fetch(&mut c, info).await, "table_name"),
        ["totals"]
    );

    let info = c.get_catalogs().await.unwrap();
    assert_eq!(
        strings(&fetch(&mut c, info).await, "catalog_name"),
        ["hangar"]
    );

    let info = c
        .get_db_schemas(CommandGetDbSchemas {
            catalog: None,
            db_schema_filter_pattern: Some("sal%".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        strings(&fetch(&mut c, info).await, "db_schema_name"),
        ["sales"]
    );

    let info = c
        .get_tables(CommandGetTables {
            catalog: Some("hangar".into()),
            db_schema_filter_pattern: None,
            table_name_filter_pattern: Some("ord%".into()),
            table_types: vec![],
            include_schema: true,
        })
        .await
        .unwrap();
    let tables = fetch(&mut c, info).await;
    assert_eq!(strings(&tables, "table_name"), ["orders"]);
    assert_eq!(strings(&tables, "db_schema_name"), ["sales"]);
    let schema_bytes = tables
        .column_by_name("table_schema")
        .unwrap()
        .as_binary::<i32>()
        .value(0)
        .to_vec();
    let schema = arrow_flight::IpcMessage(schema_bytes.into());
    let schema = datafusion::arrow::datatypes::Schema::try_from(schema).unwrap();
    assert_eq!(schema.field(1).name(), "note");

    let info = c.get_table_types().await.unwrap();
    assert_eq!(
        strings(&fetch(&mut c, info).await, "table_type"),
        ["TABLE", "VIEW"]
    );

    let info = c
        .get_sql_info(vec![SqlInfo::FlightSqlServerName])
        .await
        .unwrap();
    let sql_info = fetch(&mut c, info).await;
    assert_eq!(sql_info.num_rows(), 1);
    assert!(sql_info.column(1).len() == 1);

    let info = c
        .get_xdbc_type_info(CommandGetXdbcTypeInfo { data_type: None })
        .await
        .unwrap();
    let types = strings(&fetch(&mut c, info).await, "type_name");
    for name in [
        "bigint",
        "text",
        "numeric",
        "timestamp with time zone",
        "date",
    ] {
        assert!(
            types.contains(&name.to_string()),
            "{name} missing from {types:?}"
        );
    }
    let bigint = XdbcDataType::XdbcBigint as i32;
    let info = c
        .get_xdbc_type_info(CommandGetXdbcTypeInfo {
            data_type: Some(bigint),
        })
        .await
        .unwrap();
    assert_eq!(strings(&fetch(&mut c, info).await, "type_name"), ["bigint"]);

    // Hangar's tables declare no keys: empty results, with the columns the spec declares.
    let orders = || {
        (
            "hangar".to_string(),
            "sales".to_string(),
            "orders".to_string(),
        )
    };
    let (catalog, db_schema, table) = orders();
    let info = c
        .get_primary_keys(CommandGetPrimaryKeys {
            catalog: Some(catalog),
            db_schema: Some(db_schema),
            table,
        })
        .await
        .unwrap();
    let keys = fetch(&mut c, info).await;
    assert_eq!(keys.num_rows(), 0);
    assert_eq!(
        column_names(&keys),
        [
            "catalog_name",
            "db_schema_name",
            "table_name",
            "column_name",
            "key_name",
            "key_sequence"
        ]
    );
    let foreign_key_columns = [
        "pk_catalog_name",
        "pk_db_schema_name",
        "pk_table_name",
        "pk_column_name",
        "fk_catalog_name",
        "fk_db_schema_name",
        "fk_table_name",
        "fk_column_name",
        "key_sequence",
        "fk_key_name",
        "pk_key_name",
        "update_rule",
        "delete_rule",
    ];
    let (catalog, db_schema, table) = orders();
    let exported = c
        .get_exported_keys(CommandGetExportedKeys {
            catalog: Some(catalog),
            db_schema: Some(db_schema),
            table,
        })
        .await
        .unwrap();
    let (catalog, db_schema, table) = orders();
    let imported = c
        .get_imported_keys(CommandGetImportedKeys {
            catalog: Some(catalog),
            db_schema: Some(db_schema),
            table,
        })
        .await
        .unwrap();
    let (pk_catalog, pk_db_schema, pk_table) = orders();
    let (fk_catalog, fk_db_schema, fk_table) = orders();
    let cross = c
        .get_cross_reference(CommandGetCrossReference {
            pk_catalog: Some(pk_catalog),
            pk_db_schema: Some(pk_db_schema),
            pk_table,
            fk_catalog: Some(fk_catalog),
            fk_db_schema: Some(fk_db_schema),
            fk_table,
        })
        .await
        .unwrap();
    for info in [exported, imported, cross] {
        let keys = fetch(&mut c, info).await;
        assert_eq!(keys.num_rows(), 0);
        assert_eq!(column_names(&keys), foreign_key_columns);
    }
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tpch_through_flight_equals_the_postgres_wire() {
    let s = server(tpch_warehouse(), &[]).await;
    let mut c = client(&s).await;
    let pg = connect(&s).await;
    for q in 1..=22 {
        let sql = tpch_query(q);
        let batch = query(&mut c, &sql).await;
        let wire = text_rows(&pg, &sql).await;
        assert_eq!(batch.num_rows(), wire.len(), "q{q}: row counts differ");
        // Both come from the same plan: every value must match, numbers within rounding.
        let columns: Vec<_> = (0..batch.num_columns())
            .map(|column| column_strings(&batch, column))
            .collect();
        for (row, wire_row) in wire.iter().enumerate() {
            for (column, (flight_values, wire_value)) in columns.iter().zip(wire_row).enumerate() {
                let flight_value = &flight_values[row];
                let wire_value = wire_value.as_deref().unwrap_or("NULL");
                let same = match (flight_value.parse::<f64>(), wire_value.parse::<f64>()) {
                    (Ok(x), Ok(y)) => (x - y).abs() <= 1e-6 * x.abs().max(1.0),
                    _ => flight_value == wire_value,
                };
                assert!(
                    same,
                    "q{q} row {row} column {column}: {flight_value} != {wire_value}"
                );
            }
        }
    }
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepared_statements_bind_parameters() {
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let mut c = client(&s).await;
    c.execute_update(
        "CREATE TABLE nums AS SELECT * FROM (VALUES (1), (2), (3), (4)) AS v(n)".into(),
        None,
    )
    .await
    .unwrap();

    let mut stmt = c
        .prepare("SELECT n FROM nums WHERE n > $1 ORDER BY n".into(), None)
        .await
        .unwrap();
    let params = stmt.parameter_schema().unwrap().clone();
    assert_eq!(params.fields().len(), 1);
    // `VALUES (1)` is an integer column, as in Postgres.
    assert_eq!(params.field(0).data_type(), &DataType::Int32);
    assert_eq!(stmt.dataset_schema().unwrap().field(0).name(), "n");
    let bind = |v: i32| {
        RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new("$1", DataType::Int32, true)])),
            vec![Arc::new(Int32Array::from(vec![v]))],
        )
        .unwrap()
    };
    stmt.set_parameters(bind(2)).unwrap();
    let info = stmt.execute().await.unwrap();
    assert_eq!(strings(&fetch(&mut c, info).await, "n"), ["3", "4"]);
    stmt.set_parameters(bind(3)).unwrap();
    let info = stmt.execute().await.unwrap();
    assert_eq!(strings(&fetch(&mut c, info).await, "n"), ["4"]);
    stmt.close().await.unwrap();

    let mut insert = c
        .prepare("INSERT INTO nums VALUES ($1)".into(), None)
        .await
        .unwrap();
    insert.set_parameters(bind(10)).unwrap();
    assert_eq!(insert.execute_update().await.unwrap(), 1);
    assert_eq!(
        strings(&query(&mut c, "SELECT sum(n) AS s FROM nums").await, "s"),
        ["20"]
    );
    s.shutdown().await.unwrap();
}

/// Sends `CancelFlightInfo` for `info`; returns the `CancelStatus` the server answered.
async fn cancel(client: &mut FlightSqlServiceClient<Channel>, info: &FlightInfo) -> CancelStatus {
    let request = CancelFlightInfoRequest {
        info: Some(info.clone()),
    };
    let mut results = client
        .do_action(Action::new("CancelFlightInfo", request.encode_to_vec()))
        .await
        .unwrap();
    let result = results.try_next().await.unwrap().unwrap();
    let status = CancelFlightInfoResult::decode(result.body).unwrap().status;
    CancelStatus::try_from(status).unwrap()
}

/// Starts `sql` and waits for its first batch, so the query is running.
async fn start(
    client: &mut FlightSqlServiceClient<Channel>,
    sql: &str,
) -> (FlightInfo, FlightRecordBatchStream) {
    let info = client.execute(sql.into(), None).await.unwrap();
    let ticket = info.endpoint[0].ticket.clone().unwrap();
    let mut stream = client.do_get(ticket).await.unwrap();
    assert!(stream.try_next().await.unwrap().is_some(), "first batch");
    (info, stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_flight_info_stops_a_running_query() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &["--target-partitions", "1"]).await;
    let mut c = client(&s).await;
    // Many small batches: the stream is still running after the first one arrives.
    let sql = "SELECT a * b AS v \
               FROM generate_series(1, 3000) AS a, generate_series(1, 3000) AS b";

    let (info, mut stream) = start(&mut c, sql).await;
    assert_eq!(cancel(&mut c, &info).await, CancelStatus::Cancelled);
    let mut rows = 0usize;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(batch)) => rows += batch.num_rows(),
            Ok(None) => panic!("stream finished all {rows} rows despite the cancel"),
            Err(e) => break e,
        }
    };
    assert!(
        matches!(&err, FlightError::Tonic(s) if s.code() == Code::Cancelled),
        "{err:?}"
    );
    assert!(rows < 9_000_000);
    assert_eq!(cancel(&mut c, &info).await, CancelStatus::NotCancellable);

    // A stream the client drops stops its query too: the server lets go of it, so there is
    // nothing left to cancel.
    let (info, stream) = start(&mut c, sql).await;
    drop(stream);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while cancel(&mut c, &info).await != CancelStatus::NotCancellable {
        assert!(
            std::time::Instant::now() < deadline,
            "the dropped stream still runs"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    s.shutdown().await.unwrap();
}
