//! Inner joins in the order of least estimated work.
//!
//! DataFusion joins tables in the order the query names them and only picks each join's build
//! side. In TPC-H q5 that joins `customer` with a year of `orders` and probes all of `lineitem`
//! with those 228 K orders before `region` and `nation` keep one customer in five; joining
//! `region`, `nation` and `customer` first builds the `lineitem` join from a fifth of the orders.
//!
//! [`OrderJoins`] runs before `join_selection`. It takes each region of inner equi-joins (hash
//! joins without a filter, with column projections between them) and its leaves, the inputs that
//! are not such joins, and searches every order of joining the leaves, bushy ones included, by
//! dynamic programming over the subsets of leaves. Joined columns are grouped into classes of
//! equal columns, so that `c_nationkey = s_nationkey AND s_nationkey = n_nationkey` also lets
//! `customer` join `nation` directly; no join without an equality is considered.
//!
//! The estimates start from DataFusion's statistics of each leaf: its rows after its filters, and
//! each column's distinct values (DataFusion's count, or the range between its minimum and maximum
//! for integers and dates), at most those of any column of its class in its table below the leaf's
//! filters, since a key's table holds every value its foreign keys refer to. A join keeps
//! `rows × rows / max(distinct, distinct)` per class it joins on, and at least as many rows as the
//! larger side when it joins on more than one class (a composite key such as `partsupp`'s is not
//! more selective than a key of either side). A join costs twice its build side's rows, the rows
//! it probes, weighted up as its table outgrows the caches, and the rows it makes. The region's
//! planned order is kept unless the best order is estimated at under [`GAIN`] of its cost, both
//! above what every order costs; `join_selection` then picks build sides and modes for the new
//! joins as it does for planned ones.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::{JoinType, NullEquality, Statistics};
use datafusion::error::{DataFusionError, Result};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::statistics::{StatisticsArgs, StatisticsContext};
use datafusion::physical_plan::{ExecutionPlan, replace_children_if_necessary};

/// Regions of more leaves keep their planned order: the search visits every split of every
/// subset of leaves, 3ⁿ of them.
const MAX_LEAVES: usize = 10;

/// The share of the planned order's estimated cost the best order must stay under to replace it,
/// both counted above the cost every order has (each leaf's rows through one join): the estimates
/// are rough, and where orders come out close the query's own order is kept.
const GAIN: f64 = 0.7;

/// The rows of a hash table whose probes cost twice those of a table that stays in the caches.
const CACHED_ROWS: f64 = 100_000.0;

/// The rule (see the module's documentation).
#[derive(Debug, Default)]
pub struct OrderJoins;

