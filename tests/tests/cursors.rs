//! Cursors and `COPY … TO STDOUT` through tokio-postgres: the statements psycopg's named cursors,
//! ODBC tools and `psql \copy` send.

use futures::TryStreamExt;

use crate::common::{connect, first_column, server, sqlstate, text_rows, tpch_warehouse};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_fetch_move_and_close() {
    let s = server(tpch_warehouse(), &[]).await;
    let client = connect(&s).await;

    client
        .batch_execute(
            "BEGIN; DECLARE c CURSOR WITH HOLD FOR SELECT n_nationkey FROM nation ORDER BY 1",
        )
        .await
        .unwrap();
    assert_eq!(first_column(&client, "FETCH 2 FROM c").await, ["0", "1"]);
    // MOVE skips rows and reports how many; unquoted names fold to lower case.
    let moved = client.simple_query("MOVE FORWARD 3 IN C").await.unwrap();
    assert!(
        matches!(
            moved.last(),
            Some(tokio_postgres::SimpleQueryMessage::CommandComplete(3))
        ),
        "{moved:?}"
    );
    assert_eq!(first_column(&client, "FETCH NEXT FROM c").await, ["5"]);
    // A fetch of more rows than a batch holds spans batches; the end gives what is left.
    assert_eq!(
        first_column(&client, "FETCH FORWARD 100 FROM c")
            .await
            .len(),
        19
    );
    assert!(first_column(&client, "FETCH ALL FROM c").await.is_empty());

    let backward = client.simple_query("FETCH BACKWARD 1 FROM c").await;
    assert_eq!(sqlstate(&backward.unwrap_err()), "55000");
    let twice = client
        .simple_query("DECLARE c CURSOR FOR SELECT 1")
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&twice), "42P03");

    // A cursor WITH HOLD outlives COMMIT; one without closes with the transaction.
    client
        .batch_execute("DECLARE brief CURSOR FOR SELECT 1; COMMIT")
        .await
        .unwrap();
    let gone = client.simple_query("FETCH 1 FROM brief").await.unwrap_err();
    assert_eq!(sqlstate(&gone), "34000");
    assert!(first_column(&client, "FETCH 1 FROM c").await.is_empty());
    client.batch_execute("CLOSE c").await.unwrap();
    let closed = client.simple_query("CLOSE c").await.unwrap_err();
    assert_eq!(sqlstate(&closed), "34000");

    // The extended protocol: a parameter in the cursor's query, typed rows from FETCH.
    client
        .execute(
            "DECLARE asia CURSOR WITH HOLD FOR SELECT n_nationkey, n_name FROM nation \
             WHERE n_regionkey = $1 ORDER BY 1",
            &[&2_i64],
        )
        .await
        .unwrap();
    let rows = client.query("FETCH 2 FROM asia", &[]).await.unwrap();
    let names: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(names, [(8, "INDIA".into()), (9, "INDONESIA".into())]);
    client.batch_execute("CLOSE ALL").await.unwrap();
    let gone = client.query("FETCH 1 FROM asia", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&gone), "34000");
    s.shutdown().await.unwrap();
}

/// A cursor's and a COPY's query are planned as the same query on its own is: with the fallbacks
/// for what DataFusion refuses, such as result columns that share a name (`SELECT 1, 1`), which
/// Postgres allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_and_copy_plan_their_query_as_a_query() {
    let s = server(tpch_warehouse(), &[]).await;
    let client = connect(&s).await;
    let query = "SELECT n_name, n_name FROM nation WHERE n_nationkey < 2 ORDER BY 1";
    let alone = text_rows(&client, query).await;
    assert_eq!(alone.len(), 2);

    client
        .batch_execute(&format!("BEGIN; DECLARE twice CURSOR FOR {query}"))
        .await
        .unwrap();
    assert_eq!(text_rows(&client, "FETCH ALL FROM twice").await, alone);
    client.batch_execute("COMMIT").await.unwrap();

    let copied = copy_out(&client, &format!("COPY ({query}) TO STDOUT")).await;
    assert_eq!(
        String::from_utf8(copied).unwrap(),
        "ALGERIA\tALGERIA\nARGENTINA\tARGENTINA\n"
    );
    s.shutdown().await.unwrap();
}

