"""BlockwisePredictMixin: lazy post-fit methods equal scikit-learn on the computed data."""
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask.array.utils import assert_eq
from hypothesis import given, strategies as st
from numpy.testing import assert_allclose
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

import dask_variants.iid as iid
from dask_variants.exceptions import EagerComputeWarning

from tests.checks import no_compute

rng = np.random.RandomState(0)
X_NP = rng.normal(size=(60, 3))
Y_NP = (X_NP[:, 0] + rng.normal(scale=0.3, size=60) > 0).astype(int)


@st.composite
def row_chunks(draw, n=60):
    """Random row chunkings of ``n`` rows, blocks of size 1 included."""
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=12)))
    edges = [0, *cuts, n]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


def _fitted(Variant, Base, **params):
    est = Variant(**params).fit(X_NP, Y_NP)
    ref = Base(**params).fit(X_NP, Y_NP)
    return est, ref


@given(chunks=row_chunks())
def test_blockwise_methods_equal_sklearn_on_any_chunking(chunks):
    est, ref = _fitted(iid.LogisticRegression, LogisticRegression)
    X = da.from_array(X_NP, chunks=(chunks, 3))
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        got = getattr(est, method)(X)
        assert got.chunks[0] == chunks
        assert_eq(got, getattr(ref, method)(X_NP))


@given(chunks=row_chunks())
def test_blockwise_transform_and_inverse_equal_sklearn(chunks):
    est = iid.PCA(n_components=2).fit(X_NP)
    ref = PCA(n_components=2).fit(X_NP)
    X = da.from_array(X_NP, chunks=(chunks, 3))
    assert_eq(est.transform(X), ref.transform(X_NP))
    assert_eq(est.inverse_transform(est.transform(X)), ref.inverse_transform(ref.transform(X_NP)))
    assert_eq(est.score_samples(X), ref.score_samples(X_NP))


def test_blockwise_column_chunked_input_is_rechunked():
    est, ref = _fitted(iid.Ridge, Ridge)
    X = da.from_array(X_NP, chunks=(20, 1))
    got = est.predict(X)
    assert got.numblocks == (3,)
    assert_eq(got, ref.predict(X_NP))


def test_blockwise_unknown_chunk_sizes_are_accepted():
    est, ref = _fitted(iid.LogisticRegression, LogisticRegression)
    X = da.from_array(X_NP, chunks=(20, 3))
    X = X[X[:, 0] > -10]  # all rows, but the sizes are now unknown
    assert np.isnan(X.chunks[0]).all()
    got = est.predict_proba(X)
    assert got.shape[1] == 2
    assert_allclose(got.compute(), ref.predict_proba(X_NP))


def test_blockwise_empty_blocks_give_empty_output():
    est, ref = _fitted(iid.LogisticRegression, LogisticRegression)
    X = da.from_array(X_NP, chunks=((30, 0, 30), (3,)))
    assert 0 in X.chunks[0]
    assert_eq(est.predict_proba(X), ref.predict_proba(X_NP))
    assert_eq(est.predict(X), ref.predict(X_NP))


def test_blockwise_dataframe_in_gives_dataframe_out_with_its_index():
    df = pd.DataFrame(X_NP, columns=["a", "b", "c"], index=np.arange(100, 160))
    est = iid.StandardScaler().fit(df)
    ref = StandardScaler().fit(df)
    ddf = dd.from_pandas(df, npartitions=3)
    out = est.transform(ddf)
    assert isinstance(out, dd.DataFrame)
    assert list(out.columns) == ["a", "b", "c"]
    pd.testing.assert_frame_equal(
        out.compute(), pd.DataFrame(ref.transform(df), columns=["a", "b", "c"], index=df.index)
    )
    clf = iid.LogisticRegression().fit(df, Y_NP)
    pred = clf.predict(ddf)
    assert isinstance(pred, dd.Series)
    pd.testing.assert_index_equal(pred.compute().index, df.index)
    proba = clf.predict_proba(ddf)
    assert list(proba.columns) == ["0", "1"]  # strings: the frame writes to parquet
    assert_allclose(proba.compute().to_numpy(), LogisticRegression().fit(df, Y_NP).predict_proba(df))


