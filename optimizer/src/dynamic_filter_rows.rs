//! Hash joins' dynamic filters applied to the rows a Parquet scan returns, not only to its row
//! groups.
//!
//! When a hash join has built its table, DataFusion pushes a filter of the keys it holds into the
//! scans below its probe side. Without `datafusion.execution.parquet.pushdown_filters` a scan uses
//! that filter only to skip whole row groups and pages, so every row of a big table still flows
//! through the operators between the scan and the join: in TPC-H q17 the 6 million `lineitem` rows
//! of a partial aggregate, of which the join keeps 6,000. Turning row-level pushdown on for every
//! predicate filters those rows, but evaluating the query's own predicates inside the Parquet
//! decoder made TPC-H slower as a whole (docs/benchmarks.md). This rule does the one without the
//! other: above each Parquet scan whose predicate holds join filters, it evaluates them on the
//! decoded batches. Where the query's own filter of the scan's rows makes only cheap comparisons (a
//! date range, a one-letter flag), the join filters go above it, to look up only the rows it keeps;
//! below a filter that compares strings otherwise (an `IN` list, `LIKE`), which costs more per row
//! than a lookup, they go first.
//!
//! Two cases where the filter would cost more than it saves are left out:
//! - the join that made the filter reads the scan's rows straight away: it looks every row up in
//!   its table anyway (TPC-H q9 was 1.18× slower with the filter before its own join). Through a
//!   filter of the query's own, the join filter goes in, to spare the rows it drops the work of
//!   that filter or of the join (q21's 4% of `lineitem` from Saudi suppliers);
//! - a filter that turns out to keep most rows (a join to every supplier) stops being evaluated
//!   once it has seen at least [`TRIAL_ROWS`] rows and kept more than half ([`WhileSelective`]).
//!
//! A dynamic filter holds all the rows that can still matter (it starts as `true`), so filtering
//! with it early, or not at all, changes no result.

