//! The rules of who may do what, over one manifest: effective roles through membership,
//! ownership, privileges (with the usage of the schema), and how role and privilege changes apply.

use std::collections::BTreeSet;

use crate::access::{Acl, PUBLIC, Privilege, RoleAlteration, RoleEntry, Securable, change_grants};
use crate::manifest::{DEFAULT_SCHEMA, Manifest};
use crate::{Error, Result};

impl Manifest {
    /// Looks up a role.
    pub fn role(&self, name: &str) -> Option<&RoleEntry> {
        self.roles.get(name)
    }

    /// `role` and every role it is a member of, directly or through others, and [`PUBLIC`].
    pub fn effective_roles(&self, role: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::from([PUBLIC.to_string()]);
        let mut next = vec![role.to_string()];
        while let Some(r) = next.pop() {
            if found.insert(r.clone())
                && let Some(entry) = self.roles.get(&r)
            {
                next.extend(entry.member_of.iter().cloned());
            }
        }
        found
    }

    /// Whether `role` is a superuser: its own attribute, not inherited through membership, as in
    /// Postgres.
    pub fn is_superuser(&self, role: &str) -> bool {
        self.roles.get(role).is_some_and(|r| r.superuser)
    }

    /// Whether `role` owns the object `acl` guards (directly or as a member of its owner), or is a
    /// superuser.
    pub fn owns(&self, role: &str, acl: &Acl) -> bool {
        self.is_superuser(role)
            || acl
                .owner
                .as_ref()
                .is_some_and(|owner| self.effective_roles(role).contains(owner))
    }

    /// Whether `role` holds `privilege` on the object `acl` guards.
    pub fn holds(&self, role: &str, acl: &Acl, privilege: Privilege) -> bool {
        self.owns(role, acl)
            || self.effective_roles(role).iter().any(|r| {
                acl.grants
                    .get(r)
                    .is_some_and(|held| held.contains(&privilege))
            })
    }

    /// Whether `role` holds `privilege` on a schema. Everyone may use `public`, as in Postgres.
    pub fn holds_on_schema(&self, role: &str, schema: &str, privilege: Privilege) -> bool {
        if privilege == Privilege::Usage && schema == DEFAULT_SCHEMA {
            return true;
        }
        self.schemas
            .get(schema)
            .is_some_and(|s| self.holds(role, &s.acl, privilege))
    }

    /// Whether `role` holds `privilege` on a table, the usage of its schema included.
    pub fn holds_on_table(
        &self,
        role: &str,
        schema: &str,
        name: &str,
        privilege: Privilege,
    ) -> bool {
        self.holds_on_schema(role, schema, Privilege::Usage)
            && self
                .table(schema, name)
                .is_some_and(|t| self.holds(role, &t.acl, privilege))
    }

    /// Whether `role` may see a table at all: it holds some privilege on it.
    pub fn may_see_table(&self, role: &str, schema: &str, name: &str) -> bool {
        Privilege::TABLE
            .iter()
            .any(|p| self.holds_on_table(role, schema, name, *p))
    }

    fn check_role_exists(&self, name: &str) -> Result<()> {
        if name == PUBLIC || self.roles.contains_key(name) {
            Ok(())
        } else {
            Err(Error::RoleNotFound(name.to_string()))
        }
    }

    /// The objects `role` owns, as `kind name` for an error message.
    fn owned_by(&self, role: &str) -> Vec<String> {
        let owned = |acl: &Acl| acl.owner.as_deref() == Some(role);
        self.schemas
            .iter()
            .flat_map(|(schema, s)| {
                let own = owned(&s.acl).then(|| format!("schema {schema}"));
                own.into_iter().chain(
                    s.tables
                        .iter()
                        .filter(|(_, t)| owned(&t.acl))
                        .map(move |(t, _)| format!("table {schema}.{t}")),
                )
            })
            .collect()
    }
}

/// Role and privilege changes, applied to a copy of the manifest being changed.
impl Manifest {
    pub(crate) fn create_role(&mut self, name: &str, role: &RoleEntry) -> Result<()> {
        if name == PUBLIC || name.starts_with("pg_") {
            return Err(Error::ReservedRoleName(name.to_string()));
        }
        if self.roles.contains_key(name) {
            return Err(Error::RoleExists(name.to_string()));
        }
        for group in &role.member_of {
            self.check_role_exists(group)?;
        }
        self.roles.insert(name.to_string(), role.clone());
        Ok(())
    }

    pub(crate) fn alter_role(&mut self, name: &str, alter: &RoleAlteration) -> Result<()> {
        let role = self
            .roles
            .get_mut(name)
            .ok_or_else(|| Error::RoleNotFound(name.to_string()))?;
        if let Some(login) = alter.login {
            role.login = login;
        }
        if let Some(superuser) = alter.superuser {
            role.superuser = superuser;
        }
        if let Some(password) = &alter.password {
            role.password = password.clone();
        }
        Ok(())
    }

