"""Every scikit-learn internal we use exists on the installed scikit-learn, as we use it.

CI runs this on the newest scikit-learn and on the oldest setup.cfg accepts
(``.ci/oldest.txt``): a release that moves or drops one of these fails here, naming it,
instead of somewhere deep in a fit.
"""
import ast
import importlib
import inspect
import pathlib
import re

import numpy as np
import pytest

import dask_variants
from dask_variants import _sklearn_compat as compat

ROOT = pathlib.Path(dask_variants.__file__).parent


@pytest.mark.parametrize("name", sorted(compat.INTERNALS))
def test_internal_exists(name):
    module, attr, why = compat.INTERNALS[name]
    assert why
    assert getattr(importlib.import_module(module), attr) is getattr(compat, name)
    value = getattr(compat, name)
    assert callable(value) or isinstance(value, str)  # a function, a class, a message


@pytest.mark.parametrize("name", sorted(compat.CLASSES))
def test_private_class_exists_and_is_matched_by_its_spec(name):
    from dask_variants.blocks._rules import find_class

    module, attr, _ = compat.CLASSES[name]
    cls = getattr(importlib.import_module(module), attr)
    assert inspect.isclass(cls)
    assert find_class(*compat.spec(name).split(":")) is cls


def _instance(cls, member):
    """A built (and, for ``fitted`` members, fitted) object of ``cls``."""
    if member == "_score_func":
        from sklearn.metrics import accuracy_score

        return cls(accuracy_score)
    est = cls()
    X, y = np.random.RandomState(0).rand(20, 3), np.arange(20.0)
    return est.fit(X, y)


@pytest.mark.parametrize("owner, member", sorted(compat.MEMBERS))
def test_private_member_exists(owner, member):
    kind, why = compat.MEMBERS[owner, member]
    module, name = owner.split(":")
    cls = getattr(importlib.import_module(module), name)
    assert why and kind in ("class", "fitted", "instance")
    target = cls if kind == "class" else _instance(cls, member)
    assert hasattr(target, member), f"{owner} has no {member} ({kind}): {why}"


def test_every_private_scikit_learn_import_goes_through_the_table():
    """``from sklearn...._x import _y`` only in _sklearn_compat.py."""
    allowed = {"_sklearn_compat.py"}
    private = re.compile(r"(^|\.)_")
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                names = [a.name for a in node.names]
                if private.search(node.module) or any(n.startswith("_") for n in names):
                    found.append(f"{rel}:{node.lineno} from {node.module} import {names}")
    assert not found, found
