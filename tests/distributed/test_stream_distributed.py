"""The streaming engine on a 2-worker LocalCluster: model to data, exact, robust."""
import os
import pickle
import signal
import threading
import time

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import SGDClassifier as SkSGDClassifier
from sklearn.naive_bayes import GaussianNB

from dask_variants import incremental
from tests.engine.test_stream_support import lazy_blocks, target

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.distributed


def hand_loop(X, y, orders, seed=0, scheduler="sync"):
    ref = SkSGDClassifier(random_state=seed)
    with dask.config.set(scheduler=scheduler):
        for order in orders:
            for k in order:
                ref.partial_fit(X.blocks[k].compute(), y.blocks[k].compute(), classes=[0, 1])
    return ref


def test_stream_on_cluster_equals_hand_loop(client):
    X = lazy_blocks(10)
    y = target(X)
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    ref = hand_loop(X, y, [range(10)])
    assert_array_equal(est.coef_, ref.coef_)
    assert_array_equal(est.intercept_, ref.intercept_)
    # the same seeded, shuffled fit as on the synchronous scheduler
    shuffled = incremental.SGDClassifier(random_state=3, epochs=2).fit(X, y)
    with dask.config.set(scheduler="sync"):
        local = incremental.SGDClassifier(random_state=3, epochs=2).fit(X, y)
    assert_array_equal(shuffled.coef_, local.coef_)


def test_stream_on_cluster_moves_the_model_not_the_data(client):
    X = lazy_blocks(8, rows=20000, cols=50)  # 8 MB blocks
    y = target(X)
    X, y = client.persist([X, y])
    distributed.wait([X, y])

    def incoming(dask_worker):
        return sum(t["total"] for t in dask_worker.transfer_incoming_log)

    before = sum(client.run(incoming).values())
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    moved = sum(client.run(incoming).values()) - before
    model_bytes = len(pickle.dumps(est))
    assert moved < 8 * (model_bytes + 20000 * 8) + 2**20, moved  # never the 8 MB blocks
    assert_array_equal(est.coef_, hand_loop(X, y, [range(8)], scheduler=client.get).coef_)


def test_stream_on_cluster_failing_block(client):
    X = lazy_blocks(6, fail_at=4)
    y = target(lazy_blocks(6))
    est = incremental.SGDClassifier(random_state=0)
    before = pickle.dumps(est.__dict__)
    with pytest.raises(OSError, match="loading row block 4 of 6") as info:
        est.fit(X, y)
    assert "cannot read block 4" in str(info.value.__cause__)
    assert pickle.dumps(est.__dict__) == before
    bad = da.where(da.arange(300, chunks=50)[:, None] == 120, np.nan, lazy_blocks(6))
    with pytest.raises(ValueError, match="fitting row block 2 of 6"):
        est.fit(bad, y)
    assert pickle.dumps(est.__dict__) == before


def test_stream_on_cluster_survives_a_killed_worker(client):
    X = lazy_blocks(24, rows=200, delay=0.1)
    y = target(lazy_blocks(24, rows=200))
    ref = hand_loop(X, y, [range(24)])
    pids = client.run(os.getpid)
    victim = sorted(pids)[0]

    killed = []

    def kill():
        time.sleep(0.8)
        os.kill(pids[victim], signal.SIGKILL)  # a worker process this module started
        killed.append(time.perf_counter())

    killer = threading.Thread(target=kill)
    killer.start()
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    done = time.perf_counter()
    killer.join()
    assert killed and killed[0] < done, "the worker died after the fit: nothing tested"
    assert_array_equal(est.coef_, ref.coef_)
    client.wait_for_workers(2, timeout=60)
    assert pids[victim] not in client.run(os.getpid).values()


def test_merge_on_cluster_equals_sequential(client):
    rs = np.random.RandomState(0)
    X = rs.normal(size=(400, 3)) * [1.0, 5.0, 0.2]
    y = rs.randint(0, 2, 400)
    est = incremental.GaussianNB(shuffle_blocks=False).fit(
        da.from_array(X, chunks=(50, -1)), da.from_array(y, chunks=50))
    ref = GaussianNB()
    for k in range(8):
        ref.partial_fit(X[k * 50:(k + 1) * 50], y[k * 50:(k + 1) * 50], classes=[0, 1])
    for attr in ("theta_", "var_", "class_count_", "class_prior_", "epsilon_"):
        assert_allclose(getattr(est, attr), getattr(ref, attr), rtol=1e-10)


def test_stream_on_cluster_early_stopping_matches_local(client):
    X = lazy_blocks(8)
    y = target(X)
    params = dict(random_state=1, epochs=6, holdout_blocks=2, patience=1, min_improvement=1.0)
    est = incremental.SGDClassifier(**params).fit(X, y)
    with dask.config.set(scheduler="sync"):
        local = incremental.SGDClassifier(**params).fit(X, y)
    assert [h["epoch"] for h in est.history_] == [1, 2]
    assert [h["blocks_seen"] for h in est.history_] == [6, 12]
    assert [h["score"] for h in est.history_] == [h["score"] for h in local.history_]
    assert_array_equal(est.coef_, local.coef_)


@pytest.mark.parametrize("make, kwargs", [
    (lambda: incremental.SGDClassifier(random_state=0), {"classes": [0, 1]}),  # stream
    (lambda: incremental.StandardScaler(), {}),                                # merge
])
def test_all_empty_x_is_refused_on_the_cluster_as_locally(client, make, kwargs):
    """The cluster driver counts the empty blocks it skips, as the local one does: an
    all-empty X raises instead of returning an unfitted model as fitted."""
    from sklearn.base import is_classifier

    from tests.engine.test_stream import _all_empty_frame

    X, y, pdf = _all_empty_frame()
    est = make()
    target_ = y if is_classifier(est) else None
    with pytest.raises(ValueError) as on_cluster:
        est.fit(X, target_, **kwargs)
    with dask.config.set(scheduler="threads"):
        with pytest.raises(ValueError) as local:
            make().fit(X, target_, **kwargs)
    assert str(on_cluster.value) == str(local.value)
    assert "got no rows: all 3 row blocks of X are empty" in str(on_cluster.value)
    assert not hasattr(est, "n_features_in_")
    # a batch with a non-empty block among empty ones is fitted and counted
    import dask.dataframe as dd

    full = dd.from_pandas(pdf, npartitions=1)
    Xm, ym = dd.concat([X, full[["a", "b"]]]), dd.concat([y, full["t"]])
    fitted = make().fit(Xm, ym if target_ is not None else None, **kwargs)
    ref = make().fit(pdf[["a", "b"]], pdf["t"] if target_ is not None else None)
    assert fitted.n_features_in_ == ref.n_features_in_ == 2


def test_continuous_target_on_the_cluster_is_scikit_learns_error(client):
    """The target check runs in the first fit task, on the block it loads anyway."""
    from sklearn.utils.multiclass import check_classification_targets

    X = lazy_blocks(4)
    y = da.from_array(np.linspace(0.05, 0.95, X.shape[0]), chunks=X.chunks[0])
    est = incremental.SGDClassifier(random_state=0)
    with pytest.raises(ValueError) as info:
        est.fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError) as ref:
        check_classification_targets(y.blocks[0].compute())
    assert str(info.value) == str(ref.value) and info.value.__cause__ is None
    assert not hasattr(est, "coef_")
