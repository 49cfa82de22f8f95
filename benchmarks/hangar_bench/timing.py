"""Wall-clock timing: one warm-up run, then the median of several; percentiles of latencies."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    """Seconds per run, after the warm-up."""

    runs: list[float]
    result: object = None
    """What the warm-up run returned, for checks (a row count, say)."""
    client_cpu: float | None = None
    """CPU seconds (user + system) the client's process used per run, where it is a process."""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def measure(run: Callable[[], object], runs: int) -> Timing:
    """Runs `run` once to warm up, keeping what it returns, then `runs` times, timing each."""
    result = run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return Timing(times, result)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile (0 < p ≤ 100) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def geomean(values: list[float]) -> float:
    """The geometric mean, the usual summary of per-query ratios."""
    return math.exp(statistics.fmean(math.log(v) for v in values))
