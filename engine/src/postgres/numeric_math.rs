//! `sqrt`, `exp`, `ln`, `log`, `log10` and `power` (and `^`) of `numeric`s in `numeric`, as
//! Postgres computes them: DataFusion computed them in `float8` (`sqrt(2.0)` was
//! `1.4142135623730951`, `exp(1.0)` `2.718281828459045`, `1.5 ^ 2` `2.25`; Postgres answers
//! `1.414213562373095`, `2.7182818284590452`, `2.2500000000000000`).
//!
//! Each function keeps its name and DataFusion's `float8` function for other arguments (a
//! `double precision`, or only integers where Postgres too picks `float8`: `sqrt(2)`, `power(9,
//! 3)`), and computes in `numeric` when an argument is one and none is a float (and `log(b, x)`
//! of integers, which Postgres has only in `numeric`). The result has the scale Postgres picks
//! for each value (at least sixteen significant digits, no fewer decimals than an argument; an
//! integer power at least sixteen decimals, as PostgreSQL 15 gives it) and its digits are those of
//! the exact value rounded there ([`super::fixed_point`]). The result type holds at least
//! [`RESULT_SCALE`] decimals (a power [`POWER_SCALE`]); a value whose scale is larger is rounded to
//! the type's, and one too large for a decimal's 38 digits fails with `numeric field overflow`.
//! `hangar_numeric_<function>_scale` is each value's scale, by which the Postgres wire prints it
//! ([`super::display_scales`]).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Builder, Int32Builder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef};
use datafusion::common::{Result, plan_err};
use datafusion::error::DataFusionError;
use datafusion::execution::FunctionRegistry;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::prelude::SessionContext;
use num_bigint::BigInt;

use super::fixed_point::{self, divide_rounded, rescale, ten_to};
use super::overloads::{INTEGER_AS_NUMERIC, coerced_types};
use crate::{Anchor, Error};

/// Postgres' `NUMERIC_MIN_SIG_DIGITS`: a result has at least this many significant digits.
const MIN_SIG_DIGITS: i32 = 16;

/// Postgres' `NUMERIC_MAX_DISPLAY_SCALE`, the most decimals it gives a result.
const MAX_DISPLAY_SCALE: i32 = 1000;

/// The fewest decimals the type of a root, a logarithm or an exponential holds: Postgres' scale
/// for every such value from 0.0001 up.
const RESULT_SCALE: i8 = 20;

/// The fewest decimals the type of a power holds: the scale Postgres gives every power to an
/// integer, leaving 22 digits before the point.
const POWER_SCALE: i8 = 16;

/// The digits of a `numeric` Hangar holds.
const PRECISION: u8 = 38;

/// Which function.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Function {
    Sqrt,
    Exp,
    Ln,
    /// `log10(x)`, and `log(x)` of one argument.
    Log10,
    /// `log(b, x)`; `log(x)` is [`Function::Log10`] where it is called.
    Log,
    Power,
}

impl Function {
    fn of(name: &str) -> Option<Function> {
        Some(match name {
            "sqrt" => Function::Sqrt,
            "exp" => Function::Exp,
            "ln" => Function::Ln,
            "log10" => Function::Log10,
            "log" => Function::Log,
            "power" | "pow" => Function::Power,
            _ => return None,
        })
    }

    /// Whether Postgres computes this function of arguments of `types` in `numeric`.
    fn is_numeric(self, types: &[DataType]) -> bool {
        let decimal = |t: &DataType| matches!(t, DataType::Decimal128(..));
        let exact = |t: &DataType| t.is_integer() || decimal(t) || t.is_null();
        match (self, types) {
            (Function::Log, [_, _]) => types.iter().all(exact),
            (Function::Power, [_, _]) => types.iter().all(exact) && types.iter().any(decimal),
            (_, [t]) => decimal(t),
            _ => false,
        }
    }

    /// The scale of the result type, from the arguments' scales.
    fn type_scale(self, scales: &[i8]) -> i8 {
        let least = match self {
            Function::Power => POWER_SCALE,
            _ => RESULT_SCALE,
        };
        scales
            .iter()
            .fold(least, |s, a| s.max(*a))
            .min(PRECISION as i8)
    }
}

