"""Blockwise metrics and scorers equal scikit-learn's on the computed data."""
import inspect
import warnings

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from sklearn import metrics as skm
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import StandardScaler

from dask_variants import metrics

from tests.checks import no_compute


@st.composite
def chunked(draw, max_rows=40):
    """Random row chunks (blocks of size 1 included) and a seed."""
    n = draw(st.integers(3, max_rows))
    cuts = sorted(draw(st.lists(st.integers(1, n - 1), max_size=6)))
    edges = [0, *cuts, n]
    chunks = tuple(b - a for a, b in zip(edges, edges[1:]) if b > a)
    return chunks, draw(st.integers(0, 2**32 - 1)), draw(st.booleans())


def _data(chunks, seed, weighted, kind, n_outputs=1):
    rng = np.random.RandomState(seed)
    n = sum(chunks)
    if kind == "class":
        y_true, y_pred = rng.randint(0, 3, n), rng.randint(0, 3, n)
        y_true[:3] = [0, 1, 2]  # every label present
    elif kind == "proba":
        y_true = rng.randint(0, 3, n)
        y_true[:3] = [0, 1, 2]
        y_pred = rng.dirichlet([1.0, 1.0, 1.0], n)
    else:
        shape = (n,) if n_outputs == 1 else (n, n_outputs)
        y_true = rng.normal(size=shape) * 3
        y_pred = y_true + rng.normal(size=shape)
    weight = rng.uniform(0.1, 2.0, n) if weighted else None
    return y_true, y_pred, weight


def _as_dask(x, chunks):
    return None if x is None else da.from_array(x, chunks=(chunks,) + x.shape[1:])


def _assert_same(ours, ref):
    assert isinstance(ours, float) == isinstance(ref, float)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


@settings(deadline=None)
@given(case=chunked(), normalize=st.booleans())
def test_accuracy_equals_scikit_learn(case, normalize):
    chunks, seed, weighted = case
    y_true, y_pred, w = _data(chunks, seed, weighted, "class")
    ours = metrics.accuracy_score(_as_dask(y_true, chunks), _as_dask(y_pred, chunks[::-1]),
                                  normalize=normalize, sample_weight=_as_dask(w, chunks))
    _assert_same(ours, skm.accuracy_score(y_true, y_pred, normalize=normalize,
                                          sample_weight=w))


@settings(deadline=None)
@given(case=chunked(), normalize=st.booleans(), give_labels=st.booleans())
def test_log_loss_equals_scikit_learn(case, normalize, give_labels):
    chunks, seed, weighted = case
    y_true, proba, w = _data(chunks, seed, weighted, "proba")
    labels = [0, 1, 2] if give_labels else None
    ours = metrics.log_loss(_as_dask(y_true, chunks), _as_dask(proba, chunks),
                            normalize=normalize, sample_weight=w, labels=labels)
    _assert_same(ours, skm.log_loss(y_true, proba, normalize=normalize, sample_weight=w,
                                    labels=labels))


@settings(deadline=None)
@given(case=chunked())
def test_log_loss_of_1d_probabilities_equals_scikit_learn(case):
    chunks, seed, weighted = case
    y_true, proba, w = _data(chunks, seed, weighted, "proba")
    y_true, p = (y_true > 0).astype(int), proba[:, 0]
    y_true[:2] = [0, 1]
    ours = metrics.log_loss(_as_dask(y_true, chunks), _as_dask(p, chunks), sample_weight=w)
    _assert_same(ours, skm.log_loss(y_true, p, sample_weight=w))


REGRESSION = ["r2_score", "mean_squared_error", "root_mean_squared_error",
              "mean_absolute_error", "mean_absolute_percentage_error"]


@pytest.mark.parametrize("name", REGRESSION)
@settings(deadline=None)
@given(case=chunked(), n_outputs=st.sampled_from([1, 3]),
       multioutput=st.sampled_from(["raw_values", "uniform_average", "weights"]))
