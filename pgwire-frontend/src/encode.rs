//! Engine outputs as Postgres responses: rows encoded batch by batch in the client's formats.

use std::collections::HashMap;
use std::sync::Arc;

use hangar_engine::{Output, Session};
use pgwire::api::portal::Format;
use pgwire::api::results::{QueryResponse, Response, Tag};
use pgwire::error::PgWireResult;
use pgwire::types::format::FormatOptions;

use crate::copy::copy_response;
use crate::rows::{data_rows, result_fields};

/// Turns an engine output into a response. Rows are encoded lazily as the engine's stream yields
/// batches, so a result is never held whole in memory; an error while they stream points into
/// `sql`, the statement's text.
pub(crate) fn output_response(
    output: Output,
    format: &Format,
    session: &Session,
    sql: &str,
) -> PgWireResult<Response> {
    let options = format_options(session);
    let (batches, tag) = match output {
        Output::Rows(batches) => (batches, "SELECT"),
        Output::Fetched(batches) => (batches, "FETCH"),
        Output::Copy { rows, format } => {
            return copy_response(rows, format, options);
        }
        Output::Command { tag, rows } => return Ok(command_response(tag, rows)),
    };
    let fields = Arc::new(result_fields(&batches.schema(), format, Some(options))?);
    let rows = data_rows(batches, Arc::clone(&fields), Some(Arc::from(sql)));
    let mut response = QueryResponse::new(fields, rows);
    response.command_tag = tag.to_string();
    Ok(Response::Query(response))
}

/// How values print in text, from the session's settings (`SET DateStyle …` included).
fn format_options(session: &Session) -> Arc<FormatOptions> {
    let settings: HashMap<String, String> = [
        "datestyle",
        "intervalstyle",
        "bytea_output",
        "extra_float_digits",
    ]
    .into_iter()
    .filter_map(|name| Some((name.to_string(), session.setting(name).ok()?)))
    .collect();
    Arc::new(FormatOptions::from_client_metadata(&settings))
}

/// A command's completion, with its row count where it has one.
fn command_response(tag: &str, rows: Option<usize>) -> Response {
    let mut pg_tag = Tag::new(tag);
    if tag == "INSERT" {
        pg_tag = pg_tag.with_oid(0);
    }
    if let Some(rows) = rows {
        pg_tag = pg_tag.with_rows(rows);
    }
    match tag {
        "BEGIN" => Response::TransactionStart(pg_tag),
        "COMMIT" | "ROLLBACK" => Response::TransactionEnd(pg_tag),
        _ => Response::Execution(pg_tag),
    }
}
