"""Bad input gets a clear error, before any block is loaded, and the fitted state stays."""
import dask
import dask.array as da
import dask.bag as db
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import dask_variants.iid as iid
import dask_variants.incremental as incremental

rng = np.random.RandomState(0)
X_NP = rng.normal(size=(60, 3))
Y_NP = (X_NP[:, 0] > 0).astype(int)


def _poisoned(shape, chunks):
    """A dask array any of whose blocks raises when computed."""
    def boom(block):
        raise AssertionError("a block was loaded before the input was checked")
    return da.zeros(shape, chunks=chunks).map_blocks(boom, dtype=float)


@pytest.fixture
def fitted():
    X, y = da.from_array(X_NP, chunks=20), da.from_array(Y_NP, chunks=20)
    return incremental.SGDClassifier(random_state=0).fit(X, y), iid.LogisticRegression().fit(X, y)


def _unchanged(ests, call):
    before = [e.coef_.copy() for e in ests]
    for est in ests:
        call(est)
    for est, coef in zip(ests, before):
        assert_allclose(est.coef_, coef)


@pytest.mark.parametrize("kind", ["incremental", "iid"])
def test_validation_x_not_2d(kind, fitted):
    est = fitted[0] if kind == "incremental" else fitted[1]
    X = _poisoned((60,), 20)
    with pytest.raises(ValueError, match=r"expects a 2-D array.*got a 1-D dask array of shape \(60,\).*reshape"):
        est.fit(X, da.from_array(Y_NP, chunks=20))
    with pytest.raises(ValueError, match="expects a 2-D array"):
        est.predict(X)
    assert est.coef_.shape == (1, 3)


def test_validation_y_rows_do_not_match(fitted):
    X = _poisoned((60, 3), 20)
    for est in fitted:
        with pytest.raises(ValueError, match="y has 50 rows but X has 60"):
            est.fit(X, da.zeros(50, chunks=25))
        with pytest.raises(ValueError, match="sample_weight has 10 rows but X has 60"):
            est.fit(X, da.from_array(Y_NP, chunks=20), sample_weight=np.ones(10))


def test_validation_y_not_alignable_with_unknown_sizes(fitted):
    X = da.from_array(X_NP, chunks=20)
    X = X[X[:, 0] > -100]  # unknown sizes, 3 blocks
    y = da.from_array(Y_NP, chunks=30)
    y = y[y >= 0]  # unknown sizes, 2 blocks
    with pytest.raises(ValueError, match=r"cannot align y with X.*compute_chunk_sizes"):
        fitted[0].fit(X, y)
    with pytest.raises(ValueError, match="cannot split y"):
        fitted[0].fit(X, Y_NP)


def test_validation_classifier_without_classes_or_y():
    with pytest.raises(ValueError, match="needs the class labels: got classes=None and y=None"):
        incremental.SGDClassifier().fit(_poisoned((60, 3), 20), None)


def test_validation_object_columns(fitted):
    df = pd.DataFrame({"a": np.arange(60.0), "b": ["x"] * 60})
    ddf = dd.from_pandas(df, npartitions=3)
    for est in fitted:
        with pytest.raises(ValueError, match=r"non-numeric columns \['b'\].*Encode or drop"):
            est.fit(ddf, dd.from_pandas(pd.Series(Y_NP), npartitions=3))
    with pytest.raises(ValueError, match="dtype object"):
        fitted[0].fit(da.from_array(X_NP.astype(object), chunks=20), da.from_array(Y_NP, chunks=20))
    # estimators that take categories keep taking them
    enc = iid.OneHotEncoder().fit(ddf[["b"]])
    assert enc.categories_[0].tolist() == ["x"]


@pytest.mark.parametrize("make", [
    lambda: db.from_sequence(range(10)),
    lambda: dask.delayed(np.ones)((10, 3)),
])
def test_validation_bag_or_delayed(make, fitted):
    for est in fitted:
        with pytest.raises(TypeError, match="without row blocks.*Convert it first"):
            est.fit(make(), da.from_array(Y_NP, chunks=20))
        with pytest.raises(TypeError, match="without row blocks"):
            est.predict(make())


