"""exact.ColumnTransformer (``_compose.ColumnTransformerRule``): every transformer fitted
on its columns of every row, equal to scikit-learn's ColumnTransformer fitted on the
concatenated frame, read with ``dd.read_parquet`` from several files of uneven sizes,
mixed dtypes and a filter that empties a partition."""
import re
import warnings

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer, KBinsDiscretizer, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
    StandardScaler, TargetEncoder,
)

from dask_variants import exact, incremental
from dask_variants.engine import _exact
from tests.engine.rules.compare import assert_same_fit

WORDS = "red green blue fast slow big small old new cheap".split()
#: rows per parquet file: uneven, and file 2 is emptied by the filter
SIZES = (37, 80, 5, 60, 18)


def _frame():
    rng = np.random.RandomState(0)
    n = sum(SIZES)
    s = rng.choice(["ams", "ber", "cph"], n).astype(object)
    s[-18:] = "dub"  # only the last file holds "dub": the vocabulary needs every block
    c = rng.choice(["free", "pro"], n).astype(object)
    c[150:] = np.where(rng.rand(n - 150) < 0.5, "team", c[150:])
    text = [" ".join(rng.choice(WORDS[:8], rng.randint(1, 5))) for _ in range(n)]
    text[-3:] = ["zebra red", "zebra", "cheap zebra new"]  # words of the last file only
    f = rng.normal(size=n) * 10 + 3
    f[rng.rand(n) < 0.1] = np.nan
    df = pd.DataFrame({
        "f": f,
        "i": rng.randint(-5, 50, n).astype("int64"),
        "s": pd.array(s, dtype="str"),
        "c": pd.Categorical(c),
        "text": pd.array(text, dtype="str"),
    })
    df["y"] = ((np.nan_to_num(df["f"]) > 3) ^ (df["s"] == "dub")).astype("int64")
    df["keep"] = True
    start = sum(SIZES[:2])
    df.loc[start:start + SIZES[2] - 1, "keep"] = False  # file 2 holds no kept row
    return df


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    """``(X, y, X_pd, y_pd)``: the features and target read from 5 parquet files and
    filtered, and the same rows in memory (what scikit-learn is fitted on)."""
    path = tmp_path_factory.mktemp("coltrans")
    df, start = _frame(), 0
    for k, size in enumerate(SIZES):
        df.iloc[start:start + size].to_parquet(path / f"part-{k}.parquet", index=False)
        start += size
    ddf = dd.read_parquet(sorted(path.glob("*.parquet")))
    assert ddf.npartitions == len(SIZES)
    ddf = ddf[ddf["keep"]]
    X, y = ddf[["f", "i", "s", "c", "text"]], ddf["y"]
    Xp, yp = X.compute(), y.compute()
    sizes = X.map_partitions(len).compute().tolist()
    assert sizes == [37, 80, 0, 60, 18], sizes  # uneven, one emptied by the filter
    assert (Xp.dtypes.astype(str).tolist()[:2] == ["float64", "int64"]
            and Xp["c"].dtype == "category")
    return X, y, Xp, yp


def typical(threshold):
    return dict(transformers=[
        ("num", StandardScaler(), ["f", "i"]),
        ("cat", OneHotEncoder(), ["s", "c"]),
        ("txt", TfidfVectorizer(), "text"),
    ], sparse_threshold=threshold)


