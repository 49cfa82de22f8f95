//! Decimal `+`, `-` and `*` without a check of every value for overflow, where the batch's values
//! are too small to overflow.
//!
//! Arrow computes decimal arithmetic with checked 128-bit operations: one fallible call per value,
//! which the compiler cannot vectorize, into a zeroed buffer. A profile of TPC-H q1, whose
//! aggregates compute `l_extendedprice * (1 - l_discount) * (1 + l_tax)` over 6 million rows, put
//! about 30% of the query there.
//!
//! [`UncheckedDecimals`] evaluates its operands, bounds the magnitudes of each (a pass that reads
//! the values and nothing else), and where these bound the result within `i128` it computes every
//! value with plain wrapping operations, which cannot wrap then; factors that fit in 64 bits are
//! multiplied as such. Otherwise it computes as
//! DataFusion does, with arrow's checked kernels, and fails as they fail. The result is the same
//! either way, value for value, with the same nulls and the same type.
//!
//! The rule [`UncheckDecimals`] gives the expressions that projections compute and that aggregates
//! read their arguments from such a node for every decimal `+`, `-` and `*`. It leaves a
//! projection as DataFusion planned it if the rewrite would change its properties (orderings and
//! equivalences derived from the expressions).

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::buffer::{MutableBuffer, NullBuffer};
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::error::Result;
use datafusion::logical_expr::{ColumnarValue, Operator};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::BinaryExpr;
use datafusion::physical_expr_common::datum::apply;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode};
use datafusion::physical_plan::projection::{ProjectionExec, ProjectionExpr};

use crate::rewrite::{replace_nodes, same_properties};

/// The rule (see the module's documentation). It runs after DataFusion's rules.
#[derive(Debug, Default)]
pub struct UncheckDecimals;

impl PhysicalOptimizerRule for UncheckDecimals {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        replace_nodes(plan, |node| {
            if let Some(projection) = node.downcast_ref::<ProjectionExec>() {
                rewrite_projection(projection)
            } else if let Some(aggregate) = node.downcast_ref::<AggregateExec>() {
                rewrite_aggregate(aggregate)
            } else {
                Ok(None)
            }
        })
    }

    fn name(&self) -> &str {
        "hangar_uncheck_decimals"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// `projection` computing its decimal arithmetic with [`UncheckedDecimals`], if it has any and its
/// properties stay as they were.
fn rewrite_projection(projection: &ProjectionExec) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let schema = projection.input().schema();
    let mut changed = false;
    let exprs = projection
        .expr()
        .iter()
        .map(|projected| {
            let expr = unchecked(&projected.expr, &schema)?;
            changed |= expr.transformed;
            Ok(ProjectionExpr::new(expr.data, projected.alias.clone()))
        })
        .collect::<Result<Vec<_>>>()?;
    if !changed {
        return Ok(None);
    }
    let rewritten = ProjectionExec::try_new(exprs, Arc::clone(projection.input()))?;
    Ok(same_properties(projection, &rewritten).then(|| Arc::new(rewritten) as _))
}

/// `aggregate` reading its arguments through [`UncheckedDecimals`], if it evaluates arguments (a
/// final aggregate merges states) and they have decimal arithmetic.
fn rewrite_aggregate(aggregate: &AggregateExec) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    if matches!(
        aggregate.mode(),
        AggregateMode::Final | AggregateMode::FinalPartitioned
    ) {
        return Ok(None);
    }
    let schema = aggregate.input_schema();
    let mut changed = false;
    let mut functions = Vec::with_capacity(aggregate.aggr_expr().len());
    for function in aggregate.aggr_expr() {
        let args = function
            .expressions()
            .iter()
            .map(|arg| {
                let arg = unchecked(arg, &schema)?;
                changed |= arg.transformed;
                Ok(arg.data)
            })
            .collect::<Result<Vec<_>>>()?;
        let order_by = function
            .order_bys()
            .iter()
            .map(|sort| Arc::clone(&sort.expr))
            .collect();
        match function.with_new_expressions(args, order_by) {
            Some(rewritten) => functions.push(Arc::new(rewritten)),
            None => return Ok(None),
        }
    }
    Ok(changed.then(|| Arc::new(aggregate.with_new_aggr_exprs(functions)) as _))
}

