"""The package's import graph has no cycles: every import, at the top of a module or inside a
function, read from the source with `ast` (a lazy import only hides a cycle, it does not break it)."""

from __future__ import annotations

import ast
from pathlib import Path

import eventledger

PACKAGE = Path(eventledger.__file__).parent
ALLOWED_EDGES: set[tuple[str, str]] = set()  # none: every import cycle fails


def module_files(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    files: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def _imported_names(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """What the module `name` imports: a module, or the name of something inside one."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:  # `from pkg import a` imports the module pkg.a where there is one
                names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return names


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` is or lives in (`eventledger.models.Event` -> `eventledger.models`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        owners = {_owner(imported, modules) for imported in _imported_names(name, path, modules)}
        graph[name] = {o for o in owners if o and o != name and (name, o) not in ALLOWED_EDGES}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = stack[stack.index(node):]
            del stack[stack.index(node):]
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycles() -> None:
    assert cycles(import_graph(module_files())) == []


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from pkg.b import thing\n")
    (root / "b.py").write_text("def thing():\n    from pkg import a\n    return a\n")
    (root / "c.py").write_text("from . import b\n")
    graph = import_graph(module_files(root))
    assert graph["pkg.c"] == {"pkg.b"}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_the_graph_sees_the_stages_imports() -> None:
    graph = import_graph(module_files())
    assert "eventledger.models" in graph["eventledger.pipeline"]
    assert "eventledger.stages.claims.figures" in graph["eventledger.stages.claims"]
    assert not any(m.startswith("eventledger.stages.statements") for m in graph["eventledger.stages.claims"])
