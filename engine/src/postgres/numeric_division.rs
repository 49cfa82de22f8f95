//! Division of `numeric`s as Postgres divides them: the quotient is rounded, half away from zero,
//! to the scale Postgres' `select_div_scale` picks for each pair of values (at least sixteen
//! significant digits, and no fewer decimals than either operand shows), where DataFusion
//! truncated it at a scale fixed by the operands' types (`1 / 7.0` was `0.1428`, `902.00 / 3` was
//! `300.666666`; Postgres answers `0.14285714285714285714` and `300.6666666666666667`).
//!
//! This expression planner plans `/` of two exact numbers, one of them a `numeric`, as
//! `hangar_numeric_div(a, b)`, so that the statement's description and the operators above the
//! quotient have its type. Its result type holds [`QUOTIENT_SCALE`] decimals (more when
//! an operand has more), the quotients of magnitude 0.0001 and more at their full Postgres scale;
//! a quotient too large for the 38 digits of a decimal fails with `numeric field overflow`.
//! `hangar_numeric_div_scale(a, b)` is the scale of each quotient, by which the Postgres wire
//! prints it ([`super::display_scales`]).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::compute::kernels::arity::try_binary;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Int32Type, i256};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{DFSchema, Result, plan_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use crate::Anchor;
use crate::Error;

/// Postgres' `NUMERIC_MIN_SIG_DIGITS`: a quotient has at least this many significant digits.
const MIN_SIG_DIGITS: i32 = 16;

/// The fewest decimals a quotient's type holds: Postgres' scale for every quotient of magnitude
/// 0.0001 or more whose operands show fewer decimals.
const QUOTIENT_SCALE: i8 = 20;

/// The digits of a `numeric` Hangar holds.
const PRECISION: u8 = 38;

/// The planner of `/`; see the module.
#[derive(Debug)]
pub(crate) struct NumericDivision;

impl ExprPlanner for NumericDivision {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        if !matches!(expr.op, BinaryOperator::Divide) {
            return Ok(PlannerResult::Original(expr));
        }
        let (Ok(left), Ok(right)) = (expr.left.get_type(schema), expr.right.get_type(schema))
        else {
            return Ok(PlannerResult::Original(expr));
        };
        let numeric = |t: &DataType| matches!(t, DataType::Decimal128(..));
        if !(is_exact(&left) && is_exact(&right) && (numeric(&left) || numeric(&right))) {
            return Ok(PlannerResult::Original(expr));
        }
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            ScalarFunction::new_udf(Arc::new(quotient()), vec![expr.left, expr.right]),
        )))
    }
}

/// `hangar_numeric_div`, the quotient.
pub(crate) fn quotient() -> ScalarUDF {
    ScalarUDF::new_from_impl(Divide::new(Output::Quotient))
}

/// `hangar_numeric_div_scale`, the scale of each quotient, if `name` names `hangar_numeric_div`.
pub(crate) fn scale_function(name: &str) -> Option<ScalarUDF> {
    (name == Divide::new(Output::Quotient).name())
        .then(|| ScalarUDF::new_from_impl(Divide::new(Output::Scale)))
}

/// A `numeric` or an integer.
pub(crate) fn is_exact(data_type: &DataType) -> bool {
    data_type.is_integer() || matches!(data_type, DataType::Decimal128(..))
}

/// The scale of the quotient type of operands of scales `a` and `b`.
fn quotient_type_scale(a: i8, b: i8) -> i8 {
    QUOTIENT_SCALE.max(a).max(b).min(PRECISION as i8)
}

/// The type of the quotient of operands of scales `a` and `b`.
pub(crate) fn quotient_type(a: i8, b: i8) -> DataType {
    DataType::Decimal128(PRECISION, quotient_type_scale(a, b))
}

/// What a [`Divide`] gives.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Output {
    Quotient,
    Scale,
}

/// `hangar_numeric_div` and `hangar_numeric_div_scale`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Divide {
    output: Output,
    signature: Signature,
}

