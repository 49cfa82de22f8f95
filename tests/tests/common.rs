//! Starting real servers for the tests, and connecting real clients to them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use hangar_engine::{Clock, SystemClock};
use hangar_server::{Cli, Command, RunningServer, start_with_clock};
use tokio_postgres::{Client, NoTls};

/// Starts a server on port 0 over the warehouse directory `dir`, with extra flags.
pub(crate) async fn server(dir: &Path, extra: &[&str]) -> RunningServer {
    server_with_clock(dir, extra, Arc::new(SystemClock)).await
}

/// [`server`], with its refresh scheduler reading time from `clock`.
pub(crate) async fn server_with_clock(
    dir: &Path,
    extra: &[&str],
    clock: Arc<dyn Clock>,
) -> RunningServer {
    let dir = dir.to_str().expect("utf-8 path");
    let mut args = vec![
        "hangar",
        "serve",
        "--pg-listen",
        "127.0.0.1:0",
        "--flight-listen",
        "127.0.0.1:0",
        "--data-dir",
        dir,
        "--catalog-refresh",
        "0s",
        "--listing-cache-ttl",
        "0s",
        "--shutdown-grace",
        "100ms",
    ];
    args.extend_from_slice(extra);
    let Command::Serve(config) = Cli::load_from(args).expect("valid flags").command;
    // `HANGAR_TEST_LOG=debug cargo test …` shows the servers' logs.
    let mut log = config.log.clone();
    log.log_level = std::env::var("HANGAR_TEST_LOG").unwrap_or_else(|_| "warn".into());
    hangar_server::init_logging(&log);
    start_with_clock(config, clock)
        .await
        .expect("server starts")
}

/// Connects tokio-postgres to a server as user `hangar`, database `hangar`.
pub(crate) async fn connect(server: &RunningServer) -> Client {
    connect_as(server, "hangar").await
}

/// Connects to the given database name.
pub(crate) async fn try_connect(
    server: &RunningServer,
    database: &str,
) -> Result<Client, tokio_postgres::Error> {
    try_connect_as(server, "hangar", database).await
}

/// Connects tokio-postgres to a server as `user`, database `hangar`.
pub(crate) async fn connect_as(server: &RunningServer, user: &str) -> Client {
    try_connect_as(server, user, "hangar")
        .await
        .expect("connects")
}

async fn try_connect_as(
    server: &RunningServer,
    user: &str,
    database: &str,
) -> Result<Client, tokio_postgres::Error> {
    let conn = format!(
        "host={} port={} user={user} dbname={database}",
        server.pg_addr.ip(),
        server.pg_addr.port()
    );
    let (client, connection) = tokio_postgres::connect(&conn, NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// A warehouse with the TPC-H demo tables at scale factor 0.01, generated once into cargo's
/// directory for test files and reused by later runs (the demo reuses tables that exist).
pub(crate) fn tpch_warehouse() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tpch-sf0.01");
        let path = dir.clone();
        // Its own thread and runtime: the calling test's runtime may be single-threaded.
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new()
                .expect("runtime")
                .block_on(async {
                    let s = server(&path, &["--demo", "--demo-scale", "0.01"]).await;
                    s.shutdown().await.expect("clean shutdown");
                })
        })
        .join()
        .expect("demo data generated");
        dir
    })
}

/// The text of TPC-H query `q` (1 to 22), with the specification's validation parameters: the same
/// files the benchmark suite runs.
pub(crate) fn tpch_query(q: u32) -> String {
    let path = format!(
        "{}/../benchmarks/queries/q{q}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first column of a simple-protocol query's rows (which must not be NULL).
pub(crate) async fn first_column(client: &Client, sql: &str) -> Vec<String> {
    text_rows(client, sql)
        .await
        .into_iter()
        .map(|row| row[0].clone().expect("not null"))
        .collect()
}

/// The folder Hangar created for a table or view in `parent`: named `<name>-<id>`.
pub(crate) fn managed_folder(parent: &Path, name: &str) -> Option<PathBuf> {
    std::fs::read_dir(parent)
        .ok()?
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{name}-")))
        })
}

/// Rows of a simple-protocol (text) query, NULL as `None`.
pub(crate) async fn text_rows(client: &Client, sql: &str) -> Vec<Vec<Option<String>>> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).map(str::to_string))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

/// The SQLSTATE of a failed statement.
pub(crate) fn sqlstate(error: &tokio_postgres::Error) -> String {
    error
        .as_db_error()
        .map(|e| e.code().code().to_string())
        .unwrap_or_else(|| panic!("not a server error: {error:?}"))
}

/// The value of the metric `name` in `text`, a line or the whole of an `EXPLAIN ANALYZE` plan
/// (the first scan's, for a plan): "6.09 K", "10 total → 1 matched".
pub(crate) fn metric<'a>(text: &'a str, name: &str) -> &'a str {
    let value = text
        .split(&format!("{name}="))
        .nth(1)
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"));
    value.split([',', ']']).next().unwrap().trim()
}
