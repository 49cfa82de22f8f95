//! The Flight SQL service: statements, updates, metadata and the handshake, over engine sessions.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use arrow_flight::decode::FlightRecordBatchStream;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::error::FlightError;
use arrow_flight::flight_service_server::FlightService;
use arrow_flight::sql::metadata::{SqlInfoData, XdbcTypeInfoData};
use arrow_flight::sql::server::{FlightSqlService, PeekableFlightDataStream};
use arrow_flight::sql::{
    ActionCancelQueryRequest, ActionCancelQueryResult, ActionClosePreparedStatementRequest,
    ActionCreatePreparedStatementRequest, ActionCreatePreparedStatementResult, CommandGetCatalogs,
    CommandGetCrossReference, CommandGetDbSchemas, CommandGetExportedKeys, CommandGetImportedKeys,
    CommandGetPrimaryKeys, CommandGetSqlInfo, CommandGetTableTypes, CommandGetTables,
    CommandGetXdbcTypeInfo, CommandPreparedStatementQuery, CommandPreparedStatementUpdate,
    CommandStatementQuery, CommandStatementUpdate, DoPutPreparedStatementResult, ProstMessageExt,
    SqlInfo, TicketStatementQuery,
};
use arrow_flight::{
    Action, ActionType, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus,
    FlightDescriptor, FlightEndpoint, FlightInfo, HandshakeRequest, HandshakeResponse, IpcMessage,
    SchemaAsIpc, Ticket,
};
use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::ipc::writer::IpcWriteOptions;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::DataFusionError;
use futures::{Stream, TryStreamExt};
use hangar_engine::{
    CatalogMetadata, Engine, Output, Prepared, SendableRecordBatchStream, Session, audit,
};
use prost::Message;
use tonic::{Request, Response, Status, Streaming};

use crate::auth::Tokens;
use crate::error::status;
use crate::metadata;
use crate::plain::{plain_batch, plain_schema};
use crate::planned::{Plan, Planned, prepared_key};
use crate::prepared::{Handle, parameter_schema, row_params};
use crate::running::Running;

type DoGetStream = <HangarFlightSql as FlightService>::DoGetStream;

/// The Flight action that cancels a query.
const CANCEL_FLIGHT_INFO: &str = "CancelFlightInfo";

/// Hangar's Flight SQL service.
pub(crate) struct HangarFlightSql {
    engine: Engine,
    tokens: Tokens,
    sql_info: SqlInfoData,
    xdbc_types: XdbcTypeInfoData,
    running: Running,
    planned: Planned,
}

impl std::fmt::Debug for HangarFlightSql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HangarFlightSql")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

impl HangarFlightSql {
    pub(crate) fn new(engine: Engine, token_ttl: std::time::Duration) -> Self {
        Self {
            tokens: Tokens::new(engine.clone(), token_ttl),
            engine,
            sql_info: metadata::sql_info(),
            xdbc_types: metadata::xdbc_types(),
            running: Running::default(),
            planned: Planned::default(),
        }
    }

