//! Postgres' numeric functions that DataFusion lacks: `width_bucket(x, low, high, count)`, the
//! bucket of `x` among `count` equal buckets between `low` and `high` (0 below them, `count + 1`
//! above), and `width_bucket(x, thresholds)`, the bucket of `x` among those that a sorted array's
//! values begin (0 below the first); `scale(x)`, the digits after a numeric's decimal point; `min_scale(x)`, the fewest
//! that show its value exactly; and `factorial(n)`, a `numeric` (DataFusion's was a `bigint`, which
//! overflowed from 21!), up to 33!, the last that 38 digits hold.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Decimal128Array, Int32Array, make_comparator,
};
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int32Type, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::error::DataFusionError;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, TypeSignature, Volatility};
use datafusion::prelude::SessionContext;

use crate::error::pg_type_name;
use crate::{Anchor, Error};

/// Registers the functions in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    let float = DataType::Float64;
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "width_bucket",
        Signature::one_of(
            vec![
                TypeSignature::Exact(vec![float.clone(), float.clone(), float, DataType::Int32]),
                TypeSignature::Any(2),
            ],
            Volatility::Immutable,
        ),
        DataType::Int32,
        Arc::new(make_scalar_function(width_buckets, vec![])),
    )));
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "factorial",
        Signature::exact(vec![DataType::Int64], Volatility::Immutable),
        DataType::Decimal128(38, 0),
        Arc::new(make_scalar_function(factorials, vec![])),
    )));
    for (name, digits) in [
        ("scale", scale as fn(i128, i8) -> i32),
        ("min_scale", min_scale),
    ] {
        let invoke = move |args: &[ArrayRef]| -> Result<ArrayRef> {
            let scale = match args[0].data_type() {
                DataType::Decimal128(_, scale) => *scale,
                t if t.is_integer() => 0,
                other => return exec_err!("{name}({other}) does not exist"),
            };
            let values = cast(&args[0], &DataType::Decimal128(38, scale))?;
            let values = values.as_primitive::<Decimal128Type>();
            Ok(Arc::new(values.unary::<_, Int32Type>(|v| digits(v, scale))))
        };
        ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
            name,
            Signature::any(1, Volatility::Immutable),
            DataType::Int32,
            Arc::new(make_scalar_function(invoke, vec![])),
        )));
    }
}

/// `factorial` over a batch of arguments.
fn factorials(args: &[ArrayRef]) -> Result<ArrayRef> {
    let values: Result<Decimal128Array> = args[0]
        .as_primitive::<Int64Type>()
        .iter()
        .map(|n| n.map(factorial).transpose())
        .collect();
    Ok(Arc::new(values?.with_precision_and_scale(38, 0)?))
}

/// `n!`, or Postgres' error for a negative `n`, and its overflow error past 38 digits.
fn factorial(n: i64) -> Result<i128> {
    let overflow = |message: &str| {
        Error::postgres("22003", message.to_owned(), Anchor::Nowhere).into_datafusion()
    };
    if n < 0 {
        return Err(overflow("factorial of a negative number is undefined"));
    }
    (1..=i128::from(n))
        .try_fold(1i128, |product, k| product.checked_mul(k))
        .filter(|product| *product < 10i128.pow(38))
        .ok_or_else(|| overflow("value overflows numeric format"))
}

/// The digits after the decimal point of a decimal of `scale` (a negative scale shows none).
fn scale(_: i128, scale: i8) -> i32 {
    i32::from(scale.max(0))
}

/// The fewest digits after the decimal point that show `value` (of `scale`) exactly.
fn min_scale(mut value: i128, scale: i8) -> i32 {
    let mut digits = i32::from(scale.max(0));
    while digits > 0 && value % 10 == 0 {
        value /= 10;
        digits -= 1;
    }
    digits
}

/// `width_bucket` over a batch of arguments.
fn width_buckets(args: &[ArrayRef]) -> Result<ArrayRef> {
    if let [x, thresholds] = args {
        return threshold_buckets(x, thresholds);
    }
    let floats = |i: usize| args[i].as_primitive::<Float64Type>();
    let (x, low, high) = (floats(0), floats(1), floats(2));
    let count = args[3].as_primitive::<Int32Type>();
    let buckets = (0..x.len())
        .map(|row| {
            let null = [x.is_null(row), low.is_null(row), high.is_null(row)];
            if null.contains(&true) || count.is_null(row) {
                return Ok(None);
            }
            bucket(
                x.value(row),
                low.value(row),
                high.value(row),
                count.value(row),
            )
            .map(Some)
        })
        .collect::<Result<Int32Array>>()?;
    Ok(Arc::new(buckets))
}

