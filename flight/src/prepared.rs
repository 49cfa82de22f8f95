//! Prepared statements without server-side state: the handle a client holds carries the SQL and,
//! once bound, the parameter values, so any server (or replica) can run it and nothing leaks when a
//! client never closes it.

use bytes::Bytes;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ParamValues;
use datafusion::scalar::ScalarValue;
use hangar_engine::Prepared;
use tonic::Status;

/// What a prepared-statement handle holds.
#[derive(Debug)]
pub(crate) struct Handle {
    /// The statement's SQL.
    pub(crate) sql: String,
    /// Bound parameter rows, one execution per row; `None` until bound.
    pub(crate) params: Option<RecordBatch>,
}

impl Handle {
    /// `[sql length: u32 LE][sql][parameters as an Arrow IPC stream, when bound]`.
    pub(crate) fn encode(&self) -> Result<Bytes, Status> {
        let mut out = Vec::with_capacity(4 + self.sql.len());
        out.extend_from_slice(&(self.sql.len() as u32).to_le_bytes());
        out.extend_from_slice(self.sql.as_bytes());
        if let Some(batch) = &self.params {
            let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).map_err(internal)?;
            writer.write(batch).map_err(internal)?;
            writer.finish().map_err(internal)?;
        }
        Ok(out.into())
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Self, Status> {
        let invalid = || Status::invalid_argument("not a prepared statement handle of this server");
        let len = u32::from_le_bytes(
            bytes
                .get(..4)
                .ok_or_else(invalid)?
                .try_into()
                .map_err(|_| invalid())?,
        ) as usize;
        let sql = std::str::from_utf8(bytes.get(4..4 + len).ok_or_else(invalid)?)
            .map_err(|_| invalid())?;
        let rest = &bytes[4 + len..];
        let params = if rest.is_empty() {
            None
        } else {
            let reader = StreamReader::try_new(rest, None).map_err(|_| invalid())?;
            let batches = reader
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| invalid())?;
            let schema = batches.first().map(|b| b.schema()).ok_or_else(invalid)?;
            Some(datafusion::arrow::compute::concat_batches(&schema, &batches).map_err(internal)?)
        };
        Ok(Self {
            sql: sql.to_string(),
            params,
        })
    }
}

/// The parameter schema a client binds against: `$1…$n` with the types planning inferred.
pub(crate) fn parameter_schema(prepared: &Prepared) -> Result<Schema, Status> {
    let types = prepared
        .parameter_types()
        .map_err(|e| crate::error::status(&e))?;
    Ok(Schema::new(
        types
            .into_iter()
            .enumerate()
            .map(|(i, ty)| Field::new(format!("${}", i + 1), ty.unwrap_or(DataType::Null), true))
            .collect::<Vec<_>>(),
    ))
}

/// The parameter values of one bound row, cast to the types the plan expects.
pub(crate) fn row_params(
    prepared: &Prepared,
    batch: &RecordBatch,
    row: usize,
) -> Result<ParamValues, Status> {
    let expected = prepared
        .parameter_types()
        .map_err(|e| crate::error::status(&e))?;
    if batch.num_columns() != expected.len() {
        return Err(Status::invalid_argument(format!(
            "statement has {} parameters, {} were bound",
            expected.len(),
            batch.num_columns()
        )));
    }
    let values = batch
        .columns()
        .iter()
        .zip(&expected)
        .map(|(column, ty)| {
            let value = ScalarValue::try_from_array(column, row)
                .map_err(|e| Status::invalid_argument(e.to_string()))?;
            match ty {
                Some(ty) if value.data_type() != *ty => value
                    .cast_to(ty)
                    .map_err(|e| Status::invalid_argument(e.to_string())),
                _ => Ok(value),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ParamValues::from(values))
}

fn internal(e: impl std::fmt::Display) -> Status {
    Status::internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int64Array;
    use std::sync::Arc;

    #[test]
    fn handles_round_trip_with_and_without_parameters() {
        let plain = Handle {
            sql: "SELECT $1".into(),
            params: None,
        };
        let back = Handle::decode(&plain.encode().unwrap()).unwrap();
        assert_eq!(back.sql, "SELECT $1");
        assert!(back.params.is_none());

        let schema = Arc::new(Schema::new(vec![Field::new("$1", DataType::Int64, true)]));
        let batch =
            RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![7, 8]))]).unwrap();
        let bound = Handle {
            sql: "SELECT $1".into(),
            params: Some(batch.clone()),
        };
        let back = Handle::decode(&bound.encode().unwrap()).unwrap();
        assert_eq!(back.params.unwrap(), batch);
        assert!(Handle::decode(b"\xff\xff").is_err());
    }
}