    /// A session for the caller of `request` (Flight calls carry no session state of their own).
    async fn session<T>(&self, request: &Request<T>) -> Result<Session, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        self.session_of(&user, request.remote_addr())
    }

    /// A session for `user`, calling from `address`.
    fn session_of(&self, user: &str, address: Option<SocketAddr>) -> Result<Session, Status> {
        let session = self.engine.session(user).map_err(|e| status(&e))?;
        Ok(session.with_client(audit::Client {
            protocol: "flight",
            address,
        }))
    }

    /// The `FlightInfo` for a metadata command whose results have `schema`.
    async fn metadata_info(
        &self,
        query: impl ProstMessageExt,
        schema: &Schema,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.tokens.user(request.metadata()).await?;
        Ok(Response::new(flight_info(
            query,
            schema,
            request.into_inner(),
        )?))
    }

    /// A metadata command's results: no rows with `schema`, for the key commands (Hangar's tables
    /// declare no keys).
    async fn no_keys<T>(
        &self,
        schema: SchemaRef,
        request: &Request<T>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.tokens.user(request.metadata()).await?;
        metadata_stream(Ok(RecordBatch::new_empty(schema)))
    }

    /// Stops the running `DoGet` streams of `info`'s tickets; true if there were any.
    fn cancel(&self, info: &FlightInfo) -> bool {
        let tickets = info
            .endpoint
            .iter()
            .filter_map(|endpoint| endpoint.ticket.as_ref());
        self.running
            .cancel(tickets.map(|ticket| ticket.ticket.as_ref()))
            > 0
    }

    /// The plan of a prepared statement: the one this server kept from the statement's last call,
    /// or a new one.
    async fn prepared_plan(
        &self,
        user: &str,
        address: Option<SocketAddr>,
        sql: &str,
    ) -> Result<Plan, Status> {
        if let Some(plan) = self.planned.take(user, &prepared_key(sql)) {
            return Ok(plan);
        }
        let session = self.session_of(user, address)?;
        let prepared = plan_one(&session, sql).await?;
        Ok(Arc::new((session, prepared)))
    }

    /// The relations of the catalog version the server knows (refreshed if stale), as the
    /// caller of `request` may see them.
    async fn metadata<T>(&self, request: &Request<T>) -> Result<CatalogMetadata, Status> {
        let session = self.session(request).await?;
        session.metadata().await.map_err(|e| status(&e))
    }
}

/// Plans exactly one statement.
async fn plan_one(session: &Session, sql: &str) -> Result<Prepared, Status> {
    let mut statements = session.parse(sql).map_err(|e| status(&e))?;
    if statements.len() != 1 {
        return Err(Status::invalid_argument(format!(
            "expected exactly one SQL statement, got {}",
            statements.len()
        )));
    }
    session
        .plan(statements.remove(0))
        .await
        .map_err(|e| status(&e))
}

/// A `FlightInfo` whose single endpoint's ticket is `command`.
fn flight_info(
    command: impl ProstMessageExt,
    schema: &Schema,
    descriptor: FlightDescriptor,
) -> Result<FlightInfo, Status> {
    let ticket = Ticket::new(command.as_any().encode_to_vec());
    Ok(FlightInfo::new()
        .try_with_schema(schema)
        .map_err(|e| Status::internal(format!("cannot encode schema: {e}")))?
        .with_endpoint(FlightEndpoint::new().with_ticket(ticket))
        .with_descriptor(descriptor))
}

/// Streams batches as Flight data, pulled by the client; large batches are split into bounded
/// messages by the encoder.
fn stream_batches(batches: SendableRecordBatchStream) -> DoGetStream {
    let schema = plain_schema(&batches.schema());
    let plain = Arc::clone(&schema);
    let batches = batches
        .and_then(move |batch| {
            let batch = plain_batch(batch, &plain).map_err(DataFusionError::from);
            std::future::ready(batch)
        })
        .map_err(|e| FlightError::Tonic(Box::new(status(&hangar_engine::Error::DataFusion(e)))));
    let data = FlightDataEncoderBuilder::new()
        .with_schema(schema)
        .build(batches);
    Box::pin(data.map_err(Status::from))
}

/// A schema as the IPC message Flight SQL puts in prepared-statement results.
fn schema_bytes(schema: &Schema) -> Result<bytes::Bytes, Status> {
    let IpcMessage(bytes) = SchemaAsIpc::new(schema, &IpcWriteOptions::default())
        .try_into()
        .map_err(|e: ArrowError| Status::internal(format!("cannot encode schema: {e}")))?;
    Ok(bytes)
}

/// The parameter rows a client sent with `DoPut`, if any.
async fn read_parameters(stream: PeekableFlightDataStream) -> Result<Option<RecordBatch>, Status> {
    // A DoPut may carry only the command (an empty message): its parameters were bound before.
    let data = stream
        .map_err(FlightError::from)
        .try_filter(|message| std::future::ready(!message.data_header.is_empty()));
    let batches: Vec<RecordBatch> = FlightRecordBatchStream::new_from_flight_data(data)
        .try_collect()
        .await
        .map_err(|e| Status::invalid_argument(format!("cannot read parameters: {e}")))?;
    let Some(first) = batches.first() else {
        return Ok(None);
    };
    let batch = datafusion::arrow::compute::concat_batches(&first.schema(), &batches)
        .map_err(|e| Status::invalid_argument(format!("inconsistent parameter batches: {e}")))?;
    Ok((batch.num_columns() > 0 && batch.num_rows() > 0).then_some(batch))
}

