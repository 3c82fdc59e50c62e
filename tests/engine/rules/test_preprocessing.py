"""exact.StandardScaler, MinMaxScaler and MaxAbsScaler equal scikit-learn's fit.

Tolerance: rtol 1e-10 (pooled means and variances; minima and maxima exactly).
"""
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 4)) * [1, 1e3, 1e-3, 1] + [0, 1e4, 0, -5]
X[rng.rand(200) < 0.2, 1] = np.nan  # NaN ignored, per-column counts
X[:, 3] = 7.0  # constant
W = rng.uniform(0.1, 3, size=200)


@pytest.mark.parametrize("dX, dw", layouts(X, W))
@pytest.mark.parametrize("params", [{}, {"with_mean": False}, {"with_std": False}])
@pytest.mark.parametrize("weighted", [False, True])
def test_standard_scaler_equals_sklearn(dX, dw, params, weighted):
    ours = exact.StandardScaler(**params).fit(dX, **({"sample_weight": dw} if weighted else {}))
    ref = StandardScaler(**params).fit(
        concat(dX), **({"sample_weight": concat(dw)} if weighted else {}))
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("cls, params", [
    (MinMaxScaler, {}), (MinMaxScaler, {"feature_range": (-2, 5), "clip": True}),
    (MaxAbsScaler, {})], ids=["minmax", "minmax-range-clip", "maxabs"])
def test_range_scalers_equal_sklearn(dX, cls, params):
    ours = exact.variant(cls)(**params).fit(dX)
    ref = cls(**params).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls, params", [(StandardScaler, {"with_mean": False}),
                                         (MaxAbsScaler, {})])
def test_scalers_sparse_blocks(cls, params):
    S = scipy.sparse.csr_matrix(np.nan_to_num(X) * (rng.rand(*X.shape) < 0.5))
    ours = exact.variant(cls)(**params).fit(da.from_array(S, chunks=(45, -1), asarray=False))
    assert_same_fit(ours, cls(**params).fit(S), rtol=1e-10, atol=1e-12)


def test_scaler_transform_is_lazy_and_equals_sklearn():
    dX = da.from_array(X, chunks=(50, -1))
    Xt = X * 10 - 3  # outside the fitted range: clip acts
    ours = exact.MinMaxScaler(clip=True).fit(dX)
    out = ours.transform(da.from_array(Xt, chunks=(50, -1)))
    assert isinstance(out, da.Array)
    np.testing.assert_allclose(out.compute(), MinMaxScaler(clip=True).fit(X).transform(Xt),
                               rtol=1e-12)
