//! The warehouse on a real S3-compatible server (moto's server mode, started on loopback by the test).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{connect, server, text_rows};

/// A moto S3 server on a free loopback port, killed on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Self {
        // moto cannot report a port it picked itself, so ask the OS for a free one and hand it over.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with moto[server] installed (.ci/run installs it)");
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// A Hangar config file in `dir` whose warehouse options reach this server, with `extra`
    /// options after them.
    fn config_file(&self, dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
        let path = dir.join("hangar.toml");
        let options = format!(
            "[warehouse_options]\naws_endpoint = \"{}\"\naws_allow_http = \"true\"\naws_region = \"us-east-1\"\n\
             aws_access_key_id = \"test\"\naws_secret_access_key = \"test\"\n{extra}",
            self.endpoint
        );
        std::fs::write(&path, options).unwrap();
        path
    }

    /// A Python boto3 client of this server, as source text.
    fn boto3(&self) -> String {
        format!(
            "boto3.client('s3', endpoint_url='{}', aws_access_key_id='test', \
             aws_secret_access_key='test', region_name='us-east-1')",
            self.endpoint
        )
    }

    /// Every object of `bucket`, each with its server-side encryption (`-` when none).
    fn encryption_of_objects(&self, bucket: &str) -> Vec<(String, String)> {
        let script = format!(
            "import boto3\ns3 = {}\n\
             for page in s3.get_paginator('list_objects_v2').paginate(Bucket='{bucket}'):\n\
             \x20   for o in page.get('Contents', []):\n\
             \x20       head = s3.head_object(Bucket='{bucket}', Key=o['Key'])\n\
             \x20       print(o['Key'], head.get('ServerSideEncryption', '-'))\n",
            self.boto3()
        );
        let out = Command::new("python3")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| line.rsplit_once(' '))
            .map(|(key, sse)| (key.to_string(), sse.to_string()))
            .collect()
    }

    fn create_bucket(&self, bucket: &str) {
        let script = format!(
            "import boto3; {}.create_bucket(Bucket='{bucket}')",
            self.boto3()
        );
        let status = Command::new("python3")
            .args(["-c", &script])
            .status()
            .unwrap();
        assert!(status.success(), "bucket creation failed");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warehouse_on_s3_survives_restart() {
    let moto = Moto::start();
    moto.create_bucket("lake");
    let dir = tempfile::tempdir().unwrap();
    let config = moto.config_file(dir.path(), "");
    let flags = [
        "--warehouse",
        "s3://lake/warehouse",
        "--config",
        config.to_str().unwrap(),
    ];

    let s = server(dir.path(), &flags).await;
    let client = connect(&s).await;
    client
        .batch_execute(
            "CREATE SCHEMA sales;
             CREATE TABLE sales.orders AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name);
             INSERT INTO sales.orders VALUES (3, 'c');
             COPY (SELECT 7 AS n) TO 's3://lake/warehouse/landing/x/part-0.parquet' STORED AS PARQUET;
             CREATE EXTERNAL TABLE landed STORED AS PARQUET LOCATION 's3://lake/warehouse/landing/x/'",
        )
        .await
        .unwrap();
    let err = client
        .simple_query(
            "CREATE EXTERNAL TABLE other STORED AS PARQUET LOCATION 's3://lake/elsewhere/'",
        )
        .await
        .unwrap_err();
    assert_eq!(crate::common::sqlstate(&err), "42501");
    s.shutdown().await.unwrap();

    let s = server(dir.path(), &flags).await;
    let client = connect(&s).await;
    let rows = text_rows(&client, "SELECT count(*), max(name) FROM sales.orders").await;
    assert_eq!(rows, vec![vec![Some("3".into()), Some("c".into())]]);
    let rows = text_rows(&client, "SELECT n FROM landed").await;
    assert_eq!(rows, vec![vec![Some("7".into())]]);
    s.shutdown().await.unwrap();
    // Nothing was written to the local data directory.
    assert!(!dir.path().join("_catalog").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_encryption_reaches_every_write() {
    let moto = Moto::start();
    moto.create_bucket("vault");
    let dir = tempfile::tempdir().unwrap();
    let config = moto.config_file(dir.path(), "aws_server_side_encryption = \"AES256\"\n");
    let password = dir.path().join("password");
    std::fs::write(&password, "pw\n").unwrap();
    let flags = [
        "--warehouse",
        "s3://vault/warehouse",
        "--config",
        config.to_str().unwrap(),
        "--superuser-password-file",
        password.to_str().unwrap(),
    ];
    let s = server(dir.path(), &flags).await;
    let conn = format!(
        "host={} port={} user=hangar password=pw dbname=hangar",
        s.pg_addr.ip(),
        s.pg_addr.port()
    );
    let (client, connection) = tokio_postgres::connect(&conn, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute(
            "CREATE TABLE t AS VALUES (1, 'a'), (2, 'b');
             INSERT INTO t VALUES (3, 'c');
             CREATE MATERIALIZED VIEW v AS SELECT count(*) AS n FROM t;
             REFRESH MATERIALIZED VIEW v;
             CREATE USER u PASSWORD 'u-pw';
             COPY (SELECT 1 AS x) TO 's3://vault/warehouse/exports/x.parquet' STORED AS PARQUET",
        )
        .await
        .unwrap();
    s.shutdown().await.unwrap();
    let objects = moto.encryption_of_objects("vault");
    // Data, catalog manifests, view versions, refresh records and the warehouse's keys.
    for part in [
        "/_catalog/",
        "/views/",
        "/_refreshes/",
        "/_secrets/",
        "/exports/",
    ] {
        assert!(
            objects.iter().any(|(key, _)| key.contains(part)),
            "no object under {part}: {objects:?}"
        );
    }
    let plain: Vec<_> = objects.iter().filter(|(_, sse)| sse != "AES256").collect();
    assert!(plain.is_empty(), "written without encryption: {plain:?}");
}