/// Runs a prepared statement once per bound parameter row (once without parameters) and adds up
/// the rows each run changed.
async fn run_update(
    session: &Session,
    prepared: &Prepared,
    params: Option<&RecordBatch>,
) -> Result<i64, Status> {
    let runs: Vec<Option<datafusion::common::ParamValues>> = match params {
        Some(batch) => (0..batch.num_rows())
            .map(|row| row_params(prepared, batch, row).map(Some))
            .collect::<Result<_, _>>()?,
        None => vec![None],
    };
    let mut total = 0;
    for values in runs {
        match session
            .execute(prepared, values.as_ref())
            .await
            .map_err(|e| status(&e))?
        {
            Output::Command { rows, .. } => total += rows.map_or(0, |n| n as i64),
            Output::Rows(_) | Output::Fetched(_) => {
                return Err(Status::invalid_argument(
                    "statement returns rows; run it as a query",
                ));
            }
            Output::Copy { .. } => return Err(copy_to_client()),
        }
    }
    Ok(total)
}

/// Runs a command (DDL, DML, `SET`…) that a client sent as a query: like Postgres, it runs once, now,
/// and its ticket answers with no rows.
async fn run_command(
    session: &Session,
    prepared: &Prepared,
    params: Option<datafusion::common::ParamValues>,
    descriptor: FlightDescriptor,
) -> Result<FlightInfo, Status> {
    let output = session
        .execute(prepared, params.as_ref())
        .await
        .map_err(|e| status(&e))?;
    if let Output::Copy { .. } = output {
        return Err(copy_to_client());
    }
    let done = TicketStatementQuery {
        statement_handle: Default::default(),
    };
    flight_info(done, &Schema::empty(), descriptor)
}

/// The `DoGet` answer for a statement's output; a command run as a query answers with no rows.
fn output_stream(output: Output) -> Result<DoGetStream, Status> {
    match output {
        Output::Rows(batches) | Output::Fetched(batches) => Ok(stream_batches(batches)),
        Output::Copy { .. } => Err(copy_to_client()),
        Output::Command { .. } => {
            let empty = RecordBatch::new_empty(Arc::new(Schema::empty()));
            metadata_stream(Ok(empty)).map(Response::into_inner)
        }
    }
}

/// `COPY … TO STDOUT` hands rows to a Postgres client in its copy formats; Flight SQL has Arrow.
fn copy_to_client() -> Status {
    Status::invalid_argument(
        "COPY … TO STDOUT is for Postgres clients; over Flight SQL, run its query instead",
    )
}

/// Streams one metadata batch.
fn metadata_stream(
    batch: Result<RecordBatch, FlightError>,
) -> Result<Response<DoGetStream>, Status> {
    let batch = batch.map_err(|e| Status::internal(format!("cannot build metadata: {e}")))?;
    let data = FlightDataEncoderBuilder::new()
        .with_schema(batch.schema())
        .build(futures::stream::iter([Ok(batch)]));
    Ok(Response::new(Box::pin(data.map_err(Status::from))))
}

#[tonic::async_trait]
impl FlightSqlService for HangarFlightSql {
    type FlightService = HangarFlightSql;

    async fn do_handshake(
        &self,
        request: Request<Streaming<HandshakeRequest>>,
    ) -> Result<
        Response<Pin<Box<dyn Stream<Item = Result<HandshakeResponse, Status>> + Send>>>,
        Status,
    > {
        let token = self
            .tokens
            .issue(request.metadata(), request.remote_addr())
            .await?;
        let reply = HandshakeResponse {
            protocol_version: 0,
            payload: token.clone().into(),
        };
        let mut response: Response<Pin<Box<dyn Stream<Item = _> + Send>>> =
            Response::new(Box::pin(futures::stream::iter([Ok(reply)])));
        let header = format!("Bearer {token}")
            .parse()
            .map_err(|_| Status::internal("token is not a valid header value"))?;
        response.metadata_mut().insert("authorization", header);
        Ok(response)
    }