CASES = {
    # the same steps, once with a sparse result and once dense: both sides decide it
    "typical-sparse": typical(0.9),
    "typical-dense": typical(0.3),
    "typical-threshold-0": typical(0.0),
    "selector-passthrough": dict(
        transformers=[("num", exact.MinMaxScaler(), make_column_selector(dtype_include="number")),
                      ("cat", OrdinalEncoder(), ["c"])],
        remainder="passthrough"),
    "remainder-estimator": dict(
        transformers=[("cat", OneHotEncoder(sparse_output=False, handle_unknown="ignore"),
                       ["s", "c"]),
                      ("gone", "drop", ["text"])],
        remainder=StandardScaler()),
    # no fitted attribute tells a function's output width: counted in the pass
    "function-callable": dict(
        transformers=[("abs", FunctionTransformer(np.abs), lambda X: ["f", "i"]),
                      ("cat", OrdinalEncoder(), ["s"])]),
    "pipelines-weights-indices": dict(
        transformers=[("num", make_pipeline(SimpleImputer(), StandardScaler()), [0, 1]),
                      ("txt", make_pipeline(CountVectorizer(), TfidfTransformer()), 4),
                      ("none", MinMaxScaler(), [])],
        transformer_weights={"num": 2.0, "txt": 0.5}, verbose_feature_names_out=False),
}


def _columns_equal(a, b):
    if callable(b):
        return a is b
    if np.isscalar(b):
        return type(a) is type(b) and a == b
    return list(np.asarray(a).tolist()) == list(np.asarray(b).tolist())


def _steps(est):
    return [s for _, s in est.steps] if hasattr(est, "steps") else [est]


def assert_same_column_transformer(ours, ref):
    """Every fitted attribute; each fitted transformer's own, step by step."""
    assert_same_fit(ours, ref, skip=("transformers_",))
    assert len(ours.transformers_) == len(ref.transformers_)
    for (n1, t1, c1), (n2, t2, c2) in zip(ours.transformers_, ref.transformers_):
        assert n1 == n2 and _columns_equal(c1, c2), (n1, c1, c2)
        if isinstance(t2, str):
            assert t1 == t2
            continue
        assert isinstance(t1, type(t2)), (n1, type(t1), type(t2))
        for a, b in zip(_steps(t1), _steps(t2)):
            assert_same_fit(a, b, rtol=1e-10, atol=1e-12)
    assert ours.output_indices_ == ref.output_indices_
    assert ours.sparse_output_ is ref.sparse_output_
    try:
        names = ref.get_feature_names_out()
    except AttributeError as err:  # a transformer that cannot name its outputs
        with pytest.raises(AttributeError, match=re.escape(str(err))):
            ours.get_feature_names_out()
    else:
        assert_array_equal(ours.get_feature_names_out(), names)


def assert_same_output(got, want):
    if scipy.sparse.issparse(want):
        assert scipy.sparse.issparse(got)
        got, want = got.toarray(), want.toarray()
    elif isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-10)
        return
    got = np.asarray(got)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.dtype, want.dtype)
    if want.dtype == object:
        for j in range(want.shape[1]):
            col = want[:, j]
            if all(isinstance(v, float) for v in col):
                assert_allclose(got[:, j].astype(float), col.astype(float), rtol=1e-10)
            else:
                assert_array_equal(got[:, j], col)
    else:
        assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("sched", ["sync", "threads"])
@pytest.mark.parametrize("case", list(CASES))
def test_column_transformer_equals_sklearn_on_parquet(frame, case, sched):
    X, y, Xp, yp = frame
    with dask.config.set(scheduler=sched):
        ours = exact.ColumnTransformer(**CASES[case]).fit(X, y)
        ref = ColumnTransformer(**CASES[case]).fit(Xp, yp)
        assert_same_column_transformer(ours, ref)
        out = ours.transform(X)
        assert_same_output(out.compute(), ref.transform(Xp))
    if case == "typical-sparse":
        assert ref.sparse_output_ and isinstance(out, da.Array)
    if case == "typical-dense":
        assert not ref.sparse_output_ and isinstance(out, dd.DataFrame)


def test_column_transformer_fit_transform_and_pandas_output(frame):
    X, y, Xp, yp = frame
    steps = [("num", StandardScaler(), ["f", "i"]),
             ("cat", OneHotEncoder(sparse_output=False), ["s", "c"])]
    ours = exact.ColumnTransformer(steps, remainder="passthrough").set_output(transform="pandas")
    ref = ColumnTransformer(steps, remainder="passthrough").set_output(transform="pandas")
    got = ours.fit_transform(X, y)
    want = ref.fit_transform(Xp, yp)
    assert isinstance(got, dd.DataFrame)
    assert_same_column_transformer(ours, ref)
    pd.testing.assert_frame_equal(got.compute(), want, check_exact=False, rtol=1e-10)
    assert list(got.columns) == list(want.columns)


