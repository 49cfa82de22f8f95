//! Security end to end: logins with SCRAM on the Postgres wire and tokens on Flight SQL, roles and
//! privileges over both protocols, TLS, and the refusals that keep a server on a network safe.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use arrow_flight::sql::CommandGetTables;
use arrow_flight::sql::client::FlightSqlServiceClient;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::concat_batches;
use futures::TryStreamExt;
use hangar_server::{Cli, Command, RunningServer, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_postgres::{Client, NoTls};
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};

use crate::common::{server, sqlstate, text_rows};

/// The superuser's password in these tests.
const SUPER_PASSWORD: &str = "super-Secret-1";

/// A server with authentication on (superuser `hangar`), and its warehouse folder.
async fn secure_server(dir: &Path, extra: &[&str]) -> RunningServer {
    let file = dir.join("superuser-password");
    std::fs::write(&file, format!("{SUPER_PASSWORD}\n")).unwrap();
    let file = file.to_str().unwrap().to_string();
    let mut args = vec!["--superuser-password-file", file.as_str()];
    args.extend_from_slice(extra);
    let data = dir.join("warehouse");
    server(&data, &args).await
}

/// Connects with a password; the error when the server refuses.
async fn login(
    addr: SocketAddr,
    user: &str,
    password: &str,
) -> Result<Client, tokio_postgres::Error> {
    let conn = format!(
        "host={} port={} user={user} password={password} dbname=hangar",
        addr.ip(),
        addr.port()
    );
    let (client, connection) = tokio_postgres::connect(&conn, NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn superuser(server: &RunningServer) -> Client {
    login(server.pg_addr, "hangar", SUPER_PASSWORD)
        .await
        .expect("the superuser logs in")
}

/// Runs statements that must succeed.
async fn run(client: &Client, sql: &str) {
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The SQLSTATE a statement fails with.
async fn refused(client: &Client, sql: &str) -> String {
    match client.batch_execute(sql).await {
        Ok(()) => panic!("{sql} was not refused"),
        Err(e) => sqlstate(&e),
    }
}

/// The error message of a failed login.
fn message(error: &tokio_postgres::Error) -> String {
    error
        .as_db_error()
        .map(|e| e.message().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn scram_logins_let_in_exactly_who_should_be_let_in() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let admin = superuser(&s).await;
    run(
        &admin,
        "CREATE USER alice PASSWORD 'alice-pw'; CREATE ROLE readers PASSWORD 'readers-pw'",
    )
    .await;
    let alice = login(s.pg_addr, "alice", "alice-pw").await.unwrap();
    assert_eq!(
        text_rows(&alice, "SELECT session_user").await,
        vec![vec![Some("alice".to_string())]]
    );

    // A wrong password and an unknown user: the same code, the same message.
    let wrong = login(s.pg_addr, "alice", "nope").await.unwrap_err();
    let unknown = login(s.pg_addr, "mallory", "nope").await.unwrap_err();
    assert_eq!(
        (sqlstate(&wrong), sqlstate(&unknown)),
        ("28P01".into(), "28P01".into())
    );
    assert_eq!(
        message(&wrong).replace("alice", "U"),
        message(&unknown).replace("mallory", "U")
    );
    // A role without LOGIN, with the right password.
    let group = login(s.pg_addr, "readers", "readers-pw").await.unwrap_err();
    assert_eq!(sqlstate(&group), "28000");

    // Password changes and drops take effect at the next login.
    run(&admin, "ALTER ROLE alice PASSWORD 'new-pw'").await;
    assert_eq!(
        sqlstate(&login(s.pg_addr, "alice", "alice-pw").await.unwrap_err()),
        "28P01"
    );
    login(s.pg_addr, "alice", "new-pw").await.unwrap();
    run(&admin, "ALTER ROLE alice NOLOGIN").await;
    assert_eq!(
        sqlstate(&login(s.pg_addr, "alice", "new-pw").await.unwrap_err()),
        "28000"
    );
    run(&admin, "DROP ROLE alice").await;
    assert_eq!(
        sqlstate(&login(s.pg_addr, "alice", "new-pw").await.unwrap_err()),
        "28P01"
    );

    // A user may change its own password, and only that.
    run(&admin, "CREATE USER bob PASSWORD 'bob-pw'").await;
    let bob = login(s.pg_addr, "bob", "bob-pw").await.unwrap();
    run(&bob, "ALTER USER bob WITH PASSWORD 'bob-pw2'").await;
    assert_eq!(refused(&bob, "ALTER ROLE bob SUPERUSER").await, "42501");
    assert_eq!(
        refused(&bob, "ALTER ROLE hangar PASSWORD 'x'").await,
        "42501"
    );
    login(s.pg_addr, "bob", "bob-pw2").await.unwrap();
    drop(s);
}

#[tokio::test]
async fn failed_logins_from_one_address_are_throttled() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    for _ in 0..10 {
        let e = login(s.pg_addr, "hangar", "wrong").await.unwrap_err();
        assert_eq!(sqlstate(&e), "28P01");
    }
    // Even the right password waits now.
    let e = login(s.pg_addr, "hangar", SUPER_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&e), "28000");
    assert!(
        message(&e).contains("too many failed login attempts"),
        "{e}"
    );
}

#[tokio::test]
async fn roles_show_in_pg_catalog_without_their_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let admin = superuser(&s).await;
    run(
        &admin,
        "CREATE ROLE analysts; CREATE USER carol IN ROLE analysts PASSWORD 'carol-pw'; GRANT analysts TO hangar",
    )
    .await;
    let roles = text_rows(
        &admin,
        "SELECT rolname, rolsuper, rolcanlogin, rolpassword FROM pg_roles ORDER BY rolname",
    )
    .await;
    let row = |values: [&str; 4]| {
        values
            .iter()
            .map(|v| Some(v.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        roles,
        vec![
            vec![
                Some("analysts".into()),
                Some("f".into()),
                Some("f".into()),
                None
            ],
            row(["carol", "f", "t", "********"]),
            row(["hangar", "t", "t", "********"]),
        ]
    );
    assert_eq!(
        text_rows(&admin, "SELECT usename FROM pg_user ORDER BY 1").await,
        vec![vec![Some("carol".into())], vec![Some("hangar".into())]]
    );
    let members = text_rows(
        &admin,
        "SELECT g.rolname, m.rolname FROM pg_auth_members a JOIN pg_roles g ON a.roleid = g.oid JOIN pg_roles m ON a.member = m.oid ORDER BY 2",
    )
    .await;
    assert_eq!(
        members,
        vec![
            vec![Some("analysts".into()), Some("carol".into())],
            vec![Some("analysts".into()), Some("hangar".into())]
        ]
    );
    // psql's \du.
    let conninfo = format!(
        "host=127.0.0.1 port={} user=hangar dbname=hangar",
        s.pg_addr.port()
    );
    let (ok, out, err) = psql(&conninfo, SUPER_PASSWORD, "\\du").await;
    assert!(ok, "{err}");
    let carol = out
        .lines()
        .find(|l| l.starts_with("carol|"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(carol.ends_with("|{analysts}"), "{carol}");
    assert!(
        out.lines().any(|l| l.starts_with("hangar|Superuser")),
        "{out}"
    );
    // Names are checked: unknown roles, taken names, reserved names.
    assert_eq!(refused(&admin, "GRANT nobody TO carol").await, "42704");
    assert_eq!(refused(&admin, "CREATE ROLE carol").await, "42710");
    assert_eq!(refused(&admin, "CREATE ROLE public").await, "42939");
    assert_eq!(refused(&admin, "CREATE ROLE x CREATEDB").await, "42601");
    // A statement naming several roles applies to all of them or to none.
    assert_eq!(refused(&admin, "DROP ROLE carol, nobody").await, "42704");
    assert_eq!(
        text_rows(&admin, "SELECT 1 FROM pg_roles WHERE rolname = 'carol'")
            .await
            .len(),
        1
    );
    // What psql's \password asks before it hashes the new password.
    assert_eq!(
        text_rows(&admin, "SHOW password_encryption").await,
        vec![vec![Some("scram-sha-256".into())]]
    );
}

/// `alice` (a user) and table `public.t` that only the superuser may read so far.
async fn warehouse_with_alice(s: &RunningServer) -> (Client, Client) {
    let admin = superuser(s).await;
    run(
        &admin,
        "CREATE USER alice PASSWORD 'alice-pw'; CREATE TABLE t AS VALUES (1, 'one'), (2, 'two')",
    )
    .await;
    let alice = login(s.pg_addr, "alice", "alice-pw").await.unwrap();
    (admin, alice)
}

#[tokio::test]
async fn a_role_without_select_can_neither_read_nor_see_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let (admin, alice) = warehouse_with_alice(&s).await;
    let tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
    let classes = "SELECT relname FROM pg_class WHERE relname = 't'";
    assert_eq!(refused(&alice, "SELECT * FROM t").await, "42501");
    assert_eq!(
        refused(&alice, "SELECT count(*) FROM (SELECT 1 FROM t) x").await,
        "42501"
    );
    assert_eq!(
        refused(&alice, "SELECT 1 WHERE EXISTS (SELECT 1 FROM t)").await,
        "42501"
    );
    assert_eq!(text_rows(&alice, tables).await.len(), 0);
    assert_eq!(text_rows(&alice, classes).await.len(), 0);
    assert_eq!(text_rows(&admin, classes).await.len(), 1);

    // A grant takes effect for the session that is already connected, and so does a revoke.
    run(&admin, "GRANT SELECT ON TABLE t TO alice").await;
    assert_eq!(
        text_rows(&alice, "SELECT count(*) FROM t").await,
        vec![vec![Some("2".into())]]
    );
    assert_eq!(text_rows(&alice, tables).await.len(), 1);
    let prepared = alice.prepare("SELECT count(*) FROM t").await.unwrap();
    run(&admin, "REVOKE SELECT ON t FROM alice").await;
    assert_eq!(refused(&alice, "SELECT * FROM t").await, "42501");
    let e = alice.query(&prepared, &[]).await.unwrap_err();
    assert_eq!(
        sqlstate(&e),
        "42501",
        "a statement prepared before the revoke"
    );
    assert_eq!(text_rows(&alice, tables).await.len(), 0);

    // Through a group, for all tables of a schema, and by default for tables made later.
    run(
        &admin,
        "CREATE ROLE readers; GRANT readers TO alice; GRANT SELECT ON ALL TABLES IN SCHEMA public TO readers",
    )
    .await;
    assert_eq!(text_rows(&alice, "SELECT count(*) FROM t").await.len(), 1);
    assert_eq!(refused(&alice, "SELECT * FROM later").await, "42P01");
    run(
        &admin,
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO readers; CREATE TABLE later AS VALUES (3)",
    )
    .await;
    assert_eq!(text_rows(&alice, "SELECT * FROM later").await.len(), 1);
    // Writing needs INSERT, and an owner's grant.
    assert_eq!(
        refused(&alice, "INSERT INTO t VALUES (3, 'three')").await,
        "42501"
    );
    assert_eq!(refused(&alice, "GRANT INSERT ON t TO alice").await, "42501");
    run(&admin, "GRANT INSERT ON t TO alice").await;
    run(&alice, "INSERT INTO t VALUES (3, 'three')").await;
    assert_eq!(refused(&alice, "DROP TABLE t").await, "42501");
}

#[tokio::test]
async fn owners_own_what_they_create_and_views_refresh_with_their_owners_rights() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let (admin, alice) = warehouse_with_alice(&s).await;
    run(&admin, "CREATE USER bob PASSWORD 'bob-pw'").await;
    let bob = login(s.pg_addr, "bob", "bob-pw").await.unwrap();
    // Creating in a schema needs CREATE on it.
    assert_eq!(
        refused(&alice, "CREATE TABLE mine AS VALUES (1)").await,
        "42501"
    );
    run(&admin, "CREATE SCHEMA work; GRANT USAGE, CREATE ON SCHEMA work TO alice, bob; GRANT SELECT ON t TO alice").await;
    run(
        &alice,
        "CREATE TABLE work.mine AS VALUES (1); CREATE MATERIALIZED VIEW work.v AS SELECT count(*) AS n FROM public.t",
    )
    .await;
    // Bob may use the schema but not read alice's objects, nor refresh or drop her view.
    assert_eq!(refused(&bob, "SELECT * FROM work.mine").await, "42501");
    assert_eq!(refused(&bob, "SELECT * FROM work.v").await, "42501");
    assert_eq!(
        refused(&bob, "REFRESH MATERIALIZED VIEW work.v").await,
        "42501"
    );
    assert_eq!(
        refused(&bob, "DROP MATERIALIZED VIEW work.v").await,
        "42501"
    );
    let views = "SELECT matviewname, matviewowner FROM pg_matviews";
    assert!(text_rows(&bob, views).await.is_empty());
    // The owner grants.
    run(&alice, "GRANT SELECT ON work.v TO bob").await;
    assert_eq!(
        text_rows(&bob, views).await,
        vec![vec![Some("v".into()), Some("alice".into())]]
    );
    assert_eq!(
        text_rows(&bob, "SELECT n FROM work.v").await,
        vec![vec![Some("2".into())]]
    );
    // A refresh runs with its owner's rights, whoever asks for it.
    run(&admin, "REVOKE SELECT ON t FROM alice").await;
    assert_eq!(
        refused(&admin, "REFRESH MATERIALIZED VIEW work.v").await,
        "42501"
    );
    run(&admin, "GRANT SELECT ON t TO alice").await;
    run(&alice, "REFRESH MATERIALIZED VIEW work.v").await;
    // An owner cannot be dropped while it owns things.
    assert_eq!(refused(&admin, "DROP ROLE alice").await, "2BP01");
    run(
        &alice,
        "DROP MATERIALIZED VIEW work.v; DROP TABLE work.mine",
    )
    .await;
    run(&admin, "DROP ROLE alice").await;
}

#[tokio::test]
async fn what_touches_the_server_as_a_whole_is_for_superusers() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let (admin, alice) = warehouse_with_alice(&s).await;
    let location = dir.path().join("warehouse").join("ext");
    for sql in [
        format!(
            "CREATE EXTERNAL TABLE e STORED AS PARQUET LOCATION '{}'",
            location.display()
        ),
        "SET datafusion.runtime.memory_limit = '1G'".to_string(),
        "SELECT set_config('datafusion.execution.sort_spill_reservation_bytes', '1', false)"
            .to_string(),
        "CREATE ROLE eve".to_string(),
        "DROP ROLE hangar".to_string(),
        "GRANT hangar TO alice".to_string(),
        format!("COPY (SELECT 1) TO '{}/out.parquet'", location.display()),
        "CREATE SCHEMA mine".to_string(),
    ] {
        assert_eq!(refused(&alice, &sql).await, "42501", "{sql}");
    }
    // SET ROLE needs membership; a superuser may take any role.
    assert_eq!(refused(&alice, "SET ROLE hangar").await, "42501");
    run(&admin, "SET ROLE alice").await;
    assert_eq!(
        text_rows(&admin, "SELECT current_user, session_user, user").await,
        vec![vec![
            Some("alice".into()),
            Some("hangar".into()),
            Some("alice".into())
        ]]
    );
    assert_eq!(refused(&admin, "SELECT * FROM t").await, "42501");
    run(&admin, "RESET ROLE").await;
    run(&admin, "SELECT * FROM t").await;
    // Session settings stay everyone's.
    run(
        &alice,
        "SET datafusion.execution.batch_size = 1024; SET TIME ZONE 'UTC'",
    )
    .await;
}

#[tokio::test]
async fn a_network_address_without_a_password_is_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let Command::Serve(config) = Cli::load_from([
        "hangar",
        "serve",
        "--pg-listen",
        "0.0.0.0:0",
        "--flight-listen",
        "127.0.0.1:0",
        "--data-dir",
        data,
    ])
    .unwrap()
    .command;
    let error = start(config).await.unwrap_err().to_string();
    assert!(
        error.contains("0.0.0.0:0 without authentication"),
        "{error}"
    );
    assert!(error.contains("HANGAR_SUPERUSER_PASSWORD"), "{error}");
}

async fn flight_client(addr: SocketAddr) -> FlightSqlServiceClient<Channel> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    FlightSqlServiceClient::new(channel)
}

