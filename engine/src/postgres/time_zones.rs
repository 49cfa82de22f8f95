//! Time zones as Postgres applies them. `x AT TIME ZONE zone` (and `timezone(zone, x)`) reads a
//! `timestamp` as a local time in `zone` and gives the instant (a `timestamptz`), and gives a
//! `timestamptz`'s local time in `zone` (a `timestamp`); the zone is a name (`Europe/Berlin`), a
//! POSIX offset (`'+02'` is two hours *west* of Greenwich, as Postgres reads it) or an interval
//! (`INTERVAL '-08:00'`). DataFusion's `AT TIME ZONE` relabelled a value's zone instead, so the
//! same wall-clock time came back with another offset. And a `timestamptz` shows in the session's
//! time zone whatever function made it: the [`SessionZone`] analyzer rule puts the result of a
//! function that answers in another zone (`to_timestamp`, `make_timestamptz`, `AT TIME ZONE`)
//! into the session's, and makes a cast of a `timestamptz` to a `timestamp` its local time there.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNanoType, TimeUnit, TimestampNanosecondType,
};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, exec_err, plan_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::expr::{Cast, ScalarFunction};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::{SessionContext, lit};
use datafusion::sql::sqlparser::ast::{self, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::from_functions::function_name;
use crate::statement::{parse_expr, rewrite_expressions};

/// The function `AT TIME ZONE` becomes.
const AT_TIME_ZONE: &str = "hangar_at_time_zone";

/// Registers `hangar_at_time_zone` in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(AtTimeZone::new()));
}

/// Rewrites `x AT TIME ZONE zone` and `timezone(zone, x)` into `hangar_at_time_zone(x, zone)`.
pub(crate) fn rewrite_at_time_zone(statement: ast::Statement) -> ast::Statement {
    rewrite_expressions(statement, |expr| {
        let (value, zone) = match expr {
            ast::Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => (timestamp.to_string(), time_zone.to_string()),
            ast::Expr::Function(call)
                if call.over.is_none()
                    && function_name(&call.name).as_deref() == Some("timezone") =>
            {
                let FunctionArguments::List(list) = &call.args else {
                    return;
                };
                match list.args.as_slice() {
                    [
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(zone)),
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(value)),
                    ] => (value.to_string(), zone.to_string()),
                    _ => return,
                }
            }
            _ => return,
        };
        if let Some(call) = parse_expr(&format!("{AT_TIME_ZONE}(({value}), ({zone}))")) {
            *expr = call;
        }
    })
}

/// `hangar_at_time_zone(x, zone)`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct AtTimeZone {
    signature: Signature,
}

impl AtTimeZone {
    fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for AtTimeZone {
    fn name(&self) -> &str {
        AT_TIME_ZONE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let [value, zone] = types else {
            return plan_err!("AT TIME ZONE takes a value and a zone");
        };
        let value = match value {
            DataType::Timestamp(_, zone) => DataType::Timestamp(TimeUnit::Nanosecond, zone.clone()),
            DataType::Date32 | DataType::Date64 | DataType::Null => {
                DataType::Timestamp(TimeUnit::Nanosecond, None)
            }
            other => return plan_err!("function timezone(unknown, {other}) does not exist"),
        };
        let zone = match zone {
            DataType::Interval(_) => {
                DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::MonthDayNano)
            }
            _ => DataType::Utf8,
        };
        Ok(vec![value, zone])
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        Ok(match types.first() {
            Some(DataType::Timestamp(unit, Some(_))) => DataType::Timestamp(*unit, None),
            Some(DataType::Timestamp(unit, None)) => DataType::Timestamp(*unit, Some("UTC".into())),
            _ => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        make_scalar_function(shift, vec![])(&args.args)
    }
}

/// `hangar_at_time_zone` over a batch: nanoseconds since the epoch, local in one direction and UTC
/// in the other.
fn shift(args: &[ArrayRef]) -> Result<ArrayRef> {
    let to_local = matches!(args[0].data_type(), DataType::Timestamp(_, Some(_)));
    let values = args[0].as_primitive::<TimestampNanosecondType>();
    // A zone per row: an interval is an offset east of Greenwich; a text is read once per run of
    // equal values (a constant zone is one run).
    let zones: Vec<Option<Tz>> = match args[1].data_type() {
        DataType::Interval(_) => args[1]
            .as_primitive::<IntervalMonthDayNanoType>()
            .iter()
            .map(|v| {
                v.map(|v| fixed_offset(v.nanoseconds / 1_000_000_000))
                    .transpose()
            })
            .collect::<Result<_>>()?,
        _ => {
            let texts = cast(&args[1], &DataType::Utf8)?;
            let mut last: Option<(&str, Tz)> = None;
            texts
                .as_string::<i32>()
                .iter()
                .map(|zone| {
                    let Some(zone) = zone else { return Ok(None) };
                    let tz = match last {
                        Some((name, tz)) if name == zone => tz,
                        _ => parse_zone(zone)?,
                    };
                    last = Some((zone, tz));
                    Ok(Some(tz))
                })
                .collect::<Result<_>>()?
        }
    };
    let shifted = (0..values.len())
        .map(|row| {
            let (Some(tz), false) = (zones[row], values.is_null(row)) else {
                return Ok(None);
            };
            let at = DateTime::from_timestamp_nanos(values.value(row));
            let moved = if to_local {
                at.with_timezone(&tz).naive_local()
            } else {
                match tz.from_local_datetime(&at.naive_utc()).earliest() {
                    Some(instant) => instant.naive_utc(),
                    None => local_in_gap(at.naive_utc(), &tz),
                }
            };
            Ok(moved.and_utc().timestamp_nanos_opt())
        })
        .collect::<Result<PrimitiveArray<TimestampNanosecondType>>>()?;
    Ok(Arc::new(if to_local {
        shifted
    } else {
        shifted.with_timezone("UTC")
    }))
}

/// A local time that a zone skips (a spring-forward gap), read with the offset in force before
/// the gap, as Postgres reads it.
fn local_in_gap(local: NaiveDateTime, tz: &Tz) -> NaiveDateTime {
    let before = local - chrono::Duration::hours(3);
    let offset = tz.offset_from_utc_datetime(&before).fix();
    local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))
}

