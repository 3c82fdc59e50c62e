"""exact.LinearRegression and exact.Ridge equal scikit-learn on the concatenated rows.

Tolerance: coefficients and intercepts to rtol 1e-9 (the QR of the centred data is as
well conditioned as the data; rounding is ~1e-14 here), ``singular_`` to rtol 1e-10.
"""
import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, frame_layout, layouts

RTOL = 1e-9

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 6)) * [1, 10, 100, 0.1, 1, 5] + [0, 3, -50, 1, 0, 2]
Y2 = X @ rng.normal(size=(6, 2)) + [3, -1] + rng.normal(size=(200, 2))
Y = Y2[:, 0]
W = rng.uniform(0.1, 3, size=200)


@pytest.mark.parametrize("dX, dy", layouts(X, Y))
@pytest.mark.parametrize("params", [{}, {"fit_intercept": False}, {"positive": True}])
def test_linear_regression_equals_sklearn(dX, dy, params):
    ours = exact.LinearRegression(**params).fit(dX, dy)
    ref = LinearRegression(**params).fit(concat(dX), concat(dy))
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("dX, dy, dw", layouts(X, Y2, W))
def test_linear_regression_weighted_multi_target(dX, dy, dw):
    ours = exact.LinearRegression().fit(dX, dy, sample_weight=dw)
    ref = LinearRegression().fit(concat(dX), concat(dy), sample_weight=concat(dw))
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


def test_linear_regression_rank_deficient_gives_minimum_norm():
    Xd = np.hstack([X[:, :3], X[:, :1] * 2, X[:, 1:2] - X[:, 2:3]])  # rank 3 of 5
    ours = exact.LinearRegression().fit(da.from_array(Xd, chunks=(37, -1)),
                                        da.from_array(Y, chunks=37))
    ref = LinearRegression().fit(Xd, Y)
    assert ours.rank_ == ref.rank_ == 3
    assert_same_fit(ours, ref, rtol=1e-8, atol=1e-9)


def test_linear_regression_float32_keeps_dtype():
    X32 = X.astype(np.float32)
    ours = exact.LinearRegression().fit(da.from_array(X32, chunks=(50, -1)),
                                        da.from_array(Y.astype(np.float32), chunks=50))
    ref = LinearRegression().fit(X32, Y.astype(np.float32))
    assert ours.coef_.dtype == ref.coef_.dtype == np.float32
    assert_same_fit(ours, ref, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("scheduler", ["sync", "threads", "processes"])
def test_linear_regression_same_on_every_scheduler(scheduler):
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(Y, chunks=30)
    with dask.config.set(scheduler=scheduler):
        ours = exact.LinearRegression().fit(dX, dy)
    assert_same_fit(ours, LinearRegression().fit(X, Y), rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("dX, dy, dw", layouts(X, Y2, W))
@pytest.mark.parametrize("params", [
    {}, {"alpha": 10.0, "solver": "svd"}, {"alpha": np.array([0.1, 100.0])},
    {"fit_intercept": False, "solver": "cholesky"}])
def test_ridge_equals_sklearn(dX, dy, dw, params):
    ours = exact.Ridge(**params).fit(dX, dy, sample_weight=dw)
    ref = Ridge(**params).fit(concat(dX), concat(dy), sample_weight=concat(dw))
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


def test_ridge_on_frame_keeps_feature_names():
    dX, dy = frame_layout(X, Y)
    ours = exact.Ridge().fit(dX, dy)
    ref = Ridge().fit(concat(dX), concat(dy))
    assert list(ours.feature_names_in_) == [f"f{j}" for j in range(6)]
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)
    pred = ours.predict(dX)
    np.testing.assert_allclose(pred.compute(), ref.predict(concat(dX)), rtol=1e-9)


@pytest.mark.parametrize("params, match", [
    ({"solver": "sag"}, "solver='sag'"), ({"positive": True}, "positive=True")])
def test_ridge_refuses_what_it_cannot_fit_exactly_before_reading(params, match):
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.Ridge(**params)
    with pytest.raises(ValueError, match=match) as info:
        est.fit(dX, da.from_array(Y, chunks=50))
    assert "dask_variants.iid.Ridge" in str(info.value)
    assert not hasattr(est, "coef_")


def test_linear_regression_in_memory_is_sklearn():
    ours = exact.LinearRegression().fit(X, Y)
    assert_same_fit(ours, LinearRegression().fit(X, Y), rtol=0, atol=0)
