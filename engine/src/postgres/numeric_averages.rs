//! `avg`, variances and standard deviations of exact numbers as Postgres computes them, in
//! `numeric`: an `avg` is the quotient of the sum and the count, with the division's scale
//! ([`super::numeric_division`]); a variance and a standard deviation are computed from the sum,
//! the sum of squares and the count ([`super::numeric_spread`]), where DataFusion computed them in
//! `float8`. DataFusion averaged integers into a
//! `float8` (`avg(p_size)` was `25.2555`, not `25.2555000000000000`) and decimals at four more
//! decimals than the argument's, truncated. This analyzer rule, before DataFusion's type coercion,
//! plans each such aggregate, as an aggregate or over a window, as sums and a `count` of the
//! same rows (distinct, filtered, framed as it was), and a projection above that finishes them
//! under the aggregate's name. An `avg` of intervals (which DataFusion lacked) is split the same
//! way and finished as Postgres' `interval_avg` finishes it, the sum divided by the count as
//! `interval / float8` divides ([`super::interval_arithmetic`]). Of floats, they are DataFusion's.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef, IntervalUnit};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, DFSchemaRef, Result, plan_err};
use datafusion::functions_aggregate::average::avg_udaf;
use datafusion::functions_aggregate::count::count_udaf;
use datafusion::functions_aggregate::stddev::{stddev_pop_udaf, stddev_udaf};
use datafusion::functions_aggregate::variance::{var_pop_udaf, var_samp_udaf};
use datafusion::logical_expr::expr::{
    AggregateFunction, NullTreatment, ScalarFunction, WindowFunction, WindowFunctionParams,
};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, Aggregate, AggregateUDF, AggregateUDFImpl, Expr, ExprSchemable, GroupsAccumulator,
    LogicalPlan, Projection, ReversedUDAF, ScalarUDF, Signature, Volatility, Window,
    WindowFunctionDefinition, cast,
};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;

use super::numeric_division::{self, is_exact};
use super::numeric_spread::{self, Spread};
use super::{bigint_sums, interval_arithmetic};

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct NumericAverages;

impl AnalyzerRule for NumericAverages {
    fn name(&self) -> &str {
        "hangar_numeric_averages"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        split_averages(plan)
    }
}

/// `plan` with its averages, variances and standard deviations of exact numbers split into their
/// parts (see the module); the rule's work, which [`super::display_scales`] does before it.
pub(crate) fn split_averages(plan: LogicalPlan) -> Result<LogicalPlan> {
    let parts = Parts {
        sum: Arc::new(bigint_sums::sum()),
        count: count_udaf(),
        divide: Arc::new(numeric_division::quotient()),
        divide_interval: interval_arithmetic::divided(),
    };
    let split = std::cell::Cell::new(false);
    plan.transform_up_with_subqueries(|node| {
        let node = match node {
            LogicalPlan::Aggregate(aggregate) => parts.split_aggregate(aggregate)?,
            LogicalPlan::Window(window) => parts.split_window(window)?,
            // The nodes after a split one are typed again: an `avg` of integers was a
            // `float8` to the nodes above it.
            other if split.get() => Transformed::yes(other.recompute_schema()?),
            other => Transformed::no(other),
        };
        split.set(split.get() || node.transformed);
        Ok(node)
    })
    .map(|t| t.data)
}

/// The functions an `avg` is planned with.
struct Parts {
    sum: Arc<AggregateUDF>,
    count: Arc<AggregateUDF>,
    divide: Arc<ScalarUDF>,
    /// An interval divided by a count.
    divide_interval: Arc<ScalarUDF>,
}

impl Parts {
    /// `aggregate` with its `avg`s of exact numbers as sums and counts, under a projection that
    /// divides them.
    fn split_aggregate(&self, aggregate: Aggregate) -> Result<Transformed<LogicalPlan>> {
        let input = Arc::clone(&aggregate.input);
        let groups = aggregate.schema.fields().len() - aggregate.aggr_expr.len();
        let split = self.split(&aggregate.aggr_expr, &input, |f, args, p| {
            Expr::AggregateFunction(AggregateFunction::new_udf(
                f,
                args,
                p.distinct,
                p.filter.clone(),
                p.order_by.clone(),
                p.null_treatment,
            ))
        });
        let Some((exprs, outputs)) = split else {
            return Ok(Transformed::no(LogicalPlan::Aggregate(aggregate)));
        };
        let node = Aggregate::try_new(input, aggregate.group_expr, exprs)?;
        self.divide_above(
            LogicalPlan::Aggregate(node),
            &aggregate.schema,
            groups,
            &outputs,
        )
    }

