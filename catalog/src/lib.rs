//! Hangar's catalog: which schemas and tables exist, where their data lives, what they look like,
//! and which roles exist and what each may do with them.
//!
//! The catalog persists itself in the warehouse's object store as a log of numbered manifests
//! (`_catalog/00000000000000000001.json`, …), each holding the whole catalog. A commit writes the next
//! number with `PutMode::Create`, the conditional write every object_store backend offers: when two
//! servers race for the same number, exactly one wins and the other re-reads the winner's manifest,
//! re-applies its change on top and tries again, or refuses it with a clear error when the change no
//! longer makes sense (the table now exists, say). It knows nothing of SQL or wire protocols.
//!
//! A server sees another server's commits when it next refreshes: before each of its own commits, and
//! at most `refresh_interval` after they land for reads (see [`Catalog::refresh_if_stale`]).

mod access;
mod error;
mod manifest;
mod password;
mod refreshes;
mod relation_kind;
mod rules;
mod store;

pub use access::{Acl, PUBLIC, Privilege, RoleAlteration, RoleEntry, Securable};
pub use error::{Error, Result};
pub use manifest::{
    Change, DEFAULT_SCHEMA, DroppedFolder, FORMAT_VERSION, Manifest, SchemaEntry, TableEntry,
    TableFormat, ViewDefinition, ViewVersion,
};
pub use password::{NotAVerifier, SCRAM_ITERATIONS, ScramVerifier, constant_time_eq, hmac_sha256};
pub use refreshes::{RefreshLog, RefreshRun, RunStatus, Trigger};
pub use relation_kind::RelationKind;
pub use store::Catalog;
