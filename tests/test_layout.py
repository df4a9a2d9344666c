"""The code's layout, held by a test: the rooms of crawler/ import one way, Scrapy, Redis and SQLite stay in
their rooms, no two modules import each other, and modules and functions stay small enough to read.

Imports are read from the source (ast), lazy imports inside functions included: a lazy import is still a
dependency, and a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "pipelines")

#: The layers, lowest first. A module may import its own layer and those below, never one above.
LAYERS: dict[str, int] = {
    "crawler.settings": 0, "crawler.sites": 0, "crawler.extract": 0,  # what to fetch and how to read it
    "crawler.archive": 1,  # SQLite only
    "crawler.crawl": 2, "crawler.evidence": 2, "crawler.live": 2, "pipelines": 2,  # one machine
    "crawler.fleet": 3,  # several machines, through Redis
    "crawler.cli": 4, "crawler.__main__": 4, "crawler.datasette_plugins": 4, "crawler": 4,  # the interfaces
}
#: Third-party modules that only some rooms may import.
ONLY_IN: dict[str, tuple[str, ...]] = {
    "scrapy": ("crawler.crawl", "crawler.evidence", "crawler.fleet", "pipelines"),
    "twisted": ("crawler.crawl", "crawler.evidence", "crawler.fleet", "pipelines"),
    "redis": ("crawler.fleet",),
    "scrapy_redis": ("crawler.fleet",),
    "click": ("crawler.cli",),
    "datasette": ("crawler.archive", "crawler.datasette_plugins"),  # browse
}
NOT_IN: dict[str, tuple[str, ...]] = {"sqlite3": ("crawler.cli",), "sqlite_utils": ("crawler.cli",)}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the project's packages under `root`, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """The modules `name` imports anywhere in its source, resolved: `from a.b import c` is a.b.c when c is a module,
    else a.b. Third-party imports come out as their top-level name."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name if alias.name.split(".")[0] in PACKAGES else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                yield target.split(".")[0]
                continue
            for alias in node.names:
                yield f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target


def import_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(the project's modules -> project modules they import, the project's modules -> third-party modules)."""
    modules = module_files(root)
    inner: dict[str, set[str]] = {name: set() for name in modules}
    outer: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target in imports_of(name, path, modules):
            if target.split(".")[0] in PACKAGES:
                if target != name:
                    inner[name].add(target)
            else:
                outer[name].add(target)
    return inner, outer


def room_of(module: str) -> str:
    """The longest entry of LAYERS that `module` is, or is inside."""
    rooms = [room for room in LAYERS if module == room or module.startswith(room + ".")]
    if not rooms:
        raise AssertionError(f"{module} is in no room of LAYERS: add its folder there")
    return max(rooms, key=len)


def upward_imports(inner: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} (layer {LAYERS[room_of(module)]}) imports {target} (layer {LAYERS[room_of(target)]})"
                  for module, targets in inner.items() for target in targets
                  if LAYERS[room_of(target)] > LAYERS[room_of(module)])


def cycles(inner: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in inner.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(inner):
        if node not in index:
            visit(node)
    return found


def misplaced_libraries(outer: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, libraries in outer.items():
        room = room_of(module)
        for library in sorted(libraries):
            if library in ONLY_IN and room not in ONLY_IN[library]:
                wrong.append(f"{module} imports {library} (only {', '.join(ONLY_IN[library])} may)")
            if room in NOT_IN.get(library, ()):
                wrong.append(f"{module} imports {library} ({room} may not)")
    return wrong


def test_rooms_import_downwards_only() -> None:
    inner, _ = import_graph()
    wrong = upward_imports(inner)
    assert not wrong, "\n".join(wrong)


def test_scrapy_redis_click_and_sqlite_stay_in_their_rooms() -> None:
    _, outer = import_graph()
    wrong = misplaced_libraries(outer)
    assert not wrong, "\n".join(wrong)


def test_no_two_modules_import_each_other() -> None:
    inner, _ = import_graph()
    found = cycles(inner)
    assert not found, "\n".join(" <-> ".join(group) for group in found)


def test_the_cli_runs_no_sql() -> None:
    """The CLI passes options to one library call: it opens no connection and executes nothing itself."""
    calls = []
    for name, path in module_files(ROOT).items():
        if room_of(name) != "crawler.cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"execute", "executemany", "executescript", "cursor"}:
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not calls, "\n".join(calls)


def test_modules_and_functions_are_small() -> None:
    too_long = []
    for path in module_files(ROOT).values():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}(): {length} lines")
    assert not too_long, "\n".join(too_long)


@pytest.fixture
def toy_project(tmp_path: Path) -> Path:
    """A project whose archive imports the fleet inside a function, and whose fleet and crawl import each other."""
    files = {
        "crawler/__init__.py": "",
        "crawler/archive/__init__.py": "",
        "crawler/archive/store.py": "def f():\n    from crawler.fleet import stream\n",
        "crawler/fleet/__init__.py": "",
        "crawler/fleet/stream.py": "import redis\nfrom crawler.crawl.run import go\n",
        "crawler/crawl/__init__.py": "",
        "crawler/crawl/run.py": "import redis\nfrom crawler.fleet import stream\n\ndef go():\n    pass\n",
        "crawler/cli/__init__.py": "import sqlite3\n",
        "pipelines/__init__.py": "from . import x\n",
        "pipelines/x.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_checks_see_lazy_upward_imports_cycles_and_misplaced_libraries(toy_project: Path) -> None:
    inner, outer = import_graph(toy_project)
    assert inner["pipelines"] == {"pipelines.x"}  # relative imports resolved
    assert upward_imports(inner) == [
        "crawler.archive.store (layer 1) imports crawler.fleet.stream (layer 3)",
        "crawler.crawl.run (layer 2) imports crawler.fleet.stream (layer 3)"]
    assert cycles(inner) == [["crawler.crawl.run", "crawler.fleet.stream"]]
    assert misplaced_libraries(outer) == ["crawler.cli imports sqlite3 (crawler.cli may not)",
                                          "crawler.crawl.run imports redis (only crawler.fleet may)"]
