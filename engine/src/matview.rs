//! Materialized views: their statements, and refreshes.
//!
//! A refresh runs the view's query into a new folder of Parquet files under the view's root, then one
//! catalog commit makes that folder the view's current version. Readers plan against the version
//! current when they start, so they see the old version or the new one, never a mix. A refresh that
//! fails or dies leaves the current version alone; its folder is removed by a later clean-up, as are
//! old versions once the current one has been current for the grace period.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::common::Column;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::dataframe::{DataFrame, DataFrameWriteOptions};
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    CreateTableOptions, CreateView, Expr as SqlExpr, ObjectName, SqlOption,
    Statement as SqlStatement, Value,
};
use futures::TryStreamExt;
use hangar_catalog::{
    Change, RefreshRun, RelationKind, RunStatus, TableEntry, TableFormat, Trigger, ViewDefinition,
    ViewVersion,
};

use crate::cleanup::{self, remove_old_versions, remove_prefix, warehouse_path};
use crate::ddl::{command, table_name};
use crate::engine::Shared;
use crate::session::{Session, written_rows};
use crate::{Error, Output, Result, executor};

/// A materialized-view statement, planned.
#[derive(Debug, Clone)]
pub(crate) enum Command {
    Create {
        schema: String,
        name: String,
        entry: Box<TableEntry>,
        populate: bool,
        if_not_exists: bool,
    },
    Refresh {
        schema: String,
        name: String,
    },
    SetSchedule {
        schema: String,
        name: String,
        schedule: Option<String>,
    },
    Drop {
        names: Vec<(String, String)>,
        if_exists: bool,
    },
}

/// One lock per view, so a server runs at most one refresh of a view at a time.
#[derive(Debug, Default)]
pub(crate) struct RefreshLocks(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl RefreshLocks {
    fn of(&self, view: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.0.lock().expect("refresh locks");
        Arc::clone(locks.entry(view.to_string()).or_default())
    }
}

/// The options of `CREATE MATERIALIZED VIEW … WITH (…)` and `ALTER MATERIALIZED VIEW … SET (…)`.
#[derive(Debug, Default)]
struct ViewOptions {
    schedule: Option<Option<String>>,
    populate: Option<bool>,
    sort_by: Vec<String>,
    partition_by: Vec<String>,
}

impl ViewOptions {
    fn parse(options: &[SqlOption]) -> Result<Self> {
        let mut parsed = ViewOptions::default();
        for option in options {
            let SqlOption::KeyValue { key, value } = option else {
                return Err(invalid(format!("expected option = value, got {option}")));
            };
            let text = option_text(value)?;
            match key.value.to_ascii_lowercase().as_str() {
                "schedule" => parsed.schedule = Some(schedule(&text)?),
                "populate" => {
                    parsed.populate = Some(text.parse().map_err(|_| {
                        invalid(format!("populate must be true or false, got {text}"))
                    })?)
                }
                "sort_by" => parsed.sort_by = column_list(&text),
                "partition_by" => parsed.partition_by = column_list(&text),
                other => {
                    return Err(invalid(format!(
                        "unknown materialized view option \"{other}\"; the options are schedule, populate, sort_by and partition_by"
                    )));
                }
            }
        }
        Ok(parsed)
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidParameter(message)
}

fn option_text(value: &SqlExpr) -> Result<String> {
    match value {
        SqlExpr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Ok(s.clone()),
            Value::Boolean(b) => Ok(b.to_string()),
            Value::Number(n, _) => Ok(n.clone()),
            Value::Null => Ok(String::new()),
            other => Err(invalid(format!("unsupported option value {other}"))),
        },
        SqlExpr::Identifier(ident) => Ok(ident.value.clone()),
        other => Err(invalid(format!("unsupported option value {other}"))),
    }
}

fn column_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// A validated cron expression (five fields, or six with seconds); empty or `none` for no schedule.
fn schedule(text: &str) -> Result<Option<String>> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_cron(text)?;
    Ok(Some(text.to_string()))
}

/// Parses a cron expression the way the scheduler reads it.
pub(crate) fn parse_cron(text: &str) -> Result<croner::Cron> {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Optional)
        .build()
        .parse(text)
        .map_err(|e| invalid(format!("invalid schedule \"{text}\": {e}")))
}

fn object_name(session: &Session, name: &ObjectName) -> Result<(String, String)> {
    let reference = datafusion::sql::planner::object_name_to_table_reference(name.clone(), true)?;
    table_name(session, &reference)
}