    /// Drops a role that owns nothing; its memberships and grants go with it. `Ok(false)` when it
    /// is missing and that is allowed.
    pub(crate) fn drop_role(&mut self, name: &str, if_exists: bool) -> Result<bool> {
        if !self.roles.contains_key(name) {
            return if if_exists {
                Ok(false)
            } else {
                Err(Error::RoleNotFound(name.to_string()))
            };
        }
        let owned = self.owned_by(name);
        if !owned.is_empty() {
            return Err(Error::RoleOwnsObjects {
                role: name.to_string(),
                objects: owned,
            });
        }
        self.roles.remove(name);
        for role in self.roles.values_mut() {
            role.member_of.remove(name);
        }
        for schema in self.schemas.values_mut() {
            schema.acl.forget(name);
            schema.future_grants.remove(name);
            for table in schema.tables.values_mut() {
                table.acl.forget(name);
            }
        }
        Ok(true)
    }

    pub(crate) fn membership(&mut self, group: &str, member: &str, grant: bool) -> Result<()> {
        for role in [group, member] {
            if !self.roles.contains_key(role) {
                return Err(Error::RoleNotFound(role.to_string()));
            }
        }
        if grant && self.effective_roles(group).contains(member) {
            return Err(Error::CircularMembership {
                group: group.to_string(),
                member: member.to_string(),
            });
        }
        let entry = self.roles.get_mut(member).expect("checked above");
        if grant {
            entry.member_of.insert(group.to_string());
        } else {
            entry.member_of.remove(group);
        }
        Ok(())
    }

