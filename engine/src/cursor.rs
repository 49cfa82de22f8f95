//! Cursors (`DECLARE … CURSOR`, `FETCH`, `MOVE`, `CLOSE`): a query's rows read a few at a time,
//! as psycopg's named cursors, ODBC-based tools (Tableau) and JDBC fetch sizes do.
//!
//! A cursor holds its query's running stream and reads only as far as fetched. Cursors are
//! forward-only: Hangar does not keep rows it has handed out. Statements commit one by one, so
//! transactions hold nothing; a cursor declared `WITHOUT HOLD` still closes at `COMMIT` or
//! `ROLLBACK`, as in Postgres, and one `WITH HOLD` lives until `CLOSE` or the end of the session.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::sql::sqlparser::ast::{FetchDirection, Value, ValueWithSpan};
use futures::StreamExt;

use crate::{Error, Result};

/// How many rows a `FETCH` or `MOVE` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// `FETCH n`, `FETCH FORWARD n`, `FETCH NEXT` (one).
    Rows(usize),
    /// `FETCH ALL`, `FETCH FORWARD ALL`.
    All,
}

impl Count {
    /// The count a forward direction asks for; backward and absolute moves are errors, since
    /// cursors only scan forward.
    pub(crate) fn of(direction: &FetchDirection, cursor: &str) -> Result<Self> {
        let rows = |limit: &ValueWithSpan| match &limit.value {
            Value::Number(n, _) => n.parse::<i64>().ok(),
            _ => None,
        };
        let forward = |limit: &ValueWithSpan| match rows(limit) {
            Some(n) if n >= 0 => Ok(Count::Rows(n as usize)),
            Some(_) => Err(Error::ForwardOnly(cursor.to_string())),
            None => Err(Error::InvalidParameter(format!(
                "FETCH count must be an integer, not {limit}"
            ))),
        };
        match direction {
            FetchDirection::Next | FetchDirection::Forward { limit: None } => Ok(Count::Rows(1)),
            FetchDirection::Count { limit } | FetchDirection::Forward { limit: Some(limit) } => {
                forward(limit)
            }
            FetchDirection::All | FetchDirection::ForwardAll => Ok(Count::All),
            _ => Err(Error::ForwardOnly(cursor.to_string())),
        }
    }
}

/// The rows of an open cursor: the query's stream, and what was read from it but not yet fetched.
struct Rows {
    stream: SendableRecordBatchStream,
    /// Rows of the last batch read that the last `FETCH` did not take.
    pending: Option<RecordBatch>,
}

impl Rows {
    /// Reads up to `count` rows, fewer at the end of the rows.
    async fn read(&mut self, count: Count) -> Result<Vec<RecordBatch>> {
        let mut wanted = match count {
            Count::Rows(n) => n,
            Count::All => usize::MAX,
        };
        let mut batches = Vec::new();
        while wanted > 0 {
            let batch = match self.pending.take() {
                Some(batch) => batch,
                None => match self.stream.next().await {
                    Some(batch) => batch?,
                    None => break,
                },
            };
            if batch.num_rows() > wanted {
                self.pending = Some(batch.slice(wanted, batch.num_rows() - wanted));
                batches.push(batch.slice(0, wanted));
                break;
            }
            wanted -= batch.num_rows();
            batches.push(batch);
        }
        Ok(batches)
    }
}

/// One open cursor.
struct Cursor {
    schema: SchemaRef,
    /// Whether it outlives the transaction (`WITH HOLD`).
    hold: bool,
    rows: Arc<tokio::sync::Mutex<Rows>>,
}

/// The open cursors of one session, by name.
#[derive(Default)]
pub(crate) struct Cursors(Mutex<HashMap<String, Cursor>>);

impl std::fmt::Debug for Cursors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.0.lock().expect("lock").keys().cloned().collect();
        f.debug_tuple("Cursors").field(&names).finish()
    }
}

impl Cursors {
    /// Opens a cursor over `stream`; the name must be free.
    pub(crate) fn declare(
        &self,
        name: &str,
        stream: SendableRecordBatchStream,
        hold: bool,
    ) -> Result<()> {
        let mut cursors = self.0.lock().expect("lock");
        if cursors.contains_key(name) {
            return Err(Error::DuplicateCursor(name.to_string()));
        }
        let cursor = Cursor {
            schema: stream.schema(),
            hold,
            rows: Arc::new(tokio::sync::Mutex::new(Rows {
                stream,
                pending: None,
            })),
        };
        cursors.insert(name.to_string(), cursor);
        Ok(())
    }

    /// The schema of the rows an open cursor returns.
    pub(crate) fn schema(&self, name: &str) -> Result<SchemaRef> {
        self.with(name, |cursor| Arc::clone(&cursor.schema))
    }

    /// Reads the next `count` rows of a cursor.
    pub(crate) async fn fetch(&self, name: &str, count: Count) -> Result<Vec<RecordBatch>> {
        let rows = self.with(name, |cursor| Arc::clone(&cursor.rows))?;
        let mut rows = rows.lock().await;
        rows.read(count).await
    }

    /// Closes one cursor, or all of them with `None`.
    pub(crate) fn close(&self, name: Option<&str>) -> Result<()> {
        let mut cursors = self.0.lock().expect("lock");
        match name {
            None => cursors.clear(),
            Some(name) => {
                cursors
                    .remove(name)
                    .ok_or_else(|| Error::UnknownCursor(name.to_string()))?;
            }
        }
        Ok(())
    }

    /// Closes the cursors that end with the transaction (those declared without `WITH HOLD`).
    pub(crate) fn end_transaction(&self) {
        self.0.lock().expect("lock").retain(|_, cursor| cursor.hold);
    }

    fn with<T>(&self, name: &str, f: impl FnOnce(&Cursor) -> T) -> Result<T> {
        self.0
            .lock()
            .expect("lock")
            .get(name)
            .map(f)
            .ok_or_else(|| Error::UnknownCursor(name.to_string()))
    }
}
