//! Postgres' ordered-set aggregates that DataFusion lacks: `mode() WITHIN GROUP (ORDER BY x)`,
//! the most frequent value (of equally frequent ones, the first in the order),
//! `percentile_disc(f) WITHIN GROUP (ORDER BY x)`, the first value whose position in the order
//! reaches the fraction `f` of the rows, and `percentile_cont(f)`, the value at the fraction `f`
//! of the way from the first to the last, interpolated between its neighbours: a `float8` of
//! numbers, an `interval` of intervals (DataFusion's took neither intervals nor an array of
//! fractions). Each keeps the values of a group and sorts them once, as Postgres does; NULLs are
//! left out.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Field, FieldRef, IntervalMonthDayNano, IntervalUnit, Schema,
};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::interval_arithmetic::scaled;
use crate::{Anchor, Error};

/// Registers `mode`, `percentile_disc` and `percentile_cont` in the template every session is
/// cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    for kind in [Kind::Mode, Kind::PercentileDisc, Kind::PercentileCont] {
        ctx.register_udaf(AggregateUDF::new_from_impl(OrderedSet::new(kind)));
    }
}

/// Which aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Mode,
    PercentileDisc,
    PercentileCont,
}

/// `mode`, `percentile_disc` or `percentile_cont`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct OrderedSet {
    kind: Kind,
    signature: Signature,
}

impl OrderedSet {
    fn new(kind: Kind) -> Self {
        let signature = match kind {
            Kind::Mode => Signature::any(1, Volatility::Immutable),
            Kind::PercentileDisc => Signature::any(2, Volatility::Immutable),
            // Numbers are interpolated as `float8`s.
            Kind::PercentileCont => Signature::user_defined(Volatility::Immutable),
        };
        Self { kind, signature }
    }
}

impl AggregateUDFImpl for OrderedSet {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Mode => "mode",
            Kind::PercentileDisc => "percentile_disc",
            Kind::PercentileCont => "percentile_cont",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let value = match types.first() {
            Some(DataType::Interval(_)) => INTERVAL,
            Some(t) if t.is_numeric() || t.is_null() => DataType::Float64,
            _ => return plan_err!("percentile_cont takes numbers or intervals"),
        };
        Ok([vec![value], types[1..].to_vec()].concat())
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        // An array of fractions gives an array of values.
        Ok(match args.get(1) {
            Some(DataType::List(_)) => {
                DataType::List(Arc::new(Field::new_list_field(args[0].clone(), true)))
            }
            _ => args[0].clone(),
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let values = Field::new_list_field(args.input_fields[0].data_type().clone(), true);
        Ok(vec![Arc::new(Field::new(
            format!("{}_values", args.name),
            DataType::List(Arc::new(values)),
            true,
        ))])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let answer = match self.kind {
            Kind::Mode => Answer::Mode,
            Kind::PercentileDisc => Answer::Disc(fractions(&args, self.name())?),
            Kind::PercentileCont => Answer::Cont(fractions(&args, self.name())?),
        };
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(Values {
            data_type: args.expr_fields[0].data_type().clone(),
            values: Vec::new(),
            answer,
            descending,
        }))
    }

    fn supports_within_group_clause(&self) -> bool {
        true
    }
}

