//! Aggregates a query holds more than once, computed once.
//!
//! DataFusion writes a `WITH` query into the plan wherever it is referenced, so TPC-H q15, which
//! joins its view of revenue by supplier and also takes its maximum, scans `lineitem` and
//! aggregates it twice. PostgreSQL computes such a query once, and so do these rules:
//! - [`ShareRepeatedAggregates`], a logical optimizer rule run after DataFusion's own, finds
//!   aggregates that occur more than once in a plan (its subqueries included), identical after
//!   optimization, and puts each occurrence under a [`SharedSubplan`] with one id. The node stops
//!   filters and projections from being pushed into it, so the occurrences stay identical.
//! - [`SharedSubplanPlanner`] plans that node as a [`SharedSubplanExec`] over its input.
//! - [`JoinSharedSubplans`], a physical optimizer rule run last, gives the nodes of one id one
//!   shared result, and removes the nodes of an aggregate that occurs only once.
//! - At execution, the first node asked for a partition computes every partition of its input
//!   into memory (accounted in the memory pool); every node then reads those batches.
//!
//! Aggregates with volatile functions (`random()`) or outer references are left alone: each
//! occurrence computes its own, as without this rule.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use async_trait::async_trait;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::Session;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchemaRef, internal_err};
use datafusion::error::Result;
use datafusion::execution::context::QueryPlanner;
use datafusion::execution::memory_pool::{MemoryConsumer, MemoryReservation};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::{
    Expr, Extension, LogicalPlan, UserDefinedLogicalNode, UserDefinedLogicalNodeCore,
};
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PlanProperties,
    displayable,
};
use datafusion::physical_planner::{DefaultPhysicalPlanner, ExtensionPlanner, PhysicalPlanner};
use futures::{TryStreamExt, stream};
use tokio::sync::OnceCell;

/// Ids of shared subplans, unique in the process.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The logical rule: each aggregate that occurs more than once goes under a [`SharedSubplan`].
#[derive(Debug, Default)]
pub struct ShareRepeatedAggregates;

impl OptimizerRule for ShareRepeatedAggregates {
    fn name(&self) -> &str {
        "hangar_share_repeated_aggregates"
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        let mut counts: HashMap<LogicalPlan, usize> = HashMap::new();
        plan.apply_with_subqueries(|node| {
            if is_shared(node) {
                return Ok(TreeNodeRecursion::Jump);
            }
            if worth_sharing(node)? {
                *counts.entry(node.clone()).or_default() += 1;
            }
            Ok(TreeNodeRecursion::Continue)
        })?;
        let ids: HashMap<LogicalPlan, u64> = counts
            .into_iter()
            .filter(|(_, count)| *count > 1)
            .map(|(plan, _)| (plan, NEXT_ID.fetch_add(1, Ordering::Relaxed)))
            .collect();
        if ids.is_empty() {
            return Ok(Transformed::no(plan));
        }
        plan.transform_down_with_subqueries(|node| {
            if is_shared(&node) {
                return Ok(Transformed::new(node, false, TreeNodeRecursion::Jump));
            }
            Ok(match ids.get(&node) {
                Some(&id) => {
                    let shared = SharedSubplan { id, input: node };
                    let node = Arc::new(shared) as Arc<dyn UserDefinedLogicalNode>;
                    Transformed::new(
                        LogicalPlan::Extension(Extension { node }),
                        true,
                        TreeNodeRecursion::Jump,
                    )
                }
                None => Transformed::no(node),
            })
        })
    }
}

/// Whether `node` is a [`SharedSubplan`].
fn is_shared(node: &LogicalPlan) -> bool {
    matches!(node, LogicalPlan::Extension(e) if e.node.as_any().is::<SharedSubplan>())
}

/// Whether `node` is an aggregate that gives the same rows wherever it occurs in a plan.
fn worth_sharing(node: &LogicalPlan) -> Result<bool> {
    if !matches!(node, LogicalPlan::Aggregate(_)) {
        return Ok(false);
    }
    let mut deterministic = true;
    node.apply_with_subqueries(|plan| {
        for expr in plan.expressions() {
            deterministic &= !expr.is_volatile() && !expr.contains_outer();
        }
        Ok(if deterministic {
            TreeNodeRecursion::Continue
        } else {
            TreeNodeRecursion::Stop
        })
    })?;
    Ok(deterministic)
}

