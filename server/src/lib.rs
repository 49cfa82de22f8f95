//! The `hangar` server: configuration, startup of the stores, catalog, engine and listeners, demo
//! data, and graceful shutdown. It wires the other crates together and holds no query logic.

mod config;
mod demo;
mod error;
mod logging;
mod security;
mod server;

pub use config::{Cli, Command, PgAuthArg, SecurityArgs, ServeConfig};
pub use error::{Error, Result};
pub use logging::init_logging;
pub use server::{RunningServer, ShutdownSignals, start, start_with_clock};
