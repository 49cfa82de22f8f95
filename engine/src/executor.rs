//! Where query plans run: a runtime of their own, apart from the one that serves connections,
//! timers and refresh heartbeats.
//!
//! DataFusion's operators are CPU-bound and yield to tokio rarely. On the runtime that also accepts
//! connections, a few big scans delayed a `SELECT 1` by seconds, and a refresh's heartbeat long
//! enough for other servers to read the refresh as interrupted. Plans are still built on the
//! caller's runtime (building may list files and read footers); only their execution moves here.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::TaskContext;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{ExecutionPlan, SendableRecordBatchStream, execute_stream};
use futures::channel::mpsc;
use futures::{FutureExt, SinkExt, StreamExt};
use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::error::{Error, Result};
use crate::lanes::Lane;

/// The query runtime: one worker per core, built on first use and kept for the process's life (a
/// runtime cannot be dropped from inside another one).
static QUERIES: LazyLock<Runtime> = LazyLock::new(|| {
    Builder::new_multi_thread()
        .thread_name("hangar-query")
        .enable_all()
        .build()
        .expect("the query runtime starts")
});

/// The runtime of the bulk lane ([`crate::lanes`]): as many workers, ranked below every other
/// thread of the server by the operating system, so they get the cores the others leave.
static BULK: LazyLock<Runtime> = LazyLock::new(|| {
    Builder::new_multi_thread()
        .thread_name("hangar-bulk")
        .on_thread_start(rank_lower)
        .enable_all()
        .build()
        .expect("the bulk query runtime starts")
});

/// How much nicer than the server the bulk lane's threads are: Linux then gives a runnable
/// interactive thread about nine times their share of a core.
const BULK_NICENESS: libc::c_int = 10;

/// The niceness Linux allows at most.
#[cfg(target_os = "linux")]
const MAX_NICENESS: libc::c_int = 19;

/// Lowers the calling thread's scheduling priority below the server's own, so a server started
/// with `nice` keeps its bulk lane below its interactive one.
fn rank_lower() {
    // SAFETY: getpriority and setpriority read only their integer arguments; on Linux,
    // PRIO_PROCESS with id 0 is the calling thread. A failure leaves the thread at the server's
    // priority, which is harmless.
    #[cfg(target_os = "linux")]
    unsafe {
        let own = libc::getpriority(libc::PRIO_PROCESS, 0);
        libc::setpriority(
            libc::PRIO_PROCESS,
            0,
            (own + BULK_NICENESS).min(MAX_NICENESS),
        );
    }
}

/// How many batches a running query may compute ahead of its reader.
const AHEAD: usize = 2;

/// Runs `plan` on the runtime of `lane`. Batches come back through a small channel, so a slow
/// reader holds the query back, and dropping the stream stops the query. A panic inside the query
/// ends the stream with an internal error. `finished` is given the plan, with its metrics, when it
/// has run to its end.
pub(crate) fn stream(
    plan: Arc<dyn ExecutionPlan>,
    context: Arc<TaskContext>,
    lane: Lane,
    finished: impl FnOnce(&dyn ExecutionPlan) + Send + 'static,
) -> SendableRecordBatchStream {
    let schema = plan.schema();
    let (sender, receiver) = mpsc::channel(AHEAD);
    let runtime = match lane {
        Lane::Interactive => &QUERIES,
        Lane::Bulk => &BULK,
    };
    let mut task = JoinSet::new();
    task.spawn_on(
        forward(plan, context, sender, finished).instrument(tracing::Span::current()),
        runtime.handle(),
    );
    // The stream owns the task: dropping the stream aborts it.
    let batches = futures::stream::unfold((receiver, task), |(mut receiver, task)| async move {
        let batch = receiver.next().await?;
        Some((batch, (receiver, task)))
    });
    Box::pin(RecordBatchStreamAdapter::new(schema, batches))
}

/// Runs `plan` and sends its batches, then its error or panic if it fails, until the reader goes.
async fn forward(
    plan: Arc<dyn ExecutionPlan>,
    context: Arc<TaskContext>,
    mut sender: mpsc::Sender<DfResult<RecordBatch>>,
    finished: impl FnOnce(&dyn ExecutionPlan),
) {
    let run = AssertUnwindSafe(async {
        let mut batches = execute_stream(Arc::clone(&plan), context)?;
        while let Some(batch) = batches.next().await {
            if sender.send(Ok(batch?)).await.is_err() {
                return Ok(()); // the reader is gone
            }
        }
        finished(plan.as_ref());
        Ok(())
    });
    let failure = match run.catch_unwind().await {
        Ok(outcome) => outcome.err(),
        Err(panic) => Some(DataFusionError::External(Box::new(panicked(panic)))),
    };
    if let Some(failure) = failure {
        let _ = sender.send(Err(failure)).await;
    }
}

