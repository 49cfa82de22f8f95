//! Running role and privilege statements: each is one catalog commit (or several, one per name),
//! refused with `42501` before any of them unless the session may make it.

use std::collections::BTreeSet;

use datafusion::sql::planner::object_name_to_table_reference;
use hangar_catalog::{
    Change, Manifest, Privilege, RoleAlteration, RoleEntry, ScramVerifier, Securable,
};

use super::{Output, Session, ddl};
use crate::access::Need;
use crate::access::statements::{AccessStatement, Objects, Privileges, RoleOptions, Secret};
use crate::{Error, Result, audit};

impl Session {
    /// Runs a role or privilege statement.
    pub(crate) async fn execute_access(&self, statement: &AccessStatement) -> Result<Output> {
        let manifest = self.shared.catalog.refresh().await?;
        let identity = &self.identity;
        let require = |need: Need| identity.require(&manifest, &need);
        let (tag, changes) = match statement {
            AccessStatement::SetRole(role) => {
                identity.set_role(&manifest, role.clone())?;
                return Ok(Output::command(if role.is_some() {
                    "SET"
                } else {
                    "RESET"
                }));
            }
            AccessStatement::CreateRole {
                name,
                options,
                user,
            } => {
                require(Need::Superuser("create roles"))?;
                let role = RoleEntry {
                    login: options.login.unwrap_or(*user),
                    superuser: options.superuser.unwrap_or(false),
                    password: password(options)?.flatten(),
                    member_of: options.in_role.iter().cloned().collect(),
                };
                let create = Change::CreateRole {
                    name: name.clone(),
                    role,
                };
                ("CREATE ROLE", vec![create])
            }
            AccessStatement::AlterRole { name, options } => {
                let own_password = options.login.is_none()
                    && options.superuser.is_none()
                    && *name == identity.session_user();
                if !own_password {
                    require(Need::Superuser("alter other roles' attributes"))?;
                }
                let alter = RoleAlteration {
                    login: options.login,
                    superuser: options.superuser,
                    password: password(options)?,
                };
                let change = Change::AlterRole {
                    name: name.clone(),
                    alter,
                };
                ("ALTER ROLE", vec![change])
            }
            AccessStatement::DropRole { names, if_exists } => {
                require(Need::Superuser("drop roles"))?;
                if names.iter().any(|n| n == identity.session_user()) {
                    return Err(Error::InvalidParameter(
                        "current user cannot be dropped".into(),
                    ));
                }
                let changes = names
                    .iter()
                    .map(|name| Change::DropRole {
                        name: name.clone(),
                        if_exists: *if_exists,
                    })
                    .collect();
                ("DROP ROLE", changes)
            }
            AccessStatement::Membership {
                groups,
                members,
                grant,
            } => {
                require(Need::Superuser("grant or revoke role membership"))?;
                let mut changes = Vec::new();
                for group in groups {
                    for member in members {
                        changes.push(Change::Membership {
                            group: group.clone(),
                            member: member.clone(),
                            grant: *grant,
                        });
                    }
                }
                (grant_tag(*grant), changes)
            }
            AccessStatement::Privileges {
                privileges,
                objects,
                roles,
                grant,
            } => {
                let on = self.securables(&manifest, objects)?;
                let mut changes = Vec::new();
                for on in on {
                    for need in owner_needs(&manifest, &on) {
                        require(need)?;
                    }
                    changes.push(Change::Privileges {
                        privileges: privileges_on(privileges, &on)?,
                        on,
                        roles: roles.clone(),
                        grant: *grant,
                    });
                }
                let tag = match objects {
                    Objects::FutureTablesInSchemas(_) => "ALTER DEFAULT PRIVILEGES",
                    _ => grant_tag(*grant),
                };
                (tag, changes)
            }
        };
        let change = match changes.len() {
            1 => changes.into_iter().next().expect("one change"),
            _ => Change::Several(changes),
        };
        self.shared.catalog.commit(&change).await?;
        audit::access_change(identity.current_role().as_str(), tag, statement);
        Ok(Output::command(tag))
    }

