//! Arithmetic of a `real` with an integer or a `numeric` in `double precision`, as Postgres
//! resolves it: there is no `real + integer` operator, and of the candidates, `double precision`
//! is the preferred type of the numeric category (`1::real / 3` is `0.3333333333333333`, a
//! `double precision`). DataFusion computed in `real` (`0.33333334`). This expression planner
//! casts both operands of such an arithmetic operator to `double precision`; two `real`s stay
//! `real`, as in Postgres.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, cast};
use datafusion::sql::sqlparser::ast::BinaryOperator;

/// The planner; see the module.
#[derive(Debug)]
pub(crate) struct RealArithmetic;

impl ExprPlanner for RealArithmetic {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        use BinaryOperator::{Divide, Minus, Modulo, Multiply, Plus};
        if !matches!(expr.op, Plus | Minus | Multiply | Divide | Modulo) {
            return Ok(PlannerResult::Original(expr));
        }
        let (Ok(left), Ok(right)) = (expr.left.get_type(schema), expr.right.get_type(schema))
        else {
            return Ok(PlannerResult::Original(expr));
        };
        let exact = |t: &DataType| t.is_integer() || matches!(t, DataType::Decimal128(..));
        let real = DataType::Float32;
        if !((left == real && exact(&right)) || (right == real && exact(&left))) {
            return Ok(PlannerResult::Original(expr));
        }
        let double = |e: Expr| cast(e, DataType::Float64);
        Ok(PlannerResult::Original(RawBinaryExpr {
            op: expr.op,
            left: double(expr.left),
            right: double(expr.right),
        }))
    }
}
