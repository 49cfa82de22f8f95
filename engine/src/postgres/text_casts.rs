//! Casts to `text` as Postgres writes them. A Postgres cast to text is the type's output function,
//! the text the wire sends: `1e20::float8::text` is `1e+20`, a timestamp's text has a space before
//! its time and no trailing zeros, an interval's is `1 day 02:00:00`, an array's `{1,2}`.
//! DataFusion's casts wrote `1e20`, `2024-01-31T13:45:30`, `1 days 2 hours` and `[1, 2]`. This
//! analyzer rule, after DataFusion's type coercion (so the casts it adds are covered too), turns
//! each cast of such a value to a string into `hangar_text(x)`, which writes the values with the
//! wire's own text encoder and the session's `DateStyle`, `IntervalStyle` and
//! `extra_float_digits` ([`TextStyles`], kept by [`super::variables`]).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::config::{ConfigExtension, ConfigOptions};
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, extensions_options};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::{Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;

extensions_options! {
    /// The session settings that shape a value's text, mirrored from the session's variables so
    /// that `hangar_text` reads them where it runs.
    pub(crate) struct TextStyles {
        /// Postgres' `DateStyle`.
        pub date_style: String, default = "ISO, MDY".to_string()
        /// Postgres' `IntervalStyle`.
        pub interval_style: String, default = "postgres".to_string()
        /// Postgres' `extra_float_digits`.
        pub extra_float_digits: i32, default = 1
    }
}

impl ConfigExtension for TextStyles {
    const PREFIX: &'static str = "hangar_text";
}

/// Registers `hangar_text` by name in the template every session is cloned from: `concat`'s
/// arguments go through it ([`super::function_forms`]), since Postgres' `concat` writes each with
/// its type's output function (a boolean as `t`).
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(Text::new()));
}

/// The setting of [`TextStyles`] that mirrors a Postgres variable, if one does.
pub(crate) fn mirrored_setting(variable: &str) -> Option<&'static str> {
    match variable {
        "datestyle" => Some("hangar_text.date_style"),
        "intervalstyle" => Some("hangar_text.interval_style"),
        "extra_float_digits" => Some("hangar_text.extra_float_digits"),
        _ => None,
    }
}

/// The analyzer rule; see the module.
#[derive(Debug)]
pub(crate) struct TextCasts;

impl AnalyzerRule for TextCasts {
    fn name(&self) -> &str {
        "hangar_text_casts"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        let text = Arc::new(ScalarUDF::new_from_impl(Text::new()));
        super::rewrite_plan_expressions(plan, |e, schema| as_text(e, schema, &text))
    }
}

/// A cast of a value whose text DataFusion writes otherwise than Postgres to a string, as a call
/// of `hangar_text` (cast on to the string type asked for, when it is not `Utf8`).
fn as_text(expr: Expr, schema: &DFSchema, text: &Arc<ScalarUDF>) -> Result<Transformed<Expr>> {
    let (operand, target) = match &expr {
        Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) => {
            (expr, field.data_type())
        }
        _ => return Ok(Transformed::no(expr)),
    };
    if !matches!(
        target,
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
    ) || !operand
        .get_type(schema)
        .is_ok_and(|t| written_otherwise(&t))
    {
        return Ok(Transformed::no(expr));
    }
    let call = Expr::ScalarFunction(ScalarFunction::new_udf(
        Arc::clone(text),
        vec![operand.as_ref().clone()],
    ));
    Ok(Transformed::yes(match target {
        DataType::Utf8 => call,
        other => call.cast_to(other, schema)?,
    }))
}

/// Whether DataFusion's text of a type differs from Postgres'.
fn written_otherwise(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Float16
            | DataType::Float32
            | DataType::Float64
            | DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(..)
            | DataType::Time32(_)
            | DataType::Time64(_)
            | DataType::Interval(_)
            | DataType::Duration(_)
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::Struct(_)
    )
}

/// `hangar_text(x)`: `x` as Postgres' text format writes it.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Text {
    signature: Signature,
}

impl Text {
    fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Stable),
        }
    }
}

impl ScalarUDFImpl for Text {
    fn name(&self) -> &str {
        "hangar_text"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let styles = args
            .config_options
            .extensions
            .get::<TextStyles>()
            .cloned()
            .unwrap_or_default();
        let style = arrow_pg::text_values::TextStyle {
            date_style: styles.date_style,
            interval_style: styles.interval_style,
            extra_float_digits: styles.extra_float_digits.clamp(-15, 3) as i8,
        };
        let field: &Field = &args.arg_fields[0];
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(if scalar { 1 } else { args.number_rows })?;
        let texts = arrow_pg::text_values::text_values(&values, field, &style)
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        Ok(if scalar {
            ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&texts, 0)?)
        } else {
            ColumnarValue::Array(texts)
        })
    }
}
