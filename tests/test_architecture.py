"""The package's shape: stage packages in one direction, no import cycle, no import hidden in a function."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# The stages in pipeline order: a module may import its own stage and the ones before it, never a later one.
STAGES = ("", "source", "forms", "content", "compute", "checks", "render", "pipeline", "authoring", "audit", "commands")

# Third-party libraries a module may import inside a function, because importing them costs noticeable time
# and most runs never need them. Modules of this package are always imported at the top.
LAZY_LIBRARIES = {"weasyprint", "openpyxl", "distributed", "tqdm", "resource", "watchfiles"}
# The one module of this package imported inside a function, for the same reason: it loads WeasyPrint.
LAZY_MODULES = {"generator.render.pdfengine"}
ENTRY_POINTS = {"generator.__main__"}  # run as `python -m generator`: it starts the command line


@lru_cache(maxsize=1)
def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imported(module: str, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The package's modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    if node.level:  # relative
        base = module.split(".")
        is_package = module in PACKAGES
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("generator"):
        return []
    names = [f"{target}.{alias.name}" for alias in node.names]
    return [n for n in names if n in known] or ([target] if target in known else [])


PACKAGES = {name for name in modules() if (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()}


@lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    edges = {}
    for name, tree in found.items():
        edges[name] = {target for node in _top_level_imports(tree) for target in imported(name, node, known)}
    return edges


def _top_level_imports(tree: ast.Module):
    """Imports run when the module loads: at top level, and in top-level if/try blocks."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try)):
            pending += node.body + node.orelse + getattr(node, "finalbody", []) + \
                [n for h in getattr(node, "handlers", []) for n in h.body]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), and modules importing themselves."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else 0


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stages_import_only_earlier_stages():
    wrong = [f"{module} → {target}" for module, targets in graph().items() for target in sorted(targets)
             if stage(target) > stage(module) and module not in ENTRY_POINTS]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_import_inside_a_function(name):
    """No module of this package is imported inside a function (that is how a cycle hides), and nothing is
    imported only for type checkers (``if TYPE_CHECKING``)."""
    tree = modules()[name]
    hidden = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module in LAZY_MODULES:
                    continue
                if isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").startswith("generator")):
                    hidden.append(f"{node.name}: from {'.' * inner.level}{inner.module or ''}")
                elif isinstance(inner, (ast.Import, ast.ImportFrom)):
                    roots = [a.name.split(".")[0] for a in inner.names] if isinstance(inner, ast.Import) \
                        else [(inner.module or "").split(".")[0]]
                    hidden += [f"{node.name}: {r}" for r in roots if r not in LAZY_LIBRARIES]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            hidden.append(f"line {node.lineno}: if TYPE_CHECKING")
    assert hidden == []
