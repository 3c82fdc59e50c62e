"""The exact univariate selectors equal scikit-learn's fit on the concatenated rows.

Tolerance: chi2 rtol 1e-12; f_classif and f_regression rtol 1e-9 (see the rule's
docstring); the selected features exactly, ties included.
"""
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.feature_selection import (SelectFdr, SelectFpr, SelectFwe, SelectKBest,
                                       SelectPercentile, chi2, f_classif, f_regression,
                                       mutual_info_classif)

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

rng = np.random.RandomState(0)
Y = np.sort(rng.choice([0, 1, 2], 200, p=[0.5, 0.3, 0.2]))  # blocks lack classes
X = rng.poisson(3.0, size=(200, 8)).astype(float)
X[:, :3] += Y[:, None] * [0.5, 1.0, 2.0]
X[:, 5] = X[:, 4]  # a tie
X[:, 6] = 2.0  # constant
YR = X[:, 0] * 0.3 - X[:, 2] + rng.normal(size=200)

SELECTORS = [(SelectKBest, {"k": 3}), (SelectKBest, {"k": "all"}),
             (SelectKBest, {"k": 5}),  # cuts through the tie of columns 4 and 5
             (SelectPercentile, {"percentile": 30}), (SelectFpr, {"alpha": 0.05}),
             (SelectFdr, {"alpha": 0.1}), (SelectFwe, {"alpha": 0.1})]


def _check(ours, ref, dX, rtol):
    assert_same_fit(ours, ref, rtol=rtol, atol=1e-12)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())


@pytest.mark.filterwarnings("ignore:Features .* are constant")
@pytest.mark.parametrize("dX, dy, dyr", layouts(X, Y, YR))
@pytest.mark.parametrize("func, rtol", [(f_classif, 1e-9), (chi2, 1e-12),
                                        (f_regression, 1e-9)])
def test_select_k_best_equals_sklearn(dX, dy, dyr, func, rtol):
    target = dyr if func is f_regression else dy
    ours = exact.SelectKBest(func, k=4).fit(dX, target)
    ref = SelectKBest(func, k=4).fit(concat(dX), concat(target))
    _check(ours, ref, dX, rtol)


@pytest.mark.filterwarnings("ignore:Features .* are constant")
@pytest.mark.parametrize("cls, params", SELECTORS, ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("func", [f_classif, chi2, f_regression])
def test_selectors_equal_sklearn(cls, params, func):
    target = YR if func is f_regression else Y
    dX, dy = da.from_array(X, chunks=(37, -1)), da.from_array(target, chunks=37)
    ours = exact.variant(cls)(func, **params).fit(dX, dy)
    ref = cls(func, **params).fit(X, target)
    _check(ours, ref, dX, 1e-9)


@pytest.mark.filterwarnings("ignore:Features .* are constant")
@pytest.mark.parametrize("func", [f_classif, chi2, f_regression])
def test_selectors_sparse_blocks(func):
    S = scipy.sparse.csr_matrix(X * (rng.rand(*X.shape) < 0.5))
    target = YR if func is f_regression else Y
    dS = da.from_array(S, chunks=(45, -1), asarray=False)
    ours = exact.SelectKBest(func, k=3).fit(dS, da.from_array(target, chunks=45))
    _check(ours, SelectKBest(func, k=3).fit(S, target), dS, 1e-9)


def test_f_classif_warns_on_constant_features_as_sklearn():
    dX, dy = da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50)
    with pytest.warns(UserWarning, match=r"Features \[6\] are constant"):
        exact.SelectKBest(f_classif).fit(dX, dy)


def test_select_k_best_warns_when_k_exceeds_features_as_sklearn():
    dX, dy = da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50)
    with pytest.warns(UserWarning, match="k=20 is greater than n_features=8"):
        exact.SelectKBest(chi2, k=20).fit(dX, dy)


def test_selector_transform_is_lazy_and_equals_sklearn():
    dX, dy = da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50)
    ours = exact.SelectKBest(chi2, k=3).fit(dX, dy)
    out = ours.transform(dX)
    assert isinstance(out, da.Array)
    np.testing.assert_array_equal(out.compute(), SelectKBest(chi2, k=3).fit(X, Y).transform(X))


@pytest.mark.parametrize("func", [mutual_info_classif, lambda X, y: f_classif(X, y)])
def test_selectors_refuse_other_score_funcs_before_reading(func):
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.SelectKBest(func, k=2)
    with pytest.raises(ValueError, match="f_classif.*f_regression.*chi2") as info:
        est.fit(dX, da.from_array(Y, chunks=50))
    assert "dask_variants.iid.SelectKBest" in str(info.value)
    assert not hasattr(est, "scores_")


def test_chi2_refuses_negative_values_as_sklearn():
    dX = da.from_array(X - 5, chunks=(50, -1))
    with pytest.raises(ValueError, match="Input X must be non-negative"):
        exact.SelectKBest(chi2).fit(dX, da.from_array(Y, chunks=50))