use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::datasource::physical_plan::{FileSource, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::error::Result;
use datafusion::logical_expr::{ColumnarValue, Operator};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::{BinaryExpr, Column, Literal};
use datafusion::physical_expr::projection::ProjectionExprs;
use datafusion::physical_expr::utils::{collect_columns, conjunction, split_conjunction};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::coop::CooperativeExec;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::{ExecutionPlan, replace_children_if_necessary};

/// Rows a join filter is tried on, once its join has built its table, before it is judged.
const TRIAL_ROWS: usize = 1 << 16;

/// The rule; it runs after DataFusion's own, once dynamic filters have reached the scans.
#[derive(Debug, Default)]
pub struct DynamicFilterRows;

impl PhysicalOptimizerRule for DynamicFilterRows {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if config.execution.parquet.pushdown_filters {
            return Ok(plan); // the scans filter rows with every predicate already
        }
        let joins = join_filters(&plan)?;
        place(plan, &joins, None)
    }

    fn name(&self) -> &str {
        "hangar_dynamic_filter_rows"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// The ids of the dynamic filters the hash joins of `plan` make, but partitioned joins': their
/// filter (`CASE hash_repartition % n …`) hashes each row once more to find its partition, then
/// looks it up, which is what the join's repartition and probe of the row cost (TPC-H q21's anti
/// join: 204 ms for 3.8 M rows).
fn join_filters(plan: &Arc<dyn ExecutionPlan>) -> Result<HashSet<u64>> {
    let mut ids = HashSet::new();
    plan.apply(|node| {
        if let Some(join) = node.downcast_ref::<HashJoinExec>()
            && *join.partition_mode() != PartitionMode::Partitioned
        {
            ids.extend(produced(node));
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(ids)
}

/// The ids of the dynamic filters `node` makes.
fn produced(node: &Arc<dyn ExecutionPlan>) -> impl Iterator<Item = u64> {
    node.dynamic_expressions_produced()
        .into_iter()
        .filter_map(|filter| filter.expression_id())
}

/// Adds the filters above the scans of `plan`. `own` is the id of the filter of the join that
/// reads `plan`'s rows as they come, as its probe side: that filter is left out.
fn place(
    plan: Arc<dyn ExecutionPlan>,
    joins: &HashSet<u64>,
    own: Option<u64>,
) -> Result<Arc<dyn ExecutionPlan>> {
    if let Some(filter) = join_filters_above(&plan, joins, own) {
        // The filter only saves work: a plan it cannot be put into runs without it.
        return Ok(match FilterExec::try_new(filter, Arc::clone(&plan)) {
            Ok(filtered) => Arc::new(filtered),
            Err(_) => plan,
        });
    }
    let join = plan.is::<HashJoinExec>().then(|| produced(&plan).next());
    let passed_on = own.filter(|_| passes_rows_through(&plan));
    let children = plan
        .children()
        .into_iter()
        .enumerate()
        .map(|(i, child)| {
            let own = match join {
                Some(filter) => filter.filter(|_| i == 1), // the probe side
                None => passed_on,
            };
            place(Arc::clone(child), joins, own)
        })
        .collect::<Result<Vec<_>>>()?;
    replace_children_if_necessary(plan, children)
}

/// Whether `plan` hands on its input's rows as they are, at no cost per row worth saving.
fn passes_rows_through(plan: &Arc<dyn ExecutionPlan>) -> bool {
    plan.is::<ProjectionExec>() || plan.is::<CooperativeExec>()
}

/// Whether `filter` compares strings in a way slower per row than a join filter's lookup, so that
/// the join filter goes first, below it: a term that reads a string column other than by `=` or
/// `<>` with a constant. TPC-H q19's `IN` list of ship modes is one (q19 was 1.5× slower with the
/// lookup after it, or with none); q10's `l_returnflag = 'R'` is not, and the lookup goes after it
/// on the quarter of `lineitem` it keeps.
fn compares_strings_slowly(filter: &FilterExec) -> bool {
    let schema = filter.input().schema();
    let reads_strings = |term: &Arc<dyn PhysicalExpr>| {
        collect_columns(term)
            .iter()
            .any(|column| is_string(schema.field(column.index()).data_type()))
    };
    split_conjunction(filter.predicate())
        .into_iter()
        .any(|term| reads_strings(term) && !is_equality_with_constant(term))
}

/// Whether `term` is `column = constant` or `column <> constant`, either way round.
fn is_equality_with_constant(term: &Arc<dyn PhysicalExpr>) -> bool {
    let Some(binary) = term.downcast_ref::<BinaryExpr>() else {
        return false;
    };
    let (left, right) = (binary.left(), binary.right());
    matches!(binary.op(), Operator::Eq | Operator::NotEq)
        && ((left.is::<Column>() && right.is::<Literal>())
            || (left.is::<Literal>() && right.is::<Column>()))
}

/// Whether values of `data_type` are strings or bytes.
fn is_string(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, values) => is_string(values),
        other => other.is_string() || other.is_binary(),
    }
}

/// The join filters to evaluate on `node`'s output: above the query's own filter of a scan where
/// it makes only cheap comparisons (numbers, dates, a string equal to a constant), so that the
/// lookups are made only for the rows it keeps, its own join's filter included; else above the
/// scan itself, but `own`.
fn join_filters_above(
    node: &Arc<dyn ExecutionPlan>,
    joins: &HashSet<u64>,
    own: Option<u64>,
) -> Option<Arc<dyn PhysicalExpr>> {
    let Some(filter) = node.downcast_ref::<FilterExec>() else {
        return join_filters_of(node, joins, own);
    };
    if compares_strings_slowly(filter) {
        return None;
    }
    let filters = join_filters_of(filter.input(), joins, None)?;
    let projection = filter
        .projection()
        .as_ref()
        .map(|columns| ProjectionExprs::from_indices(columns, &filter.input().schema()));
    // `None` when the filter drops a column the join filters read: they go below it then.
    on_output(&filters, projection.as_ref())
}

/// The join filters of `node`'s predicate but `own`, on its output columns, if `node` is a Parquet
/// scan that does not filter rows itself.
fn join_filters_of(
    node: &Arc<dyn ExecutionPlan>,
    joins: &HashSet<u64>,
    own: Option<u64>,
) -> Option<Arc<dyn PhysicalExpr>> {
    let scan = node.downcast_ref::<DataSourceExec>()?;
    let (_, parquet) = scan.downcast_to_file_source::<ParquetSource>()?;
    if parquet.table_parquet_options().global.pushdown_filters {
        return None;
    }
    let projection = parquet.projection();
    let predicate = parquet.filter()?;
    let filters: Vec<_> = split_conjunction(&predicate)
        .into_iter()
        .filter(|expr| {
            expr.expression_id()
                .is_some_and(|id| joins.contains(&id) && Some(id) != own)
        })
        .filter_map(|expr| on_output(expr, projection))
        .map(|filter| Arc::new(WhileSelective::new(filter)) as Arc<dyn PhysicalExpr>)
        .collect();
    (!filters.is_empty()).then(|| conjunction(filters))
}

/// `expr`, written on the scan's table columns, rewritten on its output columns; `None` if it reads
/// a column the scan does not return.
fn on_output(
    expr: &Arc<dyn PhysicalExpr>,
    projection: Option<&ProjectionExprs>,
) -> Option<Arc<dyn PhysicalExpr>> {
    match projection {
        Some(projection) => projection.project_expr(expr).ok(),
        None => Some(Arc::clone(expr)),
    }
}

/// A join filter that, once its join has built its table, counts the rows it keeps, in all
/// partitions together: as soon as it has seen [`TRIAL_ROWS`] rows or more and kept more than half
/// of them, it lets every row through from then on without looking them up.
#[derive(Debug)]
struct WhileSelective {
    filter: Arc<dyn PhysicalExpr>,
    trial: Arc<Trial>,
}

/// What a [`WhileSelective`] has seen, shared by the scan's partitions.
#[derive(Debug, Default)]
struct Trial {
    seen: AtomicUsize,
    kept: AtomicUsize,
    given_up: AtomicBool,
}

impl WhileSelective {
    fn new(filter: Arc<dyn PhysicalExpr>) -> Self {
        Self {
            filter,
            trial: Arc::default(),
        }
    }

    /// Counts the rows `result` kept of `rows`, and gives up if the trial is over and too many
    /// were kept.
    fn judge(&self, result: &ColumnarValue, rows: usize) {
        let kept = match result {
            ColumnarValue::Array(array) => array.as_boolean().true_count(),
            ColumnarValue::Scalar(ScalarValue::Boolean(Some(true))) => rows,
            ColumnarValue::Scalar(_) => 0,
        };
        let seen = self.trial.seen.fetch_add(rows, Ordering::Relaxed) + rows;
        let kept = self.trial.kept.fetch_add(kept, Ordering::Relaxed) + kept;
        if seen >= TRIAL_ROWS && kept * 2 > seen {
            self.trial.given_up.store(true, Ordering::Relaxed);
        }
    }
}

impl PhysicalExpr for WhileSelective {
    fn data_type(&self, _input_schema: &Schema) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn nullable(&self, input_schema: &Schema) -> Result<bool> {
        self.filter.nullable(input_schema)
    }

    fn evaluate(&self, batch: &RecordBatch) -> Result<ColumnarValue> {
        if self.trial.given_up.load(Ordering::Relaxed) {
            return Ok(ColumnarValue::Scalar(ScalarValue::Boolean(Some(true))));
        }
        let result = self.filter.evaluate(batch)?;
        // Generation 1 is the filter's first state, `true`, before the join has built its table.
        if self.filter.snapshot_generation() > 1 {
            self.judge(&result, batch.num_rows());
        }
        Ok(result)
    }

    fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
        vec![&self.filter]
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn PhysicalExpr>>,
    ) -> Result<Arc<dyn PhysicalExpr>> {
        Ok(Arc::new(Self {
            filter: children.swap_remove(0),
            trial: Arc::clone(&self.trial),
        }))
    }

    fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.filter.fmt_sql(f)
    }
}

impl fmt::Display for WhileSelective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WhileSelective({})", self.filter)
    }
}