def test_column_transformer_on_a_dask_array():
    rng = np.random.RandomState(1)
    A = np.column_stack([rng.normal(size=200), rng.randint(0, 4, 200), rng.rand(200)])
    dA = da.from_array(A, chunks=((7, 93, 0, 60, 40), 3))
    steps = [("s", StandardScaler(), [0, 2]), ("o", OneHotEncoder(), [1])]
    ours = exact.ColumnTransformer(steps, remainder=MinMaxScaler()).fit(dA)
    ref = ColumnTransformer(steps, remainder=MinMaxScaler()).fit(A)
    assert_same_column_transformer(ours, ref)
    assert_same_output(ours.transform(dA).compute(), ref.transform(A))


def test_column_transformer_counts_the_density_only_for_a_sparse_output(frame, monkeypatch):
    X, y, _, _ = frame
    calls = []
    real = _exact.one_pass
    monkeypatch.setattr(_exact, "one_pass", lambda *a, **k: calls.append(1) or real(*a, **k))
    exact.ColumnTransformer([("num", StandardScaler(), ["f", "i"]),
                             ("cat", OneHotEncoder(sparse_output=False), ["s"])]).fit(X)
    assert calls == []  # every output dense, its width from the fitted attributes
    exact.ColumnTransformer(**typical(0.0)).fit(X)
    assert calls == []  # sparse_threshold=0: never sparse, whatever the density
    exact.ColumnTransformer(**typical(0.3)).fit(X)
    assert calls == [1]


class _Reads:
    """A partition function counting the partitions it sees, by their row count."""

    def __init__(self):
        self.seen = {}

    def __dask_tokenize__(self):
        return ("count-reads", id(self))

    def __call__(self, part):
        self.seen[len(part)] = self.seen.get(len(part), 0) + 1
        return part


@pytest.mark.parametrize("steps, passes", [
    # scaler, encoder (vocabulary and sample: one read of each block), vectorizer, density
    (typical(0.3)["transformers"], 4),
    ([("num", StandardScaler(), ["f", "i"]),
      ("cat", OneHotEncoder(sparse_output=False), ["s", "c"])], 2),
])
def test_column_transformer_reads_each_block_once_per_transformer(frame, steps, passes):
    X, _, _, _ = frame
    reads = _Reads()
    with dask.config.set(scheduler="sync"):
        exact.ColumnTransformer(steps).fit(X.map_partitions(reads, meta=X._meta))
    assert reads.seen == {n: passes for n in (37, 80, 0, 60, 18)}


def _unreadable(X):
    def boom(part):
        raise AssertionError("a block was read")

    return X.map_partitions(boom, meta=X._meta)


@pytest.mark.parametrize("step, error, match", [
    (KBinsDiscretizer(n_bins=3), TypeError,
     r"step 'bad' \(KBinsDiscretizer\) has no exact all-rows fit"),
    (TargetEncoder(), TypeError, r"step 'bad' \(TargetEncoder\) has no exact all-rows fit"),
    (OneHotEncoder(min_frequency=3), ValueError,
     r"step 'bad' \(OneHotEncoder\) with min_frequency=3 counts the categories"),
    (OrdinalEncoder(max_categories=2), ValueError, r"max_categories=2 counts the categories"),
    (make_pipeline(SimpleImputer(), KBinsDiscretizer(n_bins=3)), TypeError,
     r"step 'kbinsdiscretizer' \(KBinsDiscretizer\) has no exact"),
])
def test_column_transformer_refuses_a_step_without_exact_fit_before_reading(
        frame, step, error, match):
    X, y, _, _ = frame
    ct = exact.ColumnTransformer([("num", StandardScaler(), ["f"]), ("bad", step, ["i"])])
    with pytest.raises(error, match=match):
        ct.fit(_unreadable(X), y)
    assert not hasattr(ct, "transformers_")


