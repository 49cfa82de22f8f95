//! Roles and privileges, Postgres style: who exists, who may log in, who is a member of whom, who
//! owns each schema and table and what others were granted on it. The rules over them are in
//! `rules.rs`; which checks a statement needs is the engine's business.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The pseudo-role every role belongs to: `GRANT … TO PUBLIC`. No role may take its name.
pub const PUBLIC: &str = "public";

/// A role: a user when it may log in. Its `Debug` form leaves the password verifier out, so a
/// logged catalog change never shows it.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleEntry {
    /// Whether it may log in (`LOGIN`).
    #[serde(default)]
    pub login: bool,
    /// Whether it bypasses every privilege check (`SUPERUSER`).
    #[serde(default)]
    pub superuser: bool,
    /// Its password as a SCRAM-SHA-256 verifier ([`crate::ScramVerifier`]'s text); never the
    /// password itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The roles it is a member of (`GRANT role TO this`); it has their privileges.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub member_of: BTreeSet<String>,
}

impl std::fmt::Debug for RoleEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleEntry")
            .field("login", &self.login)
            .field("superuser", &self.superuser)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("member_of", &self.member_of)
            .finish()
    }
}

/// A privilege on a table or a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Privilege {
    /// Read a table's rows.
    Select,
    /// Add rows to a table.
    Insert,
    /// Look up objects in a schema.
    Usage,
    /// Create objects in a schema.
    Create,
}

impl Privilege {
    /// Its SQL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
        }
    }

    /// The letter `aclitem` uses for it (`r`, `a`, `U`, `C`), as `pg_class.relacl` prints.
    pub fn acl_letter(self) -> char {
        match self {
            Privilege::Select => 'r',
            Privilege::Insert => 'a',
            Privilege::Usage => 'U',
            Privilege::Create => 'C',
        }
    }

    /// The privileges a table has.
    pub const TABLE: [Privilege; 2] = [Privilege::Select, Privilege::Insert];
    /// The privileges a schema has.
    pub const SCHEMA: [Privilege; 2] = [Privilege::Usage, Privilege::Create];
}

/// Who owns an object and what others were granted on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Acl {
    /// The role that owns it; `None` for objects made before roles existed, which only superusers
    /// manage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Privileges granted, by grantee ([`PUBLIC`] for everyone).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grants: BTreeMap<String, BTreeSet<Privilege>>,
}

impl Acl {
    /// An object owned by `owner` (none when roles are not in use), with nothing granted.
    pub fn owned_by(owner: Option<&str>) -> Self {
        Self {
            owner: owner.map(str::to_string),
            grants: BTreeMap::new(),
        }
    }

    /// Whether nothing is recorded (what manifests before roles hold).
    pub fn is_empty(&self) -> bool {
        self.owner.is_none() && self.grants.is_empty()
    }

    pub(crate) fn change(
        &mut self,
        privileges: &BTreeSet<Privilege>,
        roles: &[String],
        grant: bool,
    ) {
        change_grants(&mut self.grants, privileges, roles, grant);
    }

    pub(crate) fn forget(&mut self, role: &str) {
        self.grants.remove(role);
    }
}

/// Grants `privileges` to `roles` in `grants`, or revokes them; a role left with none is removed.
pub(crate) fn change_grants(
    grants: &mut BTreeMap<String, BTreeSet<Privilege>>,
    privileges: &BTreeSet<Privilege>,
    roles: &[String],
    grant: bool,
) {
    for role in roles {
        let held = grants.entry(role.clone()).or_default();
        if grant {
            held.extend(privileges);
        } else {
            held.retain(|p| !privileges.contains(p));
        }
    }
    grants.retain(|_, held| !held.is_empty());
}

/// What a `GRANT`/`REVOKE` of privileges is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Securable {
    /// One table or materialized view.
    Table {
        /// Schema name.
        schema: String,
        /// Table name.
        name: String,
    },
    /// Every table and materialized view of a schema, as they are now.
    AllTablesInSchema(String),
    /// The schema itself (`USAGE`, `CREATE`).
    Schema(String),
    /// Tables created in the schema from now on (`ALTER DEFAULT PRIVILEGES IN SCHEMA s`).
    FutureTablesInSchema(String),
}

/// Changes `ALTER ROLE` makes; `None` leaves a property as it is. Its `Debug` form leaves the
/// password verifier out.
#[derive(Clone, Default, PartialEq)]
pub struct RoleAlteration {
    /// `LOGIN` / `NOLOGIN`.
    pub login: Option<bool>,
    /// `SUPERUSER` / `NOSUPERUSER`.
    pub superuser: Option<bool>,
    /// `PASSWORD 'verifier'` (`Some(Some)`) or `PASSWORD NULL` (`Some(None)`).
    pub password: Option<Option<String>>,
}

impl std::fmt::Debug for RoleAlteration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let password = self.password.as_ref().map(|p| p.as_ref().map(|_| "***"));
        f.debug_struct("RoleAlteration")
            .field("login", &self.login)
            .field("superuser", &self.superuser)
            .field("password", &password)
            .finish()
    }
}