impl Divide {
    fn new(output: Output) -> Self {
        Self {
            output,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for Divide {
    fn name(&self) -> &str {
        match self.output {
            Output::Quotient => "hangar_numeric_div",
            Output::Scale => "hangar_numeric_div_scale",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 2 {
            return plan_err!("{} takes two arguments", self.name());
        }
        arg_types
            .iter()
            .map(|t| match t {
                DataType::Decimal128(..) => Ok(t.clone()),
                t if t.is_integer() || t.is_null() => Ok(DataType::Decimal128(20, 0)),
                other => plan_err!("{} does not take {other}", self.name()),
            })
            .collect()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let [DataType::Decimal128(_, a), DataType::Decimal128(_, b)] = arg_types else {
            return plan_err!("{} takes two numerics", self.name());
        };
        Ok(match self.output {
            Output::Quotient => quotient_type(*a, *b),
            Output::Scale => DataType::Int32,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let output = self.output;
        make_scalar_function(
            move |arrays: &[ArrayRef]| divide_rows(output, arrays),
            vec![],
        )(&args.args)
    }
}

/// The quotients, or their scales, of two columns of decimals.
fn divide_rows(output: Output, arrays: &[ArrayRef]) -> Result<ArrayRef> {
    let (x, y) = (
        arrays[0].as_primitive::<Decimal128Type>(),
        arrays[1].as_primitive::<Decimal128Type>(),
    );
    let (sx, sy) = (x.scale(), y.scale());
    let type_scale = quotient_type_scale(sx, sy);
    Ok(match output {
        Output::Quotient => Arc::new(
            try_binary::<_, _, _, Decimal128Type>(x, y, |a, b| divide(a, sx, b, sy, type_scale))?
                .with_precision_and_scale(PRECISION, type_scale)?,
        ),
        Output::Scale => {
            let scales: PrimitiveArray<Int32Type> = try_binary(x, y, |a, b| {
                Ok(division_scale(a, sx, b, sy).min(type_scale as i32))
            })?;
            Arc::new(scales)
        }
    })
}

/// `x / y` (unscaled values of scales `sx` and `sy`) rounded as Postgres rounds it, as an unscaled
/// value of scale `type_scale`.
pub(crate) fn divide(x: i128, sx: i8, y: i128, sy: i8, type_scale: i8) -> Result<i128, ArrowError> {
    if y == 0 {
        return Err(ArrowError::DivideByZero);
    }
    let scale = division_scale(x, sx, y, sy).min(type_scale as i32);
    // x / y at `scale` is x * 10^(sy + scale) / (y * 10^sx).
    let shift = sy as i32 + scale - sx as i32;
    let (numerator, denominator) = if shift >= 0 {
        (
            i256::from_i128(x).checked_mul(power_of_ten(shift)?),
            i256::from_i128(y),
        )
    } else {
        (
            Some(i256::from_i128(x)),
            i256::from_i128(y)
                .checked_mul(power_of_ten(-shift)?)
                .ok_or_else(overflow)?,
        )
    };
    let numerator = numerator.ok_or_else(overflow)?;
    let mut quotient = numerator.wrapping_div(denominator);
    let remainder = numerator.wrapping_rem(denominator);
    if remainder.wrapping_abs().wrapping_mul(i256::from_i128(2)) >= denominator.wrapping_abs() {
        let away = if numerator.is_negative() == denominator.is_negative() {
            1
        } else {
            -1
        };
        quotient = quotient.wrapping_add(i256::from_i128(away));
    }
    let value = quotient
        .checked_mul(power_of_ten(type_scale as i32 - scale)?)
        .and_then(i256::to_i128)
        .filter(|v| v.unsigned_abs() < 10u128.pow(PRECISION as u32))
        .ok_or_else(overflow)?;
    Ok(value)
}

/// 10 to the power `exponent`, as a 256-bit integer.
fn power_of_ten(exponent: i32) -> Result<i256, ArrowError> {
    i256::from_i128(10)
        .checked_pow(exponent as u32)
        .ok_or_else(overflow)
}

/// The error of a quotient a decimal does not hold, as Postgres words it.
fn overflow() -> ArrowError {
    ArrowError::ExternalError(Box::new(Error::postgres(
        "22003",
        "numeric field overflow",
        Anchor::Nowhere,
    )))
}

/// Postgres' `select_div_scale`: the scale of the quotient of `x` and `y` (unscaled values of
/// scales `sx` and `sy`), from an estimate of the quotient's weight (its leading digit's position
/// in base 10,000, the base Postgres computes in).
pub(crate) fn division_scale(x: i128, sx: i8, y: i128, sy: i8) -> i32 {
    let (weight_x, first_x) = weight_and_first_digit(x, sx);
    let (weight_y, first_y) = weight_and_first_digit(y, sy);
    let mut weight = weight_x - weight_y;
    if first_x <= first_y {
        weight -= 1;
    }
    (MIN_SIG_DIGITS - weight * 4)
        .max(sx as i32)
        .max(sy as i32)
        .clamp(0, 1000)
}

/// The weight (position of the leading base-10,000 digit) of the value `v` of scale `s`, and that
/// digit; zero's are both 0, as Postgres takes them.
fn weight_and_first_digit(v: i128, s: i8) -> (i32, u128) {
    if v == 0 {
        return (0, 0);
    }
    let magnitude = v.unsigned_abs();
    let exponent = magnitude.ilog10() as i32 - s as i32;
    let weight = exponent.div_euclid(4);
    let shift = s as i32 + 4 * weight;
    let first = if shift >= 0 {
        magnitude / 10u128.pow(shift as u32)
    } else {
        magnitude * 10u128.pow((-shift) as u32)
    };
    (weight, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quotient of two decimal texts as Postgres prints it.
    fn quotient_text(x: &str, y: &str) -> String {
        let (a, sa) = unscaled(x);
        let (b, sb) = unscaled(y);
        let type_scale = quotient_type_scale(sa, sb);
        let value = divide(a, sa, b, sb, type_scale).unwrap();
        let scale = division_scale(a, sa, b, sb).min(type_scale as i32);
        super::super::display_scales::decimal_text(value, type_scale as i32, scale)
    }

    fn unscaled(text: &str) -> (i128, i8) {
        let scale = text.split_once('.').map_or(0, |(_, f)| f.len());
        (text.replace('.', "").parse().unwrap(), scale as i8)
    }

    #[test]
    fn quotients_are_postgres_quotients() {
        // Each pair as PostgreSQL 15 prints it.
        assert_eq!(quotient_text("1.0", "3"), "0.33333333333333333333");
        assert_eq!(quotient_text("10.0", "4"), "2.5000000000000000");
        assert_eq!(quotient_text("100.00", "3"), "33.3333333333333333");
        assert_eq!(quotient_text("123456789.123", "7"), "17636684.160428571429");
        assert_eq!(quotient_text("902.00", "3"), "300.6666666666666667");
        assert_eq!(quotient_text("7", "7"), "1.00000000000000000000");
        assert_eq!(quotient_text("21", "7"), "3.0000000000000000");
        assert_eq!(quotient_text("-2", "3"), "-0.66666666666666666667");
        assert_eq!(quotient_text("400930.00", "100"), "4009.3000000000000000");
        assert_eq!(quotient_text("505110", "20000"), "25.2555000000000000");
        assert_eq!(quotient_text("2131740.0", "5"), "426348.000000000000");
    }

    #[test]
    fn a_zero_divisor_is_refused() {
        assert!(matches!(
            divide(1, 0, 0, 0, 20),
            Err(ArrowError::DivideByZero)
        ));
    }

    #[test]
    fn a_quotient_beyond_38_digits_overflows() {
        assert!(divide(i128::from(10).pow(37), 0, 1, 2, 20).is_err());
    }
}
