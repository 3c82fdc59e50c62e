"""A batch of small parquet partitions read in one call gives dask's own partitions.

The reference is the same source loading one block at a time (dask's own task per
partition); the batch must equal it exactly: values, dtypes, index, names. Datasets
where one read would differ (an integer column with nulls in some files) are read file
by file, and the tests say which way each one went.
"""
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as st
from numpy.testing import assert_array_equal

from dask_variants import incremental
from dask_variants.blocks import _rows
from dask_variants.engine import _parquet_batch, _source

pytest.importorskip("pyarrow")

SIZES = [5, 0, 12, 3, 7, 1, 9]


def _numbers(k, n):
    rng = np.random.RandomState(k)
    return pd.DataFrame({"f0": rng.normal(size=n), "f1": np.arange(n) + 100 * k,
                         "flag": rng.rand(n) > 0.5, "y": rng.randint(0, 2, n)})


def _text(k, n):
    part = _numbers(k, n)
    part["words"] = pd.array([f"w{k} {i}" if i % 3 else None for i in range(n)],
                             dtype="string")
    return part


def _int_nulls(k, n):
    part = _numbers(k, n)
    if k == 2:  # one file's integer column holds a null: pandas makes that file's float
        part["f1"] = part["f1"].astype("Int64").astype(object).where(part.index != 1, None)
        part["f1"] = part["f1"].astype("float64")
    return part


def _categories(k, n):
    part = _numbers(k, n)
    part["kind"] = pd.Categorical([f"c{(k + i) % 3}" for i in range(n)])
    return part


def _write(where, make, **to_parquet):
    where.mkdir(exist_ok=True)
    for k, n in enumerate(SIZES):
        make(k, n).to_parquet(where / f"part.{k:03d}.parquet", **to_parquet)
    return dd.read_parquet(where, index="id" if make is _stored_index else None)


def _stored_index(k, n):
    part = _numbers(k, n)
    return part.set_index(pd.Index(np.arange(n) * 10 + k, name="id"))


def _slices(k, n):
    """Each file a slice of one frame: its RangeIndex, stored, starts where it was."""
    start = sum(SIZES[:k])
    return _numbers(k, n).set_axis(pd.RangeIndex(start, start + n))


DATASETS = {
    "numbers": (_numbers, {"index": False}, True),
    "text": (_text, {"index": False}, True),
    "int-nulls": (_int_nulls, {"index": False}, False),
    "stored-index": (_stored_index, {"index": True}, True),  # read with index="id"
    "slices": (_slices, {}, None),  # whichever way, dask's partitions
    "categories": (_categories, {"index": False}, None),
}


def _assert_same(got, want):
    check = dict(check_exact=True, check_index_type=True, check_flags=True)
    if isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_series_type=True, **check)
    else:
        pd.testing.assert_frame_equal(got, want, check_column_type=True,
                                      check_frame_type=True, **check)


@pytest.fixture
def ways(monkeypatch):
    """How each batch was read: True (one read, cut) or False (file by file)."""
    seen = []
    together = _parquet_batch._together

    def spy(*args):
        try:
            out = together(*args)
        except Exception:
            seen.append(False)
            raise
        seen.append(out is not None)
        return out

    monkeypatch.setattr(_parquet_batch, "_together", spy)
    return seen


@pytest.mark.parametrize("name", list(DATASETS))
def test_a_batch_gives_the_partitions_dask_gives_one_by_one(tmp_path, ways, name):
    make, options, one_read = DATASETS[name]
    ddf = _write(tmp_path, make, **options)
    features = [c for c in ddf.columns if c != "y"]
    X, others = _rows.co_partition(ddf[features], {"y": ddf["y"]}, owner="test")
    source = _source.Source(X, others["y"], {})
    assert source.lengths is not None and list(source.lengths) == SIZES
    order = [3, 0, 6, 1, 2, 5, 4]  # a shuffled pass: the batch's files in any order
    batched = source.load(order, dask.get)
    assert ways, "the batch was not read as one"
    if one_read is not None:
        assert ways == [one_read]
    for k, (x, y, _) in zip(order, batched):
        ((x1, y1, _),) = source.load([k], dask.get)  # dask's own task for partition k
        _assert_same(x, x1)
        _assert_same(y, y1)


