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

    fn create_bucket(&self, bucket: &str) {
        let script = format!(
            "import boto3; boto3.client('s3', endpoint_url='{}', aws_access_key_id='test', \
             aws_secret_access_key='test', region_name='us-east-1').create_bucket(Bucket='{bucket}')",
            self.endpoint
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
    let config = dir.path().join("hangar.toml");
    std::fs::write(
        &config,
        format!(
            "[warehouse_options]\naws_endpoint = \"{}\"\naws_allow_http = \"true\"\naws_region = \"us-east-1\"\n\
             aws_access_key_id = \"test\"\naws_secret_access_key = \"test\"\n",
            moto.endpoint
        ),
    )
    .unwrap();
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
