"""dask_variants.wrappers: dask-ml's Incremental and ParallelPostFit, against scikit-learn."""
import inspect
import pickle

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
from dask.array.utils import assert_eq
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import IncrementalPCA
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier, SGDRegressor
from sklearn.metrics import accuracy_score, log_loss
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import BernoulliRBM
from sklearn.preprocessing import StandardScaler

from dask_variants import incremental
from dask_variants.mixins.blockwise import ROW_METHODS
from dask_variants.wrappers import Incremental, ParallelPostFit

from tests.checks import no_compute




@pytest.fixture
def xy_dask(xy_rowblocks):
    return xy_rowblocks


def hand_loop(est, X, y, order=None, **kwargs):
    """scikit-learn's partial_fit over the blocks of X, y in ``order``: the reference."""
    order = range(X.numblocks[0]) if order is None else order
    for k in order:
        est.partial_fit(X.blocks[k].compute(), y.blocks[k].compute(), **kwargs)
    return est


# ---------------------------------------------------------------- the signature


def test_wrappers_have_dask_ml_parameters_and_defaults():
    inc = inspect.signature(Incremental).parameters
    assert list(inc) == [
        "estimator", "scoring", "shuffle_blocks", "random_state", "assume_equal_chunks",
        "predict_meta", "predict_proba_meta", "transform_meta",
    ]
    assert {k: p.default for k, p in inc.items() if k != "estimator"} == {
        "scoring": None, "shuffle_blocks": True, "random_state": None,
        "assume_equal_chunks": True, "predict_meta": None, "predict_proba_meta": None,
        "transform_meta": None,
    }
    ppf = inspect.signature(ParallelPostFit).parameters
    assert list(ppf) == [
        "estimator", "scoring", "predict_meta", "predict_proba_meta", "transform_meta",
    ]


# ------------------------------------------------------- Incremental vs scikit-learn


def test_incremental_fit_matches_hand_written_partial_fit_loop(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False)
    assert inc.fit(X, y, classes=[0, 1]) is inc
    ref = hand_loop(SGDClassifier(random_state=0), X, y, classes=[0, 1])
    assert type(inc.estimator_) is SGDClassifier
    assert_allclose(inc.coef_, ref.coef_)
    assert_allclose(inc.intercept_, ref.intercept_)
    assert inc.n_iter_ == ref.n_iter_
    assert_array_equal(inc.classes_, ref.classes_)
    assert inc.estimator is not inc.estimator_  # fit works on a clone
    assert not hasattr(inc.estimator, "coef_")


def test_incremental_fit_computes_classes_when_not_given(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False).fit(X, y)
    ref = hand_loop(SGDClassifier(random_state=0), X, y, classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)


def test_incremental_shuffled_order_is_seeded_by_random_state(xy_dask):
    X, y = xy_dask
    fits = [
        Incremental(SGDClassifier(random_state=0), random_state=seed).fit(X, y).coef_
        for seed in (3, 3, 4)
    ]
    assert_allclose(fits[0], fits[1])
    # every pass is a permutation of the blocks: it equals the loop in some order
    from itertools import permutations

    refs = [
        hand_loop(SGDClassifier(random_state=0), X, y, order, classes=[0, 1]).coef_
        for order in permutations(range(4))
    ]
    assert any(np.allclose(fits[0], r) for r in refs)


def test_incremental_partial_fit_on_dask_makes_one_pass_each_call(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False)
    for _ in range(3):
        inc.partial_fit(X, y, classes=[0, 1])
    ref = SGDClassifier(random_state=0)
    for _ in range(3):
        hand_loop(ref, X, y, classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)


def test_incremental_on_numpy_is_one_partial_fit_call(xy_classification):
    X, y = xy_classification
    inc = Incremental(SGDClassifier(random_state=0)).fit(X, y, classes=[0, 1])
    ref = SGDClassifier(random_state=0).partial_fit(X, y, classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)
    inc.partial_fit(X, y)
    ref.partial_fit(X, y)
    assert_allclose(inc.coef_, ref.coef_)
    assert_array_equal(inc.predict(X), ref.predict(X))
    assert inc.score(X, y) == ref.score(X, y)


def test_incremental_fit_resets_partial_fit_does_not(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False)
    once = inc.fit(X, y).coef_.copy()
    inc.partial_fit(X, y)
    assert not np.allclose(inc.coef_, once)
    assert_allclose(inc.fit(X, y).coef_, once)


