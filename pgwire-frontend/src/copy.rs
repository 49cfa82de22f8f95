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

use crate::rows::{data_rows, result_fields};

/// The signature that opens a binary copy, then its flags and header-extension length (both 0).
const BINARY_SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The size of the buffers rows are written into, and the room below which a new one is taken.
const BUFFER_SIZE: usize = 64 * 1024;
const ROW_ROOM: usize = 4 * 1024;

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
    let data_rows = data_rows(rows, fields, None).boxed();
    // What comes before the first row (the binary signature, a header line) travels with it, so
    // the row count pgwire reports counts rows only; with no rows it goes alone. Rows are written
    // one after another into one buffer and sent as slices of it: no allocation per row.
    let copy_data = stream::unfold(
        (data_rows, opening(&format, &schema), format),
        |(mut rows, mut pending, format)| async move {
            let data = match rows.next().await {
                Some(Ok(row)) => {
                    if pending.capacity() - pending.len() < ROW_ROOM {
                        pending.reserve(BUFFER_SIZE);
                    }
                    copy_row(&row, &format, &mut pending)
                        .map(|()| CopyData::new(pending.split().freeze()))
                }
                Some(Err(e)) => Err(e),
                None if !pending.is_empty() => Ok(CopyData::new(pending.split().freeze())),
                None => return None,
            };
            Some((data, (rows, pending, format)))
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
    let mut fields = Fields {
        rest: &row.data,
        left: row.field_count,
    };
    put_line(fields.by_ref(), format, out);
    if fields.left != 0 || !fields.rest.is_empty() {
        return Err(PgWireError::ApiError("malformed data row".into()));
    }
    Ok(())
}

/// A data row's fields (`None` for NULL), read from its bytes; it stops early at malformed bytes,
/// leaving `left` above zero.
struct Fields<'a> {
    rest: &'a [u8],
    left: i16,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Option<&'a [u8]>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left <= 0 {
            return None;
        }
        let (length, tail) = self.rest.split_first_chunk::<4>()?;
        let length = i32::from_be_bytes(*length);
        let (value, rest) = match usize::try_from(length) {
            Err(_) => (None, tail), // a negative length: NULL
            Ok(length) => {
                let (value, rest) = tail.split_at_checked(length)?;
                (Some(value), rest)
            }
        };
        self.rest = rest;
        self.left -= 1;
        Some(value)
    }
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

/// A text-format value: backslash, newline, carriage return, tab and the delimiter escaped. Runs
/// without any of them, most values whole, are copied at once.
fn put_text(value: &[u8], delimiter: u8, out: &mut BytesMut) {
    let mut rest = value;
    while let Some(at) = rest
        .iter()
        .position(|&b| matches!(b, b'\\' | b'\n' | b'\r' | b'\t') || b == delimiter)
    {
        let escaped = match rest[at] {
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            b => b, // the backslash, the delimiter
        };
        out.put_slice(&rest[..at]);
        out.put_slice(&[b'\\', escaped]);
        rest = &rest[at + 1..];
    }
    out.put_slice(rest);
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
