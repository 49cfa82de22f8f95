//! Who may connect, and how: the first superuser, the refusal to listen beyond loopback without
//! passwords, and the TLS identity both listeners serve.

use std::sync::Arc;

use hangar_catalog::{Catalog, Change, RoleAlteration, RoleEntry, ScramVerifier};
use hangar_flight::FlightTls;
use hangar_pgwire::rustls;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::PgAuthArg;
use crate::{Error, Result, ServeConfig};

/// The security settings of a server about to start, checked and loaded.
pub(crate) struct Security {
    /// The superuser's password; `None` when authentication is off.
    pub(crate) superuser_password: Option<String>,
    /// TLS for the Postgres listener.
    pub(crate) pg_tls: Option<Arc<rustls::ServerConfig>>,
    /// TLS for the Flight SQL listener.
    pub(crate) flight_tls: Option<FlightTls>,
}

impl std::fmt::Debug for Security {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Security")
            .field("authentication", &self.superuser_password.is_some())
            .field("tls", &self.pg_tls.is_some())
            .finish()
    }
}

/// Checks that the configuration is safe to start with, and loads the TLS identity.
pub(crate) fn prepare(config: &ServeConfig) -> Result<Security> {
    let superuser_password = config.superuser_password()?;
    let security = &config.security;
    if superuser_password.is_none() {
        for (listener, address) in [
            ("Postgres", config.pg_listen),
            ("Flight SQL", config.flight_listen),
        ] {
            if !address.ip().is_loopback() {
                return Err(Error::Config(format!(
                    "refusing to listen for {listener} clients on {address} without authentication: anyone could connect as anyone. Set a superuser password (HANGAR_SUPERUSER_PASSWORD or --superuser-password-file), or listen on a loopback address such as 127.0.0.1"
                )));
            }
        }
    }
    let tls = match (&security.tls_cert, &security.tls_key) {
        (Some(cert), Some(key)) => {
            let read = |path: &std::path::Path, what: &str| {
                std::fs::read(path).map_err(|e| {
                    Error::Config(format!("cannot read {what} {}: {e}", path.display()))
                })
            };
            Some(FlightTls {
                cert_pem: read(cert, "--tls-cert")?,
                key_pem: read(key, "--tls-key")?,
            })
        }
        _ => None,
    };
    if tls.is_none() && security.tls_required {
        return Err(Error::Config(
            "--tls-required needs --tls-cert and --tls-key".into(),
        ));
    }
    if tls.is_none() && security.pg_auth == PgAuthArg::Password {
        return Err(Error::Config(
            "--pg-auth password sends passwords in the clear, so it needs TLS: give --tls-cert and --tls-key".into(),
        ));
    }
    let pg_tls = tls.as_ref().map(postgres_tls).transpose()?;
    Ok(Security {
        superuser_password,
        pg_tls,
        flight_tls: tls,
    })
}

/// The rustls configuration of the Postgres listener: TLS 1.2 and 1.3 (all rustls speaks), and
/// the `postgresql` ALPN name that direct TLS connections (Postgres 17's `sslnegotiation=direct`)
/// ask for.
fn postgres_tls(tls: &FlightTls) -> Result<Arc<rustls::ServerConfig>> {
    let bad = |what: &str, e: &dyn std::fmt::Display| Error::Config(format!("{what}: {e}"));
    let certs = CertificateDer::pem_slice_iter(&tls.cert_pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad("--tls-cert holds no readable PEM certificate", &e))?;
    if certs.is_empty() {
        return Err(Error::Config("--tls-cert holds no certificate".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(&tls.key_pem)
        .map_err(|e| bad("--tls-key holds no readable PEM private key", &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS12, &rustls::version::TLS13])
        .map_err(|e| bad("TLS", &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| bad("--tls-cert and --tls-key do not make a TLS identity", &e))?;
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(Arc::new(config))
}

/// Makes `name` a superuser that logs in with `password`: created on a new warehouse, and given
/// back its rights and this password if someone changed them.
pub(crate) async fn ensure_superuser(catalog: &Catalog, name: &str, password: &str) -> Result<()> {
    let manifest = catalog.refresh().await?;
    let change = match manifest.role(name) {
        None => Change::CreateRole {
            name: name.to_string(),
            role: RoleEntry {
                login: true,
                superuser: true,
                password: Some(ScramVerifier::new(password).to_text()),
                ..RoleEntry::default()
            },
        },
        Some(role) => {
            let current = role
                .password
                .as_deref()
                .and_then(|text| ScramVerifier::parse(text).ok())
                .is_some_and(|v| v.matches(password));
            if role.login && role.superuser && current {
                return Ok(());
            }
            Change::AlterRole {
                name: name.to_string(),
                alter: RoleAlteration {
                    login: Some(true),
                    superuser: Some(true),
                    password: (!current).then(|| Some(ScramVerifier::new(password).to_text())),
                },
            }
        }
    };
    catalog.commit(&change).await?;
    tracing::info!(target: "hangar::audit", event = "access_change", user = name, command = "superuser", "superuser from the configuration");
    Ok(())
}
