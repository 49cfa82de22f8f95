//! The persisted shape of the catalog and the changes that move it from one version to the next.

use std::collections::BTreeMap;

use arrow_schema::Schema;
use serde::{Deserialize, Serialize};

use crate::access::{Acl, Privilege, RoleAlteration, RoleEntry, Securable};
use crate::relation_kind::RelationKind;
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
    /// Folders of dropped managed tables and views whose files are still to be removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DroppedFolder>,
    /// Roles by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, RoleEntry>,
}

/// A warehouse folder that a drop left behind. Queries that started before the drop may still read
/// it, so its files are removed once the grace period after the drop is over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DroppedFolder {
    /// URL of the folder (ends with `/`).
    pub location: String,
    /// When the drop was committed (RFC 3339).
    pub dropped_at: String,
}

/// A schema (namespace of tables).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaEntry {
    /// Tables by name.
    pub tables: BTreeMap<String, TableEntry>,
    /// Its owner and the privileges granted on it.
    #[serde(default, skip_serializing_if = "Acl::is_empty")]
    pub acl: Acl,
    /// What tables created in it from now on grant, by grantee (`ALTER DEFAULT PRIVILEGES`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub future_grants: BTreeMap<String, std::collections::BTreeSet<Privilege>>,
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
    /// Present when this entry is a materialized view: then `location` is its current version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewDefinition>,
    /// Its owner and the privileges granted on it.
    #[serde(default, skip_serializing_if = "Acl::is_empty")]
    pub acl: Acl,
}

impl TableEntry {
    /// The warehouse folder holding all of this entry's files, if Hangar wrote them: a view's root
    /// or a managed table's location. External tables' files are not Hangar's to remove.
    pub fn owned_folder(&self) -> Option<&str> {
        match &self.view {
            Some(view) => Some(&view.root),
            None => self.managed.then_some(self.location.as_str()),
        }
    }

    /// What kind of relation this entry is.
    pub fn kind(&self) -> RelationKind {
        if self.view.is_some() {
            RelationKind::MaterializedView
        } else {
            RelationKind::Table
        }
    }
}

/// A materialized view: its query and the version of its data that readers see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewDefinition {
    /// The defining query, as SQL.
    pub query: String,
    /// Cron expression of scheduled refreshes; `None` refreshes only on demand.
    pub schedule: Option<String>,
    /// When the schedule was set (RFC 3339): slots before it are not the schedule's to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_since: Option<String>,
    /// Columns the data is sorted by when written, so filters on them prune files and row groups.
    pub sort_by: Vec<String>,
    /// Columns the data is partitioned by (`col=value/` folders).
    pub partition_by: Vec<String>,
    /// Tables and views the query reads, as `schema.name`.
    pub sources: Vec<String>,
    /// Folder under which each version gets its own sub-folder (ends with `/`).
    pub root: String,
    /// Number of the current version; 0 until the first refresh.
    pub version: u64,
    /// When the refresh that wrote the current version started (RFC 3339); `None` until the first
    /// refresh. Scheduled slots before it count as done.
    pub refreshed_at: Option<String>,
}

/// A new version of a materialized view's data, written and ready to become current.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewVersion {
    /// The version the refresh started from; the commit fails if another refresh committed since.
    pub base_version: u64,
    /// The view's `root` when the refresh started (a view dropped and re-created has another).
    pub root: String,
    /// The new version's number.
    pub version: u64,
    /// The new version's folder.
    pub location: String,
    /// Schema of the new data.
    pub schema: Schema,
    /// When the refresh that wrote it started (RFC 3339).
    pub refreshed_at: String,
}

