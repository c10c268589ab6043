"""The package's layers, checked from its source: no import cycles, an engine that knows no
HTTP framework and no vendor, a SCIM core below the vendors, and vendors reached only through
their registry.

Every ``import`` counts, including those inside functions; imports under ``if TYPE_CHECKING:``
do not (they never run). An edge goes to the module an import names (``from a.b import c``
names ``a.b.c`` when that is a module, else ``a.b``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mockscim"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_nodes(tree: ast.AST) -> Iterable[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports_of(source: str, modules: set[str]) -> set[str]:
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    files = {module_name(p): p for p in package.rglob("*.py")}
    names = set(files)
    return {
        name: {m for m in imports_of(path.read_text(encoding="utf-8"), names)}
        for name, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


GRAPH = import_graph()


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles_through_function_level_imports(tmp_path: Path) -> None:
    """The check above can fail: a cycle closed by an import inside a function is found."""
    pkg = tmp_path / "mockscim"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from mockscim import b\n")
    (pkg / "b.py").write_text("def later():\n    import mockscim.c\n")
    (pkg / "c.py").write_text("from mockscim.a import thing\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mockscim.a\n"
    )
    names = {f"mockscim.{n}" for n in ("a", "b", "c", "d")} | {"mockscim"}
    graph = {
        f"mockscim.{n}": imports_of((pkg / f"{n}.py").read_text(), names)
        for n in ("a", "b", "c", "d")
    }
    assert cycles(graph) == [["mockscim.a", "mockscim.b", "mockscim.c"]]


def test_the_package_top_level_holds_at_most_eight_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


def test_the_engine_imports_no_http_framework_and_no_vendor() -> None:
    for module, targets in GRAPH.items():
        if not _in(module, "mockscim.engine"):
            continue
        for target in targets:
            assert not target.startswith(("flask", "werkzeug")), (module, target)
            if target.startswith("mockscim"):
                assert _in(target, "mockscim.engine") or target == "mockscim.settings", (
                    module,
                    target,
                )


def test_the_scim_core_sits_below_the_vendors() -> None:
    allowed = ("mockscim.engine", "mockscim.http", "mockscim.scim")
    for module, targets in GRAPH.items():
        if not _in(module, "mockscim.scim"):
            continue
        for target in targets:
            if target.startswith("mockscim"):
                assert any(_in(target, a) for a in allowed), (module, target)


VENDOR_PACKAGES = sorted(
    f"mockscim.vendors.{p.name}"
    for p in (PACKAGE / "vendors").iterdir()
    if p.is_dir() and (p / "__init__.py").exists()
)


@pytest.mark.parametrize("vendor", VENDOR_PACKAGES)
def test_only_the_registry_names_a_vendor_package(vendor: str) -> None:
    for module, targets in GRAPH.items():
        if _in(module, vendor) or module == "mockscim.vendors":
            continue
        named = [t for t in targets if _in(t, vendor)]
        assert not named, f"{module} imports {named}: go through mockscim.vendors.VENDORS"


def test_every_vendor_package_follows_the_same_recipe() -> None:
    recipe = {
        "__init__",
        "routes",
        "models",
        "errors",
        "policy",
        "scim_server",
        "rotation",
        "state",
        "seeding",
        "openapi",
    }
    for vendor in VENDOR_PACKAGES:
        folder = PACKAGE / "vendors" / vendor.rsplit(".", 1)[1]
        present = {p.stem for p in folder.glob("*.py")}
        assert recipe <= present, (vendor, sorted(recipe - present))
