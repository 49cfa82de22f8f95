"""A/B: two builds of Hangar side by side on the same TPC-H data, through the Postgres wire.

Both servers run at once over the same warehouse. Each round runs every query on both, the order
of the two alternating from query to query and round to round, so that drift of the machine (a
build beside it, thermal state) falls on both alike. A query's ratio is the median of the
candidate's runs over the median of the baseline's; the summary is their geometric mean. Row
counts must agree, or the run stops."""

import statistics
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from . import report
from .server import Hangar
from .timing import geomean, measure
from .tpch import QUERIES


@dataclass
class Times:
    """The runs of one query on both builds."""

    baseline: list[float] = field(default_factory=list)
    candidate: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.candidate) / statistics.median(self.baseline)


def run(baseline: Hangar, candidate: Hangar, names: tuple[Path, Path], rounds: int, runs: int,
        context: report.Run) -> str:
    """`rounds` rounds of every query on both servers, `runs` timed runs each after a warm-up;
    writes ab.md."""
    times = {number: Times() for number in range(1, 23)}
    with psycopg.connect(baseline.pg_dsn, autocommit=True) as a, \
            psycopg.connect(candidate.pg_dsn, autocommit=True) as b:
        for round_ in range(rounds):
            for number, query in times.items():
                sql = (QUERIES / f"q{number}.sql").read_text()
                sides = [("baseline", a), ("candidate", b)]
                if (number + round_) % 2:
                    sides.reverse()
                counts = {}
                for side, connection in sides:
                    timing = measure(lambda c=connection: _fetch(c, sql), runs)
                    getattr(query, side).extend(timing.runs)
                    counts[side] = timing.result
                if counts["baseline"] != counts["candidate"]:
                    raise RuntimeError(f"TPC-H q{number}: the builds return different row counts: {counts}")
            print(f"  round {round_ + 1}: geometric mean so far {_summary(times)}", flush=True)
    body = _report(times)
    method = (
        f"Two builds through the Postgres wire (psycopg {psycopg.__version__}, text rows), both "
        f"serving at once over the same files: baseline `{names[0]}`, candidate `{names[1]}`. "
        f"{rounds} rounds of the 22 queries; in each, every query runs on both builds, the order "
        f"alternating, one warm-up then {runs} timed runs. Ratio: the candidate's median over the "
        "baseline's (below 1× is faster)."
    )
    path = report.write("ab", "A/B of two builds", context, method, body)
    return f"Candidate ÷ baseline, geometric mean over 22 queries: {_summary(times)}\nReport: {path}"


def _fetch(connection: psycopg.Connection, sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return len(cursor.fetchall())


def _summary(times: dict[int, Times]) -> str:
    measured = [t.ratio for t in times.values() if t.baseline and t.candidate]
    return f"{geomean(measured):.3f}×" if measured else "—"


def _report(times: dict[int, Times]) -> str:
    rows = [
        [f"q{number}", f"{statistics.median(t.baseline) * 1000:.1f}", f"{statistics.median(t.candidate) * 1000:.1f}",
         f"{t.ratio:.3f}×"]
        for number, t in times.items()
    ]
    rows.append(["geometric mean", "", "", _summary(times)])
    return report.table(["query", "baseline (ms)", "candidate (ms)", "candidate ÷ baseline"], rows)
