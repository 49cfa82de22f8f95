//! Session settings that Postgres clients set and read (`SET`, `SHOW`, `current_setting`).
//!
//! Settings named `datafusion.*` are DataFusion's own and go to the session's DataFusion config;
//! `TimeZone` is mirrored there too. Everything else is kept per session so clients that set
//! `DateStyle`, `extra_float_digits` or `application_name` on connect are answered as Postgres would.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{ArrayRef, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::cast::as_string_array;
use datafusion::config::ConfigOptions;
use datafusion::execution::SessionState;
use datafusion::logical_expr::{ColumnarValue, Volatility, create_udf};
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;

use crate::{Error, Result};

/// The Postgres version Hangar reports; clients pick their SQL dialect from it.
pub const SERVER_VERSION: &str = "16.0";

/// Settings every session starts with (names lower-case).
fn defaults() -> BTreeMap<String, String> {
    [
        ("application_name", ""),
        ("client_encoding", "UTF8"),
        ("datestyle", "ISO, MDY"),
        ("default_transaction_read_only", "off"),
        ("extra_float_digits", "1"),
        ("integer_datetimes", "on"),
        ("intervalstyle", "postgres"),
        ("is_superuser", "on"),
        // Hangar compiles no query code; asyncpg reads this before its type introspection.
        ("jit", "off"),
        ("lc_collate", "C.UTF-8"),
        ("lc_ctype", "C.UTF-8"),
        ("max_identifier_length", "63"),
        // What psql's \password reads to hash a new password before sending it.
        ("password_encryption", "scram-sha-256"),
        ("search_path", "\"$user\", public"),
        ("server_encoding", "UTF8"),
        ("server_version", SERVER_VERSION),
        ("server_version_num", "160000"),
        ("standard_conforming_strings", "on"),
        ("statement_timeout", "0"),
        ("timezone", "UTC"),
        ("transaction_isolation", "read committed"),
        ("transaction_read_only", "off"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The settings of one session.
pub(crate) struct Variables {
    values: Arc<RwLock<BTreeMap<String, String>>>,
    /// The DataFusion settings the session started with, which `RESET` restores.
    initial: ConfigOptions,
    /// Says whether the session may change a setting, whichever way it tries (`SET`,
    /// `set_config`, a startup parameter).
    guard: SettingGuard,
}

impl std::fmt::Debug for Variables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variables")
            .field("values", &self.values)
            .finish_non_exhaustive()
    }
}

/// Refuses a change of the named setting that the session may not make.
pub(crate) type SettingGuard = Arc<dyn Fn(&str) -> Result<()> + Send + Sync>;

fn normalize(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        // DataFusion plans `SET TIME ZONE` as a change of its own setting, which mirrors this one.
        "time zone" | "time_zone" | "datafusion.execution.time_zone" => "timezone".to_string(),
        "transaction isolation level" => "transaction_isolation".to_string(),
        other => other.to_string(),
    }
}

impl Variables {
    /// The settings of a session that starts with `ctx`'s DataFusion settings.
    pub(crate) fn new(ctx: &SessionContext, guard: SettingGuard) -> Self {
        Self {
            values: Arc::new(RwLock::new(defaults())),
            initial: ctx.state().config().options().as_ref().clone(),
            guard,
        }
    }

    /// Applies `SET name = value`.
    pub(crate) fn set(&self, name: &str, value: &str, ctx: &SessionContext) -> Result<()> {
        (self.guard)(name)?;
        set(&self.values, &ctx.state_ref(), name, value)
    }

    /// Restores one setting (`RESET name`), or every one (`RESET ALL`, `DISCARD ALL`), to the value
    /// the session started with.
    pub(crate) fn reset(&self, name: Option<&str>, ctx: &SessionContext) -> Result<()> {
        let Some(name) = name.map(normalize) else {
            *self.values.write().expect("lock") = defaults();
            *ctx.state_ref().write().config_mut().options_mut() = self.initial.clone();
            return Ok(());
        };
        let mirrored = match name.as_str() {
            "timezone" => "datafusion.execution.time_zone",
            other => super::text_casts::mirrored_setting(other).unwrap_or(other),
        };
        if mirrored.starts_with("datafusion.") || mirrored.starts_with("hangar_text.") {
            // The session's start, with every other setting it changed since applied again.
            let state = ctx.state_ref();
            let mut state = state.write();
            let options = state.config_mut().options_mut();
            let mut restored = self.initial.clone();
            restored.extensions = options.extensions.clone();
            for entry in options.entries() {
                if let Some(value) = entry.value
                    && entry.key.starts_with("datafusion.")
                    && entry.key != mirrored
                {
                    restored.set(&entry.key, &value)?;
                }
            }
            if let Some(default) = defaults().get(&name)
                && mirrored.starts_with("hangar_text.")
            {
                restored.set(mirrored, default)?;
            }
            *options = restored;
        }
        let mut values = self.values.write().expect("lock");
        match defaults().remove(&name) {
            Some(default) => values.insert(name, default),
            None => values.remove(&name),
        };
        Ok(())
    }

