"""Concurrency: 1 to 128 Postgres-wire clients running a dashboard's queries for a fixed time each.

The mix is small aggregates on a materialized view of daily `lineitem` totals (what a dashboard
reads), key lookups on `lineitem`, and scans of one ship date of `lineitem`, with random parameters
bound through prepared statements. Each client is an asyncpg connection in one asyncio loop (little
client overhead); it sends its next query as soon as the last one is answered.

Each client count first runs for a warm-up: every client sends its first query at the same instant,
a burst no server clears at once. Latencies are then measured for a fixed time. We report
throughput and latency percentiles per kind of query, and the small queries' p99 during the
warm-up, so the start burst is shown rather than hidden."""

import asyncio
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg
import psycopg

from . import report
from .server import Hangar
from .timing import percentile

VIEW = "bench_daily_shipments"
CREATE_VIEW = f"""
CREATE MATERIALIZED VIEW {VIEW} WITH (sort_by = 'day') AS
SELECT l_shipdate AS day, l_shipmode AS ship_mode, l_returnflag AS return_flag,
       count(*) AS lines, sum(l_quantity) AS quantity, sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM lineitem
GROUP BY l_shipdate, l_shipmode, l_returnflag"""
FIRST_DAY = datetime.date(1992, 1, 2)
DAYS = 2526  # TPC-H ship dates run from 1992-01-02 to 1998-12-01


KINDS = {"view": "view aggregates", "key": "key lookups", "scan": "one-date scans"}
"""The kinds of query in the mix, with their names in the report."""
SMALL = ("view", "key")
"""The small dashboard queries: those the latency goal is about. A scan of one ship date reads 50 MB
of Parquet at SF 1 and runs on the bulk lane (engine/src/lanes.rs)."""


@dataclass
class Query:
    """One dashboard query: its kind (a key of `KINDS`), its SQL, and how to draw its parameters."""

    kind: str
    sql: str
    parameters: Callable[[random.Random], tuple]


def _days(length: int) -> Callable[[random.Random], tuple]:
    def window(rng: random.Random) -> tuple:
        start = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS - length))
        return start, start + datetime.timedelta(days=length)

    return window


def _mix(scale: float) -> list[Query]:
    orders = int(6_000_000 * scale)  # order keys are sparse: a quarter of them exist
    return [
        Query("view", f"SELECT ship_mode, sum(revenue) AS revenue FROM {VIEW} WHERE day >= $1 AND day < $2 "
                      "GROUP BY ship_mode ORDER BY revenue DESC", _days(30)),
        Query("view", f"SELECT day, sum(revenue) AS revenue FROM {VIEW} WHERE day >= $1 AND day < $2 "
                      "GROUP BY day ORDER BY day", _days(91)),
        Query("view", f"SELECT return_flag, sum(lines) AS lines, sum(quantity) AS quantity FROM {VIEW} "
                      "WHERE day >= $1 AND day < $2 GROUP BY return_flag ORDER BY return_flag", _days(365)),
        Query("key", "SELECT l_linenumber, l_partkey, l_quantity, l_extendedprice, l_shipdate FROM lineitem "
                     "WHERE l_orderkey = $1 ORDER BY l_linenumber", lambda rng: (rng.randrange(1, orders),)),
        Query("scan", "SELECT count(*) AS lines, sum(l_extendedprice) AS price FROM lineitem "
                      "WHERE l_shipdate = $1", lambda rng: _days(1)(rng)[:1]),
    ]


@dataclass
class Level:
    """What `clients` clients achieved together in `elapsed` seconds."""

    clients: int
    elapsed: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    """Seconds per query sent after the warm-up, by kind."""
    warmup: list[float] = field(default_factory=list)
    """Seconds per small query sent during the warm-up."""
    errors: list[str] = field(default_factory=list)

    def small(self) -> list[float]:
        return [latency for kind in SMALL for latency in self.latencies[kind]]

    @property
    def throughput(self) -> float:
        return sum(map(len, self.latencies.values())) / self.elapsed


