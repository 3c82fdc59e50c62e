"""exact.SimpleImputer and exact.MissingIndicator equal scikit-learn on the concatenated rows.

Tolerance: 'mean' to rtol 1e-12 (a float64 sum merged in a tree), 1e-6 on float32 data
(scikit-learn averages in float32); 'median', 'most_frequent', 'constant' and the
indicator exactly (rtol 0).
"""
import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from sklearn.impute import MissingIndicator, SimpleImputer

from dask_variants import exact
from dask_variants.engine.rules import _impute
from tests.engine.rules.compare import assert_same_fit as _assert_same_fit
from tests.engine.rules.compare import concat, layouts

rng = np.random.RandomState(0)
#: columns: small integers (ties), continuous, all missing, no missing, heavy ties
X = np.column_stack([
    rng.randint(0, 5, 200).astype(float),
    rng.normal(size=200) * 1e3 - 7,
    np.full(200, np.nan),
    rng.normal(size=200),
    np.where(rng.rand(200) < 0.9, 3.0, rng.normal(size=200)),
])
X[:, [0, 1, 4]][rng.rand(200, 3) < 0.2] = np.nan
X[rng.rand(200) < 0.2, 0] = np.nan
X[rng.rand(200) < 0.3, 1] = np.nan
X[rng.rand(200) < 0.1, 4] = np.nan
STRATEGIES = ["mean", "median", "most_frequent", "constant"]


def assert_same_fit(ours, ref, *, rtol, atol):
    """compare.assert_same_fit, with object ``statistics_`` holding NaN compared as
    pandas does (NaN equals NaN)."""
    stats = getattr(ref, "statistics_", None)
    if stats is None or stats.dtype != object:
        return _assert_same_fit(ours, ref, rtol=rtol, atol=atol)
    _assert_same_fit(ours, ref, rtol=rtol, atol=atol, skip=("statistics_",))
    assert ours.statistics_.dtype == object and ours.statistics_.shape == stats.shape
    assert pd.Series(ours.statistics_).equals(pd.Series(stats))


def _exact(strategy):
    return 0 if strategy != "mean" else 1e-12


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("params", [{}, {"keep_empty_features": True, "add_indicator": True}])
def test_simple_imputer_equals_sklearn(dX, strategy, params):
    ours = exact.SimpleImputer(strategy=strategy, **params).fit(dX)
    ref = SimpleImputer(strategy=strategy, **params).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=_exact(strategy), atol=0)
    assert ours._fit_dtype == ref._fit_dtype


