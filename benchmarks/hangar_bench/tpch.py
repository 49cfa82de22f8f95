"""TPC-H: the 22 queries through Hangar's Postgres wire and Flight SQL endpoints, and in-process
through DuckDB (the reference) and DataFusion, all four on the same Parquet files.

Every system fetches every row of every result (Python tuples over the Postgres wire, Arrow
elsewhere). All four must return the same number of rows per query; a Hangar error is recorded in
the report and the run goes on."""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import datafusion
import duckdb
import psycopg
from matplotlib.ticker import FuncFormatter

from . import report
from .server import TPCH_ROWS, Hangar
from .timing import Timing, geomean, measure

QUERIES = Path(__file__).resolve().parents[1] / "queries"
WIRE, FLIGHT, DATAFUSION, DUCKDB = (
    "Hangar, Postgres wire", "Hangar, Flight SQL", "DataFusion in-process", "DuckDB in-process",
)
SYSTEMS = [WIRE, FLIGHT, DATAFUSION, DUCKDB]


@dataclass
class QueryResult:
    """One query's outcome on each system: a timing, or the error Hangar answered with."""

    number: int
    timings: dict[str, Timing]
    errors: dict[str, str]

    @property
    def rows(self) -> int:
        return next(iter(self.timings.values())).result


def run(hangar: Hangar, runs: int, context: report.Run) -> str:
    """Runs every query on every system (one warm-up, then `runs` timed runs), writes tpch.md."""
    results = []
    with ExitStack() as stack:
        fetchers = _fetchers(hangar, stack)
        for number in range(1, 23):
            sql = (QUERIES / f"q{number}.sql").read_text()
            results.append(_run_query(number, sql, fetchers, runs))
            print("  " + " | ".join(_query_row(results[-1])), flush=True)
    body = _report(results)
    method = (
        f"The 22 TPC-H queries (validation parameters, `benchmarks/queries/`); each system fetches "
        f"every row; one warm-up, then the median of {runs} runs. Systems: Hangar's Postgres wire "
        f"(psycopg {psycopg.__version__}, text rows), Hangar's Flight SQL endpoint (ADBC, Arrow), "
        f"DataFusion {datafusion.__version__} in-process with default settings (`register_parquet`), and "
        f"DuckDB {duckdb.__version__} in-process (views over `read_parquet`, results to Arrow), on "
        "the same Parquet files. Hangar has no result cache."
    )
    path = report.write("tpch", "TPC-H", context, method, body)
    return f"{_summary(results)}\nReport: {path}"


def _fetchers(hangar: Hangar, stack: ExitStack) -> dict[str, Callable[[str], int]]:
    """For each system, a function that runs a query, fetches every row and returns the count."""
    wire = stack.enter_context(psycopg.connect(hangar.pg_dsn, autocommit=True))

    def fetch_wire(sql: str) -> int:
        with wire.cursor() as cursor:
            cursor.execute(sql)
            return len(cursor.fetchall())

    flight = stack.enter_context(flight_sql.connect(hangar.flight_uri, autocommit=True))
    flight_cursor = stack.enter_context(flight.cursor())

    def fetch_flight(sql: str) -> int:
        flight_cursor.execute(sql)
        return flight_cursor.fetch_arrow_table().num_rows

    context = datafusion.SessionContext()
    duck = stack.enter_context(duckdb.connect())
    for table in TPCH_ROWS:
        context.register_parquet(table, str(hangar.table_dir(table)))
        files = ", ".join("'" + f.replace("'", "''") + "'" for f in hangar.table_files(table))
        duck.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}])")

    return {
        WIRE: fetch_wire,
        FLIGHT: fetch_flight,
        DATAFUSION: lambda sql: context.sql(sql).to_arrow_table().num_rows,
        DUCKDB: lambda sql: duck.sql(sql).to_arrow_table().num_rows,
    }


