"""GIL-holding post-fit methods in worker processes: the same results as in threads."""
import pickle
import subprocess
import sys
import threading
import time

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import FunctionTransformer

from dask_variants import iid
from dask_variants.blocks import _processes


@pytest.fixture
def in_processes(monkeypatch):
    """Every method counts as GIL-holding, on the threaded scheduler."""
    def always(fn, X, params):
        return fn(X, **params), True

    monkeypatch.setattr(_processes, "_holds_gil", always)
    with dask.config.set(scheduler="threads"):
        yield


def _both(make):
    """``make()`` computed with processes on (the fixture) and off."""
    on = make()
    with dask.config.set({"dask_variants.blockwise-processes": False}):
        off = make()
    return on, off


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(600, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    gbc = iid.ensemble.GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X, y)
    pca = iid.decomposition.PCA(n_components=2).fit(X)
    return X, gbc, pca


@pytest.mark.slow
@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function",
                                    "apply"])
def test_process_results_equal_thread_results_on_arrays(fitted, in_processes, method):
    X, gbc, _ = fitted
    dX = da.from_array(X, chunks=100)
    assert _processes.runner(gbc, method) is not None
    lazy = getattr(gbc, method)(dX)
    on, off = _both(lambda: lazy.compute())
    assert_array_equal(on, off)
    assert_array_equal(on, getattr(gbc, method)(X))


@pytest.mark.slow
def test_process_transform_equals_threads(fitted, in_processes):
    X, _, pca = fitted
    on, off = _both(lambda: pca.transform(da.from_array(X, chunks=150)).compute())
    assert_array_equal(on, off)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_process_results_keep_a_frames_index(fitted, in_processes, method):
    X, gbc, _ = fitted
    frame = pd.DataFrame(X, index=np.arange(len(X)) * 3 + 7)
    gbc_frame = iid.ensemble.GradientBoostingClassifier(n_estimators=5, random_state=0)
    gbc_frame.fit(frame, gbc.predict(X))
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(frame, npartitions=4)
    on, off = _both(lambda: getattr(gbc_frame, method)(ddf).compute())
    pd.testing.assert_index_equal(on.index, frame.index)
    if isinstance(on, pd.Series):
        pd.testing.assert_series_equal(on, off)
    else:
        pd.testing.assert_frame_equal(on, off)


@pytest.mark.slow
def test_the_model_goes_to_each_process_once(fitted, in_processes, monkeypatch):
    from dask_variants.blocks import _blocks

    X, gbc, _ = fitted
    _processes._DECIDED.pop(gbc, None)  # the first block is probed, whatever ran before
    monkeypatch.setattr(_blocks, "BATCH_BYTES", 1)  # small blocks are not batched here
    before = _processes.model_sends()
    lazy = gbc.predict_proba(da.from_array(X, chunks=(30, 5)))  # 20 blocks, one task each
    with dask.config.set({"dask_variants.blockwise-processes": True}):
        out = lazy.compute()
    sent = {t: n for t, n in _processes.model_sends().items() if t not in before}
    assert len(sent) == 1
    workers = _processes._WORKERS.qsize()
    assert 1 <= list(sent.values())[0] <= workers < 20
    assert_array_equal(out, gbc.predict_proba(X))


def test_no_processes_when_turned_off_or_not_on_threads(fitted):
    _, gbc, _ = fitted
    with dask.config.set(scheduler="threads"):
        assert _processes.runner(gbc, "predict") is not None
        with dask.config.set({"dask_variants.blockwise-processes": False}):
            assert _processes.runner(gbc, "predict") is None
    for scheduler in ("sync", "processes"):
        with dask.config.set(scheduler=scheduler):
            assert _processes.runner(gbc, "predict") is None