/// Plans `CREATE MATERIALIZED VIEW name [WITH (…)] AS query`: checks the query and its options, and
/// records which tables and views it reads.
pub(crate) async fn plan_create(session: &Session, create: &CreateView) -> Result<Command> {
    if create.or_replace || create.or_alter {
        return Err(Error::NotSupported(
            "CREATE OR REPLACE MATERIALIZED VIEW is not supported; DROP the view first".into(),
        ));
    }
    if !create.columns.is_empty() {
        return Err(Error::NotSupported(
            "column names after the view name are not supported; alias the columns in the query"
                .into(),
        ));
    }
    let options = match &create.options {
        CreateTableOptions::None => ViewOptions::default(),
        CreateTableOptions::With(options) => ViewOptions::parse(options)?,
        other => {
            return Err(Error::NotSupported(format!(
                "options {other} are not supported"
            )));
        }
    };
    let (schema, name) = object_name(session, &create.name)?;
    let query = create.query.to_string();
    let plan = plan_query(session, &query).await?;
    let output = plan.schema().as_arrow().clone();
    for column in options.sort_by.iter().chain(&options.partition_by) {
        if output.field_with_name(column).is_err() {
            return Err(invalid(format!(
                "the view has no column \"{column}\" to sort or partition by"
            )));
        }
    }
    let schedule = options.schedule.flatten();
    let definition = ViewDefinition {
        query,
        schedule_since: schedule.is_some().then(|| now(&session.shared)),
        schedule,
        sort_by: options.sort_by,
        partition_by: options.partition_by,
        sources: sources(session, &plan)?,
        root: String::new(),
        version: 0,
        refreshed_at: None,
    };
    let entry = TableEntry {
        location: String::new(),
        format: TableFormat::Parquet,
        partition_columns: definition.partition_by.clone(),
        schema: partitions_last(output, &definition.partition_by),
        managed: true,
        view: Some(definition),
    };
    Ok(Command::Create {
        schema,
        name,
        entry: Box::new(entry),
        populate: options.populate.unwrap_or(true),
        if_not_exists: create.if_not_exists,
    })
}

/// Plans `ALTER MATERIALIZED VIEW name SET (schedule = …)`.
pub(crate) fn plan_alter(
    session: &Session,
    name: &ObjectName,
    options: &[SqlOption],
) -> Result<Command> {
    let (schema, name) = object_name(session, name)?;
    let options = ViewOptions::parse(options)?;
    let (Some(schedule), None, true, true) = (
        options.schedule,
        options.populate,
        options.sort_by.is_empty(),
        options.partition_by.is_empty(),
    ) else {
        return Err(Error::NotSupported(
            "ALTER MATERIALIZED VIEW … SET changes only the schedule".into(),
        ));
    };
    Ok(Command::SetSchedule {
        schema,
        name,
        schedule,
    })
}

/// Plans `REFRESH MATERIALIZED VIEW name`.
pub(crate) fn plan_refresh(session: &Session, name: &ObjectName) -> Result<Command> {
    let (schema, name) = object_name(session, name)?;
    Ok(Command::Refresh { schema, name })
}

/// Plans `DROP MATERIALIZED VIEW [IF EXISTS] name, …`.
pub(crate) fn plan_drop(
    session: &Session,
    names: &[ObjectName],
    if_exists: bool,
) -> Result<Command> {
    let names = names
        .iter()
        .map(|name| object_name(session, name))
        .collect::<Result<_>>()?;
    Ok(Command::Drop { names, if_exists })
}

