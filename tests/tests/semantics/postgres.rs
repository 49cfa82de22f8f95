//! A throw-away PostgreSQL cluster for the differential tests: Debian's `postgresql`, initdb'd in a
//! temporary folder and listening only on a Unix socket there (no TCP port at all), loaded with the
//! same TPC-H tables as the Hangar warehouse it is compared with.

use std::path::{Path, PathBuf};
use std::process::Command;

use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use futures::SinkExt;
use tokio_postgres::{Client, NoTls};

use crate::common::managed_folder;

/// The TPC-H tables, loaded into PostgreSQL from the warehouse's Parquet files.
const TABLES: [&str; 8] = [
    "region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem",
];

/// The session settings Hangar answers with by default, given to PostgreSQL as its defaults.
const SETTINGS: [(&str, &str); 6] = [
    ("timezone", "UTC"),
    ("datestyle", "ISO, MDY"),
    ("intervalstyle", "postgres"),
    ("extra_float_digits", "1"),
    ("lc_messages", "C"),
    ("client_encoding", "UTF8"),
];

/// A running PostgreSQL cluster; stopped when dropped.
pub(super) struct Postgres {
    bin: PathBuf,
    folder: tempfile::TempDir,
    /// `server_version`, for the report.
    pub(super) version: String,
}

impl Postgres {
    /// initdb's a cluster (UTF-8, collation "C") and starts it. As root, PostgreSQL runs as the
    /// `postgres` user, which owns the folder.
    pub(super) async fn start() -> Postgres {
        let bin = newest_server().unwrap_or_else(|| {
            panic!(
                "PostgreSQL server not found under /usr/lib/postgresql: apt-get install postgresql"
            )
        });
        let folder = tempfile::Builder::new()
            .prefix("hangar-pg-")
            .tempdir()
            .expect("temporary folder");
        if is_root() {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(folder.path()));
        }
        let data = folder.path().join("data");
        run(as_owner(&bin.join("initdb"))
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-D",
            ])
            .arg(&data));
        let mut options = format!(
            "-c listen_addresses='' -c unix_socket_directories={} -c fsync=off",
            folder.path().display()
        );
        for (name, value) in SETTINGS {
            options.push_str(&format!(" -c {name}='{value}'"));
        }
        run(as_owner(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(folder.path().join("log"))
            .args(["-o", &options, "-w", "start"]));
        let mut postgres = Postgres {
            bin,
            folder,
            version: String::new(),
        };
        let client = postgres.connect().await;
        postgres.version = client
            .query_one("SHOW server_version", &[])
            .await
            .expect("server version")
            .get(0);
        postgres
    }

    /// A new session as `postgres`.
    pub(super) async fn connect(&self) -> Client {
        let conn = format!(
            "host={} user=postgres dbname=postgres",
            self.folder.path().display()
        );
        let (client, connection) = tokio_postgres::connect(&conn, NoTls)
            .await
            .expect("connects to PostgreSQL");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    }

    /// Creates the TPC-H tables with the types Hangar shows for them and copies the warehouse's
    /// rows in.
    pub(super) async fn load_tpch(&self, warehouse: &Path) {
        let client = self.connect().await;
        let ctx = SessionContext::new();
        let tables = warehouse.join("tables/public");
        for table in TABLES {
            let folder = managed_folder(&tables, table).expect("table folder");
            let frame = ctx
                .read_parquet(
                    format!("{}/", folder.display()),
                    ParquetReadOptions::default(),
                )
                .await
                .expect("parquet");
            let columns: Vec<String> = frame
                .schema()
                .fields()
                .iter()
                .map(|f| format!("{} {} NOT NULL", f.name(), sql_type(f.data_type())))
                .collect();
            client
                .batch_execute(&format!("CREATE TABLE {table} ({})", columns.join(", ")))
                .await
                .expect("create table");
            let sink = client
                .copy_in(&format!("COPY {table} FROM STDIN"))
                .await
                .expect("copy");
            futures::pin_mut!(sink);
            for batch in frame.collect().await.expect("rows") {
                sink.send(bytes::Bytes::from(copy_text(&batch)))
                    .await
                    .expect("copy data");
            }
            sink.finish().await.expect("copy ends");
        }
        client.batch_execute("ANALYZE").await.expect("analyze");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.folder.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// The PostgreSQL type of a TPC-H column as Hangar stores it.
fn sql_type(data_type: &DataType) -> String {
    match data_type {
        DataType::Int32 => "integer".into(),
        DataType::Int64 => "bigint".into(),
        DataType::Decimal128(precision, scale) => format!("numeric({precision},{scale})"),
        DataType::Date32 => "date".into(),
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => "text".into(),
        other => panic!("no PostgreSQL type for {other}"),
    }
}

/// A batch in `COPY`'s text format (TPC-H text has no tabs, newlines or backslashes).
fn copy_text(batch: &datafusion::arrow::record_batch::RecordBatch) -> String {
    let options = FormatOptions::default();
    let formatters: Vec<ArrayFormatter> = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &options).expect("formatter"))
        .collect();
    let mut text = String::new();
    for row in 0..batch.num_rows() {
        for (i, formatter) in formatters.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            let value = formatter.value(row).to_string();
            assert!(
                !value.contains(['\t', '\n', '\\']),
                "plain value: {value:?}"
            );
            text.push_str(&value);
        }
        text.push('\n');
    }
    text
}

/// The `bin` folder of the newest PostgreSQL server installed.
fn newest_server() -> Option<PathBuf> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A command run as the cluster's owner: `postgres` when we are root (initdb refuses root).
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command) {
    let output = command.output().expect("command runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
