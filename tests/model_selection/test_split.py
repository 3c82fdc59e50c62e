"""Blockwise train_test_split and the block-aligned BlockKFold splitter."""
import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from sklearn import model_selection as sk_ms
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GridSearchCV

from dask_variants.model_selection import BlockKFold, train_test_split
from dask_variants.model_selection._split import _validate_sizes


@st.composite
def row_chunks(draw, max_rows=60):
    """Random row-block sizes (blocks of size 0 and 1 included)."""
    n = draw(st.integers(2, max_rows))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    edges = [0, *cuts, n]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


SIZES = st.one_of(st.none(), st.integers(-2, 70), st.floats(-0.5, 1.5), st.just("a"))


@settings(deadline=None)
@given(n=st.integers(1, 60), test_size=SIZES, train_size=SIZES)
def test_validate_sizes_follows_scikit_learns_rules(n, test_size, train_size):
    X = np.zeros((n, 1))
    try:
        tr, te = sk_ms.train_test_split(X, test_size=test_size, train_size=train_size,
                                        shuffle=False)
    except ValueError:
        with pytest.raises(ValueError):
            _validate_sizes(n, test_size, train_size)
    else:
        assert _validate_sizes(n, test_size, train_size) == (len(tr), len(te))


@settings(deadline=None)
@given(chunks=row_chunks(), test_size=st.one_of(st.none(), st.floats(0.05, 0.5)),
       seed=st.integers(0, 2**32 - 1), shuffle=st.booleans())
def test_split_sizes_rows_and_consistency(chunks, test_size, seed, shuffle):
    n = sum(chunks)
    X = da.from_array(np.arange(2 * n).reshape(n, 2), chunks=(chunks, 2))
    y = da.from_array(np.arange(n), chunks=max(1, n // 3))  # other chunks: rechunked
    try:
        ref_train, ref_test = sk_ms.train_test_split(np.arange(n), test_size=test_size,
                                                     shuffle=shuffle, random_state=0)
    except ValueError:
        with pytest.raises(ValueError):
            train_test_split(X, y, test_size=test_size, random_state=seed, shuffle=shuffle)
        return
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=test_size, random_state=seed,
                                          shuffle=shuffle)
    assert Xtr.chunks[0] == ytr.chunks[0] and len(Xtr.chunks[0]) == len(chunks)
    assert sum(Xtr.chunks[0]) == len(ref_train) and sum(Xte.chunks[0]) == len(ref_test)
    Xtr_c, Xte_c, ytr_c, yte_c = dask.compute(Xtr, Xte, ytr, yte)
    np.testing.assert_array_equal(Xtr_c[:, 0] // 2, ytr_c)
    np.testing.assert_array_equal(Xte_c[:, 0] // 2, yte_c)
    assert not set(ytr_c) & set(yte_c)
    if not shuffle:
        np.testing.assert_array_equal(ytr_c, ref_train)
        np.testing.assert_array_equal(yte_c, ref_test)
    again = train_test_split(X, test_size=test_size, random_state=seed, shuffle=shuffle)
    np.testing.assert_array_equal(again[1].compute(), Xte_c)


def test_split_is_random_and_seeded():
    X = da.arange(1000, chunks=100)
    a = train_test_split(X, random_state=0)[1].compute()
    b = train_test_split(X, random_state=1)[1].compute()
    assert len(a) == 250 and not np.array_equal(a, b)
    per_block = np.bincount(a // 100, minlength=10)
    assert per_block.min() > 10  # spread over all blocks, not one tail


def test_split_builds_lazily_with_one_task_per_block():
    calls = []
    X = da.ones((100, 3), chunks=(10, 3))
    with dask.config.set(scheduler=lambda *a, **k: calls.append(a)):
        Xtr, Xte = train_test_split(X, random_state=0)
    assert calls == []
    assert len(dict(Xte.__dask_graph__())) == 2 * X.numblocks[0]


def test_split_dataframe_and_series_consistently():
    dd = pytest.importorskip("dask.dataframe")
    pdf = pd.DataFrame({"a": np.arange(50), "b": np.arange(50) * 2.0},
                       index=np.arange(50) + 100)
    df = dd.from_pandas(pdf, npartitions=4)
    tr, te, ytr, yte = train_test_split(df, df["b"], test_size=0.2, random_state=3)
    assert type(tr).__name__ == "DataFrame" and type(yte).__name__ == "Series"
    tr_c, te_c, ytr_c, yte_c = dask.compute(tr, te, ytr, yte)
    assert len(te_c) == 10 and len(tr_c) == 40
    pd.testing.assert_series_equal(te_c["b"], yte_c)
    assert not tr_c.index.is_monotonic_increasing  # shuffled within partitions, as dask-ml
    assert set(tr_c.index) | set(te_c.index) == set(pdf.index)
    tr2, te2 = train_test_split(df, test_size=0.2, shuffle=False)
    assert tr2.compute().index.is_monotonic_increasing


def test_split_unknown_array_chunks_raise_with_fix():
    X = da.arange(10, chunks=5)
    X = X[X > 2]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        train_test_split(X)


def test_split_non_dask_is_scikit_learn():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    ours = train_test_split(X, y, random_state=0, test_size=3)
    ref = sk_ms.train_test_split(X, y, random_state=0, test_size=3)
    for a, b in zip(ours, ref):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        train_test_split(X, test_size=20)


def test_split_stratify_with_dask_raises_with_fix():
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(da.arange(10, chunks=5), stratify=np.arange(10) % 2)


@settings(deadline=None)
@given(chunks=row_chunks(), n_splits=st.integers(2, 5))
def test_block_kfold_test_folds_are_whole_blocks(chunks, n_splits):
    X = da.zeros((sum(chunks), 2), chunks=(chunks, 2))
    edges = set(np.cumsum((0,) + chunks).tolist())
    non_empty = sum(1 for c in chunks if c)
    if n_splits > non_empty:
        with pytest.raises(ValueError, match="n_splits"):
            list(BlockKFold(n_splits).split(X))
        return
    folds = list(BlockKFold(n_splits).split(X))
    assert len(folds) == n_splits == BlockKFold(n_splits).get_n_splits(X)
    seen = np.concatenate([test for _, test in folds])
    np.testing.assert_array_equal(seen, np.arange(sum(chunks)))
    for train, test in folds:
        assert len(test) and test[0] in edges and test[-1] + 1 in edges
        np.testing.assert_array_equal(test, np.arange(test[0], test[-1] + 1))
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])),
                                      np.arange(sum(chunks)))