/// The names of the tables `GetTables` lists.
async fn flight_tables(client: &mut FlightSqlServiceClient<Channel>) -> Vec<String> {
    let info = client
        .get_tables(CommandGetTables {
            db_schema_filter_pattern: Some("public".into()),
            ..CommandGetTables::default()
        })
        .await
        .unwrap();
    let mut names = Vec::new();
    for endpoint in info.endpoint {
        let batches: Vec<_> = client
            .do_get(endpoint.ticket.unwrap())
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        for batch in batches {
            let column = batch.column(batch.schema().index_of("table_name").unwrap());
            names.extend(
                column
                    .as_string::<i32>()
                    .iter()
                    .flatten()
                    .map(str::to_string),
            );
        }
    }
    names
}

fn code<T: std::fmt::Debug>(result: Result<T, arrow_flight::error::FlightError>) -> Code {
    match result {
        Err(arrow_flight::error::FlightError::Tonic(status)) => status.code(),
        other => panic!("expected a gRPC status, got {other:?}"),
    }
}

/// Asserts that a handshake was refused as unauthenticated (the client reports a handshake's
/// status inside an Arrow error).
fn unauthenticated_handshake<T: std::fmt::Debug>(
    result: Result<T, arrow_flight::error::FlightError>,
) {
    let error = format!("{:?}", result.unwrap_err());
    let expected = Code::Unauthenticated.description();
    assert!(error.contains(expected), "{error}");
}

