"""Result transfer: 1,000,000 `lineitem` rows (all 16 columns) to Arrow in a Python client.

Hangar serves them over Flight SQL to the ADBC driver; the reference is DuckDB reading the same
Parquet files in-process."""

from dataclasses import dataclass

import adbc_driver_flightsql.dbapi as flight_sql
import duckdb
import pyarrow as pa

from .server import Hangar
from .timing import Timing, measure

ROWS = 1_000_000


@dataclass
class Result:
    """One system's timing for the transfer."""

    system: str
    timing: Timing


def _checked(table: pa.Table, system: str) -> pa.Table:
    if table.num_rows != ROWS or table.num_columns != 16:
        raise RuntimeError(f"{system} returned {table.num_rows} rows x {table.num_columns} columns")
    return table


def run(hangar: Hangar, runs: int) -> list[Result]:
    """Times both systems fetching the same rows, Hangar first."""
    results = []
    with flight_sql.connect(hangar.flight_uri) as conn, conn.cursor() as cur:
        def fetch_flight() -> pa.Table:
            cur.execute(f"SELECT * FROM lineitem LIMIT {ROWS}")
            return _checked(cur.fetch_arrow_table(), "Hangar")

        results.append(Result("Hangar, Flight SQL (ADBC)", measure(fetch_flight, runs)))

    duck = duckdb.connect()
    files = hangar.table_files("lineitem")

    file_list = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"

    def fetch_duckdb() -> pa.Table:
        # DuckDB's own Arrow path (a relation, not a DB-API cursor, which copies once more).
        relation = duck.sql(f"SELECT * FROM read_parquet({file_list}) LIMIT {ROWS}")
        return _checked(relation.to_arrow_table(), "DuckDB")

    results.append(Result("DuckDB in-process", measure(fetch_duckdb, runs)))
    return results
