//! Hangar's materialized views: their statements, their refreshes, the scheduler that refreshes
//! them on their cron schedules, and the clean-up of versions and dropped folders no reader needs.
//!
//! It sits on the engine's public seam as a frontend does: the engine hands it view statements
//! through [`hangar_engine::Views`], and it plans and runs view queries through engine sessions
//! (the same way in to planning as every other query), writes versions into the warehouse and
//! commits them to the catalog. The engine does not import it, and it never reaches into the
//! engine's internals. Its errors are the engine's, so each frontend maps them as it maps any
//! statement's.

mod cleanup;
mod query;
mod refresh;
mod scheduler;
mod statements;
mod versions;

use std::sync::Arc;

use async_trait::async_trait;
use hangar_engine::{Result, Session, ViewCommand, ViewStatement, Views};

pub use scheduler::{Scheduler, SchedulerConfig};

use crate::refresh::RefreshLocks;

/// Hangar's materialized views, for [`hangar_engine::Engine::new`]. One per server: its refresh locks make a
/// server run at most one refresh of a view at a time, whether a statement or the [`Scheduler`]
/// asked for it.
#[derive(Debug, Default)]
pub struct MaterializedViews {
    locks: Arc<RefreshLocks>,
}

#[async_trait]
impl Views for MaterializedViews {
    async fn plan(
        &self,
        session: &Session,
        statement: ViewStatement,
    ) -> Result<Arc<dyn ViewCommand>> {
        statements::plan(session, &self.locks, statement).await
    }

    fn dropped(&self, session: &Session) {
        cleanup::remove_dropped_later(&session.engine());
    }
}
