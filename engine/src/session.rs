//! One client session: parse, plan and run statements with the session's own settings.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};
use datafusion::common::ParamValues;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::expr::{Cast, Placeholder, TryCast};
use datafusion::logical_expr::{Expr, LogicalPlan, Statement as PlanStatement, WriteOp};
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{ObjectType, Statement as SqlStatement};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion_pg_catalog::sql::PostgresCompatibilityParser;
use futures::TryStreamExt;
use tracing::Instrument;

use crate::catalog_provider::HangarCatalog;
use crate::engine::Shared;
use crate::like_escape::LikeEscape;
use crate::statement::{Parsed, Piece, Statement};
use crate::variables::Variables;
use crate::{DATABASE, Error, Result, ddl, matview};
use hangar_catalog::RelationKind;

/// What running a statement produced.
pub enum Output {
    /// Rows, streamed batch by batch as the query produces them.
    Rows(SendableRecordBatchStream),
    /// A command's completion: its tag (`CREATE TABLE`, `INSERT`…) and, where it has one, a row count.
    Command {
        /// The command tag, as Postgres names it.
        tag: &'static str,
        /// Rows affected, for commands that report them.
        rows: Option<usize>,
    },
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Output::Rows(s) => write!(f, "Rows({:?})", s.schema()),
            Output::Command { tag, rows } => write!(f, "Command({tag}, {rows:?})"),
        }
    }
}

/// A planned statement, ready to run (possibly many times, with different parameters).
#[derive(Debug, Clone)]
pub struct Prepared {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Plan(Box<LogicalPlan>),
    Show(String),
    Discard,
    /// A transaction statement: Hangar's statements commit one by one, so these are acknowledged.
    Transaction(&'static str),
    /// A materialized-view statement.
    Matview(matview::Command),
}

impl Prepared {
    /// The schema of the rows the statement returns; empty for commands.
    pub fn schema(&self) -> SchemaRef {
        match &self.kind {
            Kind::Plan(plan) if returns_rows(plan) => Arc::new(plan.schema().as_arrow().clone()),
            Kind::Show(name) => Variables::show_schema(name),
            _ => Arc::new(Schema::empty()),
        }
    }

    /// Whether running the statement returns rows (a query or `SHOW`) rather than completing a
    /// command (DDL, DML, `SET`…).
    pub fn returns_rows(&self) -> bool {
        match &self.kind {
            Kind::Plan(plan) => returns_rows(plan),
            Kind::Show(_) => true,
            Kind::Discard | Kind::Transaction(_) | Kind::Matview(_) => false,
        }
    }

    /// The types of the parameters `$1…$n`, as far as planning could infer them.
    pub fn parameter_types(&self) -> Result<Vec<Option<DataType>>> {
        let Kind::Plan(plan) = &self.kind else {
            return Ok(vec![]);
        };
        let mut types = plan.get_parameter_types()?;
        for (name, ty) in cast_parameter_types(plan)? {
            if let Some(open @ None) = types.get_mut(&name) {
                *open = Some(ty);
            }
        }
        let mut ordered = Vec::new();
        for (name, ty) in types {
            let index: usize = name.trim_start_matches('$').parse().map_err(|_| {
                Error::InvalidParameter(format!("unsupported parameter name {name}"))
            })?;
            if index == 0 {
                return Err(Error::InvalidParameter(
                    "parameters are numbered from $1".into(),
                ));
            }
            if ordered.len() < index {
                ordered.resize(index, None);
            }
            ordered[index - 1] = ty;
        }
        Ok(ordered)
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
        _ => return None,
    })
}