    async fn get_flight_info_statement(
        &self,
        query: CommandStatementQuery,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        let session = self.session_of(&user, request.remote_addr())?;
        let prepared = plan_one(&session, &query.query).await?;
        let info = if prepared.returns_rows() {
            // A fresh id in front of the SQL makes each ticket name one execution, for cancel.
            let mut handle = uuid::Uuid::new_v4().as_bytes().to_vec();
            handle.extend_from_slice(query.query.as_bytes());
            let info = flight_info(
                TicketStatementQuery {
                    statement_handle: handle.clone().into(),
                },
                &plain_schema(&prepared.schema()),
                request.into_inner(),
            )?;
            self.planned
                .keep(user, handle, Arc::new((session, prepared)));
            info
        } else {
            run_command(&session, &prepared, None, request.into_inner()).await?
        };
        Ok(Response::new(info))
    }

    async fn do_get_statement(
        &self,
        ticket: TicketStatementQuery,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        if ticket.statement_handle.is_empty() {
            return Ok(Response::new(output_stream(Output::Command {
                tag: "",
                rows: None,
            })?));
        }
        let sql = ticket
            .statement_handle
            .get(16..)
            .and_then(|sql| std::str::from_utf8(sql).ok())
            .ok_or_else(|| Status::invalid_argument("not a statement ticket of this server"))?;
        let user = self.tokens.user(request.metadata()).await?;
        let plan = match self.planned.take(&user, &ticket.statement_handle) {
            Some(plan) => plan,
            None => {
                let session = self.session_of(&user, request.remote_addr())?;
                let prepared = plan_one(&session, sql).await?;
                Arc::new((session, prepared))
            }
        };
        let (session, prepared) = plan.as_ref();
        let output = session
            .execute(prepared, None)
            .await
            .map_err(|e| status(&e))?;
        let ticket_bytes = request.get_ref().ticket.to_vec();
        Ok(Response::new(
            self.running.track(ticket_bytes, output_stream(output)?),
        ))
    }

    async fn do_put_statement_update(
        &self,
        command: CommandStatementUpdate,
        request: Request<PeekableFlightDataStream>,
    ) -> Result<i64, Status> {
        let session = self.session(&request).await?;
        let prepared = plan_one(&session, &command.query).await?;
        run_update(&session, &prepared, None).await
    }

