#!/usr/bin/env python3
"""Fails when a crate's modules import each other in a loop.

For each crate named on the command line, asks cargo-modules for the graph of "uses" edges between
its modules (`use` declarations, resolved to the module that defines each item). A module tree is
one unit to the modules beside it: an edge between two modules is lifted to the two siblings, under
their nearest common ancestor, that hold them (so `a::x` using `b::y` is `a` using `b`), and a
module using its own ancestor or descendant is structure, not an edge. Then it looks for strongly
connected components of more than one sibling, prints each loop and exits 1 if any.

    python3 .ci/module_loops.py hangar-engine hangar-views …
"""

import re
import subprocess
import sys

EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[label="uses"')


def module_graph(package: str) -> dict[str, set[str]]:
    dot = subprocess.run(
        ["cargo", "modules", "dependencies", "-p", package, "--lib", "--no-externs",
         "--no-sysroot", "--no-fns", "--no-types", "--no-traits", "--no-owns"],
        check=True, capture_output=True, text=True,
    ).stdout
    graph: dict[str, set[str]] = {}
    for line in dot.splitlines():
        if match := EDGE.match(line):
            lifted = siblings(*match.groups())
            if lifted:
                source, target = lifted
                graph.setdefault(source, set()).add(target)
                graph.setdefault(target, set())
    return graph


def siblings(source: str, target: str) -> tuple[str, str] | None:
    """The two modules under the nearest common ancestor of `source` and `target` that hold them;
    None when one holds the other."""
    a, b = source.split("::"), target.split("::")
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    if common == len(a) or common == len(b):
        return None
    return "::".join(a[: common + 1]), "::".join(b[: common + 1])


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    failed = False
    for package in sys.argv[1:]:
        for component in loops(module_graph(package)):
            failed = True
            print(f"{package}: modules import each other in a loop: {', '.join(component)}")
    if not failed:
        print(f"no module loops in {', '.join(sys.argv[1:])}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
