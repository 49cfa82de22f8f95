//! Hangar's query engine: turns SQL into results for the frontends.
//!
//! It owns one shared DataFusion [`RuntimeEnv`](datafusion::execution::runtime_env::RuntimeEnv)
//! (memory pool, spill files, listing and metadata caches), one `SessionContext` per client session,
//! the adapters that plug Hangar's catalog into DataFusion, and Hangar's own statements (catalog DDL,
//! `CREATE TABLE … AS` into the warehouse, materialized views and their refreshes). Frontends use only [`Engine`], [`Session`], [`Prepared`]
//! and [`Output`]; they never build DataFusion contexts. It knows nothing of wire protocols.

mod boolean_literals;
mod catalog_provider;
mod cleanup;
mod config;
mod copy;
mod cursor;
mod ddl;
mod decimal_arithmetic;
mod duplicate_names;
mod dynamic_filter_rows;
mod engine;
mod error;
mod executor;
mod from_functions;
mod generate_subscripts;
mod in_subquery;
mod information_schema;
mod join_order;
mod join_sides;
mod lanes;
mod like_escape;
mod matview;
mod narrowing_filters;
mod pg_catalog;
mod pg_functions;
mod regtype_text;
mod scalar_subquery;
mod scheduler;
mod session;
mod shared_subplans;
mod statement;
mod system_tables;
mod user_keyword;
mod variables;

pub use config::EngineConfig;
pub use copy::CopyFormat;
pub use engine::Engine;
pub use error::{Error, Result};
pub use scalar_subquery::EMPTY_CATALOG_TABLES;
pub use scheduler::{Clock, ManualClock, Scheduler, SchedulerConfig, SystemClock};
pub use session::{Output, Prepared, Session};
pub use statement::Statement;
pub use variables::SERVER_VERSION;

pub use datafusion::arrow::datatypes::{DataType, SchemaRef};
pub use datafusion::common::ParamValues;
pub use datafusion::physical_plan::SendableRecordBatchStream;

/// Name of the one database (DataFusion catalog) a Hangar server exposes.
pub const DATABASE: &str = "hangar";