def run(hangar: Hangar, clients: list[int], warmup: float, duration: float, context: report.Run) -> str:
    """Creates the view, then runs each client count for `warmup` seconds and measures it for
    `duration` more; writes concurrency.md."""
    with psycopg.connect(hangar.pg_dsn, autocommit=True) as conn:
        conn.execute(f"DROP MATERIALIZED VIEW IF EXISTS {VIEW}")
        conn.execute(CREATE_VIEW)
        view_rows = conn.execute(f"SELECT count(*) FROM {VIEW}").fetchone()[0]
    mix = _mix(context.scale)
    dsn = f"postgresql://hangar@127.0.0.1:{hangar.pg_port}/hangar"
    levels = []
    for count in clients:
        levels.append(asyncio.run(_level(dsn, mix, count, warmup, duration)))
        print(f"  {count:>3} clients: {levels[-1].throughput:7.1f} queries/s, "
              f"small queries p99 {percentile(levels[-1].small(), 99) * 1000:.1f} ms", flush=True)
    method = (
        f"Each client count runs for a warm-up of {warmup:g} s, then is measured for {duration:g} s. "
        "The mix, taken in turn by each client from a random start: three aggregates over the "
        f"materialized view `{VIEW}` ({view_rows:,} rows of daily `lineitem` totals by ship mode and "
        "return flag, sorted by day) for a random month, quarter and year; the lines of one random "
        "order of `lineitem` (a key lookup); count and sum of one random ship date of `lineitem` (a "
        "scan). The small queries are the view aggregates and key lookups. In the warm-up every "
        "client sends its first query at the same instant; the last column gives the small "
        "queries' p99 in it. Clients: asyncpg connections in one asyncio loop on the same machine, "
        "prepared statements with bound parameters. Hangar has no result cache."
    )
    path = report.write("concurrency", "Concurrent dashboard clients", context, method, _report(levels))
    return f"Report: {path}"


async def _level(dsn: str, mix: list[Query], clients: int, warmup: float, duration: float,
                 ssl=None) -> Level:
    connections = await asyncio.gather(*(asyncpg.connect(dsn, ssl=ssl) for _ in range(clients)))
    try:
        for query in mix:  # a check that every query runs
            await connections[0].fetch(query.sql, *query.parameters(random.Random(0)))
        measured = time.perf_counter() + warmup
        level = Level(clients, 0.0)
        await asyncio.gather(*(
            _client(conn, mix, random.Random(i), measured, measured + duration, level)
            for i, conn in enumerate(connections)
        ))
        level.elapsed = time.perf_counter() - measured
        return level
    finally:
        await asyncio.gather(*(conn.close() for conn in connections))


async def _client(conn: asyncpg.Connection, mix: list[Query], rng: random.Random, measured: float,
                  deadline: float, level: Level) -> None:
    """Runs the mix until `deadline`; queries sent before `measured` count as the warm-up."""
    turn = rng.randrange(len(mix))
    while (sent := time.perf_counter()) < deadline:
        query = mix[turn % len(mix)]
        turn += 1
        try:
            await conn.fetch(query.sql, *query.parameters(rng))
        except asyncpg.PostgresError as error:
            level.errors.append(f"{error.sqlstate}: {error}")
            continue
        latency = time.perf_counter() - sent
        if sent >= measured:
            level.latencies[query.kind].append(latency)
        elif query.kind in SMALL:
            level.warmup.append(latency)


def _report(levels: list[Level]) -> str:
    def ms(values: list[float], p: float) -> str:
        return f"{percentile(values, p) * 1000:.1f}" if values else "–"

    base = levels[0].throughput
    rows = [
        [str(level.clients), f"{level.throughput:.1f}", f"{level.throughput / base:.2f}×",
         ms(level.small(), 50), ms(level.small(), 99),
         *(ms(level.latencies[kind], p) for kind in KINDS for p in (50, 99)),
         ms(level.warmup, 99), str(len(level.errors))]
        for level in levels
    ]
    text = report.table(
        ["clients", "queries/s", f"scaling (÷ {levels[0].clients} client)", "small p50 (ms)", "small p99 (ms)",
         *(f"{name} p{p} (ms)" for name in KINDS.values() for p in (50, 99)),
         "warm-up small p99 (ms)", "errors"],
        rows,
    )
    errors = sorted({e for level in levels for e in level.errors})
    if errors:
        text += "\n\nErrors:\n\n" + "\n".join(f"- `{e}`" for e in errors[:10])
    return f"{text}\n\n{_plot(levels)}\n"


def _plot(levels: list[Level]) -> str:
    figure, (left, right) = report.plt.subplots(1, 2, figsize=(10, 3.8))
    clients = [level.clients for level in levels]
    left.plot(clients, [level.throughput for level in levels], marker="o")
    left.set_xscale("log", base=2)
    left.set_xticks(clients, [str(c) for c in clients])
    left.set_xlabel("clients")
    left.set_ylabel("queries/s")
    left.set_title("Throughput")
    kinds = (("small queries", Level.small), ("one-date scans", lambda level: level.latencies["scan"]))
    for name, latencies in kinds:
        for p, style in ((50, "--"), (99, "-")):
            values = [percentile(latencies(level), p) * 1000 if latencies(level) else None for level in levels]
            right.plot(clients, values, style, marker="o", label=f"{name} p{p}")
    right.set_xscale("log", base=2)
    right.set_yscale("log")
    right.set_xticks(clients, [str(c) for c in clients])
    right.set_xlabel("clients")
    right.set_ylabel("latency (ms, log)")
    right.set_title("Latency")
    right.legend()
    return report.save_plot(figure, "concurrency")
