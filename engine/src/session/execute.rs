//! Running a planned statement in a session.

use std::sync::Arc;

use datafusion::common::ParamValues;
use datafusion::logical_expr::{LogicalPlan, Statement as PlanStatement, WriteOp};
use hangar_catalog::RelationKind;
use tracing::Instrument;

use super::Output;
use super::ddl;
use super::prepared::{Kind, Prepared};
use super::{Session, batches_stream, one_batch_stream};
use crate::audit::{self, AuditedStream};
use crate::lanes::plan_key;
use crate::{Error, Result};
use datafusion::physical_plan::SendableRecordBatchStream;

impl Session {
    /// Runs a prepared statement with the given parameter values.
    pub async fn execute(
        &self,
        prepared: &Prepared,
        params: Option<&ParamValues>,
    ) -> Result<Output> {
        let query_id = uuid::Uuid::new_v4();
        let user = self.identity.current_role();
        let span = tracing::info_span!("query", %query_id, user = %user);
        let started = std::time::Instant::now();
        let output = async {
            match &prepared.kind {
                Kind::Access(statement) => self.execute_access(statement).await,
                Kind::Show(name) => {
                    let batch = self.variables.show(name, &self.ctx)?;
                    Ok(Output::Rows(one_batch_stream(batch)))
                }
                Kind::Transaction(tag) => {
                    if matches!(*tag, "COMMIT" | "ROLLBACK") {
                        self.cursors.end_transaction();
                    }
                    Ok(Output::Command { tag, rows: None })
                }
                Kind::Declare { cursor, hold, plan } => {
                    self.authorize(plan)?;
                    let rows = self
                        .stream(bind(plan, params)?, Some(plan_key(plan)))
                        .await?;
                    self.cursors.declare(cursor, rows, *hold)?;
                    Ok(Output::Command {
                        tag: "DECLARE CURSOR",
                        rows: None,
                    })
                }
                Kind::Fetch {
                    cursor,
                    count,
                    schema,
                    rows,
                } => {
                    let batches = self.cursors.fetch(cursor, *count).await?;
                    if *rows {
                        return Ok(Output::Fetched(batches_stream(Arc::clone(schema), batches)));
                    }
                    Ok(Output::Command {
                        tag: "MOVE",
                        rows: Some(batches.iter().map(|b| b.num_rows()).sum()),
                    })
                }
                Kind::Close(cursor) => {
                    self.cursors.close(cursor.as_deref())?;
                    Ok(Output::Command {
                        tag: "CLOSE CURSOR",
                        rows: None,
                    })
                }
                Kind::CopyOut { plan, format } => {
                    self.authorize(plan)?;
                    Ok(Output::Copy {
                        rows: self
                            .stream(bind(plan, params)?, Some(plan_key(plan)))
                            .await?,
                        format: format.clone(),
                    })
                }
                Kind::View(command) => command.execute(self).await,
                Kind::Reset(name) => {
                    self.variables.reset(name.as_deref(), &self.ctx)?;
                    Ok(Output::Command {
                        tag: "RESET",
                        rows: None,
                    })
                }
                Kind::Discard => {
                    self.variables.reset(None, &self.ctx)?;
                    self.cursors.close(None)?;
                    Ok(Output::Command {
                        tag: "DISCARD ALL",
                        rows: None,
                    })
                }
                Kind::Plan(plan) => {
                    // Again at each run: a statement prepared before a REVOKE is refused after it.
                    self.authorize(plan)?;
                    let key = plan_key(plan);
                    let plan = bind(plan, params)?;
                    tracing::debug!(plan = %plan.display_indent(), "executing");
                    self.execute_plan(plan, key).await
                }
            }
        }
        .instrument(span)
        .await;
        self.audited(output, query_id.to_string(), user, started)
    }

    /// Records a statement's audit event: now for a command or an error, when its rows end for a
    /// query.
    fn audited(
        &self,
        output: Result<Output>,
        query_id: String,
        user: String,
        started: std::time::Instant,
    ) -> Result<Output> {
        let client = self.client.clone();
        let record = move |command: &str, outcome: Option<&str>| {
            audit::statement(&client, &user, &query_id, command, started, outcome)
        };
        let streamed = |rows: SendableRecordBatchStream, command: &'static str| {
            let record = record.clone();
            AuditedStream::wrap(rows, move |outcome| record(command, outcome))
        };
        match output {
            Err(error) => {
                record("", Some(error.sqlstate()));
                Err(error)
            }
            Ok(Output::Command { tag, rows }) => {
                record(tag, None);
                Ok(Output::Command { tag, rows })
            }
            Ok(Output::Rows(rows)) => Ok(Output::Rows(streamed(rows, "SELECT"))),
            Ok(Output::Fetched(rows)) => Ok(Output::Fetched(streamed(rows, "FETCH"))),
            Ok(Output::Copy { rows, format }) => Ok(Output::Copy {
                rows: streamed(rows, "COPY"),
                format,
            }),
        }
    }

    /// Runs a bound plan; `key` names its unbound form ([`crate::lanes`]).
    async fn execute_plan(&self, plan: LogicalPlan, key: u64) -> Result<Output> {
        match plan {
            LogicalPlan::Ddl(ddl) => ddl::execute(self, ddl).await,
            LogicalPlan::Statement(PlanStatement::SetVariable(set)) => {
                self.variables.set(&set.variable, &set.value, &self.ctx)?;
                Ok(Output::Command {
                    tag: "SET",
                    rows: None,
                })
            }
            LogicalPlan::Statement(other) => Err(Error::NotSupported(format!(
                "statement {} is not supported",
                other.name()
            ))),
            LogicalPlan::Copy(copy) => {
                self.shared.stores.resolve(&copy.output_url)?;
                let rows = self.count_rows(LogicalPlan::Copy(copy)).await?;
                Ok(Output::Command {
                    tag: "COPY",
                    rows: Some(rows),
                })
            }
            LogicalPlan::Dml(dml) => {
                let (schema, name) = ddl::table_name(self, &dml.table_name)?;
                if let Some(entry) = self.shared.catalog.snapshot().table(&schema, &name)
                    && entry.kind() == RelationKind::MaterializedView
                {
                    // A view changes only by refreshing; its versions are immutable.
                    return Err(hangar_catalog::Error::WrongKind {
                        relation: format!("{schema}.{name}"),
                        found: RelationKind::MaterializedView,
                        expected: RelationKind::Table,
                    }
                    .into());
                }
                let tag = match dml.op {
                    WriteOp::Insert(_) => "INSERT",
                    WriteOp::Delete => "DELETE",
                    WriteOp::Update => "UPDATE",
                    _ => "MERGE",
                };
                let rows = self.count_rows(LogicalPlan::Dml(dml)).await?;
                Ok(Output::Command {
                    tag,
                    rows: Some(rows),
                })
            }
            plan => Ok(Output::Rows(self.stream(plan, Some(key)).await?)),
        }
    }
}

/// A plan with its parameters replaced by their values.
fn bind(plan: &LogicalPlan, params: Option<&ParamValues>) -> Result<LogicalPlan> {
    let plan = plan.clone();
    Ok(match params {
        Some(values) => plan.replace_params_with_values(values)?,
        None => plan,
    })
}
