//! The listener: accepts connections and hands each one its own handlers.

use std::net::SocketAddr;
use std::time::Duration;

use std::sync::Arc;

use hangar_engine::{Engine, audit};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::connection::Connection;
use crate::handlers::Handlers;
use crate::rustls;
use crate::startup::{PgAuth, StartupRules};
use pgwire::tokio::TlsAcceptor;

/// Settings of the Postgres listener.
#[derive(Debug, Clone)]
pub struct PgServerConfig {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// How long shutdown waits for open connections to finish before closing them.
    pub shutdown_grace: Duration,
    /// How clients log in when the engine has authentication on.
    pub auth: PgAuth,
    /// TLS for clients that ask for it (`SSLRequest`); `None` refuses them.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Refuse clients that do not use TLS (`28000`).
    pub tls_required: bool,
}

/// A bound Postgres listener. Call [`PgServer::run`] to serve until shutdown.
pub struct PgServer {
    listener: TcpListener,
    engine: Engine,
    shutdown_grace: Duration,
    rules: Arc<StartupRules>,
    tls: Option<TlsAcceptor>,
}

impl std::fmt::Debug for PgServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgServer")
            .field("listener", &self.listener)
            .field("rules", &self.rules)
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

impl PgServer {
    /// Binds the listening socket. A taken port gives an error that names the address.
    pub async fn bind(config: &PgServerConfig, engine: Engine) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.listen).await.map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "cannot listen for Postgres clients on {}: {e}",
                    config.listen
                ),
            )
        })?;
        Ok(Self {
            listener,
            engine,
            shutdown_grace: config.shutdown_grace,
            rules: Arc::new(StartupRules {
                auth: config.auth,
                tls_required: config.tls_required,
            }),
            tls: config.tls.clone().map(TlsAcceptor::from),
        })
    }

    /// The address the listener is bound to.
    pub fn bind_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves connections until `shutdown` turns true, then stops accepting, gives open connections
    /// the shutdown grace period to finish, and closes those still open after it.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> std::io::Result<()> {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (socket, peer) = match accepted {
                        Ok(pair) => pair,
                        Err(e) => {
                            tracing::warn!(error = %e, "accepting a Postgres connection failed");
                            continue;
                        }
                    };
                    let connection = Connection::new(self.engine.clone(), peer);
                    let handlers = Handlers::new(connection, Arc::clone(&self.rules));
                    let tls = self.tls.clone();
                    connections.spawn(async move {
                        audit::connection("postgres", peer, "connected");
                        if let Err(e) = pgwire::tokio::process_socket(socket, tls, handlers).await {
                            tracing::debug!(%peer, error = %e, "Postgres connection ended with an error");
                        }
                        audit::connection("postgres", peer, "disconnected");
                    });
                }
                Some(done) = connections.join_next(), if !connections.is_empty() => {
                    if let Err(e) = done && e.is_panic() {
                        tracing::error!(error = %e, "a Postgres connection task panicked; the server goes on");
                    }
                }
                _ = shutdown.wait_for(|stop| *stop) => break,
            }
        }
        tracing::info!(
            open = connections.len(),
            "Postgres listener stopped; draining connections"
        );
        let drain = async { while connections.join_next().await.is_some() {} };
        if tokio::time::timeout(self.shutdown_grace, drain)
            .await
            .is_err()
        {
            tracing::warn!(
                open = connections.len(),
                "closing connections still open after the shutdown grace period"
            );
            connections.shutdown().await;
        }
        Ok(())
    }
}