impl PhysicalOptimizerRule for OrderJoins {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if !config.optimizer.join_reordering {
            return Ok(plan);
        }
        order(plan)
    }

    fn name(&self) -> &str {
        "hangar_order_joins"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// `plan` with every region of inner joins in it ordered.
fn order(plan: Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
    if region_join(&plan).is_none() && region_projection(&plan).is_none() {
        let children = plan
            .children()
            .into_iter()
            .map(|child| order(Arc::clone(child)))
            .collect::<Result<Vec<_>>>()?;
        return replace_children_if_necessary(plan, children);
    }
    let mut region = Region::default();
    let (planned, tree, output) = region.collect(&plan)?;
    Ok(region
        .reordered(&tree, &output, &planned)?
        .unwrap_or(planned))
}

/// `plan` as a join a region can hold: an inner hash join on columns, without a filter, a limit,
/// or nulls that match.
fn region_join(plan: &Arc<dyn ExecutionPlan>) -> Option<&HashJoinExec> {
    let join = plan.downcast_ref::<HashJoinExec>()?;
    let on_columns = join.on().iter().all(|(left, right)| {
        left.downcast_ref::<Column>().is_some() && right.downcast_ref::<Column>().is_some()
    });
    (join.join_type == JoinType::Inner
        && join.filter.is_none()
        && join.fetch().is_none()
        && join.null_equality == NullEquality::NullEqualsNothing
        && !join.null_aware
        && on_columns)
        .then_some(join)
}

/// `plan` as a projection of columns over a region's join.
fn region_projection(plan: &Arc<dyn ExecutionPlan>) -> Option<Vec<usize>> {
    let projection = plan.downcast_ref::<ProjectionExec>()?;
    let input = projection.input();
    if region_join(input).is_none() && region_projection(input).is_none() {
        return None;
    }
    projection
        .expr()
        .iter()
        .map(|expr| expr.expr.downcast_ref::<Column>().map(Column::index))
        .collect()
}

/// The index of the input column a region join's key reads.
fn column_index(expr: &Arc<dyn PhysicalExpr>) -> usize {
    expr.downcast_ref::<Column>()
        .map(Column::index)
        .expect("region joins are on columns")
}

/// A column of one of a region's leaves: the leaf's index, the column's index in its output.
type LeafColumn = (usize, usize);

/// The joins of a region, as the plan had them.
enum Tree {
    Leaf(usize),
    Join(Box<Tree>, Box<Tree>),
}

/// A region of inner joins: its leaves (already ordered inside), the equalities it joins on, and
/// the partition mode of its top join, which its new joins take.
#[derive(Default)]
struct Region {
    leaves: Vec<Arc<dyn ExecutionPlan>>,
    equalities: Vec<(LeafColumn, LeafColumn)>,
    mode: Option<PartitionMode>,
}

impl Region {
    /// Walks the region below `plan`, returning `plan` with its leaves ordered inside, the tree of
    /// its joins, and the leaf column of each of its output columns.
    fn collect(
        &mut self,
        plan: &Arc<dyn ExecutionPlan>,
    ) -> Result<(Arc<dyn ExecutionPlan>, Tree, Vec<LeafColumn>)> {
        if let Some(join) = region_join(plan) {
            self.mode.get_or_insert(*join.partition_mode());
            let (left, left_tree, left_columns) = self.collect(join.left())?;
            let (right, right_tree, right_columns) = self.collect(join.right())?;
            for (l, r) in join.on() {
                self.equalities.push((
                    left_columns[column_index(l)],
                    right_columns[column_index(r)],
                ));
            }
            let joined = [left_columns, right_columns].concat();
            let columns = match &join.projection {
                Some(projection) => projection.iter().map(|&i| joined[i]).collect(),
                None => joined,
            };
            let tree = Tree::Join(Box::new(left_tree), Box::new(right_tree));
            let plan = replace_children_if_necessary(Arc::clone(plan), vec![left, right])?;
            return Ok((plan, tree, columns));
        }
        if let Some(indices) = region_projection(plan) {
            let input = &plan.children()[0];
            let (input, tree, input_columns) = self.collect(input)?;
            let columns = indices.iter().map(|&i| input_columns[i]).collect();
            let plan = replace_children_if_necessary(Arc::clone(plan), vec![input])?;
            return Ok((plan, tree, columns));
        }
        let leaf = order(Arc::clone(plan))?;
        let index = self.leaves.len();
        let columns = (0..leaf.schema().fields().len())
            .map(|column| (index, column))
            .collect();
        self.leaves.push(leaf);
        Ok((Arc::clone(&self.leaves[index]), Tree::Leaf(index), columns))
    }

    /// The region joined in its cheapest order, with `planned`'s output columns; `None` where the
    /// planned order is kept.
    fn reordered(
        &self,
        tree: &Tree,
        output: &[LeafColumn],
        planned: &Arc<dyn ExecutionPlan>,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let leaves = self.leaves.len();
        if !(3..=MAX_LEAVES).contains(&leaves) {
            return Ok(None);
        }
        let Some(estimates) = Estimates::of(self) else {
            return Ok(None);
        };
        let Some(planned_cost) = estimates.cost_of(tree).map(|(_, _, cost)| cost) else {
            return Ok(None);
        };
        let best = estimates.search();
        let all = (1 << leaves) - 1;
        let Some(chosen) = best[all].as_ref() else {
            return Ok(None);
        };
        // Every order passes each leaf's rows through a join at least once.
        let floor: f64 = estimates.rows.iter().sum();
        tracing::debug!(
            leaves,
            planned_cost,
            chosen_cost = chosen.cost,
            floor,
            rows = ?estimates.rows,
            "join order of a region of inner joins"
        );
        if chosen.cost - floor >= GAIN * (planned_cost - floor) {
            return Ok(None);
        }
        let builder = Builder {
            region: self,
            estimates: &estimates,
            best: &best,
            output: output.iter().copied().collect(),
            mode: self.mode.unwrap_or(PartitionMode::Auto),
        };
        let (joined, columns) = builder.build(all)?;
        let schema = planned.schema();
        let expressions = output
            .iter()
            .zip(schema.fields())
            .map(|(column, field)| {
                let at = columns.iter().position(|c| c == column).ok_or_else(|| {
                    DataFusionError::Internal("a join order dropped an output column".into())
                })?;
                let name = joined.schema().field(at).name().clone();
                let expr: Arc<dyn PhysicalExpr> = Arc::new(Column::new(&name, at));
                Ok((expr, field.name().clone()))
            })
            .collect::<Result<Vec<_>>>()?;
        let projected = ProjectionExec::try_new(expressions, joined)?;
        Ok(Some(Arc::new(projected)))
    }
}

/// The best way found to join a subset of the region's leaves.
#[derive(Clone, Copy)]
struct Best {
    /// The estimated cost of joining the subset this way.
    cost: f64,
    /// The estimated rows of the subset joined.
    rows: f64,
    /// The leaves of the join's first input; 0 for a single leaf.
    split: usize,
}

/// A class of columns the region's joins make equal: its columns, each with its estimated
/// distinct values.
struct Class {
    columns: Vec<(LeafColumn, f64)>,
    /// The bits of the leaves that hold a column of the class.
    leaves: usize,
}

/// What the search knows of a region: each leaf's estimated rows and the classes of its joined
/// columns.
struct Estimates {
    rows: Vec<f64>,
    classes: Vec<Class>,
}

impl Estimates {
    /// The region's estimates; `None` where a leaf's rows are unknown, or where a class holds two
    /// columns of one leaf (a condition within the leaf that no join order would keep) or columns
    /// of different types.
    fn of(region: &Region) -> Option<Self> {
        let statistics = region
            .leaves
            .iter()
            .map(statistics_of)
            .collect::<Option<Vec<_>>>()?;
        let rows = statistics
            .iter()
            .map(|s| s.num_rows.get_value().map(|&rows| rows.max(1) as f64))
            .collect::<Option<Vec<_>>>()?;
        let mut classes: Vec<Class> = Vec::new();
        for members in equality_classes(&region.equalities) {
            let mut leaves = 0;
            let mut types = BTreeSet::new();
            let mut columns = Vec::new();
            let mut domain = f64::INFINITY;
            for (leaf, column) in members {
                if leaves & (1 << leaf) != 0 {
                    return None;
                }
                leaves |= 1 << leaf;
                let plan = &region.leaves[leaf];
                types.insert(plan.schema().field(column).data_type().clone());
                let (origin, origin_column) = origin(plan, column);
                let origin_statistics = if Arc::ptr_eq(&origin, plan) {
                    Arc::clone(&statistics[leaf])
                } else {
                    statistics_of(&origin)?
                };
                domain = domain.min(distinct(&origin_statistics, origin_column));
                columns.push(((leaf, column), distinct(&statistics[leaf], column)));
            }
            if types.len() > 1 {
                return None;
            }
            for (_, distinct) in &mut columns {
                *distinct = distinct.min(domain);
            }
            classes.push(Class { columns, leaves });
        }
        Some(Self { rows, classes })
    }

    /// The estimated rows of joining the leaves `a` (of `a_rows` rows) with the leaves `b`;
    /// `None` where no class joins them.
    fn join_rows(&self, a: usize, a_rows: f64, b: usize, b_rows: f64) -> Option<f64> {
        let mut selectivity = 1.0;
        let mut joined_on = 0;
        for class in &self.classes {
            if class.leaves & a == 0 || class.leaves & b == 0 {
                continue;
            }
            let distinct = |leaves: usize, rows: f64| {
                class
                    .columns
                    .iter()
                    .filter(|((leaf, _), _)| leaves & (1 << leaf) != 0)
                    .map(|(_, distinct)| *distinct)
                    .fold(rows, f64::min)
                    .max(1.0)
            };
            selectivity /= distinct(a, a_rows).max(distinct(b, b_rows));
            joined_on += 1;
        }
        match joined_on {
            0 => None,
            1 => Some(a_rows * b_rows * selectivity),
            _ => Some((a_rows * b_rows * selectivity).max(a_rows.max(b_rows))),
        }
    }

    /// The estimated cost of a hash join of inputs of `a` and `b` rows that makes `rows` rows:
    /// each row built costs two, each row probed one, to three as the table outgrows the caches
    /// (half way at [`CACHED_ROWS`]), and each row made one.
    fn join_cost(a: f64, b: f64, rows: f64) -> f64 {
        let (build, probe) = (a.min(b), a.max(b));
        2.0 * build + probe * (1.0 + 2.0 * build / (build + CACHED_ROWS)) + rows
    }

    /// The leaves, estimated rows and cost of the planned tree; `None` where the estimates
    /// find a join of it without a class to join on.
    fn cost_of(&self, tree: &Tree) -> Option<(usize, f64, f64)> {
        match tree {
            Tree::Leaf(leaf) => Some((1 << leaf, self.rows[*leaf], 0.0)),
            Tree::Join(left, right) => {
                let (a, a_rows, a_cost) = self.cost_of(left)?;
                let (b, b_rows, b_cost) = self.cost_of(right)?;
                let rows = self.join_rows(a, a_rows, b, b_rows)?;
                let cost = a_cost + b_cost + Self::join_cost(a_rows, b_rows, rows);
                Some((a | b, rows, cost))
            }
        }
    }

    /// The best join of every subset of leaves that can be joined without a cross join, by
    /// dynamic programming: every proper subset of a set is a smaller number than the set.
    fn search(&self) -> Vec<Option<Best>> {
        let leaves = self.rows.len();
        let mut best: Vec<Option<Best>> = vec![None; 1 << leaves];
        for (leaf, &rows) in self.rows.iter().enumerate() {
            best[1 << leaf] = Some(Best {
                cost: 0.0,
                rows,
                split: 0,
            });
        }
        for set in 1..best.len() {
            if set.count_ones() < 2 {
                continue;
            }
            let lowest = set & set.wrapping_neg();
            let mut a = (set - 1) & set;
            while a > 0 {
                let b = set ^ a;
                if a & lowest != 0
                    && let (Some(x), Some(y)) = (best[a], best[b])
                    && let Some(rows) = self.join_rows(a, x.rows, b, y.rows)
                {
                    let cost = x.cost + y.cost + Self::join_cost(x.rows, y.rows, rows);
                    if best[set].is_none_or(|current| cost < current.cost) {
                        best[set] = Some(Best {
                            cost,
                            rows,
                            split: a,
                        });
                    }
                }
                a = (a - 1) & set;
            }
        }
        best
    }
}

/// DataFusion's statistics of `plan`'s output; `None` where it cannot compute them.
pub(crate) fn statistics_of(plan: &Arc<dyn ExecutionPlan>) -> Option<Arc<Statistics>> {
    StatisticsContext::new()
        .compute(plan.as_ref(), &StatisticsArgs::new())
        .ok()
}

/// The estimated distinct values of a column: DataFusion's count where it has one, else the range
/// between the column's minimum and maximum where those are integers or dates, at most the rows.
fn distinct(statistics: &Statistics, column: usize) -> f64 {
    let rows = statistics
        .num_rows
        .get_value()
        .map_or(f64::INFINITY, |&rows| rows as f64);
    let column = &statistics.column_statistics[column];
    column
        .distinct_count
        .get_value()
        .map(|&distinct| distinct as f64)
        .or_else(|| {
            let min = column.min_value.get_value()?;
            let max = column.max_value.get_value()?;
            Some(min.distance(max)? as f64 + 1.0)
        })
        .unwrap_or(rows)
        .min(rows)
        .max(1.0)
}

/// The plan and column a leaf's column comes from below the leaf's filters and projections: the
/// input whose distinct values bound those of every join on the column's class, since a key
/// column's table holds every value its foreign keys refer to.
fn origin(plan: &Arc<dyn ExecutionPlan>, column: usize) -> (Arc<dyn ExecutionPlan>, usize) {
    if let Some(filter) = plan.downcast_ref::<FilterExec>() {
        let column = filter.projection().as_ref().map_or(column, |p| p[column]);
        return origin(filter.input(), column);
    }
    if let Some(projection) = plan.downcast_ref::<ProjectionExec>()
        && let Some(input_column) = projection.expr()[column].expr.downcast_ref::<Column>()
    {
        return origin(projection.input(), input_column.index());
    }
    (Arc::clone(plan), column)
}

/// Groups the columns that `equalities` make equal, in the order they first appear.
fn equality_classes(equalities: &[(LeafColumn, LeafColumn)]) -> Vec<Vec<LeafColumn>> {
    let mut class_of: HashMap<LeafColumn, usize> = HashMap::new();
    let mut classes: Vec<Vec<LeafColumn>> = Vec::new();
    for &(a, b) in equalities {
        match (class_of.get(&a).copied(), class_of.get(&b).copied()) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                let moved = std::mem::take(&mut classes[y]);
                for column in &moved {
                    class_of.insert(*column, x);
                }
                classes[x].extend(moved);
            }
            (Some(x), None) => {
                class_of.insert(b, x);
                classes[x].push(b);
            }
            (None, Some(y)) => {
                class_of.insert(a, y);
                classes[y].push(a);
            }
            (None, None) => {
                class_of.insert(a, classes.len());
                class_of.insert(b, classes.len());
                classes.push(vec![a, b]);
            }
        }
    }
    classes.retain(|class| !class.is_empty());
    classes
}

