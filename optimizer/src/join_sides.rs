//! Partitioned hash joins build their table from the side estimated to hold far fewer rows.
//!
//! DataFusion's `join_selection` builds a partitioned hash join's table from the side of the
//! smaller estimated byte size, and compares rows only where a byte size is unknown. A semi or
//! anti join's byte estimate is the sum of its columns' sizes as they came in, not scaled to the
//! rows it is estimated to keep: in TPC-H q21 the semi join of 60 K estimated rows (73 K in fact) is
//! estimated at 95 MB, just over the 3.8 M rows of `lineitem` on the other side of the anti join
//! above it, so that join built its table from the 3.8 M rows.
//!
//! [`BuildSmallerSide`] runs right after `join_selection`, before repartitioning and dynamic
//! filters are added, and swaps the inputs of a partitioned hash join whose build side is
//! estimated to hold more than [`RATIO`] times the rows of its probe side. DataFusion's own swap
//! does the work, for the join types it can swap.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::error::Result;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};

use crate::join_order::statistics_of;
use crate::rewrite::replace_nodes;

/// How many times the probe side's estimated rows the build side must hold to be swapped: far
/// enough apart that the estimates' errors do not decide.
const RATIO: usize = 8;

/// The rule (see the module's documentation).
#[derive(Debug, Default)]
pub struct BuildSmallerSide;

impl PhysicalOptimizerRule for BuildSmallerSide {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if !config.optimizer.join_reordering {
            return Ok(plan);
        }
        replace_nodes(plan, |node| {
            let Some(join) = node.downcast_ref::<HashJoinExec>() else {
                return Ok(None);
            };
            let swappable = *join.partition_mode() == PartitionMode::Partitioned
                && join.join_type().supports_swap()
                && !join.null_aware;
            let rows = |side: &Arc<dyn ExecutionPlan>| {
                statistics_of(side).and_then(|statistics| statistics.num_rows.get_value().copied())
            };
            Ok(match (swappable, rows(join.left()), rows(join.right())) {
                (true, Some(build), Some(probe)) if build > probe.saturating_mul(RATIO) => {
                    Some(join.swap_inputs(PartitionMode::Partitioned)?)
                }
                _ => None,
            })
        })
    }

    fn name(&self) -> &str {
        "hangar_build_smaller_side"
    }

    fn schema_check(&self) -> bool {
        true
    }
}
