//! `array_remove(array, value)` as Postgres' removes: every element equal to the value
//! (DataFusion's `array_remove` removes the first; its `array_remove_all` every one), and with a
//! NULL value every NULL element (`array_remove(ARRAY[1, NULL, 3], NULL)` is `{1,3}`), where
//! DataFusion's answered NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, new_empty_array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{concat, filter, is_not_null};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, exec_err};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};
use datafusion::prelude::SessionContext;

/// Registers `array_remove` in place of DataFusion's, over its `array_remove_all`.
pub(crate) fn install(ctx: &SessionContext) {
    if let Ok(inner) = ctx.udf("array_remove_all") {
        ctx.register_udf(ScalarUDF::new_from_impl(ArrayRemove { inner }));
    }
}

/// DataFusion's `array_remove_all`, named `array_remove`, removing NULLs for a NULL value.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayRemove {
    inner: Arc<ScalarUDF>,
}

impl ScalarUDFImpl for ArrayRemove {
    fn name(&self) -> &str {
        "array_remove"
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        match &args.args[1] {
            ColumnarValue::Scalar(value) if value.is_null() => {
                let arrays = args.args[0].to_array(args.number_rows)?;
                Ok(ColumnarValue::Array(without_nulls(&arrays)?))
            }
            _ => self.inner.invoke_with_args(args),
        }
    }
}

/// Each list of `lists` without its NULL elements.
fn without_nulls(lists: &ArrayRef) -> Result<ArrayRef> {
    let DataType::List(field) = lists.data_type() else {
        return exec_err!("array_remove of {}", lists.data_type());
    };
    let lists = lists.as_list::<i32>();
    let mut offsets = Vec::with_capacity(lists.len() + 1);
    offsets.push(0i32);
    let mut kept = Vec::with_capacity(lists.len());
    for i in 0..lists.len() {
        if lists.is_valid(i) {
            let values = lists.value(i);
            kept.push(filter(&values, &is_not_null(&values)?)?);
        }
        let length = kept
            .last()
            .filter(|_| lists.is_valid(i))
            .map_or(0, |k| k.len());
        offsets.push(offsets[offsets.len() - 1] + length as i32);
    }
    let values = match kept.as_slice() {
        [] => new_empty_array(field.data_type()),
        _ => concat(&kept.iter().map(|k| k.as_ref()).collect::<Vec<_>>())?,
    };
    Ok(Arc::new(ListArray::try_new(
        Arc::clone(field),
        OffsetBuffer::new(offsets.into()),
        values,
        lists.nulls().cloned(),
    )?))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::Int32Type;

    use super::*;

    #[test]
    fn null_elements_are_removed() {
        let lists: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), None, Some(3)]),
            None,
            Some(vec![None]),
        ]));
        let removed = without_nulls(&lists).unwrap();
        let removed = removed.as_list::<i32>();
        let first = removed.value(0);
        assert_eq!(
            first.as_primitive::<Int32Type>(),
            &Int32Array::from(vec![1, 3])
        );
        assert!(removed.is_null(1));
        assert_eq!(removed.value(2).len(), 0);
    }
}
