"""Blockwise dataset generators: laziness, reproducibility, and scikit-learn's difficulty."""
import dask
import numpy as np
import pytest
from sklearn import datasets as sk_datasets
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import cross_val_score

from dask_variants import datasets

GENERATORS = {
    "classification": lambda **kw: datasets.make_classification(600, 8, **kw),
    "regression": lambda **kw: datasets.make_regression(600, 8, noise=1.0, **kw),
    "blobs": lambda **kw: datasets.make_blobs(600, 3, **kw),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_shapes_dtypes_and_row_chunks(name):
    X, y = GENERATORS[name](chunks=(1, 299, 0, 300), random_state=0)
    assert X.chunks[0] == y.chunks[0] == (1, 299, 0, 300)
    assert len(X.chunks[1]) == 1
    Xc, yc = dask.compute(X, y)
    assert Xc.shape == (600, X.shape[1]) and yc.shape == (600,)
    assert Xc.dtype == X.dtype == np.float64
    expected = np.float64 if name == "regression" else np.int64
    assert yc.dtype == y.dtype == expected
    assert X._meta.shape == (0, 0) and y._meta.ndim == 1


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_reproducible_and_scheduler_independent(name):
    a = dask.compute(*GENERATORS[name](chunks=100, random_state=7), scheduler="sync")
    b = dask.compute(*GENERATORS[name](chunks=100, random_state=7), scheduler="threads")
    c = dask.compute(*GENERATORS[name](chunks=100, random_state=8), scheduler="sync")
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[0], c[0])
    rng = np.random.RandomState(3)
    d = dask.compute(*GENERATORS[name](chunks=100, random_state=rng))
    e = dask.compute(*GENERATORS[name](chunks=100, random_state=rng))
    assert not np.array_equal(d[0], e[0])  # a RandomState advances, as in scikit-learn


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_builds_one_task_per_block_per_output(name):
    X, y = GENERATORS[name](chunks=60, random_state=0)
    n_blocks = X.numblocks[0]
    assert n_blocks == 10
    keys = dict(X.__dask_graph__()).keys() | dict(y.__dask_graph__()).keys()
    assert len(dict(X.__dask_graph__())) == n_blocks
    assert len(keys) == 2 * n_blocks


def test_generator_does_not_compute_when_building():
    calls = []
    with dask.config.set(scheduler=lambda *a, **k: calls.append(a)):
        datasets.make_classification(10**7, 50, chunks=10**5, random_state=0)
        datasets.make_regression(10**7, 50, chunks=10**5, random_state=0)
        datasets.make_blobs(10**7, 50, chunks=10**5, random_state=0)
    assert calls == []


def test_default_chunks_are_rows_only():
    X, y = datasets.make_classification(200_000, 20, random_state=0)
    assert len(X.chunks[1]) == 1 and X.chunks[0] == y.chunks[0]
    assert sum(X.chunks[0]) == 200_000


@pytest.mark.parametrize("chunks, error", [
    ((10, 10), ValueError), (0, ValueError), ("big", TypeError), (1.5, TypeError),
])
def test_bad_chunks_raise_with_the_value(chunks, error):
    with pytest.raises(error, match="chunks="):
        datasets.make_classification(100, chunks=chunks)


def test_bad_parameters_raise_scikit_learns_errors():
    with pytest.raises(ValueError, match="Number of informative"):
        datasets.make_classification(100, 3, n_informative=2, n_redundant=2)
    with pytest.raises(ValueError, match="Weights specified"):
        datasets.make_classification(100, weights=[0.1, 0.2, 0.7])
    with pytest.raises(ValueError, match="n_samples"):
        datasets.make_classification(0)


@pytest.mark.parametrize("kwargs", [
    dict(n_classes=2),
    dict(n_classes=3, n_informative=4, weights=[0.1, 0.3]),
    dict(n_classes=4, n_informative=3, n_clusters_per_class=1, weights=[0.4, 0.3, 0.2, 0.1]),
])
@pytest.mark.parametrize("shuffle", [True, False])
def test_classification_class_counts_match_scikit_learn(kwargs, shuffle):
    y = datasets.make_classification(1001, 6, flip_y=0.0, shuffle=shuffle, chunks=97,
                                     random_state=0, **kwargs)[1].compute()
    _, y_ref = sk_datasets.make_classification(1001, 6, flip_y=0.0, shuffle=shuffle,
                                               random_state=0, **kwargs)
    np.testing.assert_array_equal(np.bincount(y), np.bincount(y_ref))
    if not shuffle:
        np.testing.assert_array_equal(y, y_ref)  # ordered by cluster, as scikit-learn


def test_classification_flip_y_changes_about_that_fraction():
    kwargs = dict(n_classes=2, flip_y=0.0, chunks=500, random_state=1, shuffle=False)
    _, clean = datasets.make_classification(4000, 5, **kwargs)
    _, noisy = datasets.make_classification(4000, 5, **{**kwargs, "flip_y": 0.4})
    changed = (clean != noisy).mean().compute()
    assert 0.15 < changed < 0.25  # half of the flipped labels keep their class


