//! Audit events: connections, logins, role and privilege changes and statements, as structured
//! `tracing` events with the target `hangar::audit`, so an operator can route them to a file or a
//! collector apart from the server's other logs (`--log-level hangar::audit=info`). No event
//! carries a password or a statement's text: statements are named by their command tag.

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::Result as DfResult;
use datafusion::physical_plan::{RecordBatchStream, SendableRecordBatchStream};
use futures::Stream;

use crate::access::statements::AccessStatement;

/// Who is behind a session: what the audit events of its statements name.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// `postgres` or `flight`; `internal` for the server's own work.
    pub protocol: &'static str,
    /// The client's address, when it came over the network.
    pub address: Option<SocketAddr>,
}

/// A client connected or disconnected.
pub fn connection(protocol: &str, address: SocketAddr, event: &str) {
    tracing::info!(target: "hangar::audit", event, protocol, client = %address, "connection");
}

/// A login succeeded or failed.
pub fn authentication(
    protocol: &str,
    address: Option<SocketAddr>,
    user: &str,
    outcome: Result<(), &crate::Error>,
) {
    let client = address.map(|a| a.to_string()).unwrap_or_default();
    match outcome {
        Ok(()) => {
            tracing::info!(target: "hangar::audit", event = "authentication", protocol, client, user, outcome = "success", "login")
        }
        Err(error) => {
            tracing::warn!(target: "hangar::audit", event = "authentication", protocol, client, user, outcome = "failure", sqlstate = error.sqlstate(), reason = %error, "login")
        }
    }
}

/// A role or privilege changed.
pub(crate) fn access_change(by: &str, tag: &str, statement: &AccessStatement) {
    // The statement's Debug form shows a password as `***`.
    tracing::info!(target: "hangar::audit", event = "access_change", user = by, command = tag, change = ?statement, "role or privilege change");
}

/// A statement ended; `outcome` is its SQLSTATE when it failed.
pub(crate) fn statement(
    client: &Client,
    user: &str,
    query_id: &str,
    command: &str,
    started: Instant,
    outcome: Option<&str>,
) {
    let client_address = client.address.map(|a| a.to_string()).unwrap_or_default();
    let duration_ms = started.elapsed().as_secs_f64() * 1e3;
    tracing::info!(
        target: "hangar::audit",
        event = "statement",
        protocol = client.protocol,
        client = client_address,
        user,
        query_id,
        command,
        outcome = outcome.unwrap_or("success"),
        duration_ms,
        "statement"
    );
}

/// A result stream that records its statement's audit event when it ends (completed, failed or
/// dropped by the client).
pub(crate) struct AuditedStream {
    inner: SendableRecordBatchStream,
    done: Option<OnEnd>,
}

/// What a stream calls when it ends, with its SQLSTATE if it failed.
type OnEnd = Box<dyn FnOnce(Option<&str>) + Send>;

impl AuditedStream {
    pub(crate) fn wrap(
        inner: SendableRecordBatchStream,
        done: impl FnOnce(Option<&str>) + Send + 'static,
    ) -> SendableRecordBatchStream {
        Box::pin(Self {
            inner,
            done: Some(Box::new(done)),
        })
    }

    fn finish(&mut self, outcome: Option<&str>) {
        if let Some(done) = self.done.take() {
            done(outcome);
        }
    }
}

impl Stream for AuditedStream {
    type Item = DfResult<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            Poll::Ready(None) => self.finish(None),
            Poll::Ready(Some(Err(error))) => {
                let sqlstate = crate::error::datafusion_sqlstate(error.find_root());
                self.finish(Some(sqlstate));
            }
            _ => {}
        }
        polled
    }
}

impl RecordBatchStream for AuditedStream {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }
}

impl Drop for AuditedStream {
    fn drop(&mut self) {
        self.finish(Some("cancelled"));
    }
}
