//! Integer arithmetic checked as Postgres checks it: `2147483647 + 1` is an error, `integer out of
//! range` (22003), where DataFusion's `+`, `-` and `*` wrap around to -2147483648 without a word;
//! and a float divided by zero is `division by zero` (22012), where DataFusion answers Infinity.
//! This analyzer rule runs after DataFusion's type coercion, when both operands of an operator
//! have the one type the result has, and plans `+`, `-`, `*` and `/` of integers, and `/` of
//! floats, as `hangar_checked_*` functions over Arrow's checked kernels. They keep the operator's
//! type, and each expression keeps its name.

use std::sync::Arc;

use datafusion::arrow::compute::kernels::cmp::eq;
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::error::ArrowError;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::{BinaryExpr, ScalarFunction};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, Operator, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct CheckedArithmetic;

impl AnalyzerRule for CheckedArithmetic {
    fn name(&self) -> &str {
        "hangar_checked_arithmetic"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let functions = [
            Operator::Plus,
            Operator::Minus,
            Operator::Multiply,
            Operator::Divide,
        ]
        .map(|op| (op, Arc::new(ScalarUDF::new_from_impl(Checked::new(op)))));
        super::rewrite_plan_expressions(plan, |e, schema| checked(e, schema, &functions))
    }
}

/// `left op right` of two integers of one type (or `left / right` of floats) as its checked
/// function.
fn checked(
    expr: Expr,
    schema: &DFSchema,
    functions: &[(Operator, Arc<ScalarUDF>)],
) -> Result<Transformed<Expr>> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = &expr else {
        return Ok(Transformed::no(expr));
    };
    let Some((_, function)) = functions.iter().find(|(o, _)| o == op) else {
        return Ok(Transformed::no(expr));
    };
    let checked = match (left.get_type(schema), right.get_type(schema)) {
        (Ok(l), Ok(r)) => {
            l == r && (range_name(&l).is_some() || *op == Operator::Divide && l.is_floating())
        }
        _ => false,
    };
    if !checked {
        return Ok(Transformed::no(expr));
    }
    let args = vec![left.as_ref().clone(), right.as_ref().clone()];
    Ok(Transformed::yes(Expr::ScalarFunction(
        ScalarFunction::new_udf(Arc::clone(function), args),
    )))
}

/// The Postgres name of an integer type, as its range errors say it.
fn range_name(data_type: &DataType) -> Option<&'static str> {
    match data_type {
        DataType::Int16 => Some("smallint"),
        DataType::Int32 => Some("integer"),
        DataType::Int64 => Some("bigint"),
        _ => None,
    }
}

/// `hangar_checked_add(a, b)` and its siblings: an integer operator that fails on overflow.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Checked {
    op: Operator,
    name: &'static str,
    signature: Signature,
}

impl Checked {
    fn new(op: Operator) -> Self {
        let name = match op {
            Operator::Plus => "hangar_checked_add",
            Operator::Minus => "hangar_checked_sub",
            Operator::Multiply => "hangar_checked_mul",
            _ => "hangar_checked_div",
        };
        Self {
            op,
            name,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for Checked {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args[0].clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [left, right] = args.args.as_slice() else {
            return Err(DataFusionError::Internal(format!(
                "{} takes two",
                self.name
            )));
        };
        let range = range_name(args.return_field.data_type()).unwrap_or("integer");
        let kernel = match self.op {
            Operator::Plus => numeric::add,
            Operator::Minus => numeric::sub,
            Operator::Multiply => numeric::mul,
            _ => numeric::div,
        };
        if self.op == Operator::Divide && args.return_field.data_type().is_floating() {
            let divisor = right.to_array(1)?;
            let zero = ScalarValue::new_zero(divisor.data_type())?.to_scalar()?;
            if eq(&divisor, &zero)?.true_count() > 0 {
                return Err(ArrowError::DivideByZero.into());
            }
        }
        let result = match (left, right) {
            (ColumnarValue::Array(l), ColumnarValue::Array(r)) => kernel(l, r),
            (ColumnarValue::Array(l), ColumnarValue::Scalar(r)) => kernel(l, &r.to_scalar()?),
            (ColumnarValue::Scalar(l), ColumnarValue::Array(r)) => kernel(&l.to_scalar()?, r),
            (ColumnarValue::Scalar(l), ColumnarValue::Scalar(r)) => {
                kernel(&l.to_scalar()?, &r.to_scalar()?)
            }
        }
        .map_err(|e| match e {
            ArrowError::ArithmeticOverflow(_) => {
                ArrowError::ArithmeticOverflow(format!("{range} out of range"))
            }
            other => other,
        })?;
        Ok(match (left, right) {
            (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)) => {
                ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&result, 0)?)
            }
            _ => ColumnarValue::Array(result),
        })
    }
}
