//! Hangar's Arrow Flight SQL frontend, for clients that want Arrow rather than Postgres rows
//! (pyarrow, ADBC, Polars).
//!
//! It translates Flight SQL to the engine's small interface and back: statements are planned with
//! an engine [`Session`](hangar_engine::Session), results stream as Arrow IPC batch by batch (pulled
//! by the client, so a slow client never makes the server buffer a result), catalog metadata comes
//! from Hangar's catalog, and engine errors map to gRPC statuses in one place ([`error::status`]). It
//! never builds DataFusion contexts itself.

mod auth;
pub mod error;
mod metadata;
mod plain;
mod planned;
mod prepared;
mod running;
mod server;
mod service;

pub use server::{FlightServer, FlightServerConfig, FlightTls};