/// One occurrence of a subplan the plan holds more than once; the occurrences share the id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd)]
pub(crate) struct SharedSubplan {
    id: u64,
    input: LogicalPlan,
}

impl UserDefinedLogicalNodeCore for SharedSubplan {
    fn name(&self) -> &str {
        "SharedSubplan"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        self.input.schema()
    }

    fn expressions(&self) -> Vec<Expr> {
        vec![]
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "SharedSubplan: id={}", self.id)
    }

    fn with_exprs_and_inputs(
        &self,
        _exprs: Vec<Expr>,
        mut inputs: Vec<LogicalPlan>,
    ) -> Result<Self> {
        Ok(Self {
            id: self.id,
            input: inputs.swap_remove(0),
        })
    }
}

/// DataFusion's physical planner, which also plans [`SharedSubplan`]s.
#[derive(Debug, Default)]
pub struct SharedSubplanQueryPlanner;

#[async_trait]
impl QueryPlanner for SharedSubplanQueryPlanner {
    async fn create_physical_plan(
        &self,
        logical_plan: &LogicalPlan,
        session: &dyn Session,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        DefaultPhysicalPlanner::with_extension_planners(vec![Arc::new(SharedSubplanPlanner)])
            .create_physical_plan(logical_plan, session)
            .await
    }
}

/// Plans a [`SharedSubplan`] as a [`SharedSubplanExec`] with a result of its own, until
/// [`JoinSharedSubplans`] joins it with the others of its id.
#[derive(Debug)]
struct SharedSubplanPlanner;

#[async_trait]
impl ExtensionPlanner for SharedSubplanPlanner {
    async fn plan_extension(
        &self,
        _planner: &dyn PhysicalPlanner,
        node: &dyn UserDefinedLogicalNode,
        _logical_inputs: &[&LogicalPlan],
        physical_inputs: &[Arc<dyn ExecutionPlan>],
        _session: &dyn Session,
        _planning_ctx: &PhysicalPlanningContext,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let Some(shared) = node.as_any().downcast_ref::<SharedSubplan>() else {
            return Ok(None);
        };
        let input = Arc::clone(&physical_inputs[0]);
        Ok(Some(Arc::new(SharedSubplanExec::new(
            shared.id,
            input,
            Arc::default(),
        ))))
    }
}

/// The physical rule, run last: the [`SharedSubplanExec`]s of one id share one result if their
/// inputs are alike; a node that shares with none is replaced by its input.
#[derive(Debug, Default)]
pub struct JoinSharedSubplans;

