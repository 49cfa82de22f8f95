"""Concurrency: 1 to 128 Postgres-wire clients running a dashboard's queries for a fixed time each.

The mix is small aggregates on a materialized view of daily `lineitem` totals (what a dashboard
reads) and selective filters on `lineitem` itself, with random parameters bound through prepared
statements. Each client is an asyncpg connection in one asyncio loop (little client overhead); it
sends its next query as soon as the last one is answered. We report throughput and latency
percentiles per client count."""

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


@dataclass
class Query:
    """One dashboard query: where it reads, its SQL, and how to draw its parameters."""

    source: str
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
        Query("lineitem", "SELECT l_linenumber, l_partkey, l_quantity, l_extendedprice, l_shipdate FROM lineitem "
                          "WHERE l_orderkey = $1 ORDER BY l_linenumber", lambda rng: (rng.randrange(1, orders),)),
        Query("lineitem", "SELECT count(*) AS lines, sum(l_extendedprice) AS price FROM lineitem "
                          "WHERE l_shipdate = $1", lambda rng: _days(1)(rng)[:1]),
    ]


@dataclass
class Level:
    """What `clients` clients achieved together in `elapsed` seconds."""

    clients: int
    elapsed: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"view": [], "lineitem": []})
    errors: list[str] = field(default_factory=list)

    @property
    def all_latencies(self) -> list[float]:
        return self.latencies["view"] + self.latencies["lineitem"]

    @property
    def throughput(self) -> float:
        return len(self.all_latencies) / self.elapsed


def run(hangar: Hangar, clients: list[int], duration: float, context: report.Run) -> str:
    """Creates the view, then runs each client count for `duration` seconds; writes concurrency.md."""
    with psycopg.connect(hangar.pg_dsn, autocommit=True) as conn:
        conn.execute(f"DROP MATERIALIZED VIEW IF EXISTS {VIEW}")
        conn.execute(CREATE_VIEW)
        view_rows = conn.execute(f"SELECT count(*) FROM {VIEW}").fetchone()[0]
    mix = _mix(context.scale)
    dsn = f"postgresql://hangar@127.0.0.1:{hangar.pg_port}/hangar"
    levels = []
    for count in clients:
        levels.append(asyncio.run(_level(dsn, mix, count, duration)))
        print(f"  {count:>3} clients: {levels[-1].throughput:7.1f} queries/s, "
              f"p99 {percentile(levels[-1].all_latencies, 99) * 1000:.1f} ms", flush=True)
    method = (
        f"Each client count runs for {duration:g} s. The mix, taken in turn by each client from a random "
        f"start: three aggregates over the materialized view `{VIEW}` ({view_rows:,} rows of daily "
        "`lineitem` totals by ship mode and return flag, sorted by day) for a random month, quarter "
        "and year, and two filters on `lineitem` (the lines of one random order; count and sum of "
        "one random ship date). Clients: asyncpg connections in one asyncio loop on the same "
        "machine, prepared statements with bound parameters. Hangar has no result cache."
    )
    path = report.write("concurrency", "Concurrent dashboard clients", context, method, _report(levels))
    return f"Report: {path}"


async def _level(dsn: str, mix: list[Query], clients: int, duration: float) -> Level:
    connections = await asyncio.gather(*(asyncpg.connect(dsn) for _ in range(clients)))
    try:
        for query in mix:  # warm-up, and a check that every query runs
            await connections[0].fetch(query.sql, *query.parameters(random.Random(0)))
        start = time.perf_counter()
        level = Level(clients, 0.0)
        await asyncio.gather(*(
            _client(conn, mix, random.Random(i), start + duration, level) for i, conn in enumerate(connections)
        ))
        level.elapsed = time.perf_counter() - start
        return level
    finally:
        await asyncio.gather(*(conn.close() for conn in connections))


async def _client(conn: asyncpg.Connection, mix: list[Query], rng: random.Random, deadline: float,
                  level: Level) -> None:
    turn = rng.randrange(len(mix))
    while time.perf_counter() < deadline:
        query = mix[turn % len(mix)]
        turn += 1
        sent = time.perf_counter()
        try:
            await conn.fetch(query.sql, *query.parameters(rng))
        except asyncpg.PostgresError as error:
            level.errors.append(f"{error.sqlstate}: {error}")
        else:
            level.latencies[query.source].append(time.perf_counter() - sent)


def _report(levels: list[Level]) -> str:
    def ms(values: list[float], p: float) -> str:
        return f"{percentile(values, p) * 1000:.1f}" if values else "–"

    base = levels[0].throughput
    rows = [
        [str(level.clients), f"{level.throughput:.1f}", f"{level.throughput / base:.2f}×",
         ms(level.all_latencies, 50), ms(level.all_latencies, 99),
         ms(level.latencies["view"], 50), ms(level.latencies["view"], 99),
         ms(level.latencies["lineitem"], 50), ms(level.latencies["lineitem"], 99), str(len(level.errors))]
        for level in levels
    ]
    text = report.table(
        ["clients", "queries/s", f"scaling (÷ {levels[0].clients} client)", "p50 (ms)", "p99 (ms)",
         "view p50 (ms)", "view p99 (ms)", "lineitem p50 (ms)", "lineitem p99 (ms)", "errors"],
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
    for source in ("view", "lineitem"):
        for p, style in ((50, "--"), (99, "-")):
            values = [percentile(level.latencies[source], p) * 1000 if level.latencies[source] else None
                      for level in levels]
            right.plot(clients, values, style, marker="o", label=f"{source} p{p}")
    right.set_xscale("log", base=2)
    right.set_yscale("log")
    right.set_xticks(clients, [str(c) for c in clients])
    right.set_xlabel("clients")
    right.set_ylabel("latency (ms, log)")
    right.set_title("Latency")
    right.legend()
    return report.save_plot(figure, "concurrency")