@pytest.mark.parametrize("n", [199, 200, 1, 2])
def test_simple_imputer_median_is_exact_by_narrowing_passes(monkeypatch, n):
    """Few values collected at once: the median is found by histogram passes over the
    order-preserving keys, odd and even counts, values of every sign and magnitude."""
    monkeypatch.setattr(_impute, "_COLLECT", 3)
    r = np.random.RandomState(1)
    Z = np.column_stack([r.standard_cauchy(n) * 10.0 ** r.randint(-300, 300, n),
                         np.round(r.normal(size=n), 1), -np.abs(r.normal(size=n))])
    Z[r.rand(n) < 0.1, 1] = np.nan
    calls = []
    real = _impute._median_leaf

    def counted(*args):
        calls.append([t.collect() for t in args[1]])
        return real(*args)

    monkeypatch.setattr(_impute, "_median_leaf", counted)
    dZ = da.from_array(Z, chunks=(max(1, n // 4), -1))
    with dask.config.set(scheduler="sync"):
        ours = exact.SimpleImputer(strategy="median").fit(dZ)
    ref = SimpleImputer(strategy="median").fit(Z)
    assert_same_fit(ours, ref, rtol=0, atol=0)
    if n > 3:
        assert any(not collect for pass_ in calls for collect in pass_), "no histogram pass"


def test_simple_imputer_float32_keeps_dtype():
    X32 = X.astype(np.float32)
    for strategy in STRATEGIES:
        ours = exact.SimpleImputer(strategy=strategy).fit(da.from_array(X32, chunks=(60, -1)))
        ref = SimpleImputer(strategy=strategy).fit(X32)
        assert_same_fit(ours, ref, rtol=1e-6 if strategy == "mean" else 0, atol=0)


@pytest.mark.parametrize("strategy", ["most_frequent", "median", "mean", "constant"])
def test_simple_imputer_integer_missing_value(strategy):
    Xi = rng.randint(-1, 4, size=(200, 3))
    Xi[:, 2] = -1
    ours = exact.SimpleImputer(missing_values=-1, strategy=strategy).fit(
        da.from_array(Xi, chunks=(33, -1)))
    ref = SimpleImputer(missing_values=-1, strategy=strategy).fit(Xi)
    assert_same_fit(ours, ref, rtol=_exact(strategy), atol=0)


def test_simple_imputer_most_frequent_ties_take_the_smallest():
    # every value of column 0 twice (a tie of all), split across blocks in reverse order
    Xt = np.column_stack([np.repeat(np.arange(10.0)[::-1], 2), np.tile([5.0, -2.0], 10)])
    ours = exact.SimpleImputer(strategy="most_frequent").fit(da.from_array(Xt, chunks=(3, -1)))
    ref = SimpleImputer(strategy="most_frequent").fit(Xt)
    assert list(ours.statistics_) == list(ref.statistics_) == [0.0, -2.0]


def _string_frame():
    r = np.random.RandomState(2)
    df = pd.DataFrame({
        "city": r.choice(["b", "a", "c", None], 200, p=[0.3, 0.3, 0.2, 0.2]),
        "code": r.choice(["x", "y"], 200).astype(object),
        "n": r.choice([1.0, 2.0, np.nan], 200),
    })
    df.loc[:99, "city"] = df.loc[:99, "city"].replace("a", "b")  # ties differ by block
    return df.astype({"city": object, "code": object})


@pytest.mark.parametrize("strategy, params", [
    ("most_frequent", {}), ("constant", {}), ("constant", {"fill_value": "zz"}),
    ("most_frequent", {"add_indicator": True}),
    ("constant", {"add_indicator": True, "keep_empty_features": True})])
def test_simple_imputer_string_frame(strategy, params):
    """A frame of string columns (dask's string dtype: pd.NA missing) and a float one."""
    ddf = dd.from_pandas(_string_frame(), npartitions=3)
    ours = exact.SimpleImputer(strategy=strategy, missing_values=pd.NA, **params).fit(ddf)
    ref = SimpleImputer(strategy=strategy, missing_values=pd.NA, **params).fit(concat(ddf))
    assert_same_fit(ours, ref, rtol=0, atol=0)
    out = ours.transform(ddf)
    assert isinstance(out, (dd.DataFrame, da.Array))
    assert pd.DataFrame(np.asarray(out.compute(), dtype=object)).equals(
        pd.DataFrame(np.asarray(ref.transform(concat(ddf)), dtype=object)))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_simple_imputer_sparse_blocks(strategy):
    S = X.copy()
    S[np.abs(np.nan_to_num(S, nan=1.0)) < 0.5] = 0.0  # implicit zeros are values
    S = np.nan_to_num(S, nan=0.0) * (rng.rand(*S.shape) < 0.7)
    S[rng.rand(*S.shape) < 0.1] = np.nan
    S[:, 2] = np.nan
    Ssp = scipy.sparse.csr_matrix(S)
    dS = da.from_array(Ssp, chunks=(40, -1), asarray=False)
    params = {"add_indicator": True}
    ours = exact.SimpleImputer(strategy=strategy, **params).fit(dS)
    ref = SimpleImputer(strategy=strategy, **params).fit(Ssp)
    assert_same_fit(ours, ref, rtol=_exact(strategy), atol=0)


def test_simple_imputer_transform_is_lazy_and_equals_sklearn():
    dX = da.from_array(X, chunks=(50, -1))
    ours = exact.SimpleImputer(strategy="median", add_indicator=True).fit(dX)
    ref = SimpleImputer(strategy="median", add_indicator=True).fit(X)
    out = ours.transform(dX)
    assert isinstance(out, da.Array)
    np.testing.assert_array_equal(out.compute(), ref.transform(X))


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_simple_imputer_same_on_every_scheduler(scheduler):
    dX = da.from_array(X, chunks=(30, -1))
    with dask.config.set(scheduler=scheduler):
        ours = exact.SimpleImputer(strategy="median").fit(dX)
    assert_same_fit(ours, SimpleImputer(strategy="median").fit(X), rtol=0, atol=0)


def test_simple_imputer_refuses_callable_strategy_before_reading():
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.SimpleImputer(strategy=np.nanmax)
    with pytest.raises(ValueError, match="strategy=") as info:
        est.fit(dX)
    assert "dask_variants.iid.SimpleImputer" in str(info.value)
    assert not hasattr(est, "statistics_")


def test_simple_imputer_in_memory_is_sklearn():
    ours = exact.SimpleImputer(strategy="median").fit(X)
    assert_same_fit(ours, SimpleImputer(strategy="median").fit(X), rtol=0, atol=0)


@pytest.mark.parametrize("dX", layouts(X))
@pytest.mark.parametrize("params", [
    {}, {"features": "all"}, {"sparse": True}, {"error_on_new": False}])
def test_missing_indicator_equals_sklearn(dX, params):
    ours = exact.MissingIndicator(**params).fit(dX)
    ref = MissingIndicator(**params).fit(concat(dX))
    assert_same_fit(ours, ref, rtol=0, atol=0)
    out = ours.transform(dX)
    expected = ref.transform(concat(dX))
    got = out.compute()
    got = got.toarray() if scipy.sparse.issparse(got) else np.asarray(got)
    expected = expected.toarray() if scipy.sparse.issparse(expected) else expected
    np.testing.assert_array_equal(got, expected)


def test_missing_indicator_sparse_blocks():
    S = scipy.sparse.csr_matrix(np.nan_to_num(X, nan=0.0) * (rng.rand(*X.shape) < 0.5))
    S.data[::7] = np.nan
    ours = exact.MissingIndicator().fit(da.from_array(S, chunks=(40, -1), asarray=False))
    assert_same_fit(ours, MissingIndicator().fit(S), rtol=0, atol=0)
