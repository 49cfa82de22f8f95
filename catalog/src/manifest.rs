//! The persisted shape of the catalog and the changes that move it from one version to the next.

use std::collections::BTreeMap;

use arrow_schema::Schema;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The schema every warehouse starts with.
pub const DEFAULT_SCHEMA: &str = "public";

/// Version of the manifest format; bumped on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// One version of the whole catalog, as stored in one manifest object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format of this document ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// Number of this version; 0 is the implicit empty catalog that is never written.
    pub version: u64,
    /// When this version was committed (RFC 3339).
    pub committed_at: String,
    /// Schemas by name.
    pub schemas: BTreeMap<String, SchemaEntry>,
}

/// A schema (namespace of tables).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaEntry {
    /// Tables by name.
    pub tables: BTreeMap<String, TableEntry>,
}

/// File format of a table's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Apache Parquet files.
    Parquet,
}

/// A table: files under a location, with a known schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableEntry {
    /// URL of a file or of a directory (ending with `/`) holding the data.
    pub location: String,
    /// File format.
    pub format: TableFormat,
    /// Hive-style partition columns (`col=value/` folders), in folder order; also in `schema`, last.
    pub partition_columns: Vec<String>,
    /// Arrow schema of the table, partition columns included.
    pub schema: Schema,
    /// Whether Hangar wrote this table's files into the warehouse (CREATE TABLE [AS]), as opposed to
    /// registering files that exist elsewhere (CREATE EXTERNAL TABLE).
    pub managed: bool,
}

/// A change to the catalog; committing one produces the next version.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Create a schema.
    CreateSchema {
        /// Schema name.
        name: String,
        /// Succeed without change when it exists.
        if_not_exists: bool,
    },
    /// Drop a schema.
    DropSchema {
        /// Schema name.
        name: String,
        /// Succeed without change when it is missing.
        if_exists: bool,
        /// Drop its tables too.
        cascade: bool,
    },
    /// Create a table.
    CreateTable {
        /// Schema name.
        schema: String,
        /// Table name.
        name: String,
        /// The table.
        table: TableEntry,
        /// Succeed without change when it exists.
        if_not_exists: bool,
    },
    /// Drop a table.
    DropTable {
        /// Schema name.
        schema: String,
        /// Table name.
        name: String,
        /// Succeed without change when it is missing.
        if_exists: bool,
    },
}

impl Manifest {
    /// The catalog before any commit: just the default schema.
    pub fn empty() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            version: 0,
            committed_at: String::new(),
            schemas: BTreeMap::from([(DEFAULT_SCHEMA.to_string(), SchemaEntry::default())]),
        }
    }

    /// Looks up a table.
    pub fn table(&self, schema: &str, name: &str) -> Option<&TableEntry> {
        self.schemas.get(schema)?.tables.get(name)
    }

    /// Applies a change. `Ok(None)` means the change is a no-op (an `IF [NOT] EXISTS` that held), so
    /// nothing needs committing.
    pub fn apply(&self, change: &Change) -> Result<Option<Manifest>> {
        let mut next = self.clone();
        match change {
            Change::CreateSchema {
                name,
                if_not_exists,
            } => {
                if next.schemas.contains_key(name) {
                    return no_op_or(*if_not_exists, Error::SchemaExists(name.clone()));
                }
                next.schemas.insert(name.clone(), SchemaEntry::default());
            }
            Change::DropSchema {
                name,
                if_exists,
                cascade,
            } => match next.schemas.get(name) {
                None => return no_op_or(*if_exists, Error::SchemaNotFound(name.clone())),
                Some(s) if !s.tables.is_empty() && !cascade => {
                    return Err(Error::SchemaNotEmpty(name.clone()));
                }
                Some(_) => {
                    next.schemas.remove(name);
                }
            },
            Change::CreateTable {
                schema,
                name,
                table,
                if_not_exists,
            } => {
                let tables = &mut next
                    .schemas
                    .get_mut(schema)
                    .ok_or_else(|| Error::SchemaNotFound(schema.clone()))?
                    .tables;
                if tables.contains_key(name) {
                    let exists = Error::TableExists {
                        schema: schema.clone(),
                        table: name.clone(),
                    };
                    return no_op_or(*if_not_exists, exists);
                }
                tables.insert(name.clone(), table.clone());
            }
            Change::DropTable {
                schema,
                name,
                if_exists,
            } => {
                let missing = || Error::TableNotFound {
                    schema: schema.clone(),
                    table: name.clone(),
                };
                let Some(s) = next.schemas.get_mut(schema) else {
                    return no_op_or(*if_exists, missing());
                };
                if s.tables.remove(name).is_none() {
                    return no_op_or(*if_exists, missing());
                }
            }
        }
        next.version = self.version + 1;
        next.committed_at = chrono::Utc::now().to_rfc3339();
        Ok(Some(next))
    }
}

fn no_op_or(no_op: bool, error: Error) -> Result<Option<Manifest>> {
    if no_op { Ok(None) } else { Err(error) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::{DataType, Field};

    fn table() -> TableEntry {
        TableEntry {
            location: "file:///w/t/".into(),
            format: TableFormat::Parquet,
            partition_columns: vec!["day".into()],
            schema: Schema::new(vec![
                Field::new("x", DataType::Int64, true),
                Field::new("day", DataType::Utf8, false),
            ]),
            managed: false,
        }
    }

    #[test]
    fn manifest_round_trips_through_json() {
        let m = Manifest::empty()
            .apply(&Change::CreateTable {
                schema: "public".into(),
                name: "t".into(),
                table: table(),
                if_not_exists: false,
            })
            .unwrap()
            .unwrap();
        let json = serde_json::to_string_pretty(&m).unwrap();
        assert!(json.contains("\"format_version\": 1"), "{json}");
        let back: Manifest = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn changes_validate_against_the_current_version() {
        let m = Manifest::empty();
        let create = Change::CreateSchema {
            name: "s".into(),
            if_not_exists: false,
        };
        let m1 = m.apply(&create).unwrap().unwrap();
        assert_eq!(m1.version, 1);
        assert!(matches!(m1.apply(&create), Err(Error::SchemaExists(_))));
        let again = Change::CreateSchema {
            name: "s".into(),
            if_not_exists: true,
        };
        assert!(m1.apply(&again).unwrap().is_none());
        let with_table = m1
            .apply(&Change::CreateTable {
                schema: "s".into(),
                name: "t".into(),
                table: table(),
                if_not_exists: false,
            })
            .unwrap()
            .unwrap();
        let drop = Change::DropSchema {
            name: "s".into(),
            if_exists: false,
            cascade: false,
        };
        assert!(matches!(
            with_table.apply(&drop),
            Err(Error::SchemaNotEmpty(_))
        ));
        let cascade = Change::DropSchema {
            name: "s".into(),
            if_exists: false,
            cascade: true,
        };
        assert!(
            !with_table
                .apply(&cascade)
                .unwrap()
                .unwrap()
                .schemas
                .contains_key("s")
        );
        let drop_t = Change::DropTable {
            schema: "s".into(),
            name: "nope".into(),
            if_exists: false,
        };
        assert!(matches!(
            with_table.apply(&drop_t),
            Err(Error::TableNotFound { .. })
        ));
    }
}