/// Types of parameters that appear cast, as in `$1::int`: Postgres gives such a parameter the
/// cast's type (drivers such as asyncpg encode arguments by it); DataFusion leaves it open.
fn cast_parameter_types(plan: &LogicalPlan) -> Result<HashMap<String, DataType>> {
    let mut found = HashMap::new();
    plan.apply_with_subqueries(|node| {
        node.apply_expressions(|expr| {
            expr.apply(|e| {
                if let Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) = e
                    && let Expr::Placeholder(Placeholder { id, field: None }) = expr.as_ref()
                {
                    found
                        .entry(id.clone())
                        .or_insert_with(|| field.data_type().clone());
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    })?;
    Ok(found)
}

/// Statements the Postgres grammar accepts in a form DataFusion cannot plan.
fn needs_datafusion_parser(statement: &SqlStatement) -> bool {
    match statement {
        SqlStatement::Copy { .. } => true,
        SqlStatement::CreateTable(create) => create.external,
        _ => false,
    }
}

fn returns_rows(plan: &LogicalPlan) -> bool {
    !matches!(
        plan,
        LogicalPlan::Ddl(_)
            | LogicalPlan::Dml(_)
            | LogicalPlan::Statement(_)
            | LogicalPlan::Copy(_)
    )
}

/// A client session. Settings changed with `SET` stay in it; other sessions never see them.
pub struct Session {
    pub(crate) shared: Arc<Shared>,
    pub(crate) ctx: SessionContext,
    variables: Arc<Variables>,
    parser: PostgresCompatibilityParser,
    user: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub(crate) fn new(shared: Arc<Shared>, user: &str) -> Result<Self> {
        let mut config = SessionConfig::new()
            .with_default_catalog_and_schema(DATABASE, hangar_catalog::DEFAULT_SCHEMA)
            .with_create_default_catalog_and_schema(false)
            .with_information_schema(true);
        if let Some(n) = shared.config.target_partitions {
            config = config.with_target_partitions(n);
        }
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(Arc::clone(&shared.runtime))
            .with_default_features()
            .with_optimizer_rule(Arc::new(LikeEscape))
            .build();
        let ctx = SessionContext::new_with_state(state);
        ctx.register_catalog(DATABASE, Arc::new(HangarCatalog::new(Arc::clone(&shared))));
        crate::pg_catalog::register(&ctx, &shared)?;
        let variables = Arc::new(Variables::default());
        variables.register_functions(&ctx);
        crate::system_tables::register(&ctx, &shared)?;
        Ok(Self {
            shared,
            ctx,
            variables,
            parser: PostgresCompatibilityParser::new(),
            user: user.to_string(),
        })
    }

    /// Splits SQL text into statements. Postgres syntax is accepted (and rewritten where DataFusion
    /// needs it), as are DataFusion's own statements such as `CREATE EXTERNAL TABLE`, and Hangar's
    /// (`REFRESH MATERIALIZED VIEW`…).
    pub fn parse(&self, sql: &str) -> Result<Vec<Statement>> {
        let Some(pieces) = crate::statement::split_own(sql) else {
            return self.parse_sql(sql);
        };
        let mut statements = Vec::new();
        for piece in pieces? {
            match piece {
                Piece::Own(parsed) => statements.push(Statement(parsed)),
                Piece::Sql(sql) => statements.extend(self.parse_sql(&sql)?),
            }
        }
        Ok(statements)
    }

    /// Parses SQL that holds none of Hangar's own statements.
    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>> {
        // The Postgres-compatibility parser rewrites what psql and BI tools send; DataFusion's own
        // statements (CREATE EXTERNAL TABLE, COPY … TO 'file') need DataFusion's parser.
        let pg = self.parser.parse(sql);
        if let Ok(statements) = &pg
            && !statements.iter().any(needs_datafusion_parser)
        {
            return Ok(pg
                .expect("checked")
                .into_iter()
                .map(|s| Statement(Parsed::Sql(DfStatement::Statement(Box::new(s)))))
                .collect());
        }
        match DFParser::parse_sql_with_dialect(sql, &PostgreSqlDialect {}) {
            Ok(statements) => Ok(statements
                .into_iter()
                .map(|s| match s {
                    DfStatement::Statement(s) => {
                        DfStatement::Statement(Box::new(self.parser.rewrite(*s)))
                    }
                    other => other,
                })
                .map(|s| Statement(Parsed::Sql(s)))
                .collect()),
            Err(df_error) => Err(match pg {
                Err(pg_error) => pg_error.into(),
                Ok(_) => df_error.into(),
            }),
        }
    }

    /// Plans one statement against the catalog as the server knows it now.
    pub async fn plan(&self, statement: Statement) -> Result<Prepared> {
        self.shared.catalog.refresh_if_stale().await?;
        let matview = |command| {
            Ok(Prepared {
                kind: Kind::Matview(command),
            })
        };
        let statement = match statement.0 {
            Parsed::Sql(statement) => statement,
            Parsed::Refresh(name) => return matview(matview::plan_refresh(self, &name)?),
            Parsed::AlterView { name, options } => {
                return matview(matview::plan_alter(self, &name, &options)?);
            }
        };
        if let DfStatement::Statement(s) = &statement {
            match s.as_ref() {
                SqlStatement::CreateView(create) if create.materialized => {
                    return matview(matview::plan_create(self, create).await?);
                }
                SqlStatement::Drop {
                    object_type: ObjectType::MaterializedView,
                    names,
                    if_exists,
                    ..
                } => return matview(matview::plan_drop(self, names, *if_exists)?),
                SqlStatement::ShowVariable { variable } => {
                    let name = variable
                        .iter()
                        .map(|i| i.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    return Ok(Prepared {
                        kind: Kind::Show(name),
                    });
                }
                SqlStatement::Discard { .. } => {
                    return Ok(Prepared {
                        kind: Kind::Discard,
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
        let plan = self.ctx.state().statement_to_plan(statement).await?;
        Ok(Prepared {
            kind: Kind::Plan(Box::new(plan)),
        })
    }

    /// Runs a prepared statement with the given parameter values.
    pub async fn execute(
        &self,
        prepared: &Prepared,
        params: Option<&ParamValues>,
    ) -> Result<Output> {
        let query_id = uuid::Uuid::new_v4();
        let span = tracing::info_span!("query", %query_id, user = %self.user);
        async {
            match &prepared.kind {
                Kind::Show(name) => {
                    let batch = self.variables.show(name, &self.ctx)?;
                    Ok(Output::Rows(one_batch_stream(batch)))
                }
                Kind::Transaction(tag) => Ok(Output::Command { tag, rows: None }),
                Kind::Matview(command) => matview::execute(self, command).await,
                Kind::Discard => {
                    self.variables.reset(&self.ctx)?;
                    Ok(Output::Command {
                        tag: "DISCARD ALL",
                        rows: None,
                    })
                }
                Kind::Plan(plan) => {
                    let plan = match params {
                        Some(values) => plan.as_ref().clone().replace_params_with_values(values)?,
                        None => plan.as_ref().clone(),
                    };
                    tracing::debug!(plan = %plan.display_indent(), "executing");
                    self.execute_plan(plan).await
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Parses, plans and runs every statement of `sql` in order (the simple query protocol).
    pub async fn run(&self, sql: &str) -> Result<Vec<Output>> {
        let mut outputs = Vec::new();
        for statement in self.parse(sql)? {
            let prepared = self.plan(statement).await?;
            outputs.push(self.execute(&prepared, None).await?);
        }
        Ok(outputs)
    }

    /// Writes `batches` as a new table of the session's default schema (Parquet in the warehouse).
    pub async fn create_table_from_batches(
        &self,
        name: &str,
        batches: Vec<datafusion::arrow::record_batch::RecordBatch>,
    ) -> Result<Output> {
        ddl::create_table_from_batches(self, name, batches).await
    }

    async fn execute_plan(&self, plan: LogicalPlan) -> Result<Output> {
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
            plan => {
                let stream = self
                    .ctx
                    .execute_logical_plan(plan)
                    .await?
                    .execute_stream()
                    .await?;
                Ok(Output::Rows(stream))
            }
        }
    }

    /// Runs a plan that reports how many rows it wrote (its single `count` value).
    pub(crate) async fn count_rows(&self, plan: LogicalPlan) -> Result<usize> {
        let batches: Vec<_> = self
            .ctx
            .execute_logical_plan(plan)
            .await?
            .execute_stream()
            .await?
            .try_collect()
            .await?;
        Ok(written_rows(&batches) as usize)
    }
}

/// The row count a writing plan reports: the single `count` value of its output.
pub(crate) fn written_rows(batches: &[datafusion::arrow::record_batch::RecordBatch]) -> u64 {
    batches
        .first()
        .filter(|b| b.num_rows() > 0 && b.num_columns() > 0)
        .and_then(|b| {
            datafusion::arrow::compute::cast(b.column(0), &DataType::UInt64)
                .ok()
                .and_then(|c| {
                    c.as_any()
                        .downcast_ref::<datafusion::arrow::array::UInt64Array>()
                        .map(|a| a.value(0))
                })
        })
        .unwrap_or(0)
}

/// A stream of one already-computed batch.
pub(crate) fn one_batch_stream(
    batch: datafusion::arrow::record_batch::RecordBatch,
) -> SendableRecordBatchStream {
    let schema = batch.schema();
    Box::pin(
        datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
            schema,
            futures::stream::iter([Ok(batch)]),
        ),
    )
}
