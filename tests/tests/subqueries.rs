//! Scalar subqueries get Postgres's answers: over user tables in full, over `pg_catalog` as far as
//! Hangar's catalog holds them.

use hangar_engine::EMPTY_CATALOG_TABLES;

use crate::common::{connect, server, text_rows};

#[tokio::test]
async fn correlated_subqueries_in_a_select_list_give_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE TABLE region AS SELECT * FROM (VALUES (0, 'AFRICA'), (1, 'AMERICA')) AS v(r_key, r_name);
             CREATE TABLE nation AS SELECT * FROM (VALUES ('KENYA', 0), ('PERU', 1), ('CHILE', 1), ('ATLANTIS', 9))
                 AS v(n_name, n_key)",
        )
        .await
        .unwrap();
    let rows = |sql: &'static str| {
        let client = &client;
        async move {
            text_rows(client, sql)
                .await
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|v| v.unwrap_or("NULL".into()))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<_>>()
        }
    };
    // One row picked per outer row, qualified or not; NULL where none matches.
    for sql in [
        "SELECT n.n_name, (SELECT r.r_name FROM region r WHERE r.r_key = n.n_key) FROM nation n ORDER BY 1",
        "SELECT n_name, (SELECT r_name FROM region WHERE r_key = n_key) FROM nation ORDER BY 1",
    ] {
        assert_eq!(
            rows(sql).await,
            [
                "ATLANTIS|NULL",
                "CHILE|AMERICA",
                "KENYA|AFRICA",
                "PERU|AMERICA"
            ],
            "{sql}"
        );
    }
    // An aggregate counts 0, not NULL, where nothing matches; also under CASE.
    assert_eq!(
        rows(
            "SELECT r_name, (SELECT count(*) FROM nation n WHERE n.n_key = r.r_key),
                    CASE WHEN r_key > 0 THEN (SELECT min(n_name) FROM nation n WHERE n.n_key = r.r_key) END
             FROM region r ORDER BY 1"
        )
        .await,
        ["AFRICA|1|NULL", "AMERICA|2|CHILE"]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_catalog_tables_taken_as_empty_are_empty() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    for table in EMPTY_CATALOG_TABLES {
        let count = text_rows(&client, &format!("SELECT count(*) FROM pg_catalog.{table}")).await;
        assert_eq!(count[0][0].as_deref(), Some("0"), "{table}");
    }
    s.shutdown().await.unwrap();
}