def test_incremental_per_row_fit_params_go_blockwise(xy_dask):
    X, y = xy_dask
    w = da.linspace(0.5, 2.0, X.shape[0], chunks=X.chunks[0])
    inc = Incremental(GaussianNB(), shuffle_blocks=False).fit(X, y, sample_weight=w)
    ref = GaussianNB()
    for k in range(4):
        ref.partial_fit(X.blocks[k].compute(), y.blocks[k].compute(), classes=[0, 1],
                        sample_weight=w.blocks[k].compute())
    assert_allclose(inc.theta_, ref.theta_)
    assert_allclose(inc.var_, ref.var_)


def test_incremental_dask_dataframe_input(xy_classification):
    dd = pytest.importorskip("dask.dataframe")
    X, y = xy_classification
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    df["y"] = y
    ddf = dd.from_pandas(df, npartitions=3)
    Xd, yd = ddf[[f"f{i}" for i in range(5)]], ddf["y"]
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False).fit(Xd, yd)
    ref = SGDClassifier(random_state=0)
    for k in range(3):
        part = ddf.partitions[k].compute()
        ref.partial_fit(part[Xd.columns], part["y"], classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)
    with no_compute():
        pred = inc.predict(Xd)
    assert isinstance(pred, dd.Series)
    got = pred.compute()
    pd.testing.assert_index_equal(got.index, df.index)
    assert_array_equal(got.to_numpy(), ref.predict(df[Xd.columns]))


def test_incremental_unknown_chunk_sizes(xy_classification):
    X, y = xy_classification
    keep = np.arange(len(y)) % 3 != 0
    Xd = da.from_array(X, chunks=30)[da.from_array(keep, chunks=30)]
    yd = da.from_array(y, chunks=30)[da.from_array(keep, chunks=30)]
    assert np.isnan(Xd.chunks[0][0])
    for assume in (True, False):
        inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False,
                          assume_equal_chunks=assume).fit(Xd, yd)
        ref = SGDClassifier(random_state=0)
        for k in range(4):
            rows = slice(30 * k, 30 * (k + 1))
            ref.partial_fit(X[rows][keep[rows]], y[rows][keep[rows]], classes=[0, 1])
        assert_allclose(inc.coef_, ref.coef_)


# -------------------------------------------------- post-fit methods, lazy and exact


@pytest.mark.parametrize(
    "make, fit_kwargs",
    [
        (lambda: SGDClassifier(loss="log_loss", alpha=0.1, random_state=0), {"classes": [0, 1]}),
        (lambda: SGDClassifier(random_state=0), {"classes": [0, 1]}),
        (lambda: SGDRegressor(random_state=0), {}),
        (lambda: GaussianNB(), {"classes": [0, 1]}),
        (lambda: StandardScaler(), {}),
        (lambda: IncrementalPCA(n_components=2), {}),
        (lambda: MiniBatchKMeans(n_clusters=2, random_state=0, n_init=1), {}),
        (lambda: BernoulliRBM(n_components=3, random_state=0), {}),
    ],
    ids=["SGDClassifier-log_loss", "SGDClassifier-hinge", "SGDRegressor", "GaussianNB",
         "StandardScaler", "IncrementalPCA", "MiniBatchKMeans", "BernoulliRBM"],
)
def test_incremental_every_post_fit_method_is_lazy_and_matches_sklearn(xy_dask, make, fit_kwargs):
    X, y = xy_dask
    yy = y.astype(float) if is_regressor(make()) else y
    inc = Incremental(make(), shuffle_blocks=False).fit(X, yy, **fit_kwargs)
    ref = make()
    for k in range(4):
        ref.partial_fit(X.blocks[k].compute(), yy.blocks[k].compute(), **fit_kwargs)
    Xc = X.compute()
    for name in (*ROW_METHODS, "score", "partial_fit", "get_feature_names_out"):
        assert hasattr(inc, name) == hasattr(ref, name), name
    for name in ROW_METHODS:
        if not hasattr(ref, name):
            continue
        if name == "score_samples" and isinstance(ref, BernoulliRBM):
            continue  # scikit-learn's draws random features on every call
        arg = ref.transform(Xc) if name == "inverse_transform" else Xc
        darg = inc.transform(X) if name == "inverse_transform" else X
        with no_compute():
            out = getattr(inc, name)(darg)
        assert isinstance(out, da.Array), name
        assert out.chunks[0] == X.chunks[0], name
        assert_eq(out, getattr(ref, name)(arg), check_graph=False)
        # in-memory input: the fitted estimator's own method (the scalers and naive
        # Bayes fit by a parallel merge: equal to the loop up to rounding)
        assert_allclose(getattr(inc, name)(arg), getattr(ref, name)(arg), rtol=1e-12)
        assert_array_equal(getattr(inc, name)(arg), getattr(inc.estimator_, name)(arg))


