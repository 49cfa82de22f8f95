//! The handler set pgwire drives for one connection: startup, both query protocols, errors.

use std::sync::Arc;

use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::{ErrorHandler, PgWireServerHandlers};

use crate::connection::{Connection, Queries};
use crate::error::MapErrors;
use crate::startup::{Startup, StartupRules};

/// The handler set pgwire drives for one connection.
#[derive(Debug)]
pub(crate) struct Handlers {
    queries: Arc<Queries>,
    startup: Arc<Startup>,
}

impl Handlers {
    pub(crate) fn new(connection: Arc<Connection>, rules: Arc<StartupRules>) -> Self {
        Self {
            queries: Arc::new(Queries(Arc::clone(&connection))),
            startup: Arc::new(Startup::new(connection, rules)),
        }
    }
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        Arc::clone(&self.queries)
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        Arc::clone(&self.queries)
    }

    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        Arc::clone(&self.startup)
    }

    fn error_handler(&self) -> Arc<impl ErrorHandler> {
        Arc::new(MapErrors)
    }
}
