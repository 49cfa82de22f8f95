//! A scalar function computed a row at a time from its arguments' values and fields: for
//! Postgres functions whose work is per value (parsing, formatting, JSON), where the argument's
//! field, not only its type, decides the answer (a `jsonb` column is text tagged as `jsonb`).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};

/// How a function computes one row: its arguments' values and their fields.
pub(crate) type Eval = dyn Fn(&[ScalarValue], &[FieldRef]) -> Result<ScalarValue> + Send + Sync;

/// How a function's result field is made from its arguments' fields.
pub(crate) type ResultField = dyn Fn(&[FieldRef]) -> Field + Send + Sync;

/// A function computed row by row; see the module.
pub(crate) struct RowFunction {
    name: &'static str,
    signature: Signature,
    result: Box<ResultField>,
    eval: Box<Eval>,
}

impl RowFunction {
    /// A function named `name`, whose result field `result` makes from its arguments' fields
    /// (the name is replaced) and whose rows `eval` computes.
    pub(crate) fn udf(
        name: &'static str,
        signature: Signature,
        result: impl Fn(&[FieldRef]) -> Field + Send + Sync + 'static,
        eval: impl Fn(&[ScalarValue], &[FieldRef]) -> Result<ScalarValue> + Send + Sync + 'static,
    ) -> ScalarUDF {
        ScalarUDF::new_from_impl(RowFunction {
            name,
            signature,
            result: Box::new(result),
            eval: Box::new(eval),
        })
    }
}

impl std::fmt::Debug for RowFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowFunction")
            .field("name", &self.name)
            .finish()
    }
}

impl PartialEq for RowFunction {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.signature == other.signature
    }
}

impl Eq for RowFunction {}

impl std::hash::Hash for RowFunction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for RowFunction {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let fields: Vec<FieldRef> = arg_types
            .iter()
            .map(|t| Arc::new(Field::new("", t.clone(), true)))
            .collect();
        Ok((self.result)(&fields).data_type().clone())
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = (self.result)(args.arg_fields);
        Ok(Arc::new(field.with_name(self.name)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let fields = &args.arg_fields;
        let rows = args.args.iter().find_map(|a| match a {
            ColumnarValue::Array(a) => Some(a.len()),
            ColumnarValue::Scalar(_) => None,
        });
        let Some(rows) = rows else {
            let values: Vec<ScalarValue> = args
                .args
                .into_iter()
                .map(|a| match a {
                    ColumnarValue::Scalar(v) => v,
                    ColumnarValue::Array(_) => unreachable!("no arrays"),
                })
                .collect();
            return Ok(ColumnarValue::Scalar((self.eval)(&values, fields)?));
        };
        let mut values = Vec::with_capacity(args.args.len());
        let results = (0..rows)
            .map(|row| {
                values.clear();
                for arg in &args.args {
                    values.push(match arg {
                        ColumnarValue::Scalar(v) => v.clone(),
                        ColumnarValue::Array(a) => ScalarValue::try_from_array(a, row)?,
                    });
                }
                (self.eval)(&values, fields)
            })
            .collect::<Result<Vec<_>>>()?;
        let data_type = args.return_field.data_type();
        if results.is_empty() {
            return Ok(ColumnarValue::Array(
                datafusion::arrow::array::new_empty_array(data_type),
            ));
        }
        Ok(ColumnarValue::Array(ScalarValue::iter_to_array(results)?))
    }
}
