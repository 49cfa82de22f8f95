//! Filters whose predicate is a conjunction evaluate its later terms only on the rows the earlier
//! ones kept, once those are few.
//!
//! DataFusion evaluates `a AND b` on a batch as a tree of binary expressions. Where `a` keeps at
//! most a fifth of the rows, it evaluates `b` on those rows only, then scatters the result back into
//! a mask of the batch's length, one run of kept rows at a time. For rows kept here and there (a
//! date range over a table in key order) the runs are one row long, and a left-deep chain of
//! `AND`s filters every column of the batch and scatters once per term: a profile of TPC-H q6,
//! whose year of ship dates keeps a seventh of `lineitem` before its discount and quantity terms,
//! put a fifth of the query in that scatter and its slicing.
//!
//! [`NarrowingAnd`] evaluates the terms in their order, combining their masks, until the rows still
//! kept are at most a fifth of the batch. Then it takes only the columns the remaining terms read,
//! keeps only those rows of them, evaluates the remaining terms there, and writes their combined
//! result into the mask in one pass over its set bits. The terms that compare numbers or dates
//! plainly (a column with a constant or another column) go first, in the plan's order, then the
//! others in theirs: in TPC-H q12 the year of receipt dates keeps 15% of `lineitem`
//! before its `OR` of two ship modes. Each term is evaluated on a subset of the rows the one before
//! saw, and the terms moved forward cannot fail, so a term never sees a row that DataFusion would
//! have spared it.
//!
//! As a filter's predicate, a row is kept when every term is true: a term's `NULL` drops the row as
//! `false` does, so the mask has no nulls.

use std::collections::BTreeSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, AsArray, BooleanArray};
use datafusion::arrow::buffer::BooleanBuffer;
use datafusion::arrow::compute::filter_record_batch;
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::bit_util;
use datafusion::common::ScalarValue;
use datafusion::common::config::ConfigOptions;
use datafusion::error::Result;
use datafusion::logical_expr::{ColumnarValue, Operator};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::{BinaryExpr, Column, Literal};
use datafusion::physical_expr::projection::ProjectionExprs;
use datafusion::physical_expr::utils::{collect_columns, split_conjunction};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::filter::{FilterExec, FilterExecBuilder};

use crate::rewrite::{replace_nodes, same_properties};

/// The share of a batch's rows at or under which the remaining terms are evaluated on the kept
/// rows only: DataFusion's own threshold for `AND`.
const NARROW_AT: f64 = 0.2;

/// The rule: gives every filter whose predicate has two terms or more a [`NarrowingAnd`]. It runs
/// after DataFusion's rules, which read the predicate's terms for the plan's properties.
#[derive(Debug, Default)]
pub struct NarrowFilters;

