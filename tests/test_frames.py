"""DataFrames end to end: a parquet frame with string and category columns.

A user's scikit-learn pipeline, a ColumnTransformer over numeric and categorical columns,
pointed at ``dd.read_parquet(...)`` with only the imports changed: it fits, predicts
lazily, scores and writes its predictions to parquet. Encoders learn every partition's
categories (a category only the last files hold included) and equal scikit-learn on the
concatenated frame.
"""
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone

import dask_variants.iid as iid
import dask_variants.incremental as incremental

from tests.checks import no_compute

NUM, CAT = ["num1", "num2"], ["city", "plan"]


def _views(path):
    ddf = dd.read_parquet(path)
    return ddf.drop(columns="target"), ddf["target"]


def _assert_categories_equal(got, ref):
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        assert_array_equal(g, r)
        assert g.dtype == r.dtype


def test_frames_parquet_pipeline_fits_predicts_and_writes(parquet_frame, tmp_path):
    from sklearn.pipeline import make_pipeline

    # only these imports differ from the scikit-learn pipeline
    from dask_variants.iid.compose import ColumnTransformer
    from dask_variants.iid.preprocessing import OneHotEncoder
    from dask_variants.incremental.linear_model import SGDClassifier
    from dask_variants.incremental.preprocessing import StandardScaler

    X, y = _views(parquet_frame)
    assert X.npartitions == 6
    pre = ColumnTransformer([("num", StandardScaler(), NUM), ("cat", OneHotEncoder(), CAT)])
    pipe = make_pipeline(pre, SGDClassifier(random_state=0, epochs=5))
    assert pipe.fit(X, y) is pipe
    categories = pipe[0].named_transformers_["cat"].categories_
    assert [c.tolist() for c in categories] == [
        ["ams", "ber", "cph", "dub"], ["free", "pro", "team"]]
    assert pipe.get_params()["columntransformer__cat__categories"] == "auto"
    with no_compute():
        pred = pipe.predict(X)
    assert isinstance(pred, dd.Series) and pred.name == "target"
    Xc = X.compute()
    assert_array_equal(pred.compute().to_numpy(), pipe.predict(Xc))
    pred.to_frame().to_parquet(tmp_path / "pred.parquet")
    back = dd.read_parquet(tmp_path / "pred.parquet").compute()
    assert list(back.columns) == ["target"]
    assert_array_equal(back["target"].to_numpy(), pipe.predict(Xc))
    assert pipe.score(X, y) > 0.7  # needs X and y, views of one frame, to pair rows


def test_frames_column_transformer_equals_sklearn_on_the_concatenated_frame(parquet_frame):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    X, _ = _views(parquet_frame)
    Xc = X.compute()
    steps = [("onehot", OneHotEncoder(sparse_output=False), ["city"]),
             ("ordinal", OrdinalEncoder(), ["plan"])]
    ct = iid.ColumnTransformer(steps, remainder="passthrough").set_output(transform="pandas")
    ref = ColumnTransformer(steps, remainder="passthrough").set_output(transform="pandas")
    ct.fit(X)  # fits on the first partition, which holds neither "dub" nor "team"
    ref.fit(Xc)
    for name in ("onehot", "ordinal"):
        _assert_categories_equal(ct.named_transformers_[name].categories_,
                                 ref.named_transformers_[name].categories_)
        assert ct.named_transformers_[name].categories == "auto"
    assert ct.get_params() == ct.get_params() and clone(ct).get_params()["onehot__categories"] == "auto"
    with no_compute():
        out = ct.transform(X)
    assert isinstance(out, dd.DataFrame)
    assert list(out.columns) == list(ref.get_feature_names_out())
    pd.testing.assert_frame_equal(out.compute(), ref.transform(Xc))


