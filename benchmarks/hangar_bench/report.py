"""Markdown reports: each row a system, its median time, and its ratio to the reference."""

import platform
from datetime import datetime, timezone
from pathlib import Path

from .timing import Timing


def table(rows: list[tuple[str, Timing]], reference: str) -> str:
    """A Markdown table of medians and ratios to the row named `reference`."""
    base = dict(rows)[reference].median
    lines = [
        "| system | median (s) | runs (s) | ratio to " + reference + " |",
        "|---|---:|---|---:|",
    ]
    for name, timing in rows:
        runs = ", ".join(f"{t:.3f}" for t in timing.runs)
        lines.append(f"| {name} | {timing.median:.3f} | {runs} | {timing.median / base:.2f}× |")
    return "\n".join(lines)


def write(path: Path, title: str, setup: str, body: str) -> None:
    """Writes a report with the machine and the set-up it was measured on."""
    machine = f"{platform.node()}, {platform.machine()}, {_cores()} cores"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n\nMeasured {when} on {machine}. {setup}\n\n{body}\n")


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))