def _cv_score(model, X, y):
    return cross_val_score(model, X, y, cv=3).mean()


@pytest.mark.parametrize("kwargs", [
    dict(), dict(class_sep=0.5, flip_y=0.05), dict(n_classes=3, n_informative=4),
])
def test_classification_difficulty_matches_scikit_learn(kwargs):
    ours, ref = [], []
    for seed in range(3):
        X, y = dask.compute(*datasets.make_classification(
            1500, 10, chunks=400, random_state=seed, **kwargs))
        ours.append(_cv_score(LogisticRegression(), X, y))
        ref.append(_cv_score(LogisticRegression(),
                             *sk_datasets.make_classification(1500, 10, random_state=seed, **kwargs)))
    assert abs(np.mean(ours) - np.mean(ref)) < 0.08


def test_classification_bunch_describes_features():
    data = datasets.make_classification(50, 6, n_informative=2, n_redundant=1, n_repeated=1,
                                        return_X_y=False, random_state=0)
    assert sorted(data.feature_info) == sorted(
        ["informative"] * 2 + ["redundant", "repeated"] + ["random"] * 2)
    assert data.X.shape == (50, 6) and data.y.shape == (50,)


@pytest.mark.parametrize("n_targets", [1, 3])
def test_regression_matches_coef_and_scikit_learn_difficulty(n_targets):
    X, y, coef = datasets.make_regression(900, 12, n_informative=5, n_targets=n_targets,
                                          noise=20.0, bias=3.0, chunks=(1, 399, 500),
                                          coef=True, random_state=0)
    assert y.chunks[0] == X.chunks[0]
    assert coef.shape == ((12,) if n_targets == 1 else (12, n_targets))
    assert np.count_nonzero(coef.reshape(12, -1).any(axis=1)) == 5
    Xc, yc = dask.compute(X, y)
    noise = yc - Xc @ coef - 3.0
    assert abs(noise.std() - 20.0) < 2.0
    X_ref, y_ref = sk_datasets.make_regression(900, 12, n_informative=5, n_targets=n_targets,
                                               noise=20.0, bias=3.0, random_state=0)
    ours, ref = _cv_score(LinearRegression(), Xc, yc), _cv_score(LinearRegression(), X_ref, y_ref)
    assert abs(ours - ref) < 0.05


def test_regression_effective_rank_follows_the_singular_profile():
    X, _ = datasets.make_regression(4000, 30, effective_rank=5, chunks=1000, random_state=0)
    X_ref, _ = sk_datasets.make_regression(4000, 30, effective_rank=5, random_state=0)
    ours = np.linalg.svd(X.compute(), compute_uv=False)
    ref = np.linalg.svd(X_ref, compute_uv=False)
    np.testing.assert_allclose(ours, ref, atol=0.1)


@pytest.mark.parametrize("n_samples", [100, [10, 30, 60]])
def test_blobs_counts_centers_and_spread(n_samples):
    X, y, centers = datasets.make_blobs(n_samples, 4, cluster_std=[0.5, 1.0, 2.0],
                                        chunks=(1, 1, 98), return_centers=True, random_state=0)
    Xc, yc = dask.compute(X, y)
    expected = [34, 33, 33] if n_samples == 100 else n_samples
    np.testing.assert_array_equal(np.bincount(yc), expected)
    assert centers.shape == (3, 4)
    for k, std in enumerate([0.5, 1.0, 2.0]):
        spread = (Xc[yc == k] - centers[k]).std()
        assert 0.6 * std < spread < 1.4 * std


# dask-ml's spellings of chunks (issue 11)

@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize("form", ["int", "shape", "shape-1", "per-axis", "row-sizes"])
def test_chunks_accepts_dask_forms(name, form):
    d = 3 if name == "blobs" else 8
    chunks = {"int": 150, "shape": (150, d), "shape-1": (150, -1),
              "per-axis": ((150, 150, 150, 150), (d,)), "row-sizes": [150] * 4}[form]
    X, y = GENERATORS[name](chunks=chunks, random_state=0)
    assert X.chunks == ((150,) * 4, (X.shape[1],)) and y.chunks[0] == X.chunks[0]
    ref = dask.compute(*GENERATORS[name](chunks=150, random_state=0))
    for got, want in zip(dask.compute(X, y), ref):
        np.testing.assert_array_equal(got, want)


def test_chunks_two_tuple_is_a_block_shape_not_row_sizes():
    X, y = datasets.make_classification(100, 20, chunks=(10, 20), random_state=0)
    assert X.chunks == ((10,) * 10, (20,)) and y.chunks == ((10,) * 10,)


@pytest.mark.parametrize("generator", [datasets.make_blobs, datasets.make_regression,
                                       datasets.make_classification, datasets.make_counts])
def test_chunks_splitting_columns_raises(generator):
    with pytest.raises(ValueError, match="partitioned along the first axis"):
        generator(n_features=50, chunks=(100, 40))