def test_scaler_without_score_is_accepted(xy_dask):
    X, _ = xy_dask
    inc = Incremental(StandardScaler()).fit(X)
    ref = StandardScaler().fit(X.compute())
    assert_allclose(inc.mean_, ref.mean_)
    assert_allclose(inc.var_, ref.var_)
    assert inc.n_samples_seen_ == ref.n_samples_seen_
    assert not hasattr(inc, "score")
    assert hasattr(Incremental(StandardScaler(), scoring=lambda est, X, y: 1.0), "score")
    assert_eq(inc.transform(X), ref.transform(X.compute()), check_graph=False)


def test_set_output_pandas_gives_a_lazy_dataframe(xy_dask):
    dd = pytest.importorskip("dask.dataframe")
    X, _ = xy_dask
    inc = Incremental(StandardScaler()).set_output(transform="pandas").fit(X)
    out = inc.transform(X)
    assert isinstance(out, dd.DataFrame)
    assert list(out.columns) == list(inc.get_feature_names_out())
    assert len(out.compute()) == X.shape[0]


# ------------------------------------------------------------------------ meta


def test_meta_parameters_set_the_output_meta(xy_dask):
    X, y = xy_dask
    inc = Incremental(
        SGDClassifier(loss="log_loss", random_state=0),
        predict_meta=np.array([], dtype="int32"),
        predict_proba_meta=np.empty((0, 0), dtype="float32"),
    ).fit(X, y)
    with no_compute():
        pred, proba = inc.predict(X), inc.predict_proba(X)
    assert pred.dtype == np.int32 and pred._meta.dtype == np.int32
    assert proba.dtype == np.float32
    assert pred.compute().dtype == np.int32
    assert proba.compute().dtype == np.float32
    scaler = Incremental(StandardScaler(), transform_meta=np.empty((0, 0), "float32")).fit(X)
    assert scaler.transform(X).compute().dtype == np.float32


def test_meta_parameters_with_pandas_meta_on_dask_dataframes(xy_classification):
    dd = pytest.importorskip("dask.dataframe")
    X, y = xy_classification
    Xd = dd.from_pandas(pd.DataFrame(X), npartitions=2)
    meta = pd.Series([], dtype="float64", name="label")
    inc = ParallelPostFit(SGDClassifier(random_state=0), predict_meta=meta).fit(X, y)
    with no_compute():
        pred = inc.predict(Xd)
    assert pred.name == "label" and pred.dtype == np.float64
    got = pred.compute()
    assert got.name == "label"
    assert_allclose(got.to_numpy(), inc.estimator_.predict(X))


def test_numpy_meta_on_a_dask_dataframe_gives_a_dask_array(xy_classification):
    dd = pytest.importorskip("dask.dataframe")
    X, y = xy_classification
    Xd = dd.from_pandas(pd.DataFrame(X), npartitions=3)
    inc = ParallelPostFit(LogisticRegression(), predict_meta=np.array([], dtype="int64"),
                          predict_proba_meta=np.empty((0, 0))).fit(X, y)
    with no_compute():
        pred, proba = inc.predict(Xd), inc.predict_proba(Xd)
    assert isinstance(pred, da.Array) and isinstance(proba, da.Array)
    assert pred.numblocks == (3,) and proba.ndim == 2
    assert_array_equal(pred.compute(), inc.estimator_.predict(X))
    assert_allclose(proba.compute(), inc.estimator_.predict_proba(X), rtol=1e-12)


# --------------------------------------------------------------------- scoring


@pytest.mark.parametrize("scoring", [None, "accuracy", ["accuracy", "neg_log_loss"]])
def test_score_compute_false_is_lazy_as_dask_ml(xy_dask, scoring):
    X, y = xy_dask
    clf = ParallelPostFit(LogisticRegression(), scoring=scoring).fit(*dask.compute(X, y))
    with no_compute():
        lazy = clf.score(X, y, compute=False)
    eager = clf.score(X, y)
    if isinstance(scoring, list):
        assert set(lazy) == set(eager)
        for key in lazy:
            assert isinstance(lazy[key], da.Array) and lazy[key].compute() == eager[key]
    else:
        assert isinstance(lazy, da.Array) and lazy.shape == ()
        assert lazy.compute() == eager
        # in memory: computed, as scikit-learn's
        assert clf.score(*dask.compute(X, y), compute=False) == clf.estimator_.score(
            *dask.compute(X, y))


