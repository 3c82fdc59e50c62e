"""exact.KMeans equals scikit-learn's KMeans on the concatenated rows.

Tolerance: ``cluster_centers_`` and ``inertia_`` to rtol 1e-10 (the same iterates; the
blocks' sums are added in another order and X's mean is one rounding away),
``labels_`` and ``n_iter_`` equal; k-means++ and ``init='random'`` pick the same rows
from the same seed.
"""
import warnings

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from dask_variants import exact
from tests.engine.rules.compare import (assert_same_fit, concat, fails_on_read,
                                        frame_layout, layouts, unread)

rng = np.random.RandomState(0)
_centres = np.array([[0, 0, 0], [5, 5, 0], [0, 6, 6], [4, -3, 2], [-4, 2, -5]])
#: 200 rows in 5 blobs, unscaled and far from the origin (fit centres X on its mean)
X = (_centres[np.arange(200) % 5] + rng.normal(scale=1.5, size=(200, 3))) \
    * [1, 10, 0.1] + [100, -3, 7]
W = rng.uniform(0.1, 3, size=200)
INIT = X[[3, 50, 101, 152]]


def same(ours, ref, rtol=1e-10):
    assert ours.n_iter_ == ref.n_iter_
    assert_array_equal(ours.labels_, ref.labels_)
    assert_same_fit(ours, ref, rtol=rtol, atol=1e-10)
    assert ours._n_threads == ref._n_threads
    assert ours._n_features_out == ref._n_features_out


def fit_both(params, dX, dw=None):
    ours = exact.KMeans(**params).fit(dX, sample_weight=dw)
    ref = KMeans(**params).fit(concat(dX), sample_weight=concat(dw))
    return ours, ref


@pytest.mark.parametrize("dX, dw", layouts(X, W))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_kmeans_init_array_equals_sklearn(dX, dw, weighted):
    ours, ref = fit_both({"n_clusters": 4, "init": INIT}, dX, dw if weighted else None)
    same(ours, ref)


@pytest.mark.parametrize("dX, dw", layouts(X, W))
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_kmeans_plusplus_picks_sklearns_rows(dX, dw, seed):
    for weights in (None, dw):
        ours, ref = fit_both({"n_clusters": 5, "random_state": seed}, dX, weights)
        same(ours, ref)


@pytest.mark.parametrize("params", [
    {"n_clusters": 3, "n_init": 4, "random_state": 2},
    {"n_clusters": 6, "init": "random", "random_state": 0},  # n_init 'auto': 10 runs
    {"n_clusters": 4, "init": "random", "n_init": 3, "random_state": 5},
    {"n_clusters": 8, "random_state": 4, "n_init": 2}])
def test_kmeans_n_init_and_random_equal_sklearn(params):
    dX, dw = layouts(X, W)[1].values  # the uneven blocks
    for weights in (None, dw):
        ours, ref = fit_both(params, dX, weights)
        same(ours, ref)


def test_kmeans_random_state_instance_draws_as_sklearn():
    dX = da.from_array(X, chunks=(45, -1))
    ours = exact.KMeans(4, n_init=2, random_state=np.random.RandomState(3)).fit(dX)
    ref = KMeans(4, n_init=2, random_state=np.random.RandomState(3)).fit(X)
    same(ours, ref)


@pytest.mark.parametrize("params", [
    {"max_iter": 2},                 # stopped by max_iter: the last E-step re-run
    {"tol": 0.5},                    # stopped by the tolerance
    {"tol": 0},                      # only strict convergence stops it
    {"algorithm": "elkan"},          # run as Lloyd: scikit-learn's answer is the same
])
def test_kmeans_stopping_rules_and_elkan(params):
    dX = da.from_array(X, chunks=(45, -1))
    ours, ref = fit_both({"n_clusters": 5, "init": X[:5], **params}, dX)
    same(ours, ref)


