//! Casts to `numeric` without a precision keep the value's scale, as Postgres' `numeric` does:
//! an integer has none (`42::numeric` is `42`), a literal's text has its own (`'1.50'::numeric`
//! is `1.50`, `NUMERIC '12.340'` is `12.340`). DataFusion cast every such value to
//! `decimal(38, 10)`, which printed `42.0000000000`. A cast of another text (a column's), or of a
//! float, keeps DataFusion's ten digits: their scale differs from value to value in Postgres,
//! which a decimal column cannot hold (see `docs/compatibility.md`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    CastKind, DataType as SqlType, ExactNumberInfo, Expr, Statement,
};

use crate::statement::{parse_expr, rewrite_expressions};
use crate::{Anchor, Error};

/// The scale DataFusion gives a `numeric` of unknown scale.
const DEFAULT_SCALE: i8 = 10;

/// Registers `hangar_numeric` in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(NumericCast::new()));
}

/// Rewrites `statement`'s casts to `numeric` without a precision into `hangar_numeric(x)`.
pub(crate) fn rewrite_numeric_casts(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let operand = match expr {
            Expr::Cast {
                kind: CastKind::Cast | CastKind::DoubleColon,
                data_type,
                expr: operand,
                format: None,
                array: false,
            } if is_plain_numeric(data_type) => operand.to_string(),
            Expr::TypedString(typed) if is_plain_numeric(&typed.data_type) => {
                typed.value.value.to_string()
            }
            _ => return,
        };
        if let Some(call) = parse_expr(&format!("hangar_numeric({operand})")) {
            *expr = call;
        }
    })
}

/// `numeric`, `decimal` or `dec` without a precision.
fn is_plain_numeric(data_type: &SqlType) -> bool {
    matches!(
        data_type,
        SqlType::Numeric(ExactNumberInfo::None)
            | SqlType::Decimal(ExactNumberInfo::None)
            | SqlType::Dec(ExactNumberInfo::None)
    )
}

/// `hangar_numeric(x)`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericCast {
    signature: Signature,
}

impl NumericCast {
    fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for NumericCast {
    fn name(&self) -> &str {
        "hangar_numeric"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Err(datafusion::error::DataFusionError::Internal(
            "return_field_from_args".into(),
        ))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let from = args.arg_fields[0].data_type();
        let literal = args.scalar_arguments[0].and_then(|v| v.try_as_str().flatten());
        let scale = match from {
            DataType::Decimal128(_, scale) => *scale,
            t if t.is_integer() => 0,
            _ => match literal.and_then(numeric_text) {
                Some((_, scale)) => scale,
                None => DEFAULT_SCALE,
            },
        };
        Ok(Arc::new(Field::new(
            self.name(),
            DataType::Decimal128(38, scale),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Decimal128(_, scale) = *args.return_field.data_type() else {
            return Err(datafusion::error::DataFusionError::Internal(
                "hangar_numeric returns a decimal".into(),
            ));
        };
        let value = args.args[0].to_array(args.number_rows)?;
        let target = DataType::Decimal128(38, scale);
        let numbers: ArrayRef = match value.data_type() {
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                let texts = cast_with_options(&value, &DataType::Utf8, &CastOptions::default())?;
                let texts = texts.as_string::<i32>();
                let values = texts
                    .iter()
                    .map(|t| t.map(|t| numeric_in(t, scale)).transpose())
                    .collect::<Result<Decimal128Array>>()?;
                Arc::new(values.with_precision_and_scale(38, scale)?)
            }
            _ => cast_with_options(
                &value,
                &target,
                &CastOptions {
                    safe: false,
                    ..CastOptions::default()
                },
            )?,
        };
        Ok(match &args.args[0] {
            ColumnarValue::Scalar(_) => {
                ColumnarValue::Scalar(ScalarValue::try_from_array(&numbers, 0)?)
            }
            ColumnarValue::Array(_) => ColumnarValue::Array(numbers),
        })
    }
}

/// Text read as Postgres' `numeric_in` reads it (spaces around, a sign, digits with a point, an
/// exponent), as a decimal of `scale`, rounded half away from zero; else Postgres' error.
fn numeric_in(text: &str, scale: i8) -> Result<i128> {
    let (digits, own_scale) = numeric_text(text).ok_or_else(|| {
        Error::postgres(
            "22P02",
            format!("invalid input syntax for type numeric: \"{text}\""),
            Anchor::Literal(text.into()),
        )
        .into_datafusion()
    })?;
    let overflow =
        || Error::postgres("22003", "numeric field overflow", Anchor::Nowhere).into_datafusion();
    let shift = i32::from(scale) - i32::from(own_scale);
    if shift >= 0 {
        10_i128
            .checked_pow(shift as u32)
            .and_then(|p| digits.checked_mul(p))
            .ok_or_else(overflow)
    } else {
        let divisor = 10_i128
            .checked_pow(shift.unsigned_abs())
            .ok_or_else(overflow)?;
        let (quotient, remainder) = (digits / divisor, digits % divisor);
        Ok(if remainder.abs() * 2 >= divisor {
            quotient + digits.signum()
        } else {
            quotient
        })
    }
}

/// The digits and scale of a number's text (`' -1.50 '` is -150 of scale 2, `1.5e3` 1500 of
/// scale 0), if it is one that fits a decimal.
pub(super) fn numeric_text(text: &str) -> Option<(i128, i8)> {
    let text = text.trim();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, unsigned) = match mantissa.as_bytes().first()? {
        b'-' => (true, &mantissa[1..]),
        b'+' => (false, &mantissa[1..]),
        _ => (false, mantissa),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let mut digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    let mut scale = fraction.len() as i32 - exponent;
    if scale < 0 {
        digits = digits.checked_mul(10_i128.checked_pow(scale.unsigned_abs())?)?;
        scale = 0;
    }
    let scale = i8::try_from(scale).ok().filter(|s| *s <= 38)?;
    Some((if negative { -digits } else { digits }, scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn numbers_read_with_their_scale() {
        assert_eq!(numeric_text("  42  "), Some((42, 0)));
        assert_eq!(numeric_text("-1.50"), Some((-150, 2)));
        assert_eq!(numeric_text(".5"), Some((5, 1)));
        assert_eq!(numeric_text("5."), Some((5, 0)));
        assert_eq!(numeric_text("+0012.3400"), Some((123400, 4)));
        assert_eq!(numeric_text("1.5e3"), Some((1500, 0)));
        assert_eq!(numeric_text("15e-3"), Some((15, 3)));
        assert_eq!(numeric_text("abc"), None);
        assert_eq!(numeric_text("."), None);
        assert_eq!(numeric_in("2.345", 2).unwrap(), 235);
        assert_eq!(numeric_in("-2.345", 2).unwrap(), -235);
        assert!(numeric_in("x", 2).is_err());
    }

    #[test]
    fn casts_to_numeric_without_precision_keep_the_scale() {
        assert_eq!(
            rewritten(
                "SELECT '1.50'::numeric, CAST(x AS decimal), NUMERIC '2.5', x::numeric(5, 2)",
                rewrite_numeric_casts
            ),
            "SELECT hangar_numeric('1.50'), hangar_numeric(x), hangar_numeric('2.5'), \
             x::NUMERIC(5,2)"
        );
    }
}
