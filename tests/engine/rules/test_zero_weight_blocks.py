"""A block whose sample weights are all zero (rows filtered out by weight): the exact
fit equals scikit-learn's on the concatenated data, and all-zero weights of the whole
input get scikit-learn's own error (1.7 and later refuse them; a block alone may)."""
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import linear_model

from dask_variants import exact
from dask_variants.engine.rules._base import zero_weights_refused

CASES = {
    "LinearRegression": ({}, "continuous"),
    "Ridge": ({"alpha": 0.5}, "continuous"),
    "RidgeClassifier": ({}, "labels"),
    "LogisticRegression": ({"tol": 1e-10}, "labels"),
    "PoissonRegressor": ({"tol": 1e-10}, "counts"),
}


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    z = X @ np.array([1.0, -2.0, 0.5])
    y = {"continuous": z + rng.normal(size=120), "labels": (z > 0).astype(int),
         "counts": rng.poisson(np.exp(z / 3)).astype(float)}
    sw = np.r_[np.zeros(30), rng.uniform(0.5, 2.0, 90)]  # the first block weighs nothing
    return X, y, sw


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_block_of_zero_weights_fits_as_scikit_learn(name):
    params, target = CASES[name]
    X, ys, sw = _data()
    y = ys[target]
    ref = getattr(linear_model, name)(**params).fit(X, y, sample_weight=sw)
    ours = getattr(exact, name)(**params).fit(
        da.from_array(X, chunks=(30, 3)), da.from_array(y, chunks=30),
        sample_weight=da.from_array(sw, chunks=30))
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-10)


@pytest.mark.skipif(not zero_weights_refused(),
                    reason="this scikit-learn accepts all-zero sample weights")
@pytest.mark.parametrize("name", sorted(CASES))
def test_all_zero_weights_get_scikit_learns_error(name):
    params, target = CASES[name]
    X, ys, _ = _data()
    y, sw = ys[target], np.zeros(len(X))
    with pytest.raises(ValueError, match="at least one non-zero") as ref:
        getattr(linear_model, name)(**params).fit(X, y, sample_weight=sw)
    with pytest.raises(ValueError) as ours:
        getattr(exact, name)(**params).fit(
            da.from_array(X, chunks=(30, 3)), da.from_array(y, chunks=30),
            sample_weight=da.from_array(sw, chunks=30))
    assert str(ours.value) == str(ref.value)