def test_score_defaults_to_the_estimators_metric_blockwise(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), shuffle_blocks=False).fit(X, y)
    expected = accuracy_score(y.compute(), inc.estimator_.predict(X.compute()))
    assert inc.score(X, y) == pytest.approx(expected)
    assert isinstance(inc.score(X, y), float)
    reg = Incremental(SGDRegressor(random_state=0)).fit(X, y.astype(float))
    assert reg.score(X, y.astype(float)) == pytest.approx(
        reg.estimator_.score(X.compute(), y.compute().astype(float))
    )


def test_score_with_an_estimators_own_score_decomposes_over_blocks(xy_dask):
    X, _ = xy_dask
    inc = Incremental(MiniBatchKMeans(n_clusters=2, random_state=0, n_init=1)).fit(X)
    assert inc.score(X) == pytest.approx(inc.estimator_.score(X.compute()))


def test_scoring_by_name_and_by_callable(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(loss="log_loss", random_state=0),
                      scoring="neg_log_loss").fit(X, y)
    expected = -log_loss(y.compute(), inc.estimator_.predict_proba(X.compute()))
    assert inc.score(X, y) == pytest.approx(expected)

    seen = []

    def scorer(estimator, X_, y_):
        seen.append((estimator, type(X_), type(estimator.predict(X_))))
        return 0.25

    inc2 = Incremental(SGDClassifier(random_state=0), scoring=scorer).fit(X, y)
    assert inc2.score(X, y) == 0.25
    assert seen == [(inc2, da.Array, da.Array)]  # the wrapper, and lazy predictions


def test_multi_metric_scoring_returns_a_dict_in_one_pass(xy_dask):
    X, y = xy_dask
    calls = []

    class Counting(SGDClassifier):
        def predict(self, X):
            calls.append(X.shape[0])
            return super().predict(X)

    for scoring in (["accuracy", "neg_mean_squared_error"],
                    {"acc": "accuracy", "mse": "neg_mean_squared_error"}):
        inc = Incremental(Counting(random_state=0), scoring=scoring).fit(X, y)
        calls.clear()
        with dask.config.set(scheduler="sync"):
            got = inc.score(X, y)
        keys = list(scoring) if isinstance(scoring, list) else ["acc", "mse"]
        assert list(got) == keys
        # every row predicted once for both metrics (the 4 small blocks in one task)
        assert sum(calls) == X.shape[0]
        pred = inc.estimator_.predict(X.compute())
        assert got[keys[0]] == pytest.approx(accuracy_score(y.compute(), pred))
        assert got[keys[1]] == pytest.approx(-np.mean((y.compute() - pred) ** 2))


def test_bad_scoring_fails_at_fit_before_any_block_is_loaded(xy_dask):
    X, y = xy_dask
    with no_compute(), pytest.raises(ValueError, match=r"scoring='acuracy'.*accuracy"):
        Incremental(SGDClassifier(), scoring="acuracy").fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="scoring"):
        ParallelPostFit(SGDClassifier(), scoring=3).fit(*dask.compute(X, y))


@pytest.mark.parametrize("metric", ["sklearn", "ours"])
def test_metric_function_as_scoring_is_refused_at_fit(xy_dask, metric):
    from sklearn.metrics import make_scorer

    from dask_variants import metrics

    func = accuracy_score if metric == "sklearn" else metrics.accuracy_score
    X, y = xy_dask
    msg = "looks like it is a metric function rather than a scorer.*make_scorer"
    with no_compute(), pytest.raises(ValueError, match=msg):
        Incremental(SGDClassifier(), scoring=func).fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=msg):
        ParallelPostFit(LogisticRegression(), scoring=func).fit(*dask.compute(X, y))
    with pytest.raises(ValueError, match=msg):  # scikit-learn's own message
        from sklearn.metrics import check_scoring
        check_scoring(LogisticRegression(), scoring=accuracy_score)
    inc = Incremental(SGDClassifier(random_state=0), scoring=make_scorer(func))
    inc.fit(X, y, classes=[0, 1])
    assert inc.score(X, y) == accuracy_score(*dask.compute(y, inc.predict(X)))