def test_validation_estimator_without_partial_fit():
    from sklearn.svm import SVC

    with pytest.raises(AttributeError, match="SVC has no partial_fit.*dask_variants.iid.SVC"):
        incremental.SVC
    with pytest.raises(TypeError, match="SVC has no partial_fit"):
        incremental.variant(SVC)


def test_validation_errors_leave_the_fitted_state(fitted):
    X_bad = _poisoned((60,), 20)

    def bad_calls(est):
        for call in (lambda: est.fit(X_bad, Y_NP), lambda: est.fit(db.from_sequence([1]), Y_NP)):
            with pytest.raises((ValueError, TypeError)):
                call()
    _unchanged(fitted, bad_calls)


def _poisoned_frame():
    """A dask frame of numbers, strings and categories whose every partition raises."""
    df = pd.DataFrame({"n": np.arange(6.0), "s": pd.array(list("aabbcz"), dtype="str"),
                       "k": pd.Categorical(list("xxyyxw"))})

    def boom(part):
        raise AssertionError("a partition was loaded before the input was checked")
    return dd.from_pandas(df, npartitions=3).map_partitions(boom, meta=df.iloc[:0])


def _takers():
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import (
        FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler)

    return [
        OneHotEncoder(), OrdinalEncoder(),
        ColumnTransformer([("num", StandardScaler(), ["n"]), ("cat", OneHotEncoder(), ["s", "k"])]),
        ColumnTransformer([("num", StandardScaler(), make_column_selector(dtype_include="number"))],
                          remainder=OneHotEncoder()),
        ColumnTransformer([("cat", OrdinalEncoder(), ["s", "k"])], remainder="passthrough"),
        make_pipeline(OneHotEncoder(), StandardScaler(with_mean=False)),
        make_pipeline("passthrough", SimpleImputer(strategy="most_frequent"), OneHotEncoder()),
        FeatureUnion([("a", OneHotEncoder()), ("b", OrdinalEncoder())]),
        FunctionTransformer(), SimpleImputer(strategy="constant", fill_value="?"),
    ]


@pytest.mark.parametrize("est", _takers(), ids=lambda e: type(e).__name__)
def test_validation_frames_with_strings_go_to_estimators_that_take_them(est):
    from dask_variants.utils.validation import check_dask_X

    X = _poisoned_frame()
    assert check_dask_X(iid.variant(type(est))(**est.get_params(deep=False)), X, "fit") is X


def test_validation_hist_gradient_boosting_takes_category_not_string_columns():
    from dask_variants.utils.validation import check_dask_X

    X = _poisoned_frame()
    est = iid.HistGradientBoostingClassifier()
    assert check_dask_X(est, X[["n", "k"]], "fit") is not None
    with pytest.raises(ValueError, match=r"non-numeric columns \['s'\]"):
        check_dask_X(est, X, "fit")


def _refusers():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    return [
        (StandardScaler(), r"\['s', 'k'\]; StandardScaler needs numbers"),
        (SimpleImputer(), r"\['s', 'k'\]; SimpleImputer needs numbers"),
        (FunctionTransformer(validate=True), r"\['s', 'k'\]; FunctionTransformer needs"),
        (make_pipeline(StandardScaler(), OneHotEncoder()),
         r"\['s', 'k'\]; Pipeline hands them to StandardScaler, which need numbers"),
        (ColumnTransformer([("num", StandardScaler(), ["n", "s"])], remainder="passthrough"),
         r"\['s'\]; ColumnTransformer hands them to StandardScaler, which need numbers"),
        (ColumnTransformer([("cat", OneHotEncoder(), ["s"])], remainder=StandardScaler()),
         r"\['k'\]; ColumnTransformer hands them to StandardScaler"),
    ]


@pytest.mark.parametrize("est, message", _refusers(), ids=lambda e: type(e).__name__)
def test_validation_numeric_only_estimators_name_the_columns(est, message):
    variant = iid.variant(type(est))(**est.get_params(deep=False))
    with pytest.raises(ValueError, match=r"got a dask DataFrame with non-numeric columns "
                                         + message + r".*Encode or drop those columns"):
        variant.fit(_poisoned_frame())


