//! Postgres' trigonometry in degrees, which DataFusion lacks: `sind`, `cosd`, `tand`, `cotd`,
//! `asind`, `acosd`, `atand` and `atan2d`, computed as Postgres computes them (`float.c`), so that
//! the angles of the common triangles are exact (`sind(30)` is `0.5`, `tand(45)` is `1`, `acosd(0.5)`
//! is `60`): the argument is brought into the first quadrant, and each result is scaled by the
//! function's value at a known angle.

use std::f64::consts::PI;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::error::DataFusionError;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, Volatility};
use datafusion::prelude::SessionContext;

use crate::{Anchor, Error};

/// A function of one argument; `None` outside its domain.
type Degrees = fn(f64) -> Option<f64>;

/// Radians in a degree.
const RADIANS_PER_DEGREE: f64 = PI / 180.0;

/// Registers the functions in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    let one: [(&str, Degrees); 7] = [
        ("sind", sind),
        ("cosd", cosd),
        ("tand", tand),
        ("cotd", cotd),
        ("asind", asind),
        ("acosd", acosd),
        ("atand", |x| Some(x.atan() / 1f64.atan() * 45.0)),
    ];
    for (name, f) in one {
        let invoke = move |args: &[ArrayRef]| -> Result<ArrayRef> {
            let x = cast(&args[0], &DataType::Float64)?;
            let result: Float64Array = x
                .as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.map(|v| f(v).ok_or_else(out_of_range)).transpose())
                .collect::<Result<_>>()?;
            Ok(Arc::new(result))
        };
        ctx.register_udf(function(name, 1, invoke));
    }
    let atan2d = |args: &[ArrayRef]| -> Result<ArrayRef> {
        let y = cast(&args[0], &DataType::Float64)?;
        let x = cast(&args[1], &DataType::Float64)?;
        let result: Float64Array = y
            .as_primitive::<Float64Type>()
            .iter()
            .zip(x.as_primitive::<Float64Type>().iter())
            .map(|(y, x)| Some(y?.atan2(x?) / 1f64.atan() * 45.0))
            .collect();
        Ok(Arc::new(result))
    };
    ctx.register_udf(function("atan2d", 2, atan2d));
}

/// A function of `arguments` `double precision`s giving one.
pub(crate) fn function(
    name: &str,
    arguments: usize,
    invoke: impl Fn(&[ArrayRef]) -> Result<ArrayRef> + Send + Sync + 'static,
) -> ScalarUDF {
    ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        name,
        Signature::exact(vec![DataType::Float64; arguments], Volatility::Immutable),
        DataType::Float64,
        Arc::new(make_scalar_function(invoke, vec![])),
    ))
}

/// Postgres' error for an argument outside a function's domain.
fn out_of_range() -> DataFusionError {
    Error::postgres("22003", "input is out of range", Anchor::Nowhere).into_datafusion()
}

/// The sine of `x` degrees, 0 to 30.
fn sind_0_to_30(x: f64) -> f64 {
    (x * RADIANS_PER_DEGREE).sin() / (30.0 * RADIANS_PER_DEGREE).sin() / 2.0
}

/// The cosine of `x` degrees, 0 to 60.
fn cosd_0_to_60(x: f64) -> f64 {
    let one_minus_cos_60 = 1.0 - (60.0 * RADIANS_PER_DEGREE).cos();
    1.0 - (1.0 - (x * RADIANS_PER_DEGREE).cos()) / one_minus_cos_60 / 2.0
}

/// The sine of `x` degrees, 0 to 90.
fn sind_q1(x: f64) -> f64 {
    if x <= 30.0 {
        sind_0_to_30(x)
    } else {
        cosd_0_to_60(90.0 - x)
    }
}

/// The cosine of `x` degrees, 0 to 90.
fn cosd_q1(x: f64) -> f64 {
    if x <= 60.0 {
        cosd_0_to_60(x)
    } else {
        sind_0_to_30(90.0 - x)
    }
}

