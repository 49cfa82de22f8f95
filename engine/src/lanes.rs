//! Two lanes for running queries, so that a dashboard's small queries are not held up by big
//! scans. On a busy server every running query shares the cores alike: a 5 ms aggregate over a
//! materialized view waited behind each 75 ms scan of `lineitem` that ran beside it
//! (docs/benchmarks.md). A query whose plan last read more than [`BULK_BYTES`] of Parquet runs on
//! the bulk runtime, whose threads the operating system ranks below the others'; the rest, and
//! any plan not seen before, run on the interactive one.
//!
//! Plans are known by the hash of the plan before its parameters are bound, so every run of a
//! prepared statement counts as the same query.

use std::hash::{DefaultHasher, Hash, Hasher};

use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::ExecutionPlan;
use moka::sync::Cache;

/// Bytes of Parquet read that make a query bulk. The dashboard mix of docs/benchmarks.md reads
/// 0.2 MB for an aggregate over its view, 0.6 MB for a key lookup and 50 MB for a scan of one ship
/// date at SF 1.
const BULK_BYTES: u64 = 16 << 20;

/// How many plans the history remembers.
const REMEMBERED: u64 = 10_000;

/// Where a query runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    Interactive,
    Bulk,
}

/// A plan's identity in the history: the hash of its unbound form.
pub(crate) fn plan_key(plan: &LogicalPlan) -> u64 {
    let mut hasher = DefaultHasher::new();
    plan.hash(&mut hasher);
    hasher.finish()
}

/// What each plan read the last time it ran to its end.
#[derive(Debug)]
pub(crate) struct ScanHistory(Cache<u64, u64>);

impl Default for ScanHistory {
    fn default() -> Self {
        Self(Cache::new(REMEMBERED))
    }
}

impl ScanHistory {
    /// The lane for the plan known as `key`.
    pub(crate) fn lane(&self, key: u64) -> Lane {
        match self.0.get(&key) {
            Some(bytes) if bytes > BULK_BYTES => Lane::Bulk,
            _ => Lane::Interactive,
        }
    }

    /// Records what `plan`, known as `key`, read in the run that just ended.
    pub(crate) fn record(&self, key: u64, plan: &dyn ExecutionPlan) {
        self.0.insert(key, bytes_scanned(plan));
    }
}

/// The bytes of Parquet `plan` read, summed over its scans.
fn bytes_scanned(plan: &dyn ExecutionPlan) -> u64 {
    let own = plan
        .metrics()
        .and_then(|metrics| metrics.sum_by_name("bytes_scanned"))
        .map_or(0, |bytes| bytes.as_usize() as u64);
    own + plan
        .children()
        .into_iter()
        .map(|child| bytes_scanned(child.as_ref()))
        .sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_that_read_much_go_to_the_bulk_lane() {
        let history = ScanHistory::default();
        assert_eq!(
            history.lane(1),
            Lane::Interactive,
            "unknown plans are interactive"
        );
        history.0.insert(1, BULK_BYTES + 1);
        history.0.insert(2, BULK_BYTES / 100);
        assert_eq!(history.lane(1), Lane::Bulk);
        assert_eq!(history.lane(2), Lane::Interactive);
    }
}