/// A percentile's fraction, or array of fractions: constants between 0 and 1.
fn fractions(args: &AccumulatorArgs, name: &str) -> Result<Fractions> {
    // A constant evaluates without rows.
    let empty = RecordBatch::new_empty(Arc::new(Schema::empty()));
    let value = match args.exprs.get(1).map(|e| e.evaluate(&empty)) {
        Some(Ok(ColumnarValue::Scalar(value))) => value,
        _ => {
            return Err(
                Error::NotSupported(format!("{name} takes a constant fraction")).into_datafusion(),
            );
        }
    };
    let (list, values) = match &value {
        ScalarValue::List(list) => (true, list.value(0)),
        other => (false, other.to_array()?),
    };
    let values = datafusion::arrow::compute::cast(&values, &DataType::Float64)?;
    let values = values.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
    let mut fractions = Vec::with_capacity(values.len());
    for fraction in values.iter() {
        let fraction = fraction.unwrap_or(f64::NAN);
        if !(0.0..=1.0).contains(&fraction) {
            return Err(Error::postgres(
                "22003",
                format!("percentile value {fraction} is not between 0 and 1"),
                Anchor::Nowhere,
            )
            .into_datafusion());
        }
        fractions.push(fraction);
    }
    Ok(Fractions { list, fractions })
}

/// A percentile's fractions, and whether they came as an array.
#[derive(Debug)]
struct Fractions {
    list: bool,
    fractions: Vec<f64>,
}

/// What an aggregate answers of its sorted values.
#[derive(Debug)]
enum Answer {
    Mode,
    /// The values at these fractions.
    Disc(Fractions),
    /// The values interpolated at these fractions.
    Cont(Fractions),
}

/// The `interval` type Hangar computes in.
const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

/// A group's values, answered once all are in.
#[derive(Debug)]
struct Values {
    data_type: DataType,
    values: Vec<ScalarValue>,
    answer: Answer,
    descending: bool,
}

impl Values {
    fn push_all(&mut self, array: &ArrayRef) -> Result<()> {
        for row in 0..array.len() {
            if array.is_valid(row) {
                self.values.push(ScalarValue::try_from_array(array, row)?);
            }
        }
        Ok(())
    }
}

impl Values {
    /// The type the aggregate returns: the values', or an array of them for an array of
    /// fractions.
    fn return_type(&self) -> DataType {
        match &self.answer {
            Answer::Disc(Fractions { list: true, .. })
            | Answer::Cont(Fractions { list: true, .. }) => DataType::List(Arc::new(
                Field::new_list_field(self.data_type.clone(), true),
            )),
            _ => self.data_type.clone(),
        }
    }
}

