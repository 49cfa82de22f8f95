//! One client session: parse, plan and run statements with the session's own settings.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};
use datafusion::catalog::MemoryCatalogProviderList;
use datafusion::common::ParamValues;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::logical_expr::expr::{Cast, Placeholder, TryCast};
use datafusion::logical_expr::{Expr, LogicalPlan, Statement as PlanStatement, WriteOp};
use datafusion::optimizer::{Analyzer, AnalyzerRule};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_optimizer::optimizer::PhysicalOptimizer;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{
    CloseCursor, DeclareType, Ident, ObjectName, ObjectType, Query, Reset, Set,
    Statement as SqlStatement,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use futures::TryStreamExt;
use tracing::Instrument;

use crate::boolean_literals::BooleanLiterals;
use crate::catalog_provider::HangarCatalog;
use crate::copy::CopyFormat;
use crate::cursor::{Count, Cursors};
use crate::decimal_arithmetic::UncheckDecimals;
use crate::duplicate_names::{alias_columns, is_duplicate_names, may_share_names, restore_names};
use crate::dynamic_filter_rows::DynamicFilterRows;
use crate::engine::Shared;
use crate::from_functions::rewrite_from_functions;
use crate::generate_subscripts::rewrite_generate_subscripts;
use crate::in_subquery::rewrite_in_subqueries;
use crate::join_order::OrderJoins;
use crate::join_sides::BuildSmallerSide;
use crate::lanes::{Lane, plan_key};
use crate::like_escape::LikeEscape;
use crate::narrowing_filters::NarrowFilters;
use crate::regtype_text::rewrite_regtype_text;
use crate::scalar_subquery::{
    has_correlated_catalog_subquery, null_correlated_catalog_subqueries, rewrite_scalar_subqueries,
};
use crate::shared_subplans::{HangarQueryPlanner, JoinSharedSubplans, ShareRepeatedAggregates};
use crate::statement::{Parsed, Piece, Statement};
use crate::user_keyword::rewrite_user_keyword;
use crate::variables::Variables;
use crate::{DATABASE, EngineConfig, Error, Result, ddl, executor, matview};
use hangar_catalog::RelationKind;

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
    /// `RESET name`, or `RESET ALL` (`None`).
    Reset(Option<String>),
    /// A transaction statement: Hangar's statements commit one by one, so these are acknowledged.
    Transaction(&'static str),
    /// A materialized-view statement.
    Matview(matview::Command),
    /// `DECLARE name CURSOR [WITH HOLD] FOR query`.
    Declare {
        cursor: String,
        hold: bool,
        plan: Box<LogicalPlan>,
    },
    /// `FETCH` (rows) or `MOVE` (only the count) from a cursor.
    Fetch {
        cursor: String,
        count: Count,
        schema: SchemaRef,
        rows: bool,
    },
    /// `CLOSE name`, or `CLOSE ALL` (`None`).
    Close(Option<String>),
    /// `COPY … TO STDOUT`.
    CopyOut {
        plan: Box<LogicalPlan>,
        format: CopyFormat,
    },
}

impl Prepared {
    /// The schema of the rows the statement returns; empty for commands.
    pub fn schema(&self) -> SchemaRef {
        match &self.kind {
            Kind::Plan(plan) if returns_rows(plan) => Arc::new(plan.schema().as_arrow().clone()),
            Kind::Show(name) => Variables::show_schema(name),
            Kind::Fetch {
                schema, rows: true, ..
            } => Arc::clone(schema),
            _ => Arc::new(Schema::empty()),
        }
    }

    /// Whether running the statement returns rows (a query or `SHOW`) rather than completing a
    /// command (DDL, DML, `SET`…).
    pub fn returns_rows(&self) -> bool {
        match &self.kind {
            Kind::Plan(plan) => returns_rows(plan),
            Kind::Show(_) => true,
            Kind::Fetch { rows, .. } => *rows,
            Kind::Discard
            | Kind::Reset(_)
            | Kind::Transaction(_)
            | Kind::Matview(_)
            | Kind::Declare { .. }
            | Kind::Close(_)
            | Kind::CopyOut { .. } => false,
        }
    }

    /// The types of the parameters `$1…$n`, as far as planning could infer them.
    pub fn parameter_types(&self) -> Result<Vec<Option<DataType>>> {
        let (Kind::Plan(plan) | Kind::Declare { plan, .. } | Kind::CopyOut { plan, .. }) =
            &self.kind
        else {
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
        SqlStatement::Copy { .. } => !crate::copy::is_client_copy(statement),
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
    cursors: Cursors,
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
        // The session's own copy of the template, with catalogs of its own: its settings,
        // functions and catalogs change without touching other sessions'.
        let mut state = shared.session_template.clone();
        state.register_catalog_list(Arc::new(MemoryCatalogProviderList::new()));
        let ctx = SessionContext::new_with_state(state);
        ctx.register_catalog(DATABASE, Arc::new(HangarCatalog::new(Arc::clone(&shared))));
        crate::pg_catalog::register(&ctx, &shared, user)?;
        crate::information_schema::register(&ctx)?;
        let variables = Arc::new(Variables::new(&ctx));
        variables.register_functions(&ctx);
        crate::system_tables::register(&ctx, &shared)?;
        Ok(Self {
            shared,
            ctx,
            variables,
            cursors: Cursors::default(),
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

    /// Hangar's own rewrites of a statement, after the Postgres-compatibility parser's: what
    /// DataFusion cannot plan as clients write it.
    fn rewrite(&self, statement: SqlStatement) -> SqlStatement {
        let is_table_function = |name: &str| self.ctx.table_function(name).is_ok();
        let statement = rewrite_from_functions(statement, &is_table_function);
        let statement =
            rewrite_user_keyword(rewrite_regtype_text(rewrite_in_subqueries(statement)));
        rewrite_generate_subscripts(rewrite_scalar_subqueries(statement))
    }

    /// Parses SQL that holds none of Hangar's own statements.
    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>> {
        // The Postgres-compatibility parser rewrites what psql and BI tools send; DataFusion's own
        // statements (CREATE EXTERNAL TABLE, COPY … TO 'file') need DataFusion's parser.
        let pg = self.shared.parser.parse(sql);
        if let Ok(statements) = &pg
            && !statements.iter().any(needs_datafusion_parser)
        {
            return Ok(pg
                .expect("checked")
                .into_iter()
                .map(|s| {
                    Statement(Parsed::Sql(DfStatement::Statement(Box::new(
                        self.rewrite(s),
                    ))))
                })
                .collect());
        }
        match DFParser::parse_sql_with_dialect(sql, &PostgreSqlDialect {}) {
            Ok(statements) => Ok(statements
                .into_iter()
                .map(|s| match s {
                    DfStatement::Statement(s) => DfStatement::Statement(Box::new(
                        self.rewrite(self.shared.parser.rewrite(*s)),
                    )),
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
                    let plan = self
                        .ctx
                        .state()
                        .statement_to_plan(DfStatement::Statement(Box::new(set)))
                        .await?;
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
        let state = self.ctx.state();
        // Kept for the fallbacks only when there may be something to fall back from.
        let original = match &statement {
            DfStatement::Statement(s)
                if has_correlated_catalog_subquery(s) || may_share_names(s) =>
            {
                Some((**s).clone())
            }
            _ => None,
        };
        let mut plan = match state.statement_to_plan(statement).await {
            Ok(plan) => plan,
            Err(error) if is_duplicate_names(&error) => {
                let Some((aliased, aliases)) = original.clone().and_then(alias_columns) else {
                    return Err(error.into());
                };
                let aliased = DfStatement::Statement(Box::new(aliased));
                restore_names(state.statement_to_plan(aliased).await?, &aliases)?
            }
            Err(error) => return Err(error.into()),
        };
        if let Some(s) = original
            && has_correlated_catalog_subquery(&s)
            && !decorrelates(&state, &plan)
        {
            let fallback = DfStatement::Statement(Box::new(null_correlated_catalog_subqueries(s)));
            plan = state.statement_to_plan(fallback).await?;
        }
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
                Kind::Transaction(tag) => {
                    if matches!(*tag, "COMMIT" | "ROLLBACK") {
                        self.cursors.end_transaction();
                    }
                    Ok(Output::Command { tag, rows: None })
                }
                Kind::Declare { cursor, hold, plan } => {
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
                Kind::CopyOut { plan, format } => Ok(Output::Copy {
                    rows: self
                        .stream(bind(plan, params)?, Some(plan_key(plan)))
                        .await?,
                    format: format.clone(),
                }),
                Kind::Matview(command) => matview::execute(self, command).await,
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
                    let key = plan_key(plan);
                    let plan = bind(plan, params)?;
                    tracing::debug!(plan = %plan.display_indent(), "executing");
                    self.execute_plan(plan, key).await
                }
            }
        }
        .instrument(span)
        .await
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

    /// Plans `DECLARE name CURSOR … FOR query`.
    async fn plan_declare(
        &self,
        declares: &[datafusion::sql::sqlparser::ast::Declare],
    ) -> Result<Kind> {
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

    /// Plans a query nested in another statement (a cursor's, a COPY's). The Postgres rewrites
    /// are applied to it as a statement of its own, since some of them look only at the top.
    async fn plan_query(&self, query: Box<Query>) -> Result<LogicalPlan> {
        let query = self.shared.parser.rewrite(SqlStatement::Query(query));
        Ok(self
            .ctx
            .state()
            .statement_to_plan(DfStatement::Statement(Box::new(query)))
            .await?)
    }

    /// Starts running a query plan on the query runtime. `key` names the plan across its runs
    /// ([`crate::lanes`]): the lane it runs in is chosen by what it read last time.
    async fn stream(
        &self,
        plan: LogicalPlan,
        key: Option<u64>,
    ) -> Result<SendableRecordBatchStream> {
        let query = self.ctx.execute_logical_plan(plan).await?;
        let context = Arc::new(query.task_ctx());
        let plan = query.create_physical_plan().await?;
        let Some(key) = key else {
            return Ok(executor::stream(plan, context, Lane::Interactive, |_| {}));
        };
        let shared = Arc::clone(&self.shared);
        let lane = shared.scans.lane(key);
        Ok(executor::stream(plan, context, lane, move |plan| {
            shared.scans.record(key, plan)
        }))
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

    /// Runs a plan that reports how many rows it wrote (its single `count` value).
    pub(crate) async fn count_rows(&self, plan: LogicalPlan) -> Result<usize> {
        let batches: Vec<_> = self.stream(plan, None).await?.try_collect().await?;
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

/// What every session starts from: the settings, DataFusion's functions and Hangar's rules, and
/// `pg_catalog`'s functions and type names. Building it registers every function DataFusion has,
/// so it is built once per engine and cloned for each session ([`Session::new`]); Flight SQL opens
/// a session for every query. The clones share its session id, which nothing in Hangar reads.
pub(crate) fn session_template(
    config: &EngineConfig,
    runtime: &Arc<RuntimeEnv>,
) -> Result<SessionState> {
    let mut settings = crate::config::session_defaults()
        .with_default_catalog_and_schema(DATABASE, hangar_catalog::DEFAULT_SCHEMA)
        .with_create_default_catalog_and_schema(false)
        .with_information_schema(false);
    if let Some(n) = config.target_partitions {
        settings = settings.with_target_partitions(n);
    }
    let state = SessionStateBuilder::new()
        .with_config(settings)
        .with_runtime_env(Arc::clone(runtime))
        .with_default_features()
        .with_analyzer_rules(analyzer_rules())
        .with_optimizer_rule(Arc::new(LikeEscape))
        .with_optimizer_rule(Arc::new(ShareRepeatedAggregates))
        .with_query_planner(Arc::new(HangarQueryPlanner))
        .with_physical_optimizer_rules(physical_optimizer_rules())
        .with_physical_optimizer_rule(Arc::new(DynamicFilterRows))
        .with_physical_optimizer_rule(Arc::new(NarrowFilters))
        .with_physical_optimizer_rule(Arc::new(UncheckDecimals))
        .with_physical_optimizer_rule(Arc::new(JoinSharedSubplans))
        .build();
    let ctx = SessionContext::new_with_state(state);
    crate::pg_catalog::install(&ctx)?;
    Ok(ctx.state())
}

/// DataFusion's physical optimizer rules, with Hangar's [`OrderJoins`] right before its
/// `join_selection`, which then picks the new joins' build sides, and [`BuildSmallerSide`] right
/// after it, which it corrects. Hangar's other rules are added after all of them.
fn physical_optimizer_rules() -> Vec<Arc<dyn PhysicalOptimizerRule + Send + Sync>> {
    let mut rules = PhysicalOptimizer::new().rules;
    let at = rules
        .iter()
        .position(|rule| rule.name() == "join_selection")
        .unwrap_or(rules.len());
    rules.insert(at, Arc::new(OrderJoins));
    rules.insert((at + 2).min(rules.len()), Arc::new(BuildSmallerSide));
    rules
}

/// DataFusion's analyzer rules, after Hangar's own that must run before its type coercion.
fn analyzer_rules() -> Vec<Arc<dyn AnalyzerRule + Send + Sync>> {
    let mut rules: Vec<Arc<dyn AnalyzerRule + Send + Sync>> = vec![Arc::new(BooleanLiterals)];
    rules.extend(Analyzer::new().rules);
    rules
}

/// Whether DataFusion's optimizer turns every correlated scalar subquery of `plan` into a join; the
/// physical planner refuses the ones it leaves. Only plans with such a subquery are optimized
/// here, and one the optimizer fails on counts as decorrelated: running it reports that error.
fn decorrelates(state: &SessionState, plan: &LogicalPlan) -> bool {
    let correlated = |plan: &LogicalPlan| {
        let mut found = false;
        let _ = plan.apply_with_subqueries(|node| {
            for expr in node.expressions() {
                found |= expr
                    .exists(|e| {
                        Ok(matches!(e, Expr::ScalarSubquery(s) if !s.outer_ref_columns.is_empty()))
                    })
                    .unwrap_or(false);
            }
            Ok(if found {
                TreeNodeRecursion::Stop
            } else {
                TreeNodeRecursion::Continue
            })
        });
        found
    };
    !correlated(plan)
        || state
            .optimize(plan)
            .is_ok_and(|optimized| !correlated(&optimized))
}

/// A stream of one already-computed batch.
pub(crate) fn one_batch_stream(
    batch: datafusion::arrow::record_batch::RecordBatch,
) -> SendableRecordBatchStream {
    batches_stream(batch.schema(), vec![batch])
}

/// A stream of already-computed batches.
fn batches_stream(
    schema: SchemaRef,
    batches: Vec<datafusion::arrow::record_batch::RecordBatch>,
) -> SendableRecordBatchStream {
    Box::pin(
        datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
            schema,
            futures::stream::iter(batches.into_iter().map(Ok)),
        ),
    )
}

/// A plan with its parameters replaced by their values.
fn bind(plan: &LogicalPlan, params: Option<&ParamValues>) -> Result<LogicalPlan> {
    let plan = plan.clone();
    Ok(match params {
        Some(values) => plan.replace_params_with_values(values)?,
        None => plan,
    })
}

/// A cursor's name as Postgres folds it: unquoted names are lower-cased.
fn cursor_name(name: &Ident) -> String {
    match name.quote_style {
        Some(_) => name.value.clone(),
        None => name.value.to_lowercase(),
    }
}
