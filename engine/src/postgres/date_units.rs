//! The units of `date_trunc` and the fields of `EXTRACT` as Postgres reads them, and what it says
//! of the others. Postgres takes its abbreviations and plurals (`'hrs'`, `'mons'`, `'c'` for the
//! century) and compares only a unit's first ten letters (`'microseconds'`); a word it does not
//! know is `22023` `unit "fortnight" not recognized for type date`, named for the type the value
//! is taken as (a `date` is truncated as a `timestamptz`), where DataFusion answered `22000` with
//! its list of units. `date_trunc` of an `interval`, which DataFusion lacked, keeps the fields down
//! to the unit (`date_trunc('hour', '2 days 3 hours 40 minutes')` is `2 days 03:00:00`); the
//! decade, century and millennium are truncated as years by [`super::date_parts`].

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, IntervalMonthDayNanoArray};
use datafusion::arrow::datatypes::{
    DataType, Field, FieldRef, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::execution::FunctionRegistry;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::sort_properties::{ExprProperties, SortProperties};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::overloads::coerced_types;
use crate::error::regtype_of;
use crate::{Anchor, Error};

/// The unit Postgres reads `text` as, from its table of units (`'hrs'` is `hour`); `None` for a
/// word it does not take as a unit. Words past ten letters compare by their first ten.
pub(super) fn canonical_unit(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let key: String = lower.chars().take(10).collect();
    Some(match key.as_str() {
        "c" | "cent" | "centuries" | "century" => "century",
        "d" | "day" | "days" => "day",
        "dec" | "decade" | "decades" | "decs" => "decade",
        "h" | "hour" | "hours" | "hr" | "hrs" => "hour",
        "m" | "min" | "mins" | "minute" | "minutes" => "minute",
        "microsecon" | "us" | "usec" | "usecond" | "useconds" | "usecs" => "microsecond",
        "mil" | "millennia" | "millennium" | "mils" => "millennium",
        "millisecon" | "ms" | "msec" | "msecond" | "mseconds" | "msecs" => "millisecond",
        "mon" | "mons" | "month" | "months" => "month",
        "qtr" | "quarter" => "quarter",
        "s" | "sec" | "second" | "seconds" | "secs" => "second",
        "timezone" => "timezone",
        "timezone_h" => "timezone_hour",
        "timezone_m" => "timezone_minute",
        "w" | "week" | "weeks" => "week",
        "y" | "year" | "years" | "yr" | "yrs" => "year",
        _ => return None,
    })
}

/// The field Postgres' `EXTRACT` reads `text` as: a unit, or one of the fields that are not units
/// (`epoch`, `dow`, …).
pub(super) fn canonical_field(text: &str) -> Option<&'static str> {
    let special = ["epoch", "dow", "doy", "isodow", "isoyear", "julian"];
    let lower = text.to_ascii_lowercase();
    special
        .into_iter()
        .find(|s| *s == lower)
        .or_else(|| canonical_unit(&lower))
}

/// The SQL that fails as Postgres does for `unit`, a word it does not know, of `source`, in
/// `date_trunc` (`truncation`) or else `EXTRACT`.
pub(super) fn unknown_unit(
    unit: &str,
    source: &impl std::fmt::Display,
    truncation: bool,
) -> String {
    let unit = unit.to_ascii_lowercase().replace('\'', "''");
    format!("hangar_unit_error('{unit}', {source}, {truncation})")
}

/// Registers `hangar_unit_error` and `date_trunc` of intervals over DataFusion's `date_trunc`.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(UnitError {
        signature: Signature::any(3, Volatility::Immutable),
    }));
    if let Ok(inner) = ctx.udf("date_trunc") {
        ctx.register_udf(ScalarUDF::new_from_impl(DateTrunc {
            inner,
            signature: Signature::user_defined(Volatility::Immutable),
        }));
    }
}

/// `hangar_unit_error(unit, source, truncation)`: Postgres' error for a unit it does not know,
/// raised as the statement is planned, when the type of `source` is known.
#[derive(Debug, PartialEq, Eq, Hash)]
struct UnitError {
    signature: Signature,
}

impl ScalarUDFImpl for UnitError {
    fn name(&self) -> &str {
        "hangar_unit_error"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Null)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let unit = match args.scalar_arguments.first() {
            Some(Some(ScalarValue::Utf8(Some(unit)))) => unit.clone(),
            _ => return exec_err!("hangar_unit_error takes its unit as a literal"),
        };
        let truncation = matches!(
            args.scalar_arguments.get(2),
            Some(Some(ScalarValue::Boolean(Some(true))))
        );
        // Postgres truncates a date as a `timestamptz`.
        let type_name = match args.arg_fields[1].data_type() {
            DataType::Date32 if truncation => "timestamp with time zone".to_owned(),
            other => regtype_of(other),
        };
        let message = format!("unit \"{unit}\" not recognized for type {type_name}");
        Err(Error::postgres("22023", message, Anchor::Nowhere).into_datafusion())
    }

    fn invoke_with_args(&self, _: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("hangar_unit_error fails as it is planned")
    }
}

