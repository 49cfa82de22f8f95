#!/usr/bin/env python3
"""Runs Hangar's benchmarks side by side with their references, on the same TPC-H data in one run,
and writes reports with plots to docs/benchmarks/.

    python3 benchmarks/run.py [tpch] [transfer] [concurrency] [settings] [security] [--scale 1]
                              [--runs 3] [--warmup 3] [--duration 15] [--set name=value …]
    python3 benchmarks/run.py ab --baseline OLD_BINARY --binary NEW_BINARY [--rounds 3] [--runs 3]

With no benchmark named, the first four run (`security` starts servers of its own, with and
without authentication and TLS, and a PostgreSQL); `ab` compares two builds and runs alone. See
docs/benchmarks.md."""

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hangar_bench import ab, concurrency, report, security, server, settings, tpch, transfer

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = ["tpch", "transfer", "concurrency", "settings", "security"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # No `choices=`: Python 3.11's argparse rejects an empty list against them.
    parser.add_argument("benchmarks", nargs="*", help=f"which to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--scale", type=float, default=1, help="TPC-H scale factor (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up (default 3)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per client count not measured (default 3)")
    parser.add_argument("--duration", type=float, default=15, help="seconds measured per client count (default 15)")
    parser.add_argument("--clients", default="1,8,32,128", help="client counts (default 1,8,32,128)")
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "data", help="where TPC-H is generated")
    parser.add_argument("--binary", type=Path, help="a hangar binary to run instead of building one")
    parser.add_argument("--baseline", type=Path, help="ab: the binary the candidate (--binary) is compared with")
    parser.add_argument("--rounds", type=int, default=3, help="ab: rounds of the 22 queries (default 3)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="settings: a DataFusion setting to compare with its default (default: Hangar's)")
    parser.add_argument("--note", default="", help="a sentence every report carries, e.g. about the machine")
    args = parser.parse_args()
    if bad := [pair for pair in args.set if "=" not in pair]:
        parser.error(f"--set takes NAME=VALUE, not {', '.join(bad)}")
    overrides = dict(pair.split("=", 1) for pair in args.set)
    if unknown := set(args.benchmarks) - set(BENCHMARKS) - {"ab"}:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)} or ab")
    chosen = args.benchmarks or BENCHMARKS[:4]
    context = report.Run(
        command="python3 benchmarks/run.py " + shlex.join(sys.argv[1:]), scale=args.scale, note=args.note
    )
    if "ab" in chosen:
        if chosen != ["ab"] or not (args.baseline and args.binary):
            parser.error("ab runs alone and needs --baseline and --binary")
        run_ab(args, context)
        return

    binary = args.binary or server.build_dist()
    warehouse = args.data / f"sf{args.scale:g}"
    clients = [int(c) for c in args.clients.split(",")]
    if chosen == ["security"]:
        print("Security", flush=True)
        print(security.run(binary, warehouse, args.scale, args.runs, clients, args.warmup, args.duration, context))
        return
    print(f"Starting hangar on {warehouse} (TPC-H SF {args.scale:g} is generated on first use)", flush=True)
    hangar = server.start(binary, warehouse, args.scale)
    try:
        if "tpch" in chosen:
            print("TPC-H", flush=True)
            print(tpch.run(hangar, args.runs, context))
        if "transfer" in chosen:
            print("Transfer", flush=True)
            print(transfer.run(hangar, args.runs, context))
        if "concurrency" in chosen:
            print("Concurrency", flush=True)
            print(concurrency.run(hangar, clients, args.warmup, args.duration, context))
        if "settings" in chosen:
            print("Settings", flush=True)
            print(settings.run(hangar, args.runs, overrides, context))
    finally:
        hangar.stop()
    if "security" in chosen:
        print("Security", flush=True)
        print(security.run(binary, warehouse, args.scale, args.runs, clients, args.warmup, args.duration, context))


def run_ab(args: argparse.Namespace, context: report.Run) -> None:
    """Both builds serving at once over the same warehouse, compared query by query."""
    warehouse = args.data / f"sf{args.scale:g}"
    baseline = server.start(args.baseline, warehouse, args.scale)
    try:
        candidate = server.start(args.binary, warehouse, args.scale)
        try:
            print("A/B", flush=True)
            print(ab.run(baseline, candidate, (args.baseline, args.binary), args.rounds, args.runs, context))
        finally:
            candidate.stop()
    finally:
        baseline.stop()


if __name__ == "__main__":
    main()
