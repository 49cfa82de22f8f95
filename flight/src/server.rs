//! The Flight SQL listener.

use std::net::SocketAddr;

use arrow_flight::flight_service_server::FlightServiceServer;
use hangar_engine::Engine;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::transport::server::TcpIncoming;

use crate::service::HangarFlightSql;

/// Settings of the Flight SQL listener.
#[derive(Debug, Clone)]
pub struct FlightServerConfig {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
}

/// A bound Flight SQL listener. Call [`FlightServer::run`] to serve until shutdown.
#[derive(Debug)]
pub struct FlightServer {
    listener: TcpListener,
    engine: Engine,
}

impl FlightServer {
    /// Binds the listening socket. A taken port gives an error that names the address.
    pub async fn bind(config: &FlightServerConfig, engine: Engine) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.listen).await.map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "cannot listen for Flight SQL clients on {}: {e}",
                    config.listen
                ),
            )
        })?;
        Ok(Self { listener, engine })
    }

    /// The address the listener is bound to.
    pub fn bind_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` turns true; running calls finish first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> std::io::Result<()> {
        let service = FlightServiceServer::new(HangarFlightSql::new(self.engine));
        // Small responses (a `SELECT 1`, a GetFlightInfo) otherwise wait ~40-50 ms each for Nagle
        // and the client's delayed ACK. The builder's `tcp_nodelay` only applies to listeners tonic
        // binds itself, so the accepted sockets get it here.
        let incoming = TcpIncoming::from(self.listener).with_nodelay(Some(true));
        tonic::transport::Server::builder()
            .add_service(service)
            .serve_with_incoming_shutdown(incoming, async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            })
            .await
            .map_err(std::io::Error::other)
    }
}
