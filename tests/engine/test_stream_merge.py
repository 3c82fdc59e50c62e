"""The parallel merge equals the sequential pass (scalers and the naive Bayes family)."""
import pickle

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import naive_bayes, preprocessing

from dask_variants.engine import _merge
from dask_variants import incremental
from dask_variants.blocks._blocks import block_order

RS = np.random.RandomState(0)
DENSE = RS.normal(size=(600, 4)) * [1.0, 10.0, 100.0, 0.1] + 3.0
COUNTS = RS.poisson(3.0, size=(600, 4)).astype(float)
CATEGORIES = RS.randint(0, 4, size=(600, 3))
CATEGORIES[550:, 0] = 6  # a category first seen late
Y = RS.randint(0, 3, 600)
WEIGHTS = RS.uniform(0.5, 2.0, 600)

CASES = {
    "StandardScaler": (preprocessing.StandardScaler, DENSE, False),
    "MinMaxScaler": (preprocessing.MinMaxScaler, DENSE, False),
    "MaxAbsScaler": (preprocessing.MaxAbsScaler, DENSE, False),
    "GaussianNB": (naive_bayes.GaussianNB, DENSE, True),
    "MultinomialNB": (naive_bayes.MultinomialNB, COUNTS, True),
    "BernoulliNB": (naive_bayes.BernoulliNB, DENSE - 3.0, True),
    "ComplementNB": (naive_bayes.ComplementNB, COUNTS, True),
    "CategoricalNB": (naive_bayes.CategoricalNB, CATEGORIES, True),
}


def sequential(cls, X, y, orders, chunk, **fit_params):
    ref = cls()
    for order in orders:
        for k in order:
            rows = slice(k * chunk, (k + 1) * chunk)
            kwargs = {name: v[rows] for name, v in fit_params.items()}
            if y is None:
                ref.partial_fit(X[rows], **kwargs)
            else:
                ref.partial_fit(X[rows], y[rows], classes=[0, 1, 2], **kwargs)
    return ref


def check_same_attributes(est, ref):
    learned = [a for a in vars(ref) if a.endswith("_") and not a.startswith("_")]
    assert learned
    for attr in learned:
        want, got = getattr(ref, attr), getattr(est, attr)
        if isinstance(want, list):
            for w, g in zip(want, got):
                assert_allclose(g, w, rtol=1e-10, err_msg=attr)
        elif want is None:
            assert got is None, attr
        else:
            assert_allclose(got, want, rtol=1e-10, err_msg=attr)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("epochs,shuffle", [(1, False), (2, True)])
def test_merge_equals_sequential_pass(name, epochs, shuffle):
    cls, X, supervised = CASES[name]
    Variant = getattr(incremental, name)
    assert _merge.rule(Variant()) is not None
    dX, dy = da.from_array(X, chunks=(60, -1)), da.from_array(Y, chunks=60)
    rng = np.random.RandomState(3)
    orders = [block_order(10, shuffle, rng) for _ in range(epochs)]
    est = Variant(epochs=epochs, shuffle_blocks=shuffle)
    np.random.seed(3)  # none of these has random_state: the order comes from numpy's
    with dask.config.set(scheduler="threads"):
        est.fit(dX, dy if supervised else None)
    check_same_attributes(est, sequential(cls, X, Y if supervised else None, orders, 60))


@pytest.mark.parametrize("name", ["StandardScaler", "GaussianNB", "MultinomialNB"])
def test_merge_partial_fit_continues_and_weights(name):
    cls, X, supervised = CASES[name]
    Variant = getattr(incremental, name)
    dX, dy = da.from_array(X, chunks=(60, -1)), da.from_array(Y, chunks=60)
    dw = da.from_array(WEIGHTS, chunks=60)
    kwargs = {"classes": [0, 1, 2]} if supervised else {}
    est = Variant(shuffle_blocks=False)
    args = (dy,) if supervised else ()
    est.partial_fit(dX[:120], *(a[:120] for a in args), sample_weight=dw[:120], **kwargs)
    est.partial_fit(dX[120:], *(a[120:] for a in args), sample_weight=dw[120:], **kwargs)
    ref = sequential(cls, X, Y if supervised else None, [range(10)], 60,
                     sample_weight=WEIGHTS)
    check_same_attributes(est, ref)


def test_merge_blocks_run_in_parallel_on_the_scheduler(monkeypatch):
    """One task per block, so the scheduler may run them side by side."""
    seen = []
    fit = _merge._fit_block_leaf

    def spy(template, static, k, *args, **kwargs):
        seen.append(k)
        return fit(template, static, k, *args, **kwargs)

    monkeypatch.setattr(_merge, "_fit_block_leaf", spy)
    dX = da.from_array(DENSE, chunks=(60, -1))
    with dask.config.set(scheduler="sync"):
        incremental.StandardScaler().fit(dX)
    assert sorted(seen) == list(range(10))


def test_merge_failing_block_names_it_and_keeps_estimator():
    X = DENSE.copy()
    dX = da.from_array(X, chunks=(60, -1))
    bad = da.where(da.arange(600, chunks=60)[:, None] == 250, np.inf, dX)  # block 4
    est = incremental.StandardScaler()
    est.fit(dX)
    before = pickle.dumps(est.__dict__)
    with pytest.raises(ValueError, match="fitting row block 4 of 10") as info:
        est.partial_fit(bad)
    assert isinstance(info.value.__cause__, ValueError)
    assert pickle.dumps(est.__dict__) == before
