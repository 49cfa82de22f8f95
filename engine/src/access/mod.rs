//! Who may do what, checked once for every protocol: the role a session acts as, the logins the
//! frontends check passwords against, and the privileges each statement needs before any of its
//! work starts. The rules themselves (ownership, grants, membership) are the catalog's, over one
//! manifest; what each statement needs is decided here.

mod login;
mod needs;
pub(crate) mod statements;
mod throttle;

pub use login::Login;
pub(crate) use needs::{Need, is_server_setting, plan_needs};
pub(crate) use throttle::LoginThrottle;

use std::sync::RwLock;

use hangar_catalog::{Manifest, Privilege};

use crate::{Error, Result};

/// Who a session acts as.
#[derive(Debug)]
pub(crate) struct Identity {
    /// The role that logged in (`session_user`).
    session_user: String,
    /// The role privileges are checked for (`current_user`): the session user until `SET ROLE`.
    current: RwLock<String>,
    /// Whether privileges are checked: not when authentication is off (anyone may connect as
    /// anyone, so names prove nothing), nor for the server's own work.
    enforced: bool,
}

impl Identity {
    pub(crate) fn new(user: &str, enforced: bool) -> Self {
        Self {
            session_user: user.to_string(),
            current: RwLock::new(user.to_string()),
            enforced,
        }
    }

    /// The role that logged in.
    pub(crate) fn session_user(&self) -> &str {
        &self.session_user
    }

    /// The role privileges are checked for.
    pub(crate) fn current_role(&self) -> String {
        self.current.read().expect("identity lock").clone()
    }

    /// Whether this session's privileges are checked.
    pub(crate) fn enforced(&self) -> bool {
        self.enforced
    }

    /// The owner of what this session creates: its current role, when roles are enforced.
    pub(crate) fn owner(&self) -> Option<String> {
        self.enforced.then(|| self.current_role())
    }

    /// `SET ROLE role` (`None`: back to the session user). The session user must be a member of
    /// the role, or a superuser.
    pub(crate) fn set_role(&self, manifest: &Manifest, role: Option<String>) -> Result<()> {
        let role = role.unwrap_or_else(|| self.session_user.clone());
        if self.enforced {
            if manifest.role(&role).is_none() {
                return Err(hangar_catalog::Error::RoleNotFound(role).into());
            }
            if !manifest.is_superuser(&self.session_user)
                && !manifest.effective_roles(&self.session_user).contains(&role)
            {
                return Err(Error::PermissionDenied(format!(
                    "permission denied to set role \"{role}\""
                )));
            }
        }
        *self.current.write().expect("identity lock") = role;
        Ok(())
    }

    /// Whether the session may see a table in catalog listings (`\dt`, `information_schema`,
    /// Flight SQL's `GetTables`): it holds some privilege on it.
    pub(crate) fn may_see(&self, manifest: &Manifest, schema: &str, table: &str) -> bool {
        !self.enforced || manifest.may_see_table(&self.current_role(), schema, table)
    }

    /// Refuses with `42501` unless the session holds what `need` asks for.
    pub(crate) fn require(&self, manifest: &Manifest, need: &Need) -> Result<()> {
        if !self.enforced {
            return Ok(());
        }
        let role = self.current_role();
        let held = match need {
            Need::Superuser(_) => manifest.is_superuser(&role),
            Need::Table {
                schema,
                name,
                privilege,
            } => manifest
                .table(schema, name)
                .is_none_or(|_| manifest.holds_on_table(&role, schema, name, *privilege)),
            Need::Schema { schema, privilege } => {
                !manifest.schemas.contains_key(schema)
                    || manifest.holds_on_schema(&role, schema, *privilege)
            }
            Need::TableOwner { schema, name } => manifest
                .table(schema, name)
                .is_none_or(|table| manifest.owns(&role, &table.acl)),
            Need::SchemaOwner(schema) => manifest
                .schemas
                .get(schema)
                .is_none_or(|s| manifest.owns(&role, &s.acl)),
        };
        if held {
            return Ok(());
        }
        // A table in a schema the role may not use is refused for the schema, as Postgres does.
        if let Need::Table { schema, .. } = need
            && !manifest.holds_on_schema(&role, schema, Privilege::Usage)
        {
            return Err(Error::PermissionDenied(format!(
                "permission denied for schema {schema}"
            )));
        }
        Err(Error::PermissionDenied(need.refusal(manifest)))
    }
}