def test_frames_string_and_category_columns_are_taken_by_what_takes_them(parquet_frame):
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    X, _ = _views(parquet_frame)
    Xc = X.compute()
    imputer = iid.SimpleImputer(strategy="most_frequent").fit(X[CAT])
    assert imputer.transform(X[CAT]).compute().shape == (240, 2)
    identity = iid.FunctionTransformer().fit(X)
    assert_array_equal(identity.transform(X).compute().to_numpy(), Xc.to_numpy())
    pipe = iid.pipeline.Pipeline([("enc", OneHotEncoder(sparse_output=False)),
                                  ("scale", StandardScaler())]).fit(X[CAT])
    assert [c.tolist() for c in pipe[0].categories_][0] == ["ams", "ber", "cph", "dub"]
    assert pipe.transform(X[CAT]).compute().shape == (240, 7)
    with pytest.raises(ValueError, match=r"non-numeric columns \['city', 'plan'\]; "
                                         r"StandardScaler needs numbers"):
        iid.StandardScaler().fit(X)
    with pytest.raises(ValueError, match=r"non-numeric columns \['city'\]; ColumnTransformer "
                                         r"hands them to StandardScaler, which need numbers"):
        iid.ColumnTransformer([("s", StandardScaler(), ["num1", "city"])]).fit(X)
    for refusing in (SimpleImputer(), FunctionTransformer(validate=True),
                     make_pipeline(StandardScaler(), OneHotEncoder())):
        with pytest.raises(ValueError, match=r"non-numeric columns \['city', 'plan'\]"):
            iid.variant(type(refusing))(**refusing.get_params(deep=False)).fit(X)


def test_frames_predictions_write_to_parquet(parquet_frame, tmp_path):
    X, y = _views(parquet_frame)
    X = X[NUM]
    for clf in (iid.LogisticRegression(), incremental.SGDClassifier(random_state=0,
                                                                     loss="log_loss")):
        clf.fit(X, y)
        pred, proba = clf.predict(X), clf.predict_proba(X)
        assert pred.name == "target" and list(proba.columns) == ["0", "1"]
        name = type(clf).__name__
        pred.to_frame().to_parquet(tmp_path / f"{name}-pred.parquet")
        proba.to_parquet(tmp_path / f"{name}-proba.parquet")
        Xc = X.compute()
        back = dd.read_parquet(tmp_path / f"{name}-pred.parquet").compute()
        assert_array_equal(back["target"].to_numpy(), clf.predict(Xc))
        back = dd.read_parquet(tmp_path / f"{name}-proba.parquet").compute()
        assert_allclose(back.to_numpy(), clf.predict_proba(Xc))


class _CountingReader:
    """Partitions of a frame, each read logged with the columns asked for.

    A ``from_map`` function with a ``columns=`` keyword: dask's optimizer projects the
    columns a computation needs into the read, as parquet does.
    """

    def __init__(self, n=3, rows=10):
        rng = np.random.RandomState(0)
        self.frames = [pd.DataFrame({"a": rng.rand(rows), "b": rng.rand(rows),
                                     "t": np.arange(rows) % 2},
                                    index=range(rows * k, rows * (k + 1))) for k in range(n)]
        self.log = []

    def __dask_tokenize__(self):  # one reader, one frame: dask caches frames by token
        return ("_CountingReader", id(self))

    def __call__(self, k, columns=None):
        cols = list(self.frames[k].columns) if columns is None else list(columns)
        self.log.append((k, tuple(cols)))
        return self.frames[k][cols]

    def views(self):
        n, rows = len(self.frames), len(self.frames[0])
        ddf = dd.from_map(self, range(n), meta=self.frames[0].iloc[:0],
                          divisions=[rows * k for k in range(n)] + [rows * n - 1])
        return ddf.drop(columns="t"), ddf["t"]

    def full_reads(self):
        return sorted(k for k, cols in self.log if cols == ("a", "b", "t"))


def _continuous_target():
    """A counting reader whose target is continuous, its views, and scikit-learn's
    error for that target (``pytest.raises`` info)."""
    from sklearn.utils.multiclass import check_classification_targets

    reader = _CountingReader()
    for f in reader.frames:
        f["t"] = f["a"] / 2
    X, y = reader.views()
    with pytest.raises(ValueError) as ref:
        check_classification_targets(reader.frames[0]["t"])
    return reader, X, y, ref


