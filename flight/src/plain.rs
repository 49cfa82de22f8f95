//! Flight results carry plain strings and binaries instead of DataFusion's view types: a view array
//! points into shared buffers that the IPC writer would copy into every message whole (2.4× the
//! bytes of `lineitem` in the transfer benchmark), and not every client reads view types.

use std::sync::Arc;

use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::RecordBatch;

/// The type Flight sends for `data_type`.
fn plain_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Utf8View => DataType::Utf8,
        DataType::BinaryView => DataType::Binary,
        DataType::List(field) => DataType::List(Arc::new(plain_field(field))),
        DataType::LargeList(field) => DataType::LargeList(Arc::new(plain_field(field))),
        DataType::Struct(fields) => {
            DataType::Struct(fields.iter().map(|f| plain_field(f)).collect())
        }
        other => other.clone(),
    }
}

fn plain_field(field: &Field) -> Field {
    field.clone().with_data_type(plain_type(field.data_type()))
}

/// The schema Flight sends for results of `schema`.
pub(crate) fn plain_schema(schema: &Schema) -> SchemaRef {
    Arc::new(Schema::new_with_metadata(
        schema
            .fields()
            .iter()
            .map(|f| plain_field(f))
            .collect::<Vec<_>>(),
        schema.metadata().clone(),
    ))
}

/// `batch` with its columns cast to `schema` (from [`plain_schema`]); unchanged when no column
/// needs it.
pub(crate) fn plain_batch(
    batch: RecordBatch,
    schema: &SchemaRef,
) -> Result<RecordBatch, ArrowError> {
    if batch.schema_ref().fields() == schema.fields() {
        return Ok(batch);
    }
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(column, field)| cast(column, field.data_type()))
        .collect::<Result<Vec<_>, _>>()?;
    RecordBatch::try_new(Arc::clone(schema), columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{AsArray, StringViewArray};

    #[test]
    fn view_columns_become_plain() {
        let schema = Schema::new(vec![Field::new("s", DataType::Utf8View, true)]);
        let batch = RecordBatch::try_new(
            Arc::new(schema.clone()),
            vec![Arc::new(StringViewArray::from(vec![
                Some("a long enough string value"),
                None,
            ]))],
        )
        .unwrap();
        let plain = plain_schema(&schema);
        assert_eq!(plain.field(0).data_type(), &DataType::Utf8);
        let batch = plain_batch(batch, &plain).unwrap();
        assert_eq!(
            batch.column(0).as_string::<i32>().value(0),
            "a long enough string value"
        );
        assert!(batch.column(0).is_null(1));
    }
}
