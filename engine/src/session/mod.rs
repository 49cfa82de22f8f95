//! One client session: parse, plan and run statements with the session's own settings.
//!
//! This module tree is the engine's seam: [`Engine`] (`engine.rs`) opens sessions over what they
//! share, planning a statement is in `plan.rs`, running it in `execute.rs` (DDL in `ddl.rs`), what
//! planning gives and running produces in `prepared.rs`, and the seam materialized views are
//! installed through in `views.rs`. Nothing outside this tree uses it but the crate's root, so
//! the engine's other modules never import each other in a loop through it.

mod access;
mod ddl;
mod engine;
mod execute;
mod plan;
mod prepared;
mod views;

pub use engine::Engine;
pub(crate) use engine::Shared;
pub use prepared::Prepared;
pub use views::{ViewCommand, ViewStatement, Views};

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::MemoryCatalogProviderList;
use datafusion::common::TableReference;
use datafusion::dataframe::{DataFrame, DataFrameWriteOptions};
use datafusion::execution::TaskContext;
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::SendableRecordBatchStream;

use crate::copy::CopyFormat;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::Query;
use futures::TryStreamExt;

use crate::access::{Identity, plan_needs};
use crate::audit::Client;
use crate::catalog_provider::HangarCatalog;
use crate::cursor::Cursors;
use crate::lanes::Lane;
use crate::metadata::CatalogMetadata;
use crate::postgres::{Variables, display_scales};
use crate::statement::{Parsed, Piece, Statement};
use crate::{DATABASE, Error, Result, executor};

/// What running a statement produced.
pub enum Output {
    /// Rows, streamed batch by batch as the query produces them.
    Rows(SendableRecordBatchStream),
    /// Rows fetched from a cursor (`FETCH`): rows, but completed with the tag `FETCH`.
    Fetched(SendableRecordBatchStream),
    /// `COPY … TO STDOUT`: rows for the client, in a copy format.
    Copy {
        /// The rows, streamed as the query produces them.
        rows: SendableRecordBatchStream,
        /// How the client wants them laid out.
        format: CopyFormat,
    },
    /// A command's completion: its tag (`CREATE TABLE`, `INSERT`…) and, where it has one, a row count.
    Command {
        /// The command tag, as Postgres names it.
        tag: &'static str,
        /// Rows affected, for commands that report them.
        rows: Option<usize>,
    },
}

impl Output {
    /// A command's completion without a row count.
    pub fn command(tag: &'static str) -> Self {
        Output::Command { tag, rows: None }
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Output::Rows(s) => write!(f, "Rows({:?})", s.schema()),
            Output::Fetched(s) => write!(f, "Fetched({:?})", s.schema()),
            Output::Copy { rows, format } => write!(f, "Copy({format:?}, {:?})", rows.schema()),
            Output::Command { tag, rows } => write!(f, "Command({tag}, {rows:?})"),
        }
    }
}

/// A client session. Settings changed with `SET` stay in it; other sessions never see them.
pub struct Session {
    pub(crate) shared: Arc<Shared>,
    pub(crate) ctx: SessionContext,
    variables: Arc<Variables>,
    cursors: Cursors,
    identity: Arc<Identity>,
    client: Client,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session of `user`; `enforced` says whether its privileges are checked.
    pub(crate) fn new(shared: Arc<Shared>, user: &str, enforced: bool) -> Result<Self> {
        let identity = Arc::new(Identity::new(user, enforced));
        // The session's own copy of the template, with catalogs of its own: its settings,
        // functions and catalogs change without touching other sessions'.
        let mut state = shared.session_template.clone();
        state.register_catalog_list(Arc::new(MemoryCatalogProviderList::new()));
        let ctx = SessionContext::new_with_state(state);
        ctx.register_catalog(
            DATABASE,
            Arc::new(HangarCatalog::new(
                Arc::clone(&shared.catalog),
                Arc::clone(&shared.tables),
                Arc::clone(&identity),
            )),
        );
        let variables = crate::postgres::register(&ctx, &shared.catalog, &identity)?;
        crate::system_tables::register(
            &ctx,
            &shared.catalog,
            &shared.clock,
            shared.config.refresh_heartbeat,
        )?;
        Ok(Self {
            shared,
            ctx,
            variables,
            cursors: Cursors::default(),
            identity,
            client: Client {
                protocol: "internal",
                address: None,
            },
        })
    }

