//! Date arithmetic typed as Postgres types it, planned as the SQL is planned (an [`ExprPlanner`]):
//! - `date - date` is an `integer` of days (DataFusion's is a `bigint`), and so is `date - '…'`,
//!   whose quoted literal Postgres reads as a date;
//! - `date ± interval` is a `timestamp`: `date '2001-09-28' + interval '1 hour'` is
//!   `2001-09-28 01:00:00`, where DataFusion's date arithmetic dropped the hour and answered
//!   `2001-09-28`.
//!
//! A date compared with `date ± interval` of whole days and months (`l_shipdate < date
//! '1995-01-01' + interval '1 year'`, as TPC-H and reports write date ranges) compares as dates:
//! the timestamp is at midnight, so the answer is the same, and the column keeps its type, which
//! is what lets the scan prune by date.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::{BinaryExpr, Cast};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, Operator};
use datafusion::sql::sqlparser::ast::BinaryOperator;

/// The planner; see the module.
#[derive(Debug)]
pub(crate) struct DateArithmetic;

/// The type of a timestamp written in SQL, as DataFusion plans `TIMESTAMP '…'`.
const TIMESTAMP: DataType = DataType::Timestamp(TimeUnit::Nanosecond, None);

impl ExprPlanner for DateArithmetic {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        let types = (expr.left.get_type(schema), expr.right.get_type(schema));
        let (Ok(left), Ok(right)) = types else {
            return Ok(PlannerResult::Original(expr));
        };
        let RawBinaryExpr {
            op,
            left: l,
            right: r,
        } = expr;
        let planned = match (&op, &left, &right) {
            (BinaryOperator::Minus, DataType::Date32, DataType::Date32) => Expr::Cast(Cast::new(
                Box::new(binary(l, Operator::Minus, r)),
                DataType::Int32,
            )),
            // Postgres reads a quoted literal subtracted from a date as a date.
            (BinaryOperator::Minus, DataType::Date32, DataType::Utf8)
                if matches!(r, Expr::Literal(ScalarValue::Utf8(_), _)) =>
            {
                let date = Expr::Cast(Cast::new(Box::new(r), DataType::Date32));
                Expr::Cast(Cast::new(
                    Box::new(binary(l, Operator::Minus, date)),
                    DataType::Int32,
                ))
            }
            (
                BinaryOperator::Plus | BinaryOperator::Minus,
                DataType::Date32,
                DataType::Interval(_),
            ) => binary(at_midnight(l), arithmetic(&op), r),
            (BinaryOperator::Plus, DataType::Interval(_), DataType::Date32) => {
                binary(l, Operator::Plus, at_midnight(r))
            }
            _ => {
                let comparison = comparison(&op);
                match comparison {
                    Some(cmp) if left == DataType::Date32 => match as_date(&r, schema) {
                        Some(date) => binary(l, cmp, date),
                        None => return original(op, l, r),
                    },
                    Some(cmp) if right == DataType::Date32 => match as_date(&l, schema) {
                        Some(date) => binary(date, cmp, r),
                        None => return original(op, l, r),
                    },
                    _ => return original(op, l, r),
                }
            }
        };
        Ok(PlannerResult::Planned(planned))
    }
}

fn original(op: BinaryOperator, left: Expr, right: Expr) -> Result<PlannerResult<RawBinaryExpr>> {
    Ok(PlannerResult::Original(RawBinaryExpr { op, left, right }))
}

fn binary(left: Expr, op: Operator, right: Expr) -> Expr {
    Expr::BinaryExpr(BinaryExpr::new(Box::new(left), op, Box::new(right)))
}

/// A date as the timestamp at its midnight.
fn at_midnight(date: Expr) -> Expr {
    Expr::Cast(Cast::new(Box::new(date), TIMESTAMP))
}

fn arithmetic(op: &BinaryOperator) -> Operator {
    match op {
        BinaryOperator::Plus => Operator::Plus,
        _ => Operator::Minus,
    }
}

/// The comparison operator of a SQL operator, if it is one.
pub(super) fn comparison(op: &BinaryOperator) -> Option<Operator> {
    Some(match op {
        BinaryOperator::Eq => Operator::Eq,
        BinaryOperator::NotEq => Operator::NotEq,
        BinaryOperator::Lt => Operator::Lt,
        BinaryOperator::LtEq => Operator::LtEq,
        BinaryOperator::Gt => Operator::Gt,
        BinaryOperator::GtEq => Operator::GtEq,
        _ => return None,
    })
}

/// `date ± interval` as date arithmetic again, when the timestamp it makes is at midnight: this
/// planner made it from a date and an interval of whole days and months.
fn as_date(expr: &Expr, schema: &DFSchema) -> Option<Expr> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = expr else {
        return None;
    };
    let Expr::Cast(Cast { expr: date, field }) = left.as_ref() else {
        return None;
    };
    let whole_days = match right.as_ref() {
        Expr::Literal(ScalarValue::IntervalMonthDayNano(Some(v)), _) => v.nanoseconds == 0,
        Expr::Literal(ScalarValue::IntervalYearMonth(Some(_)), _) => true,
        Expr::Literal(ScalarValue::IntervalDayTime(Some(v)), _) => v.milliseconds == 0,
        _ => false,
    };
    let from_this_planner = field.data_type() == &TIMESTAMP
        && matches!(op, Operator::Plus | Operator::Minus)
        && whole_days
        && date.get_type(schema).is_ok_and(|t| t == DataType::Date32);
    from_this_planner.then(|| binary(date.as_ref().clone(), *op, right.as_ref().clone()))
}
