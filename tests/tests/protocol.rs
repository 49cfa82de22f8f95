//! The Postgres protocol through tokio-postgres: simple and extended query, parameters, session
//! settings and errors with their SQLSTATE.

use crate::common::{connect, connect_as, metric, server, sqlstate, text_rows, try_connect};

#[tokio::test]
async fn simple_and_extended_protocol_agree() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;

    let out = client
        .simple_query(
            "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) AS v(n, s)",
        )
        .await
        .unwrap();
    assert!(
        matches!(
            out.last(),
            Some(tokio_postgres::SimpleQueryMessage::CommandComplete(3))
        ),
        "{out:?}"
    );

    let rows = text_rows(&client, "SELECT n, s FROM t ORDER BY n").await;
    assert_eq!(
        rows,
        vec![
            vec![Some("1".into()), Some("a".into())],
            vec![Some("2".into()), Some("b".into())],
            vec![Some("3".into()), None]
        ]
    );
    // Extended protocol, binary results, a parameter whose type is inferred from the column.
    let rows = client
        .query("SELECT n, s FROM t WHERE n >= $1 ORDER BY n", &[&2i32])
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get::<_, i32>(0), 2);
    assert_eq!(rows[1].get::<_, Option<String>>(1), None);
    // A prepared statement runs many times with different parameters.
    let stmt = client
        .prepare("SELECT count(*) FROM t WHERE n < $1")
        .await
        .unwrap();
    assert_eq!(
        client
            .query_one(&stmt, &[&2i32])
            .await
            .unwrap()
            .get::<_, i64>(0),
        1
    );
    assert_eq!(
        client
            .query_one(&stmt, &[&10i32])
            .await
            .unwrap()
            .get::<_, i64>(0),
        3
    );
    // Several statements in one simple query.
    let rows = text_rows(&client, "SELECT 1; SELECT 2").await;
    assert_eq!(rows, vec![vec![Some("1".into())], vec![Some("2".into())]]);
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn insert_appends_and_new_files_appear() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute("CREATE TABLE events (id BIGINT, name VARCHAR)")
        .await
        .unwrap();
    let n = client
        .execute("INSERT INTO events VALUES (1, 'one'), (2, 'two')", &[])
        .await
        .unwrap();
    assert_eq!(n, 2);
    let n = client
        .execute("INSERT INTO events SELECT id + 10, name FROM events", &[])
        .await
        .unwrap();
    assert_eq!(n, 2);
    let rows = text_rows(&client, "SELECT sum(id), count(*) FROM events").await;
    assert_eq!(rows, vec![vec![Some("26".into()), Some("4".into())]]);
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn connect_time_statements_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute("SET extra_float_digits = 3; SET application_name = 'tests'; BEGIN; COMMIT; ROLLBACK; DISCARD ALL")
        .await
        .unwrap();
    client
        .batch_execute("SET DateStyle = 'ISO, DMY'")
        .await
        .unwrap();
    assert_eq!(
        text_rows(&client, "SHOW DateStyle").await,
        vec![vec![Some("ISO, DMY".into())]]
    );
    assert_eq!(
        text_rows(&client, "SELECT current_setting('datestyle')").await,
        vec![vec![Some("ISO, DMY".into())]]
    );
    let row = &text_rows(
        &client,
        "SELECT version(), current_database(), current_schema()",
    )
    .await[0];
    assert!(
        row[0].as_deref().unwrap().starts_with("PostgreSQL 16"),
        "{row:?}"
    );
    assert_eq!(row[1].as_deref(), Some("hangar"));
    assert_eq!(row[2].as_deref(), Some("public"));
    // Settings belong to the session: a second connection still has the default.
    let other = connect(&s).await;
    assert_eq!(
        text_rows(&other, "SHOW DateStyle").await,
        vec![vec![Some("ISO, MDY".into())]]
    );
    let err = client
        .simple_query("SHOW no_such_setting")
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&err), "42704");
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn reset_restores_what_the_session_started_with() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    let settings = "SELECT current_setting('datestyle') AS d, current_setting('timezone') AS z, \
                    current_setting('datafusion.execution.batch_size') AS b, \
                    current_setting('datafusion.execution.parquet.compression') AS c";
    let start = text_rows(&client, settings).await;
    let changes = "SET DateStyle = 'ISO, DMY'; SET TIME ZONE 'Europe/Paris'; \
                   SET datafusion.execution.batch_size = 1000; \
                   SET datafusion.execution.parquet.compression = 'zstd(1)'";
    client.batch_execute(changes).await.unwrap();
    // One setting at a time: the others keep their changes.
    client
        .batch_execute("RESET datestyle; RESET datafusion.execution.batch_size")
        .await
        .unwrap();
    let row = &text_rows(&client, settings).await[0];
    assert_eq!(row[0], start[0][0]);
    assert_eq!(row[1].as_deref(), Some("Europe/Paris"));
    assert_eq!(row[2], start[0][2]);
    assert_eq!(row[3].as_deref(), Some("zstd(1)"));
    // Everything, by RESET ALL or DISCARD ALL.
    for reset in ["RESET ALL", "DISCARD ALL"] {
        client.batch_execute(changes).await.unwrap();
        client.batch_execute(reset).await.unwrap();
        assert_eq!(text_rows(&client, settings).await, start, "{reset}");
    }
    s.shutdown().await.unwrap();
}

