"""Declared output meta: width, dtype and sparsity as scikit-learn returns them; frame
outputs with string names (parquet-ready) and the dtypes of strings."""
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import dask_variants.iid as iid
import dask_variants.incremental as incremental

from tests.checks import no_compute

rng = np.random.RandomState(0)
DF = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
Y = pd.Series((DF["a"] > 0).astype(int) + (DF["b"] > 1), name="churn")


def _dask(obj):
    return dd.from_pandas(obj, npartitions=3)


@pytest.mark.parametrize("make", [
    lambda: iid.LogisticRegression(),
    lambda: incremental.SGDClassifier(loss="log_loss", random_state=0),
], ids=["iid", "incremental"])
def test_meta_frame_outputs_have_string_names(make, tmp_path):
    X = _dask(DF)
    clf = make().fit(X, _dask(Y))
    with no_compute():
        pred, proba, decision = clf.predict(X), clf.predict_proba(X), clf.decision_function(X)
    assert pred.name == "churn" and pred._meta.name == "churn"
    assert list(proba.columns) == ["0", "1", "2"]
    assert list(decision.columns) == ["0", "1", "2"]
    assert pred.compute().name == "churn"
    pred.to_frame().to_parquet(tmp_path / "pred.parquet")
    proba.to_parquet(tmp_path / "proba.parquet")
    back = dd.read_parquet(tmp_path / "pred.parquet").compute()
    assert_array_equal(back["churn"].to_numpy(), clf.predict(DF))


def test_meta_names_without_a_target_name():
    X = _dask(DF)
    clf = iid.LogisticRegression().fit(X, _dask(Y).to_dask_array(lengths=True))
    assert clf.predict(X).name == "prediction"
    binary = iid.LogisticRegression().fit(DF, Y > 0)  # fitted in memory: nothing recorded
    assert binary.predict(X).name == "prediction"
    assert binary.decision_function(X).name == "decision_function"
    # a later dask fit on an unnamed y forgets the earlier name
    clf.fit(X, _dask(Y))
    assert clf.predict(X).name == "churn"
    clf.fit(X, _dask(Y).to_dask_array(lengths=True))
    assert clf.predict(X).name == "prediction"


def test_meta_multi_output_predict_takes_the_target_columns():
    Y2 = pd.DataFrame({"y1": DF["a"] * 2, "y2": DF["b"] - 1})
    reg = iid.LinearRegression().fit(_dask(DF), _dask(Y2))
    out = reg.predict(_dask(DF))
    assert list(out.columns) == ["y1", "y2"]
    np.testing.assert_allclose(out.compute().to_numpy(), reg.predict(DF))


def test_meta_transform_columns_are_strings():
    X = _dask(DF)
    assert list(iid.PCA(2).fit(X).transform(X).columns) == ["pca0", "pca1"]
    assert list(iid.StandardScaler().fit(X).transform(X).columns) == ["a", "b"]


def _strings():
    return pd.DataFrame({"n": np.arange(6.0), "s": pd.array(list("aab?cz"), dtype="str"),
                         "t": pd.array(list("uvwxyz"), dtype="str")})


def test_meta_string_outputs_declare_object_or_the_columns_dtypes():
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    df = _strings()
    X = _dask(df)
    imputer = iid.SimpleImputer(strategy="most_frequent").fit(X)
    out = imputer.transform(X)
    assert out._meta.dtypes.tolist() == [object] * 3
    assert out.compute().dtypes.tolist() == [object] * 3
    ct = iid.ColumnTransformer([("oh", OneHotEncoder(sparse_output=False, dtype=np.int8), ["s"])],
                               remainder="passthrough").set_output(transform="pandas").fit(X)
    with no_compute():
        out = ct.transform(X)
    ref = ColumnTransformer([("oh", OneHotEncoder(sparse_output=False, dtype=np.int8), ["s"])],
                            remainder="passthrough").set_output(transform="pandas").fit(df)
    assert list(out.columns) == list(ref.get_feature_names_out())
    got = out.compute()
    assert out._meta.dtypes.to_dict() == got.dtypes.to_dict()
    assert got.dtypes.iloc[0] == np.int8 and got.dtypes["remainder__n"] == np.float64
    assert_array_equal(got["remainder__t"].to_numpy(), df["t"].to_numpy())
    identity = iid.FunctionTransformer().fit(X)
    out = identity.transform(X)
    assert list(out.columns) == ["n", "s", "t"]
    assert out._meta.dtypes.to_dict() == out.compute().dtypes.to_dict()


