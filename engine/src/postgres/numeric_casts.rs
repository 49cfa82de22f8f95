//! Casts to `numeric` without a precision keep the value's scale, as Postgres' `numeric` does:
//! an integer has none (`42::numeric` is `42`), a literal's text has its own (`'1.50'::numeric`
//! is `1.50`, `NUMERIC '12.340'` is `12.340`). DataFusion cast every such value to
//! `decimal(38, 10)`, which printed `42.0000000000`. A float is the number its text with 15
//! significant digits (a `real`'s, 6) reads as, as Postgres converts it (`0.1::float8::numeric` is
//! `0.1`, `(1::float8 / 3)::numeric` `0.333333333333333`), where DataFusion took the binary
//! value's digits (`0.1000000000`, `0.3333333333`). The scale of a float's or another text's (a
//! column's) value differs from value to value, which a decimal column cannot hold: the column
//! holds [`FLOAT_SCALE`] decimals for a float, DataFusion's ten for a text, and
//! `hangar_numeric_scale(x)` gives each value's own, by which the Postgres wire prints it
//! ([`super::display_scales`]).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Int32Array};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float32Type, Float64Type};
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

/// The scale of a float cast to `numeric`: every value from 0.01 up at its full Postgres scale,
/// and 22 digits before the point.
const FLOAT_SCALE: i8 = 16;

/// Registers `hangar_numeric` in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(NumericCast::new(Output::Value)));
}

/// The function giving the scale of each value of `hangar_numeric(x)`, if `name` names it.
pub(crate) fn scale_function(name: &str) -> Option<ScalarUDF> {
    (name == NumericCast::new(Output::Value).name())
        .then(|| ScalarUDF::new_from_impl(NumericCast::new(Output::Scale)))
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

/// What a [`NumericCast`] gives.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Output {
    Value,
    Scale,
}

/// `hangar_numeric(x)` and `hangar_numeric_scale(x)`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericCast {
    output: Output,
    signature: Signature,
}