def test_validation_meta_estimators_follow_the_estimator_they_wrap():
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    from dask_variants.utils.validation import check_dask_X
    from dask_variants.wrappers import ParallelPostFit

    X = _poisoned_frame()
    takes = make_pipeline(ColumnTransformer([("c", OneHotEncoder(), ["s", "k"])],
                                            remainder="passthrough"), LogisticRegression())
    for wrapper in (ParallelPostFit(takes), GridSearchCV(takes, {"logisticregression__C": [1]})):
        assert check_dask_X(wrapper, X, "predict") is X
    with pytest.raises(ValueError, match=r"\['s', 'k'\]; ParallelPostFit hands them to "
                                         r"LogisticRegression, which need numbers"):
        check_dask_X(ParallelPostFit(LogisticRegression()), X, "predict")


# errors about the estimator or the whole input are scikit-learn's, raised once (issue 11)

def _wrapped(est, **kwargs):
    from dask_variants.wrappers import Incremental
    return Incremental(est, **kwargs)


@pytest.mark.parametrize("make", [
    lambda: incremental.SGDClassifier(loss="log"),
    lambda: iid.SGDClassifier(loss="log"),
    lambda: iid.LogisticRegression(C=-1.0),
    lambda: _wrapped(__import__("sklearn.linear_model").linear_model.SGDClassifier(loss="log")),
])
def test_invalid_parameter_is_scikit_learns_error_before_any_block(make):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = _poisoned((60, 3), 20), _poisoned((60,), 20)
    with pytest.raises(InvalidParameterError) as info:
        make().fit(X, y)
    assert "block" not in str(info.value) and info.value.__cause__ is None
    est = make()
    with pytest.raises(InvalidParameterError) as ref:
        (est.estimator if hasattr(est, "estimator") else est)._validate_params()
    assert str(info.value) == str(ref.value)


def _counting_y(values, chunks, loaded):
    def load(block, block_info=None):
        loaded.append(block_info[0]["chunk-location"][0])
        return block
    return da.from_array(values, chunks=chunks).map_blocks(load, dtype=values.dtype)


@pytest.mark.parametrize("make, kwargs, x_reads", [
    (lambda: incremental.SGDClassifier(), {}, False),
    (lambda: incremental.SGDClassifier(shuffle_blocks=False), {"classes": [0, 1]}, True),
    (lambda: incremental.MultinomialNB(), {}, False),
    (lambda: incremental.MultinomialNB(), {"classes": [0, 1]}, False),  # the merge
    (lambda: _wrapped(__import__("sklearn.linear_model").linear_model.SGDClassifier(),
                      shuffle_blocks=False), {"classes": [0, 1]}, True),
])
def test_continuous_target_for_a_classifier_is_reported_once_as_scikit_learn(
        make, kwargs, x_reads):
    from sklearn.utils.multiclass import check_classification_targets

    y_cont = np.linspace(0.05, 0.95, 60)
    loaded, x_loaded = [], []
    X = _counting_y(np.ones((60, 3)), 20, x_loaded) if kwargs else _poisoned((60, 3), 20)
    y = _counting_y(y_cont, 20, loaded)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(ValueError) as info:
            make().fit(X, y, **kwargs)
    with pytest.raises(ValueError) as ref:
        check_classification_targets(y_cont[:20])  # what partial_fit and fit check
    assert str(info.value) == str(ref.value) and "Unknown label type: continuous" in str(ref.value)
    assert "block" not in str(info.value)
    # without classes: the pass computing them, no X block. With classes: the first
    # load of the fit (small blocks of known size: one batch of them), checked before
    # any partial_fit, no block read twice. The merge, which fits every block at once,
    # checks each block's y in that block's task (X and y loaded together, once).
    if not kwargs:
        assert sorted(loaded) == [0, 1, 2] and x_loaded == []
    elif x_reads:
        assert sorted(loaded) == sorted(x_loaded) == sorted(set(x_loaded)) and 0 in x_loaded
    else:
        assert loaded and sorted(loaded) == sorted(set(loaded))
        assert set(x_loaded) <= set(range(3)) and sorted(x_loaded) == sorted(set(x_loaded))


