"""exact.Lasso and exact.ElasticNet equal scikit-learn on the concatenated rows.

Tolerance: against scikit-learn's ``precompute=True`` fit (the same coordinate descent
on the same Gram) ``coef_`` and ``intercept_`` to rtol 1e-9, ``n_iter_`` equal,
``dual_gap_`` (a difference of nearly equal sums) to rtol 1e-5; against its default
fit (``precompute=False``) within the coordinate descent's ``tol``.
"""
import warnings

import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso

from dask_variants import exact
from tests.engine.rules.compare import (assert_same_fit, concat, frame_layout, layouts,
                                        unread)
from tests.engine.rules.test_linear import W, X, Y, Y2  # the least-squares rules' data

RTOL = 1e-9


def same_cd(ours, ref):
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.dual_gap_, ref.dual_gap_, rtol=1e-5, atol=1e-12)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10, skip=("dual_gap_",))


@pytest.mark.parametrize("dX, dy, dw", layouts(X, Y, W))
@pytest.mark.parametrize("cls, params", [
    (Lasso, {}), (Lasso, {"alpha": 0.1, "fit_intercept": False}),
    (Lasso, {"positive": True, "alpha": 0.3}),
    (ElasticNet, {"alpha": 0.5, "l1_ratio": 0.3}),
    (ElasticNet, {"selection": "random", "random_state": 3, "tol": 1e-8})])
def test_l1_equals_sklearn_precompute(dX, dy, dw, cls, params):
    ours = getattr(exact, cls.__name__)(**params).fit(dX, dy, sample_weight=dw)
    ref = cls(precompute=True, **params).fit(concat(dX), concat(dy),
                                             sample_weight=concat(dw))
    same_cd(ours, ref)
    default = cls(**params).fit(concat(dX), concat(dy), sample_weight=concat(dw))
    np.testing.assert_allclose(ours.coef_, default.coef_, atol=1e-3 * np.abs(
        default.coef_).max())


@pytest.mark.parametrize("dX, dy", layouts(X, Y2, frames=False)[:2])
def test_elastic_net_multi_target_unweighted(dX, dy):
    ours = exact.ElasticNet(alpha=0.2).fit(dX, dy)
    same_cd(ours, ElasticNet(alpha=0.2, precompute=True).fit(concat(dX), concat(dy)))


def test_lasso_convergence_warning_as_sklearn():
    dX, dy = da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50)
    with pytest.warns(ConvergenceWarning) as ours_w:
        ours = exact.Lasso(alpha=1e-4, max_iter=2, tol=1e-12).fit(dX, dy)
    with pytest.warns(ConvergenceWarning) as ref_w:
        ref = Lasso(alpha=1e-4, max_iter=2, tol=1e-12, precompute=True).fit(X, Y)
    assert ours.n_iter_ == ref.n_iter_ == 2
    assert len(ours_w) == len(ref_w)
    same_cd(ours, ref)


def test_lasso_frame_threads_and_predict():
    dX, dy = frame_layout(X, Y)
    with dask.config.set(scheduler="threads"):
        ours = exact.Lasso(alpha=0.2).fit(dX, dy)
    ref = Lasso(alpha=0.2, precompute=True).fit(concat(dX), concat(dy))
    assert list(ours.feature_names_in_) == [f"f{j}" for j in range(6)]
    same_cd(ours, ref)
    np.testing.assert_allclose(ours.predict(dX).compute(), ref.predict(concat(dX)),
                               rtol=1e-9)


def test_lasso_float32_keeps_dtype():
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    ours = exact.Lasso(alpha=0.5).fit(da.from_array(X32, chunks=(50, -1)),
                                      da.from_array(Y32, chunks=50))
    ref = Lasso(alpha=0.5, precompute=True).fit(X32, Y32)
    assert ours.coef_.dtype == ref.coef_.dtype == np.float32
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("params, match", [
    ({"warm_start": True}, "warm_start=True"),
    ({"precompute": X.T @ X}, "precompute=")])
def test_l1_refuses_before_reading(params, match):
    est = exact.ElasticNet(**params)
    with pytest.raises(ValueError, match=match) as info:
        est.fit(unread(X, 50), da.from_array(Y, chunks=50))
    assert "dask_variants.iid.ElasticNet" in str(info.value)
    assert not hasattr(est, "coef_")


def test_lasso_in_memory_is_sklearn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = exact.Lasso(alpha=0.1).fit(X, Y)
    assert_same_fit(ours, Lasso(alpha=0.1).fit(X, Y), rtol=0, atol=0)
