//! The real `psql` binary: its catalog commands print Hangar's schemas, tables and columns.

use crate::common::{server, tpch_warehouse};

/// Runs one psql command against the server and returns its standard output.
async fn psql(addr: std::net::SocketAddr, command: &str) -> String {
    psql_commands(addr, &[command]).await
}

/// Runs psql commands one after the other in one session (as `-c` options), and returns psql's
/// standard output.
async fn psql_commands(addr: std::net::SocketAddr, commands: &[&str]) -> String {
    let out = tokio::process::Command::new("psql")
        .args([
            "-h",
            &addr.ip().to_string(),
            "-p",
            &addr.port().to_string(),
            "-U",
            "hangar",
            "-d",
            "hangar",
        ])
        .args(["-X", "-v", "ON_ERROR_STOP=1"])
        .args(commands.iter().flat_map(|c| ["-c", c]))
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .await
        .expect("psql is installed (Debian's postgresql-client; .ci/run installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success() && !stderr.contains("ERROR"),
        "psql {commands:?}: {stdout}\n{stderr}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_describes_the_warehouse() {
    let s = server(tpch_warehouse(), &[]).await;
    let addr = s.pg_addr;

    // Only the database a client can connect to.
    let databases = psql(addr, "\\l").await;
    let names: Vec<&str> = databases
        .lines()
        .filter_map(|l| l.split('|').next())
        .map(str::trim)
        .filter(|name| ["hangar", "postgres", "template0", "template1"].contains(name))
        .collect();
    assert_eq!(names, ["hangar"], "{databases}");

    let schemas = psql(addr, "\\dn").await;
    assert!(schemas.contains("public"), "{schemas}");

    let tables = psql(addr, "\\dt").await;
    for table in [
        "customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier",
    ] {
        assert!(
            tables
                .lines()
                .any(|l| l.contains(&format!(" {table} ")) && l.contains("table")),
            "{table} missing from \\dt:\n{tables}"
        );
    }

    let lineitem = psql(addr, "\\d lineitem").await;
    for (column, ty) in [
        ("l_orderkey", "bigint"),
        // A decimal column's precision and scale, which psql reads from `atttypmod`.
        ("l_quantity", "numeric(15,2)"),
        ("l_shipdate", "date"),
        ("l_comment", ""),
    ] {
        let line = lineitem
            .lines()
            .find(|l| l.trim_start().starts_with(column))
            .unwrap_or_else(|| panic!("{column} missing from \\d lineitem:\n{lineitem}"));
        assert!(line.contains(ty), "{column} should be {ty}: {line}");
    }
    let q1 = psql(
        addr,
        "SELECT l_returnflag, l_linestatus, count(*) FROM lineitem GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .await;
    assert!(q1.contains("(4 rows)"), "{q1}");
    s.shutdown().await.unwrap();
}

/// The rows of a table psql printed (its header left out), as trimmed cells.
fn listing(output: &str) -> Vec<Vec<String>> {
    output
        .lines()
        .filter(|l| l.contains('|'))
        .skip(1)
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_manages_materialized_views() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let addr = s.pg_addr;

    psql(
        addr,
        "CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'north', 10), (2, 'south', 20)) AS t(id, region, amount)",
    )
    .await;
    let created = psql(
        addr,
        "CREATE MATERIALIZED VIEW by_region WITH (schedule = '0 3 * * *') AS \
         SELECT region, sum(amount) AS total FROM sales GROUP BY region",
    )
    .await;
    assert!(created.contains("SELECT 2"), "{created}");
    psql(
        addr,
        "CREATE MATERIALIZED VIEW top_region WITH (populate = false) AS \
         SELECT region FROM by_region ORDER BY total DESC LIMIT 1",
    )
    .await;

    // \dm lists exactly the two views, as materialized views; \dt and \dv list neither (\dv shows
    // only the system view of refresh history).
    let views = listing(&psql(addr, "\\dm").await);
    let names: Vec<(&str, &str)> = views
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("by_region", "materialized view"),
            ("top_region", "materialized view")
        ],
        "{views:?}"
    );
    let tables = listing(&psql(addr, "\\dt").await);
    assert_eq!(
        tables.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(),
        ["sales"]
    );
    // The system view hangar.refreshes is outside the search path, so \dv leaves it out (as
    // Postgres does) and \dv with its schema lists it.
    assert!(listing(&psql(addr, "\\dv").await).is_empty());
    let system_views = listing(&psql(addr, "\\dv hangar.*").await);
    assert_eq!(system_views, [["hangar", "refreshes", "view", "postgres"]]);

    // \d describes a view's columns.
    let described = psql(addr, "\\d by_region").await;
    assert!(
        described.contains("Materialized view \"public.by_region\""),
        "{described}"
    );
    assert!(
        described
            .lines()
            .any(|l| l.trim_start().starts_with("total")),
        "{described}"
    );

    // pg_matviews tells whether a view holds data; REFRESH fills the unpopulated one.
    let matviews = "SELECT matviewname, ispopulated, definition LIKE '%GROUP BY region%' \
                    FROM pg_matviews ORDER BY 1";
    assert_eq!(
        listing(&psql(addr, matviews).await),
        [["by_region", "t", "t"], ["top_region", "f", "f"]]
    );
    let refreshed = psql(addr, "REFRESH MATERIALIZED VIEW top_region").await;
    assert!(
        refreshed.contains("REFRESH MATERIALIZED VIEW"),
        "{refreshed}"
    );
    let top = psql(addr, "SELECT region FROM top_region").await;
    assert!(top.contains("south") && top.contains("(1 row)"), "{top}");
    assert_eq!(
        listing(&psql(addr, matviews).await)[1],
        ["top_region", "t", "f"]
    );

    // ALTER … SET (schedule) and the history, then DROP.
    let altered = psql(
        addr,
        "ALTER MATERIALIZED VIEW by_region SET (schedule = 'none')",
    )
    .await;
    assert!(altered.contains("ALTER MATERIALIZED VIEW"), "{altered}");
    let history = psql(
        addr,
        "SELECT view, trigger, status FROM hangar.refreshes ORDER BY started_at",
    )
    .await;
    assert_eq!(
        listing(&history),
        [
            ["public.by_region", "creation", "succeeded"],
            ["public.top_region", "manual", "succeeded"]
        ],
        "{history}"
    );
    let dropped = psql(addr, "DROP MATERIALIZED VIEW top_region, by_region").await;
    assert!(dropped.contains("DROP MATERIALIZED VIEW"), "{dropped}");
    assert!(listing(&psql(addr, "\\dm").await).is_empty());
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_expanded_output_functions_and_copy_to_a_file() {
    let s = server(tpch_warehouse(), &[]).await;
    let addr = s.pg_addr;

    let expanded = psql_commands(
        addr,
        &[
            "\\x on",
            "SELECT r_regionkey, r_name FROM region ORDER BY 1 LIMIT 2",
        ],
    )
    .await;
    assert!(expanded.contains("-[ RECORD 2 ]"), "{expanded}");
    assert!(
        expanded
            .lines()
            .any(|l| l.starts_with("r_name") && l.ends_with("AMERICA")),
        "{expanded}"
    );

    // \df lists functions outside pg_catalog: Hangar defines none. \df with a pattern lists
    // pg_catalog's.
    let functions = psql(addr, "\\df").await;
    assert!(functions.contains("List of functions"), "{functions}");
    let abs = psql(addr, "\\df abs").await;
    assert!(abs.contains("pg_catalog | abs"), "{abs}");

    // \copy runs COPY … TO STDOUT and writes what arrives into a client-side file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nations.csv");
    let copied = psql(
        addr,
        &format!(
            "\\copy (SELECT n_nationkey, n_name FROM nation ORDER BY 1) to '{}' with csv header",
            file.display()
        ),
    )
    .await;
    assert_eq!(copied.trim(), "COPY 25");
    let csv = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 26, "{csv}");
    assert_eq!(lines[..2], ["n_nationkey,n_name", "0,ALGERIA"]);
    s.shutdown().await.unwrap();
}
