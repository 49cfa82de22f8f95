//! The refresh scheduler, driven by a clock the tests move: slots run once (on one server among
//! several), missed slots run once, dependents follow their sources, failures retry and stop the
//! dependents.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Timelike, Utc};
use hangar_engine::ManualClock;
use tokio_postgres::Client;

use crate::common::{connect, server_with_clock, text_rows};

/// Retry once, quickly; look for other servers' views once an hour of the clock.
const SCHEDULER_FLAGS: [&str; 6] = [
    "--refresh-retries",
    "1",
    "--refresh-retry-backoff",
    "10ms",
    "--scheduler-poll",
    "1h",
];

/// A clock just after a full hour.
fn clock() -> Arc<ManualClock> {
    let now = Utc::now();
    let hour = now
        .with_minute(0)
        .unwrap()
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    Arc::new(ManualClock::new(
        hour + chrono::Duration::hours(1) + chrono::Duration::seconds(1),
    ))
}

/// The refresh history as `view|trigger|status|attempt` lines.
async fn history(client: &Client) -> Vec<String> {
    text_rows(
        client,
        "SELECT view, trigger, status, attempt FROM hangar.refreshes ORDER BY started_at, view",
    )
    .await
    .into_iter()
    .map(|row| {
        row.into_iter()
            .map(Option::unwrap_or_default)
            .collect::<Vec<_>>()
            .join("|")
    })
    .collect()
}

/// Waits until the history has `count` lines, then returns it.
async fn history_of_length(client: &Client, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let lines = history(client).await;
        let finished = lines.iter().all(|l| !l.contains("|running|"));
        if lines.len() >= count && finished {
            assert_eq!(lines.len(), count, "{lines:#?}");
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "waiting for {count} runs: {lines:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Moves the clock to `minute` past the next hour.
fn to_next_hour(clock: &ManualClock, minute: u32) {
    let now: DateTime<Utc> = hangar_engine::Clock::now(clock);
    let hour = now.with_minute(0).unwrap().with_second(0).unwrap() + chrono::Duration::hours(1);
    let target = hour + chrono::Duration::minutes(minute.into());
    clock.advance((target - now).to_std().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slots_run_once_and_dependents_follow_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let s = server_with_clock(
        dir.path(),
        &SCHEDULER_FLAGS,
        Arc::<ManualClock>::clone(&clock),
    )
    .await;
    let c = connect(&s).await;
    c.batch_execute(
        "CREATE TABLE t AS SELECT 1 AS x; \
         CREATE MATERIALIZED VIEW base WITH (schedule = '0 * * * *') AS SELECT count(*) AS n FROM t; \
         CREATE MATERIALIZED VIEW derived AS SELECT n * 10 AS m FROM base; \
         CREATE MATERIALIZED VIEW top AS SELECT m + n AS k FROM derived, base",
    )
    .await
    .unwrap();
    history_of_length(&c, 3).await;
    c.batch_execute("INSERT INTO t VALUES (2)").await.unwrap();

    to_next_hour(&clock, 1);
    let lines = history_of_length(&c, 6).await;
    assert_eq!(
        lines[3..],
        [
            "public.base|schedule|succeeded|1",
            "public.derived|dependency|succeeded|1",
            "public.top|dependency|succeeded|1",
        ]
    );
    assert_eq!(
        text_rows(&c, "SELECT k FROM top").await,
        [[Some("22".to_string())]]
    );

    // Later in the same slot: nothing more to do.
    clock.advance(Duration::from_secs(60));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(history(&c).await.len(), 6);

    // A server that missed five slots runs the latest once.
    clock.advance(Duration::from_secs(5 * 3600));
    let lines = history_of_length(&c, 9).await;
    assert_eq!(lines[6], "public.base|schedule|succeeded|1");
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_refreshes_retry_then_stop_their_dependents() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let s = server_with_clock(
        dir.path(),
        &SCHEDULER_FLAGS,
        Arc::<ManualClock>::clone(&clock),
    )
    .await;
    let c = connect(&s).await;
    c.batch_execute(
        "CREATE TABLE t AS SELECT 1 AS x; \
         CREATE MATERIALIZED VIEW fragile WITH (schedule = '30 * * * *') AS SELECT 100 / x AS y FROM t; \
         CREATE MATERIALIZED VIEW after_fragile AS SELECT y FROM fragile; \
         INSERT INTO t VALUES (0)",
    )
    .await
    .unwrap();
    to_next_hour(&clock, 30);
    let mut lines = history_of_length(&c, 5).await.split_off(2);
    lines.sort();
    assert_eq!(
        lines,
        [
            "public.after_fragile|dependency|failed|0",
            "public.fragile|schedule|failed|1",
            "public.fragile|schedule|failed|2",
        ]
    );
    let why = text_rows(&c, "SELECT error FROM hangar.refreshes WHERE view = 'public.after_fragile' AND status = 'failed'").await;
    assert!(
        why[0][0].as_deref().unwrap().contains("public.fragile"),
        "{why:?}"
    );
    // The view still serves its last good version.
    assert_eq!(
        text_rows(&c, "SELECT y FROM fragile").await,
        [[Some("100".to_string())]]
    );
    s.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_warehouse_run_each_slot_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    // Each server looks for the other's views every five minutes of the clock.
    let flags = [&SCHEDULER_FLAGS[..4], &["--scheduler-poll", "5m"]].concat();
    let a = server_with_clock(dir.path(), &flags, Arc::<ManualClock>::clone(&clock)).await;
    let b = server_with_clock(dir.path(), &flags, Arc::<ManualClock>::clone(&clock)).await;
    let c = connect(&a).await;
    c.batch_execute(
        "CREATE TABLE t AS SELECT 1 AS x; \
         CREATE MATERIALIZED VIEW v WITH (schedule = '*/10 * * * *') AS SELECT count(*) AS n FROM t",
    )
    .await
    .unwrap();
    for slot in 1..=3 {
        clock.advance(Duration::from_secs(600));
        history_of_length(&c, 1 + slot).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let lines = history(&c).await;
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("|schedule|succeeded|"))
            .count(),
        3,
        "{lines:#?}"
    );
    a.shutdown().await.unwrap();
    b.shutdown().await.unwrap();
}
