//! The corpus (`tests/postgres/*.sql`) and the ledger of its known differences.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The folder of the corpus files.
pub(super) fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("postgres")
}

/// One statement of the corpus.
#[derive(Debug, Clone)]
pub(super) struct Statement {
    /// The file's name without `.sql`: the category the report counts it in.
    pub(super) category: String,
    /// The line it starts on.
    pub(super) line: usize,
    /// Its text as written.
    pub(super) sql: String,
}

impl Statement {
    /// The ledger's key: category and the text on one line.
    pub(super) fn key(&self) -> (String, String) {
        (self.category.clone(), one_line(&self.sql))
    }
}

/// The corpus files, in name order, each as its statements in order.
pub(super) fn read() -> Vec<Vec<Statement>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder())
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    paths.iter().map(|p| statements(p)).collect()
}

/// A file's statements: each ends with `;` at the end of a line; `--` lines are comments.
fn statements(path: &Path) -> Vec<Statement> {
    let category = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).expect("corpus file");
    let mut statements = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if current.is_none() && (trimmed.trim().is_empty() || trimmed.trim().starts_with("--")) {
            continue;
        }
        let (_, sql) = current.get_or_insert_with(|| (number + 1, String::new()));
        if !sql.is_empty() {
            sql.push('\n');
        }
        sql.push_str(trimmed);
        if trimmed.ends_with(';') {
            let (line, mut sql) = current.take().unwrap();
            sql.pop();
            statements.push(Statement {
                category: category.clone(),
                line,
                sql,
            });
        }
    }
    assert!(
        current.is_none(),
        "{}: the last statement has no `;`",
        path.display()
    );
    statements
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a statement's answers differ from PostgreSQL's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Verdict {
    /// Hangar refuses with `0A000` what PostgreSQL answers: documented in
    /// `docs/compatibility.md`.
    Refused,
    /// Any other difference: a wrong answer, a different error, or a different format.
    Differs,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Refused => "refused",
            Verdict::Differs => "differs",
        })
    }
}

/// The ledger: the statements known to answer differently, and how.
pub(super) type Ledger = BTreeMap<(String, String), Verdict>;

/// The ledger file.
pub(super) fn ledger_path() -> PathBuf {
    folder().join("differences.txt")
}

const LEDGER_HEADER: &str = "\
# The corpus statements whose answer from Hangar is not PostgreSQL's, one per line:
# `refused` (Hangar says 0A000, documented in docs/compatibility.md) or `differs`, the file, the
# statement on one line. The differential test fails when a statement differs and is not listed
# here, and when a listed one no longer differs (or differs in another way): mend the list with
# `HANGAR_SEMANTICS_BLESS=1 cargo test -p hangar-tests --test e2e semantics`, which adds a
# statement that newly differs only with `HANGAR_SEMANTICS_BLESS=add`.
";

/// Reads the ledger.
pub(super) fn read_ledger() -> Ledger {
    let Ok(text) = std::fs::read_to_string(ledger_path()) else {
        return Ledger::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let verdict = match parts.next() {
                Some("refused") => Verdict::Refused,
                Some("differs") => Verdict::Differs,
                other => panic!("ledger: bad verdict {other:?}"),
            };
            let category = parts.next().expect("ledger: category").to_string();
            let sql = parts.next().expect("ledger: statement").to_string();
            ((category, sql), verdict)
        })
        .collect()
}

/// Writes the ledger.
pub(super) fn write_ledger(ledger: &Ledger) {
    let mut text = LEDGER_HEADER.to_string();
    for ((category, sql), verdict) in ledger {
        text.push_str(&format!("{verdict}\t{category}\t{sql}\n"));
    }
    std::fs::write(ledger_path(), text).expect("ledger written");
}