/// The `interval` type Hangar computes in.
const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

/// DataFusion's `date_trunc`, which also truncates intervals.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DateTrunc {
    inner: Arc<ScalarUDF>,
    signature: Signature,
}

/// Whether `types` are a unit and an interval.
fn of_interval(types: &[DataType]) -> bool {
    matches!(types, [_, DataType::Interval(_)])
}

impl ScalarUDFImpl for DateTrunc {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        match of_interval(types) {
            true => Ok(vec![DataType::Utf8, INTERVAL]),
            false => coerced_types(&self.inner, types),
        }
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        match of_interval(types) {
            true => Ok(INTERVAL),
            false => self.inner.return_type(types),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args
            .arg_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        match of_interval(&types) {
            true => Ok(Arc::new(Field::new(self.name(), INTERVAL, true))),
            false => self.inner.return_field_from_args(args),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(ColumnarValue::data_type).collect();
        if !of_interval(&types) {
            return self.inner.invoke_with_args(args);
        }
        let ColumnarValue::Scalar(ScalarValue::Utf8(Some(unit))) = &args.args[0] else {
            return exec_err!("date_trunc of an interval takes its unit as a literal");
        };
        let unit = unit.to_ascii_lowercase();
        let truncate = move |arrays: &[ArrayRef]| -> Result<ArrayRef> {
            let intervals = arrays[1].as_primitive::<IntervalMonthDayNanoType>();
            let truncated = intervals
                .iter()
                .map(|v| v.map(|v| truncate_interval(v, &unit)).transpose())
                .collect::<Result<IntervalMonthDayNanoArray>>()?;
            Ok(Arc::new(truncated))
        };
        make_scalar_function(truncate, vec![])(&args.args)
    }

    fn output_ordering(&self, input: &[ExprProperties]) -> Result<SortProperties> {
        self.inner.output_ordering(input)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.inner.documentation()
    }
}

/// `value` with its fields below `unit` zeroed, as Postgres' `interval_trunc` does: the years and
/// months from the months, the hours, minutes and seconds from the time, each truncated towards
/// zero.
fn truncate_interval(value: IntervalMonthDayNano, unit: &str) -> Result<IntervalMonthDayNano> {
    let IntervalMonthDayNano {
        months,
        days,
        nanoseconds,
    } = value;
    let time = |nanos_per_unit: i64| nanoseconds / nanos_per_unit * nanos_per_unit;
    let (months, days, nanoseconds) = match unit {
        "microsecond" => (months, days, time(1_000)),
        "millisecond" => (months, days, time(1_000_000)),
        "second" => (months, days, time(1_000_000_000)),
        "minute" => (months, days, time(60_000_000_000)),
        "hour" => (months, days, time(3_600_000_000_000)),
        "day" => (months, days, 0),
        "month" => (months, 0, 0),
        "quarter" => (months / 12 * 12 + months % 12 / 3 * 3, 0, 0),
        "year" => (months / 12 * 12, 0, 0),
        "week" => {
            return Err(Error::NotSupported(
                "unit \"week\" not supported for type interval".into(),
            )
            .into_datafusion());
        }
        other => {
            let message = format!("unit \"{other}\" not recognized for type interval");
            return Err(Error::postgres("22023", message, Anchor::Nowhere).into_datafusion());
        }
    };
    Ok(IntervalMonthDayNano::new(months, days, nanoseconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_as_postgres_reads_them() {
        let read: Vec<_> = ["hrs", "MONS", "c", "microseconds", "msec", "y", "fortnight"]
            .iter()
            .map(|u| canonical_unit(u))
            .collect();
        assert_eq!(
            read,
            [
                Some("hour"),
                Some("month"),
                Some("century"),
                Some("microsecond"),
                Some("millisecond"),
                Some("year"),
                None
            ]
        );
        assert_eq!(canonical_field("ISODOW"), Some("isodow"));
        assert_eq!(canonical_unit("dow"), None);
    }

    #[test]
    fn intervals_truncate_towards_zero() {
        let hour = 3_600_000_000_000;
        let value = IntervalMonthDayNano::new(-17, -3, -25 * hour - 1);
        let truncated = |unit| truncate_interval(value, unit).unwrap();
        assert_eq!(
            truncated("quarter"),
            IntervalMonthDayNano::new(-15, 0, 0),
            "-1 years -3 mons"
        );
        assert_eq!(truncated("day"), IntervalMonthDayNano::new(-17, -3, 0));
        assert_eq!(
            truncated("hour"),
            IntervalMonthDayNano::new(-17, -3, -25 * hour)
        );
        assert!(truncate_interval(value, "week").is_err());
    }
}