/// `expr` with every decimal `+`, `-` and `*` in it evaluated by [`UncheckedDecimals`].
fn unchecked(
    expr: &Arc<dyn PhysicalExpr>,
    schema: &Schema,
) -> Result<Transformed<Arc<dyn PhysicalExpr>>> {
    unchecked_under(expr, schema, 0)
}

/// [`unchecked`] for an expression under DataFusion's binary operator of `precedence` (0 under
/// anything else). An operation that binds less tightly than that operator stays DataFusion's,
/// which shows it in parentheses there: `(a + b) / c` still reads so. Under an
/// [`UncheckedDecimals`], which shows its operands as DataFusion does, any operation can go.
fn unchecked_under(
    expr: &Arc<dyn PhysicalExpr>,
    schema: &Schema,
    precedence: u8,
) -> Result<Transformed<Arc<dyn PhysicalExpr>>> {
    let binary = expr.downcast_ref::<BinaryExpr>();
    let unchecked = match binary {
        Some(binary) if binary.op().precedence() >= precedence => {
            UncheckedDecimals::of(binary, schema)?
        }
        _ => None,
    };
    let under = match (binary, &unchecked) {
        (Some(binary), None) => binary.op().precedence(),
        _ => 0,
    };
    let mut changed = false;
    let children = expr
        .children()
        .into_iter()
        .map(|child| {
            let child = unchecked_under(child, schema, under)?;
            changed |= child.transformed;
            Ok(child.data)
        })
        .collect::<Result<Vec<_>>>()?;
    let (expr, replaced) = match unchecked {
        Some(unchecked) => (Arc::new(unchecked) as Arc<dyn PhysicalExpr>, true),
        None => (Arc::clone(expr), false),
    };
    let expr = match changed {
        true => expr.with_new_children(children)?,
        false => expr,
    };
    Ok(Transformed::new_transformed(expr, changed || replaced))
}

/// The precedence of a binary operator's expression, DataFusion's or an [`UncheckedDecimals`].
fn binary_precedence(expr: &dyn PhysicalExpr) -> Option<u8> {
    match expr.downcast_ref::<UncheckedDecimals>() {
        Some(unchecked) => Some(unchecked.binary.op().precedence()),
        None => expr
            .downcast_ref::<BinaryExpr>()
            .map(|binary| binary.op().precedence()),
    }
}

/// A decimal `+`, `-` or `*` (see the module's documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct UncheckedDecimals {
    /// DataFusion's expression: its operands, its operator, and how it displays.
    binary: Arc<BinaryExpr>,
    /// The result's type, `Decimal128(precision, scale)`.
    data_type: DataType,
    /// What the left and right values are multiplied by to bring them to the result's scale
    /// (`+` and `-`; one for `*`).
    scales: (i128, i128),
}

