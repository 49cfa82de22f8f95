//! The overload Postgres picks for a function's arguments, where DataFusion's picks other types:
//! `round(x, n)` and `trunc(x, n)` of an integer are `numeric` (Postgres has them only for
//! `numeric`: `trunc(5, 2)` is `5.00`, DataFusion answered the `float8` 5), `round(x)` and
//! `trunc(x)` of a `real` are `double precision`, `sign(x)` of a `numeric` is a `numeric`, and
//! `gcd` and `lcm` of `integer`s are `integer`s (DataFusion's are `bigint`s).
//!
//! Each function keeps its name and DataFusion's implementation: the arguments are typed as
//! Postgres types them, cast to what DataFusion's function takes when it runs, and its result
//! cast to the type Postgres gives.

use std::sync::Arc;

use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use datafusion::prelude::SessionContext;

use crate::{Anchor, Error};

/// The functions whose overloads differ.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Overload {
    /// `round`, whose places DataFusion takes as an `integer`.
    Round,
    /// `trunc`, whose places DataFusion takes as a `bigint`.
    Trunc,
    Sign,
    Integers,
}

impl Overload {
    /// Postgres' argument types for a call of arguments of `types`, and the result type it
    /// gives, where they are not DataFusion's.
    fn types(self, types: &[DataType]) -> Option<(Vec<DataType>, DataType)> {
        match self {
            Overload::Round => rounding(types, DataType::Int32),
            Overload::Trunc => rounding(types, DataType::Int64),
            Overload::Sign => sign(types),
            Overload::Integers => integers(types),
        }
    }
}

/// An integer's type in `numeric`: every `bigint` fits.
pub(crate) const INTEGER_AS_NUMERIC: DataType = DataType::Decimal128(20, 0);

/// Replaces the session's functions whose overloads differ from Postgres'.
pub(crate) fn install(ctx: &SessionContext) {
    let overloads: [(&str, Overload); 5] = [
        ("round", Overload::Round),
        ("trunc", Overload::Trunc),
        ("signum", Overload::Sign),
        ("gcd", Overload::Integers),
        ("lcm", Overload::Integers),
    ];
    for (name, overload) in overloads {
        if let Ok(inner) = ctx.udf(name) {
            ctx.register_udf(ScalarUDF::new_from_impl(PostgresOverload {
                inner,
                overload,
                signature: Signature::user_defined(Volatility::Immutable),
            }));
        }
    }
}

/// `round` and `trunc`: to places (of `places_type`), of an integer, in `numeric`; of a `real`,
/// in `double precision`.
fn rounding(types: &[DataType], places_type: DataType) -> Option<(Vec<DataType>, DataType)> {
    match types {
        [t, places] if t.is_integer() && places.is_integer() => {
            Some((vec![INTEGER_AS_NUMERIC, places_type], INTEGER_AS_NUMERIC))
        }
        [DataType::Float32] => Some((vec![DataType::Float64], DataType::Float64)),
        _ => None,
    }
}

/// `sign` of a `numeric`, a `numeric` (-1, 0 or 1).
fn sign(types: &[DataType]) -> Option<(Vec<DataType>, DataType)> {
    match types {
        [t @ DataType::Decimal128(precision, _)] => {
            Some((vec![t.clone()], DataType::Decimal128(*precision, 0)))
        }
        _ => None,
    }
}

/// `gcd` and `lcm` of `integer`s (or smaller), an `integer`.
fn integers(types: &[DataType]) -> Option<(Vec<DataType>, DataType)> {
    let small = |t: &DataType| matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32);
    types
        .iter()
        .all(small)
        .then(|| (vec![DataType::Int32; types.len()], DataType::Int32))
}

/// DataFusion's function `inner`, with Postgres' overloads.
#[derive(Debug, PartialEq, Eq, Hash)]
struct PostgresOverload {
    inner: Arc<ScalarUDF>,
    overload: Overload,
    signature: Signature,
}

/// The argument types `function`'s signature coerces arguments of `types` to.
pub(crate) fn coerced_types(function: &ScalarUDF, types: &[DataType]) -> Result<Vec<DataType>> {
    let fields: Vec<FieldRef> = types
        .iter()
        .map(|t| Arc::new(Field::new("x", t.clone(), true)))
        .collect();
    Ok(fields_with_udf(&fields, function)?
        .iter()
        .map(|f| f.data_type().clone())
        .collect())
}

impl ScalarUDFImpl for PostgresOverload {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match self.overload.types(arg_types) {
            Some((types, _)) => Ok(types),
            None => coerced_types(&self.inner, arg_types),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match self.overload.types(arg_types) {
            Some((_, result)) => Ok(result),
            None => self.inner.return_type(arg_types),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args
            .arg_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        match self.overload.types(&types) {
            Some((_, result)) => Ok(Arc::new(Field::new(self.name(), result, true))),
            None => self.inner.return_field_from_args(args),
        }
    }

    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(ColumnarValue::data_type).collect();
        let Some((_, result)) = self.overload.types(&types) else {
            return self.inner.invoke_with_args(args);
        };
        let inner_types = coerced_types(&self.inner, &types)?;
        for ((arg, field), to) in args
            .args
            .iter_mut()
            .zip(args.arg_fields.iter_mut())
            .zip(&inner_types)
        {
            *arg = arg.cast_to(to, None)?;
            *field = Arc::new(field.as_ref().clone().with_data_type(to.clone()));
        }
        let inner_fields = args.arg_fields.clone();
        let scalars: Vec<_> = args
            .args
            .iter()
            .map(|a| match a {
                ColumnarValue::Scalar(s) => Some(s.clone()),
                ColumnarValue::Array(_) => None,
            })
            .collect();
        let scalar_refs: Vec<_> = scalars.iter().map(Option::as_ref).collect();
        args.return_field = self.inner.return_field_from_args(ReturnFieldArgs {
            arg_fields: &inner_fields,
            scalar_arguments: &scalar_refs,
        })?;
        let value = self.inner.invoke_with_args(args)?;
        let strict = CastOptions {
            safe: false,
            ..Default::default()
        };
        let out_of_range = || {
            let message = match result {
                DataType::Int32 => "integer out of range",
                _ => "numeric field overflow",
            };
            Error::postgres("22003", message, Anchor::Nowhere).into_datafusion()
        };
        Ok(match value {
            ColumnarValue::Array(a) => ColumnarValue::Array(
                cast_with_options(&a, &result, &strict).map_err(|_| out_of_range())?,
            ),
            ColumnarValue::Scalar(s) => ColumnarValue::Scalar(
                s.cast_to_with_options(&result, &strict)
                    .map_err(|_| out_of_range())?,
            ),
        })
    }
}