def _run_query(number: int, sql: str, fetchers: dict[str, Callable[[str], int]], runs: int) -> QueryResult:
    result = QueryResult(number, {}, {})
    for system, fetch in fetchers.items():
        try:
            result.timings[system] = measure(partial(fetch, sql), runs)
        except (psycopg.Error, flight_sql.Error) as error:
            # Only Hangar's endpoints raise these; the in-process references must not fail.
            result.errors[system] = " ".join(str(error).split())
    counts = {system: timing.result for system, timing in result.timings.items()}
    if len(set(counts.values())) > 1:
        raise RuntimeError(f"TPC-H q{number}: the systems return different row counts: {counts}")
    return result


def _complete(results: list[QueryResult]) -> list[QueryResult]:
    """The queries every system ran, over which geometric means are taken."""
    return [r for r in results if not r.errors]


def _geomean_ratio(complete: list[QueryResult], system: str, reference: str) -> float:
    return geomean([r.timings[system].median / r.timings[reference].median for r in complete])


def _report(results: list[QueryResult]) -> str:
    complete = _complete(results)
    summary = report.table(
        ["system", "geometric mean (s)", "sum (s)", "÷ DuckDB in-process", "÷ DataFusion in-process"],
        [[s, f"{geomean([r.timings[s].median for r in complete]):.3f}",
          f"{sum(r.timings[s].median for r in complete):.2f}",
          f"{_geomean_ratio(complete, s, DUCKDB):.2f}×", f"{_geomean_ratio(complete, s, DATAFUSION):.2f}×"]
         for s in SYSTEMS],
    )
    per_query = report.table(
        ["query", "rows"] + [f"{s} (s)" for s in SYSTEMS] + [f"{s} ÷ DuckDB" for s in SYSTEMS[:3]],
        [_query_row(r) for r in results],
    )
    text = (
        f"## Summary\n\nGeometric means over the {len(complete)} queries that every system ran, "
        f"medians in seconds; a ratio below 1× is faster than the reference.\n\n{summary}\n\n"
        f"{_plot(complete)}\n\n## Per query (medians)\n\n{per_query}\n"
    )
    failures = [(r.number, s, e) for r in results for s, e in r.errors.items()]
    if failures:
        text += "\n## Queries Hangar failed\n\n" + "\n".join(f"- q{n}, {s}: `{e}`" for n, s, e in failures) + "\n"
    return text


def _query_row(result: QueryResult) -> list[str]:
    def seconds(system: str) -> str:
        return f"{result.timings[system].median:.3f}" if system in result.timings else "error"

    def versus_duckdb(system: str) -> str:
        if system not in result.timings:
            return "–"
        return report.ratio(result.timings[system].median, result.timings[DUCKDB].median)

    return [f"q{result.number}", str(result.rows)] + [seconds(s) for s in SYSTEMS] + [
        versus_duckdb(s) for s in SYSTEMS[:3]
    ]


def _plot(complete: list[QueryResult]) -> str:
    figure, axes = report.plt.subplots(figsize=(11, 4))
    width = 0.27
    for i, system in enumerate(SYSTEMS[:3]):
        values = [r.timings[system].median / r.timings[DUCKDB].median for r in complete]
        axes.bar([n + (i - 1) * width for n in range(len(complete))], values, width, label=system)
    axes.axhline(1.0, color="black", linewidth=0.8)
    axes.set_yscale("log")
    ratio_format = FuncFormatter(lambda value, _: f"{value:g}×")
    axes.yaxis.set_major_formatter(ratio_format)
    axes.yaxis.set_minor_formatter(ratio_format)
    axes.set_xticks(range(len(complete)), [f"q{r.number}" for r in complete])
    axes.set_ylabel("time ÷ DuckDB in-process (log scale)")
    axes.set_title("TPC-H: median time relative to DuckDB in-process (below 1 is faster)")
    axes.legend()
    return report.save_plot(figure, "tpch")


def _summary(results: list[QueryResult]) -> str:
    complete = _complete(results)
    lines = [
        f"  {s}: {_geomean_ratio(complete, s, DUCKDB):.2f}× DuckDB (geomean over {len(complete)} queries)"
        for s in SYSTEMS[:3]
    ]
    failed = sorted({r.number for r in results if r.errors})
    if failed:
        lines.append("  Hangar failed: " + ", ".join(f"q{n}" for n in failed))
    return "\n".join(lines)
