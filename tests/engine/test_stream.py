"""The streaming engine on the local schedulers: exactness, bounds, failures, epochs."""
import copy
import logging
import pickle

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import SGDClassifier as SkSGDClassifier

from dask_variants import incremental
from dask_variants.blocks._blocks import block_order
from dask_variants.engine import _fit, _source
from tests.engine.test_stream_support import EVENTS, Recorder, lazy_blocks, target

IncRecorder = incremental.variant(Recorder)


def hand_loop(X, y, order, seed=0, passes_orders=None):
    """scikit-learn's SGDClassifier, fitted block by block on computed blocks."""
    ref = SkSGDClassifier(random_state=seed)
    for order in passes_orders or [order]:
        for k in order:
            ref.partial_fit(X.blocks[k].compute(), y.blocks[k].compute(), classes=[0, 1])
    return ref


def state(est):
    return pickle.dumps(est.__dict__)


def test_stream_fit_equals_hand_loop_on_every_scheduler(scheduler):
    X = lazy_blocks(12)
    y = target(X)
    with dask.config.set(scheduler="sync"):
        ref = hand_loop(X, y, range(12))
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    assert_array_equal(est.coef_, ref.coef_)
    assert_array_equal(est.intercept_, ref.intercept_)


@pytest.mark.parametrize("prefetch", [0, 1, 3])
def test_stream_shuffled_epochs_equal_hand_loop(prefetch):
    X = lazy_blocks(9)
    y = target(X)
    rng = np.random.RandomState(7)
    orders = [block_order(9, True, rng) for _ in range(3)]
    ref = hand_loop(X, y, None, seed=7, passes_orders=orders)
    with dask.config.set({"dask_variants.prefetch": prefetch, "scheduler": "threads"}):
        est = incremental.SGDClassifier(random_state=7, epochs=3).fit(X, y)
    assert_array_equal(est.coef_, ref.coef_)
    assert [h["blocks_seen"] for h in est.history_] == [9, 18, 27]
    assert all(h["score"] is None for h in est.history_)


def test_stream_small_blocks_are_batched(monkeypatch):
    X = lazy_blocks(300, rows=20, cols=3)
    y = target(X)
    load = _source.Source.load
    calls = _counting_loads(monkeypatch)
    with dask.config.set(scheduler="threads"):
        est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    assert sum(calls) == 300 and len(calls) <= 3
    monkeypatch.setattr(_source.Source, "load", load)
    ref = hand_loop(X, y, range(300))
    assert_array_equal(est.coef_, ref.coef_)


def test_stream_prefetch_bound_and_overlap():
    """Never more than prefetch blocks loaded ahead; loading overlaps fitting."""
    del EVENTS[:]
    n, delay = 12, 0.05
    X = lazy_blocks(n, rows=2000, cols=300, delay=delay, record=True)  # 4.8 MB: unbatched
    est = IncRecorder(delay=delay, record=True, shuffle_blocks=False)
    with dask.config.set({"dask_variants.prefetch": 2, "scheduler": "threads"}):
        est.fit(X)
    loaded = fitted = ahead = 0
    for kind, _ in EVENTS:
        if kind == "load":
            loaded += 1
        else:
            fitted += 1
        # while fitting the next block, it plus at most 2 more may have started loading
        ahead = max(ahead, loaded - fitted)
    assert ahead <= 2 + 1
    # overlap, shown by order rather than wall time (which a busy machine stretches):
    # a sequential load-then-fit never has more than one block loaded ahead of the fits
    assert ahead >= 2
    assert est.n_calls_ == n


def test_stream_error_loading_names_block_and_keeps_estimator():
    X = lazy_blocks(8, fail_at=5)
    y = target(lazy_blocks(8))
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    est.partial_fit(lazy_blocks(2), target(lazy_blocks(2)), classes=[0, 1])
    before = state(est)
    with dask.config.set(scheduler="threads"):
        with pytest.raises(OSError, match="row block 5 of 8") as info:
            est.partial_fit(X, y)
    assert isinstance(info.value.__cause__, OSError)
    assert "cannot read block 5" in str(info.value.__cause__)
    assert state(est) == before


