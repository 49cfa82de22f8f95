"""Logins, TLS and privileges through real clients: psycopg (SCRAM, libpq's require_auth,
verify-full), pgjdbc and node-postgres (SCRAM over TLS), ADBC Flight SQL over TLS with a user and
password. At the end, the server's whole log (at debug level) is searched for every password
and stored verifier the run used: none may appear."""

import json
import os
import re
import subprocess
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import psycopg
import pytest

from conftest import REPO, hangar_binary

SUPERUSER_PASSWORD = "Super-Secret-pw-4711"
ANALYST_PASSWORD = "analyst-Secret-pw-0815"
PGJDBC = Path("/usr/share/java/postgresql.jar")


def make_tls(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate it signed for localhost and 127.0.0.1: (CA, certificate, key)."""

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Hangar test CA",
            "-keyout", "ca.key", "-out", "ca.pem")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
            "-out", "server.csr")
    (directory / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem")
    return directory / "ca.pem", directory / "server.pem", directory / "server.key"


@pytest.fixture(scope="module")
def secure(tmp_path_factory):
    """A server with a superuser password and TLS on both listeners, logging at debug level."""
    directory = tmp_path_factory.mktemp("secure")
    ca, cert, key = make_tls(directory)
    password_file = directory / "superuser-password"
    password_file.write_text(SUPERUSER_PASSWORD + "\n")
    log_path = directory / "server.log"
    warehouse = directory / "warehouse"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [str(hangar_binary()), "serve", "--data-dir", str(warehouse), "--pg-listen", "127.0.0.1:0",
             "--flight-listen", "127.0.0.1:0", "--superuser-password-file", str(password_file),
             "--tls-cert", str(cert), "--tls-key", str(key), "--log-level", "debug", "--shutdown-grace", "100ms"],
            stdout=subprocess.PIPE, stderr=log, text=True,
        )
        ready = proc.stdout.readline()
        match = re.search(r"-p (\d+) .*grpc\+tls://[\d.]+:(\d+)", ready)
        assert match, f"hangar did not start: {ready!r}"
        server = {"pg_port": int(match.group(1)), "flight_port": int(match.group(2)), "ca": ca}
        admin = psycopg.connect(**dsn(server, "hangar", SUPERUSER_PASSWORD), autocommit=True)
        admin.execute(f"CREATE USER analyst PASSWORD '{ANALYST_PASSWORD}'")
        admin.execute("CREATE TABLE secrets AS VALUES (1, 'classified')")
        admin.execute("CREATE TABLE shared AS VALUES (1, 'public knowledge')")
        admin.execute("GRANT SELECT ON shared TO analyst")
        admin.close()
        try:
            yield server
        finally:
            proc.terminate()
            assert proc.wait(timeout=30) == 0, "hangar did not stop cleanly on SIGTERM"
    # What must never be logged: the passwords, and the verifiers the catalog stores.
    secrets = [SUPERUSER_PASSWORD, ANALYST_PASSWORD]
    for manifest in (warehouse / "_catalog").glob("*.json"):
        for role in json.loads(manifest.read_text()).get("roles", {}).values():
            if role.get("password"):
                secrets.append(role["password"])
    text = re.sub(r"\x1b\[[0-9;]*m", "", log_path.read_text())
    assert "hangar::audit" in text, "the audit events are in the log"
    for protocol in ("postgres", "flight"):
        assert re.search(rf'event="statement" protocol="{protocol}" client="127\.0\.0\.1:\d+" user="analyst"', text), \
            f"a {protocol} statement's audit event names its client"
    for secret in secrets:
        assert secret not in text, f"a password or verifier appears in the server log: {secret[:12]}…"


def dsn(server, user, password, **extra):
    return {
        "host": "localhost", "port": server["pg_port"], "user": user, "password": password, "dbname": "hangar",
        "sslmode": "verify-full", "sslrootcert": str(server["ca"]), **extra,
    }


def test_psycopg_scram_over_verified_tls(secure):
    # libpq 16 and newer can insist on SCRAM: a server that asked for a cleartext password fails.
    options = {"require_auth": "scram-sha-256"} if psycopg.pq.version() >= 160000 else {}
    with psycopg.connect(**dsn(secure, "analyst", ANALYST_PASSWORD, **options)) as conn:
        assert conn.pgconn.ssl_in_use
        assert conn.execute("SELECT current_user").fetchone() == ("analyst",)
        assert conn.execute("SELECT count(*) FROM shared").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM secrets")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**dsn(secure, "analyst", "wrong"))


def test_pgjdbc_scram_over_tls(secure):
    if not PGJDBC.exists():
        pytest.fail("pgjdbc is not installed: Debian's libpostgresql-jdbc-java (.ci/run installs it)")
    result = subprocess.run(
        ["java", "-cp", str(PGJDBC), str(REPO / "tests" / "java" / "PgJdbcLogin.java"), str(secure["pg_port"]),
         str(secure["ca"]), ANALYST_PASSWORD],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "login checks passed" in result.stdout


def test_node_postgres_scram_over_tls(secure):
    node = REPO / "tests" / "node"
    env = {**os.environ, "PGHOST": "localhost", "PGPORT": str(secure["pg_port"]), "PGUSER": "analyst",
           "PGPASSWORD": ANALYST_PASSWORD, "HANGAR_CA": str(secure["ca"])}
    result = subprocess.run(["node", "--test", "login.test.mjs"], cwd=node, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def flight_connect(secure, user, password):
    return flight_sql.connect(
        f"grpc+tls://localhost:{secure['flight_port']}",
        db_kwargs={
            "username": user,
            "password": password,
            "adbc.flight.sql.client_option.tls_root_certs": secure["ca"].read_text(),
        },
    )


def test_adbc_over_tls_with_a_user_and_password(secure):
    with flight_connect(secure, "analyst", ANALYST_PASSWORD) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) AS n FROM shared")
            assert cur.fetchone()[0] == 1
            with pytest.raises(Exception, match="SQLSTATE 42501"):
                cur.execute("SELECT * FROM secrets")
        objects = conn.adbc_get_objects(depth="tables", catalog_filter="hangar").read_all().to_pylist()
        schemas = {s["db_schema_name"]: s for s in objects[0]["catalog_db_schemas"]}
        tables = {t["table_name"] for t in schemas["public"]["db_schema_tables"] or []}
        assert "shared" in tables and "secrets" not in tables
    with pytest.raises(Exception, match="(?i)unauthenticated|authentication failed"):
        with flight_connect(secure, "analyst", "wrong") as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
