"""A release `hangar serve` on free loopback ports, over a warehouse of TPC-H demo data."""

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def build_release() -> Path:
    """Builds the release binary (incrementally) and returns its path."""
    subprocess.run(["cargo", "build", "--release", "--bin", "hangar"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "hangar"


@dataclass
class Hangar:
    """A running server: its addresses and its warehouse folder."""

    process: subprocess.Popen
    pg_port: int
    flight_uri: str
    warehouse: Path

    def table_files(self, table: str) -> list[str]:
        """The Parquet files of a demo table, for engines that read them directly."""
        files = sorted(str(f) for f in self.warehouse.glob(f"tables/public/{table}-*/*.parquet"))
        if not files:
            raise RuntimeError(f"no Parquet files for {table} under {self.warehouse}")
        return files

    def stop(self) -> None:
        self.process.terminate()
        if self.process.wait(timeout=60) != 0:
            raise RuntimeError("hangar did not stop cleanly")


def start(binary: Path, warehouse: Path, scale: float) -> Hangar:
    """Starts the server, generating TPC-H at `scale` into `warehouse` on first use."""
    warehouse.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            str(binary), "serve", "--demo", "--demo-scale", str(scale), "--data-dir", str(warehouse),
            "--pg-listen", "127.0.0.1:0", "--flight-listen", "127.0.0.1:0", "--log-level", "warn",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    ready = process.stdout.readline()
    match = re.search(r"-p (\d+) .*grpc://([\d.]+:\d+)", ready)
    if not match:
        process.kill()
        raise RuntimeError(f"hangar did not start: {ready!r}")
    return Hangar(process, int(match.group(1)), f"grpc://{match.group(2)}", warehouse)
