"""Inputs at the edges: empty partitions, no rows, no columns, NaN blocks, float32, knobs."""
import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import MiniBatchKMeans
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler

from dask_variants import iid, incremental


def _part(k, sizes):
    rng = np.random.RandomState(k)
    n = sizes[k]
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                         "y": rng.randint(0, 2, n)})


@pytest.fixture
def filtered():
    """A frame whose partitions 0 and 2 are empty after a filter, and its rows."""
    sizes = [0, 7, 0, 9, 5]
    ddf = dd.from_map(_part, range(len(sizes)), sizes=sizes, meta=_part(0, [0]))
    parts = [_part(k, sizes) for k in range(len(sizes))]
    return ddf, [p for p in parts if len(p)]


def test_streaming_fit_skips_empty_partitions(filtered):
    ddf, parts = filtered
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    est.fit(ddf[["a", "b"]], ddf["y"])
    ref = SGDClassifier(random_state=0)
    for p in parts:
        ref.partial_fit(p[["a", "b"]], p["y"], classes=[0, 1])
    assert_allclose(est.coef_, ref.coef_)


def test_merge_fit_skips_empty_partitions(filtered):
    ddf, parts = filtered
    est = incremental.GaussianNB(shuffle_blocks=False).fit(ddf[["a", "b"]], ddf["y"])
    ref = GaussianNB()
    for p in parts:
        ref.partial_fit(p[["a", "b"]], p["y"], classes=[0, 1])
    for attr in ("theta_", "var_", "class_count_", "epsilon_"):
        assert_allclose(getattr(est, attr), getattr(ref, attr), err_msg=attr)


def test_iid_fit_samples_the_first_non_empty_partition(filtered):
    ddf, parts = filtered
    est = iid.LogisticRegression().fit(ddf[["a", "b"]], ddf["y"])
    from sklearn.linear_model import LogisticRegression

    ref = LogisticRegression().fit(parts[0][["a", "b"]], parts[0]["y"])
    assert_allclose(est.coef_, ref.coef_)


@pytest.mark.parametrize("make", [
    lambda: incremental.SGDClassifier(),          # streaming
    lambda: incremental.GaussianNB(),             # merge
    lambda: iid.LogisticRegression(),             # sample
])
def test_fit_on_no_rows_says_so_and_keeps_the_fitted_state(filtered, make):
    ddf, _ = filtered
    empty = ddf[ddf.a > 100]
    est = make().fit(np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1])
    before = dict(vars(est))
    with pytest.raises(ValueError, match="got no rows: all 5 row blocks of X are empty"):
        est.fit(empty[["a", "b"]], empty["y"])
    assert vars(est).keys() == before.keys()


def test_fit_on_zero_columns_fails_before_loading():
    X = da.zeros((40, 0), chunks=10).map_blocks(_fail, dtype=float)
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(40, 0\)\)"):
        incremental.SGDRegressor().fit(X, da.zeros(40, chunks=10))


def _fail(block):
    raise AssertionError("a block was loaded")


@pytest.mark.parametrize("value", [None, "two", 1.7, -1, True])
def test_prefetch_config_is_validated(value, xy_rowblocks):
    X, y = xy_rowblocks
    with dask.config.set({"dask_variants.prefetch": value}):
        with pytest.raises(ValueError, match=f"prefetch must be a whole number >= 0.*got {value!r}"):
            incremental.SGDClassifier().fit(X, y)


def test_shuffle_blocks_is_validated(xy_rowblocks):
    X, y = xy_rowblocks
    with pytest.raises(ValueError, match="shuffle_blocks must be True or False, got 'no'"):
        incremental.SGDClassifier(shuffle_blocks="no").fit(X, y)


def test_iid_error_says_only_the_sample_was_used():
    X = da.from_array(np.arange(8.0).reshape(4, 2), chunks=((1, 3), 2))
    y = da.from_array(np.array([0, 1, 1, 0]), chunks=((1, 3),))
    with pytest.raises(ValueError, match="at least 2 classes.*trains on a sample: 1 rows.*sample_blocks"):
        iid.LogisticRegression().fit(X, y)


def test_standard_scaler_merge_ignores_a_block_of_nan_as_scikit_learn_does():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 2)
    X[10:20, 0] = np.nan  # block 1's first column is all NaN
    est = incremental.StandardScaler(shuffle_blocks=False).fit(da.from_array(X, chunks=10))
    with np.errstate(invalid="ignore"):
        ref = StandardScaler().fit(X)
    for attr in ("mean_", "var_", "scale_", "n_samples_seen_"):
        assert_allclose(getattr(est, attr), getattr(ref, attr), err_msg=attr)


def test_float32_outputs_have_scikit_learn_dtypes():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 3).astype(np.float32)
    Xd = da.from_array(X, chunks=20)
    reg = incremental.SGDRegressor(random_state=0).fit(Xd, da.from_array(X[:, 0], chunks=20))
    assert reg.predict(Xd).dtype == reg.predict(Xd).compute().dtype == \
        SGDRegressor.predict(reg, X).dtype
    km = incremental.MiniBatchKMeans(2, random_state=0, n_init=1).fit(Xd)
    assert km.transform(Xd).dtype == km.transform(Xd).compute().dtype == \
        MiniBatchKMeans.transform(km, X).dtype == np.float32
    frame = pd.DataFrame(X, columns=list("abc"))
    sc = incremental.StandardScaler().fit(dd.from_pandas(frame, npartitions=2))
    out = sc.transform(dd.from_pandas(frame, npartitions=2))
    assert out.dtypes.tolist() == out.compute().dtypes.tolist() == [np.float32] * 3


def test_classes_are_computed_from_a_dask_array_y_of_a_from_delayed_frame():
    def part(k):
        return pd.DataFrame({"a": [float(k)] * 3, "y": [k % 2] * 3})

    ddf = dd.from_delayed([dask.delayed(part)(k) for k in range(4)], meta=part(0))
    est = incremental.SGDClassifier(random_state=0).fit(ddf[["a"]], ddf["y"].to_dask_array())
    assert_array_equal(est.classes_, [0, 1])


@pytest.mark.parametrize("classes", [lambda y: da.unique(y), lambda y: np.unique(y)])
def test_classes_given_lazily_are_computed_once(classes, xy_rowblocks):
    X, y = xy_rowblocks
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    est.fit(X, y, classes=classes(y))
    ref = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    ref.fit(X, y, classes=[0, 1])
    assert_allclose(est.coef_, ref.coef_)


def test_blocks_of_unknown_size_are_checked_row_by_row():
    X = da.from_array(np.zeros((10, 2)), chunks=5)
    y = da.from_array(np.zeros(10), chunks=((4, 6),))
    X, y = X[X[:, 0] == 0], y[y == 0]  # nan chunks: 5 + 5 and 4 + 6 rows
    with pytest.raises(ValueError, match="row block 0 of 2.*X has 5 rows but its y has 4"):
        incremental.SGDRegressor(shuffle_blocks=False).fit(X, y)