def test_column_transformer_refuses_bad_columns_before_reading_and_keeps_its_fit(frame):
    X, y, Xp, _ = frame
    ct = exact.ColumnTransformer([("num", StandardScaler(), ["f", "i"])]).fit(X)
    before = ct.transformers_[0][1].mean_.copy()
    with pytest.raises(ValueError, match=r"non-numeric columns \['s'\]"):
        exact.ColumnTransformer([("num", StandardScaler(), ["f", "s"])]).fit(_unreadable(X))
    with pytest.raises(ValueError):  # scikit-learn's own error for an unknown column
        ct.set_params(num__with_mean=True)
        ct.fit(_unreadable(X.rename(columns={"f": "g"})))
    assert_array_equal(ct.transformers_[0][1].mean_, before)
    assert_allclose(before, np.nanmean(Xp[["f", "i"]].to_numpy(float), axis=0), rtol=1e-12)


@pytest.mark.parametrize("threshold", [0.3, 0.9])
def test_column_transformer_then_incremental_classifier_trains(frame, threshold):
    """The user's pipeline: the columns transformed exactly (every row), then streamed
    through partial_fit; equal to scikit-learn's transformer on all rows and one
    partial_fit per partition, in order. A dense output is a frame aligned with y; a
    sparse one is an array, which y from a narrower projection of the same parquet
    files may not align with (dask fuses small files for it): the README says so, and
    that persisting the frame aligns them, as here."""
    X, y, Xp, yp = frame
    if threshold == 0.9:
        X, y = dask.persist(X, y)
    steps = [("num", make_pipeline(SimpleImputer(), StandardScaler()), ["f", "i"]),
             ("cat", OneHotEncoder(), ["s", "c"]), ("txt", TfidfVectorizer(), "text")]
    pipe = make_pipeline(exact.ColumnTransformer(steps, sparse_threshold=threshold),
                         incremental.SGDClassifier(random_state=0, shuffle_blocks=False))
    pipe.fit(X, y)
    ct = ColumnTransformer(steps, sparse_threshold=threshold).fit(Xp, yp)
    assert ct.sparse_output_ is (threshold == 0.9)
    assert_same_column_transformer(pipe[0], ct)
    clf = SGDClassifier(random_state=0)
    Xparts, yparts = X.partitions, y.partitions
    for k in range(X.npartitions):
        xk, yk = Xparts[k].compute(), yparts[k].compute()
        if len(xk):
            clf.partial_fit(ct.transform(xk), yk, classes=[0, 1])
    assert_allclose(pipe[-1].coef_, clf.coef_, rtol=1e-10)
    assert_allclose(pipe[-1].intercept_, clf.intercept_, rtol=1e-10)
    assert_array_equal(np.asarray(pipe.predict(X).compute()), clf.predict(ct.transform(Xp)))


def test_column_transformer_nested_pipeline_transforms_without_warnings(frame):
    """A step after a pipeline's first learns no input names scikit-learn's would not
    have (it saw a lazy frame, scikit-learn's an array), so no block warns."""
    X, y, Xp, _ = frame
    ct = exact.ColumnTransformer(**CASES["pipelines-weights-indices"]).fit(X, y)
    assert not hasattr(ct.transformers_[0][1][-1], "feature_names_in_")
    with warnings.catch_warnings():
        # scikit-learn's "X does not have valid feature names" (the reader's pandas
        # deprecation warnings are not ours)
        warnings.simplefilter("error", UserWarning)
        got = ct.transform(X).compute()
    assert_same_output(got, ColumnTransformer(**CASES["pipelines-weights-indices"])
                       .fit(Xp).transform(Xp))


def test_column_transformer_is_in_the_exact_namespace():
    import dask_variants.exact.compose

    assert "ColumnTransformer" in dir(exact) and "ColumnTransformer" in dir(exact.compose)
    assert exact.ColumnTransformer is dask_variants.exact.compose.ColumnTransformer
    assert issubclass(exact.ColumnTransformer, ColumnTransformer)


