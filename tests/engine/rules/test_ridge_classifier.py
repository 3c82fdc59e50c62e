"""exact.RidgeClassifier equals scikit-learn on the concatenated rows.

Tolerance: ``coef_`` and ``intercept_`` to rtol 1e-9 (the TSQR of the centred data, as
``exact.Ridge``), ``classes_`` and the label binarizer exactly.
"""
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import RidgeClassifier

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

RTOL = 1e-9

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 5)) * [1, 10, 0.5, 2, 1] + [0, 3, -5, 1, 0]
Y3 = rng.choice(np.array(["a", "b", "c"]), size=200, p=[0.3, 0.5, 0.2])
X[Y3 == "b"] += 1
Y2 = np.where(X[:, 0] > 0.2, 7, 3)
Y4 = Y3.copy()
Y4[-5:] = "z"  # a class only the last block holds
W = rng.uniform(0.1, 3, size=200)


def _same(ours, ref):
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)
    lb, rb = ours._label_binarizer, ref._label_binarizer
    assert (lb.y_type_, lb.pos_label, lb.neg_label) == (rb.y_type_, rb.pos_label,
                                                        rb.neg_label)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)


@pytest.mark.parametrize("dX, dy, dw", layouts(X, Y4, W))
def test_ridge_classifier_equals_sklearn_on_every_layout(dX, dy, dw):
    ours = exact.RidgeClassifier().fit(dX, dy, sample_weight=dw)
    ref = RidgeClassifier().fit(concat(dX), concat(dy), sample_weight=concat(dw))
    _same(ours, ref)


@pytest.mark.parametrize("y", [Y2, Y3], ids=["binary", "multiclass"])
@pytest.mark.parametrize("params", [
    {}, {"fit_intercept": False}, {"alpha": 10.0, "solver": "svd"},
    {"class_weight": "balanced"}, {"class_weight": {"a": 3.0, 7: 0.5}},
    {"class_weight": "balanced", "fit_intercept": False, "solver": "cholesky"}], ids=str)
def test_ridge_classifier_every_parameter(y, params):
    if isinstance(params.get("class_weight"), dict):
        params = {"class_weight": {y[0]: 3.0}}
    dX, dy = da.from_array(X, chunks=(45, -1)), da.from_array(y, chunks=45)
    dw = da.from_array(W, chunks=45)
    ours = exact.RidgeClassifier(**params).fit(dX, dy, sample_weight=dw)
    ref = RidgeClassifier(**params).fit(X, y, sample_weight=W)
    _same(ours, ref)


def test_ridge_classifier_sparse_blocks_and_lazy_decision_function():
    Xs = scipy.sparse.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    dX = da.from_array(Xs, chunks=(50, -1), asarray=False)
    ours = exact.RidgeClassifier(solver="cholesky",
                                 fit_intercept=False).fit(dX, da.from_array(Y3, chunks=50))
    ref = RidgeClassifier(solver="cholesky", fit_intercept=False).fit(Xs, Y3)
    _same(ours, ref)
    out = ours.decision_function(da.from_array(X, chunks=(50, -1)))
    assert isinstance(out, da.Array)
    np.testing.assert_allclose(out.compute(), ref.decision_function(X), rtol=1e-9)
    np.testing.assert_array_equal(
        ours.predict(da.from_array(X, chunks=(50, -1))).compute(), ref.predict(X))


@pytest.mark.parametrize("params, match", [
    ({"solver": "sag"}, "solver='sag'"), ({"positive": True}, "positive=True")])
def test_ridge_classifier_refuses_before_reading(params, match):
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.RidgeClassifier(**params)
    with pytest.raises(ValueError, match=match):
        est.fit(dX, da.from_array(Y3, chunks=50))
    assert not hasattr(est, "coef_")


def test_ridge_classifier_refuses_multilabel_y():
    Y = np.stack([Y2 == 7, Y3 == "a"], axis=1).astype(int)
    with pytest.raises(ValueError, match="multilabel"):
        exact.RidgeClassifier().fit(da.from_array(X, chunks=(50, -1)),
                                    da.from_array(Y, chunks=(50, -1)))


def test_ridge_classifier_in_memory_is_sklearn():
    ours = exact.RidgeClassifier().fit(X, Y3)
    assert_same_fit(ours, RidgeClassifier().fit(X, Y3), rtol=0, atol=0)
