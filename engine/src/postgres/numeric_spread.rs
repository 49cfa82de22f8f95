//! Variances and standard deviations of exact numbers as Postgres computes them
//! (`numeric_stddev_internal`), in `numeric`: from the count `N`, the sum `Σx` and the sum of
//! squares `Σx²` of the values, the variance is `(N·Σx² − (Σx)²) / (N·(N − 1))` (`N·N` for the
//! population's), rounded to the scale of that division ([`super::numeric_division`]), or 0 when
//! rounding leaves the numerator at 0 or below; the standard deviation is its square root at the
//! same scale. A sample of one value has none (NULL). DataFusion computed them in `float8`.
//! [`super::numeric_averages`] plans `var_samp`, `var_pop`, `stddev` and `stddev_pop` of exact
//! numbers as these functions of their parts.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Builder, Int32Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Int64Type, i256};
use datafusion::common::{Result, plan_err};
use datafusion::error::DataFusionError;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::numeric_division::{divide, division_scale, quotient_type};
use crate::{Anchor, Error};

/// Which spread.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
pub(crate) enum Spread {
    VarSamp,
    VarPop,
    StddevSamp,
    StddevPop,
}

impl Spread {
    /// The spread DataFusion's aggregate of this name computes.
    pub(crate) fn of(aggregate: &str) -> Option<Spread> {
        Some(match aggregate {
            "var" | "var_samp" => Spread::VarSamp,
            "var_pop" => Spread::VarPop,
            "stddev" | "stddev_samp" => Spread::StddevSamp,
            "stddev_pop" => Spread::StddevPop,
            _ => return None,
        })
    }

    fn sample(self) -> bool {
        matches!(self, Spread::VarSamp | Spread::StddevSamp)
    }

    fn root(self) -> bool {
        matches!(self, Spread::StddevSamp | Spread::StddevPop)
    }
}

/// The function computing `spread` from a sum, a sum of squares and a count.
pub(crate) fn spread(spread: Spread) -> ScalarUDF {
    ScalarUDF::new_from_impl(SpreadFunction::new(spread, false))
}

/// The function giving the scale of each value of the function named `name`, if it is one of
/// these.
pub(crate) fn scale_function(name: &str) -> Option<ScalarUDF> {
    let spread = Spread::of(name.strip_prefix(PREFIX)?)?;
    Some(ScalarUDF::new_from_impl(SpreadFunction::new(spread, true)))
}

/// What the names of these functions start with.
const PREFIX: &str = "hangar_numeric_";

/// `hangar_numeric_var_samp(sum, squares, count)` and its siblings, or (`scale`) the scale of
/// each of their values.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SpreadFunction {
    spread: Spread,
    scale: bool,
    name: String,
    signature: Signature,
}

