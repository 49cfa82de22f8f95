//! The listener: accepts connections and hands each one its own handlers.

use std::net::SocketAddr;
use std::time::Duration;

use hangar_engine::Engine;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::connection::Connection;
use crate::handlers::Handlers;

/// Settings of the Postgres listener.
#[derive(Debug, Clone)]
pub struct PgServerConfig {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// How long shutdown waits for open connections to finish before closing them.
    pub shutdown_grace: Duration,
}

/// A bound Postgres listener. Call [`PgServer::run`] to serve until shutdown.
#[derive(Debug)]
pub struct PgServer {
    listener: TcpListener,
    engine: Engine,
    shutdown_grace: Duration,
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
                    let handlers = Handlers::new(Connection::new(self.engine.clone(), peer));
                    connections.spawn(async move {
                        if let Err(e) = pgwire::tokio::process_socket(socket, None, handlers).await {
                            tracing::debug!(%peer, error = %e, "Postgres connection ended with an error");
                        }
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
