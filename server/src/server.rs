//! Starting and stopping the server's parts.

use std::net::SocketAddr;
use std::sync::Arc;

use hangar_catalog::Catalog;
use hangar_engine::{Clock, Engine, SystemClock};
use hangar_flight::{FlightServer, FlightServerConfig};
use hangar_pgwire::{PgAuth, PgServer, PgServerConfig};
use hangar_storage::StoreRegistry;
use hangar_views::{MaterializedViews, Scheduler};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::PgAuthArg;
use crate::{Error, Result, ServeConfig};

/// A started server: its bound addresses and the handle to stop it.
#[derive(Debug)]
pub struct RunningServer {
    /// Where the Postgres listener is bound.
    pub pg_addr: SocketAddr,
    /// Where the Flight SQL listener is bound.
    pub flight_addr: SocketAddr,
    /// The engine, for in-process use (tests, tools).
    pub engine: Engine,
    shutdown: watch::Sender<bool>,
    pg: JoinHandle<std::io::Result<()>>,
    flight: JoinHandle<std::io::Result<()>>,
    scheduler: JoinHandle<()>,
}

/// Builds stores, catalog and engine, generates demo data if asked, and starts the listeners and
/// the refresh scheduler.
pub async fn start(config: ServeConfig) -> Result<RunningServer> {
    start_with_clock(config, Arc::new(SystemClock)).await
}

/// [`start`], with refreshes and their schedules timed by `clock` (tests move a [`ManualClock`]).
///
/// [`ManualClock`]: hangar_engine::ManualClock
pub async fn start_with_clock(config: ServeConfig, clock: Arc<dyn Clock>) -> Result<RunningServer> {
    let security = crate::security::prepare(&config)?;
    let storage = config.storage_config()?;
    let stores = Arc::new(StoreRegistry::new(&storage)?);
    let warehouse = stores.warehouse();
    tracing::info!(warehouse = %warehouse.url, "opening warehouse");
    let catalog = Catalog::open(
        Arc::clone(&warehouse.store),
        &warehouse.root,
        config.storage.catalog_refresh,
    )
    .await?;
    if let Some(password) = &security.superuser_password {
        crate::security::ensure_superuser(&catalog, &config.security.superuser, password).await?;
    }
    let views = Arc::new(MaterializedViews::default());
    let engine_config = hangar_engine::EngineConfig {
        authentication: security.superuser_password.is_some(),
        ..config.engine_config()
    };
    let engine = Engine::new(
        engine_config,
        stores,
        Arc::new(catalog),
        clock,
        Arc::clone(&views) as _,
    )?;
    if config.demo {
        crate::demo::ensure_tpch(&engine, config.demo_scale).await?;
    }
    let pg = PgServer::bind(
        &PgServerConfig {
            listen: config.pg_listen,
            shutdown_grace: config.shutdown_grace,
            auth: match config.security.pg_auth {
                PgAuthArg::Scram => PgAuth::Scram,
                PgAuthArg::Password => PgAuth::Password,
            },
            tls: security.pg_tls.clone(),
            tls_required: config.security.tls_required,
        },
        engine.clone(),
    )
    .await
    .map_err(listener("Postgres"))?;
    let pg_addr = pg.bind_addr().map_err(listener("Postgres"))?;
    let flight_config = FlightServerConfig {
        listen: config.flight_listen,
        token_ttl: config.security.flight_token_ttl,
        tls: security.flight_tls.clone(),
    };
    let flight = FlightServer::bind(&flight_config, engine.clone())
        .await
        .map_err(listener("Flight SQL"))?;
    let flight_addr = flight.bind_addr().map_err(listener("Flight SQL"))?;
    let (shutdown, stop) = watch::channel(false);
    let pg = tokio::spawn(pg.run(stop.clone()));
    let flight = tokio::spawn(flight.run(stop.clone()));
    let scheduler = Scheduler::new(&engine, &views, config.scheduler_config());
    let scheduler = tokio::spawn(scheduler.run(stop));
    tracing::info!(%pg_addr, %flight_addr, "listeners ready");
    Ok(RunningServer {
        pg_addr,
        flight_addr,
        engine,
        shutdown,
        pg,
        flight,
        scheduler,
    })
}

impl RunningServer {
    /// Stops accepting, drains open connections and returns when every part has stopped.
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.shutdown.send(true);
        let (pg, flight, scheduler) = tokio::join!(self.pg, self.flight, self.scheduler);
        scheduler.map_err(|e| Error::Stopped {
            part: "refresh scheduler",
            reason: e.to_string(),
        })?;
        for (name, result) in [("Postgres", pg), ("Flight SQL", flight)] {
            match result {
                Ok(result) => result.map_err(listener(name))?,
                Err(e) => {
                    return Err(Error::Stopped {
                        part: name,
                        reason: e.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Runs until `signals` receives SIGTERM or SIGINT, then shuts down gracefully. A listener
    /// that stops on its own is an error.
    pub async fn run_until_signal(mut self, mut signals: ShutdownSignals) -> Result<()> {
        tokio::select! {
            _ = signals.interrupt.recv() => tracing::info!("SIGINT received; shutting down"),
            _ = signals.terminate.recv() => tracing::info!("SIGTERM received; shutting down"),
            result = &mut self.pg => {
                return Err(Error::Stopped { part: "Postgres listener", reason: format!("{result:?}") });
            }
            result = &mut self.flight => {
                return Err(Error::Stopped { part: "Flight SQL listener", reason: format!("{result:?}") });
            }
        }
        self.shutdown().await
    }
}

/// Makes a listener's I/O error a server error naming the listener.
fn listener(name: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |source| Error::Listener {
        listener: name,
        source,
    }
}

/// SIGTERM and SIGINT, caught from the moment this is made. Make it before saying the server is
/// ready: a signal that arrives before it exists meets the default action, which ends the process
/// at once, with no connection drained and a nonzero status.
#[derive(Debug)]
pub struct ShutdownSignals {
    terminate: Signal,
    interrupt: Signal,
}

impl ShutdownSignals {
    /// Starts catching both signals.
    pub fn catch() -> std::io::Result<Self> {
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }
}
