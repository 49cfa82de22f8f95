//! Errors of the storage layer.

/// Errors raised while building stores or checking locations.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A store URL or table location could not be parsed.
    #[error("invalid location '{location}': {reason}")]
    InvalidLocation {
        /// The location as the user wrote it.
        location: String,
        /// Why it is not a usable URL or path.
        reason: String,
    },
    /// A location lies outside every configured store (the sandbox refused it).
    #[error("location '{location}' is outside the configured stores; allowed locations start with: {}", allowed.join(", "))]
    OutsideStores {
        /// The normalized location that was refused.
        location: String,
        /// The prefixes of the configured stores.
        allowed: Vec<String>,
    },
    /// The object store client could not be built or failed.
    #[error(transparent)]
    ObjectStore(#[from] object_store::Error),
    /// A local directory could not be created.
    #[error("cannot prepare warehouse directory '{path}': {source}")]
    Io {
        /// The directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