/// Replaces the session's `sqrt`, `exp`, `ln`, `log`, `log10` and `power` with functions that
/// compute in `numeric` where Postgres does.
pub(crate) fn install(ctx: &SessionContext) {
    for name in ["sqrt", "exp", "ln", "log", "log10", "power"] {
        if let (Ok(float), Some(function)) = (ctx.udf(name), Function::of(name)) {
            ctx.register_udf(ScalarUDF::new_from_impl(NumericOrFloat {
                function,
                float,
                signature: Signature::user_defined(Volatility::Immutable),
            }));
        }
    }
}

/// The function giving the scale of each value of the function named `name`, if it is one of
/// these.
pub(crate) fn scale_function(name: &str) -> Option<ScalarUDF> {
    Function::of(name).map(|function| {
        ScalarUDF::new_from_impl(Scale {
            function,
            name: format!("hangar_numeric_{name}_scale"),
            signature: Signature::user_defined(Volatility::Immutable),
        })
    })
}

/// The arguments' types in `numeric`.
fn numeric_types(name: &str, arg_types: &[DataType]) -> Result<Vec<DataType>> {
    arg_types
        .iter()
        .map(|t| match t {
            DataType::Decimal128(..) => Ok(t.clone()),
            t if t.is_integer() || t.is_null() => Ok(INTEGER_AS_NUMERIC),
            other => plan_err!("{name} does not take {other}"),
        })
        .collect()
}

/// The scales of decimal argument types.
fn scales(arg_types: &[DataType]) -> Option<Vec<i8>> {
    arg_types
        .iter()
        .map(|t| match t {
            DataType::Decimal128(_, s) => Some(*s),
            _ => None,
        })
        .collect()
}

/// One of the functions: in `numeric` of `numeric`s, DataFusion's `float` otherwise.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericOrFloat {
    function: Function,
    float: Arc<ScalarUDF>,
    signature: Signature,
}

impl ScalarUDFImpl for NumericOrFloat {
    fn name(&self) -> &str {
        self.float.name()
    }

