//! `sum` of a `bigint` as Postgres sums it: into a `numeric`, so that it cannot overflow.
//! DataFusion summed into a `bigint` and wrapped around without a word (`9223372036854775807 + 1`
//! summed to `-9223372036854775808`). Hangar's `sum` is DataFusion's with one change: a `bigint`
//! argument is taken as a `numeric` of scale 0 (its type coercion), so the sum is a `numeric`,
//! as the planner and every client are told. `smallint` and `integer` still sum into a `bigint`,
//! as in Postgres; they keep their type through the coercion and are widened as they are summed,
//! since DataFusion coerces a window function's arguments twice (an `integer` widened to a
//! `bigint` by the first would be taken as a `numeric` by the second).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::functions_aggregate::sum::sum_udaf;
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams};
use datafusion::logical_expr::function::{
    AccumulatorArgs, AggregateFunctionSimplification, StateFieldsArgs,
};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, Expr, GroupsAccumulator, Operator,
    ReversedUDAF, SetMonotonicity, Signature, StatisticsArgs, Volatility,
};
use datafusion::prelude::SessionContext;

/// Registers Hangar's `sum` in the template every session is cloned from, in place of
/// DataFusion's.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udaf(sum());
}

/// Hangar's `sum`.
pub(crate) fn sum() -> AggregateUDF {
    AggregateUDF::new_from_impl(Sum {
        inner: sum_udaf(),
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// DataFusion's `sum`, summing a `bigint` as a `numeric`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Sum {
    inner: Arc<AggregateUDF>,
    /// Coerced by [`Sum::coerce_types`]: DataFusion's signature takes a `bigint` as it is.
    signature: Signature,
}

/// The type a `bigint` is summed in.
const NUMERIC: DataType = DataType::Decimal128(38, 0);

/// The type `sum` takes an argument of `argument`'s type as: DataFusion's, except a `bigint`'s.
fn summed_as(argument: &DataType) -> Result<DataType> {
    Ok(match argument {
        DataType::Int64 => NUMERIC,
        DataType::Int8 | DataType::Int16 | DataType::Int32 => argument.clone(),
        DataType::Null => DataType::Int64,
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            DataType::UInt64
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => DataType::Float64,
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..)
        | DataType::Duration(_)
        | DataType::Interval(_) => argument.clone(),
        DataType::Dictionary(_, values) => summed_as(values)?,
        other => return plan_err!("function sum({other}) does not exist"),
    })
}

// Everything but the signature is DataFusion's `sum`'s.
impl AggregateUDFImpl for Sum {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [argument] = arg_types else {
            return plan_err!("sum takes one argument");
        };
        Ok(vec![summed_as(argument)?])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(&widened_types(arg_types))
    }

    fn return_field(&self, arg_fields: &[FieldRef]) -> Result<FieldRef> {
        self.inner.return_field(&widened_fields(arg_fields))
    }

    fn is_nullable(&self) -> bool {
        self.inner.is_nullable()
    }

    fn schema_name(&self, params: &AggregateFunctionParams) -> Result<String> {
        self.inner.inner().schema_name(params)
    }

    fn display_name(&self, params: &AggregateFunctionParams) -> Result<String> {
        self.inner.inner().display_name(params)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let fields = widened_fields(args.expr_fields);
        let inner = self.inner.accumulator(widened_args(&args, &fields))?;
        Ok(Box::new(Widening { inner }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let fields = widened_fields(args.input_fields);
        self.inner.state_fields(StateFieldsArgs {
            input_fields: &fields,
            ..args
        })
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        let fields = widened_fields(args.expr_fields);
        self.inner
            .groups_accumulator_supported(widened_args(&args, &fields))
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        let fields = widened_fields(args.expr_fields);
        let inner = self
            .inner
            .create_groups_accumulator(widened_args(&args, &fields))?;
        Ok(Box::new(Widening { inner }))
    }

    fn create_sliding_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let fields = widened_fields(args.expr_fields);
        let inner = self
            .inner
            .create_sliding_accumulator(widened_args(&args, &fields))?;
        Ok(Box::new(Widening { inner }))
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        self.inner.order_sensitivity()
    }

    fn simplify(&self) -> Option<AggregateFunctionSimplification> {
        self.inner.simplify()
    }

    fn simplify_expr_op_literal(
        &self,
        agg_function: &AggregateFunction,
        arg: &Expr,
        op: Operator,
        lit: &Expr,
        arg_is_left: bool,
    ) -> Result<Option<Expr>> {
        self.inner
            .inner()
            .simplify_expr_op_literal(agg_function, arg, op, lit, arg_is_left)
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        self.inner.reverse_udf()
    }

    fn is_descending(&self) -> Option<bool> {
        self.inner.is_descending()
    }

    fn value_from_stats(&self, statistics_args: &StatisticsArgs) -> Option<ScalarValue> {
        self.inner.value_from_stats(statistics_args)
    }

    fn default_value(&self, data_type: &DataType) -> Result<ScalarValue> {
        self.inner.default_value(data_type)
    }

    fn set_monotonicity(&self, data_type: &DataType) -> SetMonotonicity {
        self.inner.inner().set_monotonicity(data_type)
    }
}

/// Argument types with a `smallint` or `integer` as the `bigint` it is summed as.
fn widened_types(types: &[DataType]) -> Vec<DataType> {
    types
        .iter()
        .map(|t| match t {
            DataType::Int8 | DataType::Int16 | DataType::Int32 => DataType::Int64,
            other => other.clone(),
        })
        .collect()
}

/// Argument fields with a `smallint` or `integer` as the `bigint` it is summed as.
fn widened_fields(fields: &[FieldRef]) -> Vec<FieldRef> {
    fields
        .iter()
        .map(|f| match f.data_type() {
            DataType::Int8 | DataType::Int16 | DataType::Int32 => {
                Arc::new(f.as_ref().clone().with_data_type(DataType::Int64))
            }
            _ => Arc::clone(f),
        })
        .collect()
}

/// `args` with the argument fields `fields`.
fn widened_args<'a>(args: &AccumulatorArgs<'a>, fields: &'a [FieldRef]) -> AccumulatorArgs<'a> {
    AccumulatorArgs {
        expr_fields: fields,
        ..args.clone()
    }
}

/// An accumulator of DataFusion's `sum` given its values as `bigint`s: a `smallint` or `integer`
/// argument is widened as it arrives.
#[derive(Debug)]
struct Widening<A: ?Sized> {
    inner: Box<A>,
}

/// The values of a batch widened to `bigint`s where they are smaller integers.
fn widened(values: &[ArrayRef]) -> Result<Vec<ArrayRef>> {
    values
        .iter()
        .map(|v| match v.data_type() {
            DataType::Int8 | DataType::Int16 | DataType::Int32 => Ok(cast(v, &DataType::Int64)?),
            _ => Ok(Arc::clone(v)),
        })
        .collect()
}

impl Accumulator for Widening<dyn Accumulator> {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.update_batch(&widened(values)?)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.retract_batch(&widened(values)?)
    }

    fn supports_retract_batch(&self) -> bool {
        self.inner.supports_retract_batch()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.inner.evaluate()
    }

    fn size(&self) -> usize {
        self.inner.size() + std::mem::size_of::<Self>()
    }
}

impl GroupsAccumulator for Widening<dyn GroupsAccumulator> {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner.update_batch(
            &widened(values)?,
            group_indices,
            opt_filter,
            total_num_groups,
        )
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner
            .merge_batch(values, group_indices, total_num_groups)
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        self.inner.evaluate(emit_to)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.inner.state(emit_to)
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        self.inner.convert_to_state(&widened(values)?, opt_filter)
    }

    fn size(&self) -> usize {
        self.inner.size() + std::mem::size_of::<Self>()
    }
}
