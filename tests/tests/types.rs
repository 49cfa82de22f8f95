//! Every type DataFusion returns, through the Postgres wire in text and binary formats, NULLs
//! included.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use crate::common::{connect, server, text_rows};

/// One row of every type, then one row of NULLs of the same types.
const ALL_TYPES: &str = "
    SELECT * FROM (
      SELECT CAST(1 AS SMALLINT) AS i16, CAST(2 AS INT) AS i32, CAST(3 AS BIGINT) AS i64,
             CAST(1.5 AS REAL) AS f32, CAST(2.25 AS DOUBLE) AS f64, CAST(12.34 AS DECIMAL(10,2)) AS dec,
             'utf8' AS s, arrow_cast('large', 'LargeUtf8') AS ls, arrow_cast('view', 'Utf8View') AS vs,
             true AS b, DATE '2024-02-29' AS d, TIME '12:34:56' AS t,
             TIMESTAMP '2024-02-29 01:02:03' AS ts, arrow_cast(TIMESTAMP '2024-02-29 01:02:03', 'Timestamp(Microsecond, Some(\"UTC\"))') AS tstz,
             INTERVAL '1 day 2 hours' AS iv, CAST(X'DEADBEEF' AS BYTEA) AS bin, make_array(1, 2, 3) AS arr, 1 AS k
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2
    ) ORDER BY k";

/// The columns Parquet can store (all but the interval).
const STORABLE: &str = "i16, i32, i64, f32, f64, dec, s, ls, vs, b, d, t, ts, tstz, bin, arr, k";

