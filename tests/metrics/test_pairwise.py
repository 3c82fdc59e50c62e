"""Pairwise distances and kernels run block by block over X's rows, as scikit-learn's."""
import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.metrics import pairwise as skp

from dask_variants import metrics
from dask_variants.metrics import pairwise

from tests.checks import no_compute

FUNCTIONS = ["euclidean_distances", "pairwise_distances", "pairwise_kernels", "rbf_kernel",
             "linear_kernel", "polynomial_kernel", "sigmoid_kernel"]


@pytest.fixture
def xy():
    rng = np.random.RandomState(0)
    return rng.uniform(size=(23, 4)), rng.uniform(size=(9, 4))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_pairwise_against_y_equals_scikit_learn_exactly(xy, name):
    X, Y = xy
    dX = da.from_array(X, chunks=(5, 2))  # column chunks are merged
    with no_compute():
        out = getattr(metrics, name)(dX, Y)
    assert isinstance(out, da.Array)
    assert out.chunks == ((5, 5, 5, 5, 3), (9,)) and out.dtype == np.float64
    np.testing.assert_array_equal(out.compute(), getattr(skp, name)(X, Y))
    dY = da.from_array(Y, chunks=4)  # a dask Y is taken whole inside the graph
    np.testing.assert_array_equal(getattr(metrics, name)(dX, dY).compute(),
                                  getattr(skp, name)(X, Y))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_pairwise_of_x_with_itself(xy, name):
    X, _ = xy
    out = getattr(metrics, name)(da.from_array(X, chunks=6))
    assert out.chunks == ((6, 6, 6, 5), (23,))
    np.testing.assert_allclose(out.compute(), getattr(skp, name)(X), rtol=1e-12, atol=1e-14)


def test_euclidean_distances_of_x_with_itself_have_an_exact_zero_diagonal(xy):
    X, _ = xy
    dX = da.from_array(X, chunks=6)
    for out in (metrics.euclidean_distances(dX), metrics.euclidean_distances(dX, dX),
                metrics.pairwise_distances(dX)):
        assert (np.diag(out.compute()) == 0.0).all()


def test_euclidean_distances_norms(xy):
    X, Y = xy
    dX = da.from_array(X, chunks=6)
    x_sq = (X**2).sum(axis=1)[:, np.newaxis]
    y_sq = (Y**2).sum(axis=1)[np.newaxis, :]
    for kwargs in [dict(X_norm_squared=x_sq), dict(Y_norm_squared=y_sq),
                   dict(X_norm_squared=da.from_array(x_sq, chunks=10), squared=True)]:
        ref_kwargs = {k: v if isinstance(v, bool) else np.asarray(v)
                      for k, v in kwargs.items()}
        np.testing.assert_array_equal(metrics.euclidean_distances(dX, Y, **kwargs).compute(),
                                      skp.euclidean_distances(X, Y, **ref_kwargs))


def test_pairwise_kernels_and_distances_take_scikit_learns_parameters(xy):
    X, Y = xy
    dX = da.from_array(X, chunks=6)
    np.testing.assert_array_equal(
        metrics.pairwise_distances(dX, Y, metric="cityblock").compute(),
        skp.pairwise_distances(X, Y, metric="cityblock"))
    np.testing.assert_array_equal(
        metrics.pairwise_kernels(dX, Y, metric="rbf", gamma=0.3).compute(),
        skp.pairwise_kernels(X, Y, metric="rbf", gamma=0.3))
    np.testing.assert_array_equal(metrics.polynomial_kernel(dX, Y, degree=2, coef0=0).compute(),
                                  skp.polynomial_kernel(X, Y, degree=2, coef0=0))
    with pytest.raises(ValueError, match="'metric' parameter"):  # before any block runs
        metrics.pairwise_distances(dX, Y, metric="nope")


def test_kernel_table_has_scikit_learns_names(xy):
    X, Y = xy
    assert set(pairwise.PAIRWISE_KERNEL_FUNCTIONS) == set(skp.PAIRWISE_KERNEL_FUNCTIONS)
    dX = da.from_array(X, chunks=6)
    for name, func in pairwise.PAIRWISE_KERNEL_FUNCTIONS.items():
        np.testing.assert_array_equal(func(dX, Y).compute(),
                                      skp.PAIRWISE_KERNEL_FUNCTIONS[name](X, Y))


def test_pairwise_distances_argmin_min_is_blockwise_and_exact(xy):
    X, Y = xy
    with no_compute():
        argmin, dist = metrics.pairwise_distances_argmin_min(da.from_array(X, chunks=6), Y)
    assert argmin.dtype == np.int64 and argmin.chunks == ((6, 6, 6, 5),)
    ref = skp.pairwise_distances_argmin_min(X, Y)
    for ours, want in zip(dask.compute(argmin, dist), ref):
        np.testing.assert_array_equal(ours, want)
    with pytest.raises(ValueError, match="axis=0"):
        metrics.pairwise_distances_argmin_min(da.from_array(X, chunks=6), Y, axis=0)


def test_pairwise_on_a_dask_dataframe(xy):
    import dask.dataframe as dd
    import pandas as pd

    X, Y = xy
    ddf = dd.from_pandas(pd.DataFrame(X, columns=list("abcd")), npartitions=3)
    out = metrics.euclidean_distances(ddf, Y)
    np.testing.assert_array_equal(out.compute(), skp.euclidean_distances(X, Y))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_non_dask_input_is_scikit_learn(xy, name):
    X, Y = xy
    np.testing.assert_array_equal(getattr(metrics, name)(X, Y), getattr(skp, name)(X, Y))


def test_scorer_module_has_dask_mls_path():
    from dask_variants.metrics.scorer import check_scoring, get_scorer

    assert check_scoring is metrics.check_scoring and get_scorer is metrics.get_scorer
