"""Wall-clock timing: one warm-up run, then the median of several."""

import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Timing:
    """Seconds per run, after the warm-up."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def measure(run: Callable[[], object], runs: int) -> Timing:
    """Runs `run` once to warm up, then `runs` times, timing each."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return Timing(times)
