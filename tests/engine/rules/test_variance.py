"""exact.VarianceThreshold equals scikit-learn's fit on the concatenated rows.

Tolerance: ``variances_`` rtol 1e-10, atol 1e-25 (a constant column's variance is
rounding noise, ~1e-33, in both; with threshold 0 it is exactly 0 in both).
"""
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.feature_selection import VarianceThreshold

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 5)) * [1, 1e3, 1e-3, 1, 1] + [0, 1e4, 0, 5, 0]
X[:, 3] = 0.1  # constant: 0 exactly with threshold=0 (ptp)
X[rng.rand(200) < 0.2, 4] = np.nan  # NaN ignored
X[150:, 0] = np.nan


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_variance_threshold_equals_sklearn(dX, threshold):
    ours = exact.VarianceThreshold(threshold).fit(dX)
    ref = VarianceThreshold(threshold).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-25)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_variance_threshold_sparse_blocks(threshold):
    S = X * (rng.rand(*X.shape) < 0.5)
    S[:, 2] = 0.0  # an empty column
    S = scipy.sparse.csr_matrix(S)
    ours = exact.VarianceThreshold(threshold).fit(da.from_array(S, chunks=(45, -1),
                                                                asarray=False))
    ref = VarianceThreshold(threshold).fit(S)
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-15)


def test_variance_threshold_no_feature_passes_as_sklearn():
    dX = da.from_array(np.ones((20, 3)), chunks=(7, -1))
    with pytest.raises(ValueError, match="No feature in X meets the variance threshold"):
        exact.VarianceThreshold().fit(dX)


def test_variance_threshold_transform_is_lazy_and_equals_sklearn():
    dX = da.from_array(X, chunks=(50, -1))
    ours = exact.VarianceThreshold(0.5).fit(dX)
    out = ours.transform(dX)
    assert isinstance(out, da.Array)
    np.testing.assert_array_equal(out.compute(), VarianceThreshold(0.5).fit(X).transform(X))
