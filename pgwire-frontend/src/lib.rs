//! Hangar's Postgres wire protocol frontend.
//!
//! Translates the Postgres protocol (startup, simple and extended query, text and binary formats) to
//! the engine's small interface and back: one engine [`Session`](hangar_engine::Session) per
//! connection, results streamed batch by batch, engine errors mapped to SQLSTATE codes in one place
//! ([`error::error_info`]). It never builds DataFusion contexts itself.

mod connection;
mod copy;
mod encode;
pub mod error;
mod handlers;
mod rows;
mod scram;
mod server;
mod startup;

pub use server::{PgServer, PgServerConfig};
pub use startup::PgAuth;

/// rustls, whose server configuration the listener's TLS takes.
pub use pgwire::tokio::tokio_rustls::rustls;