# ---------------------------------------------------------------------- errors


def test_estimator_without_partial_fit_is_a_clear_error(xy_dask):
    X, y = xy_dask
    inc = Incremental(LogisticRegression())
    with no_compute():
        for call in (inc.fit, inc.partial_fit):
            match = r"LogisticRegression\(\) has none.*ParallelPostFit"
            with pytest.raises(TypeError, match=match):
                call(X, y)


def test_unknown_fit_param_fails_before_any_block_is_loaded(xy_dask):
    X, y = xy_dask
    with no_compute(), pytest.raises(TypeError, match=r"does not take \['bogus'\]"):
        Incremental(SGDClassifier()).fit(X, y, classes=[0, 1], bogus=1)


def test_not_fitted_and_missing_attributes(xy_dask):
    X, _ = xy_dask
    inc = Incremental(SGDClassifier())
    with pytest.raises(NotFittedError):
        inc.predict(X)
    with pytest.raises(AttributeError, match="Call fit"):
        inc.coef_
    assert not hasattr(inc, "coef_")
    assert not hasattr(Incremental(SGDClassifier()), "predict_proba")  # hinge loss
    assert not hasattr(Incremental(SGDClassifier()), "transform")


def test_failed_block_leaves_the_fitted_estimator_unchanged(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0)).fit(X, y)
    before = inc.coef_.copy()
    bad_y = da.where(da.arange(y.shape[0], chunks=y.chunks) == 100, 7, y)
    with pytest.raises(ValueError, match="block"):
        inc.partial_fit(X, bad_y)
    assert_allclose(inc.coef_, before)


# -------------------------------------------------------------- the contract


def test_clone_get_params_set_params_and_tags():
    inc = Incremental(SGDClassifier(alpha=0.1), scoring="accuracy", random_state=2)
    params = inc.get_params()
    assert params["estimator__alpha"] == 0.1 and params["random_state"] == 2
    inc.set_params(estimator__alpha=0.5, shuffle_blocks=False)
    assert inc.estimator.alpha == 0.5 and inc.shuffle_blocks is False
    twin = clone(inc)
    assert twin.get_params()["estimator__alpha"] == 0.5
    assert twin.estimator is not inc.estimator
    assert is_classifier(inc) and not is_regressor(inc)
    assert is_regressor(ParallelPostFit(SGDRegressor()))
    assert repr(Incremental(SGDClassifier(random_state=10, max_iter=100))) == (
        "Incremental(estimator=SGDClassifier(max_iter=100, random_state=10))"
    )


def test_pickle_round_trip_fitted_and_unfitted(xy_dask):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), scoring="accuracy")
    assert pickle.loads(pickle.dumps(inc)).get_params()["scoring"] == "accuracy"
    inc.fit(X, y)
    back = pickle.loads(pickle.dumps(inc))
    assert_allclose(back.coef_, inc.coef_)
    assert_array_equal(back.predict(X).compute(), inc.predict(X).compute())


def test_wrapping_a_variant_instance(xy_dask):
    X, y = xy_dask
    inc = Incremental(incremental.SGDClassifier(random_state=0), shuffle_blocks=False)
    inc.fit(X, y)
    ref = hand_loop(SGDClassifier(random_state=0), X, y, classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)
    assert isinstance(inc.predict(X), da.Array)


# -------------------------------------------------------------- ParallelPostFit


def test_parallel_post_fit_fits_as_sklearn_and_predicts_lazily(xy_dask):
    X, y = xy_dask
    Xc, yc = dask.compute(X, y)
    clf = ParallelPostFit(LogisticRegression()).fit(Xc, yc)
    ref = LogisticRegression().fit(Xc, yc)
    assert_allclose(clf.coef_, ref.coef_)
    with no_compute():
        proba = clf.predict_proba(X)
        log_proba = clf.predict_log_proba(X)
        dec = clf.decision_function(X)
    assert_eq(proba, ref.predict_proba(Xc), check_graph=False)
    assert_eq(log_proba, ref.predict_log_proba(Xc), check_graph=False)
    assert_eq(dec, ref.decision_function(Xc), check_graph=False)
    assert clf.score(X, y) == pytest.approx(ref.score(Xc, yc))
    assert not hasattr(clf, "partial_fit")
    assert hasattr(ParallelPostFit(GaussianNB()), "partial_fit")


