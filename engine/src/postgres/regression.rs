//! The correlation, covariance and regression aggregates of two `float8`s (`corr`, `covar_pop`,
//! `covar_samp`, `regr_avgx`, `regr_avgy`, `regr_sxx`, `regr_syy`, `regr_sxy`, `regr_slope`,
//! `regr_intercept`, `regr_r2`) as Postgres computes them: its `float8_regr_accum` sums the
//! squares and products of the differences from the running means (the Youngs–Cramer
//! algorithm), and each function is one formula of those sums. DataFusion's (Welford's updates,
//! `corr` from standard deviations) differ in the last digits: `corr` of
//! `(1,2), (2,4), (3,5), (4,4), (5,5)` was `0.7745966692414833`, `regr_syy` `6`, where Postgres
//! answers `0.7745966692414834` and `5.999999999999999`, which its clients compare against.
//! A row with a NULL on either side is left out, as in Postgres.

use std::collections::VecDeque;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, internal_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

/// Registers the aggregates in the template every session is cloned from, in place of
/// DataFusion's.
pub(crate) fn install(ctx: &SessionContext) {
    for function in [
        Function::Corr,
        Function::CovarPop,
        Function::CovarSamp,
        Function::AvgX,
        Function::AvgY,
        Function::Sxx,
        Function::Syy,
        Function::Sxy,
        Function::Slope,
        Function::Intercept,
        Function::R2,
    ] {
        ctx.register_udaf(AggregateUDF::new_from_impl(Regression {
            function,
            signature: Signature::uniform(2, vec![DataType::Float64], Volatility::Immutable),
        }));
    }
}

/// Which aggregate: each a formula of the sums ([`Sums::result`]).
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Function {
    Corr,
    CovarPop,
    CovarSamp,
    AvgX,
    AvgY,
    Sxx,
    Syy,
    Sxy,
    Slope,
    Intercept,
    R2,
}

impl Function {
    fn name(self) -> &'static str {
        match self {
            Function::Corr => "corr",
            Function::CovarPop => "covar_pop",
            Function::CovarSamp => "covar_samp",
            Function::AvgX => "regr_avgx",
            Function::AvgY => "regr_avgy",
            Function::Sxx => "regr_sxx",
            Function::Syy => "regr_syy",
            Function::Sxy => "regr_sxy",
            Function::Slope => "regr_slope",
            Function::Intercept => "regr_intercept",
            Function::R2 => "regr_r2",
        }
    }
}

/// One of the aggregates, of `(y, x)`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Regression {
    function: Function,
    signature: Signature,
}

impl AggregateUDFImpl for Regression {
    fn name(&self) -> &str {
        self.function.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(["n", "sx", "sxx", "sy", "syy", "sxy"]
            .into_iter()
            .map(|part| {
                Arc::new(Field::new(
                    format!("{}[{part}]", args.name),
                    DataType::Float64,
                    true,
                ))
            })
            .collect())
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(RegressionAccumulator {
            function: self.function,
            sums: Sums::default(),
        }))
    }

    /// Over a moving window frame, the frame's rows, summed anew for each result: Postgres has no
    /// inverse of its transition, and restarts the aggregate as the frame's start moves.
    fn create_sliding_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(FrameAccumulator {
            function: self.function,
            rows: VecDeque::new(),
        }))
    }
}

/// Postgres' transition state: the count, the sums of the values and the sums of the squared
/// (and multiplied) differences from the means.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    n: f64,
    sx: f64,
    sxx: f64,
    sy: f64,
    syy: f64,
    sxy: f64,
}

impl Sums {
    /// Adds a row, as `float8_regr_accum` does (without its overflow error).
    fn add(&mut self, y: f64, x: f64) {
        let first = self.n == 0.0;
        self.n += 1.0;
        self.sx += x;
        self.sy += y;
        if first {
            // A first value that is not finite leaves its sums NaN, not a variance of 0.
            if !x.is_finite() {
                (self.sxx, self.sxy) = (f64::NAN, f64::NAN);
            }
            if !y.is_finite() {
                (self.syy, self.sxy) = (f64::NAN, f64::NAN);
            }
            return;
        }
        let dx = x * self.n - self.sx;
        let dy = y * self.n - self.sy;
        let scale = 1.0 / (self.n * (self.n - 1.0));
        self.sxx += dx * dx * scale;
        self.syy += dy * dy * scale;
        self.sxy += dx * dy * scale;
        // Sums of an infinite value are NaN, never infinite.
        for sum in [&mut self.sxx, &mut self.syy, &mut self.sxy] {
            if sum.is_infinite() {
                *sum = f64::NAN;
            }
        }
    }

