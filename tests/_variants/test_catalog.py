"""The catalog agrees with the installed scikit-learn, shipped or built and cached."""
import json

import dask
import pytest
import sklearn
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.utils import all_estimators

from dask_variants._variants import _catalog


def _check_against_all_estimators(catalog):
    names = dict(all_estimators())
    assert set(catalog.entries) == set(names), (
        f"the catalog of scikit-learn {catalog.version} does not list the estimators of "
        f"the installed {sklearn.__version__}; if it is the shipped one, run "
        "python -m dask_variants._variants._catalog"
    )
    for name, (module, partial) in catalog.entries.items():
        assert partial == hasattr(names[name], "partial_fit"), name
        assert not any(part.startswith("_") for part in module.split(".")), name
    assert set(catalog.experimental) == {
        "IterativeImputer", "HalvingGridSearchCV", "HalvingRandomSearchCV"}


def test_catalog_lists_every_estimator_of_all_estimators():
    catalog = _catalog.load()
    assert catalog.version == sklearn.__version__
    _check_against_all_estimators(catalog)


def test_catalog_counts():
    entries = _catalog.load().entries
    assert len(entries) == len(all_estimators())
    assert sum(p for _, p in entries.values()) == sum(
        hasattr(c, "partial_fit") for _, c in all_estimators())


def test_catalog_version_is_read_without_importing_sklearn():
    import subprocess
    import sys

    code = ("import sys; from dask_variants._variants import _catalog; v = _catalog._installed(); "
            "print(v[0], 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == [sklearn.__version__, "False"]


def test_catalog_shipped_one_is_used_for_its_version():
    catalog = _catalog.load()
    assert (catalog.entries is _catalog.CATALOG) == (
        sklearn.__version__ == _catalog.SKLEARN_VERSION)


@pytest.fixture
def unshipped(monkeypatch, tmp_path):
    """The installed scikit-learn as if the package did not ship its catalog."""
    monkeypatch.setattr(_catalog, "SKLEARN_VERSION", "0.0")
    monkeypatch.setattr(_catalog, "_LOADED", None)
    with dask.config.set({"dask_variants.catalog-cache": str(tmp_path)}):
        yield tmp_path


@pytest.mark.slow
def test_catalog_other_version_is_built_once_then_read_from_the_cache(unshipped, monkeypatch):
    built = _catalog.load()  # in a child interpreter
    _check_against_all_estimators(built)
    (path,) = unshipped.iterdir()
    assert sklearn.__version__ in path.name
    assert json.loads(path.read_text())["sklearn_version"] == sklearn.__version__

    def no_build(version):
        raise AssertionError("built again although cached")

    monkeypatch.setattr(_catalog, "_build_in_child", no_build)
    monkeypatch.setattr(_catalog, "_LOADED", None)
    assert _catalog.load() == built


def test_catalog_unreadable_or_stale_cache_is_rebuilt(unshipped, monkeypatch):
    data = {"format": _catalog._FORMAT, "sklearn_version": sklearn.__version__,
            "experimental": {}, "catalog": {"Ridge": ["linear_model", False]}}
    monkeypatch.setattr(_catalog, "_build_in_child", lambda version: data)
    path = _catalog._cache_file(*_catalog._installed())
    with open(path, "w") as f:
        f.write("{not json")
    assert _catalog.load().entries == {"Ridge": ("linear_model", False)}
    assert json.loads(open(path).read()) == data  # rewritten

    stale = dict(data, sklearn_version="0.1", catalog={})
    with open(path, "w") as f:
        json.dump(stale, f)
    monkeypatch.setattr(_catalog, "_LOADED", None)
    assert _catalog.load().entries == {"Ridge": ("linear_model", False)}


def test_catalog_cache_off_builds_in_memory(unshipped, monkeypatch):
    data = {"format": _catalog._FORMAT, "sklearn_version": sklearn.__version__,
            "experimental": {}, "catalog": {}}
    monkeypatch.setattr(_catalog, "_build_in_child", lambda version: data)
    with dask.config.set({"dask_variants.catalog-cache": False}):
        assert _catalog.load().version == sklearn.__version__
    assert list(unshipped.iterdir()) == []


def test_catalog_build_failure_says_what_to_do(unshipped, monkeypatch):
    monkeypatch.setenv("PYTHONWARNINGS", "error")
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with pytest.raises(RuntimeError, match="could not list the estimators"):
        _catalog.load()
