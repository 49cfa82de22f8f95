//! Logarithms and square roots outside their domain fail as in Postgres (`cannot take logarithm of
//! zero`, 2201E; `cannot take square root of a negative number`, 2201F): DataFusion's functions
//! answered `-Infinity` and `NaN`. Each of `ln`, `log`, `log10` and `sqrt` is DataFusion's own,
//! wrapped in a check of its arguments.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::FieldRef;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};
use datafusion::prelude::SessionContext;

use crate::{Anchor, Error};

/// Wraps the session's `ln`, `log`, `log10` and `sqrt` in their domain checks.
pub(crate) fn install(ctx: &SessionContext) {
    for (name, domain) in [
        ("ln", Domain::Logarithm),
        ("log", Domain::Logarithm),
        ("log10", Domain::Logarithm),
        ("sqrt", Domain::SquareRoot),
    ] {
        if let Ok(inner) = ctx.udf(name) {
            ctx.register_udf(ScalarUDF::new_from_impl(DomainChecked { inner, domain }));
        }
    }
}

/// Where a function is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Domain {
    Logarithm,
    SquareRoot,
}

impl Domain {
    /// The SQLSTATE and message for one row's arguments, as floats, out of the domain.
    fn check(self, values: &[Option<f64>]) -> Option<(&'static str, &'static str)> {
        match self {
            Domain::Logarithm => logarithm(values),
            Domain::SquareRoot => square_root(values),
        }
    }
}

/// `ln(x)`, `log10(x)`, `log(x)`, `log(b, x)`: every argument above zero, and a base other than 1.
fn logarithm(values: &[Option<f64>]) -> Option<(&'static str, &'static str)> {
    for value in values.iter().flatten() {
        if *value == 0.0 {
            return Some(("2201E", "cannot take logarithm of zero"));
        }
        if *value < 0.0 {
            return Some(("2201E", "cannot take logarithm of a negative number"));
        }
    }
    match values {
        [Some(base), Some(_)] if *base == 1.0 => Some(("22012", "division by zero")),
        _ => None,
    }
}

/// `sqrt(x)`: `x` not below zero.
fn square_root(values: &[Option<f64>]) -> Option<(&'static str, &'static str)> {
    values
        .iter()
        .flatten()
        .any(|v| *v < 0.0)
        .then_some(("2201F", "cannot take square root of a negative number"))
}

/// DataFusion's function `inner`, its arguments checked first.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DomainChecked {
    inner: Arc<ScalarUDF>,
    domain: Domain,
}

impl DomainChecked {
    fn check_rows(&self, args: &[ColumnarValue], rows: usize) -> Result<()> {
        let columns = args
            .iter()
            .map(|a| {
                let array = a.to_array(rows)?;
                if !array.data_type().is_numeric() {
                    return Ok(None);
                }
                Ok(Some(cast(&array, &DataType::Float64)?))
            })
            .collect::<Result<Vec<_>>>()?;
        if columns.iter().any(Option::is_none) {
            return Ok(());
        }
        let columns: Vec<_> = columns.into_iter().flatten().collect();
        for row in 0..rows {
            let values: Vec<Option<f64>> = columns
                .iter()
                .map(|c| {
                    let c = c.as_primitive::<Float64Type>();
                    c.is_valid(row).then(|| c.value(row))
                })
                .collect();
            if let Some((sqlstate, message)) = self.domain.check(&values) {
                return Err(Error::postgres(sqlstate, message, Anchor::Nowhere).into_datafusion());
            }
        }
        Ok(())
    }
}

impl ScalarUDFImpl for DomainChecked {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.inner.return_type(args)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.check_rows(&args.args, args.number_rows)?;
        self.inner.invoke_with_args(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_outside_the_domain_fail_as_in_postgres() {
        assert_eq!(
            logarithm(&[Some(0.0)]),
            Some(("2201E", "cannot take logarithm of zero"))
        );
        assert_eq!(
            logarithm(&[Some(2.0), Some(-1.0)]).map(|e| e.1),
            Some("cannot take logarithm of a negative number")
        );
        assert_eq!(
            logarithm(&[Some(1.0), Some(8.0)]).map(|e| e.0),
            Some("22012")
        );
        assert_eq!(logarithm(&[Some(2.0), None]), None);
        assert_eq!(square_root(&[Some(-0.5)]).map(|e| e.0), Some("2201F"));
        assert_eq!(square_root(&[Some(0.0)]), None);
    }
}
