"""The package's layers import one way: down, never up, not even lazily.

STYLE.md section 1: the tree is the architecture. Every ``import`` and ``from ... import``
statement of every module (at the top or inside a function), and every
``"dask_variants.module:Name"`` string a module hands to the machinery that imports it (a
namespace naming its kind mixin), is an edge; an edge from a module to a module of a
higher layer fails, and so does any import cycle between modules.
"""
import ast
import pathlib
import re

import pytest

import dask_variants

ROOT = pathlib.Path(dask_variants.__file__).parent

#: top first; a module may import its own layer and those below it. The first prefix
#: that matches a module (longest first) decides its layer.
LAYERS = [
    ("entry points", ["dask_variants", "dask_variants.__main__", "dask_variants.incremental",
                      "dask_variants.iid", "dask_variants.exact", "dask_variants.utils",
                      "dask_variants.utils.discovery", "dask_variants.utils.estimator_checks",
                      "dask_variants.utils._check_data"]),
    ("fronts", ["dask_variants.model_selection", "dask_variants.wrappers",
                "dask_variants.datasets"]),
    ("mixins", ["dask_variants.mixins"]),
    ("metrics", ["dask_variants.metrics"]),
    ("building classes", ["dask_variants._variants"]),
    ("streaming engine", ["dask_variants.engine"]),
    ("block helpers", ["dask_variants.blocks"]),
    ("foundation", ["dask_variants._config", "dask_variants.exceptions",
                    "dask_variants._dask_compat", "dask_variants._sklearn_compat"]),
]

_SPEC = re.compile(r"^(dask_variants(?:\.\w+)+):\w+$")


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


MODULES = dict(_modules())


def _layer(module):
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[1]):
                    best = (rank, prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return best[0]


def _known(name):
    """The package module ``name`` names (a module, or a name inside one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _edges(module, path):
    """``{imported module: line}`` for every import of ``module``, lazy ones included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = {}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # ``from package import submodule`` imports the submodule; a name defined
            # in the package's ``__init__`` is an edge to the package
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in MODULES else origin
                       for a in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _SPEC.match(node.value)
            targets = [match.group(1)] if match else []
        for target in targets:
            known = _known(target) if target.startswith("dask_variants") else None
            if known and known != module:
                found.setdefault(known, node.lineno)
    return found


GRAPH = {module: _edges(module, path) for module, path in MODULES.items()}


def test_layers_cover_every_module():
    for module in MODULES:
        _layer(module)


def test_layers_are_the_folders():
    """The three inner layers are packages of their own, visible in the tree."""
    for package in ("_variants", "engine", "blocks"):
        assert (ROOT / package / "__init__.py").is_file()
    flat = sorted(p.name for p in ROOT.glob("_*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert flat == ["_config.py", "_dask_compat.py", "_sklearn_compat.py"], flat


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    rank = _layer(module)
    upward = [
        f"{module}:{line} imports {target} ({LAYERS[_layer(target)][0]}, above "
        f"{LAYERS[rank][0]})"
        for target, line in GRAPH[module].items() if _layer(target) < rank
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    """Modules import each other one way only, within a layer too."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
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
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_the_walker_sees_lazy_imports_and_mixin_names():
    """The test itself: a lazy import and a namespace's mixin name are edges."""
    assert "dask_variants.engine._distributed" in GRAPH["dask_variants.engine._fit"]
    assert "dask_variants.mixins.incremental" in GRAPH["dask_variants.incremental"]
