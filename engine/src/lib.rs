//! Hangar's query engine: turns SQL into results for the frontends.
//!
//! It owns one shared DataFusion [`RuntimeEnv`](datafusion::execution::runtime_env::RuntimeEnv)
//! (memory pool, spill files, listing and metadata caches), one `SessionContext` per client session,
//! the adapters that plug Hangar's catalog into DataFusion, the one way in to planning
//! (`planner`), Postgres compatibility (`postgres`), and Hangar's own statements (catalog DDL,
//! `CREATE TABLE … AS` into the warehouse, cursors, `COPY … TO STDOUT`). Frontends use only
//! [`Engine`], [`Session`], [`Prepared`] and [`Output`]; they never build DataFusion contexts. The
//! plan rules come from `hangar-optimizer`; materialized views' statements are handed to the
//! [`Views`] the server installs (the `hangar-views` crate, which the engine does not import). It
//! knows nothing of wire protocols.

mod access;
pub mod audit;
mod catalog_provider;
mod clock;
mod computed_table;
mod config;
mod copy;
mod cursor;
mod error;
mod executor;
mod lanes;
mod metadata;
mod planner;
mod postgres;
mod session;
mod statement;
mod system_tables;
mod template;

pub use access::Login;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::EngineConfig;
pub use copy::CopyFormat;
pub use error::{Anchor, Error, Result};
pub use hangar_catalog::{RelationKind, ScramVerifier, constant_time_eq, hmac_sha256};
pub use metadata::{CatalogMetadata, Relation};
pub use postgres::{EMPTY_CATALOG_TABLES, SERVER_VERSION};
pub use session::{Engine, Output, Prepared, Session, ViewCommand, ViewStatement, Views};
pub use statement::Statement;

pub use datafusion::arrow::datatypes::{DataType, SchemaRef};
pub use datafusion::common::ParamValues;
pub use datafusion::physical_plan::SendableRecordBatchStream;

/// Name of the one database (DataFusion catalog) a Hangar server exposes.
pub const DATABASE: &str = "hangar";