/// Runs `work` (a write, or a plan read whole) on the query runtime and waits for it. Dropping the
/// returned future aborts the work; a panic inside it becomes an internal error.
pub(crate) async fn run<T: Send + 'static>(
    work: impl Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    let mut task = JoinSet::new();
    task.spawn_on(work.instrument(tracing::Span::current()), QUERIES.handle());
    match task.join_next().await.expect("the task just spawned") {
        Ok(outcome) => outcome,
        Err(e) if e.is_panic() => Err(panicked(e.into_panic())),
        Err(e) => Err(Error::Panicked(e.to_string())),
    }
}

/// The error a caught panic becomes, with the panic's message.
fn panicked(panic: Box<dyn Any + Send>) -> Error {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    Error::Panicked(message)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::logical_expr::{ColumnarValue, Volatility, create_udf};
    use datafusion::prelude::SessionContext;
    use futures::TryStreamExt;

    use super::*;

    /// A session with `boom(x)`, a function that panics when it runs.
    fn context() -> SessionContext {
        let ctx = SessionContext::new();
        ctx.register_udf(create_udf(
            "boom",
            vec![DataType::Int64],
            DataType::Int64,
            Volatility::Volatile,
            Arc::new(|_: &[ColumnarValue]| panic!("boom went off")),
        ));
        ctx
    }

    async fn rows(ctx: &SessionContext, sql: &str) -> DfResult<Vec<RecordBatch>> {
        let query = ctx.sql(sql).await?;
        let context = Arc::new(query.task_ctx());
        stream(
            query.create_physical_plan().await?,
            context,
            Lane::Interactive,
            |_| {},
        )
        .try_collect()
        .await
    }

    #[tokio::test]
    async fn a_plan_streams_its_rows() {
        let ctx = context();
        let batches = rows(&ctx, "SELECT count(*) FROM generate_series(1, 100000)")
            .await
            .unwrap();
        let counted = batches[0].column(0).as_any();
        let counted = counted
            .downcast_ref::<datafusion::arrow::array::Int64Array>()
            .unwrap();
        assert_eq!(counted.value(0), 100_000);
    }

    #[tokio::test]
    async fn a_panic_inside_a_query_ends_its_stream_with_an_internal_error() {
        let ctx = context();
        let error = rows(&ctx, "SELECT boom(1)").await.unwrap_err();
        let DataFusionError::External(error) = error.find_root() else {
            panic!("not the panic's error: {error}");
        };
        let error = error.downcast_ref::<Error>().unwrap();
        assert!(error.to_string().contains("boom went off"), "{error}");
        assert_eq!(error.sqlstate(), "XX000");
        // The runtime goes on.
        assert_eq!(rows(&ctx, "SELECT 1").await.unwrap()[0].num_rows(), 1);
    }

    #[tokio::test]
    async fn a_panic_inside_work_is_an_internal_error() {
        let fail = true;
        let error = run(async move {
            assert!(!fail, "the work went wrong");
            Ok(())
        })
        .await
        .unwrap_err();
        assert!(
            matches!(&error, Error::Panicked(m) if m == "the work went wrong"),
            "{error}"
        );
        let thread = run(async { Ok(std::thread::current().name().map(str::to_string)) });
        assert_eq!(thread.await.unwrap().as_deref(), Some("hangar-query"));
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_bulk_lane_runs_below_the_interactive_one() {
        /// The calling thread's name and niceness, from /proc (field 19 of its stat line).
        fn where_am_i() -> (String, i64) {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
            let after_name = &stat[stat.rfind(')').unwrap() + 2..];
            let nice = after_name.split(' ').nth(16).unwrap().parse().unwrap();
            (std::thread::current().name().unwrap().to_string(), nice)
        }
        let ctx = context();
        let threads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&threads);
        ctx.register_udf(create_udf(
            "where_am_i",
            vec![DataType::Int64],
            DataType::Int64,
            Volatility::Volatile,
            Arc::new(move |args: &[ColumnarValue]| {
                seen.lock().unwrap().push(where_am_i());
                Ok(args[0].clone())
            }),
        ));
        for lane in [Lane::Interactive, Lane::Bulk] {
            let query = ctx.sql("SELECT where_am_i(1)").await.unwrap();
            let context = Arc::new(query.task_ctx());
            let (done, finished) = futures::channel::oneshot::channel();
            let plan = query.create_physical_plan().await.unwrap();
            let batches: Vec<RecordBatch> = stream(plan, context, lane, move |_| {
                let _ = done.send(());
            })
            .try_collect()
            .await
            .unwrap();
            assert_eq!(batches[0].num_rows(), 1);
            finished.await.expect("told when the plan ran to its end");
        }
        let threads = threads.lock().unwrap().clone();
        assert_eq!(threads[0].0, "hangar-query");
        assert_eq!(threads[1].0, "hangar-bulk");
        let nicer = (threads[0].1 + i64::from(BULK_NICENESS)).min(i64::from(MAX_NICENESS));
        assert_eq!(threads[1].1, nicer);
    }
}
