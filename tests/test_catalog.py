"""The generated catalog agrees with the installed scikit-learn."""
import sklearn
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.utils import all_estimators

from dask_variants import _catalog


def test_catalog_lists_every_estimator_of_all_estimators():
    names = {name: cls for name, cls in all_estimators()}
    assert set(_catalog.CATALOG) == set(names), (
        f"dask_variants/_catalog.py was generated for scikit-learn "
        f"{_catalog.SKLEARN_VERSION}, this is {sklearn.__version__}: run "
        "python -m dask_variants._catalog"
    )
    for name, (module, partial) in _catalog.CATALOG.items():
        assert partial == hasattr(names[name], "partial_fit"), name
        assert not any(part.startswith("_") for part in module.split(".")), name


def test_catalog_counts():
    assert len(_catalog.CATALOG) == len(all_estimators())
    assert sum(p for _, p in _catalog.CATALOG.values()) == sum(
        hasattr(c, "partial_fit") for _, c in all_estimators())
