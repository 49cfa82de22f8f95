//! Plans made for `GetFlightInfo`, kept for the `DoGet` of their ticket.
//!
//! A Flight SQL query takes two calls: `GetFlightInfo` plans it to answer with its schema, and
//! `DoGet` runs it. The ticket carries the SQL, so any server can run it and none has to remember
//! anything. The server that planned it keeps the session and plan for a short while anyway, so
//! its own `DoGet` runs them instead of opening a session and planning a second time.

use std::sync::Arc;
use std::time::Duration;

use hangar_engine::{Prepared, Session};

/// How long a plan waits for its `DoGet`; clients call it right after `GetFlightInfo`.
const KEPT_FOR: Duration = Duration::from_secs(30);

/// How many plans wait at most; past that the oldest go, and their `DoGet` plans again.
const AT_MOST: u64 = 256;

/// A session and the plan it made, waiting for its ticket's `DoGet`.
pub(crate) type Plan = Arc<(Session, Prepared)>;

/// The plans waiting for their `DoGet`, by (user, statement handle).
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
    /// Keeps `user`'s plan for the ticket whose statement handle is `handle`.
    pub(crate) fn keep(&self, user: String, handle: Vec<u8>, session: Session, prepared: Prepared) {
        self.waiting
            .insert((user, handle), Arc::new((session, prepared)));
    }

    /// The plan kept for `user`'s ticket, if this server made it and it is still waiting. Each is
    /// taken once: a second `DoGet` of the same ticket plans again.
    pub(crate) fn take(&self, user: &str, handle: &[u8]) -> Option<Plan> {
        self.waiting.remove(&(user.to_string(), handle.to_vec()))
    }
}