impl SpreadFunction {
    fn new(spread: Spread, scale: bool) -> Self {
        let kind = match spread {
            Spread::VarSamp => "var_samp",
            Spread::VarPop => "var_pop",
            Spread::StddevSamp => "stddev_samp",
            Spread::StddevPop => "stddev_pop",
        };
        let suffix = if scale { "_scale" } else { "" };
        Self {
            spread,
            scale,
            name: format!("{PREFIX}{kind}{suffix}"),
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for SpreadFunction {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [sum, squares, _] = arg_types else {
            return plan_err!("{} takes three arguments", self.name);
        };
        let numeric = |t: &DataType| match t {
            DataType::Decimal128(..) => t.clone(),
            _ => DataType::Decimal128(38, 0),
        };
        Ok(vec![numeric(sum), numeric(squares), DataType::Int64])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match (self.scale, arg_types) {
            (true, _) => Ok(DataType::Int32),
            (false, [_, DataType::Decimal128(_, squares), _]) => Ok(quotient_type(*squares, 0)),
            _ => plan_err!("{} takes numerics", self.name),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (spread, scale) = (self.spread, self.scale);
        make_scalar_function(move |a: &[ArrayRef]| spread_rows(spread, scale, a), vec![])(
            &args.args,
        )
    }
}

/// The spreads (or their scales) of rows of sums, sums of squares and counts.
fn spread_rows(spread: Spread, scale: bool, arrays: &[ArrayRef]) -> Result<ArrayRef> {
    let sums = arrays[0].as_primitive::<Decimal128Type>();
    let squares = arrays[1].as_primitive::<Decimal128Type>();
    let counts = cast(&arrays[2], &DataType::Int64)?;
    let counts = counts.as_primitive::<Int64Type>();
    let type_scale = match quotient_type(squares.scale(), 0) {
        DataType::Decimal128(_, s) => s,
        _ => unreachable!("a quotient is a decimal"),
    };
    let mut values = Decimal128Builder::with_capacity(sums.len());
    let mut scales = Int32Builder::with_capacity(sums.len());
    for i in 0..sums.len() {
        let row = (!sums.is_null(i) && !squares.is_null(i) && !counts.is_null(i))
            .then(|| {
                let parts = Parts {
                    sum: (sums.value(i), sums.scale()),
                    squares: (squares.value(i), squares.scale()),
                    count: counts.value(i),
                };
                parts.spread(spread, type_scale)
            })
            .transpose()?
            .flatten();
        values.append_option(row.map(|(value, _)| value));
        scales.append_option(row.map(|(_, scale)| scale));
    }
    Ok(if scale {
        Arc::new(scales.finish())
    } else {
        Arc::new(values.finish().with_precision_and_scale(38, type_scale)?)
    })
}

/// A group's count, sum and sum of squares (unscaled values and their scales).
struct Parts {
    sum: (i128, i8),
    squares: (i128, i8),
    count: i64,
}

impl Parts {
    /// The spread of the group at `type_scale` and the scale Postgres gives it; `None` where
    /// there is none.
    fn spread(&self, spread: Spread, type_scale: i8) -> Result<Option<(i128, i32)>> {
        let n = i128::from(self.count);
        if n == 0 || (spread.sample() && n == 1) {
            return Ok(None);
        }
        let ((sum, sum_scale), (squares, squares_scale)) = (self.sum, self.squares);
        // N·Σx² − (Σx)², at the larger of their scales.
        let scale = squares_scale.max(sum_scale.saturating_mul(2));
        let at_scale = |v: i128, from: i8| -> Result<i128> {
            v.checked_mul(10i128.pow((scale - from) as u32))
                .ok_or_else(overflow)
        };
        let squared = sum.checked_mul(sum).ok_or_else(overflow)?;
        let numerator = at_scale(n.checked_mul(squares).ok_or_else(overflow)?, squares_scale)?
            .checked_sub(at_scale(squared, sum_scale.saturating_mul(2))?)
            .ok_or_else(overflow)?;
        if numerator <= 0 {
            return Ok(Some((0, 0)));
        }
        let denominator = if spread.sample() { n * (n - 1) } else { n * n };
        let result_scale = division_scale(numerator, scale, denominator, 0).min(type_scale as i32);
        let variance = divide(numerator, scale, denominator, 0, type_scale)
            .map_err(|e| DataFusionError::ArrowError(Box::new(e), None))?;
        if !spread.root() {
            return Ok(Some((variance, result_scale)));
        }
        // The root of the variance rounded to its scale, at that scale.
        let shift = 10i128.pow((type_scale as i32 - result_scale) as u32);
        let radicand = i256::from_i128(variance / shift)
            .checked_mul(i256::from_i128(10).wrapping_pow(result_scale as u32))
            .ok_or_else(overflow)?;
        let root = rounded_root(radicand)
            .to_i128()
            .and_then(|r| r.checked_mul(shift))
            .ok_or_else(overflow)?;
        Ok(Some((root, result_scale)))
    }
}

/// The square root of `n` (not negative), rounded to the nearest integer.
fn rounded_root(n: i256) -> i256 {
    let two = i256::from_i128(2);
    if n < two {
        return n;
    }
    // Newton's method from above: 2^⌈bits/2⌉ is at least the root.
    let bits = 256 - n.leading_zeros();
    let mut x = two.wrapping_pow(bits.div_ceil(2));
    loop {
        let y = x.wrapping_add(n.wrapping_div(x)).wrapping_div(two);
        if y >= x {
            break;
        }
        x = y;
    }
    // x = ⌊√n⌋; round up when n ≥ x² + x + 1, past (x + ½)².
    if n.wrapping_sub(x.wrapping_mul(x)) > x {
        x.wrapping_add(i256::from_i128(1))
    } else {
        x
    }
}

/// A spread beyond what a decimal holds, as Postgres words it.
fn overflow() -> DataFusionError {
    Error::postgres("22003", "numeric field overflow", Anchor::Nowhere).into_datafusion()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spread of integer values as Postgres prints it.
    fn spread_text(values: &[i128], spread: Spread) -> String {
        let parts = Parts {
            sum: (values.iter().sum(), 0),
            squares: (values.iter().map(|v| v * v).sum(), 0),
            count: values.len() as i64,
        };
        let (value, scale) = parts.spread(spread, 20).unwrap().unwrap();
        super::super::display_scales::decimal_text(value, 20, scale)
    }

    #[test]
    fn spreads_are_postgres_spreads() {
        // As PostgreSQL 15 prints them.
        let values = [2, 4, 4, 4, 5, 5, 7, 9];
        assert_eq!(
            spread_text(&values, Spread::StddevPop),
            "2.0000000000000000"
        );
        assert_eq!(spread_text(&values, Spread::VarPop), "4.0000000000000000");
        assert_eq!(spread_text(&values, Spread::VarSamp), "4.5714285714285714");
        assert_eq!(
            spread_text(&values, Spread::StddevSamp),
            "2.1380899352993951"
        );
        assert_eq!(spread_text(&[42], Spread::VarPop), "0");
    }

    #[test]
    fn roots_round_to_the_nearest() {
        assert_eq!(rounded_root(i256::from_i128(15)), i256::from_i128(4));
        assert_eq!(rounded_root(i256::from_i128(12)), i256::from_i128(3));
        assert_eq!(
            rounded_root(i256::from_i128(10i128.pow(30))),
            i256::from_i128(10i128.pow(15))
        );
    }
}