class PythonLoop(ClassifierMixin, BaseEstimator):
    """A predict that is a Python loop: it holds the GIL."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        t0 = time.process_time()
        out = []
        for row in np.asarray(X):
            out.append(int(row[0] > 0))
        while time.process_time() - t0 < 0.05:  # enough CPU time to measure
            sum(range(1000))
        return np.array(out)


def test_the_probe_finds_a_method_that_holds_the_gil():
    X = np.random.RandomState(0).normal(size=(2000, 3))
    est = PythonLoop().fit(X, X[:, 0] > 0)
    out, gil = _processes._holds_gil(est.predict, X, {})
    assert_array_equal(out, (X[:, 0] > 0).astype(int))
    assert gil is True


def test_a_probe_too_quick_to_tell_runs_in_place():
    X = np.zeros((10, 3))
    out, gil = _processes._holds_gil(lambda X: X.sum(axis=1), X, {})
    assert gil is None and out.shape == (10,)



def test_a_model_holding_a_lambda_goes_to_the_processes(in_processes):
    """A ColumnTransformer selecting columns with a lambda does not pickle, but goes to
    the worker processes by value (cloudpickle), with the same result."""
    df = pd.DataFrame({"a": np.arange(40.0), "b": -np.arange(40.0)})
    ddf = dd.from_pandas(df, npartitions=4)
    steps = [("abs", FunctionTransformer(np.abs), lambda X: ["a", "b"])]
    ct = iid.compose.ColumnTransformer(steps).fit(ddf)
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(ct)
    before = _processes.model_sends()
    got = ct.transform(ddf).compute()
    assert_array_equal(np.asarray(got), ColumnTransformer(steps).fit(df).transform(df))
    assert set(_processes.model_sends()) - set(before), "the model did not go to a process"


class _Locked(ClassifierMixin, BaseEstimator):
    """A model holding a lock: nothing can send it to another process."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.lock_ = threading.Lock()
        return self

    def predict(self, X):
        return self.classes_[(np.asarray(X)[:, 0] > 0).astype(int)]


def test_a_model_that_does_not_pickle_runs_in_threads(in_processes):
    X = np.random.RandomState(0).normal(size=(40, 2))
    model = iid.variant(_Locked)().fit(X, np.arange(40) % 2)
    before = _processes.model_sends()
    got = model.predict(da.from_array(X, chunks=10)).compute()
    assert_array_equal(got, model.predict(X))
    assert _processes.model_sends() == before


_NO_GUARD = """
import dask, dask.array as da, numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from dask_variants import iid
from dask_variants.blocks import _blocks, _processes

print("the script's body runs")
_processes._holds_gil = lambda fn, X, params: (fn(X, **params), True)
_blocks.BATCH_BYTES = 1  # one task per block


class Sign(ClassifierMixin, BaseEstimator):  # defined in __main__
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return self.classes_[(np.asarray(X)[:, 0] > 0).astype(int)]


X = da.random.RandomState(1).normal(size=(40_000, 3), chunks=10_000)
models = [iid.variant(Sign)().fit(np.zeros((2, 3)), [0, 1]),
          iid.ensemble.GradientBoostingClassifier(n_estimators=3).fit(
              np.arange(60.0).reshape(20, 3), np.arange(20) % 2)]
with dask.config.set(scheduler="threads"):
    for model in models:
        on = model.predict(X).compute()
        with dask.config.set({"dask_variants.blockwise-processes": False}):
            off = model.predict(X).compute()
        assert np.array_equal(on, off)
assert len(_processes.model_sends()) == 2, _processes.model_sends()
print("done")
"""


@pytest.mark.slow
def test_a_script_without_a_main_guard_predicts_in_processes(tmp_path):
    """The worker processes do not run the user's script again: a script with no
    ``if __name__ == "__main__":`` guard works, its body runs once, and a model class
    defined in it reaches the processes."""
    script = tmp_path / "no_guard.py"
    script.write_text(_NO_GUARD)
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("the script's body runs") == 1, done.stdout
    assert done.stdout.rstrip().endswith("done")

# ------------------------------------------------- blocks made in the worker process


def _lazy(shape, chunks):
    """An array whose blocks are generated from a seed: each has a recipe of its own."""
    return da.random.RandomState(0).normal(size=shape, chunks=chunks)


@pytest.fixture
def unbatched(monkeypatch):
    """Small blocks get one task each (they are computed together otherwise)."""
    from dask_variants.blocks import _blocks

    monkeypatch.setattr(_blocks, "BATCH_BYTES", 1)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function",
                                    "apply"])
def test_blocks_made_in_processes_equal_thread_results(fitted, in_processes, unbatched,
                                                        method):
    _, gbc, _ = fitted
    dX = _lazy((600, 5), (100, 5))
    lazy = getattr(gbc, method)(dX)
    assert lazy.chunks[0] == dX.chunks[0]
    assert not any(k[0] == dX.name for k in dict(lazy.dask))  # the recipes, not X's keys
    on, off = _both(lambda: lazy.compute())
    assert_array_equal(on, off)
    assert_array_equal(on, getattr(gbc, method)(dX.compute()))