/// A filter of three terms keeps the rows all three keep, NULLs dropping theirs, whether its later
/// terms are evaluated on the rows the first kept or on all of them.
#[tokio::test]
async fn a_filter_of_several_terms_keeps_the_rows_all_of_them_keep() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE TABLE numbers AS SELECT value AS n, \
             CASE WHEN value % 10 = 0 THEN NULL ELSE value % 7 END AS m \
             FROM generate_series(1, 100000) AS value",
        )
        .await
        .unwrap();
    // With `below` 5 the first term keeps a twentieth of each batch, and the later ones are
    // evaluated on those rows only (optimizer/src/narrowing_filters.rs); with 50, on every row. A
    // NULL `m` drops its row.
    let query = "SELECT count(*), sum(n) FROM numbers WHERE n % 100 < $1 AND m > $2 AND n % 3 = 1";
    for (below, above) in [(5i32, 2i32), (50, 0), (0, 0)] {
        let expected: Vec<i64> = (1..=100_000i64)
            .filter(|n| {
                n % 100 < i64::from(below) && n % 10 != 0 && n % 7 > i64::from(above) && n % 3 == 1
            })
            .collect();
        let row = client.query_one(query, &[&below, &above]).await.unwrap();
        assert_eq!(
            row.get::<_, i64>(0),
            expected.len() as i64,
            "{below} {above}"
        );
        let sum = (!expected.is_empty()).then(|| expected.iter().sum::<i64>());
        assert_eq!(row.get::<_, Option<i64>>(1), sum, "{below} {above}");
    }
    s.shutdown().await.unwrap();
}