def test_regression_metric_equals_scikit_learn(name, case, n_outputs, multioutput):
    chunks, seed, weighted = case
    y_true, y_pred, w = _data(chunks, seed, weighted, "reg", n_outputs)
    if multioutput == "weights":
        multioutput = "uniform_average" if n_outputs == 1 else [0.2, 0.5, 0.3]
    ours = getattr(metrics, name)(_as_dask(y_true, chunks), _as_dask(y_pred, chunks[::-1]),
                                  sample_weight=_as_dask(w, chunks), multioutput=multioutput)
    ref = getattr(skm, name)(y_true, y_pred, sample_weight=w, multioutput=multioutput)
    if multioutput == "raw_values":
        assert isinstance(ours, np.ndarray)
    _assert_same(ours, ref)


@pytest.mark.parametrize("multioutput", ["variance_weighted", "raw_values"])
@pytest.mark.parametrize("force_finite", [True, False])
def test_r2_constant_and_perfect_outputs_follow_scikit_learn(multioutput, force_finite):
    y_true = np.column_stack([np.full(10, 2.0), np.arange(10.0), np.arange(10.0)])
    y_pred = y_true + np.column_stack([np.ones(10), np.zeros(10), np.ones(10)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = skm.r2_score(y_true, y_pred, multioutput=multioutput, force_finite=force_finite)
    ours = metrics.r2_score(_as_dask(y_true, (3, 7)), y_pred, multioutput=multioutput,
                            force_finite=force_finite)
    np.testing.assert_allclose(ours, ref)


def test_r2_with_one_row_warns_and_is_nan():
    with pytest.warns(skm._regression.UndefinedMetricWarning):
        assert np.isnan(metrics.r2_score(da.ones(1, chunks=1), np.ones(1)))


def test_metrics_on_dask_series_with_unknown_partitions():
    dd = pytest.importorskip("dask.dataframe")
    rng = np.random.RandomState(0)
    pdf = pd.DataFrame({"t": rng.normal(size=30), "p": rng.normal(size=30),
                        "c": rng.randint(0, 2, 30), "d": rng.randint(0, 2, 30)})
    df = dd.from_pandas(pdf, npartitions=4)
    _assert_same(metrics.r2_score(df.t, df.p), skm.r2_score(pdf.t, pdf.p))
    _assert_same(metrics.accuracy_score(df.c, df.d), skm.accuracy_score(pdf.c, pdf.d))
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        metrics.r2_score(df.t, pdf.p.to_numpy())


def test_misaligned_inputs_raise_naming_the_values():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        metrics.mean_squared_error(da.ones(10, chunks=5), da.ones(9, chunks=3))
    with pytest.raises(ValueError, match="different number of output"):
        metrics.mean_squared_error(da.ones((10, 2), chunks=5), np.ones((10, 3)))
    with pytest.raises(TypeError, match="Delayed"):
        metrics.accuracy_score(dask.delayed(np.ones)(3), np.ones(3))


def test_block_failure_names_the_block():
    y_true = da.from_array(np.array([0, 1, 0, 1.5]), chunks=2)
    with pytest.raises(ValueError, match="row block 1"):
        metrics.accuracy_score(y_true, np.array([0, 1, 0, 1]))


@pytest.mark.parametrize("name, args", [
    ("accuracy_score", ([0, 1, 1], [0, 1, 0])),
    ("log_loss", ([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])),
    ("r2_score", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
    ("mean_squared_error", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
    ("mean_absolute_error", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
    ("root_mean_squared_error", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
    ("mean_squared_log_error", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
    ("mean_absolute_percentage_error", ([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])),
])
def test_non_dask_input_is_scikit_learn(name, args):
    assert getattr(metrics, name)(*args) == getattr(skm, name)(*args)
    with pytest.raises(ValueError) as ours:
        getattr(metrics, name)(args[0], args[1][:2])
    with pytest.raises(ValueError) as ref:
        getattr(skm, name)(args[0], args[1][:2])
    assert str(ours.value) == str(ref.value)


def test_log_loss_names_of_the_probabilities_follow_the_installed_scikit_learn():
    # scikit-learn 1.6 to 1.8 call them y_pred, 1.9 y_proba (y_pred deprecated)
    y, p = [0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]]
    expected = skm.log_loss(y, p)
    assert metrics.log_loss(y, p) == expected
    assert metrics.log_loss(y, y_proba=p) == expected
    if "y_proba" in inspect.signature(skm.log_loss).parameters:
        with pytest.warns(FutureWarning):
            assert metrics.log_loss(y, y_pred=p) == expected
    else:
        assert metrics.log_loss(y, y_pred=p) == expected
        with pytest.raises(TypeError, match="probabilities twice"):
            metrics.log_loss(y, p, y_pred=p)


class _LazyModel:
    """Wraps a fitted estimator so predict/predict_proba are lazy and blockwise."""

    def __init__(self, est):
        self.est, self.calls = est, []
        self.classes_ = getattr(est, "classes_", None)
        self._estimator_type = None

    def __sklearn_tags__(self):
        return self.est.__sklearn_tags__()

    def _apply(self, method, X):
        self.calls.append(method)
        func = getattr(self.est, method)
        if not isinstance(X, da.Array):
            return func(X)
        out = func(np.zeros((1, X.shape[1])))
        return X.map_blocks(func, drop_axis=1, new_axis=list(range(1, out.ndim)),
                            chunks=(X.chunks[0],) + out.shape[1:], dtype=out.dtype,
                            meta=np.empty((0,) * out.ndim, dtype=out.dtype))

    def predict(self, X):
        return self._apply("predict", X)

    def predict_proba(self, X):
        return self._apply("predict_proba", X)


@pytest.fixture
def fitted(xy_classification):
    X, y = xy_classification
    return X, y, LogisticRegression().fit(X, y), LinearRegression().fit(X, y * 1.0)


@pytest.mark.parametrize("name", ["accuracy", "neg_log_loss"])
def test_classifier_scorers_match_scikit_learn(fitted, xy_rowblocks, name):
    X, y, clf, _ = fitted
    w = np.linspace(0.5, 1.5, len(y))
    Xd, yd = xy_rowblocks
    ours = metrics.get_scorer(name)(_LazyModel(clf), Xd, yd.rechunk(7), sample_weight=w)
    _assert_same(ours, skm.get_scorer(name)(clf, X, y, sample_weight=w))
    assert metrics.get_scorer(name)(clf, X, y) == skm.get_scorer(name)(clf, X, y)


@pytest.mark.parametrize("name", ["r2", "neg_mean_squared_error", "neg_mean_absolute_error",
                                  "neg_root_mean_squared_error"])
def test_regressor_scorers_match_scikit_learn(fitted, xy_rowblocks, name):
    X, y, _, reg = fitted
    ours = metrics.get_scorer(name)(_LazyModel(reg), xy_rowblocks[0], y * 1.0)
    _assert_same(ours, skm.get_scorer(name)(reg, X, y * 1.0))


def test_check_scoring_defaults_to_the_estimator_metric(fitted, xy_rowblocks):
    X, y, clf, reg = fitted
    Xd, yd = xy_rowblocks
    _assert_same(metrics.check_scoring(clf)(_LazyModel(clf), Xd, yd), clf.score(X, y))
    _assert_same(metrics.check_scoring(reg)(_LazyModel(reg), Xd, yd * 1.0), reg.score(X, y))
    assert metrics.check_scoring(clf)(clf, X, y) == clf.score(X, y)
    with pytest.raises(TypeError, match="scoring="):
        metrics.check_scoring(StandardScaler())
    assert metrics.check_scoring(StandardScaler(), allow_none=True) is None


def test_multimetric_scorer_predicts_once_per_method(fitted, xy_rowblocks):
    X, y, clf, _ = fitted
    model = _LazyModel(clf)
    custom = lambda est, X, y: 1.0  # noqa: E731
    scorer = metrics.check_scoring(clf, {"acc": "accuracy", "ll": "neg_log_loss",
                                         "mse": "neg_mean_squared_error", "c": custom})
    scores = scorer(model, *xy_rowblocks)
    assert sorted(model.calls) == ["predict", "predict_proba"]
    assert list(scores) == ["acc", "ll", "mse", "c"] and scores["c"] == 1.0
    _assert_same(scores["acc"], clf.score(X, y))
    _assert_same(scores["ll"], -skm.log_loss(y, clf.predict_proba(X)))
    ref = skm.check_scoring(clf, ["accuracy", "neg_log_loss"])(clf, X, y)
    assert metrics.check_scoring(clf, ["accuracy", "neg_log_loss"])(clf, X, y) == ref


def test_unsupported_scorer_name_on_dask_lists_supported(fitted, xy_rowblocks):
    _, _, clf, _ = fitted
    scorer = metrics.get_scorer("f1")
    with pytest.raises(ValueError, match="neg_log_loss"):
        scorer(_LazyModel(clf), *xy_rowblocks)
    X, y = xy_rowblocks[0].compute(), xy_rowblocks[1].compute()
    assert scorer(clf, X, y) == skm.get_scorer("f1")(clf, X, y)
    with pytest.raises(ValueError):
        metrics.get_scorer("no_such_metric")
    assert metrics.get_scorer(len) is len


# dask-ml's spellings: compute=, and its extra regression metrics (issue 11)

@pytest.mark.parametrize("name", ["mean_squared_log_error", "root_mean_squared_log_error"])
@settings(deadline=None)
@given(case=chunked(), n_outputs=st.sampled_from([1, 3]),
       multioutput=st.sampled_from(["raw_values", "uniform_average"]))
def test_log_error_metric_equals_scikit_learn(name, case, n_outputs, multioutput):
    chunks, seed, weighted = case
    y_true, y_pred, w = _data(chunks, seed, weighted, "reg", n_outputs)
    y_true, y_pred = np.abs(y_true), np.abs(y_pred)
    ours = getattr(metrics, name)(_as_dask(y_true, chunks), _as_dask(y_pred, chunks),
                                  sample_weight=_as_dask(w, chunks), multioutput=multioutput)
    _assert_same(ours, getattr(skm, name)(y_true, y_pred, sample_weight=w,
                                          multioutput=multioutput))


def test_mean_squared_log_error_refuses_values_below_minus_one():
    y = da.from_array(np.array([0.0, 1.0, -2.0, 3.0]), chunks=2)
    with pytest.raises(ValueError, match="less than or equal to -1"):
        metrics.mean_squared_log_error(y, da.ones(4, chunks=2))


_LAZY_CASES = {
    "accuracy_score": lambda c: (_as_dask(np.array([0, 1, 1, 0, 1]), c),
                                 _as_dask(np.array([0, 1, 0, 0, 1]), c)),
    "log_loss": lambda c: (_as_dask(np.array([0, 1, 1, 0, 1]), c),
                           _as_dask(np.array([[.8, .2], [.3, .7], [.6, .4], [.9, .1],
                                              [.2, .8]]), c)),
}
for _name in REGRESSION + ["mean_squared_log_error"]:
    _LAZY_CASES[_name] = lambda c: (_as_dask(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), c),
                                    _as_dask(np.array([1.5, 2.0, 2.0, 4.5, 5.0]), c))


@pytest.mark.parametrize("name", sorted(_LAZY_CASES))
def test_compute_false_returns_a_lazy_0d_array_equal_to_the_computed_score(name):
    y_true, y_pred = _LAZY_CASES[name]((2, 3))
    func = getattr(metrics, name)
    kwargs = {"labels": [0, 1]} if name == "log_loss" else {}
    with no_compute():
        lazy = func(y_true, y_pred, compute=False, **kwargs)
    assert isinstance(lazy, da.Array) and lazy.shape == () and lazy.dtype == np.float64
    eager = func(y_true, y_pred, **kwargs)
    assert isinstance(eager, float) and float(lazy.compute()) == eager
    ref = getattr(skm, name)(*dask.compute(y_true, y_pred), **kwargs)
    np.testing.assert_allclose(eager, ref, rtol=1e-12)


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error",
                                  "mean_absolute_percentage_error", "r2_score"])
def test_compute_false_with_raw_values_has_one_entry_per_output(name):
    rng = np.random.RandomState(0)
    a, b = rng.uniform(size=(20, 3)), rng.uniform(size=(20, 3))
    lazy = getattr(metrics, name)(da.from_array(a, chunks=(5, 3)), da.from_array(b, chunks=7),
                                  multioutput="raw_values", compute=False)
    assert isinstance(lazy, da.Array) and lazy.shape == (3,)
    np.testing.assert_allclose(lazy.compute(), getattr(skm, name)(a, b, multioutput="raw_values"),
                               rtol=1e-12)


def test_compute_flag_is_ignored_without_dask_input():
    assert metrics.accuracy_score([0, 1], [0, 0], compute=False) == 0.5
    assert metrics.r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], compute=False) == 1.0
