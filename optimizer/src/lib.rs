//! Plan rules for Apache DataFusion, each with the measured reason it exists
//! (`docs/benchmarks.md` of the Hangar repository, and this crate's README).
//!
//! Everything here is plain DataFusion: rules over DataFusion's logical and physical plans, with
//! no knowledge of Hangar's catalog, sessions, protocols or SQL dialect, so that each could be
//! offered upstream as it is. [`install`] adds them all to a [`SessionStateBuilder`] in the order
//! they were measured in.

mod decimal_arithmetic;
mod dynamic_filter_rows;
mod join_order;
mod join_sides;
mod like_escape;
mod narrowing_filters;
mod rewrite;
mod shared_subplans;

use std::sync::Arc;

use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_optimizer::optimizer::PhysicalOptimizer;

pub use decimal_arithmetic::UncheckDecimals;
pub use dynamic_filter_rows::DynamicFilterRows;
pub use join_order::OrderJoins;
pub use join_sides::BuildSmallerSide;
pub use like_escape::LikeEscape;
pub use narrowing_filters::NarrowFilters;
pub use shared_subplans::{JoinSharedSubplans, ShareRepeatedAggregates, SharedSubplanQueryPlanner};

/// `builder` with every rule of this crate installed: the logical rules after DataFusion's own,
/// the query planner that plans shared subplans, and DataFusion's physical rules with
/// [`OrderJoins`] right before its `join_selection` and [`BuildSmallerSide`] right after it, then
/// the other physical rules after all of DataFusion's.
///
/// It sets the builder's query planner and its whole list of physical rules, so call it before
/// adding physical rules of your own.
pub fn install(builder: SessionStateBuilder) -> SessionStateBuilder {
    builder
        .with_optimizer_rule(Arc::new(LikeEscape))
        .with_optimizer_rule(Arc::new(ShareRepeatedAggregates))
        .with_query_planner(Arc::new(SharedSubplanQueryPlanner))
        .with_physical_optimizer_rules(physical_optimizer_rules())
        .with_physical_optimizer_rule(Arc::new(DynamicFilterRows))
        .with_physical_optimizer_rule(Arc::new(NarrowFilters))
        .with_physical_optimizer_rule(Arc::new(UncheckDecimals))
        .with_physical_optimizer_rule(Arc::new(JoinSharedSubplans))
}

/// DataFusion's physical optimizer rules, with [`OrderJoins`] right before its `join_selection`,
/// which then picks the new joins' build sides, and [`BuildSmallerSide`] right after it, which it
/// corrects.
fn physical_optimizer_rules() -> Vec<Arc<dyn PhysicalOptimizerRule + Send + Sync>> {
    let mut rules = PhysicalOptimizer::new().rules;
    let at = rules
        .iter()
        .position(|rule| rule.name() == "join_selection")
        .unwrap_or(rules.len());
    rules.insert(at, Arc::new(OrderJoins));
    rules.insert((at + 2).min(rules.len()), Arc::new(BuildSmallerSide));
    rules
}

#[cfg(test)]
mod tests {
    use datafusion::execution::session_state::SessionStateBuilder;

    /// The join rules sit on either side of DataFusion's `join_selection`, and the others run
    /// after all of DataFusion's physical rules, shared subplans joined last.
    #[test]
    fn install_places_the_rules_around_join_selection() {
        let state = super::install(SessionStateBuilder::new().with_default_features()).build();
        let names: Vec<&str> = state
            .physical_optimizers()
            .iter()
            .map(|rule| rule.name())
            .collect();
        let at = |name: &str| names.iter().position(|n| *n == name).expect(name);
        assert_eq!(at("hangar_order_joins") + 1, at("join_selection"));
        assert_eq!(at("join_selection") + 1, at("hangar_build_smaller_side"));
        assert_eq!(
            &names[names.len() - 4..],
            [
                "hangar_dynamic_filter_rows",
                "hangar_narrow_filters",
                "hangar_uncheck_decimals",
                "hangar_join_shared_subplans"
            ]
        );
        let logical: Vec<&str> = state.optimizers().iter().map(|r| r.name()).collect();
        assert!(logical.ends_with(&["hangar_like_escape", "hangar_share_repeated_aggregates"]));
    }
}