impl PhysicalOptimizerRule for NarrowFilters {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        replace_nodes(plan, |node| {
            Ok(node
                .downcast_ref::<FilterExec>()
                .and_then(narrowed)
                .map(|narrowed| Arc::new(narrowed) as Arc<dyn ExecutionPlan>))
        })
    }

    fn name(&self) -> &str {
        "hangar_narrow_filters"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// `filter` with a [`NarrowingAnd`] for its predicate, if that has two terms or more and the plan's
/// properties stay as they were (DataFusion derives constants and equal columns from the terms,
/// which the operators above may rely on).
fn narrowed(filter: &FilterExec) -> Option<FilterExec> {
    // A `NarrowingAnd` is one term, so a filter is never narrowed twice.
    let terms: Vec<_> = split_conjunction(filter.predicate())
        .into_iter()
        .cloned()
        .collect();
    if terms.len() < 2 {
        return None;
    }
    let schema = filter.input().schema();
    let (mut first, rest): (Vec<_>, Vec<_>) = terms
        .into_iter()
        .partition(|term| is_plain_comparison(term, &schema));
    first.extend(rest);
    let predicate = Arc::new(NarrowingAnd::new(first));
    let narrowed = FilterExecBuilder::from(filter)
        .with_predicate(predicate)
        .build()
        .ok()?;
    same_properties(filter, &narrowed).then_some(narrowed)
}

/// Whether `term` compares two columns or a column and a constant, of numbers or dates: it
/// cannot fail, and costs less per row than the other terms a filter may have (strings, `OR`s,
/// functions). Such terms go first; the others then see only the rows those keep, never a row
/// DataFusion's order would have spared them.
fn is_plain_comparison(term: &Arc<dyn PhysicalExpr>, schema: &Schema) -> bool {
    let Some(binary) = term.downcast_ref::<BinaryExpr>() else {
        return false;
    };
    let plain = |side: &Arc<dyn PhysicalExpr>| {
        (side.is::<Column>() || side.is::<Literal>())
            && side
                .data_type(schema)
                .is_ok_and(|data_type| data_type.is_primitive())
    };
    matches!(
        binary.op(),
        Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
    ) && plain(binary.left())
        && plain(binary.right())
}

/// A conjunction evaluated as a filter's predicate: true where every term is true, false elsewhere
/// (see the module's documentation).
#[derive(Debug)]
pub(crate) struct NarrowingAnd {
    /// The terms, on the batch's columns, in the order they are evaluated.
    terms: Vec<Arc<dyn PhysicalExpr>>,
    /// For each term after the first, made when first needed: the columns it and the later terms
    /// read, and those terms rewritten on just these columns.
    rests: Vec<OnceLock<Rest>>,
}

/// The terms from one on, for evaluating on fewer rows and columns.
#[derive(Debug)]
struct Rest {
    columns: Vec<usize>,
    terms: Vec<Arc<dyn PhysicalExpr>>,
}

impl NarrowingAnd {
    fn new(terms: Vec<Arc<dyn PhysicalExpr>>) -> Self {
        let rests = (1..terms.len()).map(|_| OnceLock::new()).collect();
        Self { terms, rests }
    }

    /// The terms from `from` (one or more) on, for batches of `schema`.
    fn rest(&self, from: usize, schema: &Schema) -> Result<&Rest> {
        let slot = &self.rests[from - 1];
        if let Some(rest) = slot.get() {
            return Ok(rest);
        }
        let rest = Rest::new(&self.terms[from..], schema)?;
        Ok(slot.get_or_init(|| rest))
    }
}

impl Rest {
    fn new(terms: &[Arc<dyn PhysicalExpr>], schema: &Schema) -> Result<Self> {
        let columns: Vec<usize> = terms
            .iter()
            .flat_map(collect_columns)
            .map(|column| column.index())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let projection = ProjectionExprs::from_indices(&columns, schema);
        let terms = terms
            .iter()
            .map(|term| projection.project_expr(term))
            .collect::<Result<_>>()?;
        Ok(Self { columns, terms })
    }
}

/// `kept` narrowed to where `truth` holds too; `None` stands for every row.
fn and(kept: Option<BooleanBuffer>, truth: Option<BooleanBuffer>) -> Option<BooleanBuffer> {
    match (kept, truth) {
        (Some(kept), Some(truth)) => Some(&kept & &truth),
        (kept, None) => kept,
        (None, truth) => truth,
    }
}

/// Where `value`, one term's result on `rows` rows, is true; `None` where it is true everywhere.
fn truth(value: ColumnarValue, rows: usize) -> Option<BooleanBuffer> {
    match value {
        ColumnarValue::Scalar(ScalarValue::Boolean(Some(true))) => None,
        ColumnarValue::Scalar(_) => Some(BooleanBuffer::new_unset(rows)),
        ColumnarValue::Array(array) => {
            let array = array.as_boolean();
            Some(match array.logical_nulls() {
                Some(valid) => array.values() & valid.inner(),
                None => array.values().clone(),
            })
        }
    }
}

/// Where every one of `terms` is true on `batch`; `None` where all are true everywhere.
fn all_true(terms: &[Arc<dyn PhysicalExpr>], batch: &RecordBatch) -> Result<Option<BooleanBuffer>> {
    let rows = batch.num_rows();
    let mut kept = None;
    for term in terms {
        kept = and(kept, truth(term.evaluate(batch)?, rows));
    }
    Ok(kept)
}

/// `kept` with the rows it keeps narrowed by `within`, which has one value per kept row, in order.
fn scatter(kept: &BooleanBuffer, within: &BooleanBuffer) -> BooleanBuffer {
    let mut bits = vec![0u8; kept.len().div_ceil(8)];
    for (position, keep) in kept.set_indices().zip(within.iter()) {
        if keep {
            bit_util::set_bit(&mut bits, position);
        }
    }
    BooleanBuffer::new(bits.into(), 0, kept.len())
}

impl PhysicalExpr for NarrowingAnd {
    fn data_type(&self, _input_schema: &Schema) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn nullable(&self, _input_schema: &Schema) -> Result<bool> {
        Ok(false)
    }

    fn evaluate(&self, batch: &RecordBatch) -> Result<ColumnarValue> {
        let rows = batch.num_rows();
        let mut kept: Option<BooleanBuffer> = None;
        for (index, term) in self.terms.iter().enumerate() {
            if let Some(so_far) = &kept {
                let count = so_far.count_set_bits();
                if count == 0 {
                    break;
                }
                if count as f64 <= rows as f64 * NARROW_AT {
                    let rest = self.rest(index, &batch.schema())?;
                    let mask = BooleanArray::new(so_far.clone(), None);
                    let subset = filter_record_batch(&batch.project(&rest.columns)?, &mask)?;
                    if let Some(within) = all_true(&rest.terms, &subset)? {
                        kept = Some(scatter(so_far, &within));
                    }
                    break;
                }
            }
            kept = and(kept, truth(term.evaluate(batch)?, rows));
        }
        let kept = kept.unwrap_or_else(|| BooleanBuffer::new_set(rows));
        Ok(ColumnarValue::Array(Arc::new(BooleanArray::new(
            kept, None,
        ))))
    }

    fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
        self.terms.iter().collect()
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn PhysicalExpr>>,
    ) -> Result<Arc<dyn PhysicalExpr>> {
        Ok(Arc::new(Self::new(children)))
    }

    fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_terms(f, |term, f| term.fmt_sql(f))
    }
}

