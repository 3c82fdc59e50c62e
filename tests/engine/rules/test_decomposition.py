"""exact.PCA and exact.TruncatedSVD equal scikit-learn on the concatenated rows.

Tolerance: every fitted attribute to rtol 1e-9 (float64; atol 1e-12) against
``PCA(svd_solver='full')``, against scikit-learn's 'auto' / 'covariance_eigh' (the
eigenvectors of the covariance, which agree to rounding times the squared condition
number: ~1e-11 on this data) and against ``TruncatedSVD`` 'arpack' (``tol=0``: machine
precision) and 'randomized' (the default ``n_iter=5`` converges to ~1e-13 on this data's
clear spectral gaps); rtol 1e-4 on float32 data.
"""
import dask
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from numpy.testing import assert_allclose
from sklearn.decomposition import PCA, TruncatedSVD

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

RTOL, ATOL = 1e-9, 1e-12

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 6)) * [1, 10, 100, 0.1, 1, 5] + [0, 3, -50, 1, 0, 2]


def _sparse(a, rows):
    """``a`` with a zeroed half as a dask array of CSR blocks of ``rows`` rows."""
    a = np.where(rng.uniform(size=a.shape) < 0.5, 0.0, a)
    d = da.from_array(a, chunks=(rows, -1)).map_blocks(
        scipy.sparse.csr_matrix, meta=scipy.sparse.csr_matrix((0, a.shape[1])))
    return a, d


def _unread(a, rows=50):
    """``a`` as a dask array whose blocks fail if read."""
    def boom(block):
        raise AssertionError("a block was read")

    return da.from_array(a, chunks=(rows, -1)).map_blocks(boom, dtype=float)


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("params", [
    {}, {"n_components": 3}, {"n_components": 0.95}, {"n_components": "mle"},
    {"n_components": 2, "whiten": True}, {"svd_solver": "full"},
    {"svd_solver": "covariance_eigh", "n_components": 4}])
def test_pca_equals_sklearn(dX, params):
    ours = exact.PCA(**params).fit(dX)
    ref = PCA(**params).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=RTOL, atol=ATOL)
    full = PCA(**{**params, "svd_solver": "full"}).fit(concat(dX))
    assert_same_fit(ours, full, rtol=RTOL, atol=ATOL)  # every solver: full's answer


def test_pca_float32_keeps_dtype():
    X32 = X.astype(np.float32)
    ours = exact.PCA(n_components=3).fit(da.from_array(X32, chunks=(64, -1)))
    ref = PCA(n_components=3).fit(X32)
    assert ours.components_.dtype == ref.components_.dtype == np.float32
    assert_same_fit(ours, ref, rtol=1e-4, atol=1e-4)