    /// The schema of `SHOW name`'s result.
    pub(crate) fn show_schema(name: &str) -> SchemaRef {
        if name.eq_ignore_ascii_case("all") {
            Arc::new(Schema::new(vec![
                Field::new("name", DataType::Utf8, false),
                Field::new("setting", DataType::Utf8, false),
            ]))
        } else {
            Arc::new(Schema::new(vec![Field::new(
                normalize(name),
                DataType::Utf8,
                false,
            )]))
        }
    }

    /// Answers `SHOW name` (or `SHOW ALL`).
    pub(crate) fn show(&self, name: &str, ctx: &SessionContext) -> Result<RecordBatch> {
        let schema = Self::show_schema(name);
        let columns: Vec<ArrayRef> = if name.eq_ignore_ascii_case("all") {
            let values = self.values.read().expect("lock");
            vec![
                Arc::new(StringArray::from_iter_values(values.keys())),
                Arc::new(StringArray::from_iter_values(values.values())),
            ]
        } else {
            let value = self.get(name, ctx)?;
            vec![Arc::new(StringArray::from(vec![value]))]
        };
        Ok(RecordBatch::try_new(schema, columns)
            .map_err(datafusion::error::DataFusionError::from)?)
    }

    pub(crate) fn get(&self, name: &str, ctx: &SessionContext) -> Result<String> {
        lookup(&self.values, name, || {
            ctx.state().config().options().entries()
        })
    }

    /// Registers the session's `current_setting(name)`, `set_config(name, value, is_local)` and
    /// `version()` functions.
    pub(crate) fn register_functions(&self, ctx: &SessionContext) {
        ctx.register_udf(self.set_config(ctx));
        let values = Arc::clone(&self.values);
        let state = ctx.state_weak_ref();
        let current_setting = create_udf(
            "current_setting",
            vec![DataType::Utf8],
            DataType::Utf8,
            Volatility::Stable,
            Arc::new(move |args: &[ColumnarValue]| {
                let Some(ctx_state) = state.upgrade() else {
                    return Err(datafusion::error::DataFusionError::Execution(
                        "session closed".into(),
                    ));
                };
                let lookup_one = |name: Option<&str>| -> datafusion::error::Result<Option<String>> {
                    name.map(|n| {
                        lookup(&values, n, || ctx_state.read().config().options().entries())
                            .map_err(|e| {
                                datafusion::error::DataFusionError::Execution(e.to_string())
                            })
                    })
                    .transpose()
                };
                match &args[0] {
                    ColumnarValue::Scalar(s) => {
                        let name = match s {
                            ScalarValue::Utf8(v)
                            | ScalarValue::LargeUtf8(v)
                            | ScalarValue::Utf8View(v) => v.clone(),
                            _ => None,
                        };
                        Ok(ColumnarValue::Scalar(ScalarValue::Utf8(lookup_one(
                            name.as_deref(),
                        )?)))
                    }
                    ColumnarValue::Array(a) => {
                        let a = datafusion::arrow::compute::cast(a, &DataType::Utf8)?;
                        let names = a
                            .as_any()
                            .downcast_ref::<StringArray>()
                            .expect("cast to Utf8");
                        let out = names
                            .iter()
                            .map(lookup_one)
                            .collect::<datafusion::error::Result<StringArray>>()?;
                        Ok(ColumnarValue::Array(Arc::new(out)))
                    }
                }
            }),
        );
        ctx.register_udf(current_setting);
        let version = format!(
            "PostgreSQL {SERVER_VERSION} (Hangar {}, Apache DataFusion {})",
            env!("CARGO_PKG_VERSION"),
            datafusion::DATAFUSION_VERSION
        );
        let version_udf = create_udf(
            "version",
            vec![],
            DataType::Utf8,
            Volatility::Immutable,
            Arc::new(move |_args: &[ColumnarValue]| {
                Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(
                    version.clone(),
                ))))
            }),
        );
        ctx.register_udf(version_udf);
    }
}

