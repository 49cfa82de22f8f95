"""Markdown reports with plots, written into docs/benchmarks/: what was measured, where, and how
to reproduce it."""

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

REPORTS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks"


@dataclass
class Run:
    """What every report of one `run.py` invocation states."""

    command: str
    """The exact command line, to reproduce the figures."""
    scale: float
    """TPC-H scale factor of the data."""
    note: str
    """Conditions worth knowing when reading the figures (a shared machine, say); may be empty."""


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; the first column is left-aligned, the others (figures) right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(value: float, reference: float) -> str:
    """`value` as a multiple of `reference`: below 1× is faster than the reference."""
    return f"{value / reference:.2f}×"


def write(name: str, title: str, run: Run, method: str, body: str) -> Path:
    """Writes docs/benchmarks/<name>.md: the machine, the set-up, the command, then `body`."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = f"\n\n{run.note}" if run.note else ""
    text = (
        f"# {title}\n\n"
        f"Measured {when} on {machine()}, TPC-H scale factor {run.scale:g}. {method}{note}\n\n"
        f"```sh\n{run.command}\n```\n\n{body}\n"
    )
    path = REPORTS / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def save_plot(figure: "plt.Figure", name: str) -> str:
    """Saves a figure as docs/benchmarks/<name>.png and returns the Markdown that shows it."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(REPORTS / f"{name}.png", dpi=110)
    plt.close(figure)
    return f"![{name}]({name}.png)"


def machine() -> str:
    """CPU model, cores available to us, memory and OS, in one phrase."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0))
    return f"{model}, {cores} cores, {memory:.0f} GiB memory, {platform.system()} {platform.release()}"
