//! Hangar's catalog as clients' metadata shows it: the schemas and relations of one catalog
//! version, with each relation's kind, columns and (for a materialized view) its query. Postgres
//! clients read it through `pg_catalog` ([`crate::postgres`]); Flight SQL's `GetDbSchemas` and
//! `GetTables` read it directly. Both protocols build their table metadata from this one adapter,
//! never from the catalog's manifest.

use std::sync::Arc;

use datafusion::arrow::datatypes::Schema;
use hangar_catalog::{Catalog, Manifest, RelationKind, TableEntry, ViewDefinition};

use crate::access::Identity;

/// The schemas and relations of one catalog version, as one session may see them.
#[derive(Debug, Clone)]
pub struct CatalogMetadata {
    manifest: Arc<Manifest>,
    /// Whose view it is: relations it may not use are left out. `None`: all of them.
    viewer: Option<Arc<Identity>>,
}

/// One table or materialized view.
#[derive(Debug, Clone, Copy)]
pub struct Relation<'a> {
    /// The schema it belongs to.
    pub schema: &'a str,
    /// Its name in that schema.
    pub name: &'a str,
    entry: &'a TableEntry,
}

impl CatalogMetadata {
    pub(crate) fn new(manifest: Arc<Manifest>) -> Self {
        Self {
            manifest,
            viewer: None,
        }
    }

    /// What `viewer` may see of `manifest`.
    pub(crate) fn seen_by(manifest: Arc<Manifest>, viewer: Arc<Identity>) -> Self {
        Self {
            manifest,
            viewer: Some(viewer),
        }
    }

    /// The catalog version `catalog` knows now.
    pub(crate) fn of(catalog: &Catalog) -> Self {
        Self::new(catalog.snapshot())
    }

    /// The persisted schemas, by name.
    pub fn schemas(&self) -> impl Iterator<Item = &str> {
        self.manifest.schemas.keys().map(String::as_str)
    }

    /// Every table and materialized view, by schema, then name.
    pub fn relations(&self) -> impl Iterator<Item = Relation<'_>> {
        self.manifest
            .schemas
            .iter()
            .flat_map(|(schema, entry)| {
                entry.tables.iter().map(move |(name, entry)| Relation {
                    schema,
                    name,
                    entry,
                })
            })
            .filter(|relation| self.may_see(relation.schema, relation.name))
    }

    fn may_see(&self, schema: &str, name: &str) -> bool {
        self.viewer
            .as_ref()
            .is_none_or(|viewer| viewer.may_see(&self.manifest, schema, name))
    }

    /// The materialized views, by schema, then name.
    pub fn views(&self) -> impl Iterator<Item = Relation<'_>> {
        self.relations()
            .filter(|relation| relation.kind() == RelationKind::MaterializedView)
    }

    /// The relation `schema.name`, if there is one.
    pub fn relation<'a>(&'a self, schema: &'a str, name: &'a str) -> Option<Relation<'a>> {
        let entry = self.manifest.table(schema, name)?;
        if !self.may_see(schema, name) {
            return None;
        }
        Some(Relation {
            schema,
            name,
            entry,
        })
    }
}

impl<'a> Relation<'a> {
    /// A table or a materialized view.
    pub fn kind(&self) -> RelationKind {
        self.entry.kind()
    }

    /// The role that owns it; `None` for one made before roles were in use.
    pub fn owner(&self) -> Option<&'a str> {
        self.entry.acl.owner.as_deref()
    }

    /// Its columns, partition columns last.
    pub fn columns(&self) -> &'a Schema {
        &self.entry.schema
    }

    /// A materialized view's defining query; `None` for a table.
    pub fn view_query(&self) -> Option<&'a str> {
        self.view().map(|view| view.query.as_str())
    }

    /// Whether it can be read: a table always, a materialized view once it was refreshed.
    pub fn is_populated(&self) -> bool {
        self.view().is_none_or(|view| view.version > 0)
    }

    fn view(&self) -> Option<&'a ViewDefinition> {
        self.entry.view.as_ref()
    }
}
