//! Postgres' ordered-set aggregates that DataFusion lacks: `mode() WITHIN GROUP (ORDER BY x)`,
//! the most frequent value (of equally frequent ones, the first in the order), and
//! `percentile_disc(f) WITHIN GROUP (ORDER BY x)`, the first value whose position in the order
//! reaches the fraction `f` of the rows. Both keep the values of a group and sort them once, as
//! Postgres does; NULLs are left out.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use crate::{Anchor, Error};

/// Registers `mode` and `percentile_disc` in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    for kind in [Kind::Mode, Kind::PercentileDisc] {
        ctx.register_udaf(AggregateUDF::new_from_impl(OrderedSet::new(kind)));
    }
}

/// Which aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Mode,
    PercentileDisc,
}

/// `mode` or `percentile_disc`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct OrderedSet {
    kind: Kind,
    signature: Signature,
}

impl OrderedSet {
    fn new(kind: Kind) -> Self {
        let arity = match kind {
            Kind::Mode => 1,
            Kind::PercentileDisc => 2,
        };
        Self {
            kind,
            signature: Signature::any(arity, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for OrderedSet {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Mode => "mode",
            Kind::PercentileDisc => "percentile_disc",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
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
        let fractions = match self.kind {
            Kind::Mode => None,
            Kind::PercentileDisc => Some(fractions(&args)?),
        };
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(Values {
            data_type: args.expr_fields[0].data_type().clone(),
            values: Vec::new(),
            fractions,
            descending,
        }))
    }

    fn supports_within_group_clause(&self) -> bool {
        true
    }
}

/// `percentile_disc`'s fraction, or array of fractions: constants between 0 and 1.
fn fractions(args: &AccumulatorArgs) -> Result<Fractions> {
    // A constant evaluates without rows.
    let empty = RecordBatch::new_empty(Arc::new(Schema::empty()));
    let value = match args.exprs.get(1).map(|e| e.evaluate(&empty)) {
        Some(Ok(ColumnarValue::Scalar(value))) => value,
        _ => {
            return Err(
                Error::NotSupported("percentile_disc takes a constant fraction".into())
                    .into_datafusion(),
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

/// `percentile_disc`'s fractions, and whether they came as an array.
#[derive(Debug)]
struct Fractions {
    list: bool,
    fractions: Vec<f64>,
}

/// A group's values, answered once all are in.
#[derive(Debug)]
struct Values {
    data_type: DataType,
    values: Vec<ScalarValue>,
    /// `percentile_disc`'s fractions; `None` for `mode`.
    fractions: Option<Fractions>,
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
        match &self.fractions {
            Some(Fractions { list: true, .. }) => DataType::List(Arc::new(Field::new_list_field(
                self.data_type.clone(),
                true,
            ))),
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
            values[position.min(values.len()) - 1].clone()
        };
        let Some(first) = values.first() else {
            return ScalarValue::try_from(&self.return_type());
        };
        Ok(match &self.fractions {
            Some(Fractions {
                list: true,
                fractions,
            }) => {
                let picked: Vec<ScalarValue> = fractions.iter().map(|f| pick(*f)).collect();
                ScalarValue::List(ScalarValue::new_list_nullable(&picked, &self.data_type))
            }
            Some(Fractions { fractions, .. }) => pick(fractions[0]),
            None => {
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
            fractions: fraction.map(|f| Fractions {
                list: false,
                fractions: vec![f],
            }),
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
}
