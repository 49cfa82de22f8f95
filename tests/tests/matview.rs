//! Materialized views through the Postgres wire: create, query, refresh, reschedule, drop, views over
//! views, and the `hangar.refreshes` history.

use std::path::Path;

use tokio_postgres::Client;

use crate::common::{connect, managed_folder, server, sqlstate, text_rows};

/// Rows as `col|col|…` strings, NULL as `NULL`.
async fn rows(client: &Client, sql: &str) -> Vec<String> {
    text_rows(client, sql)
        .await
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".into()))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

async fn fails_with(client: &Client, sql: &str, code: &str) -> String {
    let error = client
        .simple_query(sql)
        .await
        .err()
        .unwrap_or_else(|| panic!("{sql} succeeded"));
    assert_eq!(sqlstate(&error), code, "{sql}: {error:?}");
    error.as_db_error().unwrap().message().to_string()
}

/// Whether a folder holds a file, at any depth (deleting objects leaves empty local folders). A
/// folder the server removes while it is read holds none.
fn holds_files(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| e.path().is_file() || holds_files(&e.path()))
    })
}

/// The version folders a view has in the warehouse (none once the server has removed its folder,
/// which it may do while the test reads it).
fn version_folders(warehouse: &Path, view: &str) -> Vec<String> {
    let Some(root) = managed_folder(&warehouse.join("views/public"), view) else {
        return vec![];
    };
    let Ok(entries) = std::fs::read_dir(root) else {
        return vec![];
    };
    let mut folders: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_query_refresh_and_drop() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &["--view-version-grace", "0s"]).await;
    let c = connect(&s).await;
    c.batch_execute(
        "CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'north', 10), (2, 'south', 20)) AS t(id, region, amount)",
    )
    .await
    .unwrap();

    let created = c
        .simple_query(
            "CREATE MATERIALIZED VIEW by_region WITH (sort_by = 'region') AS \
             SELECT region, sum(amount) AS total FROM sales GROUP BY region",
        )
        .await
        .unwrap();
    assert!(
        created
            .iter()
            .any(|m| matches!(m, tokio_postgres::SimpleQueryMessage::CommandComplete(2))),
        "CREATE MATERIALIZED VIEW reports the rows it wrote: {created:?}"
    );
    let query = "SELECT region, total FROM by_region ORDER BY region";
    assert_eq!(rows(&c, query).await, ["north|10", "south|20"]);

    // The view keeps its version until refreshed.
    c.batch_execute("INSERT INTO sales VALUES (3, 'north', 5)")
        .await
        .unwrap();
    assert_eq!(rows(&c, query).await, ["north|10", "south|20"]);
    c.batch_execute("REFRESH MATERIALIZED VIEW by_region")
        .await
        .unwrap();
    assert_eq!(rows(&c, query).await, ["north|15", "south|20"]);

    // Refreshing unchanged sources gives the same contents.
    c.batch_execute("REFRESH MATERIALIZED VIEW CONCURRENTLY public.by_region")
        .await
        .unwrap();
    assert_eq!(rows(&c, query).await, ["north|15", "south|20"]);

    // With no grace period, replaced versions go once the refresh is done.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while version_folders(dir.path(), "by_region").len() > 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            version_folders(dir.path(), "by_region")
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(version_folders(dir.path(), "by_region")[0].starts_with("v0000000003-"));

    // A view over a view.
    c.batch_execute(
        "CREATE MATERIALIZED VIEW big_regions AS SELECT region FROM by_region WHERE total > 16",
    )
    .await
    .unwrap();
    assert_eq!(rows(&c, "SELECT * FROM big_regions").await, ["south"]);

    // Views are not tables, and their sources stay while they are read.
    fails_with(&c, "INSERT INTO by_region VALUES ('east', 1)", "42809").await;
    fails_with(&c, "DROP TABLE by_region", "42809").await;
    fails_with(&c, "DROP MATERIALIZED VIEW sales", "42809").await;
    let message = fails_with(&c, "DROP TABLE sales", "2BP01").await;
    assert!(message.contains("public.by_region"), "{message}");
    fails_with(&c, "DROP MATERIALIZED VIEW by_region", "2BP01").await;
    fails_with(&c, "REFRESH MATERIALIZED VIEW nope", "42P01").await;
    fails_with(
        &c,
        "CREATE MATERIALIZED VIEW by_region AS SELECT 1",
        "42P07",
    )
    .await;
    fails_with(
        &c,
        "CREATE MATERIALIZED VIEW loop AS SELECT * FROM loop",
        "42P01",
    )
    .await;

    assert_eq!(
        rows(
            &c,
            "SELECT table_name, table_type FROM information_schema.tables \
             WHERE table_schema = 'public' ORDER BY table_name"
        )
        .await,
        ["big_regions|VIEW", "by_region|VIEW", "sales|BASE TABLE"]
    );

    c.batch_execute(
        "DROP MATERIALIZED VIEW big_regions; DROP MATERIALIZED VIEW IF EXISTS by_region, nope",
    )
    .await
    .unwrap();
    fails_with(&c, "SELECT * FROM by_region", "42P01").await;
    // Dropped views' files go once the grace period is over (none here).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !version_folders(dir.path(), "by_region").is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "by_region's files stay"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    c.batch_execute("DROP TABLE sales").await.unwrap();
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_schedules_and_the_refresh_history() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let c = connect(&s).await;
    c.batch_execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (0, 'c')) AS v(x, day)",
    )
    .await
    .unwrap();

    // Not populated at creation: empty, with its columns, until the first refresh.
    c.batch_execute(
        "CREATE MATERIALIZED VIEW inv WITH (populate = false, partition_by = 'day', schedule = '0 3 * * *') \
         AS SELECT 10 / x AS q, day FROM t WHERE x > 0",
    )
    .await
    .unwrap();
    assert!(rows(&c, "SELECT q, day FROM inv").await.is_empty());
    c.batch_execute("REFRESH MATERIALIZED VIEW inv")
        .await
        .unwrap();
    assert_eq!(
        rows(&c, "SELECT q, day FROM inv ORDER BY day").await,
        ["10|a", "5|b"]
    );
    assert_eq!(rows(&c, "SELECT q FROM inv WHERE day = 'b'").await, ["5"]);

    // Schedules: set, cleared, refused when malformed.
    c.batch_execute("ALTER MATERIALIZED VIEW inv SET (schedule = '*/5 * * * *')")
        .await
        .unwrap();
    c.batch_execute("ALTER MATERIALIZED VIEW inv SET (schedule = 'none')")
        .await
        .unwrap();
    fails_with(
        &c,
        "ALTER MATERIALIZED VIEW inv SET (schedule = 'every day')",
        "22023",
    )
    .await;
    fails_with(
        &c,
        "ALTER MATERIALIZED VIEW t SET (schedule = '0 * * * *')",
        "42809",
    )
    .await;
    fails_with(
        &c,
        "ALTER MATERIALIZED VIEW inv SET (sort_by = 'q')",
        "0A000",
    )
    .await;
    fails_with(
        &c,
        "CREATE MATERIALIZED VIEW v WITH (colour = 'red') AS SELECT 1",
        "22023",
    )
    .await;
    fails_with(
        &c,
        "CREATE MATERIALIZED VIEW v WITH (sort_by = 'nope') AS SELECT 1 AS x",
        "22023",
    )
    .await;
    fails_with(&c, "ALTER MATERIALIZED VIEW inv RENAME TO other", "42601").await;

    // A refresh that fails keeps the current version, and is recorded with its error.
    c.batch_execute("INSERT INTO t VALUES (0, 'd')")
        .await
        .unwrap();
    c.batch_execute("CREATE MATERIALIZED VIEW strict AS SELECT 10 / x AS q FROM t WHERE x <> 0")
        .await
        .unwrap();
    fails_with(
        &c,
        "CREATE MATERIALIZED VIEW broken AS SELECT 10 / x AS q FROM t",
        "22012",
    )
    .await;
    fails_with(&c, "SELECT * FROM broken", "42P01").await;

    let history = rows(
        &c,
        "SELECT view, version, trigger, status, rows, error IS NULL, finished_at >= started_at \
         FROM hangar.refreshes ORDER BY started_at",
    )
    .await;
    assert_eq!(
        history,
        [
            "public.inv|1|manual|succeeded|2|t|t",
            "public.strict|1|creation|succeeded|2|t|t",
            "public.broken|1|creation|failed|NULL|f|t",
        ]
    );
    let error = rows(
        &c,
        "SELECT error FROM hangar.refreshes WHERE status = 'failed'",
    )
    .await;
    assert!(
        error[0].to_lowercase().contains("divide by zero"),
        "{error:?}"
    );
    assert_eq!(
        rows(&c, "SELECT count(*) FROM hangar.refreshes WHERE bytes > 0").await,
        ["2"]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_server_removes_what_a_stopped_one_left() {
    let dir = tempfile::tempdir().unwrap();
    let warehouse = dir.path();
    // The first server keeps dropped files for an hour, and stops long before that.
    let first = server(warehouse, &["--view-version-grace", "1h"]).await;
    let c = connect(&first).await;
    for sql in [
        "CREATE TABLE kept AS SELECT 1 AS x",
        "CREATE TABLE gone AS SELECT 1 AS x",
        "CREATE MATERIALIZED VIEW v AS SELECT x FROM kept",
        "CREATE MATERIALIZED VIEW w AS SELECT x FROM kept",
        "CREATE SCHEMA s",
        "CREATE TABLE s.t AS SELECT 1 AS x",
    ] {
        c.batch_execute(sql).await.unwrap();
    }
    let folder = |parent: &str, name: &str| managed_folder(&warehouse.join(parent), name).unwrap();
    let (kept, gone, v, w, t) = (
        folder("tables/public", "kept"),
        folder("tables/public", "gone"),
        folder("views/public", "v"),
        folder("views/public", "w"),
        folder("tables/s", "t"),
    );
    // What a refresh of w that died mid-write leaves behind.
    let died = w.join("v0000000009-died");
    std::fs::create_dir_all(&died).unwrap();
    std::fs::write(died.join("part-0.parquet"), b"half a file").unwrap();
    for sql in [
        "DROP TABLE gone",
        "DROP MATERIALIZED VIEW v",
        "DROP SCHEMA s CASCADE",
    ] {
        c.batch_execute(sql).await.unwrap();
    }
    first.shutdown().await.unwrap();
    for folder in [&gone, &v, &t, &died] {
        assert!(holds_files(folder), "{folder:?} was emptied too early");
    }

    // A second server, whose grace period is over, sweeps at start.
    let second = server(warehouse, &["--view-version-grace", "0s"]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    // Their folders go too, not only their files: nothing is left to list.
    while [&gone, &v, &t, &died].iter().any(|f| f.exists()) {
        assert!(
            std::time::Instant::now() < deadline,
            "left behind: {:?}",
            [&gone, &v, &t, &died].map(|f| (f, f.exists()))
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // What is still in the catalog stays.
    assert!(holds_files(&kept));
    assert_eq!(version_folders(warehouse, "w").len(), 1);
    let c = connect(&second).await;
    assert_eq!(rows(&c, "SELECT x FROM w").await, ["1"]);
    second.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_view_whose_columns_share_a_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    // Postgres names both columns `sum`, and refuses such a view.
    let error = client
        .batch_execute(
            "CREATE MATERIALIZED VIEW twice AS SELECT sum(x), sum(y) FROM (VALUES (1, 2)) AS t(x, y)",
        )
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "42701");
    assert_eq!(
        error.as_db_error().map(|e| e.message()),
        Some("column \"sum\" specified more than once")
    );
}