impl PartialEq for WhileSelective {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.trial, &other.trial) && self.filter.eq(&other.filter)
    }
}

impl Eq for WhileSelective {}

impl Hash for WhileSelective {
    fn hash<H: Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.trial).hash(state);
        self.filter.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::arrow::datatypes::Field;
    use datafusion::logical_expr::Operator;
    use datafusion::physical_expr::expressions::{
        BinaryExpr, Column, DynamicFilterPhysicalExpr, lit,
    };

    use super::*;

    /// A batch of one column `a` holding 0 to `rows - 1`.
    fn batch(rows: i64) -> RecordBatch {
        let schema = Schema::new(vec![Field::new("a", DataType::Int64, false)]);
        let a: ArrayRef = Arc::new(Int64Array::from_iter_values(0..rows));
        RecordBatch::try_new(Arc::new(schema), vec![a]).unwrap()
    }

    /// A dynamic filter on `a`, set to `a < below` as a join's would be once built.
    fn built_filter(below: i64) -> Arc<dyn PhysicalExpr> {
        let a: Arc<dyn PhysicalExpr> = Arc::new(Column::new("a", 0));
        let filter = DynamicFilterPhysicalExpr::new(vec![Arc::clone(&a)], lit(true));
        filter
            .update(Arc::new(BinaryExpr::new(a, Operator::Lt, lit(below))))
            .unwrap();
        Arc::new(filter)
    }

    fn kept(filter: &WhileSelective, batch: &RecordBatch) -> usize {
        match filter.evaluate(batch).unwrap() {
            ColumnarValue::Array(array) => array.as_boolean().true_count(),
            ColumnarValue::Scalar(value) => {
                assert_eq!(value, ScalarValue::Boolean(Some(true)));
                batch.num_rows()
            }
        }
    }

    #[test]
    fn a_selective_filter_goes_on_filtering() {
        let filter = WhileSelective::new(built_filter(100));
        let batch = batch(1000);
        for _ in 0..2 * TRIAL_ROWS / 1000 {
            assert_eq!(kept(&filter, &batch), 100);
        }
    }

    #[test]
    fn a_filter_that_keeps_most_rows_gives_up_after_its_trial() {
        let filter = WhileSelective::new(built_filter(900));
        let batch = batch(1000);
        for _ in 0..TRIAL_ROWS / 1000 {
            assert_eq!(kept(&filter, &batch), 900);
        }
        assert_eq!(kept(&filter, &batch), 900, "the trial's last batch");
        assert_eq!(kept(&filter, &batch), 1000, "given up");
    }

    #[test]
    fn rows_before_the_join_has_built_do_not_count() {
        let a: Arc<dyn PhysicalExpr> = Arc::new(Column::new("a", 0));
        let unbuilt = Arc::new(DynamicFilterPhysicalExpr::new(vec![a], lit(true)));
        let filter = WhileSelective::new(unbuilt);
        let batch = batch(1000);
        for _ in 0..2 * TRIAL_ROWS / 1000 {
            assert_eq!(kept(&filter, &batch), 1000);
        }
        assert_eq!(filter.trial.seen.load(Ordering::Relaxed), 0);
    }
}