def test_pca_fewer_rows_than_features():
    Xw = rng.normal(size=(5, 8))
    ours = exact.PCA().fit(da.from_array(Xw, chunks=(3, -1)))
    ref = PCA(svd_solver="full").fit(Xw)
    assert ours.n_components_ == ref.n_components_ == 5
    # the centred 5 rows have rank 4: the 5th vector is any unit vector of the null
    # space (singular value 0), in scikit-learn's answer as in ours
    assert ref.singular_values_[4] < 1e-12 and ours.singular_values_[4] < 1e-12
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10, skip=("components_",))
    assert_allclose(ours.components_[:4], ref.components_[:4], rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("scheduler", ["sync", "threads", "processes"])
def test_pca_same_on_every_scheduler(scheduler):
    with dask.config.set(scheduler=scheduler):
        ours = exact.PCA(n_components=4).fit(da.from_array(X, chunks=(30, -1)))
    assert_same_fit(ours, PCA(n_components=4).fit(X), rtol=RTOL, atol=ATOL)


def test_pca_post_fit_methods_are_lazy_and_equal_sklearn():
    dX = da.from_array(X, chunks=(50, -1))
    ours = exact.PCA(n_components=3, whiten=True).fit(dX)
    ref = PCA(n_components=3, whiten=True).fit(X)
    Xt = ours.transform(dX)
    assert isinstance(Xt, da.Array) and Xt.numblocks[0] == 4
    assert_allclose(Xt.compute(), ref.transform(X), rtol=1e-8, atol=1e-10)
    back = ours.inverse_transform(Xt)
    assert isinstance(back, da.Array)
    assert_allclose(back.compute(), ref.inverse_transform(ref.transform(X)), rtol=1e-8)
    assert_allclose(ours.score_samples(dX).compute(), ref.score_samples(X), rtol=1e-9)


def test_pca_sparse_blocks_with_covariance_eigh():
    a, d = _sparse(X, 40)
    ours = exact.PCA(n_components=3, svd_solver="covariance_eigh").fit(d)
    ref = PCA(n_components=3, svd_solver="covariance_eigh").fit(scipy.sparse.csr_matrix(a))
    assert_same_fit(ours, ref, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("solver", ["auto", "full"])
def test_pca_sparse_blocks_other_solvers_refused(solver):
    _, d = _sparse(X, 40)
    est = exact.PCA(svd_solver=solver)
    with pytest.raises(TypeError, match="svd_solver='covariance_eigh'"):
        est.fit(d)
    assert not hasattr(est, "components_")


@pytest.mark.parametrize("solver", ["arpack", "randomized"])
def test_pca_refuses_approximate_solvers_before_reading(solver):
    est = exact.PCA(n_components=2, svd_solver=solver)
    with pytest.raises(ValueError, match=f"svd_solver='{solver}'") as info:
        est.fit(_unread(X))
    assert "dask_variants.iid.PCA" in str(info.value)
    assert not hasattr(est, "components_")


def test_pca_too_many_components_is_sklearn_error():
    with pytest.raises(ValueError, match="must be between 0 and min"):
        exact.PCA(n_components=7).fit(da.from_array(X, chunks=(50, -1)))


def test_pca_in_memory_is_sklearn():
    assert_same_fit(exact.PCA(n_components=3).fit(X), PCA(n_components=3).fit(X),
                    rtol=0, atol=0)


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("params", [
    {"algorithm": "arpack", "n_components": 2}, {"algorithm": "arpack", "n_components": 5},
    {"n_components": 3}])  # the default: randomized
def test_truncated_svd_equals_sklearn(dX, params):
    ours = exact.TruncatedSVD(**params, random_state=0).fit(dX)
    ref = TruncatedSVD(**params, random_state=0).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=RTOL, atol=ATOL)


def test_truncated_svd_sparse_blocks():
    a, d = _sparse(X, 40)
    ours = exact.TruncatedSVD(4, algorithm="arpack").fit(d)
    ref = TruncatedSVD(4, algorithm="arpack").fit(scipy.sparse.csr_matrix(a))
    assert_same_fit(ours, ref, rtol=RTOL, atol=ATOL)
    Xt = ours.transform(d)
    assert isinstance(Xt, da.Array)
    assert_allclose(Xt.compute(), ref.transform(scipy.sparse.csr_matrix(a)), rtol=1e-9,
                    atol=1e-9)


def test_truncated_svd_float32_keeps_dtype():
    X32 = X.astype(np.float32)
    ours = exact.TruncatedSVD(2, algorithm="arpack").fit(da.from_array(X32, chunks=(64, -1)))
    ref = TruncatedSVD(2, algorithm="arpack").fit(X32)
    assert ours.components_.dtype == ref.components_.dtype == np.float32
    assert_same_fit(ours, ref, rtol=1e-4, atol=1e-4)


def test_truncated_svd_too_many_components_raises():
    with pytest.raises(ValueError, match=r"n_components\(6\) must be <"):
        exact.TruncatedSVD(6, algorithm="arpack").fit(da.from_array(X, chunks=(50, -1)))