/// A zone as `AT TIME ZONE` reads it: a name, or a POSIX offset (`+02`, `-05:30`), whose sign is
/// the opposite of ISO 8601's.
fn parse_zone(zone: &str) -> Result<Tz> {
    let trimmed = zone.trim();
    let posix = trimmed
        .strip_prefix('+')
        .map(|rest| (-1, rest))
        .or_else(|| trimmed.strip_prefix('-').map(|rest| (1, rest)));
    if let Some((sign, rest)) = posix {
        let mut parts = rest.split(':').map(|p| p.parse::<i64>().ok());
        let (Some(Some(hours)), minutes) = (parts.next(), parts.next().unwrap_or(Some(0))) else {
            return exec_err!("time zone \"{zone}\" not recognized");
        };
        let Some(minutes) = minutes else {
            return exec_err!("time zone \"{zone}\" not recognized");
        };
        return fixed_offset(sign * (hours * 3600 + minutes * 60))
            .or_else(|_| exec_err!("time zone \"{zone}\" not recognized"));
    }
    let name = if trimmed.eq_ignore_ascii_case("utc") || trimmed.eq_ignore_ascii_case("z") {
        "UTC"
    } else {
        trimmed
    };
    name.parse::<Tz>()
        .or_else(|_| exec_err!("time zone \"{zone}\" not recognized"))
}

/// The zone of a fixed offset east of Greenwich, in seconds (to the minute).
fn fixed_offset(seconds: i64) -> Result<Tz> {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    let offset = format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60);
    offset
        .parse::<Tz>()
        .or_else(|_| exec_err!("time zone offset {offset} out of range"))
}

/// The analyzer rule that shows functions' `timestamptz` results in the session's time zone.
#[derive(Debug)]
pub(crate) struct SessionZone;

impl AnalyzerRule for SessionZone {
    fn name(&self) -> &str {
        "hangar_session_zone"
    }

    fn analyze(&self, plan: LogicalPlan, options: &ConfigOptions) -> Result<LogicalPlan> {
        let Some(session) = options.execution.time_zone.clone() else {
            return Ok(plan);
        };
        let session: Arc<str> = session.into();
        let at_time_zone = Arc::new(ScalarUDF::new_from_impl(AtTimeZone::new()));
        super::rewrite_plan_expressions(plan, |e, schema| {
            in_session_zone(e, schema, &session, &at_time_zone)
        })
    }
}

/// A function's `timestamptz` result in another zone than the session's, cast into it; a cast of
/// a `timestamptz` to a `timestamp`, the local time in its zone (DataFusion's kept the UTC time).
fn in_session_zone(
    expr: Expr,
    schema: &DFSchema,
    session: &Arc<str>,
    at_time_zone: &Arc<ScalarUDF>,
) -> Result<Transformed<Expr>> {
    if let Expr::Cast(Cast { expr: value, field }) = &expr
        && let DataType::Timestamp(_, None) = field.data_type()
        && let Ok(DataType::Timestamp(_, Some(zone))) = value.get_type(schema)
    {
        let local = Expr::ScalarFunction(ScalarFunction::new_udf(
            Arc::clone(at_time_zone),
            vec![value.as_ref().clone(), lit(zone.to_string())],
        ));
        return Ok(Transformed::yes(local.cast_to(field.data_type(), schema)?));
    }
    if !matches!(expr, Expr::ScalarFunction(_)) {
        return Ok(Transformed::no(expr));
    }
    match expr.get_type(schema) {
        Ok(DataType::Timestamp(unit, Some(zone))) if zone != *session => {
            let in_session = DataType::Timestamp(unit, Some(Arc::clone(session)));
            Ok(Transformed::yes(expr.cast_to(&in_session, schema)?))
        }
        _ => Ok(Transformed::no(expr)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn at_time_zone_becomes_a_call() {
        assert_eq!(
            rewritten(
                "SELECT ts AT TIME ZONE 'UTC', timezone('Asia/Tokyo', ts) FROM t",
                rewrite_at_time_zone
            ),
            "SELECT hangar_at_time_zone((ts), ('UTC')), hangar_at_time_zone((ts), ('Asia/Tokyo')) FROM t"
        );
    }

    #[test]
    fn posix_offsets_are_west_of_greenwich() {
        let at = DateTime::from_timestamp(0, 0).unwrap();
        let local = |zone: &str| at.with_timezone(&parse_zone(zone).unwrap()).naive_local();
        assert_eq!(local("+02").to_string(), "1969-12-31 22:00:00");
        assert_eq!(local("-05:30").to_string(), "1970-01-01 05:30:00");
        assert_eq!(local("Asia/Tokyo").to_string(), "1970-01-01 09:00:00");
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}
