//! The Flight SQL listener.

use std::net::SocketAddr;
use std::time::Duration;

use arrow_flight::flight_service_server::FlightServiceServer;
use hangar_engine::Engine;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, ServerTlsConfig};

use crate::service::HangarFlightSql;

/// Settings of the Flight SQL listener.
#[derive(Debug, Clone)]
pub struct FlightServerConfig {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// How long a token from the handshake stays valid.
    pub token_ttl: Duration,
    /// The certificate chain and private key (PEM) to serve gRPC over TLS with; `None` serves
    /// plaintext.
    pub tls: Option<FlightTls>,
}

/// A TLS identity, as PEM.
#[derive(Clone)]
pub struct FlightTls {
    /// The certificate chain.
    pub cert_pem: Vec<u8>,
    /// The private key.
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for FlightTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FlightTls(***)")
    }
}

/// A bound Flight SQL listener. Call [`FlightServer::run`] to serve until shutdown.
#[derive(Debug)]
pub struct FlightServer {
    listener: TcpListener,
    engine: Engine,
    token_ttl: Duration,
    tls: Option<FlightTls>,
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
        Ok(Self {
            listener,
            engine,
            token_ttl: config.token_ttl,
            tls: config.tls.clone(),
        })
    }

    /// The address the listener is bound to.
    pub fn bind_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` turns true; running calls finish first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> std::io::Result<()> {
        let service = FlightServiceServer::new(HangarFlightSql::new(self.engine, self.token_ttl));
        // Small responses (a `SELECT 1`, a GetFlightInfo) otherwise wait ~40-50 ms each for Nagle
        // and the client's delayed ACK. The builder's `tcp_nodelay` only applies to listeners tonic
        // binds itself, so the accepted sockets get it here.
        let incoming = TcpIncoming::from(self.listener).with_nodelay(Some(true));
        let mut builder = tonic::transport::Server::builder();
        if let Some(tls) = &self.tls {
            // rustls under tonic: TLS 1.2 and 1.3 only.
            let identity = Identity::from_pem(&tls.cert_pem, &tls.key_pem);
            builder = builder
                .tls_config(ServerTlsConfig::new().identity(identity))
                .map_err(std::io::Error::other)?;
        }
        builder
            .add_service(service)
            .serve_with_incoming_shutdown(incoming, async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            })
            .await
            .map_err(std::io::Error::other)
    }
}
