"""The reduction engine: one task per block, a tree of merges, each block read once."""
import threading

import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from dask_variants import exact
from dask_variants.engine import _reduce
from dask_variants.engine._source import Source

X = np.arange(300.0).reshape(100, 3)


def counting_blocks(n_blocks, rows=10, fail_at=None):
    """A lazy array whose blocks count how often they are computed."""
    reads = {}
    lock = threading.Lock()

    def make(k):
        with lock:
            reads[k] = reads.get(k, 0) + 1
        if k == fail_at:
            raise OSError(f"cannot read part {k}")
        return np.random.RandomState(k).normal(size=(rows, 3))

    blocks = [da.from_delayed(dask.delayed(make)(k), shape=(rows, 3), dtype=float)
              for k in range(n_blocks)]
    return da.concatenate(blocks), reads


def _rows(k, x, y, params):
    return [k] * len(x)


@pytest.mark.parametrize("scheduler, chunks", [
    ("sync", (10,) * 10), ("sync", (1, 50, 0, 49)), ("sync", (100,)),
    ("threads", (1, 50, 0, 49)), ("processes", (1, 50, 0, 49))])
def test_reduce_merges_every_block_in_order(scheduler, chunks):
    dX = da.from_array(X, chunks=(chunks, -1))
    with dask.config.set(scheduler=scheduler):
        got = _reduce.run(Source(dX, None, {}), _rows, list.__add__, est=None, method="fit")
    expected = [k for k, c in enumerate(chunks) for _ in range(c)]
    assert got == expected


def test_reduce_all_empty_gives_none():
    dX = da.from_array(X, chunks=(10, -1))
    empty = dX[dX[:, 0] < -1]
    assert _reduce.run(Source(empty, None, {}), _rows, list.__add__,
                       est=None, method="fit") is None


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_exact_fit_reads_each_block_once(scheduler):
    dX, reads = counting_blocks(8)
    with dask.config.set(scheduler=scheduler):
        exact.LinearRegression().fit(dX, dX[:, 0] * 2.0)
    assert reads == {k: 1 for k in range(8)}


def test_exact_fit_names_a_block_that_fails_to_load():
    dX, _ = counting_blocks(6, fail_at=4)
    est = exact.StandardScaler()
    with pytest.raises(OSError, match="loading row block 4 of 6") as info:
        est.fit(dX)
    assert isinstance(info.value.__cause__, OSError)
    assert not hasattr(est, "mean_")


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_exact_fit_all_empty_raises_on_every_scheduler(scheduler):
    dX = da.from_array(X, chunks=(10, -1))
    empty = dX[dX[:, 0] < -1]
    with dask.config.set(scheduler=scheduler), pytest.raises(ValueError, match="got no rows"):
        exact.LinearRegression().fit(empty, empty[:, 0])


def test_exact_fit_keeps_a_fitted_estimator_when_a_block_fails():
    dX = da.from_array(X, chunks=(10, -1))
    y = da.from_array(X[:, 0] * 3.0, chunks=10)
    est = exact.LinearRegression().fit(dX, y)
    before = dict(vars(est))
    bad = da.where(da.arange(100, chunks=10)[:, None] == 55, np.inf, dX)
    with pytest.raises(ValueError, match="fitting row block 5 of 10"):
        est.fit(bad, y)
    assert vars(est).keys() == before.keys()
    np.testing.assert_array_equal(est.coef_, before["coef_"])
    ref = LinearRegression().fit(X, X[:, 0] * 3.0)
    np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-9)
