//! The `hangar` binary as an operator runs it: start-up, demo data, signals, bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `hangar serve` child process, killed when dropped, so that a failing test leaves no server
/// running.
struct Server(Child);

impl std::ops::Deref for Server {
    type Target = Child;

    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already stopped, most of the time; a server a failed test left running is killed.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `hangar serve` in `dir` and waits for its ready line; returns the server and the port.
fn start(dir: &std::path::Path, extra: &[&str]) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hangar"))
        .args([
            "serve",
            "--pg-listen",
            "127.0.0.1:0",
            "--flight-listen",
            "127.0.0.1:0",
            "--log-level",
            "warn",
        ])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a ready line")
        .unwrap();
    let port = line
        .split_whitespace()
        .skip_while(|w| *w != "-p")
        .nth(1)
        .map(|p| p.trim_end_matches(';'))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (Server(child), port)
}

/// `psql -c sql` against the server on `port`, unaligned and tuples only.
fn psql_command(port: u16, sql: &str) -> Command {
    let mut command = Command::new("psql");
    command
        .args(["-X", "-At", "-h", "127.0.0.1", "-p", &port.to_string()])
        .args(["-U", "hangar", "hangar", "-c", sql]);
    command
}

/// Runs `sql` with psql; returns its output.
fn psql(port: u16, sql: &str) -> String {
    let out = psql_command(port, sql).output().expect("psql installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Sends SIGTERM straight from this process, as a supervisor does, and waits for the exit.
fn stop(mut child: Server) -> std::process::ExitStatus {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "hangar did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn demo_data_is_generated_once_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (child, port) = start(dir.path(), &["--demo", "--demo-scale", "0.001"]);
    assert_eq!(psql(port, "SELECT count(*) FROM nation"), "25");
    let first = psql(port, "SELECT count(*) FROM lineitem");
    assert!(first.parse::<u64>().unwrap() > 1000, "{first}");
    assert!(stop(child).success(), "SIGTERM should exit 0");

    // The second start reuses the tables: same rows, no second copy of the files.
    let (child, port) = start(dir.path(), &["--demo", "--demo-scale", "0.001"]);
    assert_eq!(psql(port, "SELECT count(*) FROM lineitem"), first);
    let folders = std::fs::read_dir(dir.path().join("hangar-data/tables/public"))
        .unwrap()
        .count();
    assert_eq!(folders, 8);
    assert!(stop(child).success());
}

/// Whoever reads the ready line may stop the server at once: SIGTERM is caught by then, so it
/// shuts down cleanly (exit 0) rather than meeting the signal's default action (killed, no drain).
#[test]
fn sigterm_right_after_the_ready_line_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..30 {
        let (child, _) = start(dir.path(), &[]);
        let status = stop(child);
        assert!(status.success(), "{status}");
    }
}

#[test]
fn a_taken_port_is_reported_clearly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hangar"))
        .args([
            "serve",
            "--pg-listen",
            &addr,
            "--flight-listen",
            "127.0.0.1:0",
            "--log-level",
            "off",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&addr) && stderr.to_lowercase().contains("in use"),
        "{stderr}"
    );
}

#[test]
fn environment_configures_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hangar"))
        .args(["serve", "--log-level", "off"])
        .env("HANGAR_PG_LISTEN", "not-an-address")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-an-address"));
}

/// `psql -c sql` as a child process, not waited for.
fn psql_in_background(port: u16, sql: &str) -> Child {
    psql_command(port, sql)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("psql installed")
}

#[test]
fn sigkill_during_refreshes_never_shows_a_partial_view() {
    let dir = tempfile::tempdir().unwrap();
    let flags = [
        "--catalog-refresh",
        "0s",
        "--listing-cache-ttl",
        "0s",
        "--refresh-heartbeat",
        "1s",
    ];
    let (mut writer, mut port) = start(dir.path(), &flags);
    // t holds 1..n, so a complete version of v has sum(x) = n(n+1)/2; a partial one does not.
    psql(
        port,
        "CREATE TABLE t AS SELECT value AS x FROM generate_series(1, 50000) AS value",
    );
    psql(port, "CREATE MATERIALIZED VIEW v AS SELECT x FROM t");

    // A second server reads the view the whole time.
    let (reader, reader_port) = start(dir.path(), &flags);
    let stop_reading = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reads = {
        let stop_reading = std::sync::Arc::clone(&stop_reading);
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop_reading.load(std::sync::atomic::Ordering::Relaxed) {
                let out = psql(reader_port, "SELECT count(*), sum(x) FROM v");
                let (n, sum) = out.split_once('|').expect("count|sum");
                let (n, sum): (i64, i64) = (n.parse().unwrap(), sum.parse().unwrap());
                assert_eq!(sum, n * (n + 1) / 2, "a partial version of v: {n} rows");
                reads += 1;
            }
            reads
        })
    };

    let mut n = 50_000;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for _ in 0..12 {
        psql(
            port,
            &format!(
                "INSERT INTO t SELECT value FROM generate_series({}, {}) AS value",
                n + 1,
                n + 50_000
            ),
        );
        n += 50_000;
        let mut refresh = psql_in_background(port, "REFRESH MATERIALIZED VIEW v");
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis((seed >> 33) % 150));
        writer.kill().unwrap();
        writer.wait().unwrap();
        refresh.wait().unwrap();
        (writer, port) = start(dir.path(), &flags);
    }

    // After the last restart the view is whole and refreshes to the latest rows.
    psql(port, "REFRESH MATERIALIZED VIEW v");
    assert_eq!(psql(port, "SELECT count(*) FROM v"), n.to_string());
    stop_reading.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads = reads.join().expect("every read saw a complete version");
    assert!(reads > 0);
    // Three silent heartbeats later, no run that a kill cut short still reads as running.
    std::thread::sleep(Duration::from_millis(3500));
    let statuses = psql(
        port,
        "SELECT string_agg(status || ':' || c, ' ') FROM (SELECT status, count(*) AS c FROM hangar.refreshes GROUP BY status)",
    );
    eprintln!("{reads} reads; refreshes by status: {statuses}");
    assert!(!statuses.contains("running"), "{statuses}");
    assert!(stop(writer).success());
    assert!(stop(reader).success());
}

#[test]
fn a_refresh_whose_server_died_reads_as_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--catalog-refresh", "0s", "--refresh-heartbeat", "1s"];
    let (mut writer, port) = start(dir.path(), &flags);
    // A view slow enough to refresh that the server can be killed in the middle: minutes of
    // counting (two series alone are counted in 3 s, too close to the 4 s this test waits).
    psql(
        port,
        "CREATE MATERIALIZED VIEW slow WITH (populate = false) AS \
         SELECT count(*) AS n \
         FROM generate_series(1, 100000) a, generate_series(1, 100000) b, generate_series(1, 100) c",
    );
    let (reader, reader_port) = start(dir.path(), &flags);
    let status = || {
        psql(
            reader_port,
            "SELECT string_agg(status, ',') FROM hangar.refreshes WHERE view = 'public.slow'",
        )
    };
    let mut refresh = psql_in_background(port, "REFRESH MATERIALIZED VIEW slow");
    let deadline = Instant::now() + Duration::from_secs(20);
    while status() != "running" {
        assert!(
            Instant::now() < deadline,
            "no running refresh: {}",
            status()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Its heartbeat keeps a long refresh running past three heartbeats.
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(status(), "running");

    writer.kill().unwrap();
    writer.wait().unwrap();
    refresh.wait().unwrap();
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(status(), "interrupted");
    assert!(stop(reader).success());
}
