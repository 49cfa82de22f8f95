//! `cbrt` as Postgres computes it: with the C library's `cbrt`, which on glibc is not correctly
//! rounded (`cbrt(27)` is `3.0000000000000004`), where DataFusion's gives `3`. This is glibc's
//! algorithm (`s_cbrt.c`): a polynomial first guess on the mantissa, one Halley step, the
//! exponent's third put back.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::prelude::SessionContext;

use super::degree_trigonometry::function;

/// The cube root of 2, and its square.
const CBRT_2: f64 = 1.259_921_049_894_873_2;
const CBRT_4: f64 = 1.587_401_051_968_199_5;

/// Replaces the session's `cbrt`.
pub(crate) fn install(ctx: &SessionContext) {
    let invoke = |args: &[ArrayRef]| -> Result<ArrayRef> {
        let x = cast(&args[0], &DataType::Float64)?;
        let result: Float64Array = x.as_primitive::<Float64Type>().unary(cbrt);
        Ok(Arc::new(result))
    };
    ctx.register_udf(function("cbrt", 1, invoke));
}

/// glibc's `cbrt`.
fn cbrt(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x + x;
    }
    let (mantissa, exponent) = frexp(x.abs());
    let m = mantissa;
    let u = 0.354_895_765_043_919_86
        + (1.508_191_937_815_849
            + (-2.114_994_941_673_713
                + (2.446_931_225_635_344_3
                    + (-1.834_692_774_836_130_9
                        + (0.784_932_344_976_639_3 - 0.145_263_899_385_486_38 * m) * m)
                        * m)
                    * m)
                * m)
            * m;
    let t2 = u * u * u;
    let factor = [1.0 / CBRT_4, 1.0 / CBRT_2, 1.0, CBRT_2, CBRT_4][(2 + exponent % 3) as usize];
    let y = u * (t2 + 2.0 * m) / (2.0 * t2 + m) * factor;
    let y = if x > 0.0 { y } else { -y };
    y * 2f64.powi(exponent / 3)
}

/// `x` (finite, above zero) as a mantissa from 0.5 to 1 and a power of two.
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * 2f64.powi(54));
        return (m, e - 54);
    }
    let mantissa = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (mantissa, biased - 1022)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_glibcs() {
        // As PostgreSQL 15 on Debian prints them.
        assert_eq!(cbrt(27.0), 3.000_000_000_000_000_4);
        assert_eq!(cbrt(-27.0), -3.000_000_000_000_000_4);
        assert_eq!(cbrt(64.0), 4.0);
        assert_eq!(cbrt(-64.0), -4.0);
        assert_eq!(cbrt(2.0), 1.259_921_049_894_873_4);
        assert_eq!(cbrt(0.001), 0.1);
        assert_eq!(cbrt(1e300), 1e100);
        assert_eq!(frexp(8.0), (0.5, 4));
    }
}