#[tokio::test]
async fn flight_sql_checks_passwords_tokens_and_privileges() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &["--flight-token-ttl", "2s"]).await;
    let (admin, _alice) = warehouse_with_alice(&s).await;
    let mut anonymous = flight_client(s.flight_addr).await;
    assert_eq!(
        code(anonymous.execute("SELECT 1".into(), None).await),
        Code::Unauthenticated
    );
    unauthenticated_handshake(anonymous.handshake("alice", "wrong").await);
    unauthenticated_handshake(anonymous.handshake("nobody", "wrong").await);

    let mut alice = flight_client(s.flight_addr).await;
    alice.handshake("alice", "alice-pw").await.unwrap();
    assert_eq!(
        code(alice.execute("SELECT * FROM t".into(), None).await),
        Code::PermissionDenied
    );
    assert!(!flight_tables(&mut alice).await.contains(&"t".to_string()));
    run(&admin, "GRANT SELECT ON t TO alice").await;
    assert!(flight_tables(&mut alice).await.contains(&"t".to_string()));
    let info = alice
        .execute("SELECT count(*) FROM t".into(), None)
        .await
        .unwrap();
    let ticket = info.endpoint[0].ticket.clone().unwrap();
    let batches: Vec<_> = alice
        .do_get(ticket)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let batch = concat_batches(&batches[0].schema(), &batches).unwrap();
    assert_eq!(batch.num_rows(), 1);

    // A forged token, and one whose signature does not match its user.
    let mut forged = flight_client(s.flight_addr).await;
    forged.set_token("v1.YWxpY2U.9999999999.AAAA.AAAA".into());
    assert_eq!(
        code(forged.execute("SELECT 1".into(), None).await),
        Code::Unauthenticated
    );
    let token = alice.token().unwrap().clone();
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[1] = "aGFuZ2Fy"; // "hangar"
    forged.set_token(parts.join("."));
    assert_eq!(
        code(forged.execute("SELECT 1".into(), None).await),
        Code::Unauthenticated
    );

    // A token from one server works on another over the same warehouse.
    let warehouse = dir.path().join("warehouse");
    let replica = crate::common::server(
        &warehouse,
        &[
            "--superuser-password-file",
            dir.path().join("superuser-password").to_str().unwrap(),
        ],
    )
    .await;
    let mut elsewhere = flight_client(replica.flight_addr).await;
    elsewhere.set_token(token.clone());
    elsewhere
        .execute("SELECT count(*) FROM t".into(), None)
        .await
        .unwrap();

    // A password change voids it, as does expiry.
    run(&admin, "ALTER ROLE alice PASSWORD 'changed'").await;
    assert_eq!(
        code(elsewhere.execute("SELECT 1".into(), None).await),
        Code::Unauthenticated
    );
    let mut fresh = flight_client(s.flight_addr).await;
    fresh.handshake("alice", "changed").await.unwrap();
    fresh.execute("SELECT 1".into(), None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        code(fresh.execute("SELECT 1".into(), None).await),
        Code::Unauthenticated
    );
    replica.shutdown().await.unwrap();
}