    /// The objects a privilege statement names, resolved against the session's schema.
    fn securables(&self, manifest: &Manifest, objects: &Objects) -> Result<Vec<Securable>> {
        let schemas = |names: &[String], make: fn(String) -> Securable| -> Result<Vec<Securable>> {
            names
                .iter()
                .map(|name| {
                    if manifest.schemas.contains_key(name) {
                        Ok(make(name.clone()))
                    } else {
                        Err(hangar_catalog::Error::SchemaNotFound(name.clone()).into())
                    }
                })
                .collect()
        };
        match objects {
            Objects::Tables(names) => names
                .iter()
                .map(|name| {
                    let reference = object_name_to_table_reference(name.clone(), true)?;
                    let (schema, name) = ddl::table_name(self, &reference)?;
                    if manifest.table(&schema, &name).is_none() {
                        return Err(hangar_catalog::Error::TableNotFound {
                            schema,
                            table: name,
                        }
                        .into());
                    }
                    Ok(Securable::Table { schema, name })
                })
                .collect(),
            Objects::AllTablesInSchemas(names) => schemas(names, Securable::AllTablesInSchema),
            Objects::Schemas(names) => schemas(names, Securable::Schema),
            Objects::FutureTablesInSchemas(names) => {
                schemas(names, Securable::FutureTablesInSchema)
            }
        }
    }
}

/// Who may grant on an object: its owner (or a superuser); on all tables of a schema, the owner of
/// each.
fn owner_needs(manifest: &Manifest, on: &Securable) -> Vec<Need> {
    match on {
        Securable::Table { schema, name } => vec![Need::TableOwner {
            schema: schema.clone(),
            name: name.clone(),
        }],
        Securable::AllTablesInSchema(schema) => manifest.schemas[schema]
            .tables
            .keys()
            .map(|name| Need::TableOwner {
                schema: schema.clone(),
                name: name.clone(),
            })
            .collect(),
        Securable::Schema(schema) | Securable::FutureTablesInSchema(schema) => {
            vec![Need::SchemaOwner(schema.clone())]
        }
    }
}

/// The privileges a statement names, checked against what the object has.
fn privileges_on(privileges: &Privileges, on: &Securable) -> Result<BTreeSet<Privilege>> {
    let (kind, valid): (&str, &[Privilege]) = match on {
        Securable::Schema(_) => ("schema", &Privilege::SCHEMA),
        _ => ("table", &Privilege::TABLE),
    };
    match privileges {
        Privileges::All => Ok(valid.iter().copied().collect()),
        Privileges::Some(named) => {
            if let Some(wrong) = named.iter().find(|p| !valid.contains(p)) {
                return Err(Error::InvalidGrant(format!(
                    "invalid privilege type {} for {kind}",
                    wrong.keyword()
                )));
            }
            Ok(named.clone())
        }
    }
}

fn grant_tag(grant: bool) -> &'static str {
    if grant { "GRANT" } else { "REVOKE" }
}

/// The verifier to store for a statement's `PASSWORD`: `Some(None)` clears it. A verifier given
/// as is (what psql's `\password` sends) is kept; MD5 hashes are refused, as an empty password
/// clears, as in Postgres.
fn password(options: &RoleOptions) -> Result<Option<Option<String>>> {
    let Some(password) = &options.password else {
        return Ok(None);
    };
    let Some(Secret(text)) = password else {
        return Ok(Some(None));
    };
    if text.is_empty() {
        return Ok(Some(None));
    }
    if text.starts_with("SCRAM-SHA-256$") {
        let verifier =
            ScramVerifier::parse(text).map_err(|e| Error::InvalidParameter(e.to_string()))?;
        return Ok(Some(Some(verifier.to_text())));
    }
    if text.len() == 35 && text.starts_with("md5") {
        return Err(Error::NotSupported(
            "MD5 password hashes are not supported: give the password or its SCRAM-SHA-256 verifier"
                .into(),
        ));
    }
    Ok(Some(Some(ScramVerifier::new(text).to_text())))
}
