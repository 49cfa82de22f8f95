"""A throw-away PostgreSQL cluster on a free loopback port (Debian's `postgresql` package), the
reference for serving rows over the Postgres wire.

initdb refuses to run as root, so as root the cluster runs as the `postgres` user."""

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Postgres:
    """A running cluster: its port, data folder and server binaries."""

    port: int
    folder: Path
    bin: Path

    def psql(self) -> list[str]:
        """A psql command line connected to the cluster, without ~/.psqlrc."""
        return ["psql", "-X", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "postgres"]

    def version(self) -> str:
        """The server's version number, say `15.18`."""
        return subprocess.run(
            self.psql() + ["-At", "-c", "SHOW server_version"], check=True, capture_output=True, text=True
        ).stdout.split()[0]

    def stop(self) -> None:
        _as_owner([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.folder)


def start() -> Postgres:
    """initdb's a cluster in a temporary folder and starts it on 127.0.0.1 only, trusting local users."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise RuntimeError("PostgreSQL server not found: apt-get install -y postgresql")
    bin_dir = versions[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="hangar-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    _as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
               "--locale=C"])
    port = _free_port()
    # shared_buffers keeps the table (about 150 MB per million lineitem rows) in PostgreSQL's own
    # cache; fsync off only speeds up the load, which is not timed.
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c shared_buffers=1GB -c fsync=off"
    )
    _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"])
    return Postgres(port, folder, bin_dir)


def _as_owner(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