    pub(crate) fn privileges(
        &mut self,
        on: &Securable,
        privileges: &BTreeSet<Privilege>,
        roles: &[String],
        grant: bool,
    ) -> Result<()> {
        for role in roles {
            self.check_role_exists(role)?;
        }
        let schema_name = match on {
            Securable::Table { schema, .. }
            | Securable::AllTablesInSchema(schema)
            | Securable::Schema(schema)
            | Securable::FutureTablesInSchema(schema) => schema,
        };
        let schema = self
            .schemas
            .get_mut(schema_name)
            .ok_or_else(|| Error::SchemaNotFound(schema_name.clone()))?;
        match on {
            Securable::Table { name, .. } => schema
                .tables
                .get_mut(name)
                .ok_or_else(|| Error::TableNotFound {
                    schema: schema_name.clone(),
                    table: name.clone(),
                })?
                .acl
                .change(privileges, roles, grant),
            Securable::AllTablesInSchema(_) => {
                for table in schema.tables.values_mut() {
                    table.acl.change(privileges, roles, grant);
                }
            }
            Securable::Schema(_) => schema.acl.change(privileges, roles, grant),
            Securable::FutureTablesInSchema(_) => {
                change_grants(&mut schema.future_grants, privileges, roles, grant)
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Change, TableEntry, TableFormat};

    fn commit(m: Manifest, change: Change) -> Manifest {
        m.apply(&change).unwrap().unwrap()
    }

    fn role(login: bool) -> RoleEntry {
        RoleEntry {
            login,
            ..RoleEntry::default()
        }
    }

    fn table(owner: &str) -> Change {
        Change::CreateTable {
            schema: "s".into(),
            name: "t".into(),
            table: Box::new(TableEntry {
                location: "file:///w/t/".into(),
                format: TableFormat::Parquet,
                partition_columns: vec![],
                schema: arrow_schema::Schema::empty(),
                managed: true,
                view: None,
                acl: Acl::owned_by(Some(owner)),
            }),
            if_not_exists: false,
        }
    }

    fn privileges(on: Securable, p: Privilege, role: &str, grant: bool) -> Change {
        Change::Privileges {
            on,
            privileges: BTreeSet::from([p]),
            roles: vec![role.into()],
            grant,
        }
    }

    /// Roles `owner`, `reader` (a member of `analysts`) and `other`; schema `s` owned by `owner`.
    fn warehouse() -> Manifest {
        let mut m = Manifest::empty();
        for name in ["owner", "analysts", "reader", "other"] {
            m = commit(
                m,
                Change::CreateRole {
                    name: name.into(),
                    role: role(name != "analysts"),
                },
            );
        }
        m = commit(
            m,
            Change::Membership {
                group: "analysts".into(),
                member: "reader".into(),
                grant: true,
            },
        );
        commit(
            m,
            Change::CreateSchema {
                name: "s".into(),
                owner: Some("owner".into()),
                if_not_exists: false,
            },
        )
    }

    #[test]
    fn privileges_reach_members_and_need_the_schema() {
        let m = commit(warehouse(), table("owner"));
        assert!(m.holds_on_table("owner", "s", "t", Privilege::Select));
        assert!(!m.holds_on_table("reader", "s", "t", Privilege::Select));
        let table_only = commit(
            m,
            privileges(
                Securable::Table {
                    schema: "s".into(),
                    name: "t".into(),
                },
                Privilege::Select,
                "analysts",
                true,
            ),
        );
        // SELECT on the table, but no USAGE on its schema.
        assert!(!table_only.holds_on_table("reader", "s", "t", Privilege::Select));
        let m = commit(
            table_only,
            privileges(
                Securable::Schema("s".into()),
                Privilege::Usage,
                PUBLIC,
                true,
            ),
        );
        assert!(m.holds_on_table("reader", "s", "t", Privilege::Select));
        assert!(!m.holds_on_table("reader", "s", "t", Privilege::Insert));
        assert!(!m.holds_on_table("other", "s", "t", Privilege::Select));
        assert!(!m.may_see_table("other", "s", "t"));
        let revoked = commit(
            m,
            privileges(
                Securable::AllTablesInSchema("s".into()),
                Privilege::Select,
                "analysts",
                false,
            ),
        );
        assert!(!revoked.holds_on_table("reader", "s", "t", Privilege::Select));
    }

    #[test]
    fn default_privileges_apply_to_tables_made_later() {
        let m = commit(
            warehouse(),
            privileges(
                Securable::FutureTablesInSchema("s".into()),
                Privilege::Select,
                "reader",
                true,
            ),
        );
        let m = commit(m, table("owner"));
        assert!(m.table("s", "t").unwrap().acl.grants["reader"].contains(&Privilege::Select));
    }

    #[test]
    fn a_role_that_owns_objects_cannot_be_dropped_and_others_take_their_grants_along() {
        let m = commit(warehouse(), table("owner"));
        let drop = |name: &str| Change::DropRole {
            name: name.into(),
            if_exists: false,
        };
        assert!(matches!(
            m.apply(&drop("owner")),
            Err(crate::Error::RoleOwnsObjects { .. })
        ));
        let m = commit(m, drop("analysts"));
        assert!(m.role("reader").unwrap().member_of.is_empty());
        assert!(matches!(
            m.apply(&drop("analysts")),
            Err(crate::Error::RoleNotFound(_))
        ));
        assert!(
            m.apply(&Change::DropRole {
                name: "analysts".into(),
                if_exists: true
            })
            .unwrap()
            .is_none()
        );
    }

    #[test]
    fn several_changes_commit_together_or_not_at_all() {
        let m = warehouse();
        let drop = |name: &str| Change::DropRole {
            name: name.into(),
            if_exists: false,
        };
        let both = Change::Several(vec![drop("other"), drop("nobody")]);
        assert!(matches!(m.apply(&both), Err(crate::Error::RoleNotFound(_))));
        let next = m
            .apply(&Change::Several(vec![drop("other"), drop("reader")]))
            .unwrap()
            .unwrap();
        assert_eq!(next.version, m.version + 1);
        assert!(next.role("other").is_none() && next.role("reader").is_none());
    }

    #[test]
    fn debug_forms_leave_verifiers_out() {
        let verifier = crate::ScramVerifier::new("pw").to_text();
        let role = RoleEntry {
            password: Some(verifier.clone()),
            ..RoleEntry::default()
        };
        let alter = RoleAlteration {
            password: Some(Some(verifier.clone())),
            ..RoleAlteration::default()
        };
        for debug in [format!("{role:?}"), format!("{alter:?}")] {
            assert!(
                !debug.contains(&verifier) && debug.contains("***"),
                "{debug}"
            );
        }
    }

    #[test]
    fn memberships_cannot_loop_and_names_are_checked() {
        let m = warehouse();
        let grant = |group: &str, member: &str| Change::Membership {
            group: group.into(),
            member: member.into(),
            grant: true,
        };
        assert!(matches!(
            m.apply(&grant("reader", "analysts")),
            Err(crate::Error::CircularMembership { .. })
        ));
        assert!(matches!(
            m.apply(&grant("nobody", "reader")),
            Err(crate::Error::RoleNotFound(_))
        ));
        for reserved in ["public", "pg_monitor"] {
            assert!(matches!(
                m.apply(&Change::CreateRole {
                    name: reserved.into(),
                    role: role(true)
                }),
                Err(crate::Error::ReservedRoleName(_))
            ));
        }
        let superuser = commit(
            m,
            Change::AlterRole {
                name: "other".into(),
                alter: RoleAlteration {
                    superuser: Some(true),
                    ..RoleAlteration::default()
                },
            },
        );
        assert!(superuser.owns("other", &Acl::default()));
        assert!(!superuser.owns("reader", &Acl::default()));
    }
}
