//! The startup phase: accept the connection, check the database name and, when authentication is
//! on, the user's password (SCRAM-SHA-256, or a cleartext password over TLS when configured so);
//! then open the engine session.

use std::fmt::Debug;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use hangar_engine::{Login, audit};
use pgwire::api::auth::{
    DefaultServerParameterProvider, StartupHandler, finish_authentication, protocol_negotiation,
    save_startup_parameters_to_metadata,
};
use pgwire::api::{
    ClientInfo, PgWireConnectionState, PidSecretKeyGenerator, RandomPidSecretKeyGenerator,
};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::startup::{Authentication, PasswordMessageFamily};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use tokio::sync::Mutex;

use crate::connection::Connection;
use crate::error::{Refusal, fatal, refusal};
use crate::scram::{self, AwaitingProof};

/// Process ids and cancel keys, unique across the server's connections.
static PIDS: LazyLock<RandomPidSecretKeyGenerator> =
    LazyLock::new(RandomPidSecretKeyGenerator::default);

/// How Postgres clients prove who they are, when authentication is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PgAuth {
    /// SCRAM-SHA-256: the password never crosses the wire.
    #[default]
    Scram,
    /// The password in the clear, accepted only over TLS (for clients without SCRAM).
    Password,
}

/// The startup settings every connection of a listener shares.
#[derive(Debug, Clone, Default)]
pub(crate) struct StartupRules {
    /// How clients log in when authentication is on.
    pub(crate) auth: PgAuth,
    /// Refuse clients that did not negotiate TLS.
    pub(crate) tls_required: bool,
}

/// Where a connection's login stands.
#[derive(Debug, Default)]
enum State {
    /// No password asked for (yet).
    #[default]
    Started,
    /// SCRAM offered; waiting for the client's first message.
    Sasl(Login),
    /// Waiting for the client's SCRAM proof.
    Proof(Login, AwaitingProof),
    /// Waiting for a cleartext password.
    Cleartext(Login),
}

/// Startup for one connection.
#[derive(Debug)]
pub(crate) struct Startup {
    connection: Arc<Connection>,
    rules: Arc<StartupRules>,
    state: Mutex<State>,
}

impl Startup {
    pub(crate) fn new(connection: Arc<Connection>, rules: Arc<StartupRules>) -> Self {
        Self {
            connection,
            rules,
            state: Mutex::default(),
        }
    }

    /// Records a login's outcome; a failure ends the connection.
    fn logged_in<C: ClientInfo>(
        &self,
        client: &C,
        login: &Login,
        outcome: hangar_engine::Result<()>,
    ) -> PgWireResult<()> {
        let address = Some(client.socket_addr());
        audit::authentication(
            "postgres",
            address,
            login.user(),
            outcome.as_ref().map(|_| ()),
        );
        outcome.map_err(|e| fatal(&e))
    }

    /// Opens the session and tells the client it is in.
    async fn finish<C>(&self, client: &mut C) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let user = client.metadata().get("user").cloned().unwrap_or_default();
        self.connection
            .open_session(&user, client.metadata())
            .map_err(|e| fatal(&e))?;
        let (pid, secret) = PIDS.generate(client);
        client.set_pid_and_secret_key(pid, secret);
        let mut parameters = DefaultServerParameterProvider::default();
        parameters.server_version = hangar_engine::SERVER_VERSION.to_string();
        parameters.search_path = "\"$user\", public".to_string();
        finish_authentication(client, &parameters).await
    }
}

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
        match message {
            PgWireFrontendMessage::Startup(startup) => {
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
                if self.rules.tls_required && !client.is_secure() {
                    return Err(refusal(Refusal::TlsRequired));
                }
                let engine = self.connection.engine();
                if !engine.authentication() {
                    return self.finish(client).await;
                }
                let address = client.socket_addr().ip();
                let login = match engine.login(&user, Some(address)).await {
                    Ok(login) => login,
                    Err(e) => {
                        audit::authentication(
                            "postgres",
                            Some(client.socket_addr()),
                            &user,
                            Err(&e),
                        );
                        return Err(fatal(&e));
                    }
                };
                client.set_state(PgWireConnectionState::AuthenticationInProgress);
                let (ask, state) = match self.rules.auth {
                    PgAuth::Scram => (
                        Authentication::SASL(vec!["SCRAM-SHA-256".to_string()]),
                        State::Sasl(login),
                    ),
                    PgAuth::Password if client.is_secure() => {
                        (Authentication::CleartextPassword, State::Cleartext(login))
                    }
                    PgAuth::Password => return Err(refusal(Refusal::CleartextNeedsTls)),
                };
                *self.state.lock().await = state;
                client
                    .send(PgWireBackendMessage::Authentication(ask))
                    .await?;
                Ok(())
            }
            PgWireFrontendMessage::PasswordMessageFamily(message) => {
                let state = std::mem::take(&mut *self.state.lock().await);
                self.on_password(client, message, state).await
            }
            _ => Ok(()),
        }
    }
}

impl Startup {
    /// The client's answer to the password request, in the login's current state.
    async fn on_password<C>(
        &self,
        client: &mut C,
        message: PasswordMessageFamily,
        state: State,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let violation = |what: String| refusal(Refusal::ProtocolViolation(what));
        match state {
            State::Sasl(login) => {
                let initial = message
                    .into_sasl_initial_response()
                    .map_err(|e| violation(e.to_string()))?;
                if initial.auth_method != "SCRAM-SHA-256" {
                    return Err(violation(format!(
                        "SASL mechanism {} was not offered",
                        initial.auth_method
                    )));
                }
                let data = initial.data.unwrap_or_default();
                let (waiting, server_first) = scram::client_first(&data, login.verifier())
                    .map_err(|e| violation(e.to_string()))?;
                *self.state.lock().await = State::Proof(login, waiting);
                let reply = Authentication::SASLContinue(server_first.into_bytes().into());
                client
                    .send(PgWireBackendMessage::Authentication(reply))
                    .await?;
                Ok(())
            }
            State::Proof(login, waiting) => {
                let response = message
                    .into_sasl_response()
                    .map_err(|e| violation(e.to_string()))?;
                let (proved, server_final) = waiting
                    .client_final(&response.data, login.verifier())
                    .map_err(|e| violation(e.to_string()))?;
                self.logged_in(client, &login, login.finish(proved))?;
                let reply = Authentication::SASLFinal(server_final.into_bytes().into());
                client
                    .send(PgWireBackendMessage::Authentication(reply))
                    .await?;
                self.finish(client).await
            }
            State::Cleartext(login) => {
                let password = message
                    .into_password()
                    .map_err(|e| violation(e.to_string()))?;
                self.logged_in(client, &login, login.check_password(&password.password))?;
                self.finish(client).await
            }
            State::Started => Err(violation(
                "a password message before the server asked for one".into(),
            )),
        }
    }
}