def test_blockwise_set_output_pandas_is_honoured_lazily():
    df = pd.DataFrame(X_NP, columns=["a", "b", "c"])
    ddf = dd.from_pandas(df, npartitions=3)
    est = iid.StandardScaler().set_output(transform="pandas").fit(df)
    ref = StandardScaler().set_output(transform="pandas").fit(df)
    out = est.transform(ddf)
    assert isinstance(out, dd.DataFrame)
    pd.testing.assert_frame_equal(out.compute(), ref.transform(df))
    arr = da.from_array(X_NP, chunks=20)
    est_np = iid.StandardScaler().set_output(transform="pandas").fit(X_NP)
    out = est_np.transform(arr)
    assert isinstance(out, dd.DataFrame)
    expected = StandardScaler().set_output(transform="pandas").fit(X_NP).transform(X_NP)
    pd.testing.assert_frame_equal(out.compute(), expected)


def test_blockwise_methods_compute_nothing():
    est, _ = _fitted(iid.LogisticRegression, LogisticRegression)
    X = da.from_array(X_NP, chunks=20)
    with no_compute():
        out = est.predict_proba(X)
        assert out.dtype == np.float64 and out.shape == (60, 2)


def test_blockwise_score_is_computed_block_by_block():
    est, ref = _fitted(iid.LogisticRegression, LogisticRegression)
    X, y = da.from_array(X_NP, chunks=20), da.from_array(Y_NP, chunks=20)
    score = est.score(X, y)
    assert isinstance(score, float)
    assert score == pytest.approx(ref.score(X_NP, Y_NP))
    w = np.linspace(0.5, 2, 60)
    assert est.score(X, y, sample_weight=da.from_array(w, chunks=20)) == pytest.approx(
        ref.score(X_NP, Y_NP, sample_weight=w))
    reg = iid.Ridge().fit(X_NP, X_NP[:, 0])
    assert reg.score(X, X[:, 0]) == pytest.approx(Ridge().fit(X_NP, X_NP[:, 0]).score(X_NP, X_NP[:, 0]))


def test_blockwise_score_of_decomposable_estimators():
    pca = iid.PCA(n_components=2).fit(X_NP)
    assert pca.score(da.from_array(X_NP, chunks=20)) == pytest.approx(
        PCA(n_components=2).fit(X_NP).score(X_NP))
    km = iid.KMeans(n_clusters=2, random_state=0, n_init=1).fit(X_NP)
    assert km.score(da.from_array(X_NP, chunks=20)) == pytest.approx(km.score(X_NP))


def test_blockwise_score_without_a_blockwise_form_warns_and_computes():
    Y_NP2 = np.c_[Y_NP, Y_NP[::-1]]
    est = iid.MultiOutputClassifier(LogisticRegression()).fit(X_NP, Y_NP2)
    X = da.from_array(X_NP, chunks=20)
    Y = da.from_array(Y_NP2, chunks=20)
    with pytest.warns(EagerComputeWarning, match="no blockwise form"):
        score = est.score(X, Y)  # subset accuracy, MultiOutputClassifier's own
    assert score == pytest.approx(est.score(X_NP, Y_NP2))


def test_blockwise_unfitted_raises_before_building():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        iid.LogisticRegression().predict(da.from_array(X_NP, chunks=20))


def test_blockwise_predict_return_std_gives_two_lazy_arrays():
    from sklearn.linear_model import BayesianRidge

    est = iid.BayesianRidge().fit(X_NP, X_NP[:, 0])
    ref = BayesianRidge().fit(X_NP, X_NP[:, 0])
    mean, std = est.predict(da.from_array(X_NP, chunks=20), return_std=True)
    rmean, rstd = ref.predict(X_NP, return_std=True)
    assert_eq(mean, rmean)
    assert_eq(std, rstd)


def test_blockwise_stateless_hashing_vectorizer_needs_no_fit():
    # scikit-learn 1.6 does not tag it requires_fit=False, but its transform works unfitted
    from sklearn.feature_extraction.text import HashingVectorizer

    from dask_variants.incremental import HashingVectorizer as Variant

    docs = np.array(["a b c", "b c d", "e f", "a a"], dtype=object)
    out = Variant(n_features=16).transform(da.from_array(docs, chunks=2))
    ref = HashingVectorizer(n_features=16).transform(docs)
    assert_allclose(out.compute().toarray(), ref.toarray())