impl Accumulator for Values {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.push_all(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = states[0].as_list::<i32>();
        for list in lists.iter().flatten() {
            self.push_all(&list)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::List(ScalarValue::new_list_nullable(
            &self.values,
            &self.data_type,
        ))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let order = |a: &ScalarValue, b: &ScalarValue| {
            let ordering = a.partial_cmp(b).unwrap_or(Ordering::Equal);
            if self.descending {
                ordering.reverse()
            } else {
                ordering
            }
        };
        let mut values = self.values.clone();
        values.sort_by(order);
        let pick = |fraction: f64| {
            let position = ((fraction * values.len() as f64).ceil() as usize).max(1);
            Ok(values[position.min(values.len()) - 1].clone())
        };
        let interpolate = |fraction: f64| {
            let position = fraction * (values.len() - 1) as f64;
            let (low, high) = (position.floor(), position.ceil());
            interpolated(
                &values[low as usize],
                &values[high as usize],
                position - low,
            )
        };
        let Some(first) = values.first() else {
            return ScalarValue::try_from(&self.return_type());
        };
        let at_fractions = |fractions: &Fractions, at: &dyn Fn(f64) -> Result<ScalarValue>| {
            let picked = fractions
                .fractions
                .iter()
                .map(|f| at(*f))
                .collect::<Result<Vec<_>>>()?;
            Ok::<_, datafusion::error::DataFusionError>(match fractions.list {
                true => ScalarValue::List(ScalarValue::new_list_nullable(&picked, &self.data_type)),
                false => picked[0].clone(),
            })
        };
        Ok(match &self.answer {
            Answer::Disc(fractions) => at_fractions(fractions, &pick)?,
            Answer::Cont(fractions) => at_fractions(fractions, &interpolate)?,
            Answer::Mode => {
                // The longest run of equal values, the first of equally long ones.
                let (mut best, mut best_run) = (first, 0);
                let mut run = 0;
                for (i, value) in values.iter().enumerate() {
                    run = if i > 0 && value == &values[i - 1] {
                        run + 1
                    } else {
                        1
                    };
                    if run > best_run {
                        (best, best_run) = (value, run);
                    }
                }
                best.clone()
            }
        })
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.values.iter().map(ScalarValue::size).sum::<usize>()
    }
}

/// The value `proportion` of the way from `low` to `high`, as Postgres' `float8_lerp` and
/// `interval_lerp` find it: `low + (high - low) * proportion`, the interval's difference scaled as
/// `interval * float8` scales it.
fn interpolated(low: &ScalarValue, high: &ScalarValue, proportion: f64) -> Result<ScalarValue> {
    if proportion == 0.0 {
        return Ok(low.clone());
    }
    Ok(match (low, high) {
        (ScalarValue::Float64(Some(low)), ScalarValue::Float64(Some(high))) => {
            ScalarValue::Float64(Some(low + (high - low) * proportion))
        }
        (
            ScalarValue::IntervalMonthDayNano(Some(low)),
            ScalarValue::IntervalMonthDayNano(Some(high)),
        ) => {
            let difference = IntervalMonthDayNano::new(
                high.months - low.months,
                high.days - low.days,
                high.nanoseconds - low.nanoseconds,
            );
            let step = scaled(difference, proportion, false)?;
            ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(
                low.months + step.months,
                low.days + step.days,
                low.nanoseconds + step.nanoseconds,
            )))
        }
        (low, _) => low.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluate(values: &[i32], fraction: Option<f64>, descending: bool) -> ScalarValue {
        let mut accumulator = Values {
            data_type: DataType::Int32,
            values: values
                .iter()
                .map(|v| ScalarValue::Int32(Some(*v)))
                .collect(),
            answer: match fraction {
                Some(f) => Answer::Disc(Fractions {
                    list: false,
                    fractions: vec![f],
                }),
                None => Answer::Mode,
            },
            descending,
        };
        accumulator.evaluate().unwrap()
    }

    #[test]
    fn ordered_sets_answer_as_postgres() {
        assert_eq!(
            evaluate(&[3, 1, 2, 2, 3], None, false),
            ScalarValue::Int32(Some(2))
        );
        assert_eq!(
            evaluate(&[3, 1, 2, 2, 3], None, true),
            ScalarValue::Int32(Some(3))
        );
        assert_eq!(
            evaluate(&[1, 2, 3, 4], Some(0.5), false),
            ScalarValue::Int32(Some(2))
        );
        assert_eq!(
            evaluate(&[1, 2, 3, 4], Some(0.0), false),
            ScalarValue::Int32(Some(1))
        );
        assert_eq!(
            evaluate(&[1, 2, 3, 4], Some(1.0), false),
            ScalarValue::Int32(Some(4))
        );
        assert_eq!(
            evaluate(&[1, 2, 3, 4], Some(0.5), true),
            ScalarValue::Int32(Some(3))
        );
        assert_eq!(evaluate(&[], Some(0.5), false), ScalarValue::Int32(None));
    }

    #[test]
    fn continuous_percentiles_interpolate() {
        let float = |x| ScalarValue::Float64(Some(x));
        assert_eq!(
            interpolated(&float(1459.0), &float(2000.0), 0.25).unwrap(),
            float(1594.25)
        );
        let hours = |h: i64| {
            ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(
                0,
                0,
                h * 3_600_000_000_000,
            )))
        };
        assert_eq!(interpolated(&hours(1), &hours(3), 0.5).unwrap(), hours(2));
        let month = ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(1, 0, 0)));
        let zero = ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(0, 0, 0)));
        // Half a month is 15 days.
        assert_eq!(
            interpolated(&zero, &month, 0.5).unwrap(),
            ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(0, 15, 0)))
        );
    }
}