def test_kmeans_empty_clusters_relocated_as_sklearn():
    # far-away initial centres: three clusters are empty on the first iteration
    init = np.vstack([INIT[:2], [[1e3, 1e3, 1e3], [-1e3, 0, 0], [0, 1e3, 0]]])
    dX = da.from_array(X, chunks=(45, -1))
    for weights in (None, W):
        dw = None if weights is None else da.from_array(weights, chunks=45)
        ours, ref = fit_both({"n_clusters": 5, "init": init}, dX, dw)
        same(ours, ref)
    one = np.vstack([INIT[:3], [[1e3, 1e3, 1e3]]])
    same(*fit_both({"n_clusters": 4, "init": one}, dX))


def test_kmeans_duplicate_points_warn_as_sklearn():
    # 2 distinct rows, 3 clusters: one cluster stays empty, every row on its centre.
    # The rows, their mean and the cluster means are exact in binary, so every distance
    # is exactly 0 here as in scikit-learn (with rounding noise in the centres, which
    # duplicate is "farthest" from them is decided by that noise, here and there alike).
    Xd = np.repeat([[0.0, 0.0, 0.0], [4.0, 4.0, 4.0]], 32, axis=0)[np.arange(64) % 8 * 8
                                                                     + np.arange(64) // 8]
    dX = da.from_array(Xd, chunks=(24, -1))
    for params in ({"init": np.array([[0.0, 0, 0], [4, 4, 4], [9, 9, 9]])},
                   {"random_state": 0}, {"init": "random", "random_state": 0}):
        with pytest.warns(ConvergenceWarning, match="distinct clusters") as ours_w:
            ours = exact.KMeans(3, **params).fit(dX)
        with pytest.warns(ConvergenceWarning, match="distinct clusters") as ref_w:
            ref = KMeans(3, **params).fit(Xd)
        assert [str(w.message) for w in ours_w] == [str(w.message) for w in ref_w]
        same(ours, ref)


def test_kmeans_float32_keeps_dtype():
    X32 = X.astype(np.float32)
    ours, ref = fit_both({"n_clusters": 4, "init": INIT}, da.from_array(X32, chunks=(50, -1)))
    assert ours.cluster_centers_.dtype == ref.cluster_centers_.dtype == np.float32
    assert_array_equal(ours.labels_, ref.labels_)
    assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-5)
    assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-4)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_kmeans_frame_and_schedulers(scheduler):
    dX, dw = frame_layout(X, W)
    with dask.config.set(scheduler=scheduler):
        ours, ref = fit_both({"n_clusters": 5, "random_state": 0}, dX, dw)
    assert list(ours.feature_names_in_) == ["f0", "f1", "f2"]
    same(ours, ref)


def test_kmeans_post_fit_methods_blockwise():
    dX = da.from_array(X, chunks=(45, -1))
    ours, ref = fit_both({"n_clusters": 5, "random_state": 0}, dX)
    for method in ("predict", "transform"):
        got = getattr(ours, method)(dX)
        assert isinstance(got, da.Array) and got.chunks[0] == dX.chunks[0]
        assert_allclose(got.compute(), getattr(ref, method)(X), rtol=1e-10)
    assert_allclose(ours.score(dX), ref.score(X), rtol=1e-10)
    assert_allclose(ours.score(dX, sample_weight=da.from_array(W, chunks=45)),
                    ref.score(X, sample_weight=W), rtol=1e-10)
    labels = exact.KMeans(5, random_state=0).fit_predict(dX)
    assert isinstance(labels, da.Array)
    assert_array_equal(labels.compute(), ref.labels_)
    assert_array_equal(labels.compute(), ref.fit_predict(X))


def test_kmeans_in_memory_weights_and_in_an_exact_pipeline():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    dX = da.from_array(X, chunks=(45, -1))
    ours = exact.KMeans(4, random_state=0).fit(dX, sample_weight=W)  # NumPy weights
    same(ours, KMeans(4, random_state=0).fit(X, sample_weight=W))
    pipe = exact.Pipeline([("scale", StandardScaler()),
                           ("km", KMeans(4, random_state=1))]).fit(dX)
    ref = make_pipeline(StandardScaler(), KMeans(4, random_state=1)).fit(X)
    same(pipe[-1], ref[-1])