def test_make_counts_shapes_and_reproducibility():
    X, y = datasets.make_counts(n_samples=100, n_features=5, chunks=10, random_state=3)
    assert X.chunks == ((10,) * 10, (5,)) and y.chunks == ((10,) * 10,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    a = dask.compute(X, y, scheduler="sync")
    b = dask.compute(*datasets.make_counts(n_samples=100, n_features=5, chunks=10,
                                           random_state=3), scheduler="threads")
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert (a[1] >= 0).all()
    assert datasets.make_counts()[0].shape == (1000, 100)  # dask-ml's defaults


def test_make_counts_rate_depends_on_the_informative_features_only():
    from sklearn.linear_model import PoissonRegressor

    X, y = dask.compute(*datasets.make_counts(n_samples=20_000, n_features=6,
                                              n_informative=2, chunks=5000, random_state=0))
    coef = PoissonRegressor(alpha=0.0).fit(X, y).coef_
    big = np.abs(coef) > 0.1
    assert big.sum() == 2 and (coef[big] < 0).all()  # true coefficients are in [-1, 0)
    assert np.abs(coef[~big]).max() < 0.05


def test_make_counts_bad_n_informative():
    with pytest.raises(ValueError, match="n_informative=7"):
        datasets.make_counts(n_features=5, n_informative=7)


def test_make_classification_df_columns_index_and_dates():
    import dask.dataframe as dd
    from datetime import date

    X, y = datasets.make_classification_df(
        n_samples=200, n_features=5, random_state=123, chunks=50, response_rate=0.3,
        predictability=1.0, dates=(date(2014, 1, 1), date(2015, 1, 1)))
    assert isinstance(X, dd.DataFrame) and isinstance(y, dd.Series)
    assert list(X.columns) == [f"var{i}" for i in range(5)] + ["date"]
    assert y.name == "target" and X.npartitions == 4 and X.known_divisions
    Xc, yc = dask.compute(X, y)
    assert len(Xc) == len(yc) == 200 and (Xc.index == yc.index).all()
    assert Xc["date"].min() >= np.datetime64("2014-01-01")
    assert Xc["date"].max() < np.datetime64("2015-01-01")
    assert yc.sum() == 60  # response_rate exactly, with predictability=1 (no label noise)
    X2, _ = datasets.make_classification_df(n_samples=200, n_features=5, random_state=123,
                                            chunks=50, dates=(date(2014, 1, 1), date(2015, 1, 1)))
    assert (X2["date"].compute() == Xc["date"]).all()


@pytest.mark.parametrize("name", GENERATORS)
def test_blocks_are_c_contiguous_as_scikit_learns(name):
    # scikit-learn's results can depend on memory layout (pairwise reductions do)
    X, _ = GENERATORS[name](chunks=200, random_state=0)
    blocks = []
    X.map_blocks(lambda b: blocks.append(b.flags["C_CONTIGUOUS"]) or b,
                 dtype=X.dtype).compute(scheduler="sync")
    assert len(blocks) >= 3 and all(blocks)


@pytest.mark.parametrize("kwargs", [
    dict(n_samples=10, n_features=2, chunks=10),          # dask-ml's README call
    dict(n_samples=100, n_features=3, chunks=50, random_state=0),
    dict(n_samples=100, n_features=1, n_informative=1, chunks=25),
    dict(n_samples=100, n_features=20, n_informative=1, chunks=25),
])
def test_dask_ml_calls_are_accepted(kwargs):
    """dask-ml's generator has no ``n_redundant``/``n_clusters_per_class``: the calls
    its signature takes must not trip scikit-learn's defaults of 2 for them."""
    X, y = datasets.make_classification(**kwargs)
    n, d = kwargs["n_samples"], kwargs["n_features"]
    assert X.shape == (n, d) and y.shape == (n,)
    Xc, yc = X.compute(), y.compute()
    assert np.isfinite(Xc).all() and set(np.unique(yc)) <= {0, 1}


def test_defaults_give_way_only_where_scikit_learn_refuses():
    # a call scikit-learn accepts keeps scikit-learn's defaults of 2
    bunch = datasets.make_classification(100, 6, return_X_y=False, random_state=0)
    assert bunch.parameters["n_redundant"] == 2
    assert bunch.parameters["n_clusters_per_class"] == 2
    assert bunch.feature_info.count("redundant") == 2
    # where 2 do not fit, as many as fit
    bunch = datasets.make_classification(100, 3, return_X_y=False, random_state=0)
    assert bunch.parameters["n_redundant"] == 1
    bunch = datasets.make_classification(100, 2, n_informative=1, return_X_y=False)
    assert (bunch.parameters["n_redundant"], bunch.parameters["n_clusters_per_class"]) == (1, 1)
    # a value given explicitly is never changed: scikit-learn's error stands
    with pytest.raises(ValueError, match="Number of informative"):
        datasets.make_classification(100, 2, n_redundant=2)
    with pytest.raises(ValueError, match="n_classes"):
        datasets.make_classification(100, 4, n_informative=1, n_clusters_per_class=2)
