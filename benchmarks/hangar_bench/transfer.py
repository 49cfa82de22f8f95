"""Result transfer: 1,000,000 `lineitem` rows (all 16 columns) from server to client (all
of them below SF 0.17, which has fewer).

Three paths, each next to its reference:
- psql printing the rows (`psql -At -o /dev/null -c "SELECT …"`): Hangar vs PostgreSQL serving the
  same rows from a table;
- `COPY (SELECT …) TO STDOUT` through psql: Hangar vs PostgreSQL;
- into a pyarrow Table: Hangar's Flight SQL endpoint (ADBC) vs DuckDB reading the Parquet files
  in-process."""

import resource
import shlex
import subprocess
from dataclasses import dataclass

import adbc_driver_flightsql.dbapi as flight_sql
import duckdb
import pyarrow as pa

from . import postgres, report
from .server import Hangar
from .timing import Timing, measure

ROWS = 1_000_000


@dataclass
class Comparison:
    """One way of fetching the rows: Hangar's timing (or why there is none) and the reference's."""

    name: str
    hangar: Timing | str
    reference_name: str
    reference: Timing


def run(hangar: Hangar, runs: int, context: report.Run) -> str:
    """Times each path on Hangar and on its reference, writes transfer.md."""
    duck = duckdb.connect()
    files = ", ".join("'" + f.replace("'", "''") + "'" for f in hangar.table_files("lineitem"))
    lineitem = f"read_parquet([{files}])"
    rows = min(ROWS, duck.execute(f"SELECT count(*) FROM {lineitem}").fetchall()[0][0])
    select = f"SELECT * FROM lineitem LIMIT {rows}"
    copy = f"COPY ({select}) TO STDOUT"
    pg = postgres.start()
    try:
        _load(pg, duck, lineitem, rows)
        pg_name = f"PostgreSQL {pg.version()}, table"
        print("  psql", flush=True)
        select_args = ["-At", "-o", "/dev/null", "-c", select]
        paths = [Comparison("psql `-At -o /dev/null`", _psql(hangar.psql(), select_args, rows, runs), pg_name,
                            _psql(pg.psql(), select_args, rows, runs))]
        print("  COPY TO STDOUT", flush=True)
        try:
            hangar_copy: Timing | str = _psql(hangar.psql(), ["-c", copy], rows, runs)
        except subprocess.CalledProcessError as error:
            hangar_copy = "not supported yet: `" + " ".join(error.stderr.decode().split()) + "`"
        paths.append(Comparison("`COPY (SELECT …) TO STDOUT` via psql", hangar_copy, pg_name,
                                _psql(pg.psql(), ["-c", copy], rows, runs)))
    finally:
        pg.stop()
    print("  Arrow", flush=True)
    paths.append(Comparison("Arrow: Flight SQL (ADBC) / in-process", _flight(hangar, select, rows, runs),
                            f"DuckDB {duckdb.__version__} in-process", _duckdb(duck, lineitem, rows, runs)))

    method = (
        f"{rows:,} `lineitem` rows, all 16 columns; one warm-up, then the median of {runs} runs. "
        f"Each command's output is checked once to hold {rows:,} rows, then thrown away "
        "(`/dev/null`) in the timed runs. PostgreSQL runs on the same machine (a temporary cluster, "
        "`shared_buffers=1GB`, table vacuumed and analyzed), holding exactly these rows."
    )
    body = _report(paths)
    path = report.write("transfer", "Result transfer", context, method, body)
    return body + f"\nReport: {path}"


def _load(pg: postgres.Postgres, duck: duckdb.DuckDBPyConnection, lineitem: str, rows: int) -> None:
    """Creates `lineitem` in PostgreSQL with the Parquet columns' types and the first `rows` rows."""
    columns = duck.sql(f"DESCRIBE SELECT * FROM {lineitem}").fetchall()
    ddl = ", ".join(f"{name} {'text' if kind == 'VARCHAR' else kind}" for name, kind, *_ in columns)
    csv = pg.folder / "lineitem.csv"
    duck.execute(f"COPY (SELECT * FROM {lineitem} LIMIT {rows}) TO '{csv}' (HEADER false)")
    with open(csv) as data:
        subprocess.run(pg.psql() + ["-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE TABLE lineitem ({ddl})",
                                    "-c", "COPY lineitem FROM STDIN (FORMAT csv)"], stdin=data, check=True)
    csv.unlink()
    # Set hint bits and the visibility map now, so no timed run pays for them.
    subprocess.run(pg.psql() + ["-q", "-c", "VACUUM (FREEZE, ANALYZE) lineitem"], check=True)