@pytest.mark.parametrize("rows", [20, 4000], ids=["batched", "single"])
def test_stream_error_fitting_names_block_and_keeps_estimator(rows):
    X = lazy_blocks(10, rows=rows)
    X = da.where(da.arange(X.shape[0], chunks=X.chunks[0])[:, None] == 7 * rows + 3, -1.0, X)
    est = IncRecorder(fail_value=-1.0, shuffle_blocks=False)
    before = state(est)
    with pytest.raises(ArithmeticError, match="fitting row block 7 of 10") as info:
        est.fit(X)
    assert isinstance(info.value.__cause__, ArithmeticError)
    assert state(est) == before
    assert not hasattr(est, "total_")


def test_stream_early_stopping_records_history():
    X = lazy_blocks(12)
    y = target(X)
    est = incremental.SGDClassifier(
        random_state=0, epochs=30, holdout_blocks=0.25, patience=2, min_improvement=1.0,
    )
    est.fit(X, y)
    # epoch 1 sets the best; no later epoch can beat it by 1.0; patience 2 stops at 3
    assert [h["epoch"] for h in est.history_] == [1, 2, 3]
    assert [h["blocks_seen"] for h in est.history_] == [9, 18, 27]
    assert all(0.0 <= h["score"] <= 1.0 for h in est.history_)
    times = [h["time"] for h in est.history_]
    assert times == sorted(times)
    # the same training as a hand loop over the 9 training blocks in the drawn order
    rng = np.random.RandomState(0)
    held = sorted(int(i) for i in rng.choice(12, 3, replace=False))
    train = [k for k in range(12) if k not in held]
    orders = [[train[i] for i in block_order(9, True, rng)] for _ in range(3)]
    ref = hand_loop(X, y, None, passes_orders=orders)
    assert_array_equal(est.coef_, ref.coef_)
    assert est.history_[-1]["score"] == pytest.approx(
        ref.score(np.concatenate([X.blocks[k].compute() for k in held]),
                  np.concatenate([y.blocks[k].compute() for k in held])))


def test_stream_holdout_errors():
    X = lazy_blocks(4)
    with pytest.raises(ValueError, match="holdout_blocks=4"):
        incremental.SGDClassifier(holdout_blocks=4).fit(X, target(X))
    with pytest.raises(ValueError, match="no score method"):
        incremental.StandardScaler(holdout_blocks=1).fit(X)
    with pytest.raises(ValueError, match="patience"):
        incremental.SGDClassifier(patience=0).fit(X, target(X))


def test_stream_progress_bar(capsys):
    X = lazy_blocks(6)
    with dask.config.set({"dask_variants.progress": True}):
        incremental.SGDClassifier(epochs=2, random_state=0).fit(X, target(X))
    err = capsys.readouterr().err
    assert "SGDClassifier.fit" in err and "12/12" in err and "epoch 2" in err
    incremental.SGDClassifier(random_state=0).fit(X, target(X))
    assert capsys.readouterr().err == ""


def test_stream_logs_block_timings(caplog):
    X = lazy_blocks(3)
    with caplog.at_level(logging.DEBUG, logger="dask_variants"):
        incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, target(X))
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("dask_variants")]
    assert any("block 2" in m and "fitted in" in m for m in messages)


def test_stream_keeps_the_v1_call():
    """Other modules call ``stream`` with the first version's keywords only."""
    X = lazy_blocks(4)
    y = target(X)
    est = incremental.SGDClassifier(random_state=0)
    work = copy.deepcopy(est)
    _fit.stream(work, X, y, {}, {"classes": [0, 1]}, passes=1, shuffle=False,
                   random_state=0, method="fit")
    assert_array_equal(work.coef_, hand_loop(X, y, range(4)).coef_)


def test_stream_dask_dataframe_equals_hand_loop():
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    rs = np.random.RandomState(0)
    frame = pd.DataFrame(rs.normal(size=(400, 3)), columns=["a", "b", "c"])
    frame["y"] = (frame.a + frame.b > 0).astype(int)
    df = dd.from_pandas(frame, npartitions=8)
    X, y = df[["a", "b", "c"]], df["y"]
    with dask.config.set(scheduler="threads"):
        est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    ref = SkSGDClassifier(random_state=0)
    for k in range(8):
        ref.partial_fit(X.partitions[k].compute(), y.partitions[k].compute(), classes=[0, 1])
    assert_array_equal(est.coef_, ref.coef_)