/// Decimal arithmetic over a Parquet table gives the exact values, computed here in integers,
/// whether it runs without checks (values too small to overflow: optimizer/src/decimal_arithmetic.rs)
/// or with them; a product that overflows fails with SQLSTATE 22003 and the session goes on.
#[tokio::test]
async fn decimal_arithmetic_is_exact_and_overflow_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE TABLE prices AS SELECT value AS k, \
             CAST(concat(value, '.', lpad(CAST(value * 7 % 100 AS VARCHAR), 2, '0')) \
               AS DECIMAL(15, 2)) AS price, \
             CASE WHEN value % 9 = 0 THEN NULL \
               ELSE CAST(concat('0.0', value % 10) AS DECIMAL(15, 2)) END AS discount, \
             CAST(concat('0.0', value % 8) AS DECIMAL(15, 2)) AS tax, \
             CAST('10000000000000000000000000000000000000' AS DECIMAL(38, 0)) + value AS big \
             FROM generate_series(1, 50000) AS value",
        )
        .await
        .unwrap();
    // In hundredths: the price, the discount (None every ninth row) and the tax.
    let rows = (1..=50_000i128).map(|k| {
        let discount = (k % 9 != 0).then_some(k % 10);
        (k * 100 + k * 7 % 100, discount, k % 8)
    });
    let (mut net, mut charged) = (0i128, 0i128);
    for (price, discount, tax) in rows {
        if let Some(discount) = discount {
            net += price * (100 - discount);
            charged += price * (100 - discount) * (100 + tax);
        }
    }
    let text = |value: i128, scale: u32| {
        let unit = 10i128.pow(scale);
        format!(
            "{}.{:0width$}",
            value / unit,
            value % unit,
            width = scale as usize
        )
    };
    let sums = text_rows(
        &client,
        "SELECT sum(price * (1 - discount)), sum(price * (1 - discount) * (1 + tax)), \
         sum(price - discount + tax) FROM prices",
    )
    .await;
    assert_eq!(sums[0][0].as_deref(), Some(text(net, 4).as_str()));
    assert_eq!(sums[0][1].as_deref(), Some(text(charged, 6).as_str()));
    let plain: i128 = (1..=50_000i128)
        .filter(|k| k % 9 != 0)
        .map(|k| k * 100 + k * 7 % 100 - k % 10 + k % 8)
        .sum();
    assert_eq!(sums[0][2].as_deref(), Some(text(plain, 2).as_str()));

    let row = text_rows(
        &client,
        "SELECT price * discount, big + big FROM prices WHERE k = 8",
    )
    .await;
    let big = 10i128.pow(37) + 8;
    assert_eq!(
        row,
        vec![vec![Some(text(856 * 8, 4)), Some((2 * big).to_string())]]
    );
    let err = client
        .query("SELECT max(big * big) FROM prices", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&err), "22003", "{err:?}");
    assert_eq!(
        text_rows(&client, "SELECT count(*) FROM prices").await,
        vec![vec![Some("50000".into())]]
    );
    s.shutdown().await.unwrap();
}

/// `SET datafusion.execution.parquet.…` changes how the session's next statements write Parquet
/// (rows per row group, for `CREATE TABLE AS` and `INSERT` alike) and read it (whether row groups
/// are skipped by their statistics); other sessions keep reading as before.
#[tokio::test]
async fn parquet_settings_apply_to_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "SET datafusion.execution.parquet.max_row_group_size = 1000; \
             CREATE TABLE numbers AS SELECT value AS n FROM generate_series(1, 10000) AS value; \
             INSERT INTO numbers SELECT value FROM generate_series(10001, 12000) AS value",
        )
        .await
        .unwrap();
    // The inserted file's two row groups; the first file is skipped by its statistics.
    let explain = "EXPLAIN ANALYZE SELECT count(*) FROM numbers WHERE n = 11000";
    let plan = |client| async move { text_rows(client, explain).await[0][1].clone().unwrap() };
    const PRUNED: &str = "row_groups_pruned_statistics";
    assert_eq!(metric(&plan(&client).await, PRUNED), "2 total → 1 matched");
    client
        .batch_execute("SET datafusion.execution.parquet.pruning = false")
        .await
        .unwrap();
    let unpruned = plan(&client).await;
    assert!(
        !unpruned.contains("row_groups_pruned_statistics=2 total → 1 matched"),
        "{unpruned}"
    );
    let count = "SELECT count(*) FROM numbers WHERE n = 11000";
    assert_eq!(
        text_rows(&client, count).await,
        vec![vec![Some("1".into())]]
    );
    let other = connect(&s).await;
    assert_eq!(metric(&plan(&other).await, PRUNED), "2 total → 1 matched");
    client.batch_execute("RESET ALL").await.unwrap();
    assert_eq!(metric(&plan(&client).await, PRUNED), "2 total → 1 matched");
    s.shutdown().await.unwrap();
}