def test_parallel_post_fit_takes_an_already_fitted_estimator(xy_dask):
    X, y = xy_dask
    fitted = LogisticRegression().fit(*dask.compute(X, y))
    clf = ParallelPostFit(fitted)
    assert_allclose(clf.coef_, fitted.coef_)
    assert_array_equal(clf.predict(X).compute(), fitted.predict(X.compute()))


def test_parallel_post_fit_partial_fit_in_memory(xy_classification):
    X, y = xy_classification
    clf = ParallelPostFit(GaussianNB())
    clf.partial_fit(X[:60], y[:60], classes=[0, 1]).partial_fit(X[60:], y[60:])
    ref = GaussianNB().partial_fit(X[:60], y[:60], classes=[0, 1]).partial_fit(X[60:], y[60:])
    assert_allclose(clf.theta_, ref.theta_)


# ------------------------------------------------ scikit-learn's estimator checks


@pytest.mark.parametrize(
    "wrapper",
    [
        Incremental(SGDClassifier(random_state=0)),
        Incremental(SGDRegressor(random_state=0)),
        Incremental(GaussianNB()),
        Incremental(StandardScaler()),
        Incremental(MiniBatchKMeans(n_clusters=3, n_init=1, random_state=0)),
        ParallelPostFit(LogisticRegression()),
        ParallelPostFit(StandardScaler()),
    ],
    ids=repr,
)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_wrappers_pass_sklearn_check_estimator(wrapper):
    """On in-memory input a wrapper is a well-behaved scikit-learn estimator."""
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(wrapper, on_fail=None)
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert failed == []


def test_fit_transform_and_fit_predict(xy_dask, xy_classification):
    X, y = xy_dask
    with no_compute():
        scaler = Incremental(StandardScaler())
    out = scaler.fit_transform(X)
    assert isinstance(out, da.Array)
    assert_eq(out, StandardScaler().fit_transform(X.compute()), check_graph=False)
    km = Incremental(MiniBatchKMeans(n_clusters=2, n_init=1, random_state=0))
    labels = km.fit_predict(X)
    assert isinstance(labels, da.Array)
    assert_array_equal(labels.compute(), km.estimator_.predict(X.compute()))
    assert not hasattr(Incremental(SGDClassifier()), "fit_transform")
    assert not hasattr(Incremental(SGDClassifier()), "fit_predict")
    Xc, _ = xy_classification
    ppf = ParallelPostFit(StandardScaler())
    assert_allclose(ppf.fit_transform(Xc), StandardScaler().fit_transform(Xc))
    assert hasattr(ppf, "estimator_")


def test_classes_from_in_memory_y(xy_classification):
    X, y = xy_classification
    inc = Incremental(SGDClassifier(random_state=0)).fit(X, y)
    ref = SGDClassifier(random_state=0).partial_fit(X, y, classes=[0, 1])
    assert_allclose(inc.coef_, ref.coef_)
    with pytest.raises(ValueError, match="Unknown label type"):
        Incremental(SGDClassifier()).fit(X, X[:, 0])


def test_incremental_is_deterministic_on_every_local_scheduler(xy_dask, scheduler):
    X, y = xy_dask
    inc = Incremental(SGDClassifier(random_state=0), random_state=1).fit(X, y)
    with dask.config.set(scheduler="sync"):
        ref = Incremental(SGDClassifier(random_state=0), random_state=1).fit(X, y)
    assert_allclose(inc.coef_, ref.coef_)
    assert_array_equal(inc.predict(X).compute(), ref.predict(X).compute())
    assert inc.score(X, y) == ref.score(X, y)


@pytest.mark.parametrize("wrapper, est, method, reason", [
    (ParallelPostFit, LogisticRegression(), "partial_fit", None),
    (Incremental, SGDClassifier(), "predict_proba",
     "probability estimates are not available for loss='hinge'"),
    (Incremental, StandardScaler(), "score", None),
])
def test_missing_method_says_why_as_dask_ml(wrapper, est, method, reason):
    w = wrapper(est)
    assert not hasattr(w, method)
    with pytest.raises(AttributeError) as info:
        getattr(w, method)
    msg = str(info.value)
    assert msg.startswith(f"This {wrapper.__name__!r} has no attribute {method!r}. ")
    assert f"The wrapped estimator {est!r} does not have a {method!r} method" in msg
    assert isinstance(info.value.__cause__, AttributeError)
    if reason is not None:
        assert reason in msg and reason in str(info.value.__cause__.__cause__)