/// `x` degrees in the first quadrant, with the signs of its sine and cosine there; `None` for an
/// infinity. A NaN stays NaN, and so does every function of it.
fn first_quadrant(x: f64) -> Option<(f64, f64, f64)> {
    if x.is_infinite() {
        return None;
    }
    let (mut x, mut sine, mut cosine) = (x % 360.0, 1.0, 1.0);
    if x < 0.0 {
        x = -x;
        sine = -sine;
    }
    if x > 180.0 {
        x = 360.0 - x;
        sine = -sine;
    }
    if x > 90.0 {
        x = 180.0 - x;
        cosine = -cosine;
    }
    Some((x, sine, cosine))
}

fn sind(x: f64) -> Option<f64> {
    let (x, sine, _) = first_quadrant(x)?;
    Some(sine * sind_q1(x))
}

fn cosd(x: f64) -> Option<f64> {
    let (x, _, cosine) = first_quadrant(x)?;
    Some(cosine * cosd_q1(x))
}

fn tand(x: f64) -> Option<f64> {
    let (x, sine, cosine) = first_quadrant(x)?;
    let tan_45 = sind_q1(45.0) / cosd_q1(45.0);
    let result = sine * cosine * (sind_q1(x) / cosd_q1(x) / tan_45);
    // tand(0) is 0, not -0.
    Some(if result == 0.0 { 0.0 } else { result })
}

fn cotd(x: f64) -> Option<f64> {
    let (x, sine, cosine) = first_quadrant(x)?;
    let cot_45 = cosd_q1(45.0) / sind_q1(45.0);
    let result = sine * cosine * (cosd_q1(x) / sind_q1(x) / cot_45);
    Some(if result == 0.0 { 0.0 } else { result })
}

/// The arc sine in degrees of `x`, 0 to 1.
fn asind_q1(x: f64) -> f64 {
    if x <= 0.5 {
        x.asin() / 0.5f64.asin() * 30.0
    } else {
        90.0 - x.acos() / 0.5f64.acos() * 60.0
    }
}

/// The arc cosine in degrees of `x`, 0 to 1.
fn acosd_q1(x: f64) -> f64 {
    if x <= 0.5 {
        90.0 - x.asin() / 0.5f64.asin() * 30.0
    } else {
        x.acos() / 0.5f64.acos() * 60.0
    }
}

fn asind(x: f64) -> Option<f64> {
    if x.is_nan() {
        return Some(x);
    }
    if !(-1.0..=1.0).contains(&x) {
        return None;
    }
    Some(if x >= 0.0 { asind_q1(x) } else { -asind_q1(-x) })
}

fn acosd(x: f64) -> Option<f64> {
    if x.is_nan() {
        return Some(x);
    }
    if !(-1.0..=1.0).contains(&x) {
        return None;
    }
    Some(if x >= 0.0 {
        acosd_q1(x)
    } else {
        90.0 + asind_q1(-x)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_angles_are_exact() {
        assert_eq!(sind(30.0), Some(0.5));
        assert_eq!(cosd(60.0), Some(0.5));
        assert_eq!(tand(45.0), Some(1.0));
        assert_eq!(sind(90.0), Some(1.0));
        assert_eq!(cosd(90.0), Some(0.0));
        assert_eq!(tand(0.0), Some(0.0));
        assert_eq!(cotd(45.0), Some(1.0));
        assert_eq!(asind(0.5), Some(30.0));
        assert_eq!(acosd(0.5), Some(60.0));
        assert_eq!(sind(-30.0), Some(-0.5));
        assert_eq!(asind(2.0), None);
        assert!(sind(f64::NAN).is_some_and(f64::is_nan));
        assert!(tand(f64::NAN).is_some_and(f64::is_nan));
        assert!(asind(f64::NAN).is_some_and(f64::is_nan));
    }
}