/// Builds the joins the search chose.
struct Builder<'a> {
    region: &'a Region,
    estimates: &'a Estimates,
    best: &'a [Option<Best>],
    /// The columns the region's output needs.
    output: BTreeSet<LeafColumn>,
    mode: PartitionMode,
}

impl Builder<'_> {
    /// The join of the leaves `set`, and the leaf column of each of its output columns: those
    /// the region's output needs, and one column of each class that still joins leaves outside
    /// `set`.
    fn build(&self, set: usize) -> Result<(Arc<dyn ExecutionPlan>, Vec<LeafColumn>)> {
        let chosen = self.best[set].ok_or_else(|| {
            DataFusionError::Internal("a chosen join order lost one of its subsets".into())
        })?;
        if chosen.split == 0 {
            let leaf = set.trailing_zeros() as usize;
            let plan = Arc::clone(&self.region.leaves[leaf]);
            let columns = (0..plan.schema().fields().len())
                .map(|column| (leaf, column))
                .collect();
            return Ok((plan, columns));
        }
        let (mut a, mut b) = (chosen.split, set ^ chosen.split);
        if self.rows(a) > self.rows(b) {
            std::mem::swap(&mut a, &mut b);
        }
        let (left, left_columns) = self.build(a)?;
        let (right, right_columns) = self.build(b)?;
        let mut on = Vec::new();
        for class in &self.estimates.classes {
            if class.leaves & a == 0 || class.leaves & b == 0 {
                continue;
            }
            let column = |plan: &Arc<dyn ExecutionPlan>, columns: &[LeafColumn]| {
                let at = columns
                    .iter()
                    .position(|c| class.columns.iter().any(|(member, _)| member == c))
                    .ok_or_else(|| {
                        DataFusionError::Internal("a join order dropped a joined column".into())
                    })?;
                let name = plan.schema().field(at).name().clone();
                Ok::<_, DataFusionError>(Arc::new(Column::new(&name, at)) as Arc<dyn PhysicalExpr>)
            };
            on.push((
                column(&left, &left_columns)?,
                column(&right, &right_columns)?,
            ));
        }
        let joined = [left_columns, right_columns].concat();
        let mut later_classes = BTreeSet::new();
        let kept: Vec<usize> = (0..joined.len())
            .filter(|&at| {
                let column = joined[at];
                let later = self.estimates.classes.iter().position(|class| {
                    class.leaves & !set != 0
                        && class.columns.iter().any(|(member, _)| *member == column)
                });
                self.output.contains(&column)
                    || later.is_some_and(|class| later_classes.insert(class))
            })
            .collect();
        let columns = kept.iter().map(|&at| joined[at]).collect();
        let join = HashJoinExec::try_new(
            left,
            right,
            on,
            None,
            &JoinType::Inner,
            Some(kept),
            self.mode,
            NullEquality::NullEqualsNothing,
            false,
        )?;
        Ok((Arc::new(join), columns))
    }

    /// The estimated rows of the leaves `set` joined.
    fn rows(&self, set: usize) -> f64 {
        self.best[set].map_or(f64::INFINITY, |best| best.rows)
    }
}