/// All the bytes of a `COPY … TO STDOUT`.
async fn copy_out(client: &tokio_postgres::Client, sql: &str) -> Vec<u8> {
    let stream = client
        .copy_out(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let chunks: Vec<_> = stream.try_collect().await.unwrap();
    chunks.concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_to_stdout_in_text_csv_and_binary() {
    let s = server(tpch_warehouse(), &[]).await;
    let client = connect(&s).await;
    let values = "SELECT * FROM (VALUES (1, 'plain', 'a\tb'), (2, NULL, 'back\\slash'), \
                  (3, 'say \"hi\", then', 'two\nlines')) AS t(id, word, odd) ORDER BY id";

    let text = copy_out(&client, &format!("COPY ({values}) TO STDOUT")).await;
    assert_eq!(
        String::from_utf8(text).unwrap(),
        "1\tplain\ta\\tb\n2\t\\N\tback\\\\slash\n3\tsay \"hi\", then\ttwo\\nlines\n"
    );

    let csv = copy_out(
        &client,
        &format!("COPY ({values}) TO STDOUT WITH (FORMAT csv, HEADER, NULL 'NULL')"),
    )
    .await;
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "id,word,odd\n1,plain,a\tb\n2,NULL,back\\slash\n3,\"say \"\"hi\"\", then\",\"two\nlines\"\n"
    );

    // Another delimiter is escaped where a value holds it.
    let piped = copy_out(
        &client,
        "COPY (SELECT 'a|b' AS s, 'c\rd' AS t) TO STDOUT WITH (DELIMITER '|')",
    )
    .await;
    assert_eq!(String::from_utf8(piped).unwrap(), "a\\|b|c\\rd\n");

    // Many rows, through many of the buffers rows are written into: the same lines as the rows
    // of the query.
    let lines = "SELECT l_orderkey, l_comment FROM lineitem ORDER BY l_orderkey, l_linenumber";
    let copied = copy_out(&client, &format!("COPY ({lines}) TO STDOUT")).await;
    let expected: String = text_rows(&client, lines)
        .await
        .into_iter()
        .map(|row| {
            format!(
                "{}\t{}\n",
                row[0].as_deref().unwrap(),
                row[1].as_deref().unwrap()
            )
        })
        .collect();
    assert!(expected.len() > 1 << 20, "{} bytes", expected.len());
    assert!(String::from_utf8(copied).unwrap() == expected);

    // A table with a column list, and the old option syntax psql's \copy writes.
    let region = copy_out(&client, "COPY region (r_regionkey, r_name) TO STDOUT CSV").await;
    assert_eq!(
        String::from_utf8(region).unwrap().lines().next(),
        Some("0,AFRICA")
    );

    // Binary: the signature, then per row a field count and length-prefixed fields, then -1.
    let binary = copy_out(
        &client,
        "COPY (SELECT 7::int AS n, 'x' AS s) TO STDOUT (FORMAT binary)",
    )
    .await;
    let mut expected = b"PGCOPY\n\xff\r\n\0".to_vec();
    expected.extend_from_slice(&[0; 8]);
    expected.extend_from_slice(&2_i16.to_be_bytes());
    expected.extend_from_slice(&4_i32.to_be_bytes());
    expected.extend_from_slice(&7_i32.to_be_bytes());
    expected.extend_from_slice(&1_i32.to_be_bytes());
    expected.push(b'x');
    expected.extend_from_slice(&(-1_i16).to_be_bytes());
    assert_eq!(binary, expected);

    for (sql, code) in [
        ("COPY nation FROM STDIN", "0A000"),
        ("COPY nation TO STDOUT (FORMAT xml)", "22023"),
        ("COPY nope TO STDOUT", "42P01"),
    ] {
        let Err(error) = client.copy_out(sql).await else {
            panic!("{sql} should fail");
        };
        assert_eq!(sqlstate(&error), code, "{sql}");
    }
    // The connection is still usable after the refusals.
    assert_eq!(text_rows(&client, "SELECT 1").await, [[Some("1".into())]]);
    s.shutdown().await.unwrap();
}
