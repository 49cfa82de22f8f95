//! Plans kept for the next call of the same query.
//!
//! A Flight SQL query takes two calls: `GetFlightInfo` plans it to answer with its schema, and
//! `DoGet` runs it; a prepared statement takes three (`CreatePreparedStatement`, then those two).
//! Tickets and handles carry the SQL, so any server can run them and none has to remember
//! anything. The server that planned a query keeps the session and plan for a short while anyway,
//! so its own next call uses them instead of opening a session and planning again.

use std::sync::Arc;
use std::time::Duration;

use hangar_engine::{Prepared, Session};

/// How long a plan waits for its `DoGet`; clients call it right after `GetFlightInfo`.
const KEPT_FOR: Duration = Duration::from_secs(30);

/// How many plans wait at most; past that the oldest go, and their `DoGet` plans again.
const AT_MOST: u64 = 256;

/// A session and the plan it made, waiting for its ticket's `DoGet`.
pub(crate) type Plan = Arc<(Session, Prepared)>;

/// The plans waiting for their next call, by (user, key): a statement ticket's handle, or a
/// prepared statement's key ([`prepared_key`]).
#[derive(Clone)]
pub(crate) struct Planned {
    waiting: moka::sync::Cache<(String, Vec<u8>), Plan>,
}

impl Default for Planned {
    fn default() -> Self {
        Self {
            waiting: moka::sync::Cache::builder()
                .max_capacity(AT_MOST)
                .time_to_live(KEPT_FOR)
                .build(),
        }
    }
}

impl Planned {
    /// Keeps `user`'s plan for the next call that names `key`.
    pub(crate) fn keep(&self, user: String, key: Vec<u8>, plan: Plan) {
        self.waiting.insert((user, key), plan);
    }

    /// The plan kept for `user`'s call naming `key`, if this server made it and it is still
    /// waiting. Each is taken once: a second call with the same key plans again.
    pub(crate) fn take(&self, user: &str, key: &[u8]) -> Option<Plan> {
        self.waiting.remove(&(user.to_string(), key.to_vec()))
    }
}

/// The key a prepared statement's plan is kept under: its SQL, which its handle carries bound or
/// not (parameters are bound when it runs). Statement tickets start with a 16-byte id, so the two
/// never share a key.
pub(crate) fn prepared_key(sql: &str) -> Vec<u8> {
    let mut key = b"prepared:".to_vec();
    key.extend_from_slice(sql.as_bytes());
    key
}