def test_kmeans_explicit_init_with_n_init_warns_as_sklearn():
    dX = da.from_array(X, chunks=(50, -1))
    with pytest.warns(RuntimeWarning, match="performing only one init") as ours_w:
        ours = exact.KMeans(4, init=INIT, n_init=3).fit(dX)
    with pytest.warns(RuntimeWarning, match="performing only one init") as ref_w:
        ref = KMeans(4, init=INIT, n_init=3).fit(X)
    assert [str(w.message) for w in ours_w] == [str(w.message) for w in ref_w]
    same(ours, ref)


@pytest.mark.parametrize("params, weights, match", [
    ({"n_clusters": 201}, None, "n_samples=200 should be >= n_clusters=201"),
    ({"n_clusters": 3, "init": INIT}, None, r"initial centers \(4, 3\) does not match"),
    ({"n_clusters": 4, "init": INIT[:, :2]}, None, "number of features of the data 3"),
    ({"n_clusters": 5, "init": "random"}, np.r_[np.ones(4), np.zeros(196)],
     "Fewer non-zero entries in p than size")])
def test_kmeans_data_errors_as_sklearn(params, weights, match):
    with pytest.raises(ValueError, match=match):
        KMeans(**params).fit(X, sample_weight=weights)
    dw = None if weights is None else da.from_array(weights, chunks=50)
    est = exact.KMeans(**params)
    with pytest.raises(ValueError, match=match):
        est.fit(da.from_array(X, chunks=(50, -1)), sample_weight=dw)
    assert not hasattr(est, "cluster_centers_")


def test_kmeans_refuses_before_reading():
    def init(X, n_clusters, random_state):
        return X[:n_clusters]

    est = exact.KMeans(3, init=init)
    with pytest.raises(ValueError, match="init=") as info:
        est.fit(unread(X, 50))
    assert "dask_variants.iid.KMeans" in str(info.value)
    import scipy.sparse

    sparse = da.from_array(X, chunks=(50, -1)).map_blocks(scipy.sparse.csr_matrix)
    with pytest.raises(TypeError, match="sparse"):
        exact.KMeans(3).fit(sparse)
    assert not hasattr(est, "cluster_centers_")


def test_failure_in_a_later_pass_names_pass_and_block_and_keeps_estimator():
    fitted = exact.KMeans(4, init=INIT).fit(X)
    before = fitted.cluster_centers_.copy()
    dX = fails_on_read(X, 50, block=2, nth=3)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(RuntimeError, match=r"pass 3\) row block 2 of 4") as info:
            fitted.fit(dX)
    assert "disk gone" in str(info.value)
    assert_array_equal(fitted.cluster_centers_, before)


def test_passes_logged_and_each_block_read_once_a_pass(caplog):
    reads = []

    def count(block, block_info=None):
        reads.append(block_info[0]["chunk-location"][0])
        return block

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(count, dtype=float)
    with caplog.at_level("DEBUG", logger="dask_variants.engine._exact"):
        ours = exact.KMeans(4, init=INIT).fit(dX)
    passes = [r.getMessage() for r in caplog.records if " pass " in r.getMessage()]
    # the first pass, one per iteration, the final E-step (no empty cluster here)
    assert len(passes) == 1 + ours.n_iter_ + 1
    assert all("over 4 blocks" in p for p in passes)
    assert sorted(reads) == sorted(list(range(4)) * len(passes))
    caplog.clear()
    with caplog.at_level("DEBUG", logger="dask_variants.engine._exact"):
        ours = exact.KMeans(4, random_state=0).fit(da.from_array(X, chunks=(50, -1)))
    passes = [r.getMessage() for r in caplog.records if " pass " in r.getMessage()]
    # + k-means++: the first centre's block, its potential, then per centre a pass over
    # the candidates' blocks and one scoring them
    assert len(passes) == 1 + 2 * 4 + ours.n_iter_ + 1
    assert sum("over 4 blocks" not in p for p in passes) == 4


def test_in_memory_is_sklearn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = exact.KMeans(4, random_state=0).fit(X)
    assert_same_fit(ours, KMeans(4, random_state=0).fit(X), rtol=0, atol=0)
