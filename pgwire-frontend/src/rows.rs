//! Result rows as Postgres sees them: the columns' descriptions, and the rows encoded batch by
//! batch in the fields' formats. Query results and `COPY … TO STDOUT` both use these.

use std::sync::Arc;

use arrow_pg::datatypes::{arrow_schema_to_pg_fields, encode_recordbatch};
use datafusion::arrow::datatypes::Schema;
use futures::{Stream, StreamExt, stream};
use hangar_engine::SendableRecordBatchStream;
use pgwire::api::portal::Format;
use pgwire::api::results::FieldInfo;
use pgwire::error::PgWireResult;
use pgwire::messages::data::DataRow;
use pgwire::types::format::FormatOptions;

use crate::error::engine_error;

/// The Postgres description of result columns.
pub(crate) fn result_fields(
    schema: &Schema,
    format: &Format,
    options: Option<Arc<FormatOptions>>,
) -> PgWireResult<Vec<FieldInfo>> {
    arrow_schema_to_pg_fields(schema, format, options)
}

/// Encodes each batch's rows in the fields' formats, as the batches arrive. An error the query
/// raises as it runs points into `sql`, the text it came in, where there is one.
pub(crate) fn data_rows(
    batches: SendableRecordBatchStream,
    fields: Arc<Vec<FieldInfo>>,
    sql: Option<Arc<str>>,
) -> impl Stream<Item = PgWireResult<DataRow>> + Send + 'static {
    batches
        .map(move |batch| match batch {
            Ok(batch) => stream::iter(encode_recordbatch(Arc::clone(&fields), batch)).left_stream(),
            Err(e) => stream::iter([Err(engine_error(
                hangar_engine::Error::DataFusion(e),
                sql.as_deref(),
            ))])
            .right_stream(),
        })
        .flatten()
}
