//! The template every session is cloned from.

use std::sync::Arc;

use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::prelude::SessionContext;

use crate::{DATABASE, EngineConfig, Result};

/// What every session starts from: the settings, DataFusion's functions and Hangar's rules, and
/// `pg_catalog`'s functions and type names. Building it registers every function DataFusion has,
/// so it is built once per engine and cloned for each session ([`crate::Session`]); Flight SQL opens
/// a session for every query. The clones share its session id, which nothing in Hangar reads.
pub(crate) fn session_template(
    config: &EngineConfig,
    runtime: &Arc<RuntimeEnv>,
) -> Result<SessionState> {
    let mut settings = crate::config::session_defaults()
        .with_default_catalog_and_schema(DATABASE, hangar_catalog::DEFAULT_SCHEMA)
        .with_create_default_catalog_and_schema(false)
        .with_information_schema(false);
    if let Some(n) = config.target_partitions {
        settings = settings.with_target_partitions(n);
    }
    let builder = SessionStateBuilder::new()
        .with_config(settings)
        .with_runtime_env(Arc::clone(runtime))
        .with_default_features()
        .with_analyzer_rules(crate::postgres::analyzer_rules());
    let state = hangar_optimizer::install(builder).build();
    let ctx = SessionContext::new_with_state(state);
    crate::postgres::install(&ctx)?;
    Ok(ctx.state())
}
