//! The real `psql` binary: its catalog commands print Hangar's schemas, tables and columns.

use crate::common::{server, tpch_warehouse};

/// Runs one psql command against the server and returns its standard output.
async fn psql(addr: std::net::SocketAddr, command: &str) -> String {
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
        .args(["-X", "-v", "ON_ERROR_STOP=1", "-c", command])
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .await
        .expect("psql is installed (Debian's postgresql-client; .ci/run installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success() && !stderr.contains("ERROR"),
        "psql {command}: {stdout}\n{stderr}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_describes_the_warehouse() {
    let s = server(tpch_warehouse(), &[]).await;
    let addr = s.pg_addr;

    let databases = psql(addr, "\\l").await;
    assert!(
        databases
            .lines()
            .any(|l| l.trim_start().starts_with("hangar")),
        "{databases}"
    );

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
        ("l_quantity", "numeric"),
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