/// A CA and a server certificate for `127.0.0.1` and `localhost` it signed, made with openssl:
/// (CA certificate, server certificate, server key).
pub(crate) fn tls_files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let path = |name: &str| dir.join(name);
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Hangar test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        path("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    (path("ca.pem"), path("server.pem"), path("server.key"))
}

/// Runs psql with a connection string; its exit status, output and error output.
async fn psql(conninfo: &str, password: &str, sql: &str) -> (bool, String, String) {
    let out = tokio::process::Command::new("psql")
        .args([conninfo, "-X", "-At", "-c", sql])
        .env("PGPASSWORD", password)
        .output()
        .await
        .expect("psql runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn tls_on_both_listeners_with_a_ca_the_clients_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = tls_files(dir.path());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let s = secure_server(
        dir.path(),
        &["--tls-cert", cert, "--tls-key", key, "--tls-required"],
    )
    .await;
    let base = format!(
        "host=localhost port={} user=hangar dbname=hangar sslrootcert={}",
        s.pg_addr.port(),
        ca.display()
    );
    let (ok, out, err) = psql(
        &format!("{base} sslmode=verify-full"),
        SUPER_PASSWORD,
        "SELECT 'over tls'",
    )
    .await;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "over tls");
    let (ok, _, err) = psql(
        &format!("{base} sslmode=disable"),
        SUPER_PASSWORD,
        "SELECT 1",
    )
    .await;
    assert!(!ok);
    assert!(err.contains("only TLS connections"), "{err}");

    // Flight SQL over TLS, the CA verified by the client.
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(std::fs::read(&ca).unwrap()))
        .domain_name("localhost");
    let channel = tonic::transport::Endpoint::from_shared(format!(
        "https://localhost:{}",
        s.flight_addr.port()
    ))
    .unwrap()
    .tls_config(tls)
    .unwrap()
    .connect()
    .await
    .unwrap();
    let mut client = FlightSqlServiceClient::new(channel);
    client.handshake("hangar", SUPER_PASSWORD).await.unwrap();
    client.execute("SELECT 1".into(), None).await.unwrap();
    // A plaintext gRPC client gets nowhere.
    let mut plain = flight_client(s.flight_addr).await;
    assert!(plain.handshake("hangar", SUPER_PASSWORD).await.is_err());
    drop(s);

    // Cleartext passwords, when asked for, only over TLS.
    let other = tempfile::tempdir().unwrap();
    let s = secure_server(
        other.path(),
        &[
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--pg-auth",
            "password",
        ],
    )
    .await;
    let e = login(s.pg_addr, "hangar", SUPER_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&e), "28000", "{e}");
    let conninfo = format!(
        "host=localhost port={} user=hangar dbname=hangar sslmode=verify-full sslrootcert={}",
        s.pg_addr.port(),
        ca.display()
    );
    let (ok, out, err) = psql(&conninfo, SUPER_PASSWORD, "SELECT current_user").await;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "hangar");
    let (ok, _, err) = psql(&conninfo, "wrong", "SELECT 1").await;
    assert!(
        !ok && err.contains("password authentication failed"),
        "{err}"
    );
}