    /// Adds another state's rows, as `float8_regr_combine` does.
    fn combine(&mut self, other: Sums) {
        if other.n == 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = other;
            return;
        }
        let n = self.n + other.n;
        let dx = self.sx / self.n - other.sx / other.n;
        let dy = self.sy / self.n - other.sy / other.n;
        let weight = self.n * other.n / n;
        self.sxx += other.sxx + weight * dx * dx;
        self.syy += other.syy + weight * dy * dy;
        self.sxy += other.sxy + weight * dx * dy;
        self.sx += other.sx;
        self.sy += other.sy;
        self.n = n;
    }

    /// The sums as an aggregate's state, in the order of its state fields.
    fn state(&self) -> Vec<ScalarValue> {
        [self.n, self.sx, self.sxx, self.sy, self.syy, self.sxy]
            .into_iter()
            .map(|v| ScalarValue::Float64(Some(v)))
            .collect()
    }

    /// `function` of the rows added, as Postgres' final functions compute it.
    fn result(&self, function: Function) -> Option<f64> {
        let Sums {
            n,
            sx,
            sxx,
            sy,
            syy,
            sxy,
        } = *self;
        if n < 1.0 {
            return None;
        }
        Some(match function {
            Function::Corr if sxx == 0.0 || syy == 0.0 => return None,
            Function::Corr => sxy / (sxx * syy).sqrt(),
            Function::CovarPop => sxy / n,
            Function::CovarSamp if n < 2.0 => return None,
            Function::CovarSamp => sxy / (n - 1.0),
            Function::AvgX => sx / n,
            Function::AvgY => sy / n,
            Function::Sxx => sxx,
            Function::Syy => syy,
            Function::Sxy => sxy,
            Function::Slope | Function::Intercept | Function::R2 if sxx == 0.0 => return None,
            Function::Slope => sxy / sxx,
            Function::Intercept => (sy - sx * sxy / sxx) / n,
            Function::R2 if syy == 0.0 => 1.0,
            Function::R2 => (sxy * sxy) / (sxx * syy),
        })
    }
}

#[derive(Debug)]
struct RegressionAccumulator {
    function: Function,
    sums: Sums,
}

/// Each array of `arrays` as `float8`s.
fn floats(arrays: &[ArrayRef]) -> Result<Vec<ArrayRef>> {
    arrays
        .iter()
        .map(|a| Ok(cast(a, &DataType::Float64)?))
        .collect()
}

impl Accumulator for RegressionAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for (y, x) in pairs(values)? {
            self.sums.add(y, x);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let states = floats(states)?;
        let part = |j: usize, i: usize| states[j].as_primitive::<Float64Type>().value(i);
        for i in 0..states[0].len() {
            self.sums.combine(Sums {
                n: part(0, i),
                sx: part(1, i),
                sxx: part(2, i),
                sy: part(3, i),
                syy: part(4, i),
                sxy: part(5, i),
            });
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(self.sums.state())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(self.sums.result(self.function)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

/// The rows of a moving window frame, with a NULL on neither side.
#[derive(Debug)]
struct FrameAccumulator {
    function: Function,
    rows: VecDeque<(f64, f64)>,
}

impl FrameAccumulator {
    fn sums(&self) -> Sums {
        let mut sums = Sums::default();
        for &(y, x) in &self.rows {
            sums.add(y, x);
        }
        sums
    }
}

/// The rows of `values`, `(y, x)` pairs, with a NULL on neither side.
fn pairs(values: &[ArrayRef]) -> Result<Vec<(f64, f64)>> {
    let values = floats(values)?;
    let (y, x) = (
        values[0].as_primitive::<Float64Type>(),
        values[1].as_primitive::<Float64Type>(),
    );
    Ok((0..y.len())
        .filter(|&i| y.is_valid(i) && x.is_valid(i))
        .map(|i| (y.value(i), x.value(i)))
        .collect())
}

impl Accumulator for FrameAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.rows.extend(pairs(values)?);
        Ok(())
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for _ in pairs(values)? {
            self.rows.pop_front();
        }
        Ok(())
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn merge_batch(&mut self, _: &[ArrayRef]) -> Result<()> {
        internal_err!("a window frame's rows are not merged")
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(self.sums().state())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(self.sums().result(self.function)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.rows.capacity() * std::mem::size_of::<(f64, f64)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(rows: &[(f64, f64)]) -> Sums {
        let mut sums = Sums::default();
        for &(y, x) in rows {
            sums.add(y, x);
        }
        sums
    }

    #[test]
    fn results_are_postgres_digits() {
        // (x, y) = (1,2), (2,4), (3,5), (4,4), (5,5), added as (y, x) the other way round for
        // corr's arguments (x, y); PostgreSQL 15 answers these.
        let rows = [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        let corr = sums(&rows);
        assert_eq!(corr.result(Function::Corr), Some(0.7745966692414834));
        let regression = sums(&rows.map(|(x, y)| (y, x)));
        assert_eq!(regression.result(Function::Syy), Some(5.999999999999999));
        assert_eq!(regression.result(Function::Sxx), Some(10.0));
        assert_eq!(sums(&[]).result(Function::AvgX), None);
        assert_eq!(sums(&[(1.0, 1.0)]).result(Function::CovarSamp), None);
    }

    #[test]
    fn combined_states_give_the_sums_of_all_rows() {
        let rows = [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        let mut first = sums(&rows[..2]);
        first.combine(sums(&rows[2..]));
        let whole = sums(&rows);
        for function in [Function::CovarPop, Function::AvgY, Function::Slope] {
            let (a, b) = (
                first.result(function).unwrap(),
                whole.result(function).unwrap(),
            );
            assert!((a - b).abs() < 1e-12, "{function:?}: {a} vs {b}");
        }
    }
}
