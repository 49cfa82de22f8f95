//! Numbers of a float type and of `numeric` resolved to the float type, as Postgres resolves
//! them: `float8` is the preferred type of its category, and `numeric` converts to `real` and
//! `double precision` implicitly, never the other way. DataFusion resolves them to a decimal
//! instead: `CASE WHEN c THEN x::float8 ELSE 0.5 END`, `coalesce(x::float8, 0.0)`, a `UNION` or a
//! `VALUES` list of both answered `0.500000000000000`, a `numeric` where Postgres answers the
//! `double precision` `0.5`, and `0.1::float8 + 0.2::float8 = 0.3` compared in `decimal(30, 15)`
//! was true, where Postgres compares floats and answers false.
//!
//! Done on the plan as the SQL planner builds it, before DataFusion's type coercion: each
//! `numeric` operand of such a construct (the results of a `CASE`, the arguments of `coalesce`,
//! `nullif`, `greatest` and `least`, the two sides of a comparison, `BETWEEN`, `IN`; a column of a
//! `UNION` or a `VALUES` list) where another operand is a float becomes a cast of itself to that
//! float type.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr::{Between, Case, InList, ScalarFunction};
use datafusion::logical_expr::{
    BinaryExpr, Expr, ExprSchemable, LogicalPlan, LogicalPlanBuilder, Operator, Projection, Union,
    Values, cast,
};

/// `plan` with the float and `numeric` operands of each construct that resolves them to one type
/// resolved to the float type.
pub(crate) fn resolve_floats(plan: LogicalPlan) -> Result<LogicalPlan> {
    if !mixes_floats(&plan)? {
        return Ok(plan);
    }
    super::retype_plan(
        plan,
        |node| match node {
            LogicalPlan::Union(union) => union_of_floats(union),
            LogicalPlan::Values(values) => values_of_floats(values),
            other => Ok(other),
        },
        resolve,
    )
}

/// Whether some construct of `plan` mixes floats and `numeric`s (most plans do not, and are left
/// as they are).
fn mixes_floats(plan: &LogicalPlan) -> Result<bool> {
    let mut columns = false;
    plan.apply_with_subqueries(|node| {
        columns = match node {
            LogicalPlan::Union(union) => (0..union.schema.fields().len()).any(|i| {
                float_target(union.inputs.iter().map(|p| p.schema().field(i).data_type())).is_some()
            }),
            LogicalPlan::Values(values) => {
                (0..values.schema.fields().len()).any(|i| values_column_target(values, i).is_some())
            }
            _ => false,
        };
        Ok(super::stop_if(columns))
    })?;
    Ok(columns
        || super::plan_has(plan, |e, schema| {
            operand_sets(e)
                .iter()
                .any(|set| target_of(set, schema).is_some())
        })?)
}

/// The float type that `operands`, over `schema`, resolve to if they mix floats and decimals.
fn target_of(operands: &[&Expr], schema: &DFSchema) -> Option<DataType> {
    let types: Vec<DataType> = operands
        .iter()
        .filter_map(|o| o.get_type(schema).ok())
        .collect();
    float_target(types.iter())
}

/// Whether `op` compares its operands (which Postgres resolves to one type).
pub(super) fn is_comparison(op: Operator) -> bool {
    matches!(
        op,
        Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
            | Operator::IsDistinctFrom
            | Operator::IsNotDistinctFrom
    )
}

/// The sets of operands of `expr` that resolve to one type.
fn operand_sets(expr: &Expr) -> Vec<Vec<&Expr>> {
    match expr {
        Expr::Case(case) => {
            let mut results: Vec<&Expr> = case
                .when_then_expr
                .iter()
                .map(|(_, t)| t.as_ref())
                .collect();
            results.extend(case.else_expr.as_deref());
            let mut sets = vec![results];
            if let Some(operand) = &case.expr {
                let mut compared = vec![operand.as_ref()];
                compared.extend(case.when_then_expr.iter().map(|(w, _)| w.as_ref()));
                sets.push(compared);
            }
            sets
        }
        Expr::ScalarFunction(f)
            if matches!(f.name(), "coalesce" | "nullif" | "greatest" | "least") =>
        {
            vec![f.args.iter().collect()]
        }
        Expr::BinaryExpr(binary) if is_comparison(binary.op) => {
            vec![vec![binary.left.as_ref(), binary.right.as_ref()]]
        }
        Expr::Between(between) => vec![vec![&between.expr, &between.low, &between.high]],
        Expr::InList(in_list) => {
            let mut set = vec![in_list.expr.as_ref()];
            set.extend(in_list.list.iter());
            vec![set]
        }
        _ => vec![],
    }
}

