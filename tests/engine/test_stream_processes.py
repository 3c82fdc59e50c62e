"""Small blocks loaded by worker processes while this thread fits: the same model."""
import dask
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import SGDClassifier as SkSGDClassifier

from dask_variants import incremental
from dask_variants.engine import _local, _source
from tests.engine.test_stream_support import lazy_blocks, target

pytestmark = pytest.mark.slow  # starts worker processes


@pytest.fixture
def in_processes(monkeypatch):
    """Every batch after the first loads in worker processes; batches of a few blocks."""
    monkeypatch.setattr(_local, "_PROCESS_SECONDS", 0.0)
    monkeypatch.setattr(_source, "_BATCH_BYTES", 2000)
    calls = []
    load = _source.Source.load_in_process

    def counting(self, batch):
        calls.append(list(batch))
        return load(self, batch)

    monkeypatch.setattr(_source.Source, "load_in_process", counting)
    with dask.config.set(scheduler="threads"):
        yield calls


def _fit(X, y, **kwargs):
    return incremental.SGDClassifier(random_state=0, **kwargs).fit(X, y, classes=[0, 1])


def _threads_only(X, y, **kwargs):
    with dask.config.set({"dask_variants.blockwise-processes": False}):
        return _fit(X, y, **kwargs)


def test_stream_parquet_loaded_in_processes_equals_threads(tmp_path, in_processes):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    rs = np.random.RandomState(0)
    sizes = [30, 7, 50, 1, 0, 40] * 4  # uneven, one empty: the rows must still pair
    for k, rows in enumerate(sizes):
        frame = pd.DataFrame(rs.normal(size=(rows, 3)), columns=["a", "b", "c"])
        frame["y"] = (frame.a + frame.b > 0).astype(int)
        frame.to_parquet(tmp_path / f"part-{k:03d}.parquet", index=False)
    df = dd.read_parquet(tmp_path)
    X, y = df[["a", "b", "c"]], df["y"]
    est = _fit(X, y, shuffle_blocks=True)
    assert sum(map(len, in_processes)) > len(sizes) // 2  # most batches went there
    ref = _threads_only(X, y, shuffle_blocks=True)
    assert_array_equal(est.coef_, ref.coef_)
    assert_array_equal(est.intercept_, ref.intercept_)
    assert list(est.feature_names_in_) == ["a", "b", "c"]


def test_stream_lazy_array_loaded_in_processes_equals_hand_loop(in_processes):
    X = lazy_blocks(12)
    y = target(X)
    est = _fit(X, y, shuffle_blocks=False, epochs=2)
    assert in_processes
    ref = SkSGDClassifier(random_state=0)
    for _ in range(2):
        for k in range(12):
            ref.partial_fit(X.blocks[k].compute(), y.blocks[k].compute(), classes=[0, 1])
    assert_array_equal(est.coef_, ref.coef_)


def test_a_block_failing_in_a_process_is_named(in_processes):
    X = lazy_blocks(12, fail_at=9)
    before = incremental.SGDClassifier(random_state=0)
    with pytest.raises(OSError, match="loading row block 9 of 12") as info:
        before.fit(X, target(X), classes=[0, 1])
    assert "cannot read block 9" in str(info.value.__cause__)
    assert in_processes
    assert not hasattr(before, "coef_")  # left as it was


def test_no_process_loads_for_data_in_memory(in_processes):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(np.random.RandomState(0).normal(size=(400, 3)),
                         columns=["a", "b", "c"])
    df = dd.from_pandas(frame, npartitions=20)
    X = lazy_blocks(12).persist()
    for X, y in [(df[["a", "b", "c"]], df["a"] > 0), (X, target(X))]:
        est = _fit(X, y)
        assert not in_processes  # the blocks are data: nothing to make elsewhere
        assert_array_equal(est.coef_, _threads_only(X, y).coef_)
