"""The package's layout: imports point down, never round in a circle or up to the root.

A module that imports one that imports it back can only work by importing inside a
function, and the order it loads in decides whether it breaks; a module that imports
the package root pulls in every part of the extension. Imports made only for type
checking (under ``if TYPE_CHECKING:``) are not counted: they do not run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import conference_recaps

PACKAGE = Path(conference_recaps.__file__).parent
ROOT = "conference_recaps"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.ImportFrom | ast.Import]:
    found: list[ast.ImportFrom | ast.Import] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph() -> dict[str, set[str]]:
    """``{module: the package's modules it imports at run time}``."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif node.module and node.level == 0:
                names = [
                    f"{node.module}.{alias.name}"
                    if f"{node.module}.{alias.name}" in modules
                    else node.module
                    for alias in node.names
                ]
            else:
                names = []
            targets.update(n for n in names if n == ROOT or n.startswith(ROOT + "."))
        graph[name] = targets
    return graph


def test_no_module_imports_the_package_root() -> None:
    graph = import_graph()
    upward = sorted(name for name, targets in graph.items() if ROOT in targets)
    assert upward == [], "these modules import conference_recaps itself"


def test_imports_have_no_cycle() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_extension_does_not_import_the_command_line() -> None:
    graph = import_graph()
    seen: set[str] = set()
    todo = [ROOT]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(graph.get(name, ()))
    assert sorted(m for m in seen if m.startswith(f"{ROOT}.cli")) == []