def test_block_kfold_non_dask_is_kfold():
    X = np.zeros((11, 2))
    ours = list(BlockKFold(3).split(X))
    ref = list(sk_ms.KFold(3).split(X))
    for (a, b), (c, d) in zip(ours, ref):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    with pytest.raises(ValueError):
        BlockKFold(1)
    assert repr(BlockKFold(4)) == "BlockKFold(n_splits=4)"


def test_block_kfold_in_grid_search(xy_classification):
    X, y = xy_classification
    search = GridSearchCV(SGDClassifier(random_state=0, max_iter=20, tol=None),
                          {"alpha": [1e-4, 1e-2]}, cv=BlockKFold(3))
    search.fit(X, y)
    assert search.best_score_ > 0.6
    assert search.n_splits_ == 3


def test_block_kfold_unknown_chunks_raise_with_fix():
    X = da.arange(10, chunks=5)
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        list(BlockKFold(2).split(X[X > 2]))


# dask-ml's spellings (issue 11)

def _xy(n=110, chunks=50):
    X = np.arange(2.0 * n).reshape(n, 2)
    return X, np.arange(n), da.from_array(X, chunks=(chunks, 2)), da.from_array(np.arange(n),
                                                                                chunks=chunks)


@pytest.mark.parametrize("random_state", [0, 7])
@pytest.mark.parametrize("test_size, train_size", [(None, None), (0.3, None), (11, 50)])
def test_split_across_blocks_is_scikit_learns_split(random_state, test_size, train_size):
    X, y, dX, dy = _xy()
    ours = train_test_split(dX, dy, random_state=random_state, test_size=test_size,
                            train_size=train_size, blockwise=False)
    ref = sk_ms.train_test_split(X, y, random_state=random_state, test_size=test_size,
                                 train_size=train_size)
    assert all(isinstance(o, da.Array) for o in ours)
    for got, want in zip(dask.compute(*ours), ref):
        np.testing.assert_array_equal(got, want)


def test_split_across_blocks_refuses_dataframes():
    dd = pytest.importorskip("dask.dataframe")
    df = dd.from_pandas(pd.DataFrame({"a": np.arange(20)}), npartitions=2)
    for shuffle in (True, False):
        with pytest.raises(NotImplementedError, match="blockwise=True"):
            train_test_split(df, blockwise=False, shuffle=shuffle)


def test_split_blockwise_must_be_a_bool():
    _, _, dX, _ = _xy()
    with pytest.raises(ValueError, match="blockwise"):
        train_test_split(dX, blockwise="yes")


def test_split_unknown_option_raises():
    _, _, dX, _ = _xy()
    with pytest.raises(TypeError, match="unexpected keyword arguments \\['stratified'\\]"):
        train_test_split(dX, stratified=True)


def test_split_mixed_arrays_and_frames():
    dd = pytest.importorskip("dask.dataframe")
    _, _, dX, dy = _xy()
    y_series = dd.from_dask_array(dy)
    with pytest.raises(TypeError, match="convert_mixed_types"):
        train_test_split(dX, y_series)
    expected = train_test_split(dX, dy, random_state=0)
    results = train_test_split(dX, y_series, random_state=0, convert_mixed_types=True)
    assert all(isinstance(r, da.Array) for r in results)
    for a, b in zip(dask.compute(*expected), dask.compute(*results)):
        np.testing.assert_array_equal(a, b)
    # numpy inputs next to dask ones are not "mixed types": they follow the dask blocks
    train_test_split(dX, np.arange(110), random_state=0)


