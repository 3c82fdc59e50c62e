"""Post-fit methods compute consecutive small blocks in one task, one output block each."""
import dask
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from dask_variants import iid
from dask_variants.blocks import _blocks


class CountingLR(LogisticRegression):
    """Records the rows of every ``predict`` call (the sync scheduler keeps one copy)."""

    calls = []

    def predict(self, X):
        CountingLR.calls.append(X.shape[0])
        return super().predict(X)


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    return X, y


def _fitted(X, y):
    est = iid.variant(CountingLR)().fit(X, y)
    return est, LogisticRegression().fit(X, y)


def test_small_blocks_share_one_task_and_keep_their_chunks(data):
    X, y = data
    est, sk = _fitted(X, y)
    dX = da.from_array(X, chunks=10)
    CountingLR.calls.clear()
    out = est.predict(dX)
    assert CountingLR.calls == []  # lazy: nothing ran
    assert out.chunks == (dX.chunks[0],)
    assert out.dtype == sk.predict(X).dtype
    with dask.config.set(scheduler="sync"):
        got = out.compute()
        assert CountingLR.calls == [200]  # the 20 blocks in one call
        assert_array_equal(got, sk.predict(X))
        assert_array_equal(out.blocks[3].compute(), sk.predict(X[30:40]))
        assert len(out.blocks[3].compute()) == 10


@pytest.mark.parametrize("method", ["predict_proba", "predict_log_proba",
                                    "decision_function"])
def test_every_row_method_is_batched_alike(data, method):
    X, y = data
    est, sk = _fitted(X, y)
    dX = da.from_array(X, chunks=10)
    out = getattr(est, method)(dX)
    assert out.chunks[0] == dX.chunks[0]
    assert out.shape == getattr(sk, method)(X).shape
    assert isinstance(out._meta, np.ndarray) and out._meta.dtype == out.dtype
    assert_allclose(out.compute(), getattr(sk, method)(X), rtol=1e-12)


def test_transform_is_batched(data):
    X, _ = data
    dX = da.from_array(X, chunks=(25, 4))
    est = iid.preprocessing.StandardScaler().fit(X)
    out = est.transform(dX)
    assert out.chunks == dX.chunks
    assert_allclose(out.compute(), StandardScaler().fit(X).transform(X))


def test_large_blocks_keep_one_task_each(data, monkeypatch):
    X, y = data
    est, sk = _fitted(X, y)
    monkeypatch.setattr(_blocks, "BATCH_BYTES", 1)
    CountingLR.calls.clear()
    with dask.config.set(scheduler="sync"):
        got = est.predict(da.from_array(X, chunks=50)).compute()
    assert CountingLR.calls == [50] * 4
    assert_array_equal(got, sk.predict(X))


def test_a_batch_holds_at_most_the_batch_bytes(data, monkeypatch):
    X, y = data
    est, sk = _fitted(X, y)
    monkeypatch.setattr(_blocks, "BATCH_BYTES", 3 * 10 * 4 * 8)  # three blocks of 10 x 4
    CountingLR.calls.clear()
    with dask.config.set(scheduler="sync"):
        got = est.predict(da.from_array(X, chunks=10)).compute()
    assert sorted(CountingLR.calls) == [20] + [30] * 6
    assert_array_equal(got, sk.predict(X))


def test_unknown_chunks_keep_one_task_per_block(data):
    X, y = data
    est, sk = _fitted(X, y)
    dX = da.from_array(X, chunks=50)
    dX = dX[dX[:, 0] > -100]  # every row, sizes unknown
    CountingLR.calls.clear()
    with dask.config.set(scheduler="sync"):
        got = est.predict(dX).compute()
    assert CountingLR.calls == [50] * 4
    assert_array_equal(got, sk.predict(X))


def test_empty_blocks_inside_a_batch(data):
    X, y = data
    est, sk = _fitted(X, y)
    dX = da.from_array(X[:30], chunks=((10, 0, 20, 0), (4,)))
    out = est.predict_proba(dX)
    assert out.chunks[0] == (10, 0, 20, 0)
    assert [b.shape for b in dask.compute(*out.to_delayed().ravel())] == [
        (10, 2), (0, 2), (20, 2), (0, 2)]
    assert_allclose(out.compute(), sk.predict_proba(X[:30]))
    assert est.predict(dX[:0]).compute().shape == (0,)


def test_sparse_blocks_are_batched(data):
    X, y = data
    est, sk = _fitted(scipy.sparse.csr_matrix(X), y)
    dX = da.from_array(X, chunks=10).map_blocks(scipy.sparse.csr_matrix)
    out = est.predict_proba(dX)
    assert out.chunks[0] == dX.chunks[0]
    assert_allclose(out.compute(), sk.predict_proba(scipy.sparse.csr_matrix(X)))


def test_blockwise_score_scores_small_blocks_together(data, monkeypatch):
    X, _ = data
    dX = da.from_array(X, chunks=10)
    est = iid.cluster.KMeans(n_clusters=3, n_init=1, random_state=0).fit(X)
    expected = KMeans.score(est, X)
    calls, score = [], KMeans.score

    def counting(self, X, y=None, sample_weight=None):  # KMeans' own, so its rule holds
        calls.append(X.shape[0])
        return score(self, X, y, sample_weight=sample_weight)

    monkeypatch.setattr(KMeans, "score", counting)
    with dask.config.set(scheduler="sync"):
        got = est.score(dX)
    assert calls == [200]
    assert_allclose(got, expected)


def test_batch_ranges_bound_bytes_and_count(monkeypatch):
    assert _blocks.batch_ranges([1] * 600) == [(0, 256), (256, 512), (512, 600)]
    big = _blocks.BATCH_BYTES
    assert _blocks.batch_ranges([big, 1, 1, big]) == [(0, 1), (1, 3), (3, 4)]
    assert _blocks.batch_ranges([big // 2 + 1] * 3) == [(0, 1), (1, 2), (2, 3)]
    assert _blocks.batch_ranges([]) == []