def test_target_check_samples_the_first_non_empty_block():
    from dask_variants.utils.validation import check_target as check_before_blocks

    est = incremental.SGDClassifier()
    # a dask y with classes given: the check is left to the first block fitted
    check = check_before_blocks(est, da.from_array(np.array([0, 1, 0.5]), chunks=1),
                                {"classes": [0, 1]}, {"classes": [0, 1]})
    with pytest.raises(ValueError, match="continuous"):
        check(np.array([0.5, 1]))
    with pytest.raises(ValueError, match="continuous"):  # in memory: all of y, now
        check_before_blocks(est, np.array([0, 1, 0.5]))
    assert check_before_blocks(incremental.SGDRegressor(), np.array([0, 1, 0.5])) is None
    # the first non-empty block fitted is checked, on every driver
    Xn = np.abs(X_NP[:6])
    for chunks, bad in [(((0, 2, 4),), True), (((0, 5, 1),), False)]:
        X = da.from_array(Xn, chunks=(chunks[0], 3))
        y = da.from_array(np.array([0.5, 1, 1, 0, 1, 0]) if bad
                          else np.array([0, 1, 1, 0, 1, 0.5]), chunks=chunks)
        for make in (lambda: incremental.SGDClassifier(shuffle_blocks=False),
                     lambda: incremental.GaussianNB()):
            if bad:
                with pytest.raises(ValueError, match="^Unknown label type: continuous"):
                    make().fit(X, y, classes=[0, 1])
            elif "SGD" in repr(make()):
                # later blocks are left to scikit-learn, which names the block
                with pytest.raises(ValueError, match="block 2 of 3.*classes should include"):
                    make().fit(X, y, classes=[0, 1])


@pytest.mark.parametrize("wrong", ["width", "names", "order"])
@pytest.mark.parametrize("who", ["incremental", "iid", "wrapper"])
def test_predict_with_wrong_columns_fails_at_the_call(wrong, who):
    from sklearn.linear_model import LogisticRegression

    from dask_variants.wrappers import ParallelPostFit

    pdf = pd.DataFrame(np.abs(X_NP), columns=["a", "b", "c"])
    df, y = dd.from_pandas(pdf, npartitions=3), pd.Series(Y_NP)
    est = {"incremental": lambda: incremental.SGDClassifier(random_state=0),
           "iid": lambda: iid.LogisticRegression(),
           "wrapper": lambda: ParallelPostFit(LogisticRegression())}[who]()
    est.fit(pdf, y)
    bad = {"width": df.assign(d=1.0), "names": df.rename(columns={"c": "z"}),
           "order": df[["b", "a", "c"]]}[wrong]
    ref = LogisticRegression().fit(pdf, y)
    with pytest.raises(ValueError) as expected:
        ref.predict(bad._meta)
    for method in ("predict", "decision_function", "score"):
        args = (bad, dd.from_pandas(y, npartitions=3)) if method == "score" else (bad,)
        with dask.config.set(scheduler=lambda *a, **k: pytest.fail("computed")):
            with pytest.raises(ValueError) as info:
                getattr(est, method)(*args)
        assert str(info.value) == str(expected.value).replace("LogisticRegression",
                                                              type(est.__dict__.get(
                                                                  "estimator_", est)).__name__)
    arr = da.from_array(np.ones((6, 4)), chunks=3)
    with pytest.raises(ValueError, match="X has 4 features, but .* is expecting 3 features"):
        est.predict(arr)


def test_estimators_that_do_not_validate_their_input_are_left_alone():
    from dask_variants.utils.validation import check_columns

    ft = iid.FunctionTransformer(validate=False).fit(np.ones((4, 3)))
    assert ft.__sklearn_tags__().no_validation
    check_columns(ft, da.ones((4, 5), chunks=2))  # scikit-learn's transform accepts it too
    pca = incremental.IncrementalPCA(n_components=2).fit(da.from_array(X_NP, chunks=20))
    back = pca.inverse_transform(pca.transform(da.from_array(X_NP, chunks=20)))
    assert back.shape == (60, 3)  # inverse_transform takes the output's columns