def test_a_partition_with_keywords_of_its_own_is_not_batched(tmp_path):
    ddf = _write(tmp_path, _numbers, index=False)
    source = _source.Source(ddf, None, {})
    keys = [key for k in range(3) for key in source.block_keys(k)]
    assert _parquet_batch.batch_graph(source.dsk, keys, 1, SIZES[:3]) is not None
    graph = dict(source.dsk)
    read = keys[1]
    task = graph[read]
    graph[read] = type(task)(read, task.func, {**task.args[0], "kwargs": {"x": 1}})
    assert _parquet_batch.batch_graph(graph, keys, 1, SIZES[:3]) is None


def test_computed_columns_are_not_batched(tmp_path):
    """Only the read and column selections of it are cut by rows; anything else computed
    on a partition (here y from two columns) keeps dask's task per partition."""
    ddf = _write(tmp_path, _numbers, index=False)
    X, others = _rows.co_partition(ddf[["f0"]], {"y": ddf["f1"] * 2}, owner="test")
    source = _source.Source(X, others["y"], {})
    keys = [key for k in range(3) for key in source.block_keys(k)]
    assert _parquet_batch.batch_graph(source.dsk, keys, 2, SIZES[:3]) is None


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_streaming_fit_over_many_files_equals_one_file_per_load(tmp_path, monkeypatch,
                                                                  ways, shuffle):
    ddf = _write(tmp_path, _text, index=False)
    X, y = ddf[["f0", "f1", "flag"]], ddf["y"]

    def fit():
        return incremental.SGDClassifier(random_state=0, shuffle_blocks=shuffle).fit(
            X, y, classes=[0, 1])

    with dask.config.set(scheduler="threads"):
        batched = fit()
        assert any(ways)
        monkeypatch.setattr(_source, "_BATCH_BYTES", 1)  # one partition per load
        del ways[:]
        alone = fit()
        assert not ways
    assert_array_equal(batched.coef_, alone.coef_)
    assert_array_equal(batched.intercept_, alone.intercept_)


@pytest.mark.parametrize("shape", ["selections", "drop", "y-among-features", "series-x",
                                   "whole", "filtered"])
def test_selections_of_one_frame_pack_as_one_selection(tmp_path, monkeypatch, shape):
    """X and y selected from one frame are cut from that frame's selection of their
    columns (no assign): the same rows, in the same order, as the packing by assign
    gives, and X's partitions and y's hold as many rows (``tests/blocks/test_rows.py``
    checks that they are the same rows). dask's optimizer may join small parquet
    partitions of either packed frame, so the two may count different partitions."""
    ddf = _write(tmp_path, _text, index=False)
    if shape == "filtered":
        ddf = ddf[ddf.f0 > 0]
    X, y = {
        "selections": (ddf[["f0", "words"]], ddf["y"]),
        "filtered": (ddf[["f0", "words"]], ddf["y"]),
        "drop": (ddf.drop(columns="y"), ddf["y"]),
        "y-among-features": (ddf[["f1", "f0"]], ddf["f0"]),
        "series-x": (ddf["words"], ddf["y"]),
        "whole": (ddf, ddf["y"]),
    }[shape]
    packed = _rows._selections_of_one_frame(X, {"y": y})
    assert packed is not None
    got = _rows.co_partition(X, {"y": y}, owner="test")
    monkeypatch.setattr(_rows, "_selections_of_one_frame", lambda X, frames: None)
    want = _rows.co_partition(X, {"y": y}, owner="test")
    for a, b in [(got[0], want[0]), (got[1]["y"], want[1]["y"])]:
        _assert_same(*dask.compute(a, b))
    assert got[0].npartitions == got[1]["y"].npartitions
    for xk, yk in zip(got[0].to_delayed(), got[1]["y"].to_delayed()):
        xk, yk = dask.compute(xk, yk)
        pd.testing.assert_index_equal(xk.index, yk.index)


