"""The plan of the tree: the domain (server/) has no import cycles, so each part can be read on its own,
and no module of the application grows past the size one reader holds in mind.

Imports are read with `ast`, including those inside functions (a deferred import is still a dependency).
The domain importing a door, web/ or Starlette is refused by ruff (TID251 in server/ruff.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "server"
APPLICATION = ("server", "web", "schema", "frontend")
MAX_LINES = 300

# Modules allowed past MAX_LINES, each with the reason it is not split yet. An entry that falls under the
# limit fails the test too, so the list only shrinks.
LONG_MODULES: dict[str, str] = {}

# Packages whose modules are one unit: the models refer to each other by design.
UNITS = ("server.models",)


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
            # `from server.money import ledger` depends on server.money.ledger; `import server.models.x` on that module.
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


def test_the_domain_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_of_the_application_is_longer_than_the_limit_unless_listed_with_its_reason() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): _lines(path)
        for package in APPLICATION
        for path in (ROOT / package).rglob("*.py")
        if _lines(path) > MAX_LINES
    }
    assert sorted(long) == sorted(LONG_MODULES), f"modules over {MAX_LINES} lines: {long}"