    async fn do_action_create_prepared_statement(
        &self,
        query: ActionCreatePreparedStatementRequest,
        request: Request<Action>,
    ) -> Result<ActionCreatePreparedStatementResult, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        let session = self.session_of(&user, request.remote_addr())?;
        let prepared = plan_one(&session, &query.query).await?;
        let result = ActionCreatePreparedStatementResult {
            prepared_statement_handle: Handle {
                sql: query.query.clone(),
                params: None,
            }
            .encode()?,
            dataset_schema: schema_bytes(&plain_schema(&prepared.schema()))?,
            parameter_schema: schema_bytes(&parameter_schema(&prepared)?)?,
        };
        self.planned.keep(
            user,
            prepared_key(&query.query),
            Arc::new((session, prepared)),
        );
        Ok(result)
    }

    async fn do_action_close_prepared_statement(
        &self,
        _query: ActionClosePreparedStatementRequest,
        request: Request<Action>,
    ) -> Result<(), Status> {
        // Handles carry everything; there is nothing to free.
        self.tokens.user(request.metadata()).await?;
        Ok(())
    }

    async fn do_put_prepared_statement_query(
        &self,
        query: CommandPreparedStatementQuery,
        request: Request<PeekableFlightDataStream>,
    ) -> Result<DoPutPreparedStatementResult, Status> {
        self.tokens.user(request.metadata()).await?;
        let handle = Handle::decode(&query.prepared_statement_handle)?;
        let params = read_parameters(request.into_inner()).await?;
        let bound = Handle {
            sql: handle.sql,
            params,
        }
        .encode()?;
        Ok(DoPutPreparedStatementResult {
            prepared_statement_handle: Some(bound),
        })
    }

    async fn get_flight_info_prepared_statement(
        &self,
        query: CommandPreparedStatementQuery,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        let handle = Handle::decode(&query.prepared_statement_handle)?;
        let plan = self
            .prepared_plan(&user, request.remote_addr(), &handle.sql)
            .await?;
        let (session, prepared) = plan.as_ref();
        let info = if prepared.returns_rows() {
            let info = flight_info(
                query,
                &plain_schema(&prepared.schema()),
                request.into_inner(),
            )?;
            self.planned.keep(user, prepared_key(&handle.sql), plan);
            info
        } else {
            let params = handle
                .params
                .as_ref()
                .map(|batch| row_params(prepared, batch, 0))
                .transpose()?;
            run_command(session, prepared, params, request.into_inner()).await?
        };
        Ok(Response::new(info))
    }

    async fn do_get_prepared_statement(
        &self,
        query: CommandPreparedStatementQuery,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        let handle = Handle::decode(&query.prepared_statement_handle)?;
        let plan = self
            .prepared_plan(&user, request.remote_addr(), &handle.sql)
            .await?;
        let (session, prepared) = plan.as_ref();
        let params = handle
            .params
            .as_ref()
            .map(|batch| row_params(prepared, batch, 0))
            .transpose()?;
        let output = session
            .execute(prepared, params.as_ref())
            .await
            .map_err(|e| status(&e))?;
        let ticket_bytes = request.get_ref().ticket.to_vec();
        Ok(Response::new(
            self.running.track(ticket_bytes, output_stream(output)?),
        ))
    }

    async fn do_put_prepared_statement_update(
        &self,
        query: CommandPreparedStatementUpdate,
        request: Request<PeekableFlightDataStream>,
    ) -> Result<i64, Status> {
        let user = self.tokens.user(request.metadata()).await?;
        let handle = Handle::decode(&query.prepared_statement_handle)?;
        let plan = self
            .prepared_plan(&user, request.remote_addr(), &handle.sql)
            .await?;
        let (session, prepared) = plan.as_ref();
        let params = read_parameters(request.into_inner())
            .await?
            .or(handle.params);
        run_update(session, prepared, params.as_ref()).await
    }

    async fn get_flight_info_catalogs(
        &self,
        query: CommandGetCatalogs,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.into_builder().schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_catalogs(
        &self,
        query: CommandGetCatalogs,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.tokens.user(request.metadata()).await?;
        metadata_stream(metadata::catalogs(query))
    }

    async fn get_flight_info_schemas(
        &self,
        query: CommandGetDbSchemas,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.clone().into_builder().schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_schemas(
        &self,
        query: CommandGetDbSchemas,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        metadata_stream(metadata::schemas(query, &self.metadata(&request).await?))
    }

    async fn get_flight_info_tables(
        &self,
        query: CommandGetTables,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.clone().into_builder().schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_tables(
        &self,
        query: CommandGetTables,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        metadata_stream(metadata::tables(query, &self.metadata(&request).await?))
    }

    async fn get_flight_info_table_types(
        &self,
        query: CommandGetTableTypes,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.into_builder().schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_table_types(
        &self,
        query: CommandGetTableTypes,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.tokens.user(request.metadata()).await?;
        metadata_stream(metadata::table_types(query))
    }

    async fn get_flight_info_sql_info(
        &self,
        query: CommandGetSqlInfo,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.clone().into_builder(&self.sql_info).schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_sql_info(
        &self,
        query: CommandGetSqlInfo,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.tokens.user(request.metadata()).await?;
        metadata_stream(query.into_builder(&self.sql_info).build())
    }

    async fn get_flight_info_xdbc_type_info(
        &self,
        query: CommandGetXdbcTypeInfo,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        let schema = query.into_builder(&self.xdbc_types).schema();
        self.metadata_info(query, &schema, request).await
    }

    async fn do_get_xdbc_type_info(
        &self,
        query: CommandGetXdbcTypeInfo,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.tokens.user(request.metadata()).await?;
        metadata_stream(query.into_builder(&self.xdbc_types).build())
    }

    async fn get_flight_info_primary_keys(
        &self,
        query: CommandGetPrimaryKeys,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.metadata_info(query, &metadata::primary_keys_schema(), request)
            .await
    }

    async fn do_get_primary_keys(
        &self,
        _query: CommandGetPrimaryKeys,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.no_keys(metadata::primary_keys_schema(), &request)
            .await
    }

    async fn get_flight_info_exported_keys(
        &self,
        query: CommandGetExportedKeys,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.metadata_info(query, &metadata::foreign_keys_schema(), request)
            .await
    }

    async fn do_get_exported_keys(
        &self,
        _query: CommandGetExportedKeys,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.no_keys(metadata::foreign_keys_schema(), &request)
            .await
    }

    async fn get_flight_info_imported_keys(
        &self,
        query: CommandGetImportedKeys,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.metadata_info(query, &metadata::foreign_keys_schema(), request)
            .await
    }

    async fn do_get_imported_keys(
        &self,
        _query: CommandGetImportedKeys,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.no_keys(metadata::foreign_keys_schema(), &request)
            .await
    }

    async fn get_flight_info_cross_reference(
        &self,
        query: CommandGetCrossReference,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.metadata_info(query, &metadata::foreign_keys_schema(), request)
            .await
    }

    async fn do_get_cross_reference(
        &self,
        _query: CommandGetCrossReference,
        request: Request<Ticket>,
    ) -> Result<Response<DoGetStream>, Status> {
        self.no_keys(metadata::foreign_keys_schema(), &request)
            .await
    }

    /// The deprecated `CancelQuery` action, for older clients.
    async fn do_action_cancel_query(
        &self,
        query: ActionCancelQueryRequest,
        request: Request<Action>,
    ) -> Result<ActionCancelQueryResult, Status> {
        self.tokens.user(request.metadata()).await?;
        let info = FlightInfo::decode(query.info)
            .map_err(|e| Status::invalid_argument(format!("invalid FlightInfo: {e}")))?;
        // arrow-flight does not export the `CancelResult` enum: 1 is CANCELLED, 3 NOT_CANCELLABLE.
        let result = if self.cancel(&info) { 1 } else { 3 };
        Ok(ActionCancelQueryResult { result })
    }

    async fn list_custom_actions(&self) -> Option<Vec<Result<ActionType, Status>>> {
        Some(vec![Ok(ActionType {
            r#type: CANCEL_FLIGHT_INFO.to_string(),
            description: "Cancel the running query of a FlightInfo".to_string(),
        })])
    }

    /// `CancelFlightInfo`: stops the running `DoGet` streams of the info's tickets.
    async fn do_action_fallback(
        &self,
        request: Request<Action>,
    ) -> Result<Response<<Self as FlightService>::DoActionStream>, Status> {
        let action = request.get_ref();
        if action.r#type != CANCEL_FLIGHT_INFO {
            return Err(Status::unimplemented(format!(
                "unknown action {}",
                action.r#type
            )));
        }
        self.tokens.user(request.metadata()).await?;
        let info = CancelFlightInfoRequest::decode(action.body.as_ref())
            .map_err(|e| Status::invalid_argument(format!("invalid CancelFlightInfoRequest: {e}")))?
            .info
            .ok_or_else(|| Status::invalid_argument("CancelFlightInfo needs the FlightInfo"))?;
        let status = if self.cancel(&info) {
            CancelStatus::Cancelled
        } else {
            CancelStatus::NotCancellable
        };
        let result = CancelFlightInfoResult {
            status: status as i32,
        };
        let body = arrow_flight::Result {
            body: result.encode_to_vec().into(),
        };
        Ok(Response::new(Box::pin(futures::stream::iter([Ok(body)]))))
    }

    async fn register_sql_info(&self, _id: i32, _result: &SqlInfo) {}
}