def _all_empty_frame(npartitions=3):
    """X and y of a frame whose every partition a filter emptied (as a read would)."""
    import dask.dataframe as dd
    import pandas as pd

    rng = np.random.RandomState(0)
    pdf = pd.DataFrame({"a": rng.rand(30), "b": rng.rand(30), "t": np.arange(30) % 2})
    ddf = dd.from_pandas(pdf, npartitions=npartitions)
    sub = ddf[ddf.a > 2]
    return sub[["a", "b"]], sub["t"], pdf


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
@pytest.mark.parametrize("make, kwargs", [
    (lambda: incremental.SGDClassifier(random_state=0), {"classes": [0, 1]}),  # stream
    (lambda: incremental.StandardScaler(), {}),                                # merge
    (lambda: incremental.GaussianNB(), {"classes": [0, 1]}),                   # merge
])
def test_all_empty_x_is_refused_on_every_local_driver(scheduler, make, kwargs):
    from sklearn.base import is_classifier

    X, y, pdf = _all_empty_frame()
    est = make().fit(pdf[["a", "b"]], pdf["t"])  # fitted before: must stay so
    before = {k: np.copy(v) for k, v in vars(est).items() if k.endswith("_")
              and isinstance(v, np.ndarray)}
    assert before
    with dask.config.set(scheduler=scheduler):
        with pytest.raises(ValueError, match=r"\.fit got no rows: all 3 row blocks of X "
                                             r"are empty\. Check the filter"):
            est.fit(X, y if is_classifier(est) else None, **kwargs)
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(est, k), v)


def _counting_loads(monkeypatch):
    calls = []
    load = _source.Source.load

    def counting(self, batch, *args, **kwargs):
        calls.append(len(batch))
        return load(self, batch, *args, **kwargs)

    monkeypatch.setattr(_source.Source, "load", counting)
    return calls


def _uneven_parquet(path, sizes, seed=0):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    rs = np.random.RandomState(seed)
    for k, rows in enumerate(sizes):
        frame = pd.DataFrame(rs.normal(size=(rows, 3)), columns=["a", "b", "c"])
        frame["y"] = (frame.a + frame.b > 0).astype(int)
        frame.to_parquet(path / f"part-{k:03d}.parquet", index=False)


@pytest.mark.parametrize("source", ["parquet", "from_pandas"])
def test_stream_frames_of_known_sizes_are_batched_and_pair_rows(tmp_path, monkeypatch,
                                                                source):
    """Partition lengths from parquet metadata or from_pandas: one load per batch."""
    dd = pytest.importorskip("dask.dataframe")
    sizes = [30, 7, 50, 1, 40] * 8  # uneven: the rows must still pair by partition
    _uneven_parquet(tmp_path, sizes)
    df = dd.read_parquet(tmp_path)
    if source == "from_pandas":
        df = dd.from_pandas(df.compute(), npartitions=10)
    X, y = df[["a", "b", "c"]], df["y"]
    calls = _counting_loads(monkeypatch)
    with dask.config.set(scheduler="threads"):
        est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    assert sum(calls) == df.npartitions and len(calls) == 1
    ref = SkSGDClassifier(random_state=0)
    for k in range(df.npartitions):
        ref.partial_fit(X.partitions[k].compute(), y.partitions[k].compute(), classes=[0, 1])
    assert_array_equal(est.coef_, ref.coef_)


def test_stream_frame_batches_stop_at_the_batch_bytes(tmp_path, monkeypatch):
    dd = pytest.importorskip("dask.dataframe")
    _uneven_parquet(tmp_path, [100, 100, 100, 2000, 100, 100])
    df = dd.read_parquet(tmp_path)
    per_row = 3 * 8 + 8  # X's bytes count: three float columns and the index
    monkeypatch.setattr(_source, "_BATCH_BYTES", 250 * per_row)
    calls = _counting_loads(monkeypatch)
    with dask.config.set(scheduler="threads"):
        incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(
            df[["a", "b", "c"]], df["y"])
    assert calls == [2, 1, 1, 2]  # the large partition alone


def test_stream_frames_of_unknown_sizes_load_one_partition_each(tmp_path, monkeypatch):
    dd = pytest.importorskip("dask.dataframe")
    _uneven_parquet(tmp_path, [30, 7, 50, 1, 40])
    df = dd.read_parquet(tmp_path)
    df = df[df.a > -100]  # a filter: the lengths are unknown until read
    calls = _counting_loads(monkeypatch)
    with dask.config.set(scheduler="threads"):
        incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(
            df[["a", "b", "c"]], df["y"])
    assert calls == [1] * 5