    /// Names the client behind the session, for the audit events of its statements.
    pub fn with_client(mut self, client: Client) -> Self {
        self.client = client;
        self
    }

    /// The role that owns what this session creates: its current role when privileges are
    /// checked, none otherwise (objects only superusers manage).
    pub fn owner(&self) -> Option<String> {
        self.identity.owner()
    }

    /// Refuses with `42501`, before any work, a plan that needs a privilege the session's role
    /// lacks.
    pub(crate) fn authorize(&self, plan: &LogicalPlan) -> Result<()> {
        if !self.identity.enforced() {
            return Ok(());
        }
        let default_schema = self.default_schema();
        let manifest = self.shared.catalog.snapshot();
        for need in plan_needs(plan, &default_schema) {
            self.identity.require(&manifest, &need)?;
        }
        Ok(())
    }

    /// The relations of the catalog this session may see, as clients' metadata shows them
    /// (Flight SQL's `GetTables`, as `pg_catalog` does for Postgres clients), caught up first if
    /// the catalog is stale.
    pub async fn metadata(&self) -> Result<CatalogMetadata> {
        let manifest = self.shared.catalog.refresh_if_stale().await?;
        Ok(CatalogMetadata::seen_by(
            manifest,
            Arc::clone(&self.identity),
        ))
    }

    /// The schema unqualified names resolve in.
    fn default_schema(&self) -> String {
        self.ctx
            .state()
            .config()
            .options()
            .catalog
            .default_schema
            .clone()
    }

    /// Splits SQL text into statements. Postgres syntax is accepted (and rewritten where DataFusion
    /// needs it), as are DataFusion's own statements such as `CREATE EXTERNAL TABLE`, and Hangar's
    /// (`REFRESH MATERIALIZED VIEW`…).
    /// A statement that does not parse fails with Postgres' syntax error and its position.
    pub fn parse(&self, sql: &str) -> Result<Vec<Statement>> {
        let Some(pieces) = crate::statement::split_own(sql) else {
            return self.parse_sql(sql).map_err(|e| e.syntax(sql));
        };
        let mut statements = Vec::new();
        for piece in pieces.map_err(|e| Error::from(e).syntax(sql))? {
            match piece {
                Piece::Own(parsed) => statements.push(Statement(parsed)),
                Piece::Sql(sql) => {
                    statements.extend(self.parse_sql(&sql).map_err(|e| e.syntax(&sql))?);
                }
            }
        }
        Ok(statements)
    }

    /// Parses SQL that holds none of Hangar's own statements.
    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>> {
        crate::postgres::check_function_schemas(sql, &|name| {
            self.ctx
                .catalog(crate::DATABASE)
                .is_some_and(|c| c.schema(name).is_some())
        })?;
        let statements = self.shared.dialect.parse(sql, &self.is_table_function())?;
        Ok(statements
            .into_iter()
            .map(|s| Statement(Parsed::Sql(s)))
            .collect())
    }

