//! The handlers of one Postgres connection: simple and extended query protocol over one engine
//! session.

use std::collections::HashMap;
use std::fmt::Debug;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use futures::Sink;
use hangar_engine::{Engine, Prepared, Session, audit};
use pgwire::api::portal::{Format, Portal};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler, send_describe_response};
use pgwire::api::results::{DescribePortalResponse, FieldInfo, Response};
use pgwire::api::stmt::QueryParser;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, Type};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::extendedquery::{Describe, TARGET_TYPE_BYTE_PORTAL};

use crate::encode::output_response;
use crate::error::{Refusal, engine_error, error_info, refusal};
use crate::rows::result_fields;

/// One client connection: its engine session, opened at startup.
#[derive(Debug)]
pub(crate) struct Connection {
    engine: Engine,
    peer: SocketAddr,
    session: OnceLock<Session>,
}

impl Connection {
    pub(crate) fn new(engine: Engine, peer: SocketAddr) -> Arc<Self> {
        Arc::new(Self {
            engine,
            peer,
            session: OnceLock::new(),
        })
    }

    /// Opens the engine session, with the client's startup parameters as its settings (as
    /// Postgres reads `DateStyle`, `TimeZone`, `application_name`… from the startup message).
    pub(crate) fn open_session(
        &self,
        user: &str,
        parameters: &HashMap<String, String>,
    ) -> hangar_engine::Result<()> {
        let session = self.engine.session(user)?.with_client(audit::Client {
            protocol: "postgres",
            address: Some(self.peer),
        });
        for (name, value) in parameters {
            if NOT_SETTINGS.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            // A value Hangar cannot take must not lock the client out: it keeps the default.
            if let Err(error) = session.set(name, value) {
                tracing::warn!(peer = %self.peer, name, value, %error, "startup parameter ignored");
            }
        }
        tracing::info!(peer = %self.peer, user, "Postgres session opened");
        let _ = self.session.set(session);
        Ok(())
    }

    /// The engine the connection's session runs on.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    fn session(&self) -> PgWireResult<&Session> {
        self.session
            .get()
            .ok_or_else(|| refusal(Refusal::BeforeStartup))
    }
}

/// Startup parameters that are not settings.
const NOT_SETTINGS: [&str; 4] = ["user", "database", "options", "replication"];

/// Query handling (both protocols) and statement parsing for one connection.
#[derive(Debug)]
pub(crate) struct Queries(pub(crate) Arc<Connection>);

#[async_trait]
impl SimpleQueryHandler for Queries {
    async fn do_query<C>(&self, _client: &mut C, query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = self.0.session()?;
        let statements = session
            .parse(query)
            .map_err(|e| engine_error(e, Some(query)))?;
        if statements.is_empty() {
            return Ok(vec![Response::EmptyQuery]);
        }
        let mut responses = Vec::with_capacity(statements.len());
        for statement in statements {
            let result = async {
                let prepared = session.plan(statement).await?;
                session.execute(&prepared, None).await
            }
            .await;
            match result {
                Ok(output) => responses.push(output_response(
                    output,
                    &Format::UnifiedText,
                    session,
                    query,
                )?),
                Err(e) => {
                    // Like Postgres: earlier statements' results stand, the rest is skipped.
                    responses.push(Response::Error(Box::new(error_info(&e, Some(query)))));
                    break;
                }
            }
        }
        Ok(responses)
    }
}

/// A statement prepared over the extended protocol, with its text: an error it meets when it runs
/// points into the text, as over the simple protocol.
#[derive(Debug)]
pub(crate) struct Parsed {
    prepared: Prepared,
    sql: String,
}

#[async_trait]
impl QueryParser for Queries {
    type Statement = Arc<Parsed>;

    async fn parse_sql<C>(
        &self,
        _client: &C,
        sql: &str,
        _types: &[Option<Type>],
    ) -> PgWireResult<Option<Self::Statement>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        let session = self.0.session()?;
        let mut statements = session.parse(sql).map_err(|e| engine_error(e, Some(sql)))?;
        if statements.len() > 1 {
            return Err(refusal(Refusal::MultipleCommands));
        }
        let Some(statement) = statements.pop() else {
            return Ok(None);
        };
        let prepared = session
            .plan(statement)
            .await
            .map_err(|e| engine_error(e, Some(sql)))?;
        Ok(Some(Arc::new(Parsed {
            prepared,
            sql: sql.to_string(),
        })))
    }

    fn get_parameter_types(&self, stmt: &Self::Statement) -> PgWireResult<Vec<Type>> {
        stmt.prepared
            .parameter_types()
            .map_err(|e| engine_error(e, None))?
            .iter()
            .map(|ty| match ty {
                Some(ty) => arrow_pg::datatypes::into_pg_type(ty),
                None => Ok(Type::UNKNOWN),
            })
            .collect()
    }

    fn get_result_schema(
        &self,
        stmt: &Self::Statement,
        column_format: Option<&Format>,
    ) -> PgWireResult<Vec<FieldInfo>> {
        result_fields(
            &stmt.prepared.schema(),
            column_format.unwrap_or(&Format::UnifiedText),
            None,
        )
    }
}

#[async_trait]
impl ExtendedQueryHandler for Queries {
    type Statement = Arc<Parsed>;
    type QueryParser = Queries;

    fn query_parser(&self) -> Arc<Self::QueryParser> {
        Arc::new(Queries(Arc::clone(&self.0)))
    }

    /// Describes portals, and cursors as the portals they are in Postgres: psycopg describes a
    /// named cursor right after declaring it.
    async fn on_describe<C>(&self, client: &mut C, message: Describe) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if message.target_type == TARGET_TYPE_BYTE_PORTAL
            && let Some(name) = message.name.as_deref()
            && client.portal_store().get_portal(name).is_none()
            && let Ok(schema) = self.0.session()?.cursor_schema(name)
        {
            let fields = result_fields(&schema, &Format::UnifiedText, None)?;
            return send_describe_response(client, &DescribePortalResponse::new(fields)).await;
        }
        self._on_describe(client, message).await
    }

    async fn do_query<C>(
        &self,
        _client: &mut C,
        portal: &Portal<Self::Statement>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = self.0.session()?;
        let Parsed { prepared, sql } = portal.statement.statement.as_ref();
        let types = prepared
            .parameter_types()
            .map_err(|e| engine_error(e, None))?;
        let params = if types.is_empty() {
            None
        } else {
            let type_refs: Vec<_> = types.iter().map(Option::as_ref).collect();
            Some(arrow_pg::datatypes::df::deserialize_parameters(
                portal, &type_refs,
            )?)
        };
        let output = session
            .execute(prepared, params.as_ref())
            .await
            .map_err(|e| engine_error(e, Some(sql)))?;
        output_response(output, &portal.result_column_format, session, sql)
    }
}
