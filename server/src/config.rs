//! The one configuration of the server: flags, `HANGAR_*` environment variables and an optional TOML
//! file, with precedence file < environment < flag.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hangar_storage::StoreConfig;
use serde::Deserialize;

use crate::{Error, Result};

/// Hangar: a SQL analytics warehouse over Parquet in object storage.
#[derive(Debug, Parser)]
#[command(name = "hangar", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeConfig),
}

/// Configuration of `hangar serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// TOML configuration file; its keys are the flags' long names with `_` for `-`, plus
    /// `[warehouse_options]` and `[[stores]]` tables.
    #[arg(long, env = "HANGAR_CONFIG")]
    pub config: Option<PathBuf>,

    /// Postgres wire protocol listen address.
    #[arg(long, env = "HANGAR_PG_LISTEN", default_value = "127.0.0.1:5432")]
    pub pg_listen: SocketAddr,

    /// Arrow Flight SQL listen address.
    #[arg(long, env = "HANGAR_FLIGHT_LISTEN", default_value = "127.0.0.1:50051")]
    pub flight_listen: SocketAddr,

    /// How long shutdown waits for open connections to finish before closing them.
    #[arg(long, env = "HANGAR_SHUTDOWN_GRACE", default_value = "10s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,

    /// Object storage settings.
    #[command(flatten)]
    pub storage: StorageArgs,

    /// Engine settings.
    #[command(flatten)]
    pub engine: EngineArgs,

    /// Refresh scheduler settings.
    #[command(flatten)]
    pub scheduler: SchedulerArgs,

    /// Authentication and TLS settings.
    #[command(flatten)]
    pub security: SecurityArgs,

    /// Logging settings.
    #[command(flatten)]
    pub log: LogConfig,

    /// Generate TPC-H demo tables into the warehouse on first start (reused on later starts).
    #[arg(long, env = "HANGAR_DEMO")]
    pub demo: bool,

    /// Scale factor of the demo data.
    #[arg(long, env = "HANGAR_DEMO_SCALE", default_value_t = 0.1)]
    pub demo_scale: f64,

    /// Extra stores and warehouse options, from the config file only.
    #[arg(skip)]
    pub file: FileOnly,
}

/// Where data lives.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Local warehouse directory (used unless `--warehouse` names a URL).
    #[arg(long, env = "HANGAR_DATA_DIR", default_value = "./hangar-data")]
    pub data_dir: PathBuf,

    /// Warehouse URL (`s3://bucket/prefix`, `gs://…`, `az://…`, `file:///…`); overrides `--data-dir`.
    #[arg(long, env = "HANGAR_WAREHOUSE")]
    pub warehouse: Option<String>,

    /// How often reads look for catalog commits of other servers sharing the warehouse.
    #[arg(long, env = "HANGAR_CATALOG_REFRESH", default_value = "1s", value_parser = humantime::parse_duration)]
    pub catalog_refresh: Duration,
}

/// How queries run.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// Memory limit for query execution (e.g. `4GiB`, `512MB`); unbounded when unset.
    #[arg(long, env = "HANGAR_MEMORY_LIMIT", value_parser = parse_bytes)]
    pub memory_limit: Option<usize>,

    /// Directory for spill files (default: the OS temporary directory).
    #[arg(long, env = "HANGAR_SPILL_DIR")]
    pub spill_dir: Option<PathBuf>,

    /// How long a table's file listing is cached; new files appear in queries after at most this.
    #[arg(long, env = "HANGAR_LISTING_CACHE_TTL", default_value = "10s", value_parser = humantime::parse_duration)]
    pub listing_cache_ttl: Duration,

    /// Partitions per query (default: twice the number of cores).
    #[arg(long, env = "HANGAR_TARGET_PARTITIONS")]
    pub target_partitions: Option<usize>,

    /// How long a materialized view's replaced version stays readable after a refresh (queries that
    /// started on it finish on it); also how long files of a failed refresh are left alone.
    #[arg(long, env = "HANGAR_VIEW_VERSION_GRACE", default_value = "15m", value_parser = humantime::parse_duration)]
    pub view_version_grace: Duration,

    /// How often a running refresh records that it is still running; a run silent for three of
    /// these shows as `interrupted` in `hangar.refreshes`.
    #[arg(long, env = "HANGAR_REFRESH_HEARTBEAT", default_value = "30s", value_parser = humantime::parse_duration)]
    pub refresh_heartbeat: Duration,
}

/// How scheduled refreshes of materialized views run.
#[derive(Debug, Clone, Args)]
pub struct SchedulerArgs {
    /// Scheduled refreshes of different views that may run at once.
    #[arg(long, env = "HANGAR_REFRESH_CONCURRENCY", default_value_t = 2)]
    pub refresh_concurrency: usize,