@pytest.fixture
def made_here(monkeypatch):
    """The recipes computed in this process (the others were computed in a worker's)."""
    made = []
    compute = _processes.Recipe.compute

    def counted(self):
        made.append(self.keys)
        return compute(self)

    monkeypatch.setattr(_processes.Recipe, "compute", counted)
    return made


@pytest.mark.slow
def test_blocks_are_made_in_the_worker_processes(fitted, in_processes, unbatched,
                                                 made_here):
    _, gbc, _ = fitted
    _processes._DECIDED.pop(gbc, None)  # the first block is probed here, in this process
    dX = _lazy((600, 5), (100, 5))
    out = gbc.predict_proba(dX).compute()
    assert len(made_here) == 1  # the probe's block; the five others were made there
    assert_array_equal(out, gbc.predict_proba(dX.compute()))


def test_recipes_only_for_self_contained_blocks():
    from dask_variants.blocks._apply import _recipes

    assert len(_recipes(_lazy((600, 5), (100, 5)))) == 6
    assert _recipes(_lazy((600, 5), (100, 5)).persist()) is None  # data
    assert _recipes(da.from_array(np.zeros((600, 5)), chunks=(100, 5))) is None
    # each block of the rechunked array needs a block that another one needs too
    assert _recipes(_lazy((600, 5), (300, 5)).rechunk((200, 5))) is None


def test_a_recipe_larger_than_its_rows_ships_the_rows():
    big = np.arange(10.0)
    dX = da.random.RandomState(0).normal(size=(20, 1), chunks=(10, 1)).map_blocks(
        lambda b, extra: b + extra[:1], np.repeat(big, 1000))
    from dask_variants.blocks._apply import _recipes

    made = _recipes(dX)
    assert made is not None
    shipped = made[0].shipped()
    assert isinstance(shipped, np.ndarray)
    assert_array_equal(shipped, dX.blocks[0].compute())


# ----------------------------------------------- partitions made in the worker process


def _parquet_frame(where, filtered=False):
    """Four parquet files (one whose rows a filter empties); read back, maybe filtered.
    Each larger than its recipe, so that the recipe, not the rows, is sent."""
    rng = np.random.RandomState(1)
    for k in range(4):
        part = pd.DataFrame(rng.normal(size=(3000, 5)), columns=[f"f{i}" for i in range(5)])
        if k == 2:
            part["f0"] = -5.0 - np.abs(part["f0"])
        part.to_parquet(where / f"part.{k}.parquet", index=False)
    ddf = dd.read_parquet(where)
    return ddf[ddf.f0 > -2] if filtered else ddf


def _frame_model(X):
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    return iid.ensemble.GradientBoostingClassifier(n_estimators=5, random_state=0).fit(
        frame, y)


def _assert_pandas_equal(a, b):
    if isinstance(b, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, check_index_type=True)
    else:
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True)


@pytest.mark.slow
@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_parquet_partitions_made_in_processes_equal_threads(fitted, in_processes, tmp_path,
                                                            method, filtered):
    X, _, _ = fitted
    gbc = _frame_model(X)
    ddf = _parquet_frame(tmp_path, filtered)
    lazy = getattr(gbc, method)(ddf)
    assert lazy.npartitions == ddf.npartitions and lazy.divisions == ddf.divisions
    assert "read_parquet" not in str(dict(lazy.dask))  # the recipes, not X's keys
    on, off = _both(lambda: lazy.compute())
    _assert_pandas_equal(on, off)
    rows = ddf.compute()
    assert_array_equal(np.asarray(on), getattr(gbc, method)(rows))
    pd.testing.assert_index_equal(on.index, rows.index)


@pytest.mark.slow
def test_parquet_partitions_are_made_in_the_worker_processes(fitted, in_processes,
                                                             tmp_path, made_here):
    X, _, _ = fitted
    gbc = _frame_model(X)
    ddf = _parquet_frame(tmp_path)
    before = _processes.model_sends()
    out = gbc.predict_proba(ddf).compute()
    assert len(made_here) == 1  # the probe's partition; the three others were made there
    assert set(_processes.model_sends()) - set(before)
    rows = ddf.compute()
    assert_array_equal(out.to_numpy(), gbc.predict_proba(rows))
    pd.testing.assert_index_equal(out.index, rows.index)
