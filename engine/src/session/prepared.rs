//! What planning a statement gives: a [`Prepared`] statement.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::expr::{Cast, Placeholder, TryCast};
use datafusion::logical_expr::{Expr, LogicalPlan};

use super::views::ViewCommand;
use crate::access::statements::AccessStatement;
use crate::copy::CopyFormat;
use crate::cursor::Count;
use crate::postgres::Variables;
use crate::{Error, Result};

/// A planned statement, ready to run (possibly many times, with different parameters).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) kind: Kind,
}

/// What a prepared statement does when it runs.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Plan(Box<LogicalPlan>),
    Show(String),
    Discard,
    /// `RESET name`, or `RESET ALL` (`None`).
    Reset(Option<String>),
    /// A transaction statement: Hangar's statements commit one by one, so these are acknowledged.
    Transaction(&'static str),
    /// A materialized-view statement.
    View(Arc<dyn ViewCommand>),
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
    /// A role or privilege statement.
    Access(AccessStatement),
}

impl Prepared {
    /// The schema of the rows the statement returns; empty for commands.
    pub fn schema(&self) -> SchemaRef {
        match &self.kind {
            Kind::Plan(plan) if returns_rows(plan) => {
                Arc::new(crate::planner::coerced_schema(plan).as_arrow().clone())
            }
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
            | Kind::View(_)
            | Kind::Declare { .. }
            | Kind::Close(_)
            | Kind::CopyOut { .. }
            | Kind::Access(_) => false,
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

/// Whether a plan returns rows rather than completing a command.
pub(crate) fn returns_rows(plan: &LogicalPlan) -> bool {
    !matches!(
        plan,
        LogicalPlan::Ddl(_)
            | LogicalPlan::Dml(_)
            | LogicalPlan::Statement(_)
            | LogicalPlan::Copy(_)
    )
}