/// The float type that `types` resolve to, if they mix floats and decimals: `double precision`
/// if one is, else `real`.
fn float_target<'a>(types: impl Iterator<Item = &'a DataType>) -> Option<DataType> {
    let (mut float, mut decimal) = (None, false);
    for data_type in types {
        match data_type {
            DataType::Float64 => float = Some(DataType::Float64),
            DataType::Float16 | DataType::Float32 => {
                float.get_or_insert(DataType::Float32);
            }
            t if t.is_decimal() => decimal = true,
            _ => {}
        }
    }
    float.filter(|_| decimal)
}

/// `expr` with its operands resolved, if it is a construct that mixes floats and decimals.
fn resolve(expr: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let target = |operands: &[&Expr]| target_of(operands, schema);
    let to = |operand: Expr, target: &DataType| match operand.get_type(schema) {
        Ok(t) if t.is_decimal() => cast(operand, target.clone()),
        _ => operand,
    };
    Ok(match expr {
        Expr::Case(case) => {
            let results: Vec<&Expr> = case
                .when_then_expr
                .iter()
                .map(|(_, t)| t.as_ref())
                .chain(case.else_expr.as_deref())
                .collect();
            let result_target = target(&results);
            let mut compared = case.expr.iter().map(|e| e.as_ref()).collect::<Vec<_>>();
            if case.expr.is_some() {
                compared.extend(case.when_then_expr.iter().map(|(w, _)| w.as_ref()));
            }
            let compared_target = if case.expr.is_some() {
                target(&compared)
            } else {
                None
            };
            if result_target.is_none() && compared_target.is_none() {
                return Ok(Transformed::no(Expr::Case(case)));
            }
            let result = |e: Box<Expr>| match &result_target {
                Some(t) => Box::new(to(*e, t)),
                None => e,
            };
            let compare = |e: Box<Expr>| match &compared_target {
                Some(t) => Box::new(to(*e, t)),
                None => e,
            };
            let Case {
                expr,
                when_then_expr,
                else_expr,
            } = case;
            Transformed::yes(Expr::Case(Case::new(
                expr.map(compare),
                when_then_expr
                    .into_iter()
                    .map(|(w, t)| (compare(w), result(t)))
                    .collect(),
                else_expr.map(result),
            )))
        }
        Expr::ScalarFunction(f)
            if matches!(f.name(), "coalesce" | "nullif" | "greatest" | "least") =>
        {
            let Some(t) = target(&f.args.iter().collect::<Vec<_>>()) else {
                return Ok(Transformed::no(Expr::ScalarFunction(f)));
            };
            let args = f.args.into_iter().map(|a| to(a, &t)).collect();
            Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(f.func, args)))
        }
        Expr::BinaryExpr(binary) if is_comparison(binary.op) => {
            let Some(t) = target(&[&binary.left, &binary.right]) else {
                return Ok(Transformed::no(Expr::BinaryExpr(binary)));
            };
            let BinaryExpr { left, op, right } = binary;
            Transformed::yes(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(to(*left, &t)),
                op,
                Box::new(to(*right, &t)),
            )))
        }
        Expr::Between(between) => {
            let Some(t) = target(&[&between.expr, &between.low, &between.high]) else {
                return Ok(Transformed::no(Expr::Between(between)));
            };
            let Between {
                expr,
                negated,
                low,
                high,
            } = between;
            Transformed::yes(Expr::Between(Between::new(
                Box::new(to(*expr, &t)),
                negated,
                Box::new(to(*low, &t)),
                Box::new(to(*high, &t)),
            )))
        }
        Expr::InList(in_list) => {
            let operands: Vec<&Expr> = std::iter::once(in_list.expr.as_ref())
                .chain(in_list.list.iter())
                .collect();
            let Some(t) = target(&operands) else {
                return Ok(Transformed::no(Expr::InList(in_list)));
            };
            let InList {
                expr,
                list,
                negated,
            } = in_list;
            Transformed::yes(Expr::InList(InList::new(
                Box::new(to(*expr, &t)),
                list.into_iter().map(|e| to(e, &t)).collect(),
                negated,
            )))
        }
        other => Transformed::no(other),
    })
}