# --------------------------------------------------------------------------- output_spec


def _fitted(est, y=None):
    X = np.abs(DF.to_numpy()) + 0.1
    return est.fit(X, y) if y is not None else est.fit(X), X


def _specs():
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression, LogisticRegression, SGDClassifier
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.preprocessing import LabelEncoder, OneHotEncoder, StandardScaler

    labels = np.where(Y.to_numpy() > 0, "yes", "no")
    two = np.column_stack([Y.to_numpy(), -Y.to_numpy()]).astype(float)
    return [
        (LogisticRegression(), Y.to_numpy(), "predict"),
        (LogisticRegression(), labels, "predict"),            # object classes_
        (LogisticRegression(), Y.to_numpy(), "predict_proba"),
        (SGDClassifier(random_state=0), labels, "decision_function"),
        (MultinomialNB(), Y.to_numpy(), "predict_joint_log_proba"),
        (LinearRegression(), two, "predict"),                 # two targets
        (RandomForestRegressor(n_estimators=3, random_state=0), two[:, 0], "apply"),
        (KMeans(n_clusters=3, n_init=1, random_state=0), None, "transform"),
        (PCA(n_components=1), None, "transform"),
        (StandardScaler(), None, "inverse_transform"),
        (OneHotEncoder(), None, "transform"),                 # sparse
    ] + [(LabelEncoder(), None, "label")]


@pytest.mark.parametrize("case", range(len(_specs())))
def test_output_spec_declares_what_the_method_returns(case):
    """The declared width, dtype and sparsity are those of scikit-learn's own output."""
    import scipy.sparse

    from dask_variants.blocks._meta import output_spec

    est, y, method = _specs()[case]
    if method == "label":  # a label transformer: X is the labels themselves
        labels = np.array(["b", "a", "c", "a"] * 5)
        est.fit(labels)
        X, method = labels, "transform"
    else:
        est, X = _fitted(est, y)
        if method == "transform" and hasattr(est, "categories_"):
            X = np.round(X)
            est.fit(X)
    spec = output_spec(est, method, _dask(pd.DataFrame(X)) if X.ndim == 2 else
                       dd.from_pandas(pd.Series(X), npartitions=2))
    got = getattr(est, method)(X)
    assert spec.tail == got.shape[1:], (spec, got.shape)
    assert np.dtype(spec.dtype) == got.dtype, (spec, got.dtype)
    assert spec.sparse == scipy.sparse.issparse(got)


def test_meta_column_transformer_declares_its_fitted_sparse_output():
    """A sparse ColumnTransformer result of a frame is a dask array of sparse blocks (it
    was declared a dense frame, and failed at compute); its width from the fit."""
    import scipy.sparse
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

    rng = np.random.RandomState(0)
    df = pd.DataFrame({"n": rng.normal(size=60),
                       "s": pd.array(rng.choice(list("abcdefghijklmnop"), 60), dtype="str")})
    X = dd.from_pandas(df, npartitions=3)
    steps = [("f", FunctionTransformer(np.abs), ["n"]), ("oh", OneHotEncoder(), ["s"])]
    ct = iid.ColumnTransformer(steps).fit(X)
    ref = ColumnTransformer(steps).fit(df)
    assert ct.sparse_output_ and ref.sparse_output_
    with no_compute():
        out = ct.transform(X)
    assert out.shape[1] == ref.transform(df).shape[1]  # no output names: from the fit
    got = out.compute()
    assert scipy.sparse.issparse(got) and scipy.sparse.issparse(out._meta)
    assert_array_equal(got.toarray(), ref.transform(df).toarray())