    /// How many times a failed scheduled refresh is tried again.
    #[arg(long, env = "HANGAR_REFRESH_RETRIES", default_value_t = 2)]
    pub refresh_retries: u32,

    /// Wait before the first retry of a failed refresh; doubled before each further retry.
    #[arg(long, env = "HANGAR_REFRESH_RETRY_BACKOFF", default_value = "10s", value_parser = humantime::parse_duration)]
    pub refresh_retry_backoff: Duration,

    /// How often the scheduler looks for views created or rescheduled by any server.
    #[arg(long, env = "HANGAR_SCHEDULER_POLL", default_value = "30s", value_parser = humantime::parse_duration)]
    pub scheduler_poll: Duration,
}

/// Who may connect, and how connections are protected.
#[derive(Debug, Clone, Args)]
pub struct SecurityArgs {
    /// The first superuser: created (or given back its rights and password) at startup when a
    /// superuser password is configured.
    #[arg(long, env = "HANGAR_SUPERUSER", default_value = "hangar")]
    pub superuser: String,

    /// File holding the superuser's password (its first line). The password may instead be in
    /// the environment variable `HANGAR_SUPERUSER_PASSWORD`. With either, clients must log in on
    /// both listeners; with neither, any user name is accepted and only loopback addresses may be
    /// listened on.
    #[arg(long, env = "HANGAR_SUPERUSER_PASSWORD_FILE")]
    pub superuser_password_file: Option<PathBuf>,

    /// How Postgres clients send their password: `scram` (SCRAM-SHA-256) or `password` (in the
    /// clear, only over TLS, for clients without SCRAM).
    #[arg(long, env = "HANGAR_PG_AUTH", value_enum, default_value_t = PgAuthArg::Scram)]
    pub pg_auth: PgAuthArg,

    /// How long a Flight SQL bearer token from the handshake stays valid.
    #[arg(long, env = "HANGAR_FLIGHT_TOKEN_TTL", default_value = "1h", value_parser = humantime::parse_duration)]
    pub flight_token_ttl: Duration,

    /// TLS certificate chain (PEM) for both listeners.
    #[arg(long, env = "HANGAR_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM) of `--tls-cert`.
    #[arg(long, env = "HANGAR_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Refuse Postgres clients that do not use TLS (`28000`).
    #[arg(long, env = "HANGAR_TLS_REQUIRED")]
    pub tls_required: bool,
}

/// How Postgres clients send their password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PgAuthArg {
    /// SCRAM-SHA-256.
    Scram,
    /// In the clear, over TLS only.
    Password,
}

/// Logging.
#[derive(Debug, Clone, Args)]
pub struct LogConfig {
    /// Log filter (`info`, `debug`, `hangar_engine=debug,info`…).
    #[arg(long, env = "HANGAR_LOG_LEVEL", default_value = "info")]
    pub log_level: String,

    /// Log line format.
    #[arg(long, env = "HANGAR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Log line formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Settings only a config file can give.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FileOnly {
    /// Client options of the warehouse store (`aws_endpoint`, `aws_region`, credentials…).
    #[serde(default)]
    pub warehouse_options: BTreeMap<String, String>,
    /// Further stores that external tables may use.
    #[serde(default)]
    pub stores: Vec<StoreConfig>,
}

impl Cli {
    /// Parses flags and environment, filling unset values from the config file when one is named.
    pub fn load() -> Result<Self, clap::Error> {
        Self::load_from(std::env::args_os())
    }

    /// [`Cli::load`] over explicit arguments.
    pub fn load_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let mut cli = Self::try_parse_from(&args)?;
        let Command::Serve(serve) = &cli.command;
        if let Some(path) = serve.config.clone() {
            let file =
                read_file(&path).map_err(|e| clap::Error::raw(clap::error::ErrorKind::Io, e))?;
            // The file's keys become defaults: set only the environment variables not set already,
            // then parse again, so flags beat the environment and the environment beats the file.
            for (key, value) in &file.values {
                let var = format!("HANGAR_{}", key.to_ascii_uppercase());
                if std::env::var_os(&var).is_none() {
                    // SAFETY: called once at startup, before the runtime starts any other thread.
                    unsafe { std::env::set_var(&var, value) };
                }
            }
            cli = Self::try_parse_from(&args)?;
            let Command::Serve(serve) = &mut cli.command;
            serve.file = file.only;
        }
        Ok(cli)
    }
}

/// A parsed config file: scalar settings by flag name, and the file-only tables.
struct ConfigFile {
    values: BTreeMap<String, String>,
    only: FileOnly,
}