#[cfg(test)]
mod tests {
    use datafusion::prelude::SessionContext;

    use super::*;

    /// A class of the given leaf columns, with their distinct values.
    fn class(columns: &[(LeafColumn, f64)]) -> Class {
        Class {
            columns: columns.to_vec(),
            leaves: columns
                .iter()
                .fold(0, |bits, ((leaf, _), _)| bits | 1 << leaf),
        }
    }

    /// The chosen joins of `set`, the side with fewer estimated rows first, as the builder
    /// puts them.
    fn chosen(best: &[Option<Best>], names: &[&str], set: usize) -> String {
        let split = best[set].unwrap().split;
        if split == 0 {
            return names[set.trailing_zeros() as usize].to_string();
        }
        let (mut a, mut b) = (split, set ^ split);
        if best[a].unwrap().rows > best[b].unwrap().rows {
            std::mem::swap(&mut a, &mut b);
        }
        format!("({} {})", chosen(best, names, a), chosen(best, names, b))
    }

    /// TPC-H q5's tables at scale factor 1, as DataFusion estimates them after their filters.
    #[test]
    fn the_cheapest_order_joins_the_filtered_dimensions_first() {
        let names = [
            "region", "nation", "customer", "orders", "lineitem", "supplier",
        ];
        let estimates = Estimates {
            rows: vec![1.0, 25.0, 150_000.0, 228_180.0, 6_001_215.0, 10_000.0],
            classes: vec![
                class(&[((0, 0), 1.0), ((1, 2), 5.0)]),
                class(&[((1, 0), 25.0), ((2, 1), 25.0), ((5, 1), 25.0)]),
                class(&[((2, 0), 150_000.0), ((3, 1), 150_000.0)]),
                class(&[((3, 0), 228_180.0), ((4, 0), 1_500_000.0)]),
                class(&[((4, 1), 10_000.0), ((5, 0), 10_000.0)]),
            ],
        };
        let best = estimates.search();
        let all = (1 << names.len()) - 1;
        assert_eq!(
            chosen(&best, &names, all),
            "(supplier ((((region nation) customer) orders) lineitem))"
        );

        // The query's own order: customer, orders, lineitem, supplier, nation, region.
        let planned = [2, 3, 4, 5, 1, 0]
            .into_iter()
            .map(Tree::Leaf)
            .reduce(|tree, leaf| Tree::Join(Box::new(tree), Box::new(leaf)))
            .unwrap();
        let (leaves, _, planned_cost) = estimates.cost_of(&planned).unwrap();
        assert_eq!(leaves, all);
        let floor: f64 = estimates.rows.iter().sum();
        let chosen_cost = best[all].unwrap().cost;
        assert!(
            chosen_cost - floor < GAIN * (planned_cost - floor),
            "planned {planned_cost}, chosen {chosen_cost}, floor {floor}"
        );
    }

