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


MERGED = {  # (module, needs y, X made non-negative integers)
    "StandardScaler": ("preprocessing", False, False),
    "GaussianNB": ("naive_bayes", True, False),
    "MultinomialNB": ("naive_bayes", True, True),
    "BernoulliNB": ("naive_bayes", True, False),
    "ComplementNB": ("naive_bayes", True, True),
    "CategoricalNB": ("naive_bayes", True, True),
}


def _merged_data(counts):
    X, _, sw = _data()
    if counts:
        X = np.abs(np.round(X * 2))
    y = (X[:, 0] > np.median(X[:, 0])).astype(int)
    y[3] = 2  # a class only the weightless first block holds: scikit-learn keeps it
    return X, y, sw


def _attributes(est):
    return {k: v for k, v in vars(est).items() if k.endswith("_") and not k.startswith("_")}


@pytest.mark.parametrize("name", sorted(MERGED))
def test_a_block_of_zero_weights_in_the_merged_fits_fits_as_scikit_learn(name):
    import sklearn

    module, supervised, counts = MERGED[name]
    X, y, sw = _merged_data(counts)
    args = (y,) if supervised else ()
    dargs = (da.from_array(y, chunks=30),) if supervised else ()
    ref = getattr(getattr(sklearn, module), name)().fit(X, *args, sample_weight=sw)
    ours = getattr(exact, name)().fit(da.from_array(X, chunks=(30, 3)), *dargs,
                                      sample_weight=da.from_array(sw, chunks=30))
    want, got = _attributes(ref), _attributes(ours)
    assert sorted(got) == sorted(want)
    for attr, value in want.items():
        if isinstance(value, list):
            for a, b in zip(got[attr], value):
                assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=attr)
        else:
            assert_allclose(got[attr], value, rtol=1e-9, atol=1e-12, err_msg=attr)


@pytest.mark.skipif(not zero_weights_refused(),
                    reason="this scikit-learn accepts all-zero sample weights")
@pytest.mark.parametrize("name", sorted(MERGED))
def test_all_zero_weights_in_the_merged_fits_get_scikit_learns_error(name):
    import sklearn

    module, supervised, counts = MERGED[name]
    X, y, _ = _merged_data(counts)
    sw = np.zeros(len(X))
    args = (y,) if supervised else ()
    dargs = (da.from_array(y, chunks=30),) if supervised else ()
    with pytest.raises(ValueError, match="at least one non-zero") as ref:
        getattr(getattr(sklearn, module), name)().fit(X, *args, sample_weight=sw)
    with pytest.raises(ValueError) as ours:
        getattr(exact, name)().fit(da.from_array(X, chunks=(30, 3)), *dargs,
                                   sample_weight=da.from_array(sw, chunks=30))
    assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("name", ["StandardScaler", "MultinomialNB"])
def test_a_block_of_zero_weights_in_an_incremental_partial_fit(name):
    """``incremental``'s ``partial_fit`` of a dask input is scikit-learn's one call on
    the concatenated rows, which takes a block of zero weights."""
    import sklearn

    from dask_variants import incremental

    module, supervised, counts = MERGED[name]
    X, y, sw = _merged_data(counts)
    classes = {"classes": np.unique(y)} if supervised else {}
    args = (y,) if supervised else ()
    dargs = (da.from_array(y, chunks=30),) if supervised else ()
    ref = getattr(getattr(sklearn, module), name)().partial_fit(X, *args, sample_weight=sw,
                                                                **classes)
    ours = getattr(incremental, name)().partial_fit(
        da.from_array(X, chunks=(30, 3)), *dargs, sample_weight=da.from_array(sw, chunks=30),
        **classes)
    for attr, value in _attributes(ref).items():
        assert_allclose(getattr(ours, attr), value, rtol=1e-9, atol=1e-12, err_msg=attr)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["StandardScaler", "MultinomialNB"])
def test_a_weightless_block_crosses_processes(name):
    """The states of the blocks travel between processes (dask's process scheduler
    here, a cluster's workers alike): a weightless block's stays weightless."""
    import dask
    import sklearn

    module, supervised, counts = MERGED[name]
    X, y, sw = _merged_data(counts)
    args = (y,) if supervised else ()
    dargs = (da.from_array(y, chunks=30),) if supervised else ()
    ref = getattr(getattr(sklearn, module), name)().fit(X, *args, sample_weight=sw)
    with dask.config.set(scheduler="processes"):
        ours = getattr(exact, name)().fit(da.from_array(X, chunks=(30, 3)), *dargs,
                                          sample_weight=da.from_array(sw, chunks=30))
    for attr, value in _attributes(ref).items():
        assert_allclose(getattr(ours, attr), value, rtol=1e-9, atol=1e-12, err_msg=attr)