/// Runs a planned materialized-view statement.
pub(crate) async fn execute(session: &Session, statement: &Command) -> Result<Output> {
    let shared = &session.shared;
    match statement {
        Command::Create {
            schema,
            name,
            entry,
            populate,
            if_not_exists,
        } => {
            let snapshot = shared.catalog.refresh().await?;
            if *if_not_exists && snapshot.table(schema, name).is_some() {
                return Ok(command("CREATE MATERIALIZED VIEW"));
            }
            let mut entry = entry.as_ref().clone();
            let folder = format!("views/{schema}/{name}-{}/", uuid::Uuid::new_v4().simple());
            let root = shared
                .stores
                .warehouse()
                .url
                .join(&folder)
                .map_err(|e| invalid(e.to_string()))?;
            entry.location = format!("{root}v0/");
            entry.view.as_mut().expect("a view").root = root.to_string();
            shared
                .catalog
                .commit(&Change::CreateTable {
                    schema: schema.clone(),
                    name: name.clone(),
                    table: entry,
                    if_not_exists: *if_not_exists,
                })
                .await?;
            if !populate {
                return Ok(command("CREATE MATERIALIZED VIEW"));
            }
            match refresh(shared, schema, name, Trigger::Creation, 1).await {
                Ok(run) => Ok(Output::Command {
                    tag: "SELECT",
                    rows: Some(run.rows.unwrap_or(0) as usize),
                }),
                Err(e) => {
                    // Like Postgres, a view whose first population fails is not created.
                    let drop = Change::DropTable {
                        schema: schema.clone(),
                        name: name.clone(),
                        kind: RelationKind::MaterializedView,
                        if_exists: true,
                    };
                    if let Err(drop_error) = shared.catalog.commit(&drop).await {
                        tracing::warn!(%schema, %name, error = %drop_error, "could not drop a view whose population failed");
                    }
                    Err(e)
                }
            }
        }
        Command::Refresh { schema, name } => {
            refresh(shared, schema, name, Trigger::Manual, 1).await?;
            Ok(command("REFRESH MATERIALIZED VIEW"))
        }
        Command::SetSchedule {
            schema,
            name,
            schedule,
        } => {
            shared
                .catalog
                .commit(&Change::SetViewSchedule {
                    schema: schema.clone(),
                    name: name.clone(),
                    schedule: schedule.clone(),
                    since: now(shared),
                })
                .await?;
            Ok(command("ALTER MATERIALIZED VIEW"))
        }
        Command::Drop { names, if_exists } => {
            for (schema, name) in names {
                shared
                    .catalog
                    .commit(&Change::DropTable {
                        schema: schema.clone(),
                        name: name.clone(),
                        kind: RelationKind::MaterializedView,
                        if_exists: *if_exists,
                    })
                    .await?;
            }
            // Queries that started before the drop may still read the last version.
            cleanup::remove_dropped_later(shared);
            Ok(command("DROP MATERIALIZED VIEW"))
        }
    }
}

/// Plans a view's query in `session`.
async fn plan_query(session: &Session, query: &str) -> Result<LogicalPlan> {
    let mut statements = session.parse(query)?;
    let (1, Some(statement)) = (statements.len(), statements.pop()) else {
        return Err(invalid(
            "a materialized view is defined by exactly one query".into(),
        ));
    };
    let crate::statement::Parsed::Sql(statement @ DfStatement::Statement(_)) = statement.0 else {
        return Err(invalid("a materialized view is defined by a query".into()));
    };
    if !matches!(&statement, DfStatement::Statement(s) if matches!(s.as_ref(), SqlStatement::Query(_)))
    {
        return Err(invalid(
            "a materialized view is defined by a SELECT query".into(),
        ));
    }
    session.plan_sql(statement).await
}