fn read_file(path: &std::path::Path) -> Result<ConfigFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read config file {}: {e}", path.display())))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| Error::Config(format!("invalid config file {}: {e}", path.display())))?;
    let mut values = BTreeMap::new();
    for (key, value) in &table {
        match value {
            toml::Value::String(s) => values.insert(key.clone(), s.clone()),
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                values.insert(key.clone(), value.to_string())
            }
            _ => None,
        };
    }
    let only: FileOnly = table
        .try_into()
        .map_err(|e| Error::Config(format!("invalid config file {}: {e}", path.display())))?;
    Ok(ConfigFile { values, only })
}

/// Parses sizes such as `512MB`, `4GiB` or a plain number of bytes.
fn parse_bytes(text: &str) -> Result<usize> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| Error::Config(format!("invalid size '{text}'")))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" | "k" => 1024.0,
        "mib" | "m" => 1024.0 * 1024.0,
        "gib" | "g" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(Error::Config(format!(
                "unknown size unit '{other}' in '{text}'"
            )));
        }
    };
    Ok((number * factor) as usize)
}

impl ServeConfig {
    /// The storage layer's configuration.
    pub fn storage_config(&self) -> Result<hangar_storage::StorageConfig> {
        let url = match &self.storage.warehouse {
            Some(url) => url.clone(),
            None => {
                let dir = std::path::absolute(&self.storage.data_dir).map_err(|e| {
                    Error::Config(format!(
                        "invalid --data-dir {}: {e}",
                        self.storage.data_dir.display()
                    ))
                })?;
                dir.display().to_string()
            }
        };
        Ok(hangar_storage::StorageConfig {
            warehouse: StoreConfig {
                url,
                options: self.file.warehouse_options.clone(),
            },
            extra: self.file.stores.clone(),
        })
    }

    /// The refresh scheduler's configuration.
    pub fn scheduler_config(&self) -> hangar_views::SchedulerConfig {
        hangar_views::SchedulerConfig {
            concurrency: self.scheduler.refresh_concurrency,
            retries: self.scheduler.refresh_retries,
            retry_backoff: self.scheduler.refresh_retry_backoff,
            poll_interval: self.scheduler.scheduler_poll,
        }
    }

    /// The engine's configuration.
    pub fn engine_config(&self) -> hangar_engine::EngineConfig {
        hangar_engine::EngineConfig {
            memory_limit: self.engine.memory_limit,
            spill_dir: self.engine.spill_dir.clone(),
            listing_cache_ttl: self.engine.listing_cache_ttl,
            target_partitions: self.engine.target_partitions,
            view_version_grace: self.engine.view_version_grace,
            refresh_heartbeat: self.engine.refresh_heartbeat,
            authentication: false,
        }
    }

    /// The superuser's password, from `HANGAR_SUPERUSER_PASSWORD` or the password file; `None`
    /// when neither is set (authentication off).
    pub fn superuser_password(&self) -> Result<Option<String>> {
        let from_env = std::env::var("HANGAR_SUPERUSER_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        let from_file = match &self.security.superuser_password_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::Config(format!(
                        "cannot read --superuser-password-file {}: {e}",
                        path.display()
                    ))
                })?;
                let line = text.lines().next().unwrap_or_default().to_string();
                if line.is_empty() {
                    return Err(Error::Config(format!(
                        "--superuser-password-file {} is empty",
                        path.display()
                    )));
                }
                Some(line)
            }
            None => None,
        };
        match (from_env, from_file) {
            (Some(_), Some(_)) => Err(Error::Config(
                "the superuser password is set twice: give HANGAR_SUPERUSER_PASSWORD or --superuser-password-file, not both".into(),
            )),
            (env, file) => Ok(env.or(file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_bytes("512MB").unwrap(), 512_000_000);
        assert_eq!(parse_bytes("4GiB").unwrap(), 4 << 30);
        assert_eq!(parse_bytes("100").unwrap(), 100);
        assert!(parse_bytes("4 parsecs").is_err());
    }

    #[test]
    fn file_fills_what_flags_leave_unset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hangar.toml");
        std::fs::write(
            &path,
            "pg_listen = \"127.0.0.1:6543\"\ndemo_scale = 0.01\n[[stores]]\nurl = \"s3://b/p/\"\noptions = { aws_region = \"eu-west-1\" }\n",
        )
        .unwrap();
        let cli = Cli::load_from([
            "hangar",
            "serve",
            "--config",
            path.to_str().unwrap(),
            "--demo-scale",
            "0.5",
        ])
        .unwrap();
        let Command::Serve(serve) = cli.command;
        assert_eq!(serve.pg_listen.port(), 6543, "file beats the default");
        assert_eq!(serve.demo_scale, 0.5, "flag beats the file");
        assert_eq!(serve.file.stores[0].url, "s3://b/p/");
    }
}