/// A union whose inputs give some column as a float in one and as a `numeric` in another, with
/// that column cast to the float type in each input that gives a `numeric`.
fn union_of_floats(union: Union) -> Result<LogicalPlan> {
    let width = union.schema.fields().len();
    let targets: Vec<Option<DataType>> = (0..width)
        .map(|i| float_target(union.inputs.iter().map(|p| p.schema().field(i).data_type())))
        .collect();
    if targets.iter().all(Option::is_none) {
        return Ok(LogicalPlan::Union(union));
    }
    let inputs = union
        .inputs
        .into_iter()
        .map(|input| {
            let schema = Arc::clone(input.schema());
            if !targets
                .iter()
                .zip(schema.fields())
                .any(|(t, f)| t.is_some() && f.data_type().is_decimal())
            {
                return Ok(input);
            }
            let exprs = schema
                .iter()
                .zip(&targets)
                .map(|((qualifier, field), target)| {
                    let column = Expr::Column((qualifier, field).into());
                    match target {
                        Some(t) if field.data_type().is_decimal() => cast(column, t.clone())
                            .alias_qualified(qualifier.cloned(), field.name()),
                        _ => column,
                    }
                })
                .collect();
            Ok(Arc::new(LogicalPlan::Projection(Projection::try_new(
                exprs, input,
            )?)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LogicalPlan::Union(Union::try_new_with_loose_types(inputs)?))
}

/// The float type that column `i` of a `VALUES` list resolves to, if it mixes floats and
/// `numeric`s.
fn values_column_target(values: &Values, i: usize) -> Option<DataType> {
    let column_type = values.schema.field(i).data_type();
    if !column_type.is_decimal() {
        return None;
    }
    let types: Vec<DataType> = values
        .values
        .iter()
        .filter_map(|row| {
            as_written(&row[i], column_type)
                .get_type(&DFSchema::empty())
                .ok()
        })
        .collect();
    float_target(types.iter())
}

/// A value of a `VALUES` list as written, without the cast to its column's type that planning
/// adds.
fn as_written<'a>(value: &'a Expr, column_type: &DataType) -> &'a Expr {
    match value {
        Expr::Cast(c) if c.field.data_type() == column_type => &c.expr,
        other => other,
    }
}

/// A `VALUES` list with each column that mixes floats and `numeric`s typed as the float type.
fn values_of_floats(values: Values) -> Result<LogicalPlan> {
    let targets: Vec<Option<DataType>> = (0..values.schema.fields().len())
        .map(|i| values_column_target(&values, i))
        .collect();
    if targets.iter().all(Option::is_none) {
        return Ok(LogicalPlan::Values(values));
    }
    let rows = values
        .values
        .iter()
        .map(|row| {
            row.iter()
                .zip(values.schema.fields())
                .zip(&targets)
                .map(|((value, field), target)| match target {
                    Some(t) => cast(as_written(value, field.data_type()).clone(), t.clone()),
                    None => value.clone(),
                })
                .collect()
        })
        .collect();
    LogicalPlanBuilder::values(rows)?.build()
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::AsArray;
    use datafusion::prelude::SessionContext;

    use super::*;

    /// `sql` planned by DataFusion and resolved, with the types its columns run as.
    async fn resolved(sql: &str) -> (LogicalPlan, Vec<DataType>) {
        let context = SessionContext::new();
        let plan = context.state().create_logical_plan(sql).await.unwrap();
        let plan = resolve_floats(plan).unwrap();
        let types = crate::planner::coerced_schema(&plan)
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        (plan, types)
    }

    #[tokio::test]
    async fn a_float_and_a_numeric_resolve_to_the_float() {
        let (_, types) = resolved(
            "SELECT CASE WHEN true THEN CAST(1.5 AS DOUBLE) ELSE CAST(2.25 AS DECIMAL(3, 2)) END, \
             coalesce(CAST(NULL AS REAL), CAST(2.5 AS DECIMAL(2, 1))), \
             CASE WHEN true THEN CAST(1 AS DECIMAL(2, 1)) ELSE 2 END",
        )
        .await;
        assert_eq!(
            types,
            [
                DataType::Float64,
                DataType::Float32,
                DataType::Decimal128(21, 1)
            ]
        );
        let (_, types) =
            resolved("SELECT CAST(1.5 AS DOUBLE) UNION ALL SELECT CAST(2.25 AS DECIMAL(3, 2))")
                .await;
        assert_eq!(types, [DataType::Float64]);
        let (_, types) =
            resolved("SELECT * FROM (VALUES (CAST(1.5 AS DOUBLE)), (CAST(2.25 AS DECIMAL(3, 2))))")
                .await;
        assert_eq!(types, [DataType::Float64]);
    }

    #[tokio::test]
    async fn a_float_and_a_numeric_compare_as_floats() {
        let (plan, _) = resolved(
            "SELECT CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) = CAST(0.3 AS DECIMAL(2, 1))",
        )
        .await;
        let batches = SessionContext::new()
            .execute_logical_plan(plan)
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        assert!(!batches[0].column(0).as_boolean().value(0));
    }
}