impl UncheckedDecimals {
    /// The unchecked form of `binary`, if it adds, subtracts or multiplies two `Decimal128`s.
    fn of(binary: &BinaryExpr, schema: &Schema) -> Result<Option<Self>> {
        let decimal = |expr: &Arc<dyn PhysicalExpr>| match expr.data_type(schema)? {
            DataType::Decimal128(_, scale) => Ok(Some(scale)),
            _ => Ok::<_, datafusion::error::DataFusionError>(None),
        };
        let (Some(left), Some(right)) = (decimal(binary.left())?, decimal(binary.right())?) else {
            return Ok(None);
        };
        let data_type = binary.data_type(schema)?;
        let DataType::Decimal128(_, scale) = data_type else {
            return Ok(None);
        };
        let scales = match binary.op() {
            Operator::Multiply => (1, 1),
            Operator::Plus | Operator::Minus => {
                let power = |from: i8| 10i128.checked_pow(u32::try_from(scale - from).ok()?);
                match (power(left), power(right)) {
                    (Some(left), Some(right)) => (left, right),
                    _ => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Self {
            binary: Arc::new(binary.clone()),
            data_type,
            scales,
        }))
    }

    /// The result computed with wrapping operations, if the operands' magnitudes rule out
    /// overflow; `None` where they do not, or an operand is a constant NULL.
    fn without_checks(&self, left: &ColumnarValue, right: &ColumnarValue) -> Option<ArrayRef> {
        let (l, r) = (magnitude(left)?, magnitude(right)?);
        let (l_scale, r_scale) = self.scales;
        let bound = match self.binary.op() {
            Operator::Multiply => l.checked_mul(r)?,
            _ => l
                .checked_mul(l_scale.unsigned_abs())?
                .checked_add(r.checked_mul(r_scale.unsigned_abs())?)?,
        };
        if bound > i128::MAX as u128 {
            return None;
        }
        let values = match (self.binary.op(), self.scales) {
            // Factors that fit in 64 bits multiply in one widening instruction.
            (Operator::Multiply, _) if l <= i64::MAX as u128 && r <= i64::MAX as u128 => {
                compute(left, right, |a, b| (a as i64 as i128) * (b as i64 as i128))
            }
            (Operator::Multiply, _) => compute(left, right, |a, b| a.wrapping_mul(b)),
            (Operator::Plus, (1, 1)) => compute(left, right, |a, b| a.wrapping_add(b)),
            (Operator::Minus, (1, 1)) => compute(left, right, |a, b| a.wrapping_sub(b)),
            (Operator::Plus, (l, r)) => compute(left, right, |a, b| {
                a.wrapping_mul(l).wrapping_add(b.wrapping_mul(r))
            }),
            (_, (l, r)) => compute(left, right, |a, b| {
                a.wrapping_mul(l).wrapping_sub(b.wrapping_mul(r))
            }),
        }?;
        Some(Arc::new(values.with_data_type(self.data_type.clone())))
    }
}

/// `op` of each pair of values, NULL where either is; `None` for two constants. The values go into
/// a buffer allocated as arrow's kernels allocate theirs (a `Vec` of 128 KiB per batch made the
/// allocator hand memory back and fault it in again: 14 times the page faults on TPC-H q1).
fn compute(
    left: &ColumnarValue,
    right: &ColumnarValue,
    op: impl Fn(i128, i128) -> i128,
) -> Option<PrimitiveArray<Decimal128Type>> {
    Some(match (left, right) {
        (ColumnarValue::Array(a), ColumnarValue::Array(b)) => {
            let (a, b) = (decimals(a), decimals(b));
            let values: MutableBuffer = a
                .values()
                .iter()
                .zip(b.values().iter())
                .map(|(a, b)| op(*a, *b))
                .collect();
            PrimitiveArray::new(values.into(), NullBuffer::union(a.nulls(), b.nulls()))
        }
        (ColumnarValue::Scalar(a), ColumnarValue::Array(b)) => {
            let a = decimal_value(a)?;
            decimals(b).unary(|b| op(a, b))
        }
        (ColumnarValue::Array(a), ColumnarValue::Scalar(b)) => {
            let b = decimal_value(b)?;
            decimals(a).unary(|a| op(a, b))
        }
        (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)) => return None,
    })
}

/// An operand's values, known to be `Decimal128`s.
fn decimals(array: &ArrayRef) -> &PrimitiveArray<Decimal128Type> {
    array.as_primitive::<Decimal128Type>()
}