    /// `window` with its `avg`s of exact numbers as sums and counts over the same windows, under a
    /// projection that divides them.
    fn split_window(&self, window: Window) -> Result<Transformed<LogicalPlan>> {
        let input = Arc::clone(&window.input);
        let passed = input.schema().fields().len();
        let split = self.split(&window.window_expr, &input, |f, args, p| {
            Expr::WindowFunction(Box::new(WindowFunction {
                fun: WindowFunctionDefinition::AggregateUDF(f),
                params: WindowFunctionParams {
                    args,
                    ..p.window.clone().expect("a window function's parameters")
                },
            }))
        });
        let Some((exprs, outputs)) = split else {
            return Ok(Transformed::no(LogicalPlan::Window(window)));
        };
        let node = Window::try_new(exprs, input)?;
        self.divide_above(LogicalPlan::Window(node), &window.schema, passed, &outputs)
    }

    /// The expressions of a node computing `exprs` (aggregates or window functions over `input`)
    /// with each `avg` of an exact number as a `sum` and a `count` (built by `call` from a
    /// function, its arguments and the `avg`'s parameters), each computed once; and where each of
    /// `exprs` is among them. `None` if none of `exprs` is such an `avg`.
    fn split(
        &self,
        exprs: &[Expr],
        input: &LogicalPlan,
        call: impl Fn(Arc<AggregateUDF>, Vec<Expr>, &Parameters) -> Expr,
    ) -> Option<(Vec<Expr>, Vec<Output>)> {
        let parts: Vec<_> = exprs
            .iter()
            .map(|e| self.average_parts(e, input, &call))
            .collect();
        if parts.iter().all(Option::is_none) {
            return None;
        }
        let mut computed: Vec<Expr> = exprs
            .iter()
            .zip(&parts)
            .filter(|(_, parts)| parts.is_none())
            .map(|(e, _)| e.clone())
            .collect();
        let mut position = |expr: Expr| match computed
            .iter()
            .position(|c| c.clone().unalias_nested().data == expr)
        {
            Some(k) => k,
            None => {
                computed.push(expr);
                computed.len() - 1
            }
        };
        let outputs = exprs
            .iter()
            .zip(parts)
            .map(|(e, parts)| match parts {
                Some((finish, parts)) => {
                    Output::Finished(finish, parts.into_iter().map(&mut position).collect())
                }
                None => Output::Same(position(e.clone().unalias_nested().data)),
            })
            .collect();
        Some((computed, outputs))
    }

    /// The function and the aggregates it finishes that make `expr`, if it is an `avg`, a variance
    /// or a standard deviation of an exact number (an aggregate or a window function, built by
    /// `call`): a sum and a count, or a sum, a sum of squares and a count.
    fn average_parts(
        &self,
        expr: &Expr,
        input: &LogicalPlan,
        call: impl Fn(Arc<AggregateUDF>, Vec<Expr>, &Parameters) -> Expr,
    ) -> Option<(Arc<ScalarUDF>, Vec<Expr>)> {
        let (function, parameters) = match expr.clone().unalias_nested().data {
            Expr::AggregateFunction(a) => (
                a.func,
                Parameters {
                    args: a.params.args,
                    distinct: a.params.distinct,
                    filter: a.params.filter,
                    order_by: a.params.order_by,
                    null_treatment: a.params.null_treatment,
                    window: None,
                },
            ),
            Expr::WindowFunction(w) => match w.fun {
                WindowFunctionDefinition::AggregateUDF(f) => (
                    f,
                    Parameters {
                        args: w.params.args.clone(),
                        distinct: w.params.distinct,
                        filter: w.params.filter.clone(),
                        order_by: Vec::new(),
                        null_treatment: w.params.null_treatment,
                        window: Some(w.params),
                    },
                ),
                _ => return None,
            },
            _ => return None,
        };
        let [argument] = parameters.args.as_slice() else {
            return None;
        };
        let argument_type = argument.get_type(input.schema()).ok()?;
        let interval_average =
            matches!(argument_type, DataType::Interval(_)) && function.name() == "avg";
        if !is_exact(&argument_type) && !interval_average {
            return None;
        }
        let sum = call(Arc::clone(&self.sum), parameters.args.clone(), &parameters);
        let count = call(
            Arc::clone(&self.count),
            parameters.args.clone(),
            &parameters,
        );
        if function.name() == "avg" {
            let divide = match interval_average {
                true => &self.divide_interval,
                false => &self.divide,
            };
            return Some((Arc::clone(divide), vec![sum, count]));
        }
        let spread = Spread::of(function.name())?;
        // Integers are squared as numerics, which cannot overflow.
        let value = match argument_type {
            DataType::Decimal128(..) => argument.clone(),
            _ => cast(argument.clone(), DataType::Decimal128(38, 0)),
        };
        let squares = call(
            Arc::clone(&self.sum),
            vec![value.clone() * value],
            &parameters,
        );
        Some((
            Arc::new(numeric_spread::spread(spread)),
            vec![sum, squares, count],
        ))
    }

