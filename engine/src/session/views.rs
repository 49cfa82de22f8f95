//! The seam through which the engine hands materialized views' statements to the code that
//! implements them. The engine parses these statements and knows their shape; what they do (the
//! catalog entries, the refreshes, the clean-up of old versions) lives in the `hangar-views` crate,
//! which works through the engine's public seam like a frontend. The engine does not import it:
//! the server installs it with [`Engine::new`](super::Engine::new).

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::sql::sqlparser::ast::{CreateView, ObjectName, SqlOption};

use super::{Output, Session};
use crate::Result;

/// A materialized-view statement, as parsed.
#[derive(Debug, Clone)]
pub enum ViewStatement {
    /// `CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [WITH (…)] AS query`.
    Create(Box<CreateView>),
    /// `DROP MATERIALIZED VIEW [IF EXISTS] name, …`.
    Drop {
        /// The views named.
        names: Vec<ObjectName>,
        /// Whether a missing view is no error.
        if_exists: bool,
    },
    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name`.
    Refresh(ObjectName),
    /// `ALTER MATERIALIZED VIEW name SET (option = value, …)`.
    Alter {
        /// The view.
        name: ObjectName,
        /// The options set.
        options: Vec<SqlOption>,
    },
}

/// What implements materialized views for the engine.
#[async_trait]
pub trait Views: Send + Sync + Debug {
    /// Plans a view statement in `session`: checks it and returns what running it does.
    async fn plan(
        &self,
        session: &Session,
        statement: ViewStatement,
    ) -> Result<Arc<dyn ViewCommand>>;

    /// Tells that `session` dropped tables or views: their folders may go once the queries that
    /// may still read them are done.
    fn dropped(&self, session: &Session);
}

/// A planned view statement, ready to run.
#[async_trait]
pub trait ViewCommand: Send + Sync + Debug {
    /// Runs the statement in `session`.
    async fn execute(&self, session: &Session) -> Result<Output>;
}
