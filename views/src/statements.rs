//! Materialized views' statements: `CREATE`, `DROP`, `REFRESH` and `ALTER MATERIALIZED VIEW`,
//! checked when planned and run against the catalog.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::{
    CreateTableOptions, CreateView, Expr as SqlExpr, ObjectName, SqlOption, Value,
};
use hangar_catalog::{Acl, Change, RelationKind, TableEntry, TableFormat, Trigger, ViewDefinition};
use hangar_engine::{Error, Output, Result, Session, ViewCommand, ViewStatement};

use crate::cleanup;
use crate::query::{partitions_last, plan_query};
use crate::refresh::{RefreshLocks, now, refresh};

/// A materialized-view statement, planned.
#[derive(Debug, Clone)]
enum Command {
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

/// Plans a view statement the engine handed over.
pub(crate) async fn plan(
    session: &Session,
    locks: &Arc<RefreshLocks>,
    statement: ViewStatement,
) -> Result<Arc<dyn ViewCommand>> {
    let command = match statement {
        ViewStatement::Create(create) => plan_create(session, &create).await?,
        ViewStatement::Drop { names, if_exists } => plan_drop(session, &names, if_exists)?,
        ViewStatement::Refresh(name) => plan_refresh(session, &name)?,
        ViewStatement::Alter { name, options } => plan_alter(session, &name, &options)?,
    };
    Ok(Arc::new(Planned {
        command,
        locks: Arc::clone(locks),
    }))
}

/// A planned statement with the server's refresh locks, ready to run.
#[derive(Debug)]
struct Planned {
    command: Command,
    locks: Arc<RefreshLocks>,
}

#[async_trait]
impl ViewCommand for Planned {
    async fn execute(&self, session: &Session) -> Result<Output> {
        execute(session, &self.locks, &self.command).await
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
    session.resolve(&reference)
}

/// Plans `CREATE MATERIALIZED VIEW name [WITH (…)] AS query`: checks the query and its options, and
/// records which tables and views it reads.
async fn plan_create(session: &Session, create: &CreateView) -> Result<Command> {
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
        schedule_since: schedule.is_some().then(|| now(&session.engine())),
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
        acl: Acl::owned_by(session.owner().as_deref()),
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
fn plan_alter(session: &Session, name: &ObjectName, options: &[SqlOption]) -> Result<Command> {
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
fn plan_refresh(session: &Session, name: &ObjectName) -> Result<Command> {
    let (schema, name) = object_name(session, name)?;
    Ok(Command::Refresh { schema, name })
}

/// Plans `DROP MATERIALIZED VIEW [IF EXISTS] name, …`.
fn plan_drop(session: &Session, names: &[ObjectName], if_exists: bool) -> Result<Command> {
    let names = names
        .iter()
        .map(|name| object_name(session, name))
        .collect::<Result<_>>()?;
    Ok(Command::Drop { names, if_exists })
}

/// Runs a planned materialized-view statement.
async fn execute(session: &Session, locks: &RefreshLocks, statement: &Command) -> Result<Output> {
    let engine = &session.engine();
    match statement {
        Command::Create {
            schema,
            name,
            entry,
            populate,
            if_not_exists,
        } => {
            let snapshot = engine.catalog().refresh().await?;
            if *if_not_exists && snapshot.table(schema, name).is_some() {
                return Ok(Output::command("CREATE MATERIALIZED VIEW"));
            }
            let mut entry = entry.as_ref().clone();
            let folder = format!("views/{schema}/{name}-{}/", uuid::Uuid::new_v4().simple());
            let root = engine
                .stores()
                .warehouse()
                .url
                .join(&folder)
                .map_err(|e| invalid(e.to_string()))?;
            entry.location = format!("{root}v0/");
            entry.view.as_mut().expect("a view").root = root.to_string();
            engine
                .catalog()
                .commit(&Change::CreateTable {
                    schema: schema.clone(),
                    name: name.clone(),
                    table: Box::new(entry),
                    if_not_exists: *if_not_exists,
                })
                .await?;
            if !populate {
                return Ok(Output::command("CREATE MATERIALIZED VIEW"));
            }
            match refresh(engine, locks, schema, name, Trigger::Creation, 1).await {
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
                    if let Err(drop_error) = engine.catalog().commit(&drop).await {
                        tracing::warn!(%schema, %name, error = %drop_error, "could not drop a view whose population failed");
                    }
                    Err(e)
                }
            }
        }
        Command::Refresh { schema, name } => {
            refresh(engine, locks, schema, name, Trigger::Manual, 1).await?;
            Ok(Output::command("REFRESH MATERIALIZED VIEW"))
        }
        Command::SetSchedule {
            schema,
            name,
            schedule,
        } => {
            engine
                .catalog()
                .commit(&Change::SetViewSchedule {
                    schema: schema.clone(),
                    name: name.clone(),
                    schedule: schedule.clone(),
                    since: now(engine),
                })
                .await?;
            Ok(Output::command("ALTER MATERIALIZED VIEW"))
        }
        Command::Drop { names, if_exists } => {
            for (schema, name) in names {
                engine
                    .catalog()
                    .commit(&Change::DropTable {
                        schema: schema.clone(),
                        name: name.clone(),
                        kind: RelationKind::MaterializedView,
                        if_exists: *if_exists,
                    })
                    .await?;
            }
            // Queries that started before the drop may still read the last version.
            cleanup::remove_dropped_later(engine);
            Ok(Output::command("DROP MATERIALIZED VIEW"))
        }
    }
}

/// The persisted tables and views a plan reads, as `schema.name`.
fn sources(session: &Session, plan: &LogicalPlan) -> Result<Vec<String>> {
    let snapshot = session.engine().catalog().snapshot();
    let mut sources = Vec::new();
    let mut failure = None;
    plan.apply_with_subqueries(|node| {
        if let LogicalPlan::TableScan(scan) = node {
            match session.resolve(&scan.table_name) {
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
