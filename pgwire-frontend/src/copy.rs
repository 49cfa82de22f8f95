//! `COPY … TO STDOUT` on the wire: each row as one `CopyData` message in text, CSV or binary.
//!
//! Rows are encoded by the same encoder as query results (text or binary fields), then laid out in
//! the copy format: a binary copy row is a data row's fields behind a field count, a text or CSV
//! row is its text fields, escaped or quoted and joined by the delimiter.

use std::sync::Arc;

use bytes::{BufMut, BytesMut};
use datafusion::arrow::datatypes::Schema;
use futures::{StreamExt, stream};
use hangar_engine::{CopyFormat, SendableRecordBatchStream};
use pgwire::api::portal::Format;
use pgwire::api::results::{CopyResponse, Response};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::copy::CopyData;
use pgwire::messages::data::DataRow;
use pgwire::types::format::FormatOptions;

use crate::encode::{data_rows, result_fields};

/// The signature that opens a binary copy, then its flags and header-extension length (both 0).
const BINARY_SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The response that streams `rows` to the client in `format`.
pub(crate) fn copy_response(
    rows: SendableRecordBatchStream,
    format: CopyFormat,
    options: Arc<FormatOptions>,
) -> PgWireResult<Response> {
    let schema = rows.schema();
    let (wire_format, code) = match format {
        CopyFormat::Binary => (Format::UnifiedBinary, 1),
        _ => (Format::UnifiedText, 0),
    };
    let fields = Arc::new(result_fields(&schema, &wire_format, Some(options))?);
    let data_rows = data_rows(rows, fields).boxed();
    // What comes before the first row (the binary signature, a header line) travels with it, so
    // the row count pgwire reports counts rows only; with no rows it goes alone.
    let opening = opening(&format, &schema);
    let copy_data = stream::unfold(
        (data_rows, Some(opening), format),
        |(mut rows, mut opening, format)| async move {
            match rows.next().await {
                Some(Ok(row)) => {
                    let mut out = opening.take().unwrap_or_default();
                    let data =
                        copy_row(&row, &format, &mut out).map(|()| CopyData::new(out.freeze()));
                    Some((data, (rows, opening, format)))
                }
                Some(Err(e)) => Some((Err(e), (rows, None, format))),
                None => opening
                    .filter(|o| !o.is_empty())
                    .map(|o| (Ok(CopyData::new(o.freeze())), (rows, None, format))),
            }
        },
    );
    Ok(Response::CopyOut(CopyResponse::new(
        code,
        schema.fields().len(),
        copy_data,
    )))
}

/// What precedes the rows: the binary signature, or the header line naming the columns.
fn opening(format: &CopyFormat, schema: &Schema) -> BytesMut {
    let mut out = BytesMut::new();
    match format {
        CopyFormat::Binary => out.put_slice(BINARY_SIGNATURE),
        CopyFormat::Text { header: true, .. } | CopyFormat::Csv { header: true, .. } => {
            let names = schema.fields().iter().map(|f| Some(f.name().as_bytes()));
            put_line(names, format, &mut out);
        }
        _ => {}
    }
    out
}

/// Appends one data row to `out` in the copy format.
fn copy_row(row: &DataRow, format: &CopyFormat, out: &mut BytesMut) -> PgWireResult<()> {
    if let CopyFormat::Binary = format {
        out.put_i16(row.field_count);
        out.put_slice(&row.data);
        return Ok(());
    }
    let fields = fields(&row.data, row.field_count)?;
    put_line(fields.into_iter(), format, out);
    Ok(())
}

/// Splits a data row's bytes into its fields (`None` for NULL).
fn fields(data: &[u8], count: i16) -> PgWireResult<Vec<Option<&[u8]>>> {
    let malformed = || PgWireError::ApiError("malformed data row".into());
    let mut fields = Vec::with_capacity(count.max(0) as usize);
    let mut rest = data;
    for _ in 0..count {
        let (length, tail) = rest.split_first_chunk::<4>().ok_or_else(malformed)?;
        let length = i32::from_be_bytes(*length);
        if length < 0 {
            fields.push(None);
            rest = tail;
        } else {
            let (value, tail) = tail
                .split_at_checked(length as usize)
                .ok_or_else(malformed)?;
            fields.push(Some(value));
            rest = tail;
        }
    }
    Ok(fields)
}

/// Appends one line of text or CSV values, with its newline.
fn put_line<'a>(
    values: impl Iterator<Item = Option<&'a [u8]>>,
    format: &CopyFormat,
    out: &mut BytesMut,
) {
    for (i, value) in values.enumerate() {
        match format {
            CopyFormat::Text {
                delimiter, null, ..
            } => {
                if i > 0 {
                    out.put_u8(*delimiter as u8);
                }
                match value {
                    None => out.put_slice(null.as_bytes()),
                    Some(value) => put_text(value, *delimiter as u8, out),
                }
            }
            CopyFormat::Csv {
                delimiter,
                null,
                quote,
                escape,
                ..
            } => {
                if i > 0 {
                    out.put_u8(*delimiter as u8);
                }
                match value {
                    None => out.put_slice(null.as_bytes()),
                    Some(value) => {
                        let (delimiter, quote, escape) =
                            (*delimiter as u8, *quote as u8, *escape as u8);
                        let needs_quotes = value == null.as_bytes()
                            || value.iter().any(|&b| {
                                matches!(b, b'\n' | b'\r') || b == delimiter || b == quote
                            });
                        if needs_quotes {
                            put_quoted(value, quote, escape, out);
                        } else {
                            out.put_slice(value);
                        }
                    }
                }
            }
            // Binary rows are fields behind a count, never lines.
            CopyFormat::Binary => {}
        }
    }
    out.put_u8(b'\n');
}

/// A text-format value: backslash, newline, carriage return, tab and the delimiter escaped.
fn put_text(value: &[u8], delimiter: u8, out: &mut BytesMut) {
    for &b in value {
        match b {
            b'\\' => out.put_slice(b"\\\\"),
            b'\n' => out.put_slice(b"\\n"),
            b'\r' => out.put_slice(b"\\r"),
            b'\t' => out.put_slice(b"\\t"),
            b if b == delimiter => out.put_slice(&[b'\\', b]),
            b => out.put_u8(b),
        }
    }
}

/// A quoted CSV value: the quote and escape characters inside it escaped.
fn put_quoted(value: &[u8], quote: u8, escape: u8, out: &mut BytesMut) {
    out.put_u8(quote);
    for &b in value {
        if b == quote || b == escape {
            out.put_u8(escape);
        }
        out.put_u8(b);
    }
    out.put_u8(quote);
}