impl NarrowingAnd {
    /// Writes the terms joined by `AND`, each with `write`.
    fn write_terms(
        &self,
        f: &mut fmt::Formatter<'_>,
        write: impl Fn(&Arc<dyn PhysicalExpr>, &mut fmt::Formatter<'_>) -> fmt::Result,
    ) -> fmt::Result {
        for (index, term) in self.terms.iter().enumerate() {
            if index > 0 {
                write!(f, " AND ")?;
            }
            write(term, f)?;
        }
        Ok(())
    }
}

/// Shown as the conjunction it evaluates, so that plans read as before.
impl fmt::Display for NarrowingAnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_terms(f, |term, f| write!(f, "{term}"))
    }
}

impl PartialEq for NarrowingAnd {
    fn eq(&self, other: &Self) -> bool {
        self.terms == other.terms
    }
}

impl Eq for NarrowingAnd {}

impl Hash for NarrowingAnd {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.terms.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::arrow::datatypes::Field;
    use datafusion::datasource::memory::MemorySourceConfig;
    use datafusion::physical_expr::expressions::lit;
    use datafusion::physical_expr::utils::conjunction;

    use super::*;

    /// `a` holds 0 to 999, `b` every tenth value null and the rest `a % 7`, `c` is `a % 3`.
    fn batch() -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Int64, true),
            Field::new("c", DataType::Int64, false),
        ]);
        let a: ArrayRef = Arc::new(Int64Array::from_iter_values(0..1000));
        let b: ArrayRef = Arc::new(Int64Array::from_iter(
            (0..1000).map(|v| (v % 10 != 0).then_some(v % 7)),
        ));
        let c: ArrayRef = Arc::new(Int64Array::from_iter_values((0..1000).map(|v| v % 3)));
        RecordBatch::try_new(Arc::new(schema), vec![a, b, c]).unwrap()
    }

    fn column(name: &str, index: usize) -> Arc<dyn PhysicalExpr> {
        Arc::new(Column::new(name, index))
    }

    fn compare(left: Arc<dyn PhysicalExpr>, op: Operator, value: i64) -> Arc<dyn PhysicalExpr> {
        Arc::new(BinaryExpr::new(left, op, lit(value)))
    }

    /// A term that passes `inner` through and records how many rows each batch it saw had.
    #[derive(Debug)]
    struct Counted {
        inner: Arc<dyn PhysicalExpr>,
        seen: Arc<Mutex<Vec<usize>>>,
    }

    impl PhysicalExpr for Counted {
        fn data_type(&self, schema: &Schema) -> Result<DataType> {
            self.inner.data_type(schema)
        }
        fn nullable(&self, schema: &Schema) -> Result<bool> {
            self.inner.nullable(schema)
        }
        fn evaluate(&self, batch: &RecordBatch) -> Result<ColumnarValue> {
            self.seen.lock().unwrap().push(batch.num_rows());
            self.inner.evaluate(batch)
        }
        fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
            vec![&self.inner]
        }
        fn with_new_children(
            self: Arc<Self>,
            mut children: Vec<Arc<dyn PhysicalExpr>>,
        ) -> Result<Arc<dyn PhysicalExpr>> {
            Ok(Arc::new(Self {
                inner: children.swap_remove(0),
                seen: Arc::clone(&self.seen),
            }))
        }
        fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt_sql(f)
        }
    }

    impl fmt::Display for Counted {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}", self.inner)
        }
    }

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            self.inner.eq(&other.inner)
        }
    }

    impl Eq for Counted {}

    impl Hash for Counted {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.inner.hash(state);
        }
    }

    /// The rows `predicate` keeps of [`batch`].
    fn kept(predicate: &Arc<dyn PhysicalExpr>) -> RecordBatch {
        let batch = batch();
        let mask = predicate
            .evaluate(&batch)
            .unwrap()
            .into_array(1000)
            .unwrap();
        filter_record_batch(&batch, mask.as_boolean()).unwrap()
    }

    #[test]
    fn keeps_the_rows_datafusion_keeps() {
        let (a, b, c) = (column("a", 0), column("b", 1), column("c", 2));
        let cases = [
            // selective first: the rest is evaluated on 100 rows
            vec![
                compare(Arc::clone(&a), Operator::Lt, 100),
                compare(Arc::clone(&b), Operator::Gt, 2),
            ],
            // not selective until the third term, and NULLs of `b` in between
            vec![
                compare(Arc::clone(&a), Operator::GtEq, 300),
                compare(Arc::clone(&b), Operator::Lt, 2),
                compare(Arc::clone(&c), Operator::Eq, 1),
                compare(Arc::clone(&a), Operator::Lt, 900),
            ],
            // nothing kept after the first term
            vec![
                compare(Arc::clone(&a), Operator::Lt, 0),
                compare(Arc::clone(&b), Operator::Eq, 1),
            ],
            // a constant term
            vec![
                lit(true),
                compare(Arc::clone(&c), Operator::Eq, 0),
                lit(true),
            ],
        ];
        for terms in cases {
            let expected = kept(&conjunction(terms.clone()));
            let narrowing: Arc<dyn PhysicalExpr> = Arc::new(NarrowingAnd::new(terms));
            assert_eq!(kept(&narrowing), expected, "{narrowing}");
        }
    }

    #[test]
    fn later_terms_see_only_the_rows_kept_once_they_are_few() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let counted = |term| -> Arc<dyn PhysicalExpr> {
            Arc::new(Counted {
                inner: term,
                seen: Arc::clone(&seen),
            })
        };
        // `a >= 300` keeps 700 rows, `a < 450` 150 of them: then `c = 1` sees those 150 only,
        // on a batch of the one column it reads.
        let narrowing = NarrowingAnd::new(vec![
            counted(compare(column("a", 0), Operator::GtEq, 300)),
            counted(compare(column("a", 0), Operator::Lt, 450)),
            counted(compare(column("c", 2), Operator::Eq, 1)),
        ]);
        assert_eq!(
            narrowing.to_string(),
            "a@0 >= 300 AND a@0 < 450 AND c@2 = 1"
        );
        let result = narrowing.evaluate(&batch()).unwrap();
        assert_eq!(*seen.lock().unwrap(), [1000, 1000, 150]);
        assert_eq!(
            result.into_array(1000).unwrap().as_boolean().true_count(),
            50
        );
        assert_eq!(narrowing.rest(2, &batch().schema()).unwrap().columns, [2]);
    }

    #[test]
    fn the_rule_leaves_filters_whose_terms_give_the_plan_its_properties() {
        let batch = batch();
        let input =
            MemorySourceConfig::try_new_exec(&[vec![batch.clone()]], batch.schema(), None).unwrap();
        let filter = |terms| -> Arc<dyn ExecutionPlan> {
            Arc::new(FilterExec::try_new(conjunction(terms), Arc::clone(&input) as _).unwrap())
        };
        let optimized = |plan| {
            NarrowFilters
                .optimize(plan, &ConfigOptions::default())
                .unwrap()
        };
        let narrowed = |plan: Arc<dyn ExecutionPlan>| {
            plan.downcast_ref::<FilterExec>()
                .unwrap()
                .predicate()
                .is::<NarrowingAnd>()
        };
        let (a, c) = (column("a", 0), column("c", 2));
        let range = vec![
            compare(Arc::clone(&a), Operator::GtEq, 300),
            compare(Arc::clone(&a), Operator::Lt, 450),
        ];
        assert!(narrowed(optimized(filter(range.clone()))));
        // Optimized again, the filter keeps its two terms under one `NarrowingAnd`.
        let twice = optimized(optimized(filter(range)));
        let predicate = twice.downcast_ref::<FilterExec>().unwrap().predicate();
        assert_eq!(predicate.children().len(), 2, "{predicate}");
        // A plain comparison goes before a term that computes.
        let weekly = Arc::new(BinaryExpr::new(Arc::clone(&a), Operator::Modulo, lit(7i64)));
        let mixed = vec![
            compare(weekly, Operator::Lt, 3),
            compare(Arc::clone(&a), Operator::GtEq, 300),
        ];
        let reordered = optimized(filter(mixed));
        let predicate = reordered.downcast_ref::<FilterExec>().unwrap().predicate();
        assert_eq!(predicate.to_string(), "a@0 >= 300 AND a@0 % 7 < 3");
        let one_term = vec![compare(Arc::clone(&a), Operator::Lt, 450)];
        assert!(!narrowed(optimized(filter(one_term))));
        // `c = 1` makes `c` a constant of the filter's output.
        let constant = vec![
            compare(Arc::clone(&c), Operator::Eq, 1),
            compare(a, Operator::Lt, 450),
        ];
        assert!(!narrowed(optimized(filter(constant))));
    }
}