impl NumericCast {
    fn new(output: Output) -> Self {
        Self {
            output,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

/// The scale of the decimal `x`, of type `from`, becomes.
fn type_scale(from: &DataType, literal: Option<&str>) -> i8 {
    match from {
        DataType::Decimal128(_, scale) => *scale,
        t if t.is_integer() => 0,
        DataType::Float32 | DataType::Float64 => FLOAT_SCALE,
        _ => match literal.and_then(numeric_text) {
            Some((_, scale)) => scale,
            None => DEFAULT_SCALE,
        },
    }
}

impl ScalarUDFImpl for NumericCast {
    fn name(&self) -> &str {
        match self.output {
            Output::Value => "hangar_numeric",
            Output::Scale => "hangar_numeric_scale",
        }
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
        let data_type = match self.output {
            Output::Value => DataType::Decimal128(38, type_scale(from, literal)),
            Output::Scale => DataType::Int32,
        };
        Ok(Arc::new(Field::new(self.name(), data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let value = args.args[0].to_array(args.number_rows)?;
        let literal = match &args.args[0] {
            ColumnarValue::Scalar(s) => s.try_as_str().flatten(),
            ColumnarValue::Array(_) => None,
        };
        let scale = type_scale(value.data_type(), literal);
        let numbers: ArrayRef = match self.output {
            Output::Value => numbers(&value, scale)?,
            Output::Scale => Arc::new(scales(&value, scale)?),
        };
        Ok(match &args.args[0] {
            ColumnarValue::Scalar(_) => {
                ColumnarValue::Scalar(ScalarValue::try_from_array(&numbers, 0)?)
            }
            ColumnarValue::Array(_) => ColumnarValue::Array(numbers),
        })
    }
}

/// The texts of a column of texts or floats, each as Postgres converts it to `numeric`.
fn texts(value: &ArrayRef) -> Result<Option<Vec<Option<String>>>> {
    Ok(Some(match value.data_type() {
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
            let texts = cast_with_options(value, &DataType::Utf8, &CastOptions::default())?;
            texts
                .as_string::<i32>()
                .iter()
                .map(|t| t.map(str::to_string))
                .collect()
        }
        DataType::Float64 => value
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.map(|v| float_text(v, format!("{v:.14e}"))).transpose())
            .collect::<Result<_>>()?,
        DataType::Float32 => value
            .as_primitive::<Float32Type>()
            .iter()
            .map(|v| {
                v.map(|v| float_text(f64::from(v), format!("{v:.5e}")))
                    .transpose()
            })
            .collect::<Result<_>>()?,
        _ => return Ok(None),
    }))
}

/// A float's digits (`digits`, in exponent form) as a number's text without trailing zeros;
/// Postgres' error for a NaN or an infinity, which a decimal does not hold.
fn float_text(value: f64, digits: String) -> Result<String> {
    if !value.is_finite() {
        let text = if value.is_nan() { "NaN" } else { "Infinity" };
        return Err(Error::postgres(
            "0A000",
            format!("numeric has no {text} in Hangar"),
            Anchor::Nowhere,
        )
        .into_datafusion());
    }
    let (mantissa, exponent) = digits.split_once('e').expect("exponent form");
    let mantissa = match mantissa.contains('.') {
        true => mantissa.trim_end_matches('0').trim_end_matches('.'),
        false => mantissa,
    };
    Ok(format!("{mantissa}e{exponent}"))
}

/// Each value of `value` as a decimal of `scale`.
fn numbers(value: &ArrayRef, scale: i8) -> Result<ArrayRef> {
    Ok(match texts(value)? {
        Some(texts) => {
            let values = texts
                .iter()
                .map(|t| t.as_deref().map(|t| numeric_in(t, scale)).transpose())
                .collect::<Result<Decimal128Array>>()?;
            Arc::new(values.with_precision_and_scale(38, scale)?)
        }
        None => cast_with_options(
            value,
            &DataType::Decimal128(38, scale),
            &CastOptions {
                safe: false,
                ..CastOptions::default()
            },
        )?,
    })
}

/// The scale of each value of `value` as a decimal of `scale`: a text's or a float's own, up to
/// `scale`; `scale` for other values.
fn scales(value: &ArrayRef, scale: i8) -> Result<Int32Array> {
    Ok(match texts(value)? {
        Some(texts) => texts
            .iter()
            .map(|t| {
                t.as_deref().map(|t| {
                    numeric_text(t)
                        .map_or(scale, |(_, own)| own.min(scale))
                        .into()
                })
            })
            .collect(),
        None => (0..value.len())
            .map(|i| value.is_valid(i).then_some(i32::from(scale)))
            .collect(),
    })
}

/// Text read as Postgres' `numeric_in` reads it (spaces around, a sign, digits with a point, an
/// exponent), as a decimal of `scale`, rounded half away from zero; else Postgres' error.
fn numeric_in(text: &str, scale: i8) -> Result<i128> {
    let special = text
        .trim()
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase();
    if matches!(special.as_str(), "nan" | "inf" | "infinity") {
        // A decimal holds neither Postgres' numeric NaN nor its infinities (documented).
        return Err(Error::postgres(
            "0A000",
            format!("the numeric value \"{}\" is not supported", text.trim()),
            Anchor::Literal(text.into()),
        )
        .into_datafusion());
    }
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
    fn floats_read_with_postgres_digits() {
        let text = |v: f64| float_text(v, format!("{v:.14e}")).unwrap();
        assert_eq!(numeric_text(&text(0.1)), Some((1, 1)));
        assert_eq!(
            numeric_text(&text(1.0 / 3.0)),
            Some((333_333_333_333_333, 15))
        );
        assert_eq!(
            numeric_text(&text(1e20)),
            Some((100_000_000_000_000_000_000, 0))
        );
        assert_eq!(numeric_text(&text(1e-5)), Some((1, 5)));
        assert_eq!(numeric_text(&text(-123.456)), Some((-123_456, 3)));
        let real = 0.1f32;
        let real = float_text(f64::from(real), format!("{real:.5e}")).unwrap();
        assert_eq!(numeric_text(&real), Some((1, 1)));
        assert!(float_text(f64::NAN, "NaN".into()).is_err());
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