impl Variables {
    /// `set_config(name, value, is_local)`: `SET name = value` as a function, which answers the new
    /// value (asyncpg turns `jit` off with it before its type introspection). Hangar's statements
    /// commit one by one, so a transaction-local setting lasts the session, as a `SET` does.
    fn set_config(&self, ctx: &SessionContext) -> datafusion::logical_expr::ScalarUDF {
        let values = Arc::clone(&self.values);
        let guard = Arc::clone(&self.guard);
        let state = ctx.state_weak_ref();
        create_udf(
            "set_config",
            vec![DataType::Utf8, DataType::Utf8, DataType::Boolean],
            DataType::Utf8,
            Volatility::Volatile,
            Arc::new(move |args: &[ColumnarValue]| {
                let state = state.upgrade().ok_or_else(|| {
                    datafusion::error::DataFusionError::Execution("session closed".into())
                })?;
                let arrays = ColumnarValue::values_to_arrays(args)?;
                let set_one = |(name, value): (Option<&str>, Option<&str>)| {
                    let (Some(name), Some(value)) = (name, value) else {
                        return Ok(None);
                    };
                    guard(name)
                        .and_then(|()| set(&values, &state, name, value))
                        .map(|()| Some(value.to_string()))
                        .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))
                };
                let out = as_string_array(&arrays[0])?
                    .iter()
                    .zip(as_string_array(&arrays[1])?.iter())
                    .map(set_one)
                    .collect::<datafusion::error::Result<StringArray>>()?;
                Ok(match (&args[0], &args[1]) {
                    (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)) => {
                        ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?)
                    }
                    _ => ColumnarValue::Array(Arc::new(out)),
                })
            }),
        )
    }
}

/// Sets a setting: DataFusion's own in the session's DataFusion config, the others in its map.
fn set(
    values: &RwLock<BTreeMap<String, String>>,
    state: &parking_lot::RwLock<SessionState>,
    name: &str,
    value: &str,
) -> Result<()> {
    let name = normalize(name);
    let value = value.trim_matches('\'').to_string();
    if name.starts_with("datafusion.") {
        state
            .write()
            .config_mut()
            .options_mut()
            .set(&name, &value)?;
        return Ok(());
    }
    if name == "timezone" {
        let tz = if value.eq_ignore_ascii_case("local") || value.eq_ignore_ascii_case("default") {
            "UTC".to_string()
        } else {
            posix_offset(&value).unwrap_or_else(|| value.clone())
        };
        if tz.parse::<Tz>().is_err() {
            return Err(Error::InvalidParameter(format!(
                "invalid value for parameter \"TimeZone\": \"{value}\""
            )));
        }
        state
            .write()
            .config_mut()
            .options_mut()
            .set("datafusion.execution.time_zone", &tz)?;
    }
    if let Some(mirror) = super::text_casts::mirrored_setting(&name) {
        state
            .write()
            .config_mut()
            .options_mut()
            .set(mirror, &value)?;
    }
    values.write().expect("lock").insert(name, value);
    Ok(())
}

/// A zone written as a bare offset (`'-03:00'`, `'+5'`) is a POSIX zone, whose offset counts
/// hours west of Greenwich, as Postgres reads it: the offset east, as Arrow reads zones.
fn posix_offset(value: &str) -> Option<String> {
    let (sign, rest) = match value.as_bytes().first()? {
        b'+' => ('-', &value[1..]),
        b'-' => ('+', &value[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
    let hours: u32 = hours.parse().ok().filter(|h| *h <= 15)?;
    let minutes: u32 = minutes.parse().ok().filter(|m| *m < 60)?;
    Some(format!("{sign}{hours:02}:{minutes:02}"))
}

/// Reads a setting: DataFusion's own from `datafusion_entries`, the others from the session's map.
fn lookup(
    values: &RwLock<BTreeMap<String, String>>,
    name: &str,
    datafusion_entries: impl FnOnce() -> Vec<datafusion::config::ConfigEntry>,
) -> Result<String> {
    let key = normalize(name);
    if key.starts_with("datafusion.") {
        return datafusion_entries()
            .into_iter()
            .find(|e| e.key == key)
            .map(|e| e.value.unwrap_or_default())
            .ok_or_else(|| Error::UnknownSetting(name.to_string()));
    }
    values
        .read()
        .expect("lock")
        .get(&key)
        .cloned()
        .ok_or_else(|| Error::UnknownSetting(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_offsets_are_posix_zones() {
        assert_eq!(posix_offset("-03:00").as_deref(), Some("+03:00"));
        assert_eq!(posix_offset("+5").as_deref(), Some("-05:00"));
        assert_eq!(posix_offset("Europe/Berlin"), None);
        assert_eq!(posix_offset("+99"), None);
    }
}