def test_shuffle_split_within_blocks_as_dask_ml():
    from dask_variants.model_selection import ShuffleSplit

    X, _, dX, _ = _xy()
    splitter = ShuffleSplit(random_state=0)
    assert splitter.get_n_splits() == 10
    splits = list(splitter.split(dX))
    assert len(splits) == 10
    train, test = splits[0]
    assert train.chunks == ((45, 45, 9),) and test.chunks == ((5, 5, 1),)
    assert train.dtype == test.dtype == np.int64
    tr, te = dask.compute(train, test)
    assert sorted(np.concatenate([tr, te])) == list(range(110))
    for k, (lo, hi) in enumerate([(0, 50), (50, 100), (100, 110)]):  # rows stay in their block
        block = tr[sum(train.chunks[0][:k]):sum(train.chunks[0][:k + 1])]
        assert ((block >= lo) & (block < hi)).all()
    assert not np.array_equal(splits[1][1].compute(), te)
    again = next(ShuffleSplit(random_state=0).split(dX))
    np.testing.assert_array_equal(again[1].compute(), te)


@pytest.mark.parametrize("kwargs, train_chunks, test_chunks", [
    (dict(test_size=0.3), (35, 35, 7), (15, 15, 3)),
    (dict(train_size=0.5), (25, 25, 5), (5, 5, 1)),  # test_size defaults to 0.1
    (dict(train_size=0.5, test_size=None), (25, 25, 5), (25, 25, 5)),
    (dict(test_size=11), (45, 45, 9), (5, 5, 1)),
    (dict(test_size=0.2, train_size=0.5), (25, 25, 5), (10, 10, 2)),
])
def test_shuffle_split_sizes(kwargs, train_chunks, test_chunks):
    from dask_variants.model_selection import ShuffleSplit

    _, _, dX, _ = _xy()
    train, test = next(ShuffleSplit(random_state=0, **kwargs).split(dX))
    assert train.chunks == (train_chunks,) and test.chunks == (test_chunks,)


def test_shuffle_split_non_dask_and_across_blocks_are_scikit_learns():
    from dask_variants.model_selection import ShuffleSplit

    X, _, dX, _ = _xy()
    for ours, ref in zip(ShuffleSplit(3, random_state=2).split(X),
                         sk_ms.ShuffleSplit(3, test_size=0.1, random_state=2).split(X)):
        np.testing.assert_array_equal(ours[0], ref[0])
    for ours, ref in zip(ShuffleSplit(3, random_state=2, blockwise=False).split(dX),
                         sk_ms.ShuffleSplit(3, test_size=0.1, random_state=2).split(X)):
        np.testing.assert_array_equal(ours[0].compute(), ref[0])
        np.testing.assert_array_equal(ours[1].compute(), ref[1])
    with pytest.raises(ValueError, match="test_size=2.0"):
        next(ShuffleSplit(test_size=2.0).split(dX))


@pytest.mark.parametrize("shuffle", [False, True])
def test_kfold_folds_cut_along_blocks_as_dask_ml(shuffle):
    from dask_variants.model_selection import KFold

    X, _, dX, _ = _xy()
    splitter = KFold(n_splits=5, random_state=0, shuffle=shuffle)
    assert splitter.get_n_splits() == 5
    expected = [((28, 50, 10), (22,)), ((22, 6, 50, 10), (22,)), ((44, 34, 10), (6, 16)),
                ((50, 16, 12, 10), (22,)), ((50, 38), (12, 10))]
    seen = []
    for (train, test), (tr_chunks, te_chunks) in zip(splitter.split(dX), expected):
        assert train.chunks == (tr_chunks,) and test.chunks == (te_chunks,)
        tr, te = dask.compute(train, test)
        assert sorted(np.concatenate([tr, te])) == list(range(110))
        seen.append(te)
    assert sorted(np.concatenate(seen)) == list(range(110))
    if not shuffle:
        for ours, ref in zip(seen, sk_ms.KFold(5).split(X)):
            np.testing.assert_array_equal(ours, ref[1])


def test_kfold_non_dask_is_scikit_learns():
    from dask_variants.model_selection import KFold

    X = np.zeros((20, 2))
    for ours, ref in zip(KFold(4, shuffle=True, random_state=1).split(X),
                         sk_ms.KFold(4, shuffle=True, random_state=1).split(X)):
        np.testing.assert_array_equal(ours[1], ref[1])
    with pytest.raises(ValueError, match="n_splits=1"):
        next(KFold(1).split(X))


def test_splitters_in_grid_search(xy_classification):
    from dask_variants.model_selection import KFold, ShuffleSplit

    X, y = xy_classification
    for cv in (KFold(3), ShuffleSplit(2, random_state=0)):
        gs = GridSearchCV(SGDClassifier(random_state=0), {"alpha": [0.1, 1.0]}, cv=cv)
        gs.fit(X, y)
        assert gs.n_splits_ == cv.get_n_splits()
