//! Hangar's storage layer: which object stores exist and which locations SQL may touch.
//!
//! It owns the registry of object stores built from configuration (the warehouse store first, then any
//! extra stores for external tables) and the location sandbox: a table or file location outside the
//! configured stores is refused here, whatever SQL statement asked for it. It knows nothing of SQL,
//! catalogs or wire protocols; DataFusion sees it only through [`ObjectStoreRegistry`].

mod config;
mod error;
mod registry;

pub use config::{StorageConfig, StoreConfig};
pub use error::{Error, Result};
pub use registry::{Mount, StoreRegistry};

pub use datafusion::execution::object_store::ObjectStoreRegistry;
