"""The plan of the tree: the domain (server/) has no import cycles, so each part can be read on its own.

Imports are read with `ast`, including those inside functions (a deferred import is still a dependency).
The domain importing a door, web/ or Starlette is refused by ruff (TID251 in server/ruff.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "server"

# Packages whose modules are one unit: the models refer to each other by design.
UNITS = ("server.models",)

# Cycles that exist today and are to be broken (issue 13): each entry must still be a cycle, so the
# list shrinks as they go and never hides a new one.
KNOWN_CYCLES: list[frozenset[str]] = [
    # Withdrawing an organisation closes its claims (a deferred import in organizations.py).
    frozenset(
        {
            "server.claims",
            "server.commitments",
            "server.invitations",
            "server.organizations",
            "server.partners",
        }
    ),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(name: str) -> str:
    return next((unit for unit in UNITS if name == unit or name.startswith(unit + ".")), name)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            # `from server import ledger` depends on server.ledger; `import server.models.x` on that module.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and _unit(target) != _unit(name):
                found.add(_unit(target))
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in (ROOT / DOMAIN).rglob("*.py")}
    modules = set(paths)
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        graph.setdefault(_unit(name), set()).update(_imports(path, name, modules))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_the_domain_has_no_import_cycle_but_the_known_ones() -> None:
    assert sorted(map(sorted, cycles(import_graph()))) == sorted(map(sorted, KNOWN_CYCLES))
