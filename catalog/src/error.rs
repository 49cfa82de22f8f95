//! Errors of the catalog.

use crate::relation_kind::RelationKind;

/// Errors raised by catalog reads and commits.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema does not exist.
    #[error("schema \"{0}\" does not exist")]
    SchemaNotFound(String),
    /// The schema already exists.
    #[error("schema \"{0}\" already exists")]
    SchemaExists(String),
    /// The schema still has tables and the drop was not `CASCADE`.
    #[error("cannot drop schema \"{0}\" because it contains tables; use DROP SCHEMA … CASCADE")]
    SchemaNotEmpty(String),
    /// The table does not exist.
    #[error("table \"{schema}.{table}\" does not exist")]
    TableNotFound {
        /// Schema name.
        schema: String,
        /// Table name.
        table: String,
    },
    /// The table already exists.
    #[error("table \"{schema}.{table}\" already exists")]
    TableExists {
        /// Schema name.
        schema: String,
        /// Table name.
        table: String,
    },
    /// The statement names a table but found a materialized view, or the other way round.
    #[error("\"{relation}\" is not a {expected} (it is a {found})")]
    WrongKind {
        /// Qualified name.
        relation: String,
        /// What it is.
        found: RelationKind,
        /// What the statement expected.
        expected: RelationKind,
    },
    /// Materialized views read the relation, so it cannot be dropped.
    #[error("cannot drop \"{relation}\" because materialized views depend on it: {}", dependents.join(", "))]
    HasDependents {
        /// Qualified name.
        relation: String,
        /// The views that read it.
        dependents: Vec<String>,
    },
    /// Another refresh committed a version of the view (or it was dropped or re-created) while this
    /// refresh ran; this refresh's version was discarded.
    #[error(
        "materialized view \"{view}\" changed while it was being refreshed; its newer version stays"
    )]
    ViewChanged {
        /// Qualified name.
        view: String,
    },
    /// Other servers kept committing first; the change was not applied.
    #[error("catalog commit conflicted {0} times with concurrent commits; try again")]
    Conflict(usize),
    /// A manifest in the store could not be decoded.
    #[error("catalog manifest {path} is unreadable: {reason}")]
    Corrupt {
        /// Path of the manifest.
        path: String,
        /// Why it could not be read.
        reason: String,
    },
    /// The role does not exist.
    #[error("role \"{0}\" does not exist")]
    RoleNotFound(String),
    /// The role already exists.
    #[error("role \"{0}\" already exists")]
    RoleExists(String),
    /// The name is reserved (`public`, `pg_…`).
    #[error("role name \"{0}\" is reserved")]
    ReservedRoleName(String),
    /// The role still owns objects.
    #[error("role \"{role}\" cannot be dropped because it owns objects: {}", objects.join(", "))]
    RoleOwnsObjects {
        /// Role name.
        role: String,
        /// What it owns.
        objects: Vec<String>,
    },
    /// Granting the membership would make a role a member of itself.
    #[error("role \"{group}\" is a member of role \"{member}\"")]
    CircularMembership {
        /// The role being granted.
        group: String,
        /// The role it would be granted to.
        member: String,
    },
    /// The object store failed.
    #[error("catalog storage error: {0}")]
    Store(#[from] object_store::Error),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