def test_column_transformer_in_memory_is_sklearn(frame):
    _, _, Xp, yp = frame
    ours = exact.ColumnTransformer(**typical(0.3)).fit(Xp, yp)
    ref = ColumnTransformer(**typical(0.3)).fit(Xp, yp)
    assert_same_output(ours.transform(Xp), ref.transform(Xp))
    assert type(ours.transformers_[0][1]) is StandardScaler  # scikit-learn's fit, as is


def test_column_transformer_inside_exact_pipeline_equals_sklearn(frame):
    """exact.Pipeline([ColumnTransformer, LogisticRegression]): the column transformer's
    steps made exact (and checked) with the pipeline's, the classifier fitted on every
    row of its lazy output."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    X, y, Xp, yp = frame
    steps = [("num", make_pipeline(SimpleImputer(), StandardScaler()), ["f", "i"]),
             ("cat", OneHotEncoder(sparse_output=False), ["s", "c"])]

    def pipe(kind):
        return kind([("ct", ColumnTransformer(steps)),
                     ("lr", LogisticRegression(solver="newton-cholesky", tol=1e-10))])

    ours, ref = pipe(exact.Pipeline).fit(X, y), pipe(Pipeline).fit(Xp, yp)
    assert_same_column_transformer(ours[0], ref[0])
    assert_same_fit(ours[-1], ref[-1], rtol=1e-8, atol=1e-10)
    assert_array_equal(np.asarray(ours.predict(X).compute()), ref.predict(Xp))
    with pytest.raises(TypeError, match=r"step 'bad' \(KBinsDiscretizer\) has no exact"):
        exact.Pipeline([("ct", ColumnTransformer([("bad", KBinsDiscretizer(), ["f"])])),
                        ("lr", LogisticRegression())]).fit(_unreadable(X), y)


def test_sparse_output_aligns_with_y_fused_from_the_same_files(tmp_path):
    """The default user pipeline on text read from parquet: the output is sparse (an
    array of one block per file, its sizes from the parquet metadata) and ``y =
    ddf["y"]``, a one-column read that dask fuses into fewer partitions, is rechunked to
    it; the classifier equals scikit-learn's, one partial_fit per file."""
    rng = np.random.default_rng(0)
    sizes, words = [30, 50, 20, 40, 25, 35, 45, 15], [f"w{j:03d}" for j in range(300)]
    for k, n in enumerate(sizes):
        pd.DataFrame({"f": rng.normal(size=n), "s": rng.choice(["a", "b", "c"], n),
                      "text": [" ".join(rng.choice(words, 4)) for _ in range(n)],
                      "y": rng.integers(0, 2, n)}).to_parquet(tmp_path / f"p{k}.parquet")
    ddf = dd.read_parquet(sorted(tmp_path.glob("*.parquet")))
    X, y = ddf.drop(columns="y"), ddf["y"]
    assert y.optimize().npartitions < len(sizes)  # what this test is about
    steps = [("num", StandardScaler(), ["f"]), ("cat", OneHotEncoder(), ["s"]),
             ("txt", TfidfVectorizer(), "text")]
    pipe = make_pipeline(exact.ColumnTransformer(steps),
                         incremental.SGDClassifier(random_state=0, shuffle_blocks=False))
    pipe.fit(X, y)
    Xp, yp = X.compute(), y.compute()
    ct = ColumnTransformer(steps).fit(Xp)
    assert pipe[0].sparse_output_ and ct.sparse_output_
    clf, start = SGDClassifier(random_state=0), 0
    for n in sizes:
        rows = slice(start, start + n)
        clf.partial_fit(ct.transform(Xp.iloc[rows]), yp.iloc[rows], classes=[0, 1])
        start += n
    assert_allclose(pipe[-1].coef_, clf.coef_, rtol=1e-10)
    assert_array_equal(np.asarray(pipe.predict(X).compute()), clf.predict(ct.transform(Xp)))
