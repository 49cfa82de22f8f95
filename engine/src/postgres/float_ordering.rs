//! Floats sorted as Postgres sorts them: `-0` and `0` are equal, so rows that differ only there
//! keep the order of the next key (`ORDER BY x, o` of `(-0, 1), (0, 2), (-0, 3)` is 1, 2, 3).
//! DataFusion sorts floats by their IEEE total order, every `-0` before every `0`. Each float key
//! of an `ORDER BY` becomes the key plus zero, which is `0` for `-0` and the same value for
//! every other (NaN and the infinities included).

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ExprSchemable, LogicalPlan, Sort, lit};

/// `plan` with each float key of its sorts made to sort `-0` with `0`.
pub(crate) fn order_signed_zeros(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let LogicalPlan::Sort(sort) = node else {
            return Ok(Transformed::no(node));
        };
        let schema = sort.input.schema();
        let mut changed = false;
        let keys = sort
            .expr
            .iter()
            .map(|key| {
                let zero = match key.expr.get_type(schema) {
                    Ok(DataType::Float64) => ScalarValue::Float64(Some(0.0)),
                    Ok(DataType::Float32) => ScalarValue::Float32(Some(0.0)),
                    _ => return key.clone(),
                };
                changed = true;
                key.with_expr(key.expr.clone() + lit(zero))
            })
            .collect();
        if !changed {
            return Ok(Transformed::no(LogicalPlan::Sort(sort)));
        }
        Ok(Transformed::yes(LogicalPlan::Sort(Sort {
            expr: keys,
            input: sort.input,
            fetch: sort.fetch,
        })))
    })
    .map(|t| t.data)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::prelude::SessionContext;

    use super::*;

    #[tokio::test]
    async fn minus_zero_sorts_with_zero() {
        let context = SessionContext::new();
        let plan = context
            .state()
            .create_logical_plan(
                "SELECT o FROM (VALUES (CAST('-0' AS DOUBLE), 1), (CAST(0 AS DOUBLE), 2), \
                 (CAST('-0' AS DOUBLE), 3)) AS t(x, o) ORDER BY x, o",
            )
            .await
            .unwrap();
        let batches = context
            .execute_logical_plan(order_signed_zeros(plan).unwrap())
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let order: Vec<i64> = batches
            .iter()
            .flat_map(|b| b.column(0).as_primitive::<Int64Type>().values().to_vec())
            .collect();
        assert_eq!(order, [1, 2, 3]);
    }
}