    /// A projection over `split` giving the columns of `schema`, those of the node `split`
    /// replaces: its first `passed` columns as they are, then `outputs` from the columns after.
    fn divide_above(
        &self,
        split: LogicalPlan,
        schema: &DFSchemaRef,
        passed: usize,
        outputs: &[Output],
    ) -> Result<Transformed<LogicalPlan>> {
        let split_schema = Arc::clone(split.schema());
        let column = |k: usize| Expr::Column(Column::from(split_schema.qualified_field(k)));
        let mut exprs: Vec<Expr> = (0..passed).map(column).collect();
        for (i, output) in outputs.iter().enumerate() {
            let (qualifier, field) = schema.qualified_field(passed + i);
            let expr = match output {
                Output::Same(k) => column(passed + k),
                Output::Finished(finish, parts) => Expr::ScalarFunction(ScalarFunction::new_udf(
                    Arc::clone(finish),
                    parts.iter().map(|k| column(passed + k)).collect(),
                )),
            };
            exprs.push(expr.alias_qualified(qualifier.cloned(), field.name()));
        }
        Ok(Transformed::yes(LogicalPlan::Projection(
            Projection::try_new(exprs, Arc::new(split))?,
        )))
    }
}

/// Where a node's output is among the expressions of the node that replaces it.
enum Output {
    /// The expression numbered so.
    Same(usize),
    /// The function of the aggregates numbered so that finishes an `avg` or a variance.
    Finished(Arc<ScalarUDF>, Vec<usize>),
}

/// What an `avg` passes on to its `sum` and `count`.
struct Parameters {
    args: Vec<Expr>,
    distinct: bool,
    filter: Option<Box<Expr>>,
    order_by: Vec<datafusion::logical_expr::SortExpr>,
    null_treatment: Option<NullTreatment>,
    /// Over a window: the window's.
    window: Option<WindowFunctionParams>,
}

/// The `interval` type Hangar computes in.
const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

/// Registers Hangar's `avg` in the template every session is cloned from, in place of
/// DataFusion's.
pub(crate) fn install(ctx: &SessionContext) {
    let exact = |inner: Arc<AggregateUDF>, squares: bool| {
        AggregateUDF::new_from_impl(Exact {
            inner,
            squares,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    };
    ctx.register_udaf(exact(avg_udaf(), false));
    ctx.register_udaf(exact(var_samp_udaf(), true).with_aliases(["variance"]));
    ctx.register_udaf(exact(var_pop_udaf(), true));
    ctx.register_udaf(exact(stddev_udaf(), true));
    ctx.register_udaf(exact(stddev_pop_udaf(), true));
}

/// DataFusion's `avg`, variance or standard deviation, typed as a `numeric` for an exact number:
/// the type of what [`NumericAverages`] plans it as, before it does (the type a prepared
/// statement describes).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Exact {
    inner: Arc<AggregateUDF>,
    /// Whether it sums squares (a variance), whose scale is twice the argument's.
    squares: bool,
    signature: Signature,
}

impl AggregateUDFImpl for Exact {
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
            return plan_err!("{} takes one argument", self.name());
        };
        Ok(vec![match argument {
            t if is_exact(t) || matches!(t, DataType::Duration(_)) => t.clone(),
            t if t.is_floating() || t.is_null() => DataType::Float64,
            // An `avg` of intervals, which this module's rule plans.
            DataType::Interval(_) if !self.squares => INTERVAL,
            other => return plan_err!("function {}({other}) does not exist", self.name()),
        }])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let factor = if self.squares { 2 } else { 1 };
        match arg_types {
            [DataType::Decimal128(_, scale)] => Ok(numeric_division::quotient_type(
                scale.saturating_mul(factor),
                0,
            )),
            [t] if t.is_integer() => Ok(numeric_division::quotient_type(0, 0)),
            [DataType::Interval(_)] => Ok(INTERVAL),
            _ => self.inner.return_type(arg_types),
        }
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        self.inner.accumulator(args)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.state_fields(args)
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        self.inner.create_groups_accumulator(args)
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Identical
    }
}