def test_other_frames_still_pack_by_assign(tmp_path):
    ddf = _write(tmp_path / "one", _numbers, index=False)
    assert _rows._selections_of_one_frame(ddf[["f0"]], {"y": ddf["y"] + 1}) is None
    other = _write(tmp_path / "other", _numbers, index=False)
    assert _rows._selections_of_one_frame(ddf[["f0"]], {"y": other["y"]}) is None


_KINDS = {
    "float": lambda rng, n: rng.normal(size=n),
    "float-nan": lambda rng, n: np.where(rng.rand(n) < 0.3, np.nan, rng.normal(size=n)),
    "int": lambda rng, n: rng.randint(-5, 5, n),
    "bool": lambda rng, n: rng.rand(n) < 0.5,
    "text": lambda rng, n: pd.array([f"t{v}" if v else None for v in rng.randint(0, 4, n)],
                                    dtype="string"),
    "time": lambda rng, n: pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.randint(0, 99, n),
                                                                           unit="h"),
}


@settings(max_examples=12, deadline=None)
@example(sizes=[2, 1, 0], kinds=["bool"], nulls_in={0, 1}, seed=0)  # Int64 vs int64 files
@given(sizes=st.lists(st.integers(0, 9), min_size=2, max_size=6),
       kinds=st.lists(st.sampled_from(sorted(_KINDS)), min_size=1, max_size=4),
       nulls_in=st.sets(st.integers(0, 5), max_size=2),
       seed=st.integers(0, 2**16))
def test_any_batch_of_files_gives_dasks_partitions(tmp_path_factory, sizes, kinds, nulls_in,
                                                   seed):
    """Random files: column kinds, sizes (empty ones too), and files whose integer
    column holds a null; the batch always equals dask's own reads, whichever way."""
    where = tmp_path_factory.mktemp("files")
    rng = np.random.RandomState(seed)
    for k, n in enumerate(sizes):
        part = pd.DataFrame({f"c{i}_{kind}": _KINDS[kind](rng, n)
                             for i, kind in enumerate(kinds)})
        part["y"] = rng.randint(0, 3, n)
        if k in nulls_in and n:
            # an integer column with a null: pandas makes this file's y float
            part["y"] = part["y"].astype("Int64").where(np.arange(n) != 0)
        part.to_parquet(where / f"part.{k:03d}.parquet", index=False)
    ddf = dd.read_parquet(where)
    features = [c for c in ddf.columns if c != "y"]
    X, others = _rows.co_partition(ddf[features], {"y": ddf["y"]}, owner="test")
    source = _source.Source(X, others["y"], {})
    if source.lengths is None or len(source.lengths) != len(sizes):
        return  # dask joined files into partitions: nothing of this module's to check
    order = list(rng.permutation(len(sizes)))
    for k, (x, y, _) in zip(order, source.load(order, dask.get)):
        ((x1, y1, _),) = source.load([k], dask.get)
        _assert_same(x, x1)
        _assert_same(y, y1)


@pytest.mark.slow
def test_a_batch_read_in_a_worker_process_equals_the_threads(tmp_path):
    """The batch's one task crosses to a worker process (``load_in_process``) as it is:
    a partition taken whole, and column selections of one."""
    ddf = _write(tmp_path, _text, index=False)
    X, others = _rows.co_partition(ddf[["f0", "words"]], {"y": ddf["y"]}, owner="test")
    for source in (_source.Source(ddf, None, {}), _source.Source(X, others["y"], {})):
        batch = [4, 0, 2, 1]
        here, there = source.load(batch, dask.get), source.load_in_process(batch)
        for a, b in zip(here, there):
            _assert_same(a[0], b[0])
            if a[1] is not None:
                _assert_same(a[1], b[1])