/// Every session is cloned from one template the engine builds at start: what a session changes
/// (its settings) and what it is given (its user's functions) stay its own.
#[tokio::test]
async fn sessions_cloned_from_one_template_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let (alice, bob) = (connect_as(&s, "alice").await, connect_as(&s, "bob").await);
    let show = "SHOW datafusion.execution.batch_size";
    let default = text_rows(&bob, show).await;
    alice
        .batch_execute("SET datafusion.execution.batch_size = 123")
        .await
        .unwrap();
    assert_eq!(text_rows(&alice, show).await, [[Some("123".to_string())]]);
    assert_eq!(text_rows(&bob, show).await, default);
    assert_ne!(default, [[Some("123".to_string())]]);
    let carol = connect_as(&s, "carol").await;
    assert_eq!(text_rows(&carol, show).await, default);
    for (client, user) in [(&alice, "alice"), (&bob, "bob"), (&carol, "carol")] {
        assert_eq!(
            text_rows(client, "SELECT current_user, session_user").await,
            [[Some(user.to_string()), Some(user.to_string())]]
        );
    }
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn set_config_sets_as_set_does() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    // What asyncpg sends before it introspects a type: jit is off, and stays off.
    assert_eq!(
        text_rows(
            &client,
            "SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new"
        )
        .await,
        vec![vec![Some("off".into()), Some("off".into())]]
    );
    // The new value is answered, and later statements see it, DataFusion's settings included.
    assert_eq!(
        text_rows(
            &client,
            "SELECT set_config('application_name', 'dashboards', false), \
                            set_config('datafusion.execution.batch_size', '4096', true)"
        )
        .await,
        vec![vec![Some("dashboards".into()), Some("4096".into())]]
    );
    assert_eq!(
        text_rows(&client, "SHOW application_name").await,
        vec![vec![Some("dashboards".into())]]
    );
    assert_eq!(
        text_rows(
            &client,
            "SELECT current_setting('datafusion.execution.batch_size')"
        )
        .await,
        vec![vec![Some("4096".into())]]
    );
    let err = client
        .simple_query("SELECT set_config('datafusion.no_such_setting', '1', false)")
        .await
        .unwrap_err();
    assert!(err.as_db_error().is_some(), "{err}");
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn result_columns_may_share_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS v(id, name)")
        .await
        .unwrap();
    // As in Postgres: the extended protocol describes both columns, each with its own value.
    let rows = client
        .query(
            "SELECT id AS a, id * 10 AS a, name, t.name FROM t ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let names: Vec<&str> = rows[0].columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["a", "a", "name", "name"]);
    let values: Vec<(i32, i32, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(3)))
        .collect();
    assert_eq!(values, [(1, 10, "x".into()), (2, 20, "y".into())]);
    assert_eq!(
        text_rows(&client, "SELECT count(*), count(*) FROM t").await,
        [[Some("2".to_string()), Some("2".to_string())]]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn errors_carry_their_sqlstate() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let client = connect(&s).await;
    client
        .batch_execute("CREATE TABLE t AS SELECT 1 AS a")
        .await
        .unwrap();
    let cases = [
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table", "42P01"),
        ("SELECT no_such_column FROM t", "42703"),
        ("SELECT no_such_function(1)", "42883"),
        ("CREATE TABLE t AS SELECT 2 AS a", "42P07"),
        ("CREATE SCHEMA public", "42P06"),
        ("DROP SCHEMA no_such_schema", "3F000"),
        ("CREATE TABLE no_such_schema.x AS SELECT 1", "3F000"),
    ];
    for (sql, code) in cases {
        let err = client.simple_query(sql).await.unwrap_err();
        assert_eq!(sqlstate(&err), code, "{sql}: {err:?}");
        // Extended protocol gives the same code.
        let err = client.query(sql, &[]).await.unwrap_err();
        assert_eq!(sqlstate(&err), code, "{sql} (extended): {err:?}");
    }
    // The connection is still usable after errors.
    assert_eq!(
        text_rows(&client, "SELECT a FROM t").await,
        vec![vec![Some("1".into())]]
    );

    let err = try_connect(&s, "postgres").await.unwrap_err();
    assert_eq!(sqlstate(&err), "3D000");
    assert!(
        err.as_db_error().unwrap().message().contains("\"hangar\""),
        "{err:?}"
    );
    s.shutdown().await.unwrap();
}
