//! Planning a statement in a session: Hangar's own statements and session commands here, every
//! SQL statement DataFusion plans through the one way in ([`crate::planner`]).

use datafusion::sql::parser::{ResetStatement, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{
    CloseCursor, Declare, DeclareType, Ident, ObjectName, ObjectType, Reset, Set,
    Statement as SqlStatement,
};

use datafusion::sql::planner::object_name_to_table_reference;
use hangar_catalog::Privilege;

use super::Session;
use super::prepared::{Kind, Prepared, returns_rows};
use super::views::ViewStatement;
use crate::access::Need;
use crate::audit;
use crate::cursor::Count;
use crate::statement::{Parsed, Statement};
use crate::{Error, Result};

impl Session {
    /// Plans one statement against the catalog as the server knows it now. A statement refused
    /// here (bad SQL, a missing table, a privilege it lacks) is audited as it fails.
    pub async fn plan(&self, statement: Statement) -> Result<Prepared> {
        let started = std::time::Instant::now();
        let planned = self.plan_statement(statement).await;
        if let Err(error) = &planned {
            let user = self.identity.current_role();
            audit::statement(&self.client, &user, "", "", started, Some(error.sqlstate()));
        }
        planned
    }

    async fn plan_statement(&self, statement: Statement) -> Result<Prepared> {
        self.shared.catalog.refresh_if_stale().await?;
        let statement = match statement.0 {
            Parsed::Sql(statement) => statement,
            Parsed::Refresh(name) => return self.plan_view(ViewStatement::Refresh(name)).await,
            Parsed::AlterView { name, options } => {
                return self.plan_view(ViewStatement::Alter { name, options }).await;
            }
            Parsed::Access(statement) => {
                return Ok(Prepared {
                    kind: Kind::Access(statement),
                });
            }
            Parsed::Move { cursor, direction } => {
                let cursor = cursor_name(&cursor);
                return Ok(Prepared {
                    kind: Kind::Fetch {
                        count: Count::of(&direction, &cursor)?,
                        schema: self.cursors.schema(&cursor)?,
                        cursor,
                        rows: false,
                    },
                });
            }
        };
        // `RESET TIME ZONE` is two words, which only DataFusion's parser reads.
        if let DfStatement::Reset(ResetStatement::Variable(name)) = &statement {
            let parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
            let name = match parts.as_slice() {
                [time, zone] if time.eq_ignore_ascii_case("time") => format!("{time} {zone}"),
                _ => parts.join("."),
            };
            return Ok(Prepared {
                kind: Kind::Reset(Some(name)),
            });
        }
        if let DfStatement::Statement(s) = &statement {
            match s.as_ref() {
                SqlStatement::CreateView(create) if create.materialized => {
                    let create = Box::new(create.clone());
                    return self.plan_view(ViewStatement::Create(create)).await;
                }
                SqlStatement::Drop {
                    object_type: ObjectType::MaterializedView,
                    names,
                    if_exists,
                    ..
                } => {
                    let (names, if_exists) = (names.clone(), *if_exists);
                    return self
                        .plan_view(ViewStatement::Drop { names, if_exists })
                        .await;
                }
                SqlStatement::ShowVariable { variable } => {
                    return Ok(Prepared {
                        kind: Kind::Show(show_name(variable)),
                    });
                }
                SqlStatement::Discard { .. } => {
                    return Ok(Prepared {
                        kind: Kind::Discard,
                    });
                }
                SqlStatement::Reset(reset) => {
                    let name = match &reset.reset {
                        Reset::ALL => None,
                        Reset::ConfigurationParameter(name) => Some(name.to_string()),
                    };
                    return Ok(Prepared {
                        kind: Kind::Reset(name),
                    });
                }
                SqlStatement::Set(Set::SetTimeZone { value, .. }) => {
                    // `SET TIME ZONE x` is `SET timezone = x`, which DataFusion plans.
                    let set = SqlStatement::Set(Set::SingleAssignment {
                        scope: None,
                        hivevar: false,
                        variable: ObjectName::from(vec![Ident::new("timezone")]),
                        values: vec![value.clone()],
                    });
                    let plan = self.plan_sql(DfStatement::Statement(Box::new(set))).await?;
                    return Ok(Prepared {
                        kind: Kind::Plan(Box::new(plan)),
                    });
                }
                SqlStatement::Declare { stmts } => {
                    return Ok(Prepared {
                        kind: self.plan_declare(stmts).await?,
                    });
                }
                SqlStatement::Fetch {
                    name,
                    direction,
                    into: None,
                    ..
                } => {
                    let cursor = cursor_name(name);
                    return Ok(Prepared {
                        kind: Kind::Fetch {
                            count: Count::of(direction, &cursor)?,
                            schema: self.cursors.schema(&cursor)?,
                            cursor,
                            rows: true,
                        },
                    });
                }
                SqlStatement::Close { cursor } => {
                    let cursor = match cursor {
                        CloseCursor::All => None,
                        CloseCursor::Specific { name } => Some(cursor_name(name)),
                    };
                    return Ok(Prepared {
                        kind: Kind::Close(cursor),
                    });
                }
                copy @ SqlStatement::Copy { .. } if crate::copy::is_client_copy(copy) => {
                    let copy = crate::copy::read(copy)?;
                    return Ok(Prepared {
                        kind: Kind::CopyOut {
                            plan: Box::new(self.plan_query(copy.query).await?),
                            format: copy.format,
                        },
                    });
                }
                other => {
                    if let Some(tag) = transaction_tag(other) {
                        return Ok(Prepared {
                            kind: Kind::Transaction(tag),
                        });
                    }
                }
            }
        }
        let plan = self.plan_sql(statement).await?;
        Ok(Prepared {
            kind: Kind::Plan(Box::new(plan)),
        })
    }

    /// Plans a materialized view's statement with the views the engine was given: creating one
    /// needs `CREATE` on its schema (and its query `SELECT` on what it reads, checked as it is
    /// planned), refreshing, altering or dropping one its ownership.
    async fn plan_view(&self, statement: ViewStatement) -> Result<Prepared> {
        let manifest = self.shared.catalog.snapshot();
        let resolve = |name: &ObjectName| -> Result<(String, String)> {
            let reference = object_name_to_table_reference(name.clone(), true)?;
            self.resolve(&reference)
        };
        let needs = match &statement {
            ViewStatement::Create(create) => {
                let (schema, _) = resolve(&create.name)?;
                vec![Need::Schema {
                    schema,
                    privilege: Privilege::Create,
                }]
            }
            ViewStatement::Refresh(name) | ViewStatement::Alter { name, .. } => {
                let (schema, name) = resolve(name)?;
                vec![Need::TableOwner { schema, name }]
            }
            ViewStatement::Drop { names, .. } => names
                .iter()
                .map(|name| {
                    let (schema, name) = resolve(name)?;
                    Ok(Need::TableOwner { schema, name })
                })
                .collect::<Result<_>>()?,
        };
        for need in &needs {
            self.identity.require(&manifest, need)?;
        }
        let command = self.shared.views.plan(self, statement).await?;
        Ok(Prepared {
            kind: Kind::View(command),
        })
    }

    /// Plans `DECLARE name CURSOR … FOR query`.
    async fn plan_declare(&self, declares: &[Declare]) -> Result<Kind> {
        let [declare] = declares else {
            return Err(Error::NotSupported(
                "DECLARE of several cursors at once".into(),
            ));
        };
        let (Some(DeclareType::Cursor), [name], Some(query)) = (
            &declare.declare_type,
            declare.names.as_slice(),
            &declare.for_query,
        ) else {
            return Err(Error::NotSupported(format!(
                "DECLARE {declare} is not supported: only DECLARE name CURSOR FOR query"
            )));
        };
        if declare.binary == Some(true) {
            return Err(Error::NotSupported(
                "BINARY cursors are not supported: ask for binary results on FETCH".into(),
            ));
        }
        if declare.scroll == Some(true) {
            return Err(Error::NotSupported(
                "SCROLL cursors are not supported: cursors only scan forward".into(),
            ));
        }
        let plan = self.plan_query(query.clone()).await?;
        if !returns_rows(&plan) {
            return Err(Error::NotSupported(
                "a cursor's query must return rows".into(),
            ));
        }
        Ok(Kind::Declare {
            cursor: cursor_name(name),
            hold: declare.hold == Some(true),
            plan: Box::new(plan),
        })
    }
}

/// The tag of a transaction-control statement. Hangar's statements commit one by one, so these are
/// acknowledged; drivers nest transactions with savepoints (psycopg's `conn.transaction()`).
fn transaction_tag(statement: &SqlStatement) -> Option<&'static str> {
    Some(match statement {
        SqlStatement::StartTransaction { .. } => "BEGIN",
        SqlStatement::Commit { .. } => "COMMIT",
        SqlStatement::Rollback { .. } => "ROLLBACK",
        SqlStatement::Savepoint { .. } => "SAVEPOINT",
        SqlStatement::ReleaseSavepoint { .. } => "RELEASE",
        // Every statement reads one committed catalog version, whatever level is asked for.
        SqlStatement::Set(Set::SetTransaction { .. }) => "SET",
        _ => return None,
    })
}

/// The setting `SHOW` names. The parser splits a dotted name (`datafusion.execution.batch_size`)
/// into its parts, as it splits the words of `SHOW TIME ZONE`.
fn show_name(parts: &[Ident]) -> String {
    let words: Vec<&str> = parts.iter().map(|i| i.value.as_str()).collect();
    let spaced = words.join(" ");
    match spaced.to_ascii_lowercase().as_str() {
        "time zone" | "transaction isolation level" => spaced,
        _ => words.join("."),
    }
}

/// A cursor's name as Postgres folds it: unquoted names are lower-cased.
fn cursor_name(name: &Ident) -> String {
    match name.quote_style {
        Some(_) => name.value.clone(),
        None => name.value.to_lowercase(),
    }
}
