//! SQL cannot reach files outside the configured stores.

use crate::common::{connect, server, sqlstate};

#[tokio::test]
async fn locations_outside_the_stores_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let warehouse = dir.path().join("warehouse");
    let s = server(&warehouse, &[]).await;
    let client = connect(&s).await;
    let outside = dir.path().join("outside.parquet");
    let refused = [
        (
            "CREATE EXTERNAL TABLE p STORED AS PARQUET LOCATION '/etc/'".to_string(),
            "42501",
        ),
        (
            "CREATE EXTERNAL TABLE p STORED AS PARQUET LOCATION 'file:///etc/passwd'".to_string(),
            "42501",
        ),
        (
            format!(
                "CREATE EXTERNAL TABLE p STORED AS PARQUET LOCATION '{}/../'",
                warehouse.display()
            ),
            "42501",
        ),
        (
            "CREATE EXTERNAL TABLE p STORED AS PARQUET LOCATION 's3://someone-else/data/'"
                .to_string(),
            "42501",
        ),
        (
            "CREATE EXTERNAL TABLE p STORED AS PARQUET LOCATION 'relative/dir/'".to_string(),
            "22023",
        ),
        ("SELECT * FROM '/etc/passwd'".to_string(), "42P01"),
        (
            "SELECT * FROM read_parquet('/etc/passwd')".to_string(),
            "42883",
        ),
    ];
    for (sql, code) in &refused {
        let err = client.simple_query(sql).await.unwrap_err();
        assert_eq!(&sqlstate(&err), code, "{sql}: {err:?}");
    }
    let err = client
        .simple_query(&format!(
            "COPY (SELECT 1 AS x) TO '{}' STORED AS PARQUET",
            outside.display()
        ))
        .await
        .unwrap_err();
    assert!(
        ["42501", "0A000", "42601"].contains(&sqlstate(&err).as_str()),
        "{err:?}"
    );
    assert!(!outside.exists(), "COPY wrote outside the warehouse");
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn external_tables_inside_the_warehouse_work() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    // Write hive-style partitions with Hangar itself, then register them as an external table.
    let base = dir.path().join("landing/events");
    for day in ["2024-01-01", "2024-01-02"] {
        let folder = base.join(format!("day={day}"));
        std::fs::create_dir_all(&folder).unwrap();
        client
            .batch_execute(&format!(
                "COPY (SELECT * FROM (VALUES (1), (2)) AS v(n)) TO '{}/part-0.parquet' STORED AS PARQUET",
                folder.display()
            ))
            .await
            .unwrap();
    }
    client
        .batch_execute(&format!(
            "CREATE EXTERNAL TABLE events STORED AS PARQUET LOCATION '{}' PARTITIONED BY (day)",
            base.display()
        ))
        .await
        .unwrap();
    let rows = crate::common::text_rows(
        &client,
        "SELECT day, sum(n) FROM events GROUP BY day ORDER BY day",
    )
    .await;
    assert_eq!(
        rows,
        vec![
            vec![Some("2024-01-01".into()), Some("3".into())],
            vec![Some("2024-01-02".into()), Some("3".into())]
        ]
    );
    // A single file works as a location too.
    client
        .batch_execute(&format!(
            "CREATE EXTERNAL TABLE one_day STORED AS PARQUET LOCATION '{}/day=2024-01-01/part-0.parquet'",
            base.display()
        ))
        .await
        .unwrap();
    let rows = crate::common::text_rows(&client, "SELECT count(*) FROM one_day").await;
    assert_eq!(rows, vec![vec![Some("2".into())]]);
    // Files that land later appear without a restart (listing cache TTL is 0 in tests).
    let folder = base.join("day=2024-01-03");
    std::fs::create_dir_all(&folder).unwrap();
    client
        .batch_execute(&format!(
            "COPY (SELECT 5 AS n) TO '{}/part-0.parquet' STORED AS PARQUET",
            folder.display()
        ))
        .await
        .unwrap();
    let rows = crate::common::text_rows(&client, "SELECT count(*) FROM events").await;
    assert_eq!(rows, vec![vec![Some("5".into())]]);
    s.shutdown().await.unwrap();
}