/// Sends raw bytes to the Postgres listener and reads what comes back until it closes (or 5 s):
/// the reply, and whether the server closed the connection.
async fn raw_exchange(addr: SocketAddr, messages: &[Vec<u8>]) -> (Vec<u8>, bool) {
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut reply = Vec::new();
    for message in messages {
        if socket.write_all(message).await.is_err() {
            break;
        }
        let mut buf = vec![0u8; 4096];
        match tokio::time::timeout(std::time::Duration::from_millis(500), socket.read(&mut buf))
            .await
        {
            Ok(Ok(n)) => reply.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        socket.read_to_end(&mut reply),
    )
    .await
    .is_ok();
    (reply, closed)
}

fn startup(user: &[u8]) -> Vec<u8> {
    let mut body = vec![0, 3, 0, 0];
    for part in [&b"user"[..], user, b"database", b"hangar"] {
        body.extend_from_slice(part);
        body.push(0);
    }
    body.push(0);
    let mut message = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    message.extend(body);
    message
}

/// A password-family message (`p`) with `body`.
fn password_message(body: &[u8]) -> Vec<u8> {
    let mut message = vec![b'p'];
    message.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    message.extend_from_slice(body);
    message
}

/// A SASLInitialResponse for SCRAM-SHA-256 with `data`.
fn sasl_initial(data: &[u8]) -> Vec<u8> {
    let mut body = b"SCRAM-SHA-256\0".to_vec();
    body.extend_from_slice(&(data.len() as u32).to_be_bytes());
    body.extend_from_slice(data);
    password_message(&body)
}

#[tokio::test]
async fn bad_handshakes_get_clean_errors_and_others_keep_being_served() {
    let dir = tempfile::tempdir().unwrap();
    let s = secure_server(dir.path(), &[]).await;
    let error_code = |reply: &[u8]| -> Option<String> {
        let at = reply.iter().position(|&b| b == b'E')?;
        let text = String::from_utf8_lossy(&reply[at..]).into_owned();
        text.split('\0')
            .find_map(|f| f.strip_prefix('C').map(str::to_string))
    };
    // Malformed SCRAM: a bad first message, a final message before the first.
    for (name, messages) in [
        (
            "garbage first message",
            vec![startup(b"hangar"), sasl_initial(b"garbage")],
        ),
        (
            "channel binding not offered",
            vec![
                startup(b"hangar"),
                sasl_initial(b"p=tls-server-end-point,,n=,r=abc"),
            ],
        ),
        (
            "unknown mechanism",
            vec![startup(b"hangar"), password_message(b"MD5\0\0\0\0\0")],
        ),
    ] {
        let (reply, closed) = raw_exchange(s.pg_addr, &messages).await;
        assert_eq!(
            error_code(&reply).as_deref(),
            Some("08P01"),
            "{name}: {reply:?}"
        );
        assert!(closed, "{name}: the server closes the connection");
    }
    // A 10 MB SASL message: an error or a closed connection.
    let huge = vec![startup(b"hangar"), sasl_initial(&vec![b'n'; 10 << 20])];
    let (reply, closed) = raw_exchange(s.pg_addr, &huge).await;
    let code = error_code(&reply);
    assert!(closed || code.as_deref() == Some("08P01"), "{reply:?}");
    // A user name that is not UTF-8 is asked for its password like any unknown user.
    let (reply, _) = raw_exchange(s.pg_addr, &[startup(b"\xff\xfe")]).await;
    assert!(
        reply.first() == Some(&b'R') || error_code(&reply).is_some(),
        "{reply:?}"
    );
    // A client that stops mid-handshake, and a TLS hello on a plaintext server.
    let _ = raw_exchange(s.pg_addr, &[startup(b"hangar")]).await;
    let hello = [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00];
    let _ = raw_exchange(s.pg_addr, &[hello.to_vec()]).await;
    // A 10 MB password over Flight: refused as a wrong one.
    let mut flight = flight_client(s.flight_addr).await;
    let long = "x".repeat(10 << 20);
    assert!(flight.handshake("hangar", &long).await.is_err());
    // The server still serves.
    let admin = superuser(&s).await;
    assert_eq!(text_rows(&admin, "SELECT 1").await.len(), 1);
}

#[tokio::test]
async fn without_a_password_any_name_is_accepted_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(dir.path(), &[]).await;
    let anyone = crate::common::connect_as(&s, "whoever").await;
    run(
        &anyone,
        "CREATE TABLE t AS VALUES (1); CREATE ROLE r; SELECT * FROM t",
    )
    .await;
}