def _fitters():
    from sklearn.linear_model import SGDClassifier

    from dask_variants.wrappers import Incremental

    return [lambda: incremental.SGDClassifier(random_state=0),
            lambda: Incremental(SGDClassifier(random_state=0))]


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
@pytest.mark.parametrize("which", [0, 1], ids=["variant", "wrapper"])
def test_a_pass_with_classes_given_reads_each_partition_once(scheduler, which):
    """The target check runs on the first block the fit loads: checking y's first
    partition on its own read X's partition 0 a second time (X and y are one frame)."""
    import dask

    reader = _CountingReader()
    X, y = reader.views()
    with dask.config.set(scheduler=scheduler):
        est = _fitters()[which]().fit(X, y, classes=[0, 1])
    assert sorted(k for k, _ in reader.log) == [0, 1, 2]
    assert reader.full_reads() == [0, 1, 2]
    pdf = pd.concat(reader.frames)
    assert est.score(pdf[["a", "b"]], pdf["t"]) >= 0  # fitted
    # a continuous y is still refused with scikit-learn's error, reading one block
    reader, X, y, ref = _continuous_target()
    with dask.config.set(scheduler=scheduler):
        fresh = _fitters()[which]()
        with pytest.raises(ValueError) as info:
            fresh.fit(X, y, classes=[0, 1])
    assert str(info.value) == str(ref.value)
    # no partition read twice; on threads the loaders may have run ahead (prefetch)
    assert reader.full_reads() == sorted({k for k, _ in reader.log})
    assert len(reader.log) == 1 if scheduler == "sync" else 1 <= len(reader.log) <= 3
    assert not hasattr(fresh, "coef_") and not hasattr(fresh, "estimator_")


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_a_merged_fit_with_classes_given_reads_each_partition_once(scheduler):
    """The parallel merge (naive Bayes) checks each block's y in that block's task: no
    partition is read for the check alone."""
    import dask
    from sklearn.naive_bayes import GaussianNB

    reader = _CountingReader()
    X, y = reader.views()
    with dask.config.set(scheduler=scheduler):
        est = incremental.GaussianNB().fit(X, y, classes=[0, 1])
    assert sorted(k for k, _ in reader.log) == [0, 1, 2]
    pdf = pd.concat(reader.frames)
    ref = GaussianNB().fit(pdf[["a", "b"]], pdf["t"])
    assert_allclose(est.theta_, ref.theta_)
    reader, X, y, want = _continuous_target()
    fresh = incremental.GaussianNB()
    with dask.config.set(scheduler=scheduler), pytest.raises(ValueError) as info:
        fresh.fit(X, y, classes=[0, 1])
    assert str(info.value) == str(want.value)  # scikit-learn's error, as it is
    assert len(reader.log) == len({k for k, _ in reader.log})  # none read twice
    assert not hasattr(fresh, "theta_")


@pytest.mark.parametrize("which", [0, 1], ids=["variant", "wrapper"])
def test_the_classes_pass_reads_the_target_column_only(which):
    """Without ``classes``, the one extra pass over y reads y's column, not X's."""
    reader = _CountingReader()
    X, y = reader.views()
    _fitters()[which]().fit(X, y)
    target_reads = sorted(k for k, cols in reader.log if cols == ("t",))
    assert target_reads == [0, 1, 2]
    assert reader.full_reads() == [0, 1, 2]  # the fit's pass: once each
    assert len(reader.log) == 6


@pytest.mark.parametrize("filtered", [False, True])
def test_a_per_row_output_of_more_than_two_dimensions_is_a_dask_array(tmp_path, filtered):
    """``apply`` of gradient boosting (trees per row, per class) has no frame form: on a
    dask frame it is a dask array whose block k is partition k's rows, scikit-learn's
    values on the concatenated rows."""
    import dask.array as da
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.RandomState(0)
    for k in range(3):
        part = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
        part.to_parquet(tmp_path / f"part.{k}.parquet", index=False)
    ddf = dd.read_parquet(tmp_path)
    ddf = ddf[ddf.a > 0] if filtered else ddf
    rows = ddf.compute()
    y = np.arange(len(rows)) % 3
    ours = iid.ensemble.GradientBoostingClassifier(n_estimators=4, random_state=0)
    ours.fit(rows, y)
    ref = GradientBoostingClassifier(n_estimators=4, random_state=0).fit(rows, y)
    with no_compute():
        got = ours.apply(ddf)
    assert isinstance(got, da.Array) and got.numblocks[0] == ddf.npartitions
    assert got.shape[1:] == (4, 3)
    assert_array_equal(got.compute(), ref.apply(rows))