/// A bound on the magnitudes of an operand's values (nulls' slots included), at most twice the
/// largest; `None` for a NULL constant. For an array it is the power of two above the bitwise OR
/// of the values' ones' complements of negatives (`|v| - 1`): a pass of shifts, `XOR`s and `OR`s
/// without branches, where a running maximum of 128-bit magnitudes compared value by value took
/// most of this node's time in TPC-H q1.
fn magnitude(value: &ColumnarValue) -> Option<u128> {
    match value {
        ColumnarValue::Scalar(scalar) => decimal_value(scalar).map(i128::unsigned_abs),
        ColumnarValue::Array(array) => {
            let bits = array
                .as_primitive_opt::<Decimal128Type>()?
                .values()
                .iter()
                .fold(0, |bits, value| bits | (value ^ (value >> 127)));
            // `bits` is not negative: every term's sign bit is clear.
            Some(1u128 << (128 - bits.leading_zeros()))
        }
    }
}

/// A non-NULL `Decimal128` constant's value.
fn decimal_value(scalar: &ScalarValue) -> Option<i128> {
    match scalar {
        ScalarValue::Decimal128(value, _, _) => *value,
        _ => None,
    }
}

impl PhysicalExpr for UncheckedDecimals {
    fn data_type(&self, _input_schema: &Schema) -> Result<DataType> {
        Ok(self.data_type.clone())
    }

    fn nullable(&self, input_schema: &Schema) -> Result<bool> {
        self.binary.nullable(input_schema)
    }

    fn evaluate(&self, batch: &RecordBatch) -> Result<ColumnarValue> {
        let left = self.binary.left().evaluate(batch)?;
        let right = self.binary.right().evaluate(batch)?;
        if let Some(values) = self.without_checks(&left, &right) {
            return Ok(ColumnarValue::Array(values));
        }
        // As DataFusion computes it: arrow's checked kernels, with their overflow error.
        match self.binary.op() {
            Operator::Multiply => apply(&left, &right, numeric::mul),
            Operator::Plus => apply(&left, &right, numeric::add),
            _ => apply(&left, &right, numeric::sub),
        }
    }

    fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
        vec![self.binary.left(), self.binary.right()]
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn PhysicalExpr>>,
    ) -> Result<Arc<dyn PhysicalExpr>> {
        let binary = Arc::clone(&self.binary).with_new_children(children)?;
        let binary = binary
            .downcast_ref::<BinaryExpr>()
            .expect("a binary expression stays one");
        Ok(Arc::new(Self {
            binary: Arc::new(binary.clone()),
            data_type: self.data_type.clone(),
            scales: self.scales,
        }))
    }

    fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_operation(f, |operand, f| operand.fmt_sql(f))
    }
}

impl UncheckedDecimals {
    /// Writes the operation as DataFusion writes a binary expression: an operand that is itself a
    /// binary operation in parentheses where it binds less tightly. `write` writes an operand.
    fn write_operation(
        &self,
        f: &mut fmt::Formatter<'_>,
        write: impl Fn(&dyn PhysicalExpr, &mut fmt::Formatter<'_>) -> fmt::Result,
    ) -> fmt::Result {
        let precedence = self.binary.op().precedence();
        let operand =
            |operand: &Arc<dyn PhysicalExpr>, f: &mut fmt::Formatter<'_>| match binary_precedence(
                operand.as_ref(),
            ) {
                Some(p) if p == 0 || p < precedence => {
                    write!(f, "(")?;
                    write(operand.as_ref(), f)?;
                    write!(f, ")")
                }
                _ => write(operand.as_ref(), f),
            };
        operand(self.binary.left(), f)?;
        write!(f, " {} ", self.binary.op())?;
        operand(self.binary.right(), f)
    }
}

