"""exact.EmpiricalCovariance, ShrunkCovariance, LedoitWolf and OAS equal scikit-learn on
the concatenated rows.

Tolerance: every fitted attribute (``location_``, ``covariance_``, ``precision_``,
``shrinkage_``) to rtol 1e-10 on float64 data (the merged centred moments round at
~1e-15), to rtol 1e-3 on float32 data (scikit-learn's own float32 sums round at 1e-6, and
``precision_`` amplifies that by the condition number).
"""
import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.covariance import OAS, EmpiricalCovariance, LedoitWolf, ShrunkCovariance

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

RTOL = 1e-10

rng = np.random.RandomState(0)
X = (rng.normal(size=(200, 5)) @ (np.eye(5) + 0.3 * rng.normal(size=(5, 5)))
     * [1, 3, 0.5, 1, 2] + [0, 5, -2, 40, 1])

CLASSES = [EmpiricalCovariance, ShrunkCovariance, LedoitWolf, OAS]
PARAMS = [{}, {"assume_centered": True}, {"store_precision": False},
          {"assume_centered": True, "store_precision": False}]


def _variant(cls):
    return getattr(exact, cls.__name__)


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_covariance_equals_sklearn(dX, cls):
    ours = _variant(cls)().fit(dX)
    ref = cls().fit(concat(dX))
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("params", PARAMS[1:], ids=str)
def test_covariance_every_parameter(cls, params):
    dX = da.from_array(X, chunks=((7, 93, 0, 60, 40), -1))
    ours = _variant(cls)(**params).fit(dX)
    assert_same_fit(ours, cls(**params).fit(X), rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("params", [{"shrinkage": 0.0}, {"shrinkage": 0.9}])
def test_shrunk_covariance_every_shrinkage(params):
    dX = da.from_array(X, chunks=(60, -1))
    ours = exact.ShrunkCovariance(**params).fit(dX)
    assert_same_fit(ours, ShrunkCovariance(**params).fit(X), rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("block_size", [1, 3, 1000])
def test_ledoit_wolf_block_size_changes_nothing(block_size):
    dX = da.from_array(X, chunks=(45, -1))
    ours = exact.LedoitWolf(block_size=block_size).fit(dX)
    ref = LedoitWolf(block_size=block_size).fit(X)
    assert 0 < ref.shrinkage_ < 1
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_covariance_one_feature(cls):
    X1 = X[:, 1:2]
    ours = _variant(cls)().fit(da.from_array(X1, chunks=(70, -1)))
    assert_same_fit(ours, cls().fit(X1), rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("params", [{}, {"assume_centered": True}], ids=str)
def test_covariance_float32_keeps_scikit_learn_dtypes(cls, params):
    X32 = X.astype(np.float32)
    ours = _variant(cls)(**params).fit(da.from_array(X32, chunks=(50, -1)))
    assert_same_fit(ours, cls(**params).fit(X32), rtol=1e-3, atol=1e-5)


def test_ledoit_wolf_far_from_origin_keeps_precision():
    # a large common offset: the per-block centring keeps the fourth moments exact
    Xf = X + 1e6
    ours = exact.LedoitWolf().fit(da.from_array(Xf, chunks=(30, -1)))
    assert_same_fit(ours, LedoitWolf().fit(Xf), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("scheduler", ["sync", "threads", "processes"])
def test_ledoit_wolf_same_on_every_scheduler(scheduler):
    dX = da.from_array(X, chunks=(30, -1))
    with dask.config.set(scheduler=scheduler):
        ours = exact.LedoitWolf().fit(dX)
    assert_same_fit(ours, LedoitWolf().fit(X), rtol=RTOL, atol=1e-12)


def test_oas_mahalanobis_is_blockwise_and_lazy():
    dX = da.from_array(X, chunks=(50, -1))
    ours = exact.OAS().fit(dX)
    out = ours.mahalanobis(dX)
    assert isinstance(out, da.Array)
    np.testing.assert_allclose(out.compute(), OAS().fit(X).mahalanobis(X), rtol=1e-9)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_covariance_in_memory_is_sklearn(cls):
    assert_same_fit(_variant(cls)().fit(X), cls().fit(X), rtol=0, atol=0)
