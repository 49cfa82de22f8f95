//! Errors of the server: starting its parts, running them, stopping them.

/// Why the server could not start, or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration could not be read or holds a bad value.
    #[error("{0}")]
    Config(String),
    /// The object stores could not be set up.
    #[error("storage: {0}")]
    Storage(#[from] hangar_storage::Error),
    /// The catalog could not be opened.
    #[error("catalog: {0}")]
    Catalog(#[from] hangar_catalog::Error),
    /// The engine could not be built.
    #[error("engine: {0}")]
    Engine(#[from] hangar_engine::Error),
    /// The demo data could not be generated or written.
    #[error("demo data: {table}: {reason}")]
    Demo {
        /// The TPC-H table.
        table: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A listener failed to bind, or failed while it ran.
    #[error("{listener} listener: {source}")]
    Listener {
        /// Which listener.
        listener: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A part of the server ended on its own, or panicked.
    #[error("{part} stopped unexpectedly: {reason}")]
    Stopped {
        /// Which part.
        part: &'static str,
        /// How it ended.
        reason: String,
    },
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
