"""Security: what authentication and TLS cost on the common path.

Connection set-up: libpq (psycopg) opens and closes connections one after another with
SCRAM-SHA-256, without and with TLS, against Hangar and against PostgreSQL 15 on the same machine,
in interleaved rounds. The dashboard mix of the concurrency benchmark then runs against two Hangar
servers over the same warehouse, one without authentication and one with SCRAM and every client
on TLS, interleaved, so the throughput ratio shows what logins and encryption cost once
connections are open."""

import asyncio
import os
import shutil
import ssl
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from . import concurrency, postgres, report
from .server import Hangar
from .server import start as start_hangar
from .timing import percentile

PASSWORD = "bench-Secret-pw-1"


def make_tls(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate it signed for 127.0.0.1 and localhost: (CA, certificate, key)."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bench CA",
            "-keyout", "ca.key", "-out", "ca.pem")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
            "-out", "server.csr")
    (directory / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem")
    return directory / "ca.pem", directory / "server.pem", directory / "server.key"


def _postgres_with_scram(cluster: postgres.Postgres, cert: Path, key: Path) -> None:
    """Gives `postgres` a SCRAM password, requires SCRAM on TCP and turns TLS on."""
    for name, source in (("server.pem", cert), ("server.key", key)):
        target = cluster.folder / name
        shutil.copy(source, target)
        os.chmod(target, 0o600)
        if os.geteuid() == 0:
            shutil.chown(target, "postgres", "postgres")
    commands = [
        f"ALTER ROLE postgres PASSWORD '{PASSWORD}'",
        "ALTER SYSTEM SET ssl = on",
        f"ALTER SYSTEM SET ssl_cert_file = '{cluster.folder / 'server.pem'}'",
        f"ALTER SYSTEM SET ssl_key_file = '{cluster.folder / 'server.key'}'",
    ]
    for command in commands:
        subprocess.run(cluster.psql() + ["-c", command], check=True, capture_output=True)
    hba = cluster.folder / "data" / "pg_hba.conf"
    hba.write_text(f"local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
    subprocess.run(cluster.psql() + ["-c", "SELECT pg_reload_conf()"], check=True, capture_output=True)


def _connect_times(dsn: str, count: int) -> list[float]:
    """Seconds per connection: open (startup, SCRAM, TLS), one round trip, close."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with psycopg.connect(dsn) as conn:
            conn.execute("SELECT 1")
        times.append(time.perf_counter() - start)
    return times


def run(binary: Path, warehouse: Path, scale: float, rounds: int, clients: list[int], warmup: float,
        duration: float, context: report.Run) -> str:
    """Runs both measurements; writes docs/benchmarks/security.md."""
    folder = Path(tempfile.mkdtemp(prefix="hangar-bench-security-"))
    ca, cert, key = make_tls(folder)
    (folder / "password").write_text(PASSWORD + "\n")
    plain = start_hangar(binary, warehouse, scale)
    secure = start_hangar(binary, warehouse, scale, extra=[
        "--superuser-password-file", str(folder / "password"), "--tls-cert", str(cert), "--tls-key", str(key),
    ])
    cluster = postgres.start()
    try:
        pg_version = cluster.version()
        _postgres_with_scram(cluster, cert, key)
        base = {
            "hangar": f"host=127.0.0.1 port={secure.pg_port} user=hangar dbname=hangar password={PASSWORD}",
            "postgres": f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres password={PASSWORD}",
        }
        modes = {"SCRAM": "sslmode=disable", "SCRAM + TLS": f"sslmode=verify-ca sslrootcert={ca}"}
        targets = {(server, mode): f"{dsn} {option}" for server, dsn in base.items() for mode, option in modes.items()}
        times = {target: [] for target in targets}
        for _ in range(rounds):
            for target, dsn in targets.items():
                times[target] += _connect_times(dsn, 20)
        connection_table = _connection_table(times)
        print(connection_table, flush=True)

        mix = concurrency._mix(scale)
        with psycopg.connect(plain.pg_dsn, autocommit=True) as conn:
            conn.execute(f"DROP MATERIALIZED VIEW IF EXISTS {concurrency.VIEW}")
            conn.execute(concurrency.CREATE_VIEW)
        time.sleep(2)  # the secure server sees the view at its next catalog refresh
        dsns = {
            "off": f"postgresql://hangar@127.0.0.1:{plain.pg_port}/hangar",
            "SCRAM + TLS": f"postgresql://hangar:{PASSWORD}@127.0.0.1:{secure.pg_port}/hangar",
        }
        tls = ssl.create_default_context(cafile=str(ca))
        tls.check_hostname = False
        throughput = {name: {count: [] for count in clients} for name in dsns}
        for _ in range(2):
            for count in clients:
                for name, dsn in dsns.items():
                    level = asyncio.run(concurrency._level(
                        dsn, mix, count, warmup, duration, ssl=tls if name != "off" else None
                    ))
                    throughput[name][count].append(level.throughput)
                    print(f"  {name:>12}, {count:>3} clients: {level.throughput:7.1f} queries/s", flush=True)
        mix_table = _mix_table(throughput, clients)
        print(mix_table, flush=True)
    finally:
        cluster.stop()
        plain.stop()
        secure.stop()
        shutil.rmtree(folder)
    method = (
        f"Connection set-up: {rounds} rounds; in each, psycopg (libpq {psycopg.pq.version()}) opens, "
        "runs `SELECT 1` on, and closes 20 connections one after another to each of four targets in "
        f"turn: Hangar and PostgreSQL {pg_version} on this machine, each with SCRAM-SHA-256 "
        "(4096 iterations, the default of both) without TLS and with TLS (`sslmode=verify-ca`, the same RSA 2048 "
        "certificate). Dashboard mix: the concurrency benchmark's mix (docs/benchmarks/concurrency.md) "
        f"against two Hangar servers over one warehouse, authentication off and SCRAM + TLS "
        f"(each asyncpg client on TLS), for {warmup:g} s of warm-up and {duration:g} s measured per client "
        "count, twice in alternation; asyncpg clients."
    )
    body = f"## Connection set-up\n\n{connection_table}\n\n## Dashboard mix\n\n{mix_table}\n"
    path = report.write("security", "Authentication and TLS", context, method, body)
    return f"Report: {path}"


def _connection_table(times: dict[tuple[str, str], list[float]]) -> str:
    rows = []
    for mode in ("SCRAM", "SCRAM + TLS"):
        hangar, pg = times[("hangar", mode)], times[("postgres", mode)]
        rows.append([
            mode,
            f"{statistics.median(hangar) * 1000:.2f}", f"{percentile(hangar, 90) * 1000:.2f}",
            f"{statistics.median(pg) * 1000:.2f}", f"{percentile(pg, 90) * 1000:.2f}",
            report.ratio(statistics.median(hangar), statistics.median(pg)),
        ])
    return report.table(
        ["login", "Hangar median (ms)", "Hangar p90 (ms)", "PostgreSQL median (ms)", "PostgreSQL p90 (ms)",
         "Hangar ÷ PostgreSQL (median)"],
        rows,
    )


def _mix_table(throughput: dict[str, dict[int, list[float]]], clients: list[int]) -> str:
    rows = []
    for count in clients:
        off, on = statistics.median(throughput["off"][count]), statistics.median(throughput["SCRAM + TLS"][count])
        rows.append([str(count), f"{off:.1f}", f"{on:.1f}", f"{on / off:.2f}×"])
    return report.table(["clients", "auth off (queries/s)", "SCRAM + TLS (queries/s)", "with ÷ without"], rows)
