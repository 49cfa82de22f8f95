#!/usr/bin/env python3
"""Runs Hangar's benchmarks side by side with their references and writes reports to docs/benchmarks/.

    python3 benchmarks/run.py [--scale 0.2] [--runs 5] [transfer]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hangar_bench import report, server, transfer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", default=["transfer"], choices=["transfer"])
    parser.add_argument("--scale", type=float, default=0.2, help="TPC-H scale factor (default 0.2)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (default 5)")
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "data", help="where TPC-H is generated")
    args = parser.parse_args()

    binary = server.build_release()
    warehouse = args.data / f"sf{args.scale:g}"
    print(f"Starting hangar on {warehouse} (generates TPC-H SF {args.scale:g} on first use)…", flush=True)
    hangar = server.start(binary, warehouse, args.scale)
    try:
        if "transfer" in args.benchmarks:
            results = transfer.run(hangar, args.runs)
            rows = [(r.system, r.timing) for r in results]
            body = report.table(rows, reference="DuckDB in-process")
            setup = (
                f"TPC-H SF {args.scale:g}; {transfer.ROWS:,} `lineitem` rows, all 16 columns, to a "
                f"pyarrow Table; one warm-up, then the median of {args.runs} runs. "
                "Command: `python3 benchmarks/run.py transfer`."
            )
            report.write(REPO / "docs" / "benchmarks" / "transfer.md", "Result transfer to Arrow", setup, body)
            print(body)
    finally:
        hangar.stop()


if __name__ == "__main__":
    main()