/// Shown as DataFusion shows the operation, so that plans read as before.
impl fmt::Display for UncheckedDecimals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_operation(f, |operand, f| write!(f, "{operand}"))
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Decimal128Array;
    use datafusion::arrow::datatypes::Field;
    use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
    use datafusion::physical_expr::expressions::{Column, Literal};
    use datafusion::prelude::SessionContext;

    use super::*;

    /// `a` is `Decimal128(15, 2)` with every seventh value NULL, `b` `Decimal128(12, 4)`, `big`
    /// `Decimal128(38, 0)` whose values near 10^37 overflow when multiplied.
    fn batch() -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("a", DataType::Decimal128(15, 2), true),
            Field::new("b", DataType::Decimal128(12, 4), false),
            Field::new("big", DataType::Decimal128(38, 0), false),
        ]);
        let a = Decimal128Array::from_iter(
            (0..1000i128).map(|v| (v % 7 != 0).then_some((v - 500) * 123_456_789)),
        )
        .with_precision_and_scale(15, 2)
        .unwrap();
        let b = Decimal128Array::from_iter_values((0..1000i128).map(|v| v * 37 - 9_000))
            .with_precision_and_scale(12, 4)
            .unwrap();
        let big = Decimal128Array::from_iter_values((0..1000i128).map(|v| 10i128.pow(37) + v))
            .with_precision_and_scale(38, 0)
            .unwrap();
        RecordBatch::try_new(
            Arc::new(schema),
            vec![Arc::new(a), Arc::new(b), Arc::new(big)],
        )
        .unwrap()
    }

    fn column(name: &str, index: usize) -> Arc<dyn PhysicalExpr> {
        Arc::new(Column::new(name, index))
    }

    fn constant(value: i128, precision: u8, scale: i8) -> Arc<dyn PhysicalExpr> {
        Arc::new(Literal::new(ScalarValue::Decimal128(
            Some(value),
            precision,
            scale,
        )))
    }

    fn unchecked_form(binary: &BinaryExpr) -> UncheckedDecimals {
        UncheckedDecimals::of(binary, &batch().schema())
            .unwrap()
            .expect("a decimal operation")
    }

    #[test]
    fn results_match_arrows_checked_kernels() {
        let batch = batch();
        let (a, b) = (column("a", 0), column("b", 1));
        let operands = [
            (Arc::clone(&a), Arc::clone(&b)),
            (Arc::clone(&b), Arc::clone(&a)),
            (constant(1, 20, 0), Arc::clone(&a)),
            (Arc::clone(&b), constant(-25, 3, 1)),
        ];
        for (left, right) in operands {
            for op in [Operator::Plus, Operator::Minus, Operator::Multiply] {
                let binary = BinaryExpr::new(Arc::clone(&left), op, Arc::clone(&right));
                let unchecked = unchecked_form(&binary);
                let (l, r) = (
                    left.evaluate(&batch).unwrap(),
                    right.evaluate(&batch).unwrap(),
                );
                assert!(
                    unchecked.without_checks(&l, &r).is_some(),
                    "{binary}: small values go unchecked"
                );
                let expected = binary.evaluate(&batch).unwrap().into_array(1000).unwrap();
                let got = unchecked
                    .evaluate(&batch)
                    .unwrap()
                    .into_array(1000)
                    .unwrap();
                assert_eq!(got.data_type(), expected.data_type(), "{binary}");
                assert_eq!(&got, &expected, "{binary}");
                assert_eq!(
                    unchecked.data_type(&batch.schema()).unwrap(),
                    *expected.data_type()
                );
            }
        }
    }

    #[test]
    fn values_that_could_overflow_are_checked_and_fail_as_in_datafusion() {
        let batch = batch();
        let big = column("big", 2);
        let square = BinaryExpr::new(Arc::clone(&big), Operator::Multiply, Arc::clone(&big));
        let unchecked = unchecked_form(&square);
        let value = big.evaluate(&batch).unwrap();
        assert!(unchecked.without_checks(&value, &value).is_none());
        let expected = square.evaluate(&batch).unwrap_err().to_string();
        let got = unchecked.evaluate(&batch).unwrap_err().to_string();
        assert!(got.contains("Overflow"), "{got}");
        assert_eq!(got, expected);

        // A sum that fits is computed unchecked even where the operands are large.
        let double = BinaryExpr::new(Arc::clone(&big), Operator::Plus, Arc::clone(&big));
        let unchecked = unchecked_form(&double);
        assert!(unchecked.without_checks(&value, &value).is_some());
        let expected = double.evaluate(&batch).unwrap().into_array(1000).unwrap();
        let got = unchecked.evaluate(&batch).unwrap();
        assert_eq!(&got.into_array(1000).unwrap(), &expected);
    }

    #[test]
    fn operations_on_other_types_are_left_alone() {
        let schema = Schema::new(vec![Field::new("i", DataType::Int64, false)]);
        let i = column("i", 0);
        let binary = BinaryExpr::new(Arc::clone(&i), Operator::Multiply, i);
        assert!(UncheckedDecimals::of(&binary, &schema).unwrap().is_none());
        let divide = BinaryExpr::new(column("a", 0), Operator::Divide, column("b", 1));
        assert!(
            UncheckedDecimals::of(&divide, &batch().schema())
                .unwrap()
                .is_none()
        );
    }

    /// How many [`UncheckedDecimals`] the projections and aggregate arguments of `plan` hold.
    fn unchecked_in(plan: &Arc<dyn ExecutionPlan>) -> usize {
        let mut exprs: Vec<Arc<dyn PhysicalExpr>> = vec![];
        plan.apply(|node| {
            if let Some(projection) = node.downcast_ref::<ProjectionExec>() {
                exprs.extend(projection.expr().iter().map(|p| Arc::clone(&p.expr)));
            }
            if let Some(aggregate) = node.downcast_ref::<AggregateExec>() {
                exprs.extend(aggregate.aggr_expr().iter().flat_map(|f| f.expressions()));
            }
            Ok(TreeNodeRecursion::Continue)
        })
        .unwrap();
        let mut found = 0;
        for expr in exprs {
            expr.apply(|e| {
                found += usize::from(e.is::<UncheckedDecimals>());
                Ok(TreeNodeRecursion::Continue)
            })
            .unwrap();
        }
        found
    }

    /// The rule reaches a projection's expressions and a partial aggregate's arguments, and the
    /// plan reads as DataFusion's.
    #[tokio::test]
    async fn the_rule_rewrites_projections_and_aggregate_arguments() {
        let ctx = SessionContext::new();
        ctx.register_batch("t", batch()).unwrap();
        let query = ctx
            .sql("SELECT a * (1 - b) AS x, (a + b) / (b + 1) AS y, b FROM t ORDER BY b")
            .await
            .unwrap();
        let plan = query.create_physical_plan().await.unwrap();
        let aggregate = ctx
            .sql("SELECT b > 0 AS positive, sum(a * (1 + b)) FROM t GROUP BY b > 0")
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        for plan in [plan, aggregate] {
            let before = datafusion::physical_plan::displayable(plan.as_ref())
                .indent(true)
                .to_string();
            let rewritten = UncheckDecimals
                .optimize(Arc::clone(&plan), &ConfigOptions::default())
                .unwrap();
            let after = datafusion::physical_plan::displayable(rewritten.as_ref())
                .indent(true)
                .to_string();
            assert_eq!(before, after);
            let found = unchecked_in(&rewritten);
            assert!(found >= 2, "both operations unchecked:\n{after}");
            let batches = |plan: Arc<dyn ExecutionPlan>| {
                let ctx = ctx.task_ctx();
                async move {
                    let batches = datafusion::physical_plan::collect(plan, ctx).await.unwrap();
                    datafusion::arrow::util::pretty::pretty_format_batches(&batches)
                        .unwrap()
                        .to_string()
                }
            };
            assert_eq!(batches(plan).await, batches(rewritten).await);
        }
    }
}
