"""Starts a real `hangar` server (the binary cargo built) for the Python client tests."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def hangar_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = target / "debug" / "hangar"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--bin", "hangar"], cwd=REPO, check=True)
    return binary


@pytest.fixture(scope="session")
def hangar():
    """A server on free ports over a fresh warehouse with small TPC-H demo tables.

    Yields a dict with the Flight SQL URI, the Postgres port and the warehouse path.
    """
    with tempfile.TemporaryDirectory(prefix="hangar-py-") as warehouse:
        proc = subprocess.Popen(
            [
                str(hangar_binary()), "serve", "--demo", "--demo-scale", "0.01",
                "--data-dir", warehouse, "--pg-listen", "127.0.0.1:0", "--flight-listen", "127.0.0.1:0",
                "--log-level", "warn", "--shutdown-grace", "100ms",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = proc.stdout.readline()
        match = re.search(r"-p (\d+) .*grpc://([\d.]+:\d+)", ready)
        assert match, f"hangar did not start: {ready!r}"
        try:
            yield {
                "flight_uri": f"grpc://{match.group(2)}",
                "pg_port": int(match.group(1)),
                "warehouse": warehouse,
            }
        finally:
            proc.terminate()
            assert proc.wait(timeout=30) == 0, "hangar did not stop cleanly on SIGTERM"