/// A change to the catalog; committing one produces the next version.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Create a schema.
    CreateSchema {
        /// Schema name.
        name: String,
        /// Its owner, when roles are in use.
        owner: Option<String>,
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
        table: Box<TableEntry>,
        /// Succeed without change when it exists.
        if_not_exists: bool,
    },
    /// Drop a table or a materialized view.
    DropTable {
        /// Schema name.
        schema: String,
        /// Table name.
        name: String,
        /// The kind the statement names (`DROP TABLE` cannot drop a view and vice versa).
        kind: RelationKind,
        /// Succeed without change when it is missing.
        if_exists: bool,
    },
    /// Make a refreshed version of a materialized view current.
    SetViewVersion {
        /// Schema name.
        schema: String,
        /// View name.
        name: String,
        /// The new version.
        version: ViewVersion,
    },
    /// Change a materialized view's refresh schedule.
    SetViewSchedule {
        /// Schema name.
        schema: String,
        /// View name.
        name: String,
        /// The new cron expression, or `None` for manual refreshes only.
        schedule: Option<String>,
        /// When the change was made (RFC 3339).
        since: String,
    },
    /// Forget dropped folders whose files have been removed.
    ForgetDropped {
        /// Their locations.
        locations: Vec<String>,
    },
    /// Create a role (`CREATE ROLE`, `CREATE USER`).
    CreateRole {
        /// Role name.
        name: String,
        /// The role.
        role: RoleEntry,
    },
    /// Change a role's attributes or password (`ALTER ROLE`).
    AlterRole {
        /// Role name.
        name: String,
        /// What changes.
        alter: RoleAlteration,
    },
    /// Drop a role that owns nothing (`DROP ROLE`).
    DropRole {
        /// Role name.
        name: String,
        /// Succeed without change when it is missing.
        if_exists: bool,
    },
    /// Make `member` a member of `group` or stop it being one (`GRANT group TO member`).
    Membership {
        /// The role whose privileges are passed on.
        group: String,
        /// The role that gets them.
        member: String,
        /// Grant (true) or revoke.
        grant: bool,
    },
    /// Changes that commit together, in order, as one version (a statement that names several
    /// roles or tables applies to all of them or to none).
    Several(Vec<Change>),
    /// Grant or revoke privileges (`GRANT SELECT ON t TO r`, `ALTER DEFAULT PRIVILEGES`…).
    Privileges {
        /// What they are on.
        on: Securable,
        /// Which privileges.
        privileges: std::collections::BTreeSet<Privilege>,
        /// To or from whom ([`crate::PUBLIC`] for everyone).
        roles: Vec<String>,
        /// Grant (true) or revoke.
        grant: bool,
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
            dropped: Vec::new(),
            roles: BTreeMap::new(),
        }
    }

    /// Looks up a table.
    pub fn table(&self, schema: &str, name: &str) -> Option<&TableEntry> {
        self.schemas.get(schema)?.tables.get(name)
    }

    /// Looks up a materialized view.
    pub fn view(&self, schema: &str, name: &str) -> Option<(&TableEntry, &ViewDefinition)> {
        let entry = self.table(schema, name)?;
        Some((entry, entry.view.as_ref()?))
    }

    /// Every materialized view, as (schema, name, entry, definition).
    pub fn views(&self) -> impl Iterator<Item = (&str, &str, &TableEntry, &ViewDefinition)> {
        self.schemas.iter().flat_map(|(schema, s)| {
            s.tables.iter().filter_map(move |(name, entry)| {
                Some((schema.as_str(), name.as_str(), entry, entry.view.as_ref()?))
            })
        })
    }

    /// The materialized views whose queries read `schema.name`.
    pub fn dependents(&self, schema: &str, name: &str) -> Vec<String> {
        let qualified = format!("{schema}.{name}");
        self.views()
            .filter(|(.., view)| view.sources.contains(&qualified))
            .map(|(s, n, ..)| format!("{s}.{n}"))
            .collect()
    }

    /// Applies a change. `Ok(None)` means the change is a no-op (an `IF [NOT] EXISTS` that held), so
    /// nothing needs committing.
    pub fn apply(&self, change: &Change) -> Result<Option<Manifest>> {
        if let Change::Several(changes) = change {
            let mut current: Option<Manifest> = None;
            for change in changes {
                if let Some(next) = current.as_ref().unwrap_or(self).apply(change)? {
                    current = Some(next);
                }
            }
            return Ok(current.map(|mut next| {
                next.version = self.version + 1;
                next
            }));
        }
        let mut next = self.clone();
        let now = chrono::Utc::now().to_rfc3339();
        let drop_folder = |next: &mut Manifest, entry: &TableEntry| {
            if let Some(folder) = entry.owned_folder() {
                next.dropped.push(DroppedFolder {
                    location: folder.to_string(),
                    dropped_at: now.clone(),
                });
            }
        };
        match change {
            Change::CreateSchema {
                name,
                owner,
                if_not_exists,
            } => {
                if next.schemas.contains_key(name) {
                    return no_op_or(*if_not_exists, Error::SchemaExists(name.clone()));
                }
                let schema = SchemaEntry {
                    acl: Acl::owned_by(owner.as_deref()),
                    ..SchemaEntry::default()
                };
                next.schemas.insert(name.clone(), schema);
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
                Some(s) => {
                    // Views elsewhere must not lose their sources.
                    for table in s.tables.keys() {
                        let outside: Vec<String> = self
                            .dependents(name, table)
                            .into_iter()
                            .filter(|d| !d.starts_with(&format!("{name}.")))
                            .collect();
                        if !outside.is_empty() {
                            return Err(Error::HasDependents {
                                relation: format!("{name}.{table}"),
                                dependents: outside,
                            });
                        }
                    }
                    for entry in self.schemas[name].tables.values() {
                        drop_folder(&mut next, entry);
                    }
                    next.schemas.remove(name);
                }
            },
            Change::CreateTable {
                schema,
                name,
                table,
                if_not_exists,
            } => {
                let entry = next
                    .schemas
                    .get_mut(schema)
                    .ok_or_else(|| Error::SchemaNotFound(schema.clone()))?;
                let (tables, future_grants) = (&mut entry.tables, &entry.future_grants);
                if tables.contains_key(name) {
                    let exists = Error::TableExists {
                        schema: schema.clone(),
                        table: name.clone(),
                    };
                    return no_op_or(*if_not_exists, exists);
                }
                if let Some(view) = &table.view {
                    for source in &view.sources {
                        let (s, t) = source.split_once('.').unwrap_or(("", source));
                        if self.table(s, t).is_none() {
                            return Err(Error::TableNotFound {
                                schema: s.to_string(),
                                table: t.to_string(),
                            });
                        }
                    }
                }
                let mut table = table.as_ref().clone();
                for (role, privileges) in future_grants {
                    table
                        .acl
                        .grants
                        .entry(role.clone())
                        .or_default()
                        .extend(privileges);
                }
                tables.insert(name.clone(), table);
            }
            Change::DropTable {
                schema,
                name,
                kind,
                if_exists,
            } => {
                let missing = || Error::TableNotFound {
                    schema: schema.clone(),
                    table: name.clone(),
                };
                let Some(found) = self.table(schema, name) else {
                    return no_op_or(*if_exists, missing());
                };
                if found.kind() != *kind {
                    return Err(wrong_kind(schema, name, found.kind(), *kind));
                }
                let dependents = self.dependents(schema, name);
                if !dependents.is_empty() {
                    return Err(Error::HasDependents {
                        relation: format!("{schema}.{name}"),
                        dependents,
                    });
                }
                next.schemas.get_mut(schema).map(|s| s.tables.remove(name));
                drop_folder(&mut next, found);
            }
            Change::SetViewVersion {
                schema,
                name,
                version,
            } => {
                let entry = view_mut(&mut next, schema, name)?;
                let view = entry.view.as_mut().expect("checked by view_mut");
                if view.root != version.root || view.version != version.base_version {
                    return Err(Error::ViewChanged {
                        view: format!("{schema}.{name}"),
                    });
                }
                view.version = version.version;
                view.refreshed_at = Some(version.refreshed_at.clone());
                entry.location = version.location.clone();
                entry.schema = version.schema.clone();
            }
            Change::SetViewSchedule {
                schema,
                name,
                schedule,
                since,
            } => {
                let entry = view_mut(&mut next, schema, name)?;
                let view = entry.view.as_mut().expect("checked by view_mut");
                view.schedule = schedule.clone();
                view.schedule_since = Some(since.clone());
            }
            Change::ForgetDropped { locations } => {
                next.dropped.retain(|d| !locations.contains(&d.location));
                if next.dropped.len() == self.dropped.len() {
                    return Ok(None);
                }
            }
            Change::CreateRole { name, role } => next.create_role(name, role)?,
            Change::AlterRole { name, alter } => next.alter_role(name, alter)?,
            Change::DropRole { name, if_exists } => {
                if !next.drop_role(name, *if_exists)? {
                    return Ok(None);
                }
            }
            Change::Membership {
                group,
                member,
                grant,
            } => next.membership(group, member, *grant)?,
            Change::Privileges {
                on,
                privileges,
                roles,
                grant,
            } => next.privileges(on, privileges, roles, *grant)?,
            Change::Several(_) => unreachable!("applied above"),
        }
        next.version = self.version + 1;
        next.committed_at = now;
        Ok(Some(next))
    }
}

