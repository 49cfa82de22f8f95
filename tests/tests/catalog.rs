//! The catalog survives restarts, and two servers on one warehouse lose none of each other's commits.

use crate::common::{connect, server, text_rows};

#[tokio::test]
async fn restart_keeps_schemas_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE SCHEMA sales;
             CREATE TABLE sales.orders AS SELECT * FROM (VALUES (1, 10.5), (2, 20.25)) AS v(id, amount);
             CREATE SCHEMA scratch; DROP SCHEMA scratch",
        )
        .await
        .unwrap();
    s.shutdown().await.unwrap();

    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    let rows = text_rows(&client, "SELECT id, amount FROM sales.orders ORDER BY id").await;
    assert_eq!(
        rows,
        vec![
            // Decimal literals are exact decimals; a column holds one scale (docs/compatibility.md).
            vec![Some("1".into()), Some("10.50".into())],
            vec![Some("2".into()), Some("20.25".into())]
        ]
    );
    let schemas = text_rows(
        &client,
        "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = 'hangar' ORDER BY 1",
    )
    .await;
    let names: Vec<_> = schemas.iter().map(|r| r[0].clone().unwrap()).collect();
    assert!(
        names.contains(&"sales".to_string()) && !names.contains(&"scratch".to_string()),
        "{names:?}"
    );
    client
        .batch_execute("DROP TABLE sales.orders; DROP SCHEMA sales")
        .await
        .unwrap();
    s.shutdown().await.unwrap();

    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    assert!(
        client
            .simple_query("SELECT * FROM sales.orders")
            .await
            .is_err()
    );
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_committing_concurrently_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = server(dir.path(), &[]).await;
    let b = server(dir.path(), &[]).await;
    let mut tasks = Vec::new();
    for (label, s) in [("a", &a), ("b", &b)] {
        let client = connect(s).await;
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                client
                    .batch_execute(&format!("CREATE TABLE t_{label}_{i} AS SELECT {i} AS v"))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for s in [&a, &b] {
        let client = connect(s).await;
        let rows = text_rows(
            &client,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 't\\_%'",
        )
        .await;
        assert_eq!(rows, vec![vec![Some("20".into())]]);
        let rows = text_rows(
            &client,
            "SELECT v FROM t_b_9 UNION ALL SELECT v FROM t_a_3 ORDER BY v",
        )
        .await;
        assert_eq!(rows, vec![vec![Some("3".into())], vec![Some("9".into())]]);
    }
    a.shutdown().await.unwrap();
    b.shutdown().await.unwrap();
}