    fn aliases(&self) -> &[String] {
        self.float.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if self.function.is_numeric(arg_types) {
            return numeric_types(self.name(), arg_types);
        }
        coerced_types(&self.float, arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match scales(arg_types) {
            Some(scales) => Ok(DataType::Decimal128(
                PRECISION,
                self.function.type_scale(&scales),
            )),
            None => self.float.return_type(arg_types),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args
            .arg_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        match scales(&types) {
            Some(_) => Ok(Arc::new(Field::new(
                self.name(),
                self.return_type(&types)?,
                true,
            ))),
            None => self.float.return_field_from_args(args),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(ColumnarValue::data_type).collect();
        if scales(&types).is_none() {
            return self.float.invoke_with_args(args);
        }
        let function = self.function;
        make_scalar_function(
            move |arrays: &[ArrayRef]| rows(function, false, arrays),
            vec![],
        )(&args.args)
    }
}

/// `hangar_numeric_<function>_scale`: the scale of each of a function's values.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Scale {
    function: Function,
    name: String,
    signature: Signature,
}

impl ScalarUDFImpl for Scale {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        numeric_types(self.name(), arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let function = self.function;
        make_scalar_function(
            move |arrays: &[ArrayRef]| rows(function, true, arrays),
            vec![],
        )(&args.args)
    }
}

/// A decimal argument: its unscaled value and its scale.
#[derive(Clone, Copy)]
struct Decimal {
    value: i128,
    scale: i8,
}

impl Decimal {
    fn big(self) -> BigInt {
        BigInt::from(self.value)
    }

    fn scale(self) -> u32 {
        self.scale.max(0) as u32
    }

    fn to_f64(self) -> f64 {
        self.value as f64 / 10f64.powi(i32::from(self.scale))
    }

    fn is_zero(self) -> bool {
        self.value == 0
    }

    fn is_negative(self) -> bool {
        self.value < 0
    }

    /// The value as an `i32`, if it is an integer that fits.
    fn as_i32(self) -> Option<i32> {
        let unit = 10i128.checked_pow(self.scale())?;
        (self.value % unit == 0)
            .then(|| i32::try_from(self.value / unit).ok())
            .flatten()
    }

    /// The value's leading base-10,000 digits (Postgres' `NBASE`), at most two, and the weight of
    /// the first: `12345.6` is 1 and 2345 with weight 1.
    fn base_digits(self) -> (i32, u32, Option<u32>) {
        let digits = self.value.unsigned_abs().to_string();
        let scale = self.scale() as usize;
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = digits.split_at(digits.len() - scale);
        let int = format!("{int:0>width$}", width = int.len().div_ceil(4) * 4);
        let frac = format!("{frac:0<width$}", width = frac.len().div_ceil(4) * 4);
        let groups: Vec<u32> = format!("{int}{frac}")
            .as_bytes()
            .chunks(4)
            .map(|g| {
                std::str::from_utf8(g)
                    .expect("digits")
                    .parse()
                    .expect("digits")
            })
            .collect();
        let Some(first) = groups.iter().position(|g| *g != 0) else {
            return (0, 0, None);
        };
        let last = groups.iter().rposition(|g| *g != 0).expect("a digit");
        let weight = (int.len() / 4) as i32 - 1 - first as i32;
        (
            weight,
            groups[first],
            (last > first).then(|| groups[first + 1]),
        )
    }
}

/// Postgres' `estimate_ln_dweight`: the decimal weight of the natural logarithm of `x`.
fn ln_weight(x: Decimal) -> i32 {
    if x.value <= 0 {
        return 0;
    }
    if (0.9..=1.1).contains(&x.to_f64()) {
        // Near 1, ln(x) ≈ x − 1.
        let difference = x.value - 10i128.pow(x.scale());
        return match difference {
            0 => 0,
            d => d.unsigned_abs().ilog10() as i32 - i32::from(x.scale),
        };
    }
    let (weight, first, second) = x.base_digits();
    let (digits, decimal_weight) = match second {
        Some(second) => (
            f64::from(first) * 10_000.0 + f64::from(second),
            weight * 4 - 4,
        ),
        None => (f64::from(first), weight * 4),
    };
    let ln = digits.ln() + f64::from(decimal_weight) * std::f64::consts::LN_10;
    ln.abs().log10() as i32
}

/// A scale within Postgres' bounds, no smaller than the arguments'.
fn bounded(scale: i32, arguments: &[Decimal]) -> i32 {
    arguments
        .iter()
        .fold(scale, |s, a| s.max(i32::from(a.scale)))
        .clamp(0, MAX_DISPLAY_SCALE)
}

/// An error as Postgres words it.
fn error(sqlstate: &'static str, message: &'static str) -> DataFusionError {
    Error::postgres(sqlstate, message, Anchor::Nowhere).into_datafusion()
}

/// The error of a value a decimal does not hold.
fn overflow() -> DataFusionError {
    error("22003", "numeric field overflow")
}

/// A value to compute and the scale Postgres gives it.
enum Plan {
    /// A square root.
    Sqrt(Decimal),
    /// A natural logarithm.
    Ln(Decimal),
    /// The logarithm of `x` in base `base`.
    Log { base: Decimal, x: Decimal },
    /// e to a power.
    Exp(Decimal),
    /// A power to an integer.
    IntegerPower(Decimal, i32),
    /// A power to a fraction, of a base above zero, as e to the power `ln(base) · exponent`.
    Power(Decimal, Decimal),
    /// A constant: zero, or one.
    Constant(i128),
}

/// Postgres' choice of what to compute for `function` of `args`, and the scale of the result;
/// its errors for arguments outside the function's domain.
fn plan(function: Function, args: &[Decimal]) -> Result<(Plan, i32)> {
    Ok(match (function, args) {
        (Function::Sqrt, &[x]) => {
            if x.is_negative() {
                return Err(error(
                    "2201F",
                    "cannot take square root of a negative number",
                ));
            }
            let (weight, ..) = x.base_digits();
            let root_weight = (weight + 1) * 4 / 2 - 1;
            (Plan::Sqrt(x), bounded(MIN_SIG_DIGITS - root_weight, &[x]))
        }
        (Function::Exp, &[x]) => {
            let weight = (x.to_f64() * std::f64::consts::LOG10_E).clamp(-2000.0, 2000.0);
            (Plan::Exp(x), bounded(MIN_SIG_DIGITS - weight as i32, &[x]))
        }
        (Function::Ln, &[x]) => {
            check_logarithm(x)?;
            (Plan::Ln(x), bounded(MIN_SIG_DIGITS - ln_weight(x), &[x]))
        }
        (Function::Log10, &[x]) => plan(Function::Log, &[ten(), x])?,
        (Function::Log, &[base, x]) => {
            check_logarithm(base)?;
            check_logarithm(x)?;
            if base.value == 10i128.pow(base.scale()) {
                return Err(error("22012", "division by zero"));
            }
            let weight = ln_weight(x) - ln_weight(base);
            (
                Plan::Log { base, x },
                bounded(MIN_SIG_DIGITS - weight, &[base, x]),
            )
        }
        (Function::Power, &[base, exponent]) => power_plan(base, exponent)?,
        _ => return plan_err!("wrong number of arguments"),
    })
}

/// 10, as a decimal.
fn ten() -> Decimal {
    Decimal {
        value: 10,
        scale: 0,
    }
}

/// Postgres' errors for a logarithm of `x`.
fn check_logarithm(x: Decimal) -> Result<()> {
    if x.is_zero() {
        return Err(error("2201E", "cannot take logarithm of zero"));
    }
    if x.is_negative() {
        return Err(error("2201E", "cannot take logarithm of a negative number"));
    }
    Ok(())
}

/// Postgres' `power_var` (of PostgreSQL 15): a power to an integer at sixteen decimals or the
/// base's, computed exactly; a power to a fraction at the scale its estimated weight gives.
fn power_plan(base: Decimal, exponent: Decimal) -> Result<(Plan, i32)> {
    if base.is_zero() && exponent.is_negative() {
        return Err(error(
            "2201F",
            "zero raised to a negative power is undefined",
        ));
    }
    if let Some(n) = exponent.as_i32() {
        let scale = bounded(MIN_SIG_DIGITS, &[base]);
        return Ok(match n {
            0 => (Plan::Constant(1), scale),
            n => (Plan::IntegerPower(base, n), scale),
        });
    }
    if base.is_zero() {
        return Ok((Plan::Constant(0), MIN_SIG_DIGITS));
    }
    if base.is_negative() {
        return Err(error(
            "2201F",
            "a negative number raised to a non-integer power yields a complex result",
        ));
    }
    // The result's weight from exponent · ln(base) computed to about eight significant digits,
    // as Postgres estimates it.
    let ln_weight = ln_weight(base);
    let local = (8 - ln_weight).clamp(0, MAX_DISPLAY_SCALE) as u32;
    let ln_base = fixed_point::ln(&base.big(), base.scale(), local);
    let product = rescale(&(ln_base * exponent.big()), local + exponent.scale(), local);
    let estimate = big_to_f64(&product, local);
    if estimate.abs() > 3.01 * 2000.0 {
        return Err(overflow());
    }
    let weight = (estimate * std::f64::consts::LOG10_E) as i32;
    Ok((
        Plan::Power(base, exponent),
        bounded(MIN_SIG_DIGITS - weight, &[base, exponent]),
    ))
}

/// A decimal of scale `scale` as a float.
fn big_to_f64(value: &BigInt, scale: u32) -> f64 {
    let text = value.to_string();
    text.parse::<f64>().unwrap_or(f64::INFINITY) / 10f64.powi(scale as i32)
}

/// The number of digits before the point of a value of decimal weight about `weight`, at least 1.
fn digits_before_point(weight: f64) -> u32 {
    weight.max(0.0).min(f64::from(MAX_DISPLAY_SCALE)) as u32 + 2
}

/// The value `plan` stands for, at scale `scale`.
fn compute(plan: &Plan, scale: u32) -> Result<BigInt> {
    Ok(match *plan {
        Plan::Constant(c) => BigInt::from(c) * ten_to(scale),
        Plan::Sqrt(x) => fixed_point::sqrt(&x.big(), x.scale(), scale),
        Plan::Ln(x) => fixed_point::ln(&x.big(), x.scale(), scale),
        Plan::Log { base, x } => {
            // More places for a base near 1, whose small logarithm divides.
            let w = scale + 20 + (-ln_weight(base)).max(0) as u32;
            let ln_x = fixed_point::ln(&x.big(), x.scale(), w);
            let ln_base = fixed_point::ln(&base.big(), base.scale(), w);
            divide_rounded(&(ln_x * ten_to(scale)), &ln_base)
        }
        Plan::Exp(x) => {
            let weight = x.to_f64() * std::f64::consts::LOG10_E;
            if weight > f64::from(PRECISION) {
                return Err(overflow());
            }
            fixed_point::exp(&x.big(), x.scale(), scale, digits_before_point(weight))
        }
        Plan::IntegerPower(base, n) => integer_power(base, n, scale)?,
        Plan::Power(base, exponent) => {
            let weight = exponent.to_f64() * base.to_f64().log10();
            if weight > f64::from(PRECISION) {
                return Err(overflow());
            }
            let magnitude = digits_before_point(weight);
            // ln(base) to as many more places as the exponent has digits before its point.
            let exponent_digits = digits_before_point(exponent.to_f64().abs().log10());
            let w = scale + magnitude + exponent_digits + 10;
            let ln_base = fixed_point::ln(&base.big(), base.scale(), w);
            let product = ln_base * exponent.big();
            fixed_point::exp(&product, w + exponent.scale(), scale, magnitude)
        }
    })
}

/// `base` to the integer power `n` at scale `scale`: exact before rounding.
fn integer_power(base: Decimal, n: i32, scale: u32) -> Result<BigInt> {
    let weight = f64::from(n) * base.to_f64().abs().log10();
    if weight > f64::from(PRECISION) {
        return Err(overflow());
    }
    if base.is_zero() || weight < -(f64::from(scale) + 2.0) {
        return Ok(BigInt::from(0));
    }
    let digits = base.value.unsigned_abs().ilog10() + 1;
    if u64::from(digits) * u64::from(n.unsigned_abs()) > 4000 {
        // Too many digits to compute exactly: as e to the power n · ln|base|, signed.
        let magnitude = Decimal {
            value: base.value.abs(),
            scale: base.scale,
        };
        let exponent = Decimal {
            value: i128::from(n),
            scale: 0,
        };
        let value = compute(&Plan::Power(magnitude, exponent), scale)?;
        return Ok(match base.is_negative() && n % 2 != 0 {
            true => -value,
            false => value,
        });
    }
    let power = base.big().pow(n.unsigned_abs());
    let power_scale = base.scale() * n.unsigned_abs();
    Ok(match n > 0 {
        true => rescale(&power, power_scale, scale),
        false => divide_rounded(&ten_to(scale + power_scale), &power),
    })
}

/// The values of `function` of decimal columns, or their scales if `scales`.
fn rows(function: Function, scales: bool, arrays: &[ArrayRef]) -> Result<ArrayRef> {
    let columns: Vec<_> = arrays
        .iter()
        .map(|a| a.as_primitive::<Decimal128Type>())
        .collect();
    let arg_scales: Vec<i8> = columns.iter().map(|c| c.scale()).collect();
    let type_scale = function.type_scale(&arg_scales);
    let len = arrays.first().map_or(0, |a| a.len());
    let mut values = Decimal128Builder::with_capacity(len);
    let mut value_scales = Int32Builder::with_capacity(len);
    let limit = BigInt::from(10u8).pow(u32::from(PRECISION));
    for row in 0..len {
        if columns.iter().any(|c| c.is_null(row)) {
            values.append_null();
            value_scales.append_null();
            continue;
        }
        let args: Vec<Decimal> = columns
            .iter()
            .map(|c| Decimal {
                value: c.value(row),
                scale: c.scale(),
            })
            .collect();
        let args = match function {
            Function::Log if args.len() == 1 => vec![ten(), args[0]],
            _ => args,
        };
        let (plan, scale) = plan(function, &args)?;
        let scale = scale.min(i32::from(type_scale)) as u32;
        if scales {
            value_scales.append_value(scale as i32);
            continue;
        }
        let value = rescale(&compute(&plan, scale)?, scale, type_scale as u32);
        if value.magnitude() >= limit.magnitude() {
            return Err(overflow());
        }
        let value = i128::try_from(&value).map_err(|_| overflow())?;
        values.append_value(value);
    }
    Ok(match scales {
        true => Arc::new(value_scales.finish()),
        false => Arc::new(
            values
                .finish()
                .with_precision_and_scale(PRECISION, type_scale)?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::display_scales::decimal_text;
    use super::*;

    /// `function` of decimal texts as Postgres prints it.
    fn text(function: &str, args: &[&str]) -> String {
        let args: Vec<Decimal> = args
            .iter()
            .map(|a| {
                let scale = a.split_once('.').map_or(0, |(_, f)| f.len());
                Decimal {
                    value: a.replace('.', "").parse().unwrap(),
                    scale: scale as i8,
                }
            })
            .collect();
        let function = Function::of(function).unwrap();
        let args = match function {
            Function::Log if args.len() == 1 => vec![ten(), args[0]],
            _ => args,
        };
        let type_scale = function.type_scale(&args.iter().map(|a| a.scale).collect::<Vec<_>>());
        let (plan, scale) = plan(function, &args).unwrap();
        let scale = scale.min(i32::from(type_scale)) as u32;
        let value = compute(&plan, scale).unwrap();
        let value = i128::try_from(rescale(&value, scale, type_scale as u32)).unwrap();
        decimal_text(value, i32::from(type_scale), scale as i32)
    }

    #[test]
    fn values_are_postgres_values() {
        // Each as PostgreSQL 15 prints it.
        assert_eq!(text("sqrt", &["2.0"]), "1.414213562373095");
        assert_eq!(text("sqrt", &["0.25"]), "0.50000000000000000");
        assert_eq!(text("sqrt", &["0.01"]), "0.10000000000000000");
        assert_eq!(text("exp", &["1.0"]), "2.7182818284590452");
        assert_eq!(text("exp", &["2.0"]), "7.3890560989306502");
        assert_eq!(text("ln", &["2.0"]), "0.6931471805599453");
        assert_eq!(text("log", &["100.0"]), "2.0000000000000000");
        assert_eq!(text("log10", &["1000.0"]), "3.0000000000000000");
        assert_eq!(text("log", &["2.5"]), "0.3979400086720376");
        assert_eq!(text("log", &["2.0", "64.0"]), "6.0000000000000000");
        assert_eq!(text("log", &["2", "8"]), "3.0000000000000000");
        assert_eq!(text("power", &["2.0", "0.5"]), "1.4142135623730950");
        assert_eq!(text("power", &["10", "2"]), "100.0000000000000000");
        assert_eq!(text("power", &["1.5", "2"]), "2.2500000000000000");
        assert_eq!(text("power", &["9.0", "3"]), "729.0000000000000000");
        assert_eq!(text("power", &["2.0", "-2"]), "0.2500000000000000");
        assert_eq!(text("power", &["4", "0.5"]), "2.0000000000000000");
        assert_eq!(
            text("power", &["8.0", "0.33333333333333333333"]),
            "1.99999999999999999999"
        );
        assert_eq!(text("power", &["901.00", "2"]), "811801.0000000000000000");
    }

    #[test]
    fn arguments_outside_the_domain_fail_as_in_postgres() {
        let sqlstate = |function: Function, args: &[(i128, i8)]| {
            let args: Vec<Decimal> = args
                .iter()
                .map(|&(value, scale)| Decimal { value, scale })
                .collect();
            plan(function, &args).err().map(|e| e.to_string())
        };
        assert!(
            sqlstate(Function::Sqrt, &[(-1, 0)])
                .unwrap()
                .contains("square root")
        );
        assert!(
            sqlstate(Function::Ln, &[(0, 1)])
                .unwrap()
                .contains("of zero")
        );
        assert!(
            sqlstate(Function::Log, &[(10, 1), (5, 0)])
                .unwrap()
                .contains("division by zero")
        );
        assert!(
            sqlstate(Function::Power, &[(0, 0), (-1, 0)])
                .unwrap()
                .contains("negative power")
        );
        assert!(
            sqlstate(Function::Power, &[(-8, 0), (5, 1)])
                .unwrap()
                .contains("complex")
        );
        assert!(sqlstate(Function::Power, &[(2, 0), (5, 1)]).is_none());
    }

    #[test]
    fn base_digits_are_postgres_digits() {
        let digits = |value: i128, scale: i8| Decimal { value, scale }.base_digits();
        assert_eq!(digits(123456, 1), (1, 1, Some(2345)));
        assert_eq!(digits(25, 2), (-1, 2500, None));
        assert_eq!(digits(20, 1), (0, 2, None));
        assert_eq!(digits(1, 8), (-2, 1, None));
        assert_eq!(digits(100, 8), (-2, 100, None));
    }
}