/// The entry of a materialized view, for changing it.
fn view_mut<'a>(
    manifest: &'a mut Manifest,
    schema: &str,
    name: &str,
) -> Result<&'a mut TableEntry> {
    let entry = manifest
        .schemas
        .get_mut(schema)
        .and_then(|s| s.tables.get_mut(name))
        .ok_or_else(|| Error::TableNotFound {
            schema: schema.to_string(),
            table: name.to_string(),
        })?;
    if entry.view.is_none() {
        return Err(wrong_kind(
            schema,
            name,
            RelationKind::Table,
            RelationKind::MaterializedView,
        ));
    }
    Ok(entry)
}

fn wrong_kind(schema: &str, name: &str, found: RelationKind, expected: RelationKind) -> Error {
    Error::WrongKind {
        relation: format!("{schema}.{name}"),
        found,
        expected,
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
            view: None,
            acl: Acl::default(),
        }
    }

    #[test]
    fn manifest_round_trips_through_json() {
        let m = Manifest::empty()
            .apply(&Change::CreateTable {
                schema: "public".into(),
                name: "t".into(),
                table: Box::new(table()),
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
            owner: None,
            if_not_exists: false,
        };
        let m1 = m.apply(&create).unwrap().unwrap();
        assert_eq!(m1.version, 1);
        assert!(matches!(m1.apply(&create), Err(Error::SchemaExists(_))));
        let again = Change::CreateSchema {
            name: "s".into(),
            owner: None,
            if_not_exists: true,
        };
        assert!(m1.apply(&again).unwrap().is_none());
        let with_table = m1
            .apply(&Change::CreateTable {
                schema: "s".into(),
                name: "t".into(),
                table: Box::new(table()),
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
            kind: RelationKind::Table,
            if_exists: false,
        };
        assert!(matches!(
            with_table.apply(&drop_t),
            Err(Error::TableNotFound { .. })
        ));
    }

    fn view(sources: &[&str]) -> TableEntry {
        TableEntry {
            view: Some(ViewDefinition {
                query: "SELECT 1".into(),
                schedule: None,
                schedule_since: None,
                sort_by: vec![],
                partition_by: vec![],
                sources: sources.iter().map(|s| s.to_string()).collect(),
                root: "file:///w/views/v-1/".into(),
                version: 0,
                refreshed_at: None,
            }),
            ..table()
        }
    }

    fn create(name: &str, table: TableEntry) -> Change {
        Change::CreateTable {
            schema: "public".into(),
            name: name.into(),
            table: Box::new(table),
            if_not_exists: false,
        }
    }

    fn drop(name: &str, kind: RelationKind) -> Change {
        Change::DropTable {
            schema: "public".into(),
            name: name.into(),
            kind,
            if_exists: false,
        }
    }

    #[test]
    fn a_refresh_commits_only_on_the_version_it_started_from() {
        let m = Manifest::empty()
            .apply(&create("t", table()))
            .unwrap()
            .unwrap()
            .apply(&create("v", view(&["public.t"])))
            .unwrap()
            .unwrap();
        let refresh = |base_version, version| Change::SetViewVersion {
            schema: "public".into(),
            name: "v".into(),
            version: ViewVersion {
                base_version,
                root: "file:///w/views/v-1/".into(),
                version,
                location: format!("file:///w/views/v-1/v{version}/"),
                schema: Schema::empty(),
                refreshed_at: "2026-01-01T00:00:00Z".into(),
            },
        };
        let m = m.apply(&refresh(0, 1)).unwrap().unwrap();
        let (entry, def) = m.view("public", "v").unwrap();
        assert_eq!(
            (entry.location.as_str(), def.version),
            ("file:///w/views/v-1/v1/", 1)
        );
        assert!(def.refreshed_at.is_some());
        // A second refresh that also started from version 0 lost the race.
        assert!(matches!(
            m.apply(&refresh(0, 1)),
            Err(Error::ViewChanged { .. })
        ));
    }

    #[test]
    fn relations_read_by_views_cannot_be_dropped() {
        let m = Manifest::empty()
            .apply(&create("t", table()))
            .unwrap()
            .unwrap()
            .apply(&create("v", view(&["public.t"])))
            .unwrap()
            .unwrap();
        assert!(matches!(
            m.apply(&drop("t", RelationKind::Table)),
            Err(Error::HasDependents { .. })
        ));
        assert!(matches!(
            m.apply(&drop("v", RelationKind::Table)),
            Err(Error::WrongKind { .. })
        ));
        assert!(matches!(
            m.apply(&create("w", view(&["public.gone"]))),
            Err(Error::TableNotFound { .. })
        ));
        let m = m
            .apply(&drop("v", RelationKind::MaterializedView))
            .unwrap()
            .unwrap();
        assert!(m.apply(&drop("t", RelationKind::Table)).unwrap().is_some());
    }

    #[test]
    fn drops_leave_the_folders_hangar_wrote_to_be_removed() {
        let managed = TableEntry {
            location: "file:///w/tables/m-1/".into(),
            managed: true,
            ..table()
        };
        let m = Manifest::empty()
            .apply(&create("external", table()))
            .unwrap()
            .unwrap()
            .apply(&create("managed", managed))
            .unwrap()
            .unwrap()
            .apply(&create("v", view(&["public.managed"])))
            .unwrap()
            .unwrap();
        let after_drops = m
            .apply(&drop("v", RelationKind::MaterializedView))
            .unwrap()
            .unwrap()
            .apply(&drop("external", RelationKind::Table))
            .unwrap()
            .unwrap();
        let locations = |m: &Manifest| -> Vec<String> {
            m.dropped.iter().map(|d| d.location.clone()).collect()
        };
        // External tables' files are not Hangar's.
        assert_eq!(locations(&after_drops), ["file:///w/views/v-1/"]);
        assert!(!after_drops.dropped[0].dropped_at.is_empty());
        let json = serde_json::to_string(&after_drops).unwrap();
        assert_eq!(
            serde_json::from_str::<Manifest>(&json).unwrap(),
            after_drops
        );

        // DROP SCHEMA … CASCADE leaves every folder of the schema.
        let cascade = Change::DropSchema {
            name: "public".into(),
            if_exists: false,
            cascade: true,
        };
        let after_cascade = m.apply(&cascade).unwrap().unwrap();
        assert_eq!(
            locations(&after_cascade),
            ["file:///w/tables/m-1/", "file:///w/views/v-1/"]
        );

        // Forgetting removes what was named; forgetting it again changes nothing.
        let forget = Change::ForgetDropped {
            locations: vec!["file:///w/views/v-1/".into()],
        };
        let forgotten = after_cascade.apply(&forget).unwrap().unwrap();
        assert_eq!(locations(&forgotten), ["file:///w/tables/m-1/"]);
        assert!(forgotten.apply(&forget).unwrap().is_none());
    }
}
