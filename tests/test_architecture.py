"""The architecture of `src/refs`, read statically from its import graph.

Every module of `src/refs` is in one layer; the longest matching prefix of
`LAYERS` names it (`refs.parse.learned.crf` is in `refs.parse`, so core):

| layer       | modules                                                   | may import                           |
|-------------|-----------------------------------------------------------|--------------------------------------|
| core        | refs.model,                                               | core only: pure, no network, no      |
|             | refs.work, refs.ids, refs.errors, refs.split,             | files, no settings                   |
|             | refs.parse, refs.normalize, refs.compare, refs.resolve,   |                                      |
|             | refs.export, refs.readers, refs.formats, refs.report      |                                      |
|             | (the report layer is pure rendering, page included)       |                                      |
| composition | refs.pipeline (the one place the core meets the world),   | core, and `EXCEPTIONS`: refs.sources |
|             | refs.api and refs (the public face, its verbs)            |                                      |
|             |                                                           | (lazily), refs.io, refs.config       |
| edge        | refs.sources, refs.serve, refs.check, refs.cli,           | anything                             |
|             | refs.io, refs.training, refs.config,                      |                                      |
|             | refs.__main__                                             |                                      |

and:

- no import cycle between modules (the rule for packages is below);
- no module over `MAX_LINES` (800) physical lines: split it.

A new module under a prefix already listed needs nothing here; a new top-level
module or package needs a line in `LAYERS` (the test says so).

How imports are read. Every `import`/`from … import` anywhere in a module
(function bodies and `if TYPE_CHECKING:` blocks included: the layering is about
what a module knows, not only what it loads first). `from refs.a import b`
is an edge to `refs.a.b` when that is a module, else to `refs.a`; relative
imports resolve the same way. `importlib.import_module("…")` is not seen.

Cycles and packages. Python runs `refs/a/__init__.py` before any module of
`refs.a`, so:

1. An import of `refs.a.b` from outside `refs.a` also runs `refs.a`'s
   `__init__`: it counts as an edge to `refs.a` too (a facade that re-exports
   a module which imports you back is a cycle).
2. A module importing its *own* package or an ancestor of it
   (`from refs.a import x` in `refs.a.b`) is not an edge for cycles: by the
   time `refs.a.b` runs, `refs.a` is already in `sys.modules`, so the import
   loads no code and cannot change the order modules load in; if `refs.a` has
   not bound `x` yet it fails at once, on every run. Without this rule every
   package whose `__init__` imports `b` would "cycle" with `b`.

The opposite rule (drop the edges from an `__init__` to its own submodules)
would hide real cycles through a facade: `refs.a` (init) -> `refs.a.x` ->
`refs.b` -> `refs.a` loads differently depending on whether `refs.a` or
`refs.b` is imported first, yet its only package edge is the init's. A cycle is
then a strongly connected component of more than one module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "refs"
MAX_LINES = 800

LAYERS: dict[str, tuple[str, ...]] = {
    "core": (
        "refs.model",
        "refs.work",
        "refs.ids",
        "refs.errors",
        "refs.split",
        "refs.parse",
        "refs.normalize",
        "refs.compare",
        "refs.resolve",
        "refs.export",
        "refs.readers",
        "refs.report",  # pure rendering of results: records, summaries, the review page
        "refs.formats",  # formats by name: detection and reading (pure)
    ),
    "composition": (
        "refs.pipeline",
        "refs.api",  # the library verbs: refs.parse, refs.clean, refs.check
        "refs",  # the package's __init__ only: the public face, re-exporting the verbs
    ),
    "edge": (
        "refs.sources",
        "refs.serve",
        "refs.check",
        "refs.cli",
        "refs.io",
        "refs.training",
        "refs.config",
        "refs.__main__",
    ),
}
# What each layer may import, besides its own layer and the EXCEPTIONS below.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "composition": frozenset({"core", "composition"}),
    "edge": frozenset({"core", "composition", "edge"}),
}
# (importer prefix, imported prefix) -> (function-local only?, why). Keep this short.
EXCEPTIONS: dict[tuple[str, str], tuple[bool, str]] = {
    ("refs.pipeline", "refs.sources"): (
        True,
        "opens a source by name (index, crossref, URL); inside the function, so that "
        "importing the pipeline loads neither SQLite nor the HTTP client",
    ),
    ("refs.pipeline", "refs.io"): (False, "reads inputs and writes outputs"),
    ("refs.pipeline", "refs.config"): (False, "the default index path and mailto"),
    ("refs", "refs.check"): (
        False,
        "loads the `refs check` package (an __init__ with a docstring only) before the verb "
        "`refs.check` is bound, so that a later import of the package cannot rebind the name",
    ),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int
    lazy: bool  # inside a function body

    def __str__(self) -> str:
        where = f"{self.path.relative_to(SRC.parent)}:{self.line}"
        return f"{where}: {self.importer} -> {self.imported}{' (lazy)' if self.lazy else ''}"


def find_modules(src: Path = SRC, package: str = PACKAGE) -> dict[str, Path]:
    """Module name -> file; a package is named by its `__init__.py`."""
    modules = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_package(modules: Mapping[str, Path], name: str) -> bool:
    return modules[name].name == "__init__.py"


def _deepest(modules: Mapping[str, Path], name: str) -> str | None:
    """`name`, or its longest prefix that is a module (`refs.a.b.func` -> `refs.a.b`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


class _Visitor(ast.NodeVisitor):
    def __init__(self, modules: Mapping[str, Path], name: str, package: str) -> None:
        self.modules, self.name, self.package = modules, name, package
        self.depth = 0
        self.found: list[Import] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    @property
    def _parent(self) -> str:
        return self.name.rpartition(".")[0]

    def _ours(self, name: str) -> bool:
        return name == self.package or name.startswith(self.package + ".")

    def _add(self, target: str | None, node: ast.stmt) -> None:
        edge = Import(self.name, target or "", self.modules[self.name], node.lineno, self.depth > 0)
        if target and target != self.name and edge not in self.found:  # once a statement
            self.found.append(edge)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if self._ours(alias.name):
                self._add(_deepest(self.modules, alias.name), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            here = self.name if _is_package(self.modules, self.name) else self._parent
            parts = here.split(".")
            base = parts[: len(parts) - node.level + 1]  # `.` is `here`, `..` its parent
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module or ""
        if not self._ours(module):
            return
        for alias in node.names:
            submodule = f"{module}.{alias.name}"
            target = submodule if submodule in self.modules else _deepest(self.modules, module)
            self._add(target, node)


def find_imports(modules: Mapping[str, Path], package: str = PACKAGE) -> list[Import]:
    found: list[Import] = []
    for name, path in modules.items():
        visitor = _Visitor(modules, name, package)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found.extend(visitor.found)
    return found


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def cycle_edges(imports: Iterable[Import]) -> dict[tuple[str, str], list[Import]]:
    """The graph cycles are looked for in (rules 1 and 2 of the module docstring)."""
    graph: dict[tuple[str, str], list[Import]] = {}
    for edge in imports:
        parts = edge.imported.split(".")
        ancestors = [".".join(parts[:i]) for i in range(1, len(parts))]
        for target in [edge.imported, *ancestors]:
            if not _inside(edge.importer, target):  # rule 2; and rule 1 for outsiders only
                graph.setdefault((edge.importer, target), []).append(edge)
    return graph


def strongly_connected(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of more than one node, sorted."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for a, b in edges:
        successors.setdefault(a, []).append(b)
        successors.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(successors):
        if root in index:
            continue
        work = [(root, iter(sorted(successors[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            child = next(pending, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(successors[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(components)


def layer_of(name: str) -> str | None:
    best: tuple[int, str] | None = None
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            matches = name == prefix if prefix == PACKAGE else _inside(name, prefix)
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    return best[1] if best else None


def layer_violations(imports: Iterable[Import]) -> list[str]:
    found = []
    for edge in imports:
        source, target = layer_of(edge.importer), layer_of(edge.imported)
        if source is None or target is None or target in MAY_IMPORT[source]:
            continue
        allowed = [
            lazy_only
            for (importer, imported), (lazy_only, _why) in EXCEPTIONS.items()
            if (
                edge.importer == importer
                if importer == PACKAGE
                else _inside(edge.importer, importer)
            )
            and _inside(edge.imported, imported)
        ]
        if allowed and (edge.lazy or not allowed[0]):
            continue
        hint = " (allowed only inside a function)" if allowed else ""
        found.append(f"{edge}  [{source} -> {target}]{hint}")
    return found


def physical_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# The contract on the tree.

MODULES = find_modules()
IMPORTS = find_imports(MODULES)


def test_every_module_has_a_layer() -> None:
    missing = [name for name in MODULES if layer_of(name) is None]
    assert not missing, "modules in no layer: add them to LAYERS in this file:\n  " + "\n  ".join(
        missing
    )


def test_no_import_cycles() -> None:
    graph = cycle_edges(IMPORTS)
    components = strongly_connected(MODULES, graph)
    report = []
    for component in components:
        members = set(component)
        report.append("cycle: " + ", ".join(component))
        for (a, b), edges in sorted(graph.items()):
            if a in members and b in members:
                for edge in edges:
                    via = "" if edge.imported == b else f" (which runs {b}.__init__ first)"
                    report.append(f"    {edge}{via}")
    assert not components, "import cycles between modules:\n" + "\n".join(report)


def test_core_imports_no_edge() -> None:
    found = layer_violations(IMPORTS)
    assert not found, "imports across the layers (see the table in this file):\n  " + "\n  ".join(
        found
    )


def test_no_module_over_max_lines() -> None:
    long = sorted(
        (lines, path.relative_to(SRC.parent))
        for path in MODULES.values()
        if (lines := physical_lines(path)) > MAX_LINES
    )
    assert not long, f"modules over {MAX_LINES} lines: split them:\n" + "\n".join(
        f"  {path}: {lines}" for lines, path in long
    )


# The checker itself, on small trees.


def _tree(tmp_path: Path, files: Mapping[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return find_modules(tmp_path, "pkg")


def _cycles(modules: Mapping[str, Path]) -> list[list[str]]:
    return strongly_connected(modules, cycle_edges(find_imports(modules, "pkg")))


def test_checker_resolves_imports(tmp_path: Path) -> None:
    modules = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a/__init__.py": "from .b import f\nfrom . import c\n",
            "pkg/a/b.py": "def f():\n    from ..d import g\n    import pkg.a.c\n",
            "pkg/a/c.py": "from pkg.a import b\nfrom pkg.d import g\n",
            "pkg/d.py": "def g(): pass\n",
        },
    )
    found = {(i.importer, i.imported, i.lazy) for i in find_imports(modules, "pkg")}
    assert found == {
        ("pkg.a", "pkg.a.b", False),
        ("pkg.a", "pkg.a.c", False),
        ("pkg.a.b", "pkg.d", True),
        ("pkg.a.b", "pkg.a.c", True),
        ("pkg.a.c", "pkg.a.b", False),
        ("pkg.a.c", "pkg.d", False),
    }


def test_checker_cycles(tmp_path: Path) -> None:
    # A submodule importing from its own package's __init__: not a cycle.
    parent_child = {
        "pkg/__init__.py": "",
        "pkg/a/__init__.py": "from pkg.a.b import f\nx = 1\n",
        "pkg/a/b.py": "from pkg.a import x\n",
    }
    assert _cycles(_tree(tmp_path / "1", parent_child)) == []
    # A facade re-exporting a module that imports a module importing the facade.
    facade = {
        "pkg/__init__.py": "",
        "pkg/a/__init__.py": "from pkg.a.x import f\n",
        "pkg/a/x.py": "from pkg.b import g\n",
        "pkg/b.py": "from pkg.a import f\n",
    }
    assert _cycles(_tree(tmp_path / "2", facade)) == [["pkg.a", "pkg.a.x", "pkg.b"]]
    # The same through a submodule: importing pkg.a.y runs pkg/a/__init__.py first.
    through_init = {**facade, "pkg/a/y.py": "", "pkg/b.py": "from pkg.a.y import h\n"}
    assert _cycles(_tree(tmp_path / "3", through_init)) == [["pkg.a", "pkg.a.x", "pkg.b"]]


@pytest.mark.parametrize(
    ("importer", "imported", "lazy", "ok"),
    [
        ("refs.parse.learned.crf", "refs.model", False, True),
        ("refs.resolve.match", "refs.sources.sqlite_index", True, False),
        ("refs.resolve", "refs.pipeline", True, False),
        ("refs.pipeline", "refs.sources", True, True),
        ("refs.pipeline.run", "refs.sources.crossref_api", False, False),
        ("refs.pipeline", "refs.config", False, True),
        ("refs.pipeline", "refs.check", True, False),
        ("refs.cli.clean", "refs.pipeline", False, True),
    ],
)
def test_checker_layers(importer: str, imported: str, lazy: bool, ok: bool) -> None:
    edge = Import(importer, imported, SRC / "refs" / "x.py", 1, lazy)
    assert (layer_violations([edge]) == []) is ok