/// `width_bucket(x, thresholds)` over a batch: how many of the thresholds are at most `x`, found
/// by bisection as Postgres finds it (so of thresholds that are not sorted, its answer).
fn threshold_buckets(x: &ArrayRef, thresholds: &ArrayRef) -> Result<ArrayRef> {
    let error = |sqlstate, message: &str| {
        Err(Error::postgres(sqlstate, message.to_owned(), Anchor::Nowhere).into_datafusion())
    };
    let DataType::List(element) = thresholds.data_type() else {
        return error("42883", "width_bucket takes its thresholds as an array");
    };
    if matches!(element.data_type(), DataType::List(_)) {
        return error("2202E", "thresholds must be one-dimensional array");
    }
    let Some(common) = comparison_coercion(x.data_type(), element.data_type()) else {
        let message = format!(
            "function width_bucket({}, {}) does not exist",
            pg_type_name(x.data_type()),
            pg_type_name(thresholds.data_type())
        );
        return error("42883", &message);
    };
    let x = cast(x, &common)?;
    let thresholds = thresholds.as_list::<i32>();
    let values = cast(thresholds.values(), &common)?;
    if values.null_count() > 0 {
        return error("22004", "thresholds array must not contain NULLs");
    }
    let compare = make_comparator(&x, &values, SortOptions::default())?;
    let buckets: Int32Array = (0..x.len())
        .map(|row| {
            if x.is_null(row) || thresholds.is_null(row) {
                return None;
            }
            let offsets = thresholds.value_offsets();
            let (mut left, mut right) = (offsets[row] as usize, offsets[row + 1] as usize);
            let first = left;
            while left < right {
                let middle = (left + right) / 2;
                match compare(row, middle) {
                    Ordering::Less => right = middle,
                    _ => left = middle + 1,
                }
            }
            Some((left - first) as i32)
        })
        .collect();
    Ok(Arc::new(buckets))
}

/// The bucket of `x` as Postgres' `width_bucket` numbers it; `low` may be above `high`.
fn bucket(x: f64, low: f64, high: f64, count: i32) -> Result<i32> {
    let invalid = |message: &str| Err(DataFusionError::Execution(message.into()));
    if count <= 0 {
        return invalid("count must be greater than zero");
    }
    if low == high {
        return invalid("lower bound cannot equal upper bound");
    }
    let (offset, width) = if low < high {
        if x < low {
            return Ok(0);
        } else if x >= high {
            return Ok(count.saturating_add(1));
        }
        (x - low, high - low)
    } else {
        if x > low {
            return Ok(0);
        } else if x <= high {
            return Ok(count.saturating_add(1));
        }
        (low - x, low - high)
    };
    Ok((offset * f64::from(count) / width).floor() as i32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_as_postgres_numbers_them() {
        assert_eq!(bucket(5.35, 0.024, 10.06, 5).unwrap(), 3);
        assert_eq!(bucket(5.35, 10.06, 0.024, 5).unwrap(), 3);
        let edges: Vec<i32> = [0.0, 10.0, -1.0, 11.0]
            .iter()
            .map(|x| bucket(*x, 0.0, 10.0, 5).unwrap())
            .collect();
        assert_eq!(edges, [1, 6, 0, 6]);
        assert!(bucket(1.0, 2.0, 2.0, 5).is_err());
    }

    #[test]
    fn scales_count_digits_after_the_point() {
        // 8.4100
        assert_eq!((scale(84100, 4), min_scale(84100, 4)), (4, 2));
        assert_eq!((scale(0, 2), min_scale(0, 2)), (2, 0));
        assert_eq!((scale(1, -3), min_scale(123, 0)), (0, 0));
    }

    #[test]
    fn factorials_are_exact_up_to_38_digits() {
        assert_eq!(factorial(0).unwrap(), 1);
        assert_eq!(factorial(25).unwrap(), 15_511_210_043_330_985_984_000_000);
        assert_eq!(
            factorial(33).unwrap(),
            8_683_317_618_811_886_495_518_194_401_280_000_000
        );
        assert!(factorial(34).is_err());
        assert!(factorial(-1).is_err());
    }
}