/// The persisted tables and views a plan reads, as `schema.name`.
fn sources(session: &Session, plan: &LogicalPlan) -> Result<Vec<String>> {
    let snapshot = session.shared.catalog.snapshot();
    let mut sources = Vec::new();
    let mut failure = None;
    plan.apply_with_subqueries(|node| {
        if let LogicalPlan::TableScan(scan) = node {
            match table_name(session, &scan.table_name) {
                Ok((schema, name)) if snapshot.table(&schema, &name).is_some() => {
                    let qualified = format!("{schema}.{name}");
                    if !sources.contains(&qualified) {
                        sources.push(qualified);
                    }
                }
                Ok(_) => {}
                Err(e) => failure = Some(e),
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(sources),
    }
}

/// The schema with the partition columns moved last, as listing tables expect them.
fn partitions_last(
    schema: datafusion::arrow::datatypes::Schema,
    partition_by: &[String],
) -> datafusion::arrow::datatypes::Schema {
    let (partitions, files): (Vec<_>, Vec<_>) = schema
        .fields()
        .iter()
        .cloned()
        .partition(|f| partition_by.contains(f.name()));
    let partitions = partition_by
        .iter()
        .filter_map(|name| partitions.iter().find(|f| f.name() == name).cloned());
    datafusion::arrow::datatypes::Schema::new(
        files.into_iter().chain(partitions).collect::<Vec<_>>(),
    )
}

/// Refreshes a view: writes a new version and makes it current, recording the run. Returns the
/// finished run; a failed run is recorded and returned as the error.
pub(crate) async fn refresh(
    shared: &Arc<Shared>,
    schema: &str,
    name: &str,
    trigger: Trigger,
    attempt: u32,
) -> Result<RefreshRun> {
    let qualified = format!("{schema}.{name}");
    let lock = shared.refresh_locks.of(&qualified);
    let _one_at_a_time = lock.lock().await;

    let snapshot = shared.catalog.refresh().await?;
    let Some(entry) = snapshot.table(schema, name) else {
        return Err(hangar_catalog::Error::TableNotFound {
            schema: schema.to_string(),
            table: name.to_string(),
        }
        .into());
    };
    let Some(view) = entry.view.clone() else {
        return Err(hangar_catalog::Error::WrongKind {
            relation: qualified,
            found: RelationKind::Table,
            expected: RelationKind::MaterializedView,
        }
        .into());
    };
    let mut run = RefreshRun {
        id: uuid::Uuid::new_v4().simple().to_string(),
        view: qualified,
        version: view.version + 1,
        trigger,
        attempt,
        started_at: now(shared),
        finished_at: None,
        heartbeat_at: None,
        status: RunStatus::Running,
        rows: None,
        bytes: None,
        error: None,
    };
    let log = shared.catalog.refreshes();
    log.record(&run).await?;
    tracing::info!(view = %run.view, version = run.version, ?trigger, "refresh started");

    let location = format!("{}{}/", view.root, version_folder(run.version, &run.id));
    let work = write_and_commit(
        shared,
        schema,
        name,
        &view,
        &location,
        run.version,
        run.started_at.clone(),
    );
    tokio::pin!(work);
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            _ = tokio::time::sleep(shared.config.refresh_heartbeat) => {
                run.heartbeat_at = Some(now(shared));
                if let Err(e) = log.record(&run).await {
                    tracing::warn!(view = %run.view, error = %e, "could not record a refresh's heartbeat");
                }
            }
        }
    };
    run.finished_at = Some(now(shared));
    match &outcome {
        Ok((rows, bytes)) => {
            run.status = RunStatus::Succeeded;
            run.rows = Some(*rows);
            run.bytes = Some(*bytes);
            tracing::info!(view = %run.view, version = run.version, rows, bytes, "refresh committed");
        }
        Err(e) => {
            run.status = RunStatus::Failed;
            run.error = Some(e.to_string());
            tracing::warn!(view = %run.view, version = run.version, error = %e, "refresh failed");
            remove_prefix(shared, &location).await;
        }
    }
    if let Err(e) = log.record(&run).await {
        tracing::warn!(view = %run.view, error = %e, "could not record the end of a refresh");
    }
    let (shared, root) = (Arc::clone(shared), view.root.clone());
    tokio::spawn(async move { remove_old_versions(&shared, &root).await });
    outcome.map(|_| run)
}

/// Writes the view's query into `location` and commits it as version `version`; returns the rows
/// and bytes written.
async fn write_and_commit(
    shared: &Arc<Shared>,
    schema: &str,
    name: &str,
    view: &ViewDefinition,
    location: &str,
    version: u64,
    started_at: String,
) -> Result<(u64, u64)> {
    let session = Session::new(Arc::clone(shared), "hangar")?;
    let plan = plan_query(&session, &view.query).await?;
    let output = plan.schema().as_arrow().clone();
    let sort_by = view
        .sort_by
        .iter()
        .map(|c| Expr::Column(Column::new_unqualified(c)).sort(true, false))
        .collect();
    let options = DataFrameWriteOptions::new()
        .with_partition_by(view.partition_by.clone())
        .with_sort_by(sort_by);
    let (query, target) = (
        DataFrame::new(session.ctx.state(), plan),
        location.to_string(),
    );
    let written =
        executor::run(async move { Ok(query.write_parquet(&target, options, None).await?) })
            .await?;
    let rows = written_rows(&written);
    let bytes = prefix_size(shared, location).await?;
    shared
        .catalog
        .commit(&Change::SetViewVersion {
            schema: schema.to_string(),
            name: name.to_string(),
            version: ViewVersion {
                base_version: version - 1,
                root: view.root.clone(),
                version,
                location: location.to_string(),
                schema: partitions_last(output, &view.partition_by),
                refreshed_at: started_at,
            },
        })
        .await?;
    Ok((rows, bytes))
}

/// The engine clock's time, as the catalog and the refresh history record it.
pub(crate) fn now(shared: &Shared) -> String {
    shared
        .clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn prefix_size(shared: &Shared, url: &str) -> Result<u64> {
    let Some((store, prefix)) = warehouse_path(shared, url) else {
        return Ok(0);
    };
    let sizes: Vec<u64> = store
        .list(Some(&prefix))
        .map_ok(|meta| meta.size)
        .try_collect()
        .await
        .map_err(hangar_catalog::Error::from)?;
    Ok(sizes.iter().sum())
}

/// The name of a version's folder under the view's root: `v<version>-<run>`, numbers padded so
/// folders sort by version.
fn version_folder(version: u64, run_id: &str) -> String {
    format!("v{version:010}-{run_id}")
}

/// The version a folder named by [`version_folder`] holds.
pub(crate) fn folder_version(folder: &str) -> Option<u64> {
    folder.strip_prefix('v')?.split('-').next()?.parse().ok()
}
