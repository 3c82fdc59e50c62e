"""The exact naive Bayes family equals scikit-learn's ``fit`` on the concatenated rows.

Not a ``partial_fit`` pass: ``GaussianNB.epsilon_`` from the variance of every row
(and ``var_`` without per-call drift), ``CategoricalNB.n_categories_`` from every row,
``classes_`` from every block even when a block lacks some classes.

Tolerance: GaussianNB rtol 1e-9 (pooled means and variances); the discrete models
rtol 1e-12 (sums of counts).
"""
import dask
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.naive_bayes import (BernoulliNB, CategoricalNB, ComplementNB, GaussianNB,
                                 MultinomialNB)

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

rng = np.random.RandomState(0)
Y = np.sort(rng.choice(["a", "b", "c"], 200, p=[0.5, 0.3, 0.2]))  # blocks miss classes
XG = rng.normal(size=(200, 4)) * [1, 10, 0.1, 3] + (Y == "b")[:, None] * 2.0
XC = rng.poisson(2.0, size=(200, 5)) + (Y == "c")[:, None]  # counts / categories
XC[:, 4] = np.where(np.arange(200) < 150, XC[:, 4] % 2, 6)  # last blocks widen it
W = rng.uniform(0.1, 3, size=200)


def _cases(X, param_sets):
    """Every layout for the default parameters, the uneven one with empty blocks for
    the others (the parameters do not change how blocks merge)."""
    every, few = layouts(X, Y, W), [p for p in layouts(X, Y, W) if p.id == "empty-blocks"]
    return [pytest.param(*lay.values, *ps, id=f"{lay.id}-{i}")
            for i, ps in enumerate(param_sets) for lay in (every if i == 0 else few)]


@pytest.mark.parametrize("dX, dy, dw, params, weighted", _cases(XG, [
    ({}, True), ({}, False), ({"var_smoothing": 1e-3}, True),
    ({"priors": [0.2, 0.3, 0.5]}, False)]))
def test_gaussian_nb_equals_fit(dX, dy, dw, params, weighted):
    kw = {"sample_weight": dw} if weighted else {}
    ours = exact.GaussianNB(**params).fit(dX, dy, **kw)
    ref_kw = {"sample_weight": concat(dw)} if weighted else {}
    ref = GaussianNB(**params).fit(concat(dX), concat(dy), **ref_kw)
    assert_same_fit(ours, ref, rtol=1e-9, atol=1e-12)


DISCRETE = [
    (MultinomialNB, {}), (MultinomialNB, {"alpha": 0.0, "force_alpha": True}),
    (MultinomialNB, {"fit_prior": False}),
    (MultinomialNB, {"class_prior": [0.1, 0.2, 0.7]}),
    (BernoulliNB, {}), (BernoulliNB, {"binarize": 2.5, "alpha": 0.3}),
    (BernoulliNB, {"binarize": None}),
    (ComplementNB, {}), (ComplementNB, {"norm": True, "alpha": [0.5] * 5}),
    (CategoricalNB, {}), (CategoricalNB, {"min_categories": 9}),
    (CategoricalNB, {"min_categories": [1, 2, 3, 12, 2], "alpha": 0.5}),
]


@pytest.mark.parametrize("dX, dy, dw, cls, params", _cases(XC, DISCRETE[:1]) + [
    p for i, (cls, params) in enumerate(DISCRETE[1:])
    for p in _cases(XC, [(cls, params)] * (2 if params == {} else 1))[-1:]])
def test_discrete_nb_equals_fit(dX, dy, dw, cls, params):
    ours = exact.variant(cls)(**params).fit(dX, dy, sample_weight=dw)
    ref = cls(**params).fit(concat(dX), concat(dy), sample_weight=concat(dw))
    assert_same_fit(ours, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls", [MultinomialNB, BernoulliNB, ComplementNB])
def test_discrete_nb_sparse_blocks(cls):
    S = scipy.sparse.csr_matrix(XC * (rng.rand(*XC.shape) < 0.4))
    dS = da.from_array(S, chunks=(45, -1), asarray=False)
    ours = exact.variant(cls)().fit(dS, da.from_array(Y, chunks=45))
    assert_same_fit(ours, cls().fit(S, Y), rtol=1e-12, atol=1e-12)


def test_gaussian_nb_is_fit_not_a_partial_fit_pass():
    """The last block's variance is not epsilon_'s: fit uses every row's."""
    X = XG.copy()
    X[150:] *= 1e-3
    dX, dy = da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50)
    ours = exact.GaussianNB(var_smoothing=0.1).fit(dX, dy)
    ref = GaussianNB(var_smoothing=0.1).fit(X, Y)
    assert_same_fit(ours, ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.epsilon_, 0.1 * X.var(axis=0).max())


def test_nb_predict_is_lazy_and_equals_sklearn():
    dX, dy = da.from_array(XC, chunks=(50, -1)), da.from_array(Y, chunks=50)
    for cls in (GaussianNB, CategoricalNB):
        ours = exact.variant(cls)().fit(dX, dy)
        ref = cls().fit(XC, Y)
        pred, proba = ours.predict(dX), ours.predict_proba(dX)
        assert isinstance(pred, da.Array) and isinstance(proba, da.Array)
        np.testing.assert_array_equal(pred.compute(), ref.predict(XC))
        np.testing.assert_allclose(proba.compute(), ref.predict_proba(XC), rtol=1e-9)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_nb_same_on_every_scheduler(scheduler):
    dX, dy = da.from_array(XG, chunks=(30, -1)), da.from_array(Y, chunks=30)
    with dask.config.set(scheduler=scheduler):
        ours = exact.GaussianNB().fit(dX, dy)
    assert_same_fit(ours, GaussianNB().fit(XG, Y), rtol=1e-9, atol=1e-12)


def test_gaussian_nb_refuses_bad_priors_before_reading():
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(XG, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.GaussianNB(priors=[0.5, 0.6, -0.1])
    with pytest.raises(ValueError, match="Priors must be non-negative"):
        est.fit(dX, da.from_array(Y, chunks=50))
    assert not hasattr(est, "classes_")


def test_nb_prior_length_is_checked_as_sklearn_does():
    dX, dy = da.from_array(XC, chunks=(50, -1)), da.from_array(Y, chunks=50)
    for est, ref in ((exact.GaussianNB(priors=[0.5, 0.5]), GaussianNB(priors=[0.5, 0.5])),
                     (exact.MultinomialNB(class_prior=[0.5, 0.5]),
                      MultinomialNB(class_prior=[0.5, 0.5]))):
        with pytest.raises(ValueError) as expected:
            ref.fit(XC, Y)
        with pytest.raises(ValueError, match=str(expected.value)):
            est.fit(dX, dy)
        assert not hasattr(est, "classes_")


def test_nb_in_memory_is_sklearn():
    assert_same_fit(exact.GaussianNB().fit(XG, Y), GaussianNB().fit(XG, Y), rtol=0, atol=0)
