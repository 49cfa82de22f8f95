"""Settings: DataFusion in-process with its own defaults against DataFusion in-process with the
settings Hangar's sessions start from, on the suite's TPC-H files, interleaved run by run. It
measures what Hangar's choice of settings does to the engine, apart from the server around it, and
with `--set name=value` it measures a candidate lever the same way before it is adopted.

Hangar's settings are read from the running server (`current_setting(name)` for every setting
DataFusion lists), so this compares what the server really runs with."""

import statistics
import time
from dataclasses import dataclass

import datafusion
import psycopg

from . import report
from .server import TPCH_ROWS, Hangar
from .timing import geomean
from .tpch import QUERIES

DEFAULTS, CHOSEN = "DataFusion defaults", "chosen settings"
# Settings that name things rather than shape a query (Hangar's catalog, the writer's name), and
# the runtime's, which Hangar's flags set (`--memory-limit`, `--spill-dir`) and sessions do not show.
NOT_LEVERS = ("datafusion.catalog.", "datafusion.execution.parquet.created_by", "datafusion.runtime.")


@dataclass
class QueryTimes:
    """Seconds per timed run of one query, for each configuration."""

    number: int
    runs: dict[str, list[float]]

    def median(self, config: str) -> float:
        return statistics.median(self.runs[config])


def run(hangar: Hangar, runs: int, overrides: dict[str, str], context: report.Run) -> str:
    """Times the 22 queries under both configurations (one warm-up each, then `runs` interleaved
    rounds), writes settings.md and returns a summary."""
    chosen = overrides or _hangar_settings(hangar)
    contexts = {DEFAULTS: _context(hangar, {}), CHOSEN: _context(hangar, chosen)}
    results = []
    for number in range(1, 23):
        sql = (QUERIES / f"q{number}.sql").read_text()
        counts = {name: _timed(ctx, sql)[1] for name, ctx in contexts.items()}
        if len(set(counts.values())) > 1:
            raise RuntimeError(f"TPC-H q{number}: the configurations return different row counts: {counts}")
        times = QueryTimes(number, {name: [] for name in contexts})
        for _ in range(runs):
            for name, ctx in contexts.items():
                times.runs[name].append(_timed(ctx, sql)[0])
        results.append(times)
        print(f"  q{number}: {times.median(DEFAULTS):.3f} s → {times.median(CHOSEN):.3f} s", flush=True)
    ratio = geomean([r.median(CHOSEN) / r.median(DEFAULTS) for r in results])
    total = {name: sum(r.median(name) for r in results) for name in contexts}
    settings = report.table(["setting", "value"], [[f"`{k}`", f"`{v}`"] for k, v in sorted(chosen.items())])
    per_query = report.table(
        ["query", f"{DEFAULTS} (s)", f"{CHOSEN} (s)", "ratio"],
        [[f"q{r.number}", f"{r.median(DEFAULTS):.3f}", f"{r.median(CHOSEN):.3f}",
          report.ratio(r.median(CHOSEN), r.median(DEFAULTS))] for r in results],
    )
    source = "given with `--set`" if overrides else "the ones Hangar's sessions start from, read from the server"
    body = (
        f"## Settings compared\n\nThe settings that differ from DataFusion's defaults ({source}):\n\n"
        f"{settings}\n\n## Summary\n\nGeometric mean of the per-query ratios: **{ratio:.2f}×**; sum of "
        f"medians {total[DEFAULTS]:.2f} s → {total[CHOSEN]:.2f} s.\n\n## Per query (medians)\n\n{per_query}\n"
    )
    method = (
        f"The 22 TPC-H queries through DataFusion {datafusion.__version__} in-process "
        "(`register_parquet` on Hangar's demo files), once with DataFusion's defaults and once with the "
        f"settings below; one warm-up each, then {runs} rounds that run both in turn, medians."
    )
    path = report.write("settings", "DataFusion settings", context, method, body)
    return f"  chosen settings: {ratio:.2f}× DataFusion's defaults (geomean over 22 queries)\nReport: {path}"


def _hangar_settings(hangar: Hangar) -> dict[str, str]:
    """The settings whose value in a new Hangar session differs from DataFusion's default."""
    defaults = datafusion.SessionContext(datafusion.SessionConfig().with_information_schema(True))
    table = defaults.sql("SELECT name, value FROM information_schema.df_settings").to_pydict()
    names = [n for n in table["name"] if not n.startswith(NOT_LEVERS)]
    default_values = dict(zip(table["name"], table["value"]))
    calls = ", ".join(f"current_setting('{name}')" for name in names)
    with psycopg.connect(hangar.pg_dsn, autocommit=True) as conn:
        values = conn.execute(f"SELECT {calls}").fetchone()
    return {n: v for n, v in zip(names, values) if v != (default_values[n] or "")}


def _context(hangar: Hangar, settings: dict[str, str]) -> datafusion.SessionContext:
    config = datafusion.SessionConfig()
    for name, value in settings.items():
        config = config.set(name, value)
    ctx = datafusion.SessionContext(config)
    for table in TPCH_ROWS:
        ctx.register_parquet(table, str(hangar.table_dir(table)))
    return ctx


def _timed(ctx: datafusion.SessionContext, sql: str) -> tuple[float, int]:
    """Runs a query, fetching every row: (seconds, rows)."""
    start = time.perf_counter()
    rows = ctx.sql(sql).to_arrow_table().num_rows
    return time.perf_counter() - start, rows
