//! Running `DoGet` streams by ticket, so `CancelFlightInfo` can stop them.
//!
//! A cancelled stream ends with a `Cancelled` status and its query stops; a stream the client drops
//! stops its query the same way, by construction.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arrow_flight::FlightData;
use futures::stream::{AbortHandle, Abortable};
use futures::{Stream, StreamExt};
use tonic::Status;

type DataStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<FlightData, Status>> + Send + 'static>>;

/// The streams running under each ticket: (stream id, abort handle).
type ByTicket = HashMap<Vec<u8>, Vec<(u64, AbortHandle)>>;

/// The running streams: ticket → (stream id, abort handle).
#[derive(Debug, Default, Clone)]
pub(crate) struct Running {
    streams: Arc<Mutex<ByTicket>>,
    next_id: Arc<AtomicU64>,
}

/// Removes a stream's entry when the stream is dropped.
struct Registration {
    running: Running,
    ticket: Vec<u8>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut streams = self.running.streams.lock().expect("running lock");
        if let Some(handles) = streams.get_mut(&self.ticket) {
            handles.retain(|(id, _)| *id != self.id);
            if handles.is_empty() {
                streams.remove(&self.ticket);
            }
        }
    }
}

impl Running {
    /// Registers `stream` under `ticket`; the returned stream ends with `Cancelled` once
    /// [`Running::cancel`] names the ticket.
    pub(crate) fn track(&self, ticket: Vec<u8>, stream: DataStream) -> DataStream {
        let (handle, abort_registration) = AbortHandle::new_pair();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.streams
            .lock()
            .expect("running lock")
            .entry(ticket.clone())
            .or_default()
            .push((id, handle));
        let guard = Registration {
            running: self.clone(),
            ticket,
            id,
        };
        let stream = Abortable::new(stream, abort_registration);
        Box::pin(futures::stream::unfold(
            (stream, guard, false),
            |(mut stream, guard, ended)| async move {
                if ended {
                    return None;
                }
                match stream.next().await {
                    Some(item) => Some((item, (stream, guard, false))),
                    None if stream.is_aborted() => {
                        let cancelled = Status::cancelled("query cancelled by CancelFlightInfo");
                        Some((Err(cancelled), (stream, guard, true)))
                    }
                    None => None,
                }
            },
        ))
    }

    /// Cancels every stream running under one of `tickets`; returns how many there were.
    pub(crate) fn cancel<'a>(&self, tickets: impl IntoIterator<Item = &'a [u8]>) -> usize {
        let streams = self.streams.lock().expect("running lock");
        let mut cancelled = 0;
        for ticket in tickets {
            for (_, handle) in streams.get(ticket).into_iter().flatten() {
                handle.abort();
                cancelled += 1;
            }
        }
        cancelled
    }
}
