"""A `hangar serve` on free loopback ports, over a warehouse of TPC-H demo data."""

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Rows per table at SF 1, to weigh each table's share of the generation progress bar.
TPCH_ROWS = {
    "nation": 25, "region": 5, "part": 200_000, "supplier": 10_000, "partsupp": 800_000,
    "customer": 150_000, "orders": 1_500_000, "lineitem": 6_001_215,
}


def build_dist() -> Path:
    """Builds the binary we ship (the `dist` profile, incrementally) and returns its path."""
    subprocess.run(["cargo", "build", "--profile", "dist", "--bin", "hangar"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "dist" / "hangar"


@dataclass
class Hangar:
    """A running server: its addresses and its warehouse folder."""

    process: subprocess.Popen
    pg_port: int
    flight_uri: str
    warehouse: Path

    @property
    def pg_dsn(self) -> str:
        """A libpq connection string for the Postgres wire endpoint."""
        return f"host=127.0.0.1 port={self.pg_port} user=hangar dbname=hangar"

    def psql(self) -> list[str]:
        """A psql command line connected to the server, without ~/.psqlrc."""
        return ["psql", "-X", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "hangar", "hangar"]

    def table_dir(self, table: str) -> Path:
        """The folder holding a demo table's Parquet files."""
        dirs = sorted(self.warehouse.glob(f"tables/public/{table}-*"))
        if len(dirs) != 1:
            raise RuntimeError(f"expected one folder for {table} under {self.warehouse}, found {dirs}")
        return dirs[0]

    def table_files(self, table: str) -> list[str]:
        """The Parquet files of a demo table, for engines that read them directly."""
        files = sorted(str(f) for f in self.table_dir(table).glob("*.parquet"))
        if not files:
            raise RuntimeError(f"no Parquet files for {table} under {self.warehouse}")
        return files

    def stop(self) -> None:
        self.process.terminate()
        if self.process.wait(timeout=60) != 0:
            raise RuntimeError("hangar did not stop cleanly")


def start(binary: Path, warehouse: Path, scale: float, extra: list[str] = ()) -> Hangar:
    """Starts the server, generating TPC-H at `scale` into `warehouse` on first use; `extra` are
    further flags.

    The server logs each demo table it starts generating; those log lines drive a progress bar,
    and every other log line is passed through to our stderr."""
    warehouse.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            str(binary), "serve", "--demo", "--demo-scale", str(scale), "--data-dir", str(warehouse),
            "--pg-listen", "127.0.0.1:0", "--flight-listen", "127.0.0.1:0",
            "--log-level", "warn,hangar_server::demo=info", "--log-format", "json", *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    progress = _GenerationProgress(scale)
    threading.Thread(target=_follow_log, args=(process.stderr, progress), daemon=True).start()
    ready = process.stdout.readline()
    progress.finish()
    match = re.search(r"-p (\d+) .*(grpc(?:\+tls)?)://([\d.]+:\d+)", ready)
    if not match:
        process.kill()
        raise RuntimeError(f"hangar did not start: {ready!r}")
    return Hangar(process, int(match.group(1)), f"{match.group(2)}://{match.group(3)}", warehouse)


def _follow_log(stderr, progress: "_GenerationProgress") -> None:
    for line in stderr:
        try:
            fields = json.loads(line).get("fields", {})
        except json.JSONDecodeError:
            fields = {}
        if fields.get("message") == "generating TPC-H demo table":
            progress.generating(fields["table"])
        else:
            sys.stderr.write(line)


class _GenerationProgress:
    """A one-line progress bar of TPC-H generation, advanced table by table (weighted by rows)."""

    WIDTH = 30

    def __init__(self, scale: float):
        self.scale = scale
        self.started = time.monotonic()
        self.done: list[str] = []
        self.current: str | None = None

    def generating(self, table: str) -> None:
        if self.current:
            self.done.append(self.current)
        self.current = table
        self._draw(f"generating {table}")

    def finish(self) -> None:
        if self.current:
            self.done.append(self.current)
            self.current = None
            self._draw("done")
            sys.stderr.write("\n")

    def _draw(self, status: str) -> None:
        share = sum(TPCH_ROWS[t] for t in self.done) / sum(TPCH_ROWS.values())
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\rTPC-H SF {self.scale:g} [{bar}] {share:4.0%} {status:<22} {elapsed:5.0f} s")
        sys.stderr.flush()