def _psql(psql: list[str], args: list[str], rows: int, runs: int) -> Timing:
    """Times a psql command; first checks it prints `rows` lines (without `-o /dev/null`)."""
    check = [a for a in args if a not in ("-o", "/dev/null")]
    lines = subprocess.run(psql + check, check=True, capture_output=True).stdout.count(b"\n")
    if lines != rows:
        raise RuntimeError(f"{shlex.join(psql + check)} printed {lines} lines, not {rows}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing = measure(lambda: subprocess.run(psql + args, check=True, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE), runs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    timing.client_cpu = cpu / (runs + 1)  # the warm-up run included
    return timing


def _flight(hangar: Hangar, select: str, rows: int, runs: int) -> Timing:
    with flight_sql.connect(hangar.flight_uri, autocommit=True) as conn, conn.cursor() as cursor:
        def fetch() -> pa.Table:
            cursor.execute(select)
            return _checked(cursor.fetch_arrow_table(), rows, "Hangar")

        return measure(fetch, runs)


def _duckdb(duck: duckdb.DuckDBPyConnection, lineitem: str, rows: int, runs: int) -> Timing:
    # DuckDB's own Arrow path (a relation, not a DB-API cursor, which copies once more).
    select = f"SELECT * FROM {lineitem} LIMIT {rows}"
    return measure(lambda: _checked(duck.sql(select).to_arrow_table(), rows, "DuckDB"), runs)


def _checked(table: pa.Table, rows: int, system: str) -> pa.Table:
    if table.num_rows != rows or table.num_columns != 16:
        raise RuntimeError(f"{system} returned {table.num_rows} rows x {table.num_columns} columns")
    return table


def _report(paths: list[Comparison]) -> str:
    def runs(timing: Timing) -> str:
        return ", ".join(f"{t:.3f}" for t in timing.runs)

    def client_cpu(p: Comparison) -> str:
        if not isinstance(p.hangar, Timing) or p.hangar.client_cpu is None:
            return "–"
        return f"{p.hangar.client_cpu:.3f} / {p.reference.client_cpu:.3f}"

    medians = report.table(
        ["path", "Hangar (s)", "reference", "reference (s)", "Hangar ÷ reference",
         "psql's own CPU per run (s), Hangar / reference"],
        [[p.name, f"{p.hangar.median:.3f}" if isinstance(p.hangar, Timing) else p.hangar, p.reference_name,
          f"{p.reference.median:.3f}",
          report.ratio(p.hangar.median, p.reference.median) if isinstance(p.hangar, Timing) else "–",
          client_cpu(p)]
         for p in paths],
    )
    detail = report.table(
        ["path", "Hangar runs (s)", "reference runs (s)"],
        [[p.name, runs(p.hangar) if isinstance(p.hangar, Timing) else "–", runs(p.reference)] for p in paths],
    )
    floor = ("psql's own CPU time (user and system, from the operating system's accounting of child "
             "processes) is work no server can take off it: psql reads the whole result, then prints it.")
    return f"{medians}\n\n{floor}\n\n{_plot(paths)}\n\nEvery timed run:\n\n{detail}\n"


def _plot(paths: list[Comparison]) -> str:
    figure, axes = report.plt.subplots(figsize=(8, 3.2))
    labels = [p.name.replace("`", "") for p in paths]
    hangar = [p.hangar.median if isinstance(p.hangar, Timing) else 0 for p in paths]
    reference = [p.reference.median for p in paths]
    positions = range(len(paths))
    axes.barh([i + 0.2 for i in positions], hangar, 0.4, label="Hangar")
    axes.barh([i - 0.2 for i in positions], reference, 0.4, label="reference (PostgreSQL; DuckDB for Arrow)")
    for i, path in enumerate(paths):
        if not isinstance(path.hangar, Timing):
            axes.text(0.02, i + 0.2, "Hangar: not supported yet", va="center", fontsize=8)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlabel("seconds (median)")
    axes.legend(loc="lower right")
    return report.save_plot(figure, "transfer")
