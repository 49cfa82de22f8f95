//! The `hangar` binary as an operator runs it: start-up, demo data, signals, bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `hangar serve` in `dir` and waits for its ready line; returns the child and the port.
fn start(dir: &std::path::Path, extra: &[&str]) -> (Child, u16) {
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
    (child, port)
}

fn psql(port: u16, sql: &str) -> String {
    let out = Command::new("psql")
        .args([
            "-X",
            "-At",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "hangar",
            "hangar",
            "-c",
            sql,
        ])
        .output()
        .expect("psql installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn stop(mut child: Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
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