#[tokio::test]
async fn every_type_round_trips_in_text_and_binary() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;

    let text = text_rows(&client, ALL_TYPES).await;
    let expected: Vec<Option<&str>> = vec![
        Some("1"),
        Some("2"),
        Some("3"),
        Some("1.5"),
        Some("2.25"),
        Some("12.34"),
        Some("utf8"),
        Some("large"),
        Some("view"),
        Some("t"),
        Some("2024-02-29"),
        Some("12:34:56"),
        Some("2024-02-29 01:02:03"),
        Some("2024-02-29 01:02:03+00"),
        Some("1 day 02:00:00"),
        Some("\\xdeadbeef"),
        Some("{1,2,3}"),
        Some("1"),
    ];
    let got: Vec<Option<&str>> = text[0].iter().map(|v| v.as_deref()).collect();
    assert_eq!(got, expected);
    assert!(text[1][..17].iter().all(Option::is_none), "{:?}", text[1]);

    // Binary format through the extended protocol, decoded by tokio-postgres' own types.
    let rows = client.query(ALL_TYPES, &[]).await.unwrap();
    let r = &rows[0];
    assert_eq!(r.get::<_, i16>("i16"), 1);
    assert_eq!(r.get::<_, i32>("i32"), 2);
    assert_eq!(r.get::<_, i64>("i64"), 3);
    assert_eq!(r.get::<_, f32>("f32"), 1.5);
    assert_eq!(r.get::<_, f64>("f64"), 2.25);
    assert_eq!(
        r.get::<_, rust_decimal::Decimal>("dec"),
        rust_decimal::Decimal::new(1234, 2)
    );
    assert_eq!(r.get::<_, String>("s"), "utf8");
    assert_eq!(r.get::<_, String>("ls"), "large");
    assert_eq!(r.get::<_, String>("vs"), "view");
    assert!(r.get::<_, bool>("b"));
    assert_eq!(
        r.get::<_, NaiveDate>("d"),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert_eq!(
        r.get::<_, NaiveTime>("t"),
        NaiveTime::from_hms_opt(12, 34, 56).unwrap()
    );
    assert_eq!(
        r.get::<_, chrono::NaiveDateTime>("ts"),
        NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_opt(1, 2, 3)
            .unwrap()
    );
    assert_eq!(
        r.get::<_, chrono::DateTime<Utc>>("tstz"),
        Utc.with_ymd_and_hms(2024, 2, 29, 1, 2, 3).unwrap()
    );
    assert_eq!(r.get::<_, Vec<u8>>("bin"), vec![0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(r.get::<_, Vec<i32>>("arr"), vec![1, 2, 3]);
    let n = &rows[1];
    assert_eq!(n.get::<_, Option<i16>>("i16"), None);
    assert_eq!(n.get::<_, Option<i64>>("i64"), None);
    assert_eq!(n.get::<_, Option<f64>>("f64"), None);
    assert_eq!(n.get::<_, Option<rust_decimal::Decimal>>("dec"), None);
    assert_eq!(n.get::<_, Option<String>>("vs"), None);
    assert_eq!(n.get::<_, Option<bool>>("b"), None);
    assert_eq!(n.get::<_, Option<NaiveDate>>("d"), None);
    assert_eq!(n.get::<_, Option<chrono::DateTime<Utc>>>("tstz"), None);
    assert_eq!(n.get::<_, Option<Vec<u8>>>("bin"), None);
    assert_eq!(n.get::<_, Option<Vec<i32>>>("arr"), None);
    // Decimal and interval columns carry their Postgres types.
    assert_eq!(
        r.columns()[5].type_(),
        &tokio_postgres::types::Type::NUMERIC
    );
    assert_eq!(
        r.columns()[14].type_(),
        &tokio_postgres::types::Type::INTERVAL
    );

    // The same types survive being written to Parquet and read back; Parquet has no interval type
    // that holds months, days and nanoseconds, which is refused clearly.
    let err = client
        .batch_execute(&format!("CREATE TABLE with_interval AS {ALL_TYPES}"))
        .await
        .unwrap_err();
    assert_eq!(crate::common::sqlstate(&err), "0A000", "{err:?}");
    client
        .batch_execute(&format!(
            "CREATE TABLE all_types AS SELECT {STORABLE} FROM ({ALL_TYPES})"
        ))
        .await
        .unwrap();
    let stored = text_rows(
        &client,
        &format!("SELECT {STORABLE} FROM ({ALL_TYPES}) EXCEPT SELECT * FROM all_types"),
    )
    .await;
    assert!(
        stored.is_empty(),
        "values changed through Parquet: {stored:?}"
    );
    assert_eq!(
        text_rows(&client, "SELECT count(*) FROM all_types").await,
        vec![vec![Some("2".into())]]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn decimals_and_dates_print_as_postgres_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    let row = text_rows(
        &client,
        "SELECT CAST(-0.05 AS DECIMAL(10,2)), CAST(-123.4 AS DECIMAL(12,3)), CAST(5 AS DECIMAL(10,0)), \
         CAST(99999999.99 AS DECIMAL(10,2)), DATE '0001-01-01', DATE '1999-12-31'",
    )
    .await;
    let got: Vec<Option<&str>> = row[0].iter().map(|v| v.as_deref()).collect();
    assert_eq!(
        got,
        [
            Some("-0.05"),
            Some("-123.400"),
            Some("5"),
            Some("99999999.99"),
            Some("0001-01-01"),
            Some("1999-12-31")
        ]
    );
    // SET DateStyle changes how dates print, as a DateStyle startup parameter does.
    client
        .batch_execute("SET DateStyle = 'German'")
        .await
        .unwrap();
    assert_eq!(
        text_rows(&client, "SELECT DATE '1999-12-31'").await,
        [[Some("31.12.1999".to_string())]]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn quoted_literals_compare_with_booleans() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE TABLE flags AS SELECT * FROM (VALUES (1, true), (2, false), (3, NULL)) AS v(id, on_sale)",
        )
        .await
        .unwrap();
    // As Postgres reads 'f', 'yes', ' TRUE ' next to a boolean (SQLAlchemy 1.4 sends `= 'f'`).
    for (condition, ids) in [
        ("on_sale = 'f'", "2"),
        ("'yes' = on_sale", "1"),
        ("on_sale <> ' TRUE '", "2"),
        ("on_sale IS DISTINCT FROM 'off'", "1,3"),
    ] {
        let sql = format!(
            "SELECT string_agg(CAST(id AS TEXT), ',' ORDER BY id) FROM flags WHERE {condition}"
        );
        assert_eq!(
            text_rows(&client, &sql).await[0][0].as_deref(),
            Some(ids),
            "{condition}"
        );
    }
    // A text column next to a text literal stays text.
    let names = text_rows(
        &client,
        "SELECT count(*) FROM (VALUES ('t'), ('true')) AS v(x) WHERE x = 't'",
    )
    .await;
    assert_eq!(names[0][0].as_deref(), Some("1"));
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn regtype_reads_type_names_as_postgres_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    // A type oid cast to regtype and then to text is the type's name, per element in an array
    // (pgcli's function list); a type name cast to regtype is its oid, by either of its names.
    let rows = text_rows(
        &client,
        "SELECT prorettype::regtype::text, proargtypes::regtype[]::text[],
                'integer'::regtype = 'int4'::regtype AS a, 'character varying'::regtype = 'varchar'::regtype AS b
         FROM pg_catalog.pg_proc
         WHERE proname = 'abs' AND prorettype = 'double precision'::regtype",
    )
    .await;
    assert_eq!(
        rows,
        [[
            Some("double precision".to_string()),
            Some("{\"double precision\"}".to_string()),
            Some("t".to_string()),
            Some("t".to_string())
        ]]
    );
    s.shutdown().await.unwrap();
}
