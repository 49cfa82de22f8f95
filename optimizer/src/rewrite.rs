//! What the physical rules share: replacing nodes bottom up, and checking that a replacement keeps
//! the properties the operators above it may rely on.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::error::Result;
use datafusion::physical_plan::ExecutionPlan;

/// `plan` with every node for which `replace` gives a new node replaced by it, visiting children
/// before their parents, so that `replace` sees each node's inputs already rewritten.
pub(crate) fn replace_nodes(
    plan: Arc<dyn ExecutionPlan>,
    mut replace: impl FnMut(&Arc<dyn ExecutionPlan>) -> Result<Option<Arc<dyn ExecutionPlan>>>,
) -> Result<Arc<dyn ExecutionPlan>> {
    plan.transform_up(|node| {
        Ok(match replace(&node)? {
            Some(replaced) => Transformed::yes(replaced),
            None => Transformed::no(node),
        })
    })
    .map(|transformed| transformed.data)
}

/// Whether a rewritten node keeps the equivalences, orderings and partitioning of the node it
/// replaces. Compared as text: `Partitioning`'s equality holds no unknown partitioning equal to
/// another.
pub(crate) fn same_properties(node: &dyn ExecutionPlan, rewritten: &dyn ExecutionPlan) -> bool {
    let shown = |node: &dyn ExecutionPlan| {
        let properties = node.properties();
        format!(
            "{} {}",
            properties.equivalence_properties(),
            properties.output_partitioning()
        )
    };
    shown(node) == shown(rewritten)
}