    /// Tells the session's table functions from other functions named in `FROM`.
    fn is_table_function(&self) -> impl Fn(&str) -> bool + '_ {
        |name: &str| self.ctx.table_function(name).is_ok()
    }

    /// Plans a parsed SQL statement: the one way in to planning ([`crate::planner`]) for
    /// everything the session plans, and for materialized views' queries.
    pub(crate) async fn plan_sql(&self, statement: DfStatement) -> Result<LogicalPlan> {
        let plan = crate::planner::plan(&self.ctx.state(), statement).await?;
        self.authorize(&plan)?;
        Ok(plan)
    }

    /// Plans a SQL statement into DataFusion's logical plan, through the one way in to planning
    /// ([`crate::planner`]): what materialized views plan their query with. Hangar's own
    /// statements (`REFRESH`, `MOVE`…) have no such plan.
    pub async fn plan_logical(&self, statement: Statement) -> Result<LogicalPlan> {
        match statement.0 {
            Parsed::Sql(statement) => self.plan_sql(statement).await,
            other => Err(Error::NotSupported(format!(
                "{other:?} has no logical plan"
            ))),
        }
    }

    /// Plans a query nested in another statement (a cursor's, a COPY's), rewritten as a
    /// statement of its own.
    async fn plan_query(&self, query: Box<Query>) -> Result<LogicalPlan> {
        let statement = self
            .shared
            .dialect
            .rewrite_query(query, &self.is_table_function());
        self.plan_sql(statement).await
    }

    /// Changes a setting as `SET name = value` does (for a client's startup parameters).
    pub fn set(&self, name: &str, value: &str) -> Result<()> {
        self.variables.set(name, value, &self.ctx)
    }

    /// A setting's current value, as `SHOW name` gives it.
    pub fn setting(&self, name: &str) -> Result<String> {
        self.variables.get(name, &self.ctx)
    }

    /// The schema of the rows an open cursor returns (for describing it to a client).
    pub fn cursor_schema(&self, cursor: &str) -> Result<SchemaRef> {
        self.cursors.schema(cursor)
    }

    /// Starts running a query plan on the query runtime. `key` names the plan across its runs
    /// ([`crate::lanes`]): the lane it runs in is chosen by what it read last time.
    async fn stream(
        &self,
        plan: LogicalPlan,
        key: Option<u64>,
    ) -> Result<SendableRecordBatchStream> {
        let state = self.ctx.state();
        let plan = self.optimize(&state, plan)?;
        let context = Arc::new(TaskContext::from(&state));
        let plan = state
            .query_planner()
            .create_physical_plan(&plan, &state)
            .await?;
        let Some(key) = key else {
            return Ok(executor::stream(plan, context, Lane::Interactive, |_| {}));
        };
        let shared = Arc::clone(&self.shared);
        let lane = shared.scans.lane(key);
        Ok(executor::stream(plan, context, lane, move |plan| {
            shared.scans.record(key, plan)
        }))
    }

    /// `plan` analyzed and optimized; for a Postgres client, with each `numeric` in the result
    /// written at its own scale, as Postgres prints it ([`display_scales`]).
    fn optimize(&self, state: &SessionState, plan: LogicalPlan) -> Result<LogicalPlan> {
        if self.client.protocol == "postgres" && !matches!(plan, LogicalPlan::Explain(_)) {
            return Ok(state.optimize(&display_scales::with_display_scales(plan)?)?);
        }
        Ok(state.optimize(&plan)?)
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
        batches: Vec<RecordBatch>,
    ) -> Result<Output> {
        ddl::create_table_from_batches(self, name, batches).await
    }

    /// Writes the rows of `plan` as Parquet files under `location`, on the query runtime; returns
    /// how many rows it wrote.
    pub async fn write_parquet(
        &self,
        plan: LogicalPlan,
        location: &str,
        options: DataFrameWriteOptions,
    ) -> Result<u64> {
        write_parquet(self.ctx.state(), plan, location, options).await
    }

    /// Splits a table reference into (schema, table), with the session's default schema.
    pub fn resolve(&self, reference: &TableReference) -> Result<(String, String)> {
        ddl::table_name(self, reference)
    }

    /// The engine this session belongs to.
    pub fn engine(&self) -> Engine {
        Engine::of(&self.shared)
    }

    /// Runs a plan that reports how many rows it wrote (its single `count` value).
    pub(crate) async fn count_rows(&self, plan: LogicalPlan) -> Result<usize> {
        let batches: Vec<_> = self.stream(plan, None).await?.try_collect().await?;
        Ok(written_rows(&batches) as usize)
    }
}

/// [`Session::write_parquet`] with `state`, whose settings shape the write.
pub(crate) async fn write_parquet(
    state: SessionState,
    plan: LogicalPlan,
    location: &str,
    options: DataFrameWriteOptions,
) -> Result<u64> {
    let (frame, location) = (DataFrame::new(state, plan), location.to_string());
    let written =
        executor::run(async move { Ok(frame.write_parquet(&location, options, None).await?) })
            .await?;
    Ok(written_rows(&written))
}

/// The row count a writing plan reports: the single `count` value of its output.
fn written_rows(batches: &[RecordBatch]) -> u64 {
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
pub(crate) fn one_batch_stream(batch: RecordBatch) -> SendableRecordBatchStream {
    batches_stream(batch.schema(), vec![batch])
}

/// A stream of already-computed batches.
fn batches_stream(schema: SchemaRef, batches: Vec<RecordBatch>) -> SendableRecordBatchStream {
    Box::pin(
        datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
            schema,
            futures::stream::iter(batches.into_iter().map(Ok)),
        ),
    )
}
