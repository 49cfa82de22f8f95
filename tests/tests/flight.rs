//! Arrow Flight SQL through arrow-flight's own `FlightSqlServiceClient`: queries, updates, metadata,
//! the handshake and tokens, error codes, and results equal to the Postgres wire's.

use arrow_flight::FlightInfo;
use arrow_flight::sql::client::FlightSqlServiceClient;
use arrow_flight::sql::{CommandGetDbSchemas, CommandGetTables, SqlInfo};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::concat_batches;
use futures::TryStreamExt;
use hangar_server::RunningServer;
use tonic::Code;
use tonic::transport::Channel;

use crate::common::{connect, server, text_rows, tpch_warehouse};

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
    concat_batches(&schema, &batches).unwrap()
}

async fn query(client: &mut FlightSqlServiceClient<Channel>, sql: &str) -> RecordBatch {
    let info = client
        .execute(sql.to_string(), None)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    fetch(client, info).await
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<String> {
    let array = datafusion::arrow::compute::cast(
        batch.column_by_name(column).unwrap(),
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
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tpch_through_flight_equals_the_postgres_wire() {
    let s = server(tpch_warehouse(), &[]).await;
    let mut c = client(&s).await;
    let pg = connect(&s).await;
    for q in 1..=22 {
        let sql = std::fs::read_to_string(format!("{}/tpch/q{q}.sql", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
        let batch = query(&mut c, &sql).await;
        let wire = text_rows(&pg, &sql).await;
        assert_eq!(batch.num_rows(), wire.len(), "q{q}: row counts differ");
        // Both come from the same plan; compare the first column's values as numbers or text.
        if batch.num_rows() > 0 {
            let flight_first: Vec<String> = strings(&batch, batch.schema().field(0).name());
            let wire_first: Vec<String> = wire
                .iter()
                .map(|r| r[0].clone().unwrap_or_else(|| "NULL".into()))
                .collect();
            let same = flight_first.iter().zip(&wire_first).all(|(a, b)| {
                match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) => (x - y).abs() <= 1e-6 * x.abs().max(1.0),
                    _ => a == b,
                }
            });
            assert!(same, "q{q}: {flight_first:?} != {wire_first:?}");
        }
    }
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepared_statements_bind_parameters() {
    use datafusion::arrow::array::Int64Array;
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
    assert_eq!(params.field(0).data_type(), &DataType::Int64);
    assert_eq!(stmt.dataset_schema().unwrap().field(0).name(), "n");
    let bind = |v: i64| {
        RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new("$1", DataType::Int64, true)])),
            vec![Arc::new(Int64Array::from(vec![v]))],
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