impl PhysicalOptimizerRule for JoinSharedSubplans {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let mut inputs: HashMap<u64, Vec<String>> = HashMap::new();
        plan.apply(|node| {
            if let Some(shared) = node.downcast_ref::<SharedSubplanExec>() {
                inputs
                    .entry(shared.id)
                    .or_default()
                    .push(describe(&shared.input));
            }
            Ok(TreeNodeRecursion::Continue)
        })?;
        let results: HashMap<u64, Arc<SharedResult>> = inputs
            .into_iter()
            .filter(|(_, inputs)| inputs.len() > 1 && inputs.iter().all(|i| *i == inputs[0]))
            .map(|(id, _)| (id, Arc::default()))
            .collect();
        plan.transform_up(|node| {
            let Some(shared) = node.downcast_ref::<SharedSubplanExec>() else {
                return Ok(Transformed::no(node));
            };
            let input = Arc::clone(&shared.input);
            Ok(Transformed::yes(match results.get(&shared.id) {
                Some(result) => {
                    Arc::new(SharedSubplanExec::new(shared.id, input, Arc::clone(result)))
                }
                None => input,
            }))
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "hangar_join_shared_subplans"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// What a node's input computes, to compare it with the other occurrences': its plan as EXPLAIN
/// shows it, with its partitioning.
fn describe(input: &Arc<dyn ExecutionPlan>) -> String {
    format!(
        "{:?}\n{}",
        input.output_partitioning(),
        displayable(input.as_ref()).indent(true)
    )
}

/// The batches of every partition of a shared subplan, computed by the first node asked.
#[derive(Debug, Default)]
struct SharedResult {
    partitions: OnceCell<Computed>,
}

/// A computed result and the memory it holds.
#[derive(Debug)]
struct Computed {
    partitions: Vec<Vec<RecordBatch>>,
    _memory: MemoryReservation,
}

/// One occurrence of a shared subplan: it reads the shared result, which the first occurrence
/// asked for a partition computes from its own input.
#[derive(Debug)]
pub(crate) struct SharedSubplanExec {
    id: u64,
    input: Arc<dyn ExecutionPlan>,
    result: Arc<SharedResult>,
    /// Whether this node's input has been run: it can be run only once.
    input_run: Arc<AtomicBool>,
}

impl SharedSubplanExec {
    fn new(id: u64, input: Arc<dyn ExecutionPlan>, result: Arc<SharedResult>) -> Self {
        Self {
            id,
            input,
            result,
            input_run: Arc::default(),
        }
    }
}

/// Runs every partition of `input` into memory, at once.
async fn compute(
    id: u64,
    input: &Arc<dyn ExecutionPlan>,
    input_run: &AtomicBool,
    context: Arc<TaskContext>,
) -> Result<Computed> {
    if input_run.swap(true, Ordering::SeqCst) {
        // Only when this node's computation was dropped before it finished (its consumer stopped
        // reading) while another node of the same query still waits for the result.
        return internal_err!("shared subplan {id} was abandoned while it was computed");
    }
    let memory =
        MemoryConsumer::new(format!("SharedSubplanExec[{id}]")).register(context.memory_pool());
    let streams = (0..input.output_partitioning().partition_count())
        .map(|p| input.execute(p, Arc::clone(&context)))
        .collect::<Result<Vec<_>>>()?;
    let partitions =
        futures::future::try_join_all(streams.into_iter().map(|s| collect(s, &memory))).await?;
    Ok(Computed {
        partitions,
        _memory: memory,
    })
}

/// All batches of `stream`, their memory reserved in `memory`.
async fn collect(
    mut stream: SendableRecordBatchStream,
    memory: &MemoryReservation,
) -> Result<Vec<RecordBatch>> {
    let mut batches = vec![];
    while let Some(batch) = stream.try_next().await? {
        memory.try_grow(batch.get_array_memory_size())?;
        batches.push(batch);
    }
    Ok(batches)
}

impl DisplayAs for SharedSubplanExec {
    fn fmt_as(&self, t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        match t {
            DisplayFormatType::Default | DisplayFormatType::Verbose => {
                write!(f, "SharedSubplanExec: id={}", self.id)
            }
            DisplayFormatType::TreeRender => write!(f, "id={}", self.id),
        }
    }
}

impl ExecutionPlan for SharedSubplanExec {
    fn name(&self) -> &str {
        "SharedSubplanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        vec![false]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(Self::new(
            self.id,
            children.swap_remove(0),
            Arc::clone(&self.result),
        )))
    }

    /// A plan run again (a recursive query's step) computes its result again: the node gets a
    /// result of its own, its input having been reset as well.
    fn reset_state(self: Arc<Self>) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(Self::new(
            self.id,
            Arc::clone(&self.input),
            Arc::default(),
        )))
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let (id, input) = (self.id, Arc::clone(&self.input));
        let (result, input_run) = (Arc::clone(&self.result), Arc::clone(&self.input_run));
        let batches = stream::once(async move {
            let computed = result
                .partitions
                .get_or_try_init(|| compute(id, &input, &input_run, context))
                .await?;
            let Some(batches) = computed.partitions.get(partition) else {
                return internal_err!("shared subplan {id} has no partition {partition}");
            };
            Ok(stream::iter(batches.clone().into_iter().map(Ok)))
        })
        .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema(),
            batches,
        )))
    }
}
