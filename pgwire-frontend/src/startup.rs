//! The startup phase: accept the connection, check the database name, open the engine session.

use std::fmt::Debug;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::{
    DefaultServerParameterProvider, StartupHandler, finish_authentication, protocol_negotiation,
    save_startup_parameters_to_metadata,
};
use pgwire::api::{ClientInfo, PidSecretKeyGenerator, RandomPidSecretKeyGenerator};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};

use crate::connection::Connection;
use crate::error::{Refusal, engine_error, refusal};

/// Process ids and cancel keys, unique across the server's connections.
static PIDS: LazyLock<RandomPidSecretKeyGenerator> =
    LazyLock::new(RandomPidSecretKeyGenerator::default);

/// Startup for one connection. Until users are configured, any user name is accepted.
#[derive(Debug)]
pub(crate) struct Startup(pub(crate) Arc<Connection>);

#[async_trait]
impl StartupHandler for Startup {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let PgWireFrontendMessage::Startup(startup) = message else {
            return Ok(());
        };
        protocol_negotiation(client, &startup).await?;
        save_startup_parameters_to_metadata(client, &startup);
        let user = client.metadata().get("user").cloned().unwrap_or_default();
        let database = client
            .metadata()
            .get("database")
            .cloned()
            .unwrap_or_else(|| user.clone());
        if database != hangar_engine::DATABASE {
            return Err(refusal(Refusal::UnknownDatabase(database)));
        }
        self.0
            .open_session(&user, client.metadata())
            .map_err(engine_error)?;
        let (pid, secret) = PIDS.generate(client);
        client.set_pid_and_secret_key(pid, secret);
        let mut parameters = DefaultServerParameterProvider::default();
        parameters.server_version = hangar_engine::SERVER_VERSION.to_string();
        parameters.search_path = "\"$user\", public".to_string();
        finish_authentication(client, &parameters).await
    }
}
