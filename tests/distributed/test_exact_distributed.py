"""The exact namespace on a 2-worker LocalCluster: scikit-learn's answer, the leaves
next to the data, failures named, and frames read from parquet."""
import dask.array as da
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, frame_layout

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.distributed

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 6)) * [1, 10, 100, 0.1, 1, 5]
Y = X @ rng.normal(size=6) + 3 + rng.normal(size=200)


def test_exact_on_cluster_equals_sklearn(client):
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(Y, chunks=30)
    assert_same_fit(exact.LinearRegression().fit(dX, dy), LinearRegression().fit(X, Y),
                    rtol=1e-9, atol=1e-10)
    assert_same_fit(exact.StandardScaler().fit(dX), StandardScaler().fit(X), rtol=1e-12)
    fX, fy = frame_layout(X, Y)
    ref = LinearRegression().fit(fX.compute(), fy.compute())
    assert_same_fit(exact.LinearRegression().fit(fX, fy), ref, rtol=1e-9, atol=1e-10)


def test_exact_on_cluster_moves_statistics_not_blocks(client):
    big = da.random.RandomState(0).normal(size=(160000, 50), chunks=(20000, 50))
    yb = big[:, 0] * 2 + 1
    big, yb = client.persist([big, yb])
    distributed.wait([big, yb])

    def incoming(dask_worker):
        return sum(t["total"] for t in dask_worker.transfer_incoming_log)

    before = sum(client.run(incoming).values())
    est = exact.LinearRegression().fit(big, yb)
    moved = sum(client.run(incoming).values()) - before
    assert moved < 8 * 20000 * 8, moved  # an 8 MB block never moved, only R factors
    np.testing.assert_allclose(est.coef_[0], 2, rtol=1e-9)
    np.testing.assert_allclose(est.intercept_, 1, rtol=1e-9)


def test_exact_on_cluster_failing_block_names_it(client):
    dX = da.from_array(X, chunks=(50, -1))
    bad = da.where(da.arange(200, chunks=50)[:, None] == 120, np.nan, dX)  # block 2
    est = exact.LinearRegression().fit(dX, da.from_array(Y, chunks=50))
    coef = est.coef_.copy()
    with pytest.raises(ValueError, match="row block 2 of 4"):
        est.fit(bad, da.from_array(Y, chunks=50))
    np.testing.assert_array_equal(est.coef_, coef)


def test_exact_on_cluster_all_empty_input_raises(client):
    dX = da.from_array(X, chunks=(50, -1))
    empty = dX[dX[:, 0] > 1e9]
    with pytest.raises(ValueError, match="got no rows"):
        exact.StandardScaler().fit(empty)


def test_exact_on_cluster_parquet_filtered_frame(client, parquet_frame):
    import dask.dataframe as dd

    df = dd.read_parquet(parquet_frame)
    df = df[df["num1"] > -0.5]  # a filter before the fit
    Xf, yf = df[["num1", "num2"]], df["target"].astype(float)
    ours = exact.Ridge(alpha=0.5).fit(Xf, yf)
    from sklearn.linear_model import Ridge

    ref = Ridge(alpha=0.5).fit(Xf.compute(), yf.compute())
    assert_same_fit(ours, ref, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.predict(Xf).compute(), ref.predict(Xf.compute()))


def test_exact_iterative_on_cluster_equals_sklearn(client):
    from sklearn.linear_model import Lasso, LogisticRegression, PoissonRegressor

    Xs = (X - X.mean(0)) / X.std(0)
    y3 = np.digitize(Xs @ rng.normal(size=6), [-1, 1])
    yp = rng.poisson(np.exp(0.2 * Xs[:, 0])).astype(float)
    dX = da.from_array(Xs, chunks=(30, -1))
    for solver, rtol in (("lbfgs", 1e-6), ("newton-cholesky", 1e-9)):
        ours = exact.LogisticRegression(solver=solver, tol=1e-10).fit(
            dX, da.from_array(y3, chunks=30))
        ref = LogisticRegression(solver=solver, tol=1e-10).fit(Xs, y3)
        assert_same_fit(ours, ref, rtol=rtol, atol=1e-9)
    ours = exact.PoissonRegressor(solver="newton-cholesky").fit(dX, da.from_array(yp, chunks=30))
    assert_same_fit(ours, PoissonRegressor(solver="newton-cholesky").fit(Xs, yp),
                    rtol=1e-9, atol=1e-10)
    ours = exact.Lasso(alpha=0.1).fit(dX, da.from_array(Y, chunks=30))
    assert_same_fit(ours, Lasso(alpha=0.1, precompute=True).fit(Xs, Y), rtol=1e-9,
                    atol=1e-9, skip=("dual_gap_",))


def test_exact_covariance_and_classifiers_on_cluster_equal_sklearn(client):
    from sklearn.covariance import LedoitWolf
    from sklearn.discriminant_analysis import (
        LinearDiscriminantAnalysis,
        QuadraticDiscriminantAnalysis,
    )
    from sklearn.linear_model import RidgeClassifier
    from sklearn.neighbors import NearestCentroid

    labels = np.where(Y > 3, "hi", "lo")
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(labels, chunks=30)
    assert_same_fit(exact.LedoitWolf().fit(dX), LedoitWolf().fit(X), rtol=1e-10)
    for cls in (LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis,
                NearestCentroid, RidgeClassifier):
        ours = getattr(exact, cls.__name__)().fit(dX, dy)
        assert_same_fit(ours, cls().fit(X, labels), rtol=1e-8, atol=1e-10)


def test_exact_kmeans_on_cluster_equals_sklearn(client, parquet_frame):
    import dask.dataframe as dd
    from sklearn.cluster import KMeans

    from tests.engine.rules.test_cluster import INIT, W, X as XK

    dX, dw = da.from_array(XK, chunks=(30, -1)), da.from_array(W, chunks=30)
    for params in ({"n_clusters": 4, "init": INIT}, {"n_clusters": 5, "random_state": 0},
                   {"n_clusters": 3, "init": "random", "n_init": 3, "random_state": 1}):
        ours = exact.KMeans(**params).fit(dX, sample_weight=dw)
        ref = KMeans(**params).fit(XK, sample_weight=W)
        assert ours.n_iter_ == ref.n_iter_
        assert_same_fit(ours, ref, rtol=1e-10, atol=1e-10)
        np.testing.assert_array_equal(ours.predict(dX).compute(), ref.labels_)
    df = dd.read_parquet(parquet_frame)
    Xf = df[df["num1"] > -0.5][["num1", "num2"]]  # a filter before the fit
    ours = exact.KMeans(3, random_state=0).fit(Xf)
    ref = KMeans(3, random_state=0).fit(Xf.compute())
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-10)
