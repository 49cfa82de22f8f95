//! The differential test: every statement of the corpus (`tests/postgres/*.sql`, written from the
//! PostgreSQL documentation's function tables) runs on a real PostgreSQL and on Hangar, over the
//! same TPC-H data, and must answer the same: the rows as `psql -At` prints them (simple protocol,
//! text results) and the column types and bytes drivers get (extended protocol, binary results),
//! the column names, and for an error its SQLSTATE, message and position. A statement that does
//! not is listed in `tests/postgres/differences.txt` as `refused` (a documented `0A000`) or
//! `differs`; the test fails on any difference not listed there, and on a listed one that is gone.
//! The report by category is written to `semantics-report.txt` in cargo's folder for test files.

mod corpus;
mod outcome;
mod postgres;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use tokio_postgres::Client;

use crate::common::{connect, server, tpch_warehouse};
use corpus::{Ledger, Statement, Verdict};
use outcome::Outcome;

/// Each format's outcome on each server, for one statement.
struct Comparison {
    statement: Statement,
    postgres: [Outcome; 2],
    hangar: [Outcome; 2],
}

impl Comparison {
    /// How Hangar's answers differ from PostgreSQL's, if they do.
    fn verdict(&self) -> Option<Verdict> {
        if self.postgres == self.hangar {
            return None;
        }
        let refused = self
            .postgres
            .iter()
            .zip(&self.hangar)
            .all(|(pg, ours)| pg == ours || (!pg.is_error() && ours.is_refusal()));
        Some(if refused {
            Verdict::Refused
        } else {
            Verdict::Differs
        })
    }

    fn describe(&self) -> String {
        let mut text = format!(
            "{}.sql:{}: {}\n",
            self.statement.category, self.statement.line, self.statement.sql
        );
        for (format, (pg, ours)) in ["text", "binary"]
            .iter()
            .zip(self.postgres.iter().zip(&self.hangar))
        {
            if pg != ours {
                let _ = writeln!(
                    text,
                    "  {format} PostgreSQL: {pg}\n  {format} Hangar:     {ours}"
                );
            }
        }
        text
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_answers_as_postgresql_does() {
    let warehouse = tpch_warehouse();
    let pg = postgres::Postgres::start().await;
    pg.load_tpch(warehouse).await;
    let hangar = server(warehouse, &[]).await;

    let mut comparisons = Vec::new();
    for file in corpus::read() {
        // A session on each server per file; Hangar's is replaced when a statement loses it.
        let pg_session: Client = pg.connect().await;
        let mut hangar_session = connect(&hangar).await;
        for statement in file {
            let postgres = [
                outcome::text(&pg_session, &statement.sql).await,
                outcome::binary(&pg_session, &statement.sql).await,
            ];
            let ours = [
                outcome::text(&hangar_session, &statement.sql).await,
                outcome::binary(&hangar_session, &statement.sql).await,
            ];
            assert!(
                !postgres.iter().any(Outcome::is_lost),
                "PostgreSQL lost {}: {postgres:?}",
                statement.sql
            );
            if ours.iter().any(Outcome::is_lost) {
                hangar_session = connect(&hangar).await;
            }
            comparisons.push(Comparison {
                statement,
                postgres,
                hangar: ours,
            });
        }
    }

    let report = report(&pg.version, &comparisons);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("semantics-report.txt");
    std::fs::write(&path, &report).expect("report written");
    println!("{}", report.split("\n\n").next().unwrap_or_default());

    let found: Ledger = comparisons
        .iter()
        .filter_map(|c| Some((c.statement.key(), c.verdict()?)))
        .collect();
    // Blessing takes fixed statements off the list and records a listed one's new verdict; it
    // adds a statement that newly differs only when asked to (`add`), so that no new difference
    // is listed unseen.
    if let Some(bless) = std::env::var_os("HANGAR_SEMANTICS_BLESS") {
        let listed = corpus::read_ledger();
        let kept: Ledger = found
            .iter()
            .filter(|(key, _)| bless == "add" || listed.contains_key(*key))
            .map(|(key, verdict)| (key.clone(), *verdict))
            .collect();
        corpus::write_ledger(&kept);
    }
    let listed = corpus::read_ledger();
    let unlisted: Vec<String> = comparisons
        .iter()
        .filter(|c| c.verdict().is_some() && listed.get(&c.statement.key()) != c.verdict().as_ref())
        .map(Comparison::describe)
        .collect();
    let stale: Vec<String> = listed
        .iter()
        .filter(|(key, verdict)| found.get(*key) != Some(*verdict))
        .map(|((category, sql), verdict)| format!("{verdict}\t{category}\t{sql}"))
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "{} statements answer differently from PostgreSQL {} and are not in {}:\n{}\n\
         {} entries of the list no longer hold:\n{}\n(the full report: {})",
        unlisted.len(),
        pg.version,
        corpus::ledger_path().display(),
        unlisted.join("\n"),
        stale.len(),
        stale.join("\n"),
        path.display()
    );
}

/// The figures by category, then every difference in full.
fn report(version: &str, comparisons: &[Comparison]) -> String {
    #[derive(Default)]
    struct Counts {
        total: usize,
        same: usize,
        refused: usize,
        differs: usize,
    }
    let mut by_category: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    for comparison in comparisons {
        for counts in [
            by_category
                .entry(&comparison.statement.category)
                .or_default(),
            &mut all,
        ] {
            counts.total += 1;
            match comparison.verdict() {
                None => counts.same += 1,
                Some(Verdict::Refused) => counts.refused += 1,
                Some(Verdict::Differs) => counts.differs += 1,
            }
        }
    }
    let mut text = format!(
        "Corpus against PostgreSQL {version}: statements, identical, refused (0A000), different\n"
    );
    let line = |name: &str, c: &Counts| {
        format!(
            "{name:<14} {:>5} {:>5} ({:>5.1}%) {:>4} {:>4}\n",
            c.total,
            c.same,
            100.0 * c.same as f64 / c.total.max(1) as f64,
            c.refused,
            c.differs
        )
    };
    for (category, counts) in &by_category {
        text.push_str(&line(category, counts));
    }
    text.push_str(&line("all", &all));
    text.push('\n');
    for comparison in comparisons.iter().filter(|c| c.verdict().is_some()) {
        text.push('\n');
        text.push_str(&comparison.describe());
    }
    text
}