    /// `partsupp` joins `lineitem` on its composite key: each line matches one of its rows.
    #[test]
    fn a_composite_key_keeps_the_rows_of_the_larger_side() {
        let estimates = Estimates {
            rows: vec![800_000.0, 6_001_215.0],
            classes: vec![
                class(&[((0, 0), 200_000.0), ((1, 0), 200_000.0)]),
                class(&[((0, 1), 10_000.0), ((1, 1), 10_000.0)]),
            ],
        };
        assert_eq!(
            estimates.join_rows(0b01, 800_000.0, 0b10, 6_001_215.0),
            Some(6_001_215.0)
        );
        // On the part key alone, each line matches the four suppliers of its part.
        let one = Estimates {
            rows: estimates.rows.clone(),
            classes: vec![class(&[((0, 0), 200_000.0), ((1, 0), 200_000.0)])],
        };
        assert_eq!(
            one.join_rows(0b01, 800_000.0, 0b10, 6_001_215.0),
            Some(800_000.0 * 6_001_215.0 * (1.0 / 200_000.0))
        );
        // Nothing joins a leaf with no class in common.
        assert_eq!(one.join_rows(0b01, 800_000.0, 0b100, 5.0), None);
    }

    /// An in-memory table of nullable integer columns.
    fn table(names: &[&str], columns: Vec<Vec<Option<i64>>>) -> Arc<dyn ExecutionPlan> {
        use datafusion::arrow::array::{ArrayRef, Int64Array};
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        use datafusion::arrow::record_batch::RecordBatch;
        use datafusion::datasource::memory::MemorySourceConfig;
        let fields: Vec<Field> = names
            .iter()
            .map(|name| Field::new(*name, DataType::Int64, true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let arrays = columns
            .into_iter()
            .map(|column| Arc::new(Int64Array::from(column)) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).unwrap();
        MemorySourceConfig::try_new_exec(&[vec![batch]], schema, None).unwrap()
    }

    /// A fact table joined first with a dimension of as many rows, then with one key of another
    /// dimension: the rule joins that one first, and the rows (NULL keys, repeated keys) stay the
    /// same.
    #[tokio::test]
    async fn a_reordered_region_gives_the_planned_rows() {
        use datafusion::common::ScalarValue;
        use datafusion::logical_expr::Operator;
        use datafusion::physical_expr::expressions::{BinaryExpr, Literal};
        use datafusion::physical_plan::{collect, displayable};
        let column = |plan: &Arc<dyn ExecutionPlan>, name: &str| {
            Arc::new(Column::new_with_schema(name, &plan.schema()).unwrap())
                as Arc<dyn PhysicalExpr>
        };
        let fact = table(
            &["k1", "k2", "v"],
            vec![
                (0..1000).map(|i| Some(i % 500)).collect(),
                (0..1000).map(|i| (i % 97 != 0).then_some(i % 7)).collect(),
                (0..1000).map(Some).collect(),
            ],
        );
        let wide = table(
            &["k", "w"],
            vec![
                (0..1000).map(|i| Some(i % 600)).collect(),
                (0..1000).map(|i| Some(i * 10)).collect(),
            ],
        );
        // One key of a dimension of seven and a NULL, as a query's filter keeps it.
        let dimension = table(
            &["k", "n"],
            vec![
                (0..7).map(Some).chain([None]).collect(),
                (0..8).map(|i| Some(i * 10)).collect(),
            ],
        );
        // `k % 7 = 3`: DataFusion estimates a fifth of the rows for a term it cannot analyse.
        let int = |i| Arc::new(Literal::new(ScalarValue::Int64(Some(i))));
        let remainder = Arc::new(BinaryExpr::new(
            column(&dimension, "k"),
            Operator::Modulo,
            int(7),
        ));
        let three = Arc::new(BinaryExpr::new(remainder, Operator::Eq, int(3)));
        let narrow: Arc<dyn ExecutionPlan> =
            Arc::new(FilterExec::try_new(three, Arc::clone(&dimension)).unwrap());
        let join = |left: &Arc<dyn ExecutionPlan>, right: &Arc<dyn ExecutionPlan>, l, r| {
            let on = vec![(column(left, l), column(right, r))];
            Arc::new(
                HashJoinExec::try_new(
                    Arc::clone(left),
                    Arc::clone(right),
                    on,
                    None,
                    &JoinType::Inner,
                    None,
                    PartitionMode::CollectLeft,
                    NullEquality::NullEqualsNothing,
                    false,
                )
                .unwrap(),
            ) as Arc<dyn ExecutionPlan>
        };
        let planned = join(&join(&fact, &wide, "k1", "k"), &narrow, "k2", "k");
        let reordered = OrderJoins
            .optimize(Arc::clone(&planned), &ConfigOptions::default())
            .unwrap();
        let text =
            |plan: &Arc<dyn ExecutionPlan>| displayable(plan.as_ref()).indent(true).to_string();
        assert_eq!(reordered.schema(), planned.schema());
        let first_join = text(&reordered)
            .lines()
            .rfind(|line| line.contains("HashJoinExec"))
            .unwrap()
            .to_string();
        assert!(
            first_join.contains("k2"),
            "the filtered dimension joined first:\n{}",
            text(&reordered)
        );
        let rows = |plan: Arc<dyn ExecutionPlan>| async move {
            let batches = collect(plan, SessionContext::new().task_ctx())
                .await
                .unwrap();
            let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)
                .unwrap()
                .to_string();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let expected = rows(planned).await;
        // The facts with k2 = 3 (a seventh, less NULLs), each with its one or two `wide` rows.
        assert!(expected.len() > 100, "{expected:?}");
        assert_eq!(rows(reordered).await, expected);
    }

    #[test]
    fn equalities_that_share_a_column_make_one_class() {
        let classes = equality_classes(&[
            ((0, 0), (1, 0)),
            ((2, 0), (3, 0)),
            ((1, 0), (2, 0)),
            ((0, 1), (3, 1)),
        ]);
        assert_eq!(
            classes,
            vec![vec![(0, 0), (1, 0), (2, 0), (3, 0)], vec![(0, 1), (3, 1)]]
        );
    }
}
